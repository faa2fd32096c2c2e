//! Squared-Euclidean costs between two point clouds, evaluated on the fly in f64.

use crate::data::{CloudFrame, Points};
use crate::error::{Error, Result};

/// C_ij = ‖x_i − y_j‖² between the rows of two clouds, evaluated on demand in f64 from flat
/// row-major copies, so no n × m matrix is ever allocated.
pub struct SqCost {
    d: usize,
    xs: Vec<f64>,
    ys: Vec<f64>,
}

impl SqCost {
    /// Costs between the rows of `x` (n × d) and `y` (m × d); the clouds must be checked first.
    pub fn new(x: &Points, y: &Points) -> SqCost {
        let id = CloudFrame::identity(x.ncols());
        SqCost::framed(x, &id, y, &id)
    }

    /// Costs between `x` in frame `fx` and `y` in frame `fy`: ‖x′_i − y′_j‖² with
    /// x′ = (x − mean)/scale, in f64. The optimal assignment is unchanged when either cloud is
    /// moved or scaled by a positive factor (only Σ⟨x_i, y_σ(i)⟩ depends on σ), so solving
    /// between the clouds in their own frames keeps a source blob of size 1 and targets spread
    /// over 10⁶ from looking all alike to the solver.
    pub fn framed(x: &Points, fx: &CloudFrame, y: &Points, fy: &CloudFrame) -> SqCost {
        let flat = |f: &CloudFrame, p: &Points| {
            let d = p.ncols();
            p.transpose().iter().enumerate().map(|(a, &v)| f.to_frame(v as f64, a % d)).collect()
        };
        SqCost { d: x.ncols(), xs: flat(fx, x), ys: flat(fy, y) }
    }

    /// Dimension of the points.
    pub fn dim(&self) -> usize {
        self.d
    }

    /// Source point i as a slice of d coordinates.
    pub fn source(&self, i: usize) -> &[f64] {
        &self.xs[i * self.d..(i + 1) * self.d]
    }

    /// All target points, flat row-major.
    pub fn targets(&self) -> &[f64] {
        &self.ys
    }

    /// An upper bound on every C_ij: the squared diagonal of the box holding both clouds.
    pub fn max_bound(&self) -> f64 {
        (0..self.d)
            .map(|k| {
                let coords =
                    self.xs.iter().skip(k).step_by(self.d).chain(self.ys.iter().skip(k).step_by(self.d));
                let (lo, hi) =
                    coords.fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), &c| (l.min(c), h.max(c)));
                (hi - lo) * (hi - lo)
            })
            .sum()
    }

    /// Number of source points.
    pub fn n(&self) -> usize {
        self.xs.len() / self.d.max(1)
    }

    /// All costs, row-major: the same values as `at`, computed a coordinate at a time over
    /// contiguous rows (which the compiler vectorises).
    pub fn matrix(&self) -> Vec<f64> {
        let (d, m) = (self.d, self.ys.len() / self.d.max(1));
        let coord: Vec<Vec<f64>> =
            (0..d).map(|k| self.ys.iter().skip(k).step_by(d).copied().collect()).collect();
        let mut c = vec![0.0; self.n() * m];
        for (i, row) in c.chunks_exact_mut(m.max(1)).enumerate() {
            for (k, yk) in coord.iter().enumerate() {
                let xk = self.xs[i * d + k];
                if k == 0 {
                    row.iter_mut().zip(yk).for_each(|(r, &y)| *r = (xk - y) * (xk - y));
                } else {
                    row.iter_mut().zip(yk).for_each(|(r, &y)| *r += (xk - y) * (xk - y));
                }
            }
        }
        c
    }

    /// One cost C_ij.
    #[inline]
    pub fn at(&self, i: usize, j: usize) -> f64 {
        let d = self.d;
        let (a, b) = (&self.xs[i * d..i * d + d], &self.ys[j * d..j * d + d]);
        a.iter().zip(b).map(|(p, q)| (p - q) * (p - q)).sum()
    }
}

/// Check that `p` is a usable point cloud: non-empty and finite; `what` names it in the error.
pub fn check_cloud(p: &Points, what: &str) -> Result<()> {
    if p.nrows() == 0 || p.ncols() == 0 {
        return Err(Error::data(None, format!("{what} is empty")));
    }
    for i in 0..p.nrows() {
        if p.row(i).iter().any(|v| !v.is_finite()) {
            return Err(Error::data(None, format!("{what} point {} (row {}) is not finite", i + 1, i + 1)));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::SqCost;
    use crate::data::Points;

    /// The full matrix holds exactly the values `at` gives, in one to three dimensions and with
    /// more targets than sources.
    #[test]
    fn the_matrix_equals_each_cost_bit_for_bit() {
        for d in 1..=3 {
            let x = Points::from_fn(5, d, |i, k| (i as f32 * 0.37 - k as f32 * 1.3).sin());
            let y = Points::from_fn(7, d, |j, k| (j as f32 * 0.71 + k as f32).cos() * 2.0);
            let cost = SqCost::new(&x, &y);
            let c = cost.matrix();
            assert_eq!(c.len(), 35);
            for i in 0..5 {
                for j in 0..7 {
                    assert_eq!(c[i * 7 + j].to_bits(), cost.at(i, j).to_bits(), "d {d}, pair ({i}, {j})");
                }
            }
        }
    }
}
