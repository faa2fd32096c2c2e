//! Distributions that can be sampled in batches: mixtures, spirals, Gaussians, toy targets, user points.

use super::Points;
use crate::rng::{self, Rng};
use std::f32::consts::PI;

/// The shape of one mixture component around its centre.
#[derive(Debug, Clone, PartialEq)]
pub enum Blob {
    /// Isotropic Gaussian with this standard deviation.
    Gaussian { std: f32 },
    /// Uniform square with this side length.
    Square { side: f32 },
}

/// Standard deviations from a Gaussian blob's centre beyond which a point is off its mode.
pub const OFF_MODE_STDS: f32 = 3.0;

/// A 2D Gaussian N(mean, cov) with a known closed form (math.md §1, Gaussian → Gaussian).
#[derive(Debug, Clone, PartialEq)]
pub struct Gaussian {
    /// Mean vector.
    pub mean: [f64; 2],
    /// Covariance matrix (symmetric positive definite).
    pub cov: [[f64; 2]; 2],
}

/// How the points of a batch are spread over the components of a mixture (math.md §1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sampling {
    /// Each point picks its component uniformly at random (counts vary, as in any real data).
    Iid,
    /// Point i goes to component i mod k, then the batch is shuffled (equal counts).
    Stratified,
}

impl Sampling {
    /// From the `sampling` key's value.
    pub fn named(name: &str) -> Sampling {
        if name == "stratified" { Sampling::Stratified } else { Sampling::Iid }
    }
}

/// A distribution of points in the plane (or latent noise in d dimensions).
#[derive(Debug, Clone, PartialEq)]
pub enum Dist {
    /// Equal-weight mixture of blobs around `centres`.
    Mixture { centres: Vec<[f32; 2]>, blob: Blob, sampling: Sampling },
    /// The W2GAN two-spirals member; `flip` rotates it by 180° (the X side).
    Spiral { flip: bool },
    /// A full-covariance Gaussian.
    Gaussian(Gaussian),
    /// Swiss roll (as in the WGAN-GP toy scripts, scaled into the plot window).
    SwissRoll,
    /// Ring of radius 1 with Gaussian radial noise.
    Ring,
    /// Two interleaving half circles (equal weight; `sampling` as for mixtures).
    Moons { sampling: Sampling },
    /// Standard normal latent noise N(0, I_dim).
    Normal { dim: usize },
    /// User points (drawn or imported), resampled with replacement plus Gaussian jitter.
    Empirical { points: Points, jitter: f32 },
}

impl Dist {
    /// Dimension of the samples.
    pub fn dim(&self) -> usize {
        match self {
            Dist::Normal { dim } => *dim,
            Dist::Empirical { points, .. } => points.ncols(),
            _ => 2,
        }
    }

    /// For a mixture, the share of the rows of `p` off every mode: farther than `OFF_MODE_STDS`
    /// standard deviations from every Gaussian blob's centre, or outside every square. Samples
    /// of the mixture itself score e^(−4.5) ≈ 1.1 % (Gaussian blobs) or 0 (squares); points
    /// between the modes count, points piled on the centres do not. None for other shapes.
    pub fn off_modes(&self, p: &Points) -> Option<f64> {
        let Dist::Mixture { centres, blob, .. } = self else { return None };
        let on = |c: &[f32; 2], x: f32, y: f32| match blob {
            Blob::Gaussian { std } => (x - c[0]).hypot(y - c[1]) <= OFF_MODE_STDS * std,
            Blob::Square { side } => (x - c[0]).abs() <= side / 2.0 && (y - c[1]).abs() <= side / 2.0,
        };
        let off = (0..p.nrows()).filter(|&i| !centres.iter().any(|c| on(c, p[(i, 0)], p[(i, 1)]))).count();
        Some(off as f64 / p.nrows().max(1) as f64)
    }

    /// Draw `n` points (n × dim).
    pub fn sample(&self, n: usize, rng: &mut Rng) -> Points {
        let mut out = Points::zeros(n, self.dim());
        match self {
            Dist::Mixture { centres, blob, sampling } => {
                for i in 0..n {
                    let c = centres[component(i, centres.len(), *sampling, rng)];
                    let (dx, dy) = match blob {
                        Blob::Gaussian { std } => (std * rng::normal(rng), std * rng::normal(rng)),
                        Blob::Square { side } => {
                            (side * (rng::uniform(rng) - 0.5), side * (rng::uniform(rng) - 0.5))
                        }
                    };
                    out[(i, 0)] = c[0] + dx;
                    out[(i, 1)] = c[1] + dy;
                }
                if *sampling == Sampling::Stratified {
                    shuffle_rows(&mut out, rng);
                }
            }
            Dist::Spiral { flip } => {
                let deg = 2.0 * PI / 360.0;
                let s = if *flip { -1.0 } else { 1.0 };
                for i in 0..n {
                    let theta = 0.001 * deg + rng::uniform(rng).sqrt() * 570.0 * deg;
                    let u1 = rng::uniform(rng);
                    let u2 = rng::uniform(rng);
                    out[(i, 0)] = 0.15 * (s * theta * theta.cos() + 0.6667 * u1);
                    out[(i, 1)] = 0.15 * (-s * theta * theta.sin() + 0.6667 * u2);
                }
            }
            Dist::Gaussian(g) => {
                let l = g.cholesky();
                for i in 0..n {
                    let z0 = rng::normal(rng) as f64;
                    let z1 = rng::normal(rng) as f64;
                    out[(i, 0)] = (g.mean[0] + l[0][0] * z0) as f32;
                    out[(i, 1)] = (g.mean[1] + l[1][0] * z0 + l[1][1] * z1) as f32;
                }
            }
            Dist::SwissRoll => {
                for i in 0..n {
                    let t = 1.5 * PI * (1.0 + 2.0 * rng::uniform(rng));
                    out[(i, 0)] = (t * t.cos() + 0.25 * rng::normal(rng)) / 7.5;
                    out[(i, 1)] = (t * t.sin() + 0.25 * rng::normal(rng)) / 7.5;
                }
            }
            Dist::Ring => {
                for i in 0..n {
                    let a = 2.0 * PI * rng::uniform(rng);
                    let r = 1.0 + 0.05 * rng::normal(rng);
                    out[(i, 0)] = r * a.cos();
                    out[(i, 1)] = r * a.sin();
                }
            }
            Dist::Moons { sampling } => {
                for i in 0..n {
                    let upper = component(i, 2, *sampling, rng) == 0;
                    let a = PI * rng::uniform(rng);
                    let (x, y) = if upper { (a.cos(), a.sin()) } else { (1.0 - a.cos(), 0.5 - a.sin()) };
                    out[(i, 0)] = 1.2 * (x - 0.5) + 0.05 * rng::normal(rng);
                    out[(i, 1)] = 1.2 * (y - 0.25) + 0.05 * rng::normal(rng);
                }
                if *sampling == Sampling::Stratified {
                    shuffle_rows(&mut out, rng);
                }
            }
            Dist::Normal { .. } => out.iter_mut().for_each(|v| *v = rng::normal(rng)),
            Dist::Empirical { points, jitter } => {
                for i in 0..n {
                    let k = rng::index(rng, points.nrows());
                    for j in 0..points.ncols() {
                        out[(i, j)] = points[(k, j)] + jitter * rng::normal(rng);
                    }
                }
            }
        }
        out
    }
}

impl Gaussian {
    /// Lower Cholesky factor L with L Lᵀ = cov.
    pub fn cholesky(&self) -> [[f64; 2]; 2] {
        let [[a, b], [_, d]] = self.cov;
        let l00 = a.sqrt();
        let l10 = b / l00;
        let l11 = (d - l10 * l10).max(0.0).sqrt();
        [[l00, 0.0], [l10, l11]]
    }
}

/// The component of point i of a batch among k: random (i.i.d.) or i mod k (stratified).
fn component(i: usize, k: usize, sampling: Sampling, rng: &mut Rng) -> usize {
    match sampling {
        Sampling::Iid => rng::index(rng, k),
        Sampling::Stratified => i % k,
    }
}

/// Shuffle the rows of `p` in place (used after assigning points to components in order).
fn shuffle_rows(p: &mut Points, rng: &mut Rng) {
    let mut order: Vec<usize> = (0..p.nrows()).collect();
    rng::shuffle(rng, &mut order);
    let src = p.clone();
    for (i, &k) in order.iter().enumerate() {
        p.set_row(i, &src.row(k));
    }
}
