//! The assignment problem on a full cost matrix, for small problems where computing all n²
//! costs is cheap: auction phases and row reduction (`lap.rs`) on full rows, then shortest
//! augmenting paths (Jonker–Volgenant's Dijkstra over reduced costs) for the rows still free.

use super::cost::SqCost;
use super::lap::{Bidder, NONE, State, auction_phase, flip_path, reduce_rows};

/// The full cost matrix and the solver state.
struct Dense {
    n: usize,
    c: Vec<f64>,
    s: State,
    scans: usize,
}

/// Solve on the full matrix of `cost` from target duals `v`, with auction phases at each ε of
/// `schedule` first (at most `phase_bids` × n bids each). Returns the state (every source
/// matched, matched edges tight, duals feasible on every pair) and the targets settled by the
/// augmenting-path searches.
pub fn solve(cost: &SqCost, v: Vec<f64>, schedule: &[f64], phase_bids: usize) -> (State, usize) {
    let n = cost.n();
    let c = (0..n * n).map(|k| cost.at(k / n, k % n)).collect();
    let mut d = Dense { n, c, s: State::new(v), scans: 0 };
    for &eps in schedule {
        auction_phase(&mut d, eps, phase_bids * n);
    }
    d.s.unmatch_all();
    let free = reduce_rows(&mut d, (0..n).collect());
    let free = reduce_rows(&mut d, free);
    let mut scratch = (vec![0.0; n], vec![0; n], (0..n).collect::<Vec<usize>>());
    for i in free {
        d.s.u[i] = d.best_two(i).1;
        d.augment(i, &mut scratch);
    }
    (d.s, d.scans)
}

impl Bidder for Dense {
    fn state(&mut self) -> &mut State {
        &mut self.s
    }

    fn best_two(&mut self, i: usize) -> (usize, f64, f64) {
        let (mut h1, mut h2, mut j1) = (f64::INFINITY, f64::INFINITY, 0);
        for (j, (&c, &v)) in self.c[i * self.n..(i + 1) * self.n].iter().zip(&self.s.v).enumerate() {
            let h = c - v;
            if h < h2 {
                if h < h1 {
                    (h2, h1, j1) = (h1, h, j);
                } else {
                    h2 = h;
                }
            }
        }
        (j1, h1, h2)
    }

    fn tied(&mut self, i: usize, j: usize, h: f64) -> Option<usize> {
        let row = &self.c[i * self.n..(i + 1) * self.n];
        (0..self.n).find(|&k| k != j && row[k] - self.s.v[k] <= h)
    }
}

impl Dense {
    /// Dijkstra from free row `root` until a free column is settled; flip the path and update
    /// the duals. The column order `cols` keeps the settled ones first; each step relaxes the
    /// new tree row over the unsettled columns and finds the next minimum in the same pass.
    fn augment(&mut self, root: usize, (dist, pred, cols): &mut (Vec<f64>, Vec<usize>, Vec<usize>)) {
        let (n, s) = (self.n, &mut self.s);
        let mut lo = 0;
        let (mut best, mut at) = (f64::INFINITY, 0);
        for (k, &j) in cols.iter().enumerate() {
            let d = (self.c[root * n + j] - s.u[root] - s.v[j]).max(0.0);
            (dist[j], pred[j]) = (d, root);
            if d < best {
                (best, at) = (d, k);
            }
        }
        let (j_end, d_end) = loop {
            cols.swap(lo, at);
            let j = cols[lo];
            lo += 1;
            self.scans += 1;
            let owner = s.col_row[j];
            if owner == NONE {
                break (j, best);
            }
            let (d, uo) = (best, s.u[owner]);
            let row = &self.c[owner * n..(owner + 1) * n];
            best = f64::INFINITY;
            for (k, &col) in cols.iter().enumerate().skip(lo) {
                let nd = d + (row[col] - uo - s.v[col]).max(0.0);
                if nd < dist[col] {
                    (dist[col], pred[col]) = (nd, owner);
                }
                if dist[col] < best {
                    (best, at) = (dist[col], k);
                }
            }
        };
        for &j in &cols[..lo] {
            s.v[j] -= d_end - dist[j];
        }
        flip_path(s, pred, root, j_end);
        for &j in &cols[..lo] {
            let i = s.col_row[j];
            let jj = s.row_col[i];
            s.u[i] = self.c[i * n + jj] - s.v[jj];
        }
    }
}
