//! Steps shared by the dense and the sparse assignment solvers: the bidding steps — ε-scaling
//! auction phases (Bertsekas) and augmenting row reduction (Jonker–Volgenant) — over any way of
//! finding a source's best targets (target duals only ever decrease in them), and the flipping of
//! augmenting paths found by a search from all free sources at once.

use std::collections::VecDeque;

/// Search structures are tightened this many times per n auction bids (and, in the sparse
/// solver, per n targets settled by augmenting paths).
pub const TIGHTEN_EVERY: usize = 32;

/// No partner.
pub const NONE: usize = usize::MAX;

/// A matching with duals: row duals u, target duals v, reduced costs C_ij − u_i − v_j.
#[derive(Debug, Clone)]
pub struct State {
    /// Row duals.
    pub u: Vec<f64>,
    /// Target duals.
    pub v: Vec<f64>,
    /// Target of each source (`NONE` when free).
    pub row_col: Vec<usize>,
    /// Source of each target (`NONE` when free).
    pub col_row: Vec<usize>,
    /// Bids made (a work counter).
    pub bids: usize,
}

impl State {
    /// No source matched yet, target duals `v`.
    pub fn new(v: Vec<f64>) -> State {
        let n = v.len();
        State { u: vec![0.0; n], v, row_col: vec![NONE; n], col_row: vec![NONE; n], bids: 0 }
    }

    /// Match source i to target j, returning j's previous source (now free), if any.
    pub fn assign(&mut self, i: usize, j: usize) -> Option<usize> {
        let owner = self.col_row[j];
        if owner != NONE {
            self.row_col[owner] = NONE;
        }
        self.row_col[i] = j;
        self.col_row[j] = i;
        (owner != NONE).then_some(owner)
    }

    /// Forget the matching (duals are kept).
    pub fn unmatch_all(&mut self) {
        self.row_col.fill(NONE);
        self.col_row.fill(NONE);
    }
}

/// How a solver finds a source's best targets by h_j = C_ij − v_j, and augmenting paths.
pub trait Bidder {
    /// An augmenting-path search from all free sources goes on until it has settled
    /// ⌈free / `SEARCH_SHARE`⌉ free targets.
    const SEARCH_SHARE: usize;

    /// The matching and duals.
    fn state(&mut self) -> &mut State;

    /// (j1, h1, h2): the best target and the best and second-best values over all targets.
    fn best_two(&mut self, i: usize) -> (usize, f64, f64);

    /// A bid that keeps ε-complementary slackness: j1 within ε of the best over all targets,
    /// h1 ≤ h2 ≤ the true second-best value. The exact `best_two` by default.
    fn bid(&mut self, i: usize, _eps: f64) -> (usize, f64, f64) {
        self.best_two(i)
    }

    /// Another target than j whose value for source i is at most h, if one is known.
    fn tied(&mut self, i: usize, j: usize, h: f64) -> Option<usize>;

    /// Called every `n / TIGHTEN_EVERY` auction bids and after each auction phase, as target
    /// duals fall (a chance to tighten search structures).
    fn tighten(&mut self) {}

    /// Search shortest augmenting paths from all the free sources `roots` at once until `want`
    /// free targets are settled, update the duals and flip disjoint paths (at least one).
    /// Returns the sources still free; their row duals are stale until `solve` resets them.
    fn augment(&mut self, roots: &[usize], want: usize) -> Vec<usize>;
}

/// Solve the assignment from the bidder's target duals: auction phases at each ε of `schedule`
/// (at most `phase_bids` × n bids each), then augmenting row reduction from an empty matching,
/// then shortest augmenting paths until every source is matched (matched edges tight, duals
/// feasible on every pair).
pub fn solve<B: Bidder>(b: &mut B, schedule: &[f64], phase_bids: usize) {
    let n = b.state().v.len();
    for &eps in schedule {
        auction_phase(b, eps, phase_bids * n);
    }
    b.state().unmatch_all();
    let free = reduce_rows(b, (0..n).collect());
    let mut free = reduce_rows(b, free);
    while !free.is_empty() {
        for &i in &free {
            let h2 = b.best_two(i).1;
            b.state().u[i] = h2;
        }
        let want = free.len().div_ceil(B::SEARCH_SHARE);
        free = b.augment(&free, want);
    }
}

/// One auction phase at `eps` from an empty matching: each free source bids for its best
/// target, lowering its dual by the gap to the second best plus ε. Sources bid in turn, first
/// in first out, so a price war among a few cannot starve the others of the phase (last in first
/// out left half of the sources without a bid on clustered data). Stops after `budget` bids (a
/// price war is left to the exact finish); returns how many sources are left free.
pub fn auction_phase(b: &mut impl Bidder, eps: f64, budget: usize) -> usize {
    let n = b.state().v.len();
    b.state().unmatch_all();
    let mut queue: VecDeque<usize> = (0..n).collect();
    let mut bids = 0;
    let every = (n / TIGHTEN_EVERY).max(1);
    while bids < budget {
        let Some(i) = queue.pop_front() else { break };
        bids += 1;
        if bids % every == 0 {
            b.tighten();
        }
        let (j, h1, h2) = b.bid(i, eps);
        b.state().bids += 1;
        let gap = if h2.is_finite() { h2 - h1 } else { 0.0 }; // a lone target has no second best
        let s = b.state();
        s.v[j] -= gap + eps;
        queue.extend(s.assign(i, j));
    }
    b.tighten();
    queue.len()
}

/// Augmenting row reduction: each free source takes its best target and lowers that target's
/// dual by the gap to its second best, so both become tight for it and its row dual is exact;
/// the evicted source bids next when the dual moved, or waits. Duals stay feasible on every
/// pair and matched edges tight. At most 2n bids; returns the sources still free.
pub fn reduce_rows(b: &mut impl Bidder, mut free: Vec<usize>) -> Vec<usize> {
    let n = b.state().v.len();
    let budget = 2 * n;
    let (mut bids, mut current, mut left) = (0, 0, Vec::new());
    while current < free.len() {
        let i = free[current];
        current += 1;
        bids += 1;
        let (mut j, h1, h2) = b.best_two(i);
        b.state().bids += 1;
        let lowers = h2 > h1 && h2.is_finite() && bids <= budget;
        if lowers {
            let s = b.state();
            s.v[j] -= h2 - h1;
            s.u[i] = h2;
        } else {
            b.state().u[i] = h1;
            // a tie: take another best target if it is free, rather than evict for nothing
            if b.state().col_row[j] != NONE
                && let Some(k) = b.tied(i, j, h1).filter(|&k| b.state().col_row[k] == NONE)
            {
                j = k;
            }
        }
        if let Some(owner) = b.state().assign(i, j) {
            if lowers {
                current -= 1;
                free[current] = owner;
            } else {
                left.push(owner);
            }
        }
    }
    left
}

/// Flip the augmenting path that ends at free target `j_end`: each source on it, back to the
/// free source `root`, takes the target it reached (`pred[j]` is the source that reached j). The
/// path must not pass a source already flipped in the same search.
fn flip_path(s: &mut State, pred: &[usize], root: usize, j_end: usize) {
    let mut j = j_end;
    loop {
        let i = pred[j];
        let next = s.row_col[i];
        s.row_col[i] = j;
        s.col_row[j] = i;
        if i == root {
            break;
        }
        j = next;
    }
}

/// Flip, in the order given, each augmenting path to a free target of `ends` that shares no
/// source with a path flipped before (so the first is always flipped); sources on flipped paths
/// are marked in `used` with `stamp`.
pub fn flip_disjoint(s: &mut State, pred: &[usize], ends: &[usize], used: &mut [u32], stamp: u32) {
    let mut path = Vec::new();
    for &end in ends {
        path.clear();
        let (mut j, mut clear) = (end, true);
        let root = loop {
            let i = pred[j];
            if used[i] == stamp {
                clear = false;
                break i;
            }
            path.push(i);
            match s.row_col[i] {
                NONE => break i,
                next => j = next,
            }
        };
        if clear {
            path.iter().for_each(|&i| used[i] = stamp);
            flip_path(s, pred, root, end);
        }
    }
}

/// After a search's dual update and flips: the source of each `settled` target (the search's
/// tree, roots just matched included) gets its row dual back on its matched edge,
/// u_i = C_ij − v_j with C from `cost`, so matched edges are tight again (free targets have no
/// source; roots still free are not updated). Returns the roots still free.
pub fn retighten(
    s: &mut State,
    settled: &[usize],
    cost: impl Fn(usize, usize) -> f64,
    roots: &[usize],
) -> Vec<usize> {
    for &j in settled {
        let i = s.col_row[j];
        if i != NONE {
            let jj = s.row_col[i];
            s.u[i] = cost(i, jj) - s.v[jj];
        }
    }
    roots.iter().copied().filter(|&i| s.row_col[i] == NONE).collect()
}

/// Move `stamp` on to a value none of `marks` holds (clearing them when it wraps around).
pub fn next_stamp(stamp: &mut u32, marks: &mut [&mut Vec<u32>]) {
    *stamp = stamp.wrapping_add(1);
    if *stamp == 0 {
        marks.iter_mut().for_each(|m| m.fill(0));
        *stamp = 1;
    }
}
