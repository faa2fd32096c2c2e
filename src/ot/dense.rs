//! The assignment problem on a full cost matrix, for small problems where computing all n²
//! costs is cheap: auction phases and row reduction (`lap.rs`) on full rows, then shortest
//! augmenting paths (Jonker–Volgenant's Dijkstra over reduced costs, from all the rows still free
//! at once) until every row is matched.

use super::cost::SqCost;
use super::lap::{Bidder, NONE, State, flip_disjoint, next_stamp, retighten};

/// The full cost matrix and the solver state.
struct Dense {
    n: usize,
    c: Vec<f64>,
    s: State,
    scans: usize,
    /// Scratch space of the augmenting-path searches.
    paths: Scratch,
}

/// Solve on the full matrix of `cost` from target duals `v`, with auction phases at each ε of
/// `schedule` first (at most `phase_bids` × n bids each). Returns the state (every source
/// matched, matched edges tight, duals feasible on every pair) and the targets settled by the
/// augmenting-path searches.
pub fn solve(cost: &SqCost, v: Vec<f64>, schedule: &[f64], phase_bids: usize) -> (State, usize) {
    let n = cost.n();
    let c = cost.matrix();
    let paths =
        Scratch { dist: vec![0.0; n], pred: vec![0; n], cols: (0..n).collect(), used: vec![0; n], stamp: 0 };
    let mut d = Dense { n, c, s: State::new(v), scans: 0, paths };
    super::lap::solve(&mut d, schedule, phase_bids);
    (d.s, d.scans)
}

impl Bidder for Dense {
    /// A search costs n per settled column however many paths it ends: one search serves all.
    const SEARCH_SHARE: usize = 1;

    fn state(&mut self) -> &mut State {
        &mut self.s
    }

    fn best_two(&mut self, i: usize) -> (usize, f64, f64) {
        best_two(&self.c[i * self.n..(i + 1) * self.n], &self.s.v)
    }

    fn tied(&mut self, i: usize, j: usize, h: f64) -> Option<usize> {
        let row = &self.c[i * self.n..(i + 1) * self.n];
        (0..self.n).find(|&k| k != j && row[k] - self.s.v[k] <= h)
    }

    /// Dijkstra from all the free rows at once; the duals are updated at the distance of the
    /// last free column settled, and paths flipped in the order their columns were settled. The
    /// column order `cols` keeps the settled ones first; each step relaxes the new tree row over
    /// the unsettled columns and finds the next minimum in the same pass.
    fn augment(&mut self, roots: &[usize], want: usize) -> Vec<usize> {
        let (n, s) = (self.n, &mut self.s);
        let Scratch { dist, pred, cols, used, stamp } = &mut self.paths;
        dist.fill(f64::INFINITY);
        for &root in roots {
            let row = &self.c[root * n..(root + 1) * n];
            for (j, (&c, &v)) in row.iter().zip(&s.v).enumerate() {
                let d = (c - s.u[root] - v).max(0.0);
                if d < dist[j] {
                    (dist[j], pred[j]) = (d, root);
                }
            }
        }
        let (mut best, mut at) = (f64::INFINITY, 0);
        for (k, &j) in cols.iter().enumerate() {
            if dist[j] < best {
                (best, at) = (dist[j], k);
            }
        }
        let (mut lo, mut ends) = (0, Vec::new());
        let d_end = loop {
            cols.swap(lo, at);
            let j = cols[lo];
            lo += 1;
            self.scans += 1;
            let owner = s.col_row[j];
            if owner == NONE {
                ends.push(j);
                if ends.len() == want {
                    break best;
                }
            }
            // relax the new tree row, if any, and find the next minimum in the same pass
            let (d, tree_row) =
                (best, (owner != NONE).then(|| (s.u[owner], &self.c[owner * n..(owner + 1) * n])));
            best = f64::INFINITY;
            for (k, &col) in cols.iter().enumerate().skip(lo) {
                if let Some((uo, row)) = tree_row {
                    let nd = d + (row[col] - uo - s.v[col]).max(0.0);
                    if nd < dist[col] {
                        (dist[col], pred[col]) = (nd, owner);
                    }
                }
                if dist[col] < best {
                    (best, at) = (dist[col], k);
                }
            }
        };
        for &j in &cols[..lo] {
            s.v[j] -= d_end - dist[j];
        }
        // every path to a settled free column is tight now
        next_stamp(stamp, &mut [used]);
        flip_disjoint(s, pred, &ends, used, *stamp);
        let c = &self.c;
        retighten(s, &cols[..lo], |i, j| c[i * n + j], roots)
    }
}

/// (j1, h1, h2): the least and second-least of h_j = row_j − v_j, and the first j at the least.
/// Blocks of 8 whose least value cannot beat the second best are skipped after a branch-free
/// minimum (which the compiler vectorises); the others are scanned one by one, in order.
fn best_two(row: &[f64], v: &[f64]) -> (usize, f64, f64) {
    const B: usize = 8;
    /// Fold h_j for j from `j0` on into (j1, h1, h2).
    fn scan(best: &mut (usize, f64, f64), j0: usize, r: &[f64], w: &[f64]) {
        for (k, (&c, &vj)) in r.iter().zip(w).enumerate() {
            let h = c - vj;
            if h < best.2 {
                *best = if h < best.1 { (j0 + k, h, best.1) } else { (best.0, best.1, h) };
            }
        }
    }
    let mut best = (0, f64::INFINITY, f64::INFINITY);
    let whole = row.len() / B * B;
    for j0 in (0..whole).step_by(B) {
        let (r, w) = (&row[j0..j0 + B], &v[j0..j0 + B]);
        let least = (0..B).map(|k| r[k] - w[k]).fold(f64::INFINITY, |a, b| if b < a { b } else { a });
        if least < best.2 {
            scan(&mut best, j0, r, w);
        }
    }
    scan(&mut best, whole, &row[whole..], &v[whole..]);
    best
}

/// Scratch space of the augmenting-path searches.
struct Scratch {
    dist: Vec<f64>,
    pred: Vec<usize>,
    /// Columns, the settled ones first.
    cols: Vec<usize>,
    /// Rows on a path flipped in the current search, marked with its stamp.
    used: Vec<u32>,
    stamp: u32,
}

#[cfg(test)]
mod tests {
    use super::best_two;
    use crate::rng;

    /// The plain in-order scan that `best_two` must match exactly.
    fn plain(row: &[f64], v: &[f64]) -> (usize, f64, f64) {
        let (mut h1, mut h2, mut j1) = (f64::INFINITY, f64::INFINITY, 0);
        for (j, (&c, &w)) in row.iter().zip(v).enumerate() {
            let h = c - w;
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

    /// Same index and values as the plain scan: lengths that are not multiples of the block,
    /// ties (values drawn from a few levels, so the first of equal least values must win and
    /// h2 may equal h1), infinite entries, and the least value in the last partial block.
    #[test]
    fn best_two_matches_a_plain_scan() {
        let r = &mut rng::stream(11, 0);
        for n in [1, 2, 7, 8, 9, 15, 16, 17, 64, 100, 257] {
            for round in 0..50 {
                let row: Vec<f64> = (0..n)
                    .map(|_| match round % 3 {
                        0 => rng::uniform(r) as f64,
                        1 => (rng::index(r, 3)) as f64,
                        _ => {
                            if rng::index(r, 5) == 0 {
                                f64::INFINITY
                            } else {
                                rng::index(r, 4) as f64
                            }
                        }
                    })
                    .collect();
                let mut v: Vec<f64> = (0..n).map(|_| 0.5 * rng::index(r, 2) as f64).collect();
                if round % 7 == 0 {
                    v[n - 1] = 10.0;
                }
                let (got, want) = (best_two(&row, &v), plain(&row, &v));
                assert_eq!(got.0, want.0, "n {n} round {round}: index");
                assert_eq!(got.1.to_bits(), want.1.to_bits(), "n {n} round {round}: h1");
                assert_eq!(got.2.to_bits(), want.2.to_bits(), "n {n} round {round}: h2");
            }
        }
    }
}
