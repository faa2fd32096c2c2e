//! Training methods behind one trait (math.md §3 dual family, §4 primal family). Models train and
//! answer probes with plain data; they never draw.

mod adversarial;
mod autoencoder;
mod barycentric;
pub mod catalog;
mod losses;
mod mke;
mod nets;
mod semidual;
mod w2;

pub use nets::{Net, Role};

use crate::data::{Dist, Points};
use crate::error::{Error, Result};
use crate::ot::CellRaster;
use crate::rng::Rng;
use crate::train::Config;
use serde_json::Value;

/// Which part of a training iteration to run (the page's single-step buttons).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// One critic (or dual / encoder-side) update.
    Critic,
    /// One generator (or map) update.
    Generator,
    /// A full iteration: n_critic critic updates, then one generator update.
    Both,
}

/// Named losses of one step.
pub type Losses = Vec<(&'static str, f32)>;

/// Where training batches come from: the source (X, or latent noise) and the target Y.
pub struct Batches {
    /// Source distribution.
    pub source: Dist,
    /// Target distribution.
    pub target: Dist,
    /// The run's generator of random numbers.
    pub rng: Rng,
}

impl Batches {
    /// n source samples.
    pub fn source(&mut self, n: usize) -> Points {
        self.source.sample(n, &mut self.rng)
    }

    /// n target samples.
    pub fn target(&mut self, n: usize) -> Points {
        self.target.sample(n, &mut self.rng)
    }
}

/// A training method.
pub trait Model {
    /// Run one step of `phase` on fresh batches; returns the losses.
    fn step(&mut self, phase: Phase, data: &mut Batches) -> Result<Losses>;

    /// Apply the live keys of `cfg` (learning rates, penalty weights, batch size, …).
    fn configure(&mut self, cfg: &Config);

    /// The learned map on source samples (G(x), x − ∇φ(x), the semi-discrete map, or the decoder
    /// on latent samples).
    fn apply(&mut self, x: &Points) -> Points;

    /// Critic values on the points `grid`, one entry per field (e.g. φ and ψ).
    fn critic(&mut self, _grid: &Points) -> Vec<(&'static str, Vec<f32>)> {
        Vec::new()
    }

    /// The generator's update direction at generated points (−∇ of its loss per sample).
    fn signal(&mut self, _gx: &Points) -> Option<Points> {
        None
    }

    /// The approximate Monge map x − ∇φ(x) of a learned potential.
    fn monge(&mut self, _x: &Points) -> Option<Points> {
        None
    }

    /// Laguerre cells of a semi-discrete potential on a width × height raster of [lo, hi]².
    fn cells(&self, _width: usize, _height: usize, _lo: f32, _hi: f32) -> Option<CellRaster> {
        None
    }

    /// Latent codes f(y) of target samples (autoencoders).
    fn encode(&mut self, _y: &Points) -> Option<Points> {
        None
    }

    /// Reconstructions g(f(y)) of target samples (autoencoders).
    fn reconstruct(&mut self, _y: &Points) -> Option<Points> {
        None
    }

    /// How many `Phase::Critic` steps followed by one `Phase::Generator` step make up a
    /// `Phase::Both` step (0 when a full step cannot be split that way).
    fn critic_steps(&self) -> usize {
        0
    }

    /// Whether a generator step exists (false for W2-OT and semi-dual).
    fn has_generator(&self) -> bool {
        true
    }

    /// Parameters as JSON.
    fn save(&self) -> Value;

    /// Load parameters saved by `save` from the same method and architecture.
    fn load(&mut self, v: &Value) -> Result<()>;

    /// The name of the first non-finite parameter, if any.
    fn non_finite(&self) -> Option<String>;
}

/// A method that alternates critic updates and generator updates.
pub(crate) trait TwoPlayer {
    /// One critic update; returns its loss.
    fn critic_step(&mut self, data: &mut Batches) -> Result<f32>;
    /// One generator update; returns its named losses (none without a generator).
    fn generator_step(&mut self, data: &mut Batches) -> Result<Losses>;
    /// Critic updates per full iteration (0: the method has no critic).
    fn n_critic(&self) -> usize;
    /// The name of the critic's loss.
    fn critic_name(&self) -> &'static str {
        "critic"
    }
}

/// Run `phase` of a two-player method: `n_critic` critic updates then one generator update.
pub(crate) fn alternate(m: &mut impl TwoPlayer, phase: Phase, data: &mut Batches) -> Result<Losses> {
    let mut out = Vec::new();
    if phase != Phase::Generator && m.n_critic() > 0 {
        let reps = if phase == Phase::Both { m.n_critic() } else { 1 };
        let mut l = 0.0;
        for _ in 0..reps {
            l = m.critic_step(data)?;
        }
        out.push((m.critic_name(), l));
    }
    if phase != Phase::Critic {
        out.extend(m.generator_step(data)?);
    }
    Ok(out)
}

/// "name parameter p" for the first network with a non-finite parameter.
pub(crate) fn first_non_finite(nets: &[(&str, &Net)]) -> Option<String> {
    nets.iter().find_map(|(k, n)| n.non_finite().map(|p| format!("{k} parameter {p}")))
}

/// Build the model of `cfg.method()` for data from a `dim`-dimensional source to `target`.
pub fn build(cfg: &Config, dim: usize, target: &Dist, r: &mut Rng) -> Result<Box<dyn Model>> {
    use adversarial::{Adversarial, Objective};
    use autoencoder::{Autoencoder, Penalty};
    Ok(match cfg.method() {
        "gan" => Box::new(Adversarial::new(cfg, Objective::Gan, dim, r)?),
        "wgan" => Box::new(Adversarial::new(cfg, Objective::Clipped, dim, r)?),
        "wgan-gp" => Box::new(Adversarial::new(cfg, Objective::GradientPenalty, dim, r)?),
        "wgan-lp" => Box::new(Adversarial::new(cfg, Objective::LipschitzPenalty, dim, r)?),
        "w2gan" => Box::new(w2::W2::new(cfg, dim, true, r)?),
        "w2ot" => Box::new(w2::W2::new(cfg, dim, false, r)?),
        "barycentric" => Box::new(barycentric::Barycentric::new(cfg, dim, r)?),
        "semidual" => Box::new(semidual::SemiDual::new(cfg, dim, target, r)?),
        "mke" => Box::new(mke::Mke::new(cfg, dim, r)?),
        "vae" => Box::new(Autoencoder::new(cfg, Penalty::Kl, r)?),
        "wae-gan" => Box::new(Autoencoder::new(cfg, Penalty::Adversarial, r)?),
        "wae-mmd" => Box::new(Autoencoder::new(cfg, Penalty::Mmd, r)?),
        "wvae" => Box::new(Autoencoder::new(cfg, Penalty::Sinkhorn, r)?),
        m => return Err(Error::config("method", format!("unknown method `{m}`"))),
    })
}

/// Save named networks as a JSON object {name: network}.
pub(crate) fn save_nets(nets: &[(&str, &Net)]) -> Value {
    Value::Object(
        nets.iter()
            .map(|(k, n)| (k.to_string(), serde_json::from_str(&n.mlp.to_json()).unwrap_or(Value::Null)))
            .collect(),
    )
}

/// Load named networks saved by `save_nets`; architectures must match.
pub(crate) fn load_nets(v: &Value, nets: &mut [(&str, &mut Net)]) -> Result<()> {
    for (k, n) in nets.iter_mut() {
        let item = v.get(*k).ok_or_else(|| Error::config(*k, "missing from the saved parameters"))?;
        let loaded = crate::nn::Mlp::from_json(&item.to_string())
            .map_err(|e| Error::config(*k, format!("cannot load the saved network: {e}")))?;
        if loaded.spec != n.mlp.spec {
            return Err(Error::config(
                *k,
                "saved network has a different architecture; change the config first",
            ));
        }
        n.mlp = loaded;
    }
    Ok(())
}
