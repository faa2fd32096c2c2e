//! A k-d tree over target points answering "the k smallest ‖x − y_j‖² − w_j" by branch and bound.
//!
//! Each node stores a plane w ≈ a + ⟨b, y⟩ fitted to its points' weights and the largest residual
//! r = max (w_j − a − ⟨b, y_j⟩). Then for every point of the node
//! ‖x − y‖² − w ≥ ‖y − q‖² − ‖q‖² + ‖x‖² − a − r with q = x + b/2, so the distance from q to the
//! node's box gives a lower bound that is tight where w is locally affine (as dual potentials
//! are). Bounds stay valid while weights only decrease, as in the auction.

/// Points per leaf.
const LEAF: usize = 16;
/// Below this many points a linear scan beats the tree.
const SCAN_MAX: usize = 128;

/// "k smallest ‖x − y_j‖² − w_j" over fixed targets: a linear scan for few targets, else the tree.
pub enum WeightedSearch {
    /// Flat row-major points and their dimension.
    Scan(Vec<f64>, usize),
    /// Branch and bound.
    Tree(KdTree),
}

impl WeightedSearch {
    /// Index the flat row-major points `flat` in dimension `d`.
    pub fn new(flat: &[f64], d: usize) -> Self {
        if flat.len() / d <= SCAN_MAX {
            WeightedSearch::Scan(flat.to_vec(), d)
        } else {
            WeightedSearch::Tree(KdTree::new(flat, d))
        }
    }

    /// Update bounds after weights increased (weights may decrease freely between refreshes).
    pub fn refresh(&mut self, w: &[f64]) {
        if let WeightedSearch::Tree(t) = self {
            t.refresh(w);
        }
    }

    /// The `keep` smallest values of ‖x − y_j‖² − w_j as (value, j), unordered, in `out`.
    pub fn smallest(
        &self,
        x: &[f64],
        w: &[f64],
        keep: usize,
        out: &mut Vec<(f64, u32)>,
        stack: &mut Vec<(f64, usize)>,
    ) {
        match self {
            WeightedSearch::Tree(t) => t.smallest(x, w, keep, out, stack),
            WeightedSearch::Scan(pts, d) => {
                out.clear();
                let keep = keep.min(w.len());
                let (mut worst, mut worst_at) = (f64::INFINITY, 0usize);
                for (j, y) in pts.chunks_exact(*d).enumerate() {
                    let c: f64 = x.iter().zip(y).map(|(a, b)| (a - b) * (a - b)).sum();
                    offer(out, keep, (c - w[j], j as u32), &mut worst, &mut worst_at);
                }
            }
        }
    }
}

/// Keep the `keep` smallest entries in `out`, tracking the largest kept value and its slot.
#[inline]
fn offer(out: &mut Vec<(f64, u32)>, keep: usize, e: (f64, u32), worst: &mut f64, worst_at: &mut usize) {
    if out.len() < keep {
        out.push(e);
        if out.len() == keep {
            (*worst, *worst_at) = max_at(out);
        }
    } else if e.0 < *worst {
        out[*worst_at] = e;
        (*worst, *worst_at) = max_at(out);
    }
}

struct Node {
    start: usize,
    end: usize,
    /// Children (0 for a leaf; node 0 is the root and never a child).
    left: usize,
    right: usize,
    /// Plane offset a and the largest residual r of the weights over the node.
    a: f64,
    r: f64,
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
    /// Plane slopes b, d values per node.
    slopes: Vec<f64>,
    /// Whether the slopes have been fitted.
    fitted: bool,
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
            slopes: Vec::new(),
            fitted: false,
        };
        t.build(flat, 0, n);
        t.slopes = vec![0.0; t.nodes.len() * d];
        t.pts =
            t.idx.iter().flat_map(|&j| flat[j as usize * d..j as usize * d + d].iter().copied()).collect();
        t
    }

    fn build(&mut self, flat: &[f64], start: usize, end: usize) -> usize {
        let d = self.d;
        let id = self.nodes.len();
        self.nodes.push(Node { start, end, left: 0, right: 0, a: 0.0, r: f64::INFINITY });
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
        if end - start > LEAF {
            let axis = (0..d).max_by(|&a, &b| (hi[a] - lo[a]).total_cmp(&(hi[b] - lo[b]))).unwrap_or(0);
            let mid = (start + end) / 2;
            self.idx[start..end].select_nth_unstable_by(mid - start, |&a, &b| {
                flat[a as usize * d + axis].total_cmp(&flat[b as usize * d + axis])
            });
            let left = self.build(flat, start, mid);
            let right = self.build(flat, mid, end);
            self.nodes[id].left = left;
            self.nodes[id].right = right;
        }
        id
    }

    /// Refit every node's plane offset and residual bound to the weights `w` (by original index);
    /// the slopes are fitted on the first call only (potentials keep their shape as they refine).
    pub fn refresh(&mut self, w: &[f64]) {
        let d = self.d;
        let mut scratch = vec![0.0; d * d + 2 * d];
        let fit = !self.fitted;
        self.fitted = true;
        for id in 0..self.nodes.len() {
            let (start, end) = (self.nodes[id].start, self.nodes[id].end);
            let (cov, rest) = scratch.split_at_mut(d * d);
            let (mean, b) = rest.split_at_mut(d);
            if fit {
                self.fit_slope(start, end, w, cov, mean, b);
            } else {
                b.copy_from_slice(&self.slopes[id * d..(id + 1) * d]);
            }
            let pts = &self.pts[start * d..end * d];
            let ids = &self.idx[start..end];
            let resid = |p: usize| w[ids[p] as usize] - (0..d).map(|k| b[k] * pts[p * d + k]).sum::<f64>();
            let a = (0..end - start).map(resid).sum::<f64>() / (end - start) as f64;
            let r = (0..end - start).map(|p| resid(p) - a).fold(f64::NEG_INFINITY, f64::max);
            self.nodes[id].a = a;
            self.nodes[id].r = r;
            self.slopes[id * d..(id + 1) * d].copy_from_slice(b);
        }
    }

    /// Least-squares slope `b` of w over the points start..end (zero when degenerate), using
    /// `cov` (d×d) and `mean` (d) as scratch.
    fn fit_slope(
        &self,
        start: usize,
        end: usize,
        w: &[f64],
        cov: &mut [f64],
        mean: &mut [f64],
        b: &mut [f64],
    ) {
        let d = self.d;
        let m = (end - start) as f64;
        let pts = &self.pts[start * d..end * d];
        let ids = &self.idx[start..end];
        for (k, mk) in mean.iter_mut().enumerate().take(d) {
            *mk = pts.iter().skip(k).step_by(d).sum::<f64>() / m;
        }
        let wm = ids.iter().map(|&j| w[j as usize]).sum::<f64>() / m;
        // normal equations (covariance of y, right-hand side cov(y, w)), ridge-regularised
        cov.fill(0.0);
        b.fill(0.0);
        for (p, &j) in ids.iter().enumerate() {
            let wp = w[j as usize] - wm;
            for k in 0..d {
                let yk = pts[p * d + k] - mean[k];
                b[k] += yk * wp;
                for l in 0..d {
                    cov[k * d + l] += yk * (pts[p * d + l] - mean[l]);
                }
            }
        }
        let ridge = 1e-9 * (0..d).map(|k| cov[k * d + k]).sum::<f64>() + 1e-300;
        (0..d).for_each(|k| cov[k * d + k] += ridge);
        solve_spd(cov, b, d);
        if !b.iter().all(|v| v.is_finite()) {
            b.fill(0.0);
        }
    }

    /// Lower bound on ‖x − y‖² − w over node `id`'s points.
    fn lower_bound(&self, id: usize, x: &[f64], x2: f64) -> f64 {
        let d = self.d;
        let bx = &self.boxes[2 * d * id..2 * d * (id + 1)];
        let slope = &self.slopes[d * id..d * (id + 1)];
        let (mut dist, mut q2) = (0.0, 0.0);
        for k in 0..d {
            let q = x[k] + 0.5 * slope[k];
            let e = (bx[k] - q).max(q - bx[d + k]).max(0.0);
            dist += e * e;
            q2 += q * q;
        }
        let node = &self.nodes[id];
        let lb = dist - q2 + x2 - node.a - node.r;
        // widen by the rounding error of the terms so the bound never exceeds the true minimum
        lb - 1e-14 * (dist + q2 + x2 + node.a.abs() + node.r.abs())
    }

    /// The `keep` smallest values of ‖x − y_j‖² − w_j as (value, j), unordered, in `out`.
    /// Requires `refresh` since any weight increased (decreases keep the bounds valid).
    pub fn smallest(
        &self,
        x: &[f64],
        w: &[f64],
        keep: usize,
        out: &mut Vec<(f64, u32)>,
        stack: &mut Vec<(f64, usize)>,
    ) {
        out.clear();
        let keep = keep.min(self.idx.len());
        if keep == 0 {
            return;
        }
        let d = self.d;
        let (mut worst, mut worst_at) = (f64::INFINITY, 0usize);
        stack.clear();
        let x2: f64 = x.iter().map(|v| v * v).sum();
        stack.push((self.lower_bound(0, x, x2), 0));
        while let Some((lb, id)) = stack.pop() {
            if out.len() == keep && lb >= worst {
                continue;
            }
            let node = &self.nodes[id];
            if node.left == 0 {
                for p in node.start..node.end {
                    let y = &self.pts[p * d..p * d + d];
                    let c: f64 = x.iter().zip(y).map(|(a, b)| (a - b) * (a - b)).sum();
                    let j = self.idx[p];
                    offer(out, keep, (c - w[j as usize], j), &mut worst, &mut worst_at);
                }
            } else {
                let (l, r) = (node.left, node.right);
                let lbl = self.lower_bound(l, x, x2);
                let lbr = self.lower_bound(r, x, x2);
                // push the farther child first so the nearer one is explored next
                if lbl < lbr {
                    stack.push((lbr, r));
                    stack.push((lbl, l));
                } else {
                    stack.push((lbl, l));
                    stack.push((lbr, r));
                }
            }
        }
    }
}

fn max_at(v: &[(f64, u32)]) -> (f64, usize) {
    v.iter().enumerate().fold((f64::NEG_INFINITY, 0), |acc, (t, e)| if e.0 > acc.0 { (e.0, t) } else { acc })
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
