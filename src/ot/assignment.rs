//! Exact discrete OT between n and n uniform points (math.md §2, "Exact"): the assignment problem
//! solved by an ε-scaling auction with a certificate of optimality to floating-point accuracy.
//!
//! Forward auction (Gauss–Seidel) on costs C_ij = ‖x_i − y_j‖²: a free source bids for the target
//! with the smallest reduced cost C_ij − v_j and lowers v_j by the gap to its second best plus ε.
//! Phases divide ε by `SCALE` until ε ≤ `TOL`·max C. At the end every source is within ε of its
//! best target, so u_i = min_j (C_ij − v_j) gives duals with u_i + v_j ≤ C_ij on all n² pairs and
//! C_iσ(i) − u_i − v_σ(i) ≤ ε on the matching: the total cost is optimal to n·ε.
//!
//! Speed comes from three facts:
//! - v only decreases, so reduced costs only grow: a source keeps its `K` best targets plus the
//!   (K+1)-th reduced cost as a bound on all others, and bids from that list while its best two
//!   stay under the bound (the bid is then exactly the bid over all n targets);
//! - lists are refilled by branch and bound in a k-d tree over targets with per-node maxima of v
//!   (stale maxima stay valid upper bounds because v only decreases);
//! - multiscale warm start: for n ≥ `COARSE_MIN`, duals come from solving every 4th point and
//!   extending them to all targets by the c-transform, so the first phase starts at a small ε.

use super::cost::{SqCost, check_cloud};
use super::kdtree::WeightedSearch;
use crate::data::Points;
use crate::error::{Error, Result};

const NONE: usize = usize::MAX;
/// Final ε relative to the largest cost.
const TOL: f64 = 1e-12;
/// ε is divided by this between phases.
const SCALE: f64 = 16.0;
/// First ε relative to the largest cost: cold start, and warm start from coarse duals.
const EPS_COLD: f64 = 0.25;
const EPS_WARM: f64 = 3e-4;
/// Smallest problem that is warm-started from a coarse solve.
const COARSE_MIN: usize = 64;
/// Candidate targets kept per source.
const K: usize = 12;

/// An optimal assignment with its dual certificate.
#[derive(Debug, Clone)]
pub struct Assignment {
    /// `perm[i]` is the target index matched to source i (the discrete Monge map σ).
    pub perm: Vec<usize>,
    /// W2² = (1/n) Σ‖x_i − y_σ(i)‖².
    pub w2sq: f64,
    /// Row duals u_i (for the summed cost Σ C_iσ(i)).
    pub u: Vec<f64>,
    /// Column duals v_j: u_i + v_j ≤ C_ij for all pairs, equality on the matching up to the last ε.
    pub v: Vec<f64>,
    /// Bids made over all phases (a work counter for benchmarks).
    pub bids: usize,
}

/// Solve the assignment between the rows of `x` and `y` (same count, same dimension).
pub fn assignment(x: &Points, y: &Points) -> Result<Assignment> {
    check_cloud(x, "source")?;
    check_cloud(y, "target")?;
    if x.nrows() != y.nrows() || x.ncols() != y.ncols() {
        return Err(Error::Shape {
            op: "assignment",
            msg: format!(
                "source is {}×{} but target is {}×{}; exact OT needs equal counts and dimensions",
                x.nrows(),
                x.ncols(),
                y.nrows(),
                y.ncols()
            ),
        });
    }
    let cost = SqCost::new(x, y);
    let max_cost = cost.max_bound().max(f64::MIN_POSITIVE);
    let (v, eps0) = match coarse_duals(x, y)? {
        Some(v) => (v, EPS_WARM * max_cost),
        None => (vec![0.0; x.nrows()], EPS_COLD * max_cost),
    };
    Ok(Auction::new(&cost, v).run(eps0, TOL * max_cost))
}

/// Auction state: duals, matching, candidate lists and the tree that refills them.
struct Auction<'c> {
    cost: &'c SqCost,
    tree: WeightedSearch,
    v: Vec<f64>,
    row_col: Vec<usize>,
    col_row: Vec<usize>,
    lists: Vec<[u32; K]>,
    len: Vec<u8>,
    bound: Vec<f64>,
    found: Vec<(f64, u32)>,
    stack: Vec<(f64, usize)>,
    bids: usize,
}

impl<'c> Auction<'c> {
    fn new(cost: &'c SqCost, v: Vec<f64>) -> Self {
        let n = cost.n();
        Auction {
            cost,
            tree: WeightedSearch::new(cost.targets(), cost.dim()),
            v,
            row_col: vec![NONE; n],
            col_row: vec![NONE; n],
            lists: vec![[0; K]; n],
            len: vec![0; n],
            bound: vec![f64::NEG_INFINITY; n],
            found: Vec::new(),
            stack: Vec::new(),
            bids: 0,
        }
    }

    fn run(mut self, eps0: f64, eps_final: f64) -> Assignment {
        let n = self.cost.n();
        let mut eps = eps0.max(eps_final);
        let mut v_refreshed = self.v.clone();
        self.tree.refresh(&self.v);
        loop {
            // bounds stay valid as v decreases; refit them only once prices moved noticeably
            let drop = v_refreshed.iter().zip(&self.v).map(|(a, b)| a - b).fold(0.0, f64::max);
            if drop > K as f64 * eps {
                self.tree.refresh(&self.v);
                v_refreshed.copy_from_slice(&self.v);
            }
            self.row_col.fill(NONE);
            self.col_row.fill(NONE);
            let mut queue: Vec<usize> = (0..n).rev().collect();
            while let Some(i) = queue.pop() {
                self.bids += 1;
                let (j, gap) = self.best_two(i);
                self.v[j] -= gap + eps;
                let prev = self.col_row[j];
                self.col_row[j] = i;
                self.row_col[i] = j;
                if prev != NONE {
                    self.row_col[prev] = NONE;
                    queue.push(prev);
                }
            }
            if eps <= eps_final {
                break;
            }
            eps = (eps / SCALE).max(eps_final);
        }
        self.tree.refresh(&self.v);
        let mut u = vec![0.0; n];
        for (i, ui) in u.iter_mut().enumerate() {
            self.tree.smallest(self.cost.source(i), &self.v, 1, &mut self.found, &mut self.stack);
            *ui = self.found[0].0;
        }
        let perm = self.row_col;
        let w2sq = (0..n).map(|i| self.cost.at(i, perm[i])).sum::<f64>() / n as f64;
        Assignment { perm, w2sq, u, v: self.v, bids: self.bids }
    }

    /// Source i's target with the smallest reduced cost and the gap to the second smallest,
    /// exactly as over all targets (refilling the list when the bound no longer covers it).
    fn best_two(&mut self, i: usize) -> (usize, f64) {
        loop {
            let (mut m1, mut m2, mut j1) = (f64::INFINITY, f64::INFINITY, 0);
            for &j in &self.lists[i][..self.len[i] as usize] {
                let j = j as usize;
                let h = self.cost.at(i, j) - self.v[j];
                if h < m2 {
                    if h < m1 {
                        (m2, m1, j1) = (m1, h, j);
                    } else {
                        m2 = h;
                    }
                }
            }
            if m2 <= self.bound[i] {
                // a lone target (n = 1) has no second best: bid without a gap
                return (j1, if m2.is_finite() { m2 - m1 } else { 0.0 });
            }
            self.refill(i);
        }
    }

    /// Refill source i's list with its K smallest reduced costs; the next one becomes the bound.
    fn refill(&mut self, i: usize) {
        let n = self.cost.n();
        let keep = (K + 1).min(n);
        self.tree.smallest(self.cost.source(i), &self.v, keep, &mut self.found, &mut self.stack);
        if keep > K {
            let at =
                self.found.iter().enumerate().fold(0, |w, (t, e)| if e.0 > self.found[w].0 { t } else { w });
            self.bound[i] = self.found.swap_remove(at).0;
        } else {
            self.bound[i] = f64::INFINITY;
        }
        for (slot, &(_, j)) in self.lists[i].iter_mut().zip(&self.found) {
            *slot = j;
        }
        self.len[i] = self.found.len() as u8;
    }
}

/// Column duals predicted from a coarse problem between centroids of spatially local groups of 4
/// points (so every region keeps its mass), extended to all targets by the c-transform
/// v_j = min_g (C(xc_g, y_j) − u_g).
fn coarse_duals(x: &Points, y: &Points) -> Result<Option<Vec<f64>>> {
    let n = x.nrows();
    if n < COARSE_MIN {
        return Ok(None);
    }
    let xc = quad_centroids(x);
    let coarse = assignment(&xc, &quad_centroids(y))?;
    let to_coarse = SqCost::new(y, &xc);
    let mut tree = WeightedSearch::new(to_coarse.targets(), to_coarse.dim());
    tree.refresh(&coarse.u);
    let (mut found, mut stack) = (Vec::new(), Vec::new());
    Ok(Some(
        (0..n)
            .map(|j| {
                tree.smallest(to_coarse.source(j), &coarse.u, 1, &mut found, &mut stack);
                found[0].0
            })
            .collect(),
    ))
}

/// Centroids of ⌊n/4⌋ groups of 4 nearby points, from median splits along the widest axis
/// (splits keep group boundaries: the left part's size is a multiple of 4).
fn quad_centroids(p: &Points) -> Points {
    let mut order: Vec<usize> = (0..p.nrows()).collect();
    let m = p.nrows() / 4;
    split_quads(p, &mut order[..4 * m]);
    Points::from_fn(m, p.ncols(), |g, k| {
        order[4 * g..4 * g + 4].iter().map(|&i| p[(i, k)]).sum::<f32>() / 4.0
    })
}

fn split_quads(p: &Points, idx: &mut [usize]) {
    if idx.len() <= 4 {
        return;
    }
    let axis = (0..p.ncols())
        .map(|k| {
            let (lo, hi) = idx
                .iter()
                .fold((f32::INFINITY, f32::NEG_INFINITY), |(l, h), &i| (l.min(p[(i, k)]), h.max(p[(i, k)])));
            (hi - lo, k)
        })
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map_or(0, |a| a.1);
    let mid = 4 * (idx.len() / 8).max(1);
    idx.select_nth_unstable_by(mid, |&a, &b| p[(a, axis)].total_cmp(&p[(b, axis)]));
    let (left, right) = idx.split_at_mut(mid);
    split_quads(p, left);
    split_quads(p, right);
}
