//! Squared-Euclidean costs between two point clouds, evaluated on the fly in f64.

use crate::data::Points;
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
        let flat = |p: &Points| p.transpose().iter().map(|&v| v as f64).collect();
        SqCost { d: x.ncols(), xs: flat(x), ys: flat(y) }
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
