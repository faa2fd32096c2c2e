//! A k-d tree over target points answering "the k smallest ‖x − y_j‖² − w_j" by branch and bound.
//!
//! Each node stores a model of its points' weights, curvatures a and slopes b fitted by least
//! squares, and an offset bound top ≥ max (w_j − Σ_k (a_k y_jk² + b_k y_jk)). Then for every
//! point of the node ‖x − y‖² − w ≥ ‖x‖² − top + Σ_k ((1 − a_k) y_k² − (2 x_k + b_k) y_k), whose
//! least value over the node's box is a lower bound, tight where w is locally quadratic (as dual
//! potentials are: ‖y‖² minus a convex function). Bounds stay valid while weights only decrease
//! (as target duals do in the solver).
//! Points can be excluded from the searches and included again; nodes count their included
//! points, so a search skips excluded regions at once.
//!
//! A search visits nodes best first, in the order of their bounds: dual potentials are noisy at
//! the scale of the few values sought, so bounds are loose by about that much, and a depth-first
//! search took in poor values early and visited several times more leaves.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// A queue entry (value, index) ordered so that `BinaryHeap` pops the smallest value first (ties:
/// the smallest index); also the sparse solver's Dijkstra queue entry.
pub struct Entry(pub f64, pub usize);

impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Entry {}
impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Entry {
    fn cmp(&self, other: &Self) -> Ordering {
        other.0.total_cmp(&self.0).then(other.1.cmp(&self.1))
    }
}

/// Points per leaf.
const LEAF: usize = 32;
/// Below this many points a linear scan beats the tree.
const SCAN_MAX: usize = 128;

/// Keep the `keep` smallest entries in `out`, arranged as a binary max-heap on the value (so
/// `out[0]` is the largest kept value).
#[inline]
fn offer(out: &mut Vec<(f64, u32)>, keep: usize, e: (f64, u32)) {
    if out.len() < keep {
        out.push(e);
        let mut k = out.len() - 1;
        while k > 0 {
            let parent = (k - 1) / 2;
            if out[parent].0 >= out[k].0 {
                break;
            }
            out.swap(parent, k);
            k = parent;
        }
    } else if e.0 < out[0].0 {
        out[0] = e;
        let (len, mut k) = (out.len(), 0);
        loop {
            let (l, r) = (2 * k + 1, 2 * k + 2);
            let mut top = k;
            if l < len && out[l].0 > out[top].0 {
                top = l;
            }
            if r < len && out[r].0 > out[top].0 {
                top = r;
            }
            if top == k {
                break;
            }
            out.swap(top, k);
            k = top;
        }
    }
}

/// The largest value kept by `offer` (infinite until `keep` entries are kept).
#[inline]
fn worst(out: &[(f64, u32)], keep: usize) -> f64 {
    if out.len() < keep { f64::INFINITY } else { out[0].0 }
}

struct Node {
    start: usize,
    end: usize,
    /// Children (0 for a leaf; node 0 is the root and never a child).
    left: usize,
    right: usize,
    /// Parent (the root is its own parent).
    parent: usize,
    /// Points of the node not excluded.
    live: u32,
    /// The weights' offset bound over the node's points: w_j ≤ top + Σ_k (a_k y_jk² + b_k y_jk).
    top: f64,
    /// The most Σ_k (|a_k| y_k² + |b_k y_k|) reaches over the node's box (the size of the terms
    /// whose rounding a leaf's top carries).
    model_size: f64,
}

/// Static k-d tree over n points in d dimensions.
pub struct KdTree {
    d: usize,
    /// Points in tree order, flat row-major.
    pts: Vec<f64>,
    /// Original index of each point in tree order.
    idx: Vec<u32>,
    nodes: Vec<Node>,
    /// Bounding boxes, 2d values per node: lows then highs.
    boxes: Vec<f64>,
    /// Each node's model of the weights, 2d values: curvatures a, then slopes b.
    models: Vec<f64>,
    /// Whether the models have been fitted.
    fitted: bool,
    /// Tree position of each original index, and the leaf holding it.
    pos_of: Vec<u32>,
    leaf_of: Vec<u32>,
    /// Excluded flag per tree position.
    excluded: Vec<bool>,
}

impl KdTree {
    /// Build over the flat row-major points `flat` (n·d values).
    pub fn new(flat: &[f64], d: usize) -> KdTree {
        let n = flat.len() / d;
        let mut t = KdTree {
            d,
            pts: Vec::new(),
            idx: (0..n as u32).collect(),
            nodes: Vec::with_capacity(2 * n / LEAF + 2),
            boxes: Vec::new(),
            models: Vec::new(),
            fitted: false,
            pos_of: vec![0; n],
            leaf_of: vec![0; n],
            excluded: vec![false; n],
        };
        // few points: one leaf, a linear scan
        let leaf = if n <= SCAN_MAX { n.max(1) } else { LEAF };
        t.build(flat, 0, n, 0, leaf);
        t.models = vec![0.0; t.nodes.len() * 2 * d];
        t.pts =
            t.idx.iter().flat_map(|&j| flat[j as usize * d..j as usize * d + d].iter().copied()).collect();
        for (id, node) in t.nodes.iter().enumerate() {
            if node.left == 0 {
                for p in node.start..node.end {
                    let j = t.idx[p] as usize;
                    (t.pos_of[j], t.leaf_of[j]) = (p as u32, id as u32);
                }
            }
        }
        t
    }

    fn build(&mut self, flat: &[f64], start: usize, end: usize, parent: usize, leaf: usize) -> usize {
        let d = self.d;
        let id = self.nodes.len();
        let live = (end - start) as u32;
        self.nodes.push(Node {
            start,
            end,
            left: 0,
            right: 0,
            parent,
            live,
            top: f64::INFINITY,
            model_size: 0.0,
        });
        let (mut lo, mut hi) = (vec![f64::INFINITY; d], vec![f64::NEG_INFINITY; d]);
        for &j in &self.idx[start..end] {
            for k in 0..d {
                let c = flat[j as usize * d + k];
                lo[k] = lo[k].min(c);
                hi[k] = hi[k].max(c);
            }
        }
        self.boxes.extend(&lo);
        self.boxes.extend(&hi);
        if end - start > leaf {
            let axis = (0..d).max_by(|&a, &b| (hi[a] - lo[a]).total_cmp(&(hi[b] - lo[b]))).unwrap_or(0);
            let mid = (start + end) / 2;
            self.idx[start..end].select_nth_unstable_by(mid - start, |&a, &b| {
                flat[a as usize * d + axis].total_cmp(&flat[b as usize * d + axis])
            });
            let left = self.build(flat, start, mid, id, leaf);
            let right = self.build(flat, mid, end, id, leaf);
            self.nodes[id].left = left;
            self.nodes[id].right = right;
        }
        id
    }

    /// Leave target j out of the searches (or bring it back with `include`).
    pub fn exclude(&mut self, j: usize) {
        self.set_excluded(j, true);
    }

    /// Bring target j back into the searches.
    pub fn include(&mut self, j: usize) {
        self.set_excluded(j, false);
    }

    fn set_excluded(&mut self, j: usize, out: bool) {
        let p = self.pos_of[j] as usize;
        if self.excluded[p] == out {
            return;
        }
        self.excluded[p] = out;
        let mut id = self.leaf_of[j] as usize;
        loop {
            let node = &mut self.nodes[id];
            if out {
                node.live -= 1;
            } else {
                node.live += 1;
            }
            if id == 0 {
                break;
            }
            id = node.parent;
        }
    }

    /// Bound every node's weights from above by its model w ≤ top + Σ_k (a_k y_k² + b_k y_k) for
    /// the weights `w` (by original index); the models are fitted on the first call only
    /// (potentials keep their shape as they refine). Exact at the leaves; an internal node takes
    /// the largest of its children's bounds, each raised by the most its child's model exceeds its
    /// own over the child's box — O(n) work, so it can run often.
    pub fn refresh(&mut self, w: &[f64]) {
        let d = self.d;
        if !self.fitted {
            self.fitted = true;
            for id in 0..self.nodes.len() {
                let (start, end) = (self.nodes[id].start, self.nodes[id].end);
                let model = self.fit(start, end, w);
                let bx = &self.boxes[2 * d * id..2 * d * (id + 1)];
                self.nodes[id].model_size =
                    (0..d).map(|k| terms_size(model[k], model[d + k], bx[k], bx[d + k])).sum();
                self.models[2 * d * id..2 * d * (id + 1)].copy_from_slice(&model);
            }
        }
        // children come after their parent in `nodes`
        for id in (0..self.nodes.len()).rev() {
            let node = &self.nodes[id];
            let (a, b) = self.models[2 * d * id..2 * d * (id + 1)].split_at(d);
            let top = if node.left == 0 {
                (node.start..node.end)
                    .map(|p| {
                        let y = &self.pts[p * d..(p + 1) * d];
                        w[self.idx[p] as usize] - (0..d).map(|k| (a[k] * y[k] + b[k]) * y[k]).sum::<f64>()
                    })
                    .fold(f64::NEG_INFINITY, f64::max)
            } else {
                [node.left, node.right]
                    .iter()
                    .map(|&c| {
                        let (ac, bc) = self.models[2 * d * c..2 * d * (c + 1)].split_at(d);
                        let bx = &self.boxes[2 * d * c..2 * d * (c + 1)];
                        let (mut excess, mut size) = (0.0, self.nodes[c].top.abs());
                        for k in 0..d {
                            // the most (α y² + β y) reaches over the child's extent on axis k
                            let (al, be, lo, hi) = (ac[k] - a[k], bc[k] - b[k], bx[k], bx[d + k]);
                            let f = |y: f64| (al * y + be) * y;
                            let mut most = f(lo).max(f(hi));
                            if al < 0.0 {
                                let v = -be / (2.0 * al);
                                if lo < v && v < hi {
                                    most = most.max(f(v));
                                }
                            }
                            excess += most;
                            size += terms_size(al, be, lo, hi);
                        }
                        // raised by the rounding error of the terms, so it stays an upper bound
                        self.nodes[c].top + excess + 1e-14 * size
                    })
                    .fold(f64::NEG_INFINITY, f64::max)
            };
            self.nodes[id].top = top;
        }
    }

    /// Least-squares model (a, b) of w ≈ c + Σ_k (a_k y_k² + b_k y_k) over the points start..end
    /// (zero where degenerate).
    fn fit(&self, start: usize, end: usize, w: &[f64]) -> Vec<f64> {
        let (d, m) = (self.d, (end - start) as f64);
        let f = 2 * d;
        let pts = &self.pts[start * d..end * d];
        let ids = &self.idx[start..end];
        // features y_k² then y_k, centred
        let feat =
            |p: usize, q: usize| if q < d { pts[p * d + q] * pts[p * d + q] } else { pts[p * d + q - d] };
        let mean: Vec<f64> = (0..f).map(|q| (0..ids.len()).map(|p| feat(p, q)).sum::<f64>() / m).collect();
        let wm = ids.iter().map(|&j| w[j as usize]).sum::<f64>() / m;
        // normal equations, ridge-regularised
        let (mut gram, mut rhs) = (vec![0.0; f * f], vec![0.0; f]);
        let mut row = vec![0.0; f];
        for (p, &j) in ids.iter().enumerate() {
            let wp = w[j as usize] - wm;
            for q in 0..f {
                row[q] = feat(p, q) - mean[q];
            }
            for q in 0..f {
                rhs[q] += row[q] * wp;
                for r in 0..f {
                    gram[q * f + r] += row[q] * row[r];
                }
            }
        }
        let ridge = 1e-9 * (0..f).map(|q| gram[q * f + q]).sum::<f64>() + 1e-300;
        (0..f).for_each(|q| gram[q * f + q] += ridge);
        solve_spd(&mut gram, &mut rhs, f);
        if !rhs.iter().all(|v| v.is_finite()) {
            rhs.fill(0.0);
        }
        rhs
    }

    /// Lower bound on ‖x − y‖² − w over node `id`'s points: ‖x‖² − top plus, on each axis, the
    /// least of (1 − a_k) y² − (2 x_k + b_k) y over the box.
    fn lower_bound(&self, id: usize, x: &[f64], x2: f64) -> f64 {
        let d = self.d;
        let bx = &self.boxes[2 * d * id..2 * d * (id + 1)];
        let (a, b) = self.models[2 * d * id..2 * d * (id + 1)].split_at(d);
        let (mut sum, mut size) = (0.0, 0.0);
        for k in 0..d {
            let (al, be, lo, hi) = (1.0 - a[k], 2.0 * x[k] + b[k], bx[k], bx[d + k]);
            let y = if al > 0.0 {
                (be / (2.0 * al)).clamp(lo, hi)
            } else if (al * lo - be) * lo <= (al * hi - be) * hi {
                lo
            } else {
                hi
            };
            let (t1, t2) = (al * y * y, be * y);
            sum += t1 - t2;
            size += t1.abs() + t2.abs();
        }
        let node = &self.nodes[id];
        let lb = sum + x2 - node.top;
        // widen by the rounding error of the terms, and of the model's in the top, so the bound
        // never exceeds the true minimum
        lb - 1e-14 * (size + x2 + node.top.abs() + node.model_size)
    }

    /// The `keep` smallest values of ‖x − y_j‖² − w_j at least `floor` over the included points
    /// as (value, j), in `out` (fewer when fewer are left). Requires `refresh` since any weight
    /// increased (decreases keep the bounds valid).
    pub fn smallest(
        &self,
        x: &[f64],
        w: &[f64],
        floor: f64,
        keep: usize,
        out: &mut Vec<(f64, u32)>,
        frontier: &mut BinaryHeap<Entry>,
    ) {
        out.clear();
        let keep = keep.min(self.nodes[0].live as usize);
        if keep == 0 {
            return;
        }
        let d = self.d;
        frontier.clear();
        let x2: f64 = x.iter().map(|v| v * v).sum();
        let mut vals = [0.0; SCAN_MAX];
        frontier.push(Entry(self.lower_bound(0, x, x2), 0));
        // best first: nodes in the order of their bounds, until the next cannot beat the kept
        // ones; down the nearer child while it comes first, queueing the other
        while let Some(Entry(lb, top)) = frontier.pop() {
            if lb >= worst(out, keep) {
                break;
            }
            let mut id = top;
            loop {
                let node = &self.nodes[id];
                if node.live == 0 {
                    break;
                }
                if node.left == 0 {
                    // all the leaf's values first (a loop the compiler vectorises), then the few kept
                    let (range, vals) = (node.start..node.end, &mut vals[..node.end - node.start]);
                    for (h, p) in vals.iter_mut().zip(range.clone()) {
                        let y = &self.pts[p * d..p * d + d];
                        *h = x.iter().zip(y).map(|(a, b)| (a - b) * (a - b)).sum::<f64>()
                            - w[self.idx[p] as usize];
                    }
                    for (&h, p) in vals.iter().zip(range) {
                        if h < worst(out, keep) && h >= floor && !self.excluded[p] {
                            offer(out, keep, (h, self.idx[p]));
                        }
                    }
                    break;
                }
                let cut = worst(out, keep);
                let (l, r) = (node.left, node.right);
                let (lbl, lbr) = (self.lower_bound(l, x, x2), self.lower_bound(r, x, x2));
                let ((near, lbn), (far, lbf)) =
                    if lbl <= lbr { ((l, lbl), (r, lbr)) } else { ((r, lbr), (l, lbl)) };
                if lbf < cut && self.nodes[far].live > 0 {
                    frontier.push(Entry(lbf, far));
                }
                if lbn >= cut {
                    break;
                }
                // go on down only while no queued subtree comes first
                if frontier.peek().is_some_and(|e| e.0 < lbn) {
                    frontier.push(Entry(lbn, near));
                    break;
                }
                id = near;
            }
        }
    }
}

/// The most |α| y² + |β y| reaches for y in [lo, hi]: the size of a model's terms on one axis,
/// which bounds their rounding error.
fn terms_size(alpha: f64, beta: f64, lo: f64, hi: f64) -> f64 {
    let ext = lo.abs().max(hi.abs());
    (alpha.abs() * ext + beta.abs()) * ext
}

/// Solve the symmetric positive definite system A z = b in place (Gaussian elimination, tiny d).
fn solve_spd(a: &mut [f64], b: &mut [f64], d: usize) {
    for c in 0..d {
        let piv = a[c * d + c];
        for r in c + 1..d {
            let f = a[r * d + c] / piv;
            for k in c..d {
                a[r * d + k] -= f * a[c * d + k];
            }
            b[r] -= f * b[c];
        }
    }
    for c in (0..d).rev() {
        let s: f64 = (c + 1..d).map(|k| a[c * d + k] * b[k]).sum();
        b[c] = (b[c] - s) / a[c * d + c];
    }
}

#[cfg(test)]
mod tests {
    use super::KdTree;
    use crate::rng;

    /// The k smallest ‖x − y_j‖² − w_j from `floor` up over the included points, by brute force.
    fn brute(pts: &[f64], d: usize, w: &[f64], out: &[bool], x: &[f64], floor: f64, keep: usize) -> Vec<f64> {
        let mut vals: Vec<f64> = (0..w.len())
            .filter(|&j| !out[j])
            .map(|j| (0..d).map(|k| (x[k] - pts[j * d + k]).powi(2)).sum::<f64>() - w[j])
            .filter(|&h| h >= floor)
            .collect();
        vals.sort_by(f64::total_cmp);
        vals.truncate(keep);
        vals
    }

    /// `n` standard normal points in `d` dimensions and weights shaped like dual potentials plus
    /// noise: curv·‖y‖² + y_axis + 0.05·N(0, 1), curv = `left` where y0 < 0 and `right` elsewhere.
    fn curved_cloud(
        n: usize,
        d: usize,
        (left, right): (f64, f64),
        axis: usize,
        r: &mut rng::Rng,
    ) -> (Vec<f64>, Vec<f64>) {
        let pts: Vec<f64> = (0..n * d).map(|_| rng::normal(r) as f64).collect();
        let w = (0..n)
            .map(|j| {
                let y = &pts[j * d..(j + 1) * d];
                let curv = if y[0] < 0.0 { left } else { right };
                curv * y.iter().map(|c| c * c).sum::<f64>() + y[axis] + 0.05 * rng::normal(r) as f64
            })
            .collect();
        (pts, w)
    }

    /// After a refresh every node's model bounds the weights of all its points from above, for
    /// curvatures of either sign, varying between regions (an inner node's bound comes from its
    /// children's, over their boxes).
    #[test]
    fn every_node_bounds_its_points_weights() {
        let r = &mut rng::stream(5, 2);
        for (d, left, right) in [(2, 0.6, 0.6), (3, 1.5, 1.5), (2, -1.0, 1.5), (2, 3.0, -2.0)] {
            let (pts, w) = curved_cloud(2000, d, (left, right), 1, r);
            let mut tree = KdTree::new(&pts, d);
            tree.refresh(&w);
            for (id, node) in tree.nodes.iter().enumerate() {
                let (a, b) = tree.models[2 * d * id..2 * d * (id + 1)].split_at(d);
                for p in node.start..node.end {
                    let y = &tree.pts[p * d..(p + 1) * d];
                    let model = node.top + (0..d).map(|k| (a[k] * y[k] + b[k]) * y[k]).sum::<f64>();
                    let wj = w[tree.idx[p] as usize];
                    assert!(
                        wj <= model + 1e-9 * (1.0 + wj.abs()),
                        "node {id}, a {left}/{right}: {wj} > {model}"
                    );
                }
            }
        }
    }

    /// The search stays exact while weights fall between refreshes (bounds go stale but valid),
    /// after refreshes (leaf bounds exact, inner ones built from the children), and with points
    /// excluded, from the bottom or from a floor — in two and three dimensions, with weights
    /// shaped like dual potentials plus noise.
    #[test]
    fn smallest_matches_brute_force_as_weights_fall() {
        let r = &mut rng::stream(5, 1);
        // curvatures below 1 (as dual potentials have), above 1 (where the bound's quadratic is
        // concave), and −1 left of y0 = 0 against 1.5 right of it (children curved less than
        // their parent: its model can exceed theirs most inside their boxes)
        for (d, left, right) in [(2, 0.6, 0.6), (3, 0.6, 0.6), (2, 1.5, 1.5), (2, -1.0, 1.5)] {
            let n = 3000;
            let (pts, mut w) = curved_cloud(n, d, (left, right), 0, r);
            let mut tree = KdTree::new(&pts, d);
            tree.refresh(&w);
            let mut out = vec![false; n];
            let (mut found, mut frontier) = (Vec::new(), std::collections::BinaryHeap::new());
            for round in 0..40 {
                for _ in 0..200 {
                    let j = rng::index(r, n);
                    w[j] -= 0.5 * rng::uniform(r) as f64;
                }
                if round % 3 == 0 {
                    tree.refresh(&w);
                }
                let j = rng::index(r, n);
                out[j] = !out[j];
                if out[j] {
                    tree.exclude(j)
                } else {
                    tree.include(j)
                }
                for keep in [1, 7, 40] {
                    let x: Vec<f64> = (0..d).map(|_| 1.5 * rng::normal(r) as f64).collect();
                    // from the bottom, and from above the 20 smallest (as a search extends a list)
                    let floor = match round % 2 {
                        0 => f64::NEG_INFINITY,
                        _ => brute(&pts, d, &w, &out, &x, f64::NEG_INFINITY, 20)[19],
                    };
                    tree.smallest(&x, &w, floor, keep, &mut found, &mut frontier);
                    let mut got: Vec<f64> = found.iter().map(|e| e.0).collect();
                    got.sort_by(f64::total_cmp);
                    let want = brute(&pts, d, &w, &out, &x, floor, keep);
                    assert_eq!(got.len(), want.len());
                    for (g, e) in got.iter().zip(&want) {
                        assert!(
                            (g - e).abs() <= 1e-12 * (1.0 + e.abs()),
                            "d {d} a {left}/{right} keep {keep}: {g} vs {e}"
                        );
                    }
                }
            }
        }
    }
}
