//! The assignment problem without a cost matrix, for large problems: each source keeps a short
//! list of candidate targets from a k-d tree weighted by the target duals, with a lower bound on
//! all the others, and the bidding steps of `lap.rs` work on those lists. The rows still free
//! then get shortest augmenting paths, searched from all of them at once, in which a source's
//! unlisted targets enter as one entry at their lower bound and are listed when that entry comes
//! first — so the search is exact over all n² pairs, and the duals stay feasible on all of them.

use super::cost::SqCost;
use super::kdtree::{Entry, KdTree};
use super::lap::{Bidder, NONE, State, TIGHTEN_EVERY, flip_disjoint, next_stamp, retighten};
use std::collections::BinaryHeap;

/// Candidate targets listed per source.
const K: usize = 10;

/// Solver state: matching and duals, candidate lists with bounds, the tree, Dijkstra scratch.
struct Sparse<'c> {
    cost: &'c SqCost,
    n: usize,
    tree: KdTree,
    s: State,
    /// Candidate targets of each source.
    lists: Vec<Vec<u32>>,
    /// A lower bound on C_ij − v_j over the targets j source i has not listed; it stays valid
    /// as target duals fall.
    bound: Vec<f64>,
    /// Per source in the current search: the bound over its unlisted targets not yet settled,
    /// how many targets it last asked the tree for, and the distance it joined the tree at.
    local: Vec<f64>,
    asked: Vec<usize>,
    reach: Vec<f64>,
    /// Per target in the current search: distance, the source that reached it, stamps.
    dist: Vec<f64>,
    pred: Vec<usize>,
    seen: Vec<u32>,
    done: Vec<u32>,
    stamp: u32,
    settled: Vec<usize>,
    /// Dijkstra's queue of (distance, node): nodes below n are targets, node n + i stands for
    /// the targets source i has not listed yet, at their lower bound.
    heap: BinaryHeap<Entry>,
    scans: usize,
    found: Vec<(f64, u32)>,
    /// The tree searches' frontier.
    frontier: BinaryHeap<Entry>,
    /// Sources on a flipped path, marked with the search's stamp.
    used: Vec<u32>,
    /// Stamps marking the targets of the list being extended.
    mark: Vec<u32>,
    mark_stamp: u32,
    /// Targets settled by the searches since the tree was last tightened.
    moved: usize,
}

/// Solve from target duals `v` with auction phases at each ε of `schedule` first (at most
/// `phase_bids` × n bids each). Returns the state (every source matched, matched edges tight,
/// duals feasible on every pair) and the targets settled by the augmenting-path searches.
pub fn solve(cost: &SqCost, v: Vec<f64>, schedule: &[f64], phase_bids: usize) -> (State, usize) {
    let n = cost.n();
    let mut tree = KdTree::new(cost.targets(), cost.dim());
    tree.refresh(&v);
    let mut p = Sparse {
        cost,
        n,
        tree,
        s: State::new(v),
        lists: vec![Vec::new(); n],
        bound: vec![f64::INFINITY; n],
        local: vec![f64::INFINITY; n],
        asked: vec![0; n],
        reach: vec![0.0; n],
        dist: vec![0.0; n],
        pred: vec![NONE; n],
        seen: vec![0; n],
        done: vec![0; n],
        stamp: 0,
        settled: Vec::new(),
        heap: BinaryHeap::new(),
        scans: 0,
        found: Vec::new(),
        frontier: BinaryHeap::new(),
        used: vec![0; n],
        mark: vec![0; n],
        mark_stamp: 0,
        moved: 0,
    };
    for i in 0..n {
        p.refill(i);
    }
    super::lap::solve(&mut p, schedule, phase_bids);
    (p.s, p.scans)
}

impl Bidder for Sparse<'_> {
    /// A search that went on to a quarter of the free targets floods less of a cluster.
    const SEARCH_SHARE: usize = 4;

    fn state(&mut self) -> &mut State {
        &mut self.s
    }

    /// Exact over all targets: from the list while its second best is within the bound, else
    /// after a refill.
    fn best_two(&mut self, i: usize) -> (usize, f64, f64) {
        loop {
            let (j1, h1, h2) = self.listed_two(i);
            if h2 <= self.bound[i] || self.lists[i].len() >= self.n {
                return (j1, h1, h2);
            }
            self.refill(i);
        }
    }

    /// The best listed target if no unlisted one can beat it by more than ε, and as second
    /// best the smaller of the listed one and the bound (so the dual falls by at most the true
    /// gap): only a best value above the bound + ε needs a refill.
    fn bid(&mut self, i: usize, eps: f64) -> (usize, f64, f64) {
        loop {
            let (j1, h1, h2) = self.listed_two(i);
            if h1 <= self.bound[i] + eps || self.lists[i].len() >= self.n {
                return (j1, h1, h2.min(self.bound[i]).max(h1));
            }
            self.refill(i);
        }
    }

    fn tied(&mut self, i: usize, j: usize, h: f64) -> Option<usize> {
        let (cost, v) = (self.cost, &self.s.v);
        self.lists[i].iter().map(|&k| k as usize).find(|&k| k != j && cost.at(i, k) - v[k] <= h)
    }

    /// Target duals only fell since the last refresh: tighten the tree's bounds.
    fn tighten(&mut self) {
        self.tree.refresh(&self.s.v);
    }

    /// A search, then the tree is tightened once the searches have settled n / TIGHTEN_EVERY
    /// targets (each lowers the duals of the targets it settled).
    fn augment(&mut self, roots: &[usize], want: usize) -> Vec<usize> {
        let free = self.search(roots, want);
        self.moved += self.settled.len();
        if self.moved >= self.n / TIGHTEN_EVERY {
            self.tighten();
            self.moved = 0;
        }
        free
    }
}

impl Sparse<'_> {
    /// Reduced cost C_ij − u_i − v_j.
    fn reduced(&self, i: usize, j: usize) -> f64 {
        self.cost.at(i, j) - self.s.u[i] - self.s.v[j]
    }

    /// Best and second-best C_ij − v_j over source i's list: (j1, h1, h2).
    fn listed_two(&self, i: usize) -> (usize, f64, f64) {
        let (mut h1, mut h2, mut j1) = (f64::INFINITY, f64::INFINITY, 0);
        for &j in &self.lists[i] {
            let h = self.cost.at(i, j as usize) - self.s.v[j as usize];
            if h < h2 {
                if h < h1 {
                    (h2, h1, j1) = (h1, h, j as usize);
                } else {
                    h2 = h;
                }
            }
        }
        (j1, h1, h2)
    }

    /// Add source i's `keep` best targets by C_ij − v_j from `floor` up among those the tree
    /// includes (all of them outside a search, those not yet settled inside one) to its list,
    /// and bound the rest in `local[i]`. Every included target below `floor` must be listed.
    fn fill(&mut self, i: usize, floor: f64, keep: usize) {
        self.asked[i] = keep;
        let x = self.cost.source(i);
        self.tree.smallest(x, &self.s.v, floor, keep, &mut self.found, &mut self.frontier);
        next_stamp(&mut self.mark_stamp, &mut [&mut self.mark]);
        for &j in &self.lists[i] {
            self.mark[j as usize] = self.mark_stamp;
        }
        let mut hi = f64::NEG_INFINITY;
        for &(c, j) in &self.found {
            hi = hi.max(c);
            if self.mark[j as usize] != self.mark_stamp {
                self.lists[i].push(j);
            }
        }
        // every included target not returned is at least as far as the farthest one returned
        self.local[i] = if self.found.len() < keep { f64::INFINITY } else { hi };
    }

    /// Replace source i's list by its K + 1 best targets over all of them (outside a search)
    /// and set its lasting bound.
    fn refill(&mut self, i: usize) {
        self.lists[i].clear();
        self.fill(i, f64::NEG_INFINITY, K + 1);
        self.bound[i] = self.local[i];
    }

    /// Dijkstra from all the free sources `roots` at once over reduced costs until `want` free
    /// targets are settled (settled targets leave the tree's searches while it runs); then update
    /// the duals (Hungarian method, at the distance of the last one) and flip, in the order their
    /// targets were settled, each path to those targets that shares no source with one flipped
    /// before (the first always is). Returns the sources still free.
    fn search(&mut self, roots: &[usize], want: usize) -> Vec<usize> {
        next_stamp(&mut self.stamp, &mut [&mut self.seen, &mut self.done, &mut self.used]);
        self.heap.clear();
        self.settled.clear();
        for &root in roots {
            self.enter(root, 0.0);
        }
        let mut ends = Vec::new();
        let d_end = loop {
            let Some(Entry(d, node)) = self.heap.pop() else {
                unreachable!("a free source always reaches a free target: every pair is an edge")
            };
            if node >= self.n {
                let i = node - self.n;
                if d == self.pending(i) {
                    // source i's unlisted targets may come next: list more of those not settled
                    // doubling also ends a run of ties at the floor: each fill returns more of them
                    let listed = self.lists[i].len();
                    self.fill(i, self.local[i], 2 * self.asked[i].max(K));
                    self.relax(i, listed);
                }
                continue;
            }
            let j = node;
            if self.done[j] == self.stamp || d > self.dist[j] {
                continue;
            }
            self.done[j] = self.stamp;
            self.settled.push(j);
            self.tree.exclude(j);
            self.scans += 1;
            match self.s.col_row[j] {
                NONE => {
                    ends.push(j);
                    if ends.len() == want {
                        break d;
                    }
                }
                owner => self.enter(owner, d),
            }
        };
        for idx in 0..self.settled.len() {
            let j = self.settled[idx];
            self.s.v[j] -= d_end - self.dist[j];
            self.tree.include(j);
        }
        // every path to a settled free target is tight now
        flip_disjoint(&mut self.s, &self.pred, &ends, &mut self.used, self.stamp);
        let cost = self.cost;
        retighten(&mut self.s, &self.settled, |i, j| cost.at(i, j), roots)
    }

    /// Where source i's bound entry sits in the current search.
    fn pending(&self, i: usize) -> f64 {
        self.reach[i] + (self.local[i] - self.s.u[i]).max(0.0)
    }

    /// Source i joins the tree at distance `d`; until expanded, its lasting bound stands for
    /// its unlisted targets.
    fn enter(&mut self, i: usize, d: f64) {
        self.reach[i] = d;
        self.asked[i] = 0;
        self.local[i] = self.bound[i];
        self.relax(i, 0);
    }

    /// Relax source i's listed edges from position `from` on (those before were relaxed at the
    /// same distance) and queue its bound entry.
    fn relax(&mut self, i: usize, from: usize) {
        let d = self.reach[i];
        for idx in from..self.lists[i].len() {
            let j = self.lists[i][idx] as usize;
            if self.done[j] == self.stamp {
                continue;
            }
            let nd = d + self.reduced(i, j).max(0.0);
            if self.seen[j] != self.stamp || nd < self.dist[j] {
                self.seen[j] = self.stamp;
                self.dist[j] = nd;
                self.pred[j] = i;
                self.heap.push(Entry(nd, j));
            }
        }
        if self.local[i].is_finite() {
            self.heap.push(Entry(self.pending(i), self.n + i));
        }
    }
}
