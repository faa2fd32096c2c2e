//! Exact discrete OT between n and n uniform points (math.md §2, "Exact"): the assignment
//! problem, with duals (u, v) that certify optimality to floating-point accuracy —
//! u_i + v_j ≤ C_ij for all n² pairs, equality on the matching.
//!
//! Multiscale: for n ≥ `COARSE_MIN` the problem between centroids of groups of 4 nearby points is
//! solved first and its duals, extended by the c-transform, start the fine problem. At each
//! level, ε-scaling auction phases (cheap bids, each with a budget so that a price war between
//! unbalanced clusters cannot run long) bring the duals close to optimal; then augmenting row
//! reduction matches most sources on tight edges, and shortest augmenting paths (Hungarian /
//! Jonker–Volgenant) finish exactly. Small problems use the full cost matrix (`dense.rs`), large
//! ones candidate lists from a k-d tree (`sparse.rs`): no n × n matrix is ever formed, and both
//! clouds are put in spatial order first so that nearby points are nearby in memory.

use super::cost::{SqCost, check_cloud};
use super::kdtree::KdTree;
use crate::data::{CloudFrame, Points};
use crate::error::{Error, Result};

/// Largest problem solved on the full cost matrix.
const DENSE_MAX: usize = 1024;
/// Smallest problem that is warm-started from a coarse solve.
const COARSE_MIN: usize = 64;
/// Auction phases: ε starts at `EPS_WARM` (after a coarse solve; `TREE_EPS_WARM` on the tree's
/// levels) or `EPS_COLD` times the largest cost and falls by `SCALE` while above `EPS_MIN`
/// (`DENSE_EPS_MIN` on the full matrix) times it; each phase makes at most `PHASE_BIDS` bids per
/// source.
const EPS_WARM: f64 = 1e-4;
/// At n = 65 536 (one run each, 2026-12-05) 1e-5 against 1e-4: stroke 31.0 → 21.8 s, unbalanced,
/// duplicates and gauss2gauss within 2 %, gaussians4 19.9 → 22.1 s; the worst case 31.0 → 24.2 s.
const TREE_EPS_WARM: f64 = 1e-5;
const EPS_COLD: f64 = 0.05;
const EPS_MIN: f64 = 1e-9;
/// On the full matrix the exact finish is cheaper than small-ε phases (n = 256: about 20 % less
/// time with two phases after a coarse solve than with six).
const DENSE_EPS_MIN: f64 = 1e-5;
const SCALE: f64 = 8.0;
const PHASE_BIDS: usize = 12;
/// Bids per source per phase on the full matrix (where a bid looks at all n targets).
const DENSE_PHASE_BIDS: usize = 2;

/// An optimal assignment with its dual certificate.
#[derive(Debug, Clone)]
pub struct Assignment {
    /// `perm[i]` is the target index matched to source i (the discrete Monge map σ).
    pub perm: Vec<usize>,
    /// W2² = (1/n) Σ‖x_i − y_σ(i)‖².
    pub w2sq: f64,
    /// Row duals u_i (for the summed cost Σ C_iσ(i)).
    pub u: Vec<f64>,
    /// Column duals v_j: u_i + v_j ≤ C_ij for all pairs, equality on the matching.
    pub v: Vec<f64>,
    /// Work over all levels, per unit: bids plus targets settled by augmenting-path searches.
    pub work: usize,
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
    let frames = Frames { x: CloudFrame::of(x), y: CloudFrame::of(y) };
    let s = solve_framed(x, y, &frames)?;
    Ok(frames.unframe(x, y, s))
}

/// The frames the two clouds are solved in (see `SqCost::framed`).
struct Frames {
    x: CloudFrame,
    y: CloudFrame,
}

impl Frames {
    /// Bring an assignment solved in the frames back to the clouds' own costs: σ is the same,
    /// W2² is recomputed, and C_ij = ab·C′_ij + α_i + β_j (a, b the scales, C′ the cost in the
    /// frames) gives v_j = ab·v′_j + β_j and u_i = C_iσ(i) − v_σ(i). α and β are written with the
    /// means' difference d, so that no term is larger than the costs themselves:
    /// α_i = ‖d‖² + a(a − b)‖x′_i‖² + 2a⟨d, x′_i⟩,  β_j = b(b − a)‖y′_j‖² − 2b⟨d, y′_j⟩.
    fn unframe(&self, x: &Points, y: &Points, s: Assignment) -> Assignment {
        let (a, b, dim) = (self.x.scale, self.y.scale, x.ncols());
        let d: Vec<f64> = (0..dim).map(|k| self.x.mean[k] - self.y.mean[k]).collect();
        let beta = |j: usize| {
            let yj = |k| self.y.to_frame(y[(j, k)] as f64, k);
            (0..dim).map(|k| b * (b - a) * yj(k) * yj(k) - 2.0 * b * d[k] * yj(k)).sum::<f64>()
        };
        let v: Vec<f64> = s.v.iter().enumerate().map(|(j, &vj)| a * b * vj + beta(j)).collect();
        let cost = SqCost::new(x, y);
        let c: Vec<f64> = s.perm.iter().enumerate().map(|(i, &j)| cost.at(i, j)).collect();
        let u = s.perm.iter().zip(&c).map(|(&j, ci)| ci - v[j]).collect();
        Assignment { w2sq: c.iter().sum::<f64>() / c.len() as f64, u, v, ..s }
    }
}

/// `assignment` between the clouds in their frames (duals and W2² in the frames' costs C′).
fn solve_framed(x: &Points, y: &Points, frames: &Frames) -> Result<Assignment> {
    let n = x.nrows();
    if n <= DENSE_MAX {
        return solve_level(x, y, false, frames);
    }
    // solve on both clouds in spatial order, so that nearby points sit nearby in memory (at
    // n = 65 536 the scattered reads of an i.i.d. order cost about 10 %), then map back
    let (ox, oy) = (spatial_order(x), spatial_order(y));
    let pick = |p: &Points, o: &[usize]| Points::from_fn(n, p.ncols(), |a, k| p[(o[a], k)]);
    let s = solve_level(&pick(x, &ox), &pick(y, &oy), true, frames)?;
    let (mut perm, mut u, mut v) = (vec![0; n], vec![0.0; n], vec![0.0; n]);
    for a in 0..n {
        perm[ox[a]] = oy[s.perm[a]];
        u[ox[a]] = s.u[a];
        v[oy[a]] = s.v[a];
    }
    Ok(Assignment { perm, u, v, ..s })
}

/// `solve_framed` on points in the order given (`ordered`: already in `spatial_order`): a coarse
/// solve for n ≥ `COARSE_MIN`, then this one.
fn solve_level(x: &Points, y: &Points, ordered: bool, frames: &Frames) -> Result<Assignment> {
    let n = x.nrows();
    let dense = n <= DENSE_MAX;
    let (eps_warm, eps_min) = if dense { (EPS_WARM, DENSE_EPS_MIN) } else { (TREE_EPS_WARM, EPS_MIN) };
    let (v, coarse_work, eps0) = match coarse_duals(x, y, ordered, frames)? {
        Some((v, s)) => (v, s, eps_warm),
        None => (vec![0.0; n], 0, EPS_COLD),
    };
    let cost = SqCost::framed(x, &frames.x, y, &frames.y);
    let scale = cost.max_bound().max(f64::MIN_POSITIVE);
    let schedule: Vec<f64> = std::iter::successors(Some(eps0 * scale), |e| Some(e / SCALE))
        .take_while(|&e| e > eps_min * scale)
        .collect();
    let (s, work) = if dense {
        super::dense::solve(&cost, v, &schedule, DENSE_PHASE_BIDS)
    } else {
        super::sparse::solve(&cost, v, &schedule, PHASE_BIDS)
    };
    let perm = s.row_col;
    let u: Vec<f64> = (0..n).map(|i| cost.at(i, perm[i]) - s.v[perm[i]]).collect();
    let w2sq = (0..n).map(|i| cost.at(i, perm[i])).sum::<f64>() / n as f64;
    Ok(Assignment { perm, w2sq, u, v: s.v, work: work + s.bids + coarse_work })
}

/// Column duals predicted from a coarse problem between centroids of spatially local groups of 4
/// points (so every region keeps its mass), extended to all targets by the c-transform
/// v_j = min_g (C(xc_g, y_j) − u_g). Also returns the coarse levels' work.
fn coarse_duals(x: &Points, y: &Points, ordered: bool, frames: &Frames) -> Result<Option<(Vec<f64>, usize)>> {
    let n = x.nrows();
    if n < COARSE_MIN {
        return Ok(None);
    }
    let xc = quads(x, ordered);
    let coarse = solve_framed(&xc, &quads(y, ordered), frames)?;
    let to_coarse = SqCost::framed(y, &frames.y, &xc, &frames.x);
    let mut tree = KdTree::new(to_coarse.targets(), to_coarse.dim());
    tree.refresh(&coarse.u);
    let (mut found, mut frontier) = (Vec::new(), std::collections::BinaryHeap::new());
    let v = (0..n)
        .map(|j| {
            tree.smallest(to_coarse.source(j), &coarse.u, f64::NEG_INFINITY, 1, &mut found, &mut frontier);
            found[0].0
        })
        .collect();
    Ok(Some((v, coarse.work)))
}

/// Centroids of ⌊n/4⌋ groups of 4 nearby points, consecutive in `spatial_order` (the points'
/// own order when `ordered`: the splits depend on the values only, so they would group alike).
fn quads(p: &Points, ordered: bool) -> Points {
    let order = if ordered { (0..p.nrows()).collect() } else { spatial_order(p) };
    Points::from_fn(p.nrows() / 4, p.ncols(), |g, k| {
        order[4 * g..4 * g + 4].iter().map(|&i| p[(i, k)]).sum::<f32>() / 4.0
    })
}

/// The points' indices ordered by recursive splits along the widest axis, each part's size a
/// multiple of 4 (the n mod 4 left over come last), so that every 4 consecutive ones are nearby.
fn spatial_order(p: &Points) -> Vec<usize> {
    let mut order: Vec<usize> = (0..p.nrows()).collect();
    let m = p.nrows() / 4;
    split_quads(p, &mut order[..4 * m]);
    order
}

/// Below this many points a part is split at its median; above, at the widest gap among the
/// multiples of 4 within 1/8 of the part's size around the median (on clustered data a median
/// split puts a few points of one cluster in a group with another's: such a group's centroid
/// falls between the clusters, and the coarse duals between them came out off by 4 % of the cost
/// scale at n = 16 384, 0.5 % with gap splits).
const GAP_MIN: usize = 64;

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
    let by = |a: &usize, b: &usize| p[(*a, axis)].total_cmp(&p[(*b, axis)]);
    let c = |i: usize| p[(i, axis)];
    let median = 4 * (idx.len() / 8).max(1);
    let mid = if idx.len() < GAP_MIN {
        idx.select_nth_unstable_by(median, by);
        median
    } else {
        let w = 4 * (idx.len() / 32);
        let (lo, hi) = (median - w, median + w);
        idx.select_nth_unstable_by(lo, by);
        idx[lo..].select_nth_unstable_by(hi - lo, by);
        idx[lo..=hi].sort_unstable_by(by);
        // the widest gap (the median's unless another is wider)
        let gap = |k: usize| c(idx[k]) - c(idx[k - 1]);
        (lo + 4..=hi).step_by(4).fold(median, |best, k| if gap(k) > gap(best) { k } else { best })
    };
    let (left, right) = idx.split_at_mut(mid);
    split_quads(p, left);
    split_quads(p, right);
}
