//! Metrics of math.md §5: W2², MapErr, GeoDev (with progress t̄), L2-UVP.

use super::gaussian::GaussianMap;
use crate::data::Points;

fn sq(a: &Points, i: usize, b: &Points, k: usize) -> f64 {
    (0..a.ncols()).map(|c| (a[(i, c)] as f64 - b[(k, c)] as f64).powi(2)).sum()
}

/// MapErr = Σ‖G(x_i) − y_σ(i)‖² / Σ‖y_σ(i) − x_i‖², with `y_matched` row i = y_σ(i).
pub fn map_err(x: &Points, gx: &Points, y_matched: &Points) -> f64 {
    let n = x.nrows();
    let num: f64 = (0..n).map(|i| sq(gx, i, y_matched, i)).sum();
    let den: f64 = (0..n).map(|i| sq(y_matched, i, x, i)).sum();
    num / den.max(f64::MIN_POSITIVE)
}

/// GeoDev and the progress t̄ along the discrete geodesic.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GeoDev {
    /// Σ‖p_i − t_i d_i‖² / Σ‖d_i‖².
    pub dev: f64,
    /// mean t_i.
    pub progress: f64,
}

/// d_i = y_σ(i) − x_i, p_i = G(x_i) − x_i, t_i = clamp(⟨p_i,d_i⟩/‖d_i‖², 0, 1).
pub fn geo_dev(x: &Points, gx: &Points, y_matched: &Points) -> GeoDev {
    let n = x.nrows();
    let (mut num, mut den, mut tsum) = (0.0, 0.0, 0.0);
    for i in 0..n {
        let (mut pd, mut dd, mut pp) = (0.0, 0.0, 0.0);
        for c in 0..x.ncols() {
            let d = y_matched[(i, c)] as f64 - x[(i, c)] as f64;
            let p = gx[(i, c)] as f64 - x[(i, c)] as f64;
            pd += p * d;
            dd += d * d;
            pp += p * p;
        }
        let t = if dd > 0.0 { (pd / dd).clamp(0.0, 1.0) } else { 0.0 };
        // ‖p − t d‖² = ‖p‖² − 2t⟨p,d⟩ + t²‖d‖²
        num += (pp - 2.0 * t * pd + t * t * dd).max(0.0);
        den += dd;
        tsum += t;
    }
    GeoDev { dev: num / den.max(f64::MIN_POSITIVE), progress: tsum / n.max(1) as f64 }
}

/// L2-UVP = 100 · E‖G(x) − T*(x)‖² / Var(Y), with Var(Y) = tr Cov(Y) = tr S₂.
pub fn l2_uvp(x: &Points, gx: &Points, map: &GaussianMap, var_y: f64) -> f64 {
    let n = x.nrows();
    let err: f64 = (0..n)
        .map(|i| {
            let t = map.apply([x[(i, 0)] as f64, x[(i, 1)] as f64]);
            (gx[(i, 0)] as f64 - t[0]).powi(2) + (gx[(i, 1)] as f64 - t[1]).powi(2)
        })
        .sum::<f64>()
        / n as f64;
    100.0 * err / var_y
}
