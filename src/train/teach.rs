//! Teaching numbers (issue "primal family"): the blur of VAEs against WAEs on 8-Gaussians, and the
//! sandwich dual (critic) estimate ≤ exact W2² ≤ primal autoencoder objective on one generator.

use super::Trainer;
use crate::data::{Blob, Dist, Pair, Points, Side};
use crate::error::{Error, Result};
use crate::ot::assignment;
use crate::registry;
use crate::rng::{self, seeded};
use serde::Serialize;

/// Fraction of `points` within 3 standard deviations of some centre of a Gaussian mixture.
pub fn mode_coverage(points: &Points, target: &Dist) -> Result<f64> {
    let Dist::Mixture { centres, blob: Blob::Gaussian { std }, .. } = target else {
        return Err(Error::config("pair", "mode coverage needs a Gaussian-mixture target (e.g. gaussians8)"));
    };
    let r2 = (3.0 * std).powi(2);
    let near = (0..points.nrows())
        .filter(|&i| {
            centres.iter().any(|c| (points[(i, 0)] - c[0]).powi(2) + (points[(i, 1)] - c[1]).powi(2) <= r2)
        })
        .count();
    Ok(near as f64 / points.nrows().max(1) as f64)
}

/// Three estimates of W2²(g#prior, Y) for one trained autoencoder.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Sandwich {
    /// Dual estimate 2·(E φ(x) + E ψ(y)) from a W2-OT critic trained between the samples.
    pub dual: f64,
    /// Exact W2² by assignment between decoded prior samples and held-out target samples.
    pub exact: f64,
    /// The primal objective over a coupling with the exact prior as latent marginal.
    pub primal: f64,
}

/// The sandwich for a trained autoencoder `t`, with a W2-OT critic trained for `critic_steps`.
/// The primal side is a coupling of Y with prior samples whose latent marginal is exactly the
/// prior: codes f(y_i) are matched to prior samples z_σ(i) by exact assignment, and the objective is
/// (1/n) Σ ‖y_i − g(z_σ(i))‖² — an upper bound on W2² for any encoder (math.md §4, VEGAN).
pub fn sandwich(t: &mut Trainer, critic_steps: usize) -> Result<Sandwich> {
    let (y, z) = (t.eval_target().clone(), t.eval_source().clone());
    let codes =
        t.model().encode(&y).ok_or_else(|| Error::config("method", "the sandwich needs an autoencoder"))?;
    let sigma = assignment(&codes, &z)?.perm;
    let decoded = t.model().apply(&z);
    let primal =
        (0..y.nrows()).map(|i| (y.row(i) - decoded.row(sigma[i])).norm_squared() as f64).sum::<f64>()
            / y.nrows() as f64;
    let exact = assignment(&decoded, &y)?.w2sq;
    let mut r = seeded(t.cfg.seed().wrapping_add(7));
    let many = Points::from_fn(4096, z.ncols(), |_, _| rng::normal(&mut r));
    let generated = t.model().apply(&many);
    let pair = Pair {
        name: "custom".into(),
        x: Dist::Empirical { points: generated, jitter: 0.0 },
        y: t.pair.y.clone(),
    };
    let mut cfg = registry::config("w2ot")?;
    cfg.set("seed", &t.cfg.seed().to_string())?;
    cfg.set("eval_every", &critic_steps.to_string())?;
    let mut critic = Trainer::with_pair(cfg, pair)?;
    critic.run(critic_steps)?;
    let (xe, ye) = (critic.eval_source().clone(), critic.eval_target().clone());
    let phi_x = mean(&critic.model().critic(&xe)[0].1);
    let psi_y = mean(&critic.model().critic(&ye)[1].1);
    Ok(Sandwich { dual: 2.0 * (phi_x + psi_y), exact, primal })
}

fn mean(v: &[f32]) -> f64 {
    v.iter().map(|&a| a as f64).sum::<f64>() / v.len().max(1) as f64
}

/// `method` trained on gaussians8 for `steps` steps (evaluated at the end only).
pub fn trained(method: &str, steps: usize, seed: u64) -> Result<Trainer> {
    let mut cfg = registry::config(method)?;
    cfg.set("pair", "gaussians8")?;
    cfg.set("seed", &seed.to_string())?;
    cfg.set("eval_every", &steps.to_string())?;
    let mut t = Trainer::new(cfg)?;
    t.run(steps)?;
    Ok(t)
}

/// Coverage of decoded samples for VAE and WAE-MMD on gaussians8 after `steps` steps.
#[derive(Debug, Clone, Serialize)]
pub struct Blur {
    /// (method, fraction of samples within 3 std of a mode, W2² to Y).
    pub methods: Vec<(String, f64, f64)>,
}

/// Train each autoencoder in `methods` on gaussians8 and measure how many decoded samples land on a mode.
pub fn blur(methods: &[&str], steps: usize, seed: u64) -> Result<Blur> {
    let mut out = Vec::new();
    for m in methods {
        let mut t = trained(m, steps, seed)?;
        let z = t.eval_source().clone();
        let g = t.model().apply(&z);
        let w2 = t.last_eval().map_or(f64::NAN, |e| e.w2sq);
        out.push((m.to_string(), mode_coverage(&g, t.pair.side(Side::Y))?, w2));
    }
    Ok(Blur { methods: out })
}
