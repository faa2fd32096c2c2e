//! The trait every method's model implements: critic and generator updates on batches, and probes
//! that answer with plain data (models never draw).

use super::config::Config;
use crate::data::{Dist, Points, Window};
use crate::error::Result;
use crate::ot::CellRaster;
use crate::rng::{self, Rng};
use serde_json::Value;

/// Named losses of one update.
pub type Losses = Vec<(&'static str, f32)>;

/// What a model is built for.
pub struct Setup<'a> {
    /// Dimension of the source samples (2 in map mode, the latent dimension in generative mode).
    pub source_dim: usize,
    /// The target distribution (the semi-dual method samples its target points from it).
    pub target: &'a Dist,
}

/// Where training batches come from, each from its own random stream derived from the seed.
pub struct Batches {
    /// Source distribution (X, or latent noise).
    pub source: Dist,
    /// Target distribution Y.
    pub target: Dist,
    source_rng: Rng,
    target_rng: Rng,
    /// Every other random number of the updates (interpolation weights, reparameterisation noise).
    pub rng: Rng,
}

/// Stream tags under a run's seed (see `rng::stream`).
pub mod streams {
    /// Training source batches.
    pub const SOURCE: u64 = 1;
    /// Training target batches.
    pub const TARGET: u64 = 2;
    /// Noise inside updates.
    pub const NOISE: u64 = 3;
    /// Network initialisation.
    pub const INIT: u64 = 4;
    /// Held-out source samples.
    pub const EVAL_SOURCE: u64 = 5;
    /// Held-out target samples.
    pub const EVAL_TARGET: u64 = 6;
    /// A second held-out target sample (the two-sample floor).
    pub const EVAL_TARGET_2: u64 = 7;
    /// A second held-out prior sample (the latent floor).
    pub const EVAL_SOURCE_2: u64 = 8;
    /// The source samples the Laguerre cells' masses are counted on.
    pub const EVAL_CELLS: u64 = 10;
    /// The fresh targets of the near-exact map (the MapErr floor).
    pub const EVAL_TARGET_FLOOR: u64 = 9;
}

impl Batches {
    /// Batches from `source` and `target` with streams derived from `seed`.
    pub fn new(source: Dist, target: Dist, seed: u64) -> Batches {
        Batches {
            source,
            target,
            source_rng: rng::stream(seed, streams::SOURCE),
            target_rng: rng::stream(seed, streams::TARGET),
            rng: rng::stream(seed, streams::NOISE),
        }
    }

    /// n source samples.
    pub fn source(&mut self, n: usize) -> Points {
        self.source.sample(n, &mut self.source_rng)
    }

    /// n target samples.
    pub fn target(&mut self, n: usize) -> Points {
        self.target.sample(n, &mut self.target_rng)
    }
}

/// A training method's state.
///
/// A training step is `critic_steps()` critic updates followed by one generator update; methods
/// without a generator (W2-OT, semi-dual) count each critic update as a step. The trainer owns
/// this alternation; models only perform single updates.
pub trait Model {
    /// One critic (potential, discriminator, dual) update on fresh batches.
    fn critic_step(&mut self, _data: &mut Batches) -> Result<Losses> {
        Ok(Vec::new())
    }

    /// One generator (map, decoder) update on fresh batches.
    fn generator_step(&mut self, _data: &mut Batches) -> Result<Losses> {
        Ok(Vec::new())
    }

    /// Critic updates before the next generator update (0 for methods without a critic).
    fn critic_steps(&self) -> usize {
        0
    }

    /// Whether a critic update exists (the page's "critic step" button).
    fn has_critic(&self) -> bool {
        self.critic_steps() > 0 || !self.has_generator()
    }

    /// Whether a generator update exists (false for W2-OT and the semi-dual).
    fn has_generator(&self) -> bool {
        true
    }

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

    /// The approximate Monge map of a learned potential: x − ∇φ(x) (∇ψ(x) for a convex ψ).
    fn monge(&mut self, _x: &Points) -> Option<Points> {
        None
    }

    /// How the page names `monge`'s arrows.
    fn monge_label(&self) -> &'static str {
        "x → x − ∇φ(x)"
    }

    /// Laguerre cells of a semi-discrete potential on a width × height raster of `window`.
    fn cells(&self, _width: usize, _height: usize, _window: &Window) -> Option<CellRaster> {
        None
    }

    /// The share of the rows of `x` in each Laguerre cell, times the number of cells (1 where
    /// the masses are equal, as the semi-discrete OT map makes them).
    fn cell_masses(&self, _x: &Points) -> Option<Vec<f64>> {
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

    /// The learning-rate or penalty schedule in force at this step, in words (None without one):
    /// what the settings fields, which hold the configured values, do not show.
    fn schedule(&self) -> Option<String> {
        None
    }

    /// Parameters as JSON.
    fn save(&self) -> Value;

    /// Load parameters saved by `save` from the same method and architecture.
    fn load(&mut self, v: &Value) -> Result<()>;

    /// The name of the first non-finite parameter, if any.
    fn non_finite(&self) -> Option<String>;
}
