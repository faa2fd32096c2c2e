//! Closed-form OT between two Gaussians (math.md §1): W2² and the linear Monge map.

use crate::data::Gaussian;

/// The Monge map T(x) = m₂ + A(x − m₁) between two Gaussians and their W2².
#[derive(Debug, Clone, PartialEq)]
pub struct GaussianMap {
    /// Symmetric positive definite matrix A.
    pub a: [[f64; 2]; 2],
    /// Source mean m₁.
    pub m1: [f64; 2],
    /// Target mean m₂.
    pub m2: [f64; 2],
    /// W2²(N(m₁,S₁), N(m₂,S₂)).
    pub w2sq: f64,
}

type M2 = [[f64; 2]; 2];

fn mul(a: &M2, b: &M2) -> M2 {
    let mut c = [[0.0; 2]; 2];
    for i in 0..2 {
        for j in 0..2 {
            c[i][j] = a[i][0] * b[0][j] + a[i][1] * b[1][j];
        }
    }
    c
}

/// Square root of a symmetric positive semi-definite 2×2 matrix:
/// √M = (M + √det M · I) / √(tr M + 2√det M).
fn sqrtm(m: &M2) -> M2 {
    let s = (m[0][0] * m[1][1] - m[0][1] * m[1][0]).max(0.0).sqrt();
    let t = (m[0][0] + m[1][1] + 2.0 * s).sqrt();
    [[(m[0][0] + s) / t, m[0][1] / t], [m[1][0] / t, (m[1][1] + s) / t]]
}

fn inv(m: &M2) -> M2 {
    let det = m[0][0] * m[1][1] - m[0][1] * m[1][0];
    [[m[1][1] / det, -m[0][1] / det], [-m[1][0] / det, m[0][0] / det]]
}

/// A = S₁^{-1/2}(S₁^{1/2} S₂ S₁^{1/2})^{1/2} S₁^{-1/2};
/// W2² = ‖m₁−m₂‖² + tr(S₁ + S₂ − 2(S₁^{1/2} S₂ S₁^{1/2})^{1/2}).
pub fn gaussian_map(p: &Gaussian, q: &Gaussian) -> GaussianMap {
    let r1 = sqrtm(&p.cov);
    let r1_inv = inv(&r1);
    let mid = sqrtm(&mul(&mul(&r1, &q.cov), &r1));
    let a = mul(&mul(&r1_inv, &mid), &r1_inv);
    let dm = (p.mean[0] - q.mean[0]).powi(2) + (p.mean[1] - q.mean[1]).powi(2);
    let tr = p.cov[0][0] + p.cov[1][1] + q.cov[0][0] + q.cov[1][1] - 2.0 * (mid[0][0] + mid[1][1]);
    GaussianMap { a, m1: p.mean, m2: q.mean, w2sq: dm + tr }
}

impl GaussianMap {
    /// T(x) = m₂ + A(x − m₁).
    pub fn apply(&self, x: [f64; 2]) -> [f64; 2] {
        let d = [x[0] - self.m1[0], x[1] - self.m1[1]];
        [
            self.m2[0] + self.a[0][0] * d[0] + self.a[0][1] * d[1],
            self.m2[1] + self.a[1][0] * d[0] + self.a[1][1] * d[1],
        ]
    }
}
