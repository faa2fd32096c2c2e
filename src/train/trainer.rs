//! The trainer: builds data, model and a held-out evaluation set from a config, steps the model,
//! stops with a clear error when training diverges, and records losses and metrics (math.md §5).

use super::Config;
use crate::clock::now;
use crate::data::{Dist, Pair, Points, Side};
use crate::error::{Error, Result};
use crate::models::{self, Batches, Losses, Model, Phase};
use crate::ot::{GaussianMap, assignment, gaussian_map, geo_dev, l2_uvp, map_err, matched_targets};
use crate::rng::seeded;
use serde::Serialize;

/// Metrics at one evaluation (None where a metric does not apply).
#[derive(Debug, Clone, Copy, Serialize, PartialEq)]
pub struct Eval {
    /// Generator steps done.
    pub step: usize,
    /// Exact W2² between the mapped held-out source and held-out target samples.
    pub w2sq: f64,
    /// MapErr against the discrete OT map (map mode).
    pub map_err: Option<f64>,
    /// GeoDev: distance from the W2 geodesic (map mode).
    pub geo_dev: Option<f64>,
    /// Mean progress t̄ along the geodesic (map mode).
    pub progress: Option<f64>,
    /// L2-UVP against the closed-form map (Gaussian pair).
    pub l2_uvp: Option<f64>,
}

/// Held-out samples and their exact OT matching.
struct EvalSet {
    x: Points,
    y: Points,
    /// y_σ(i) (map mode only).
    matched: Option<Points>,
    /// W2²(X, Y) on the held-out samples (map mode).
    baseline: Option<f64>,
    gauss: Option<(GaussianMap, f64)>,
}

/// Steps a model and keeps its history.
pub struct Trainer {
    /// The configuration (live keys can change between steps).
    pub cfg: Config,
    /// The data pair.
    pub pair: Pair,
    model: Box<dyn Model>,
    data: Batches,
    eval: EvalSet,
    /// Losses per step.
    pub losses: Vec<(usize, Losses)>,
    /// Metrics per evaluation (step 0 included).
    pub evals: Vec<Eval>,
    step: usize,
    /// Seconds spent in training steps (not evaluation).
    pub seconds: f64,
    /// G on the first `TRAIL` held-out source points at every evaluation (trails of training).
    pub trails: Vec<Points>,
}

/// Std of the noise added when resampling user points, so a few drawn points make a density.
const USER_JITTER: f32 = 0.02;

/// Held-out points whose trajectory is kept.
const TRAIL: usize = 48;

impl Trainer {
    /// A trainer for the configured pair.
    pub fn new(cfg: Config) -> Result<Trainer> {
        let pair = Pair::named(cfg.text("pair"))?;
        Trainer::with_pair(cfg, pair)
    }

    /// A trainer for an explicit pair (e.g. points drawn or imported by the user).
    pub fn with_pair(cfg: Config, pair: Pair) -> Result<Trainer> {
        let map_mode = cfg.text("mode") == "map";
        let source = if map_mode { pair.x.clone() } else { Dist::Normal { dim: cfg.int("latent_dim") } };
        let model = models::build(&cfg, source.dim(), &pair.y, &mut seeded(cfg.seed().wrapping_add(1)))?;
        let eval = eval_set(&cfg, &pair, &source, map_mode)?;
        let data = Batches { source, target: pair.y.clone(), rng: seeded(cfg.seed()) };
        let mut t = Trainer {
            cfg,
            pair,
            model,
            data,
            eval,
            losses: Vec::new(),
            evals: Vec::new(),
            step: 0,
            seconds: 0.0,
            trails: Vec::new(),
        };
        t.evaluate()?;
        Ok(t)
    }

    /// Generator steps done so far.
    pub fn steps(&self) -> usize {
        self.step
    }

    /// The model (for probes).
    pub fn model(&mut self) -> &mut dyn Model {
        self.model.as_mut()
    }

    /// The model, read-only (saving parameters).
    pub fn model_ref(&self) -> &dyn Model {
        self.model.as_ref()
    }

    /// The held-out source samples the metrics use.
    pub fn eval_source(&self) -> &Points {
        &self.eval.x
    }

    /// The held-out target samples.
    pub fn eval_target(&self) -> &Points {
        &self.eval.y
    }

    /// y_σ(i) for the held-out samples (map mode).
    pub fn eval_matched(&self) -> Option<&Points> {
        self.eval.matched.as_ref()
    }

    /// W2²(X, Y) between the held-out samples (map mode): the identity map's cost.
    pub fn baseline_w2sq(&self) -> Option<f64> {
        self.eval.baseline
    }

    /// One step of `phase`; evaluates every `eval_every` full steps. A NaN or infinity stops
    /// training with an error naming the step and the quantity.
    pub fn step(&mut self, phase: Phase) -> Result<Losses> {
        let t0 = now();
        let next = self.step + 1;
        let losses = self.model.step(phase, &mut self.data).map_err(|e| at_step(e, next))?;
        self.seconds += now() - t0;
        if let Some((name, v)) = losses.iter().find(|(_, v)| !v.is_finite()) {
            return Err(Error::Diverged { step: next, quantity: format!("{name} loss ({v})") });
        }
        if let Some(p) = self.model.non_finite() {
            return Err(Error::Diverged { step: next, quantity: p });
        }
        if phase != Phase::Critic || !self.model.has_generator() {
            self.step = next;
            if self.step % self.cfg.int("eval_every").max(1) == 0 {
                self.evaluate()?;
            }
        }
        self.losses.push((self.step, losses.clone()));
        Ok(losses)
    }

    /// Full steps until `steps` generator steps are done in total.
    pub fn run(&mut self, steps: usize) -> Result<()> {
        while self.step < steps {
            self.step(Phase::Both)?;
        }
        Ok(())
    }

    /// Change a key: live keys apply to the running model; others rebuild it (same seed).
    /// Returns whether the model was rebuilt.
    pub fn set(&mut self, key: &str, value: &str) -> Result<bool> {
        let mut cfg = if key == "method" { self.cfg.with_method(value)? } else { self.cfg.clone() };
        let live = cfg.set(key, value)?;
        if live {
            self.cfg = cfg;
            self.model.configure(&self.cfg);
            return Ok(false);
        }
        let pair = if key == "pair" { Pair::named(cfg.text("pair"))? } else { self.pair.clone() };
        *self = Trainer::with_pair(cfg, pair)?;
        Ok(true)
    }

    /// Start again from step 0 with the same config, seed and data (drawn points kept).
    pub fn reset(&mut self) -> Result<()> {
        *self = Trainer::with_pair(self.cfg.clone(), self.pair.clone())?;
        Ok(())
    }

    /// Replace one side of the pair by user points (drawn or imported), resampled with a little
    /// jitter; the model is rebuilt with the same config and seed. The pair is then "custom".
    pub fn set_points(&mut self, side: Side, points: Points) -> Result<()> {
        if points.ncols() != 2 {
            return Err(Error::data(
                None,
                format!("points need 2 coordinates (x,y), found {}", points.ncols()),
            ));
        }
        if points.nrows() < 2 {
            return Err(Error::data(None, format!("need at least 2 points, found {}", points.nrows())));
        }
        if side == Side::X && self.cfg.text("mode") != "map" {
            return Err(Error::config(
                "mode",
                "in generative mode the source is noise; draw or import the target Y",
            ));
        }
        let mut pair = self.pair.clone();
        let dist = Dist::Empirical { points, jitter: USER_JITTER };
        match side {
            Side::X => pair.x = dist,
            Side::Y => pair.y = dist,
        }
        pair.name = "custom".into();
        *self = Trainer::with_pair(self.cfg.clone(), pair)?;
        Ok(())
    }

    /// Compute the metrics now and append them to `evals`.
    pub fn evaluate(&mut self) -> Result<Eval> {
        let gx = self.model.apply(&self.eval.x);
        if let Some(i) = (0..gx.nrows()).find(|&i| gx.row(i).iter().any(|v| !v.is_finite())) {
            return Err(Error::Diverged {
                step: self.step,
                quantity: format!("the learned map at held-out point {}", i + 1),
            });
        }
        let w2sq = assignment(&gx, &self.eval.y)?.w2sq;
        let (mut map, mut geo, mut prog) = (None, None, None);
        if let Some(m) = &self.eval.matched {
            map = Some(map_err(&self.eval.x, &gx, m));
            let g = geo_dev(&self.eval.x, &gx, m);
            (geo, prog) = (Some(g.dev), Some(g.progress));
        }
        self.trails.push(gx.rows(0, TRAIL.min(gx.nrows())).into_owned());
        let uvp = self.eval.gauss.as_ref().map(|(t, var)| l2_uvp(&self.eval.x, &gx, t, *var));
        let e = Eval { step: self.step, w2sq, map_err: map, geo_dev: geo, progress: prog, l2_uvp: uvp };
        self.evals.push(e);
        Ok(e)
    }
}

fn at_step(e: Error, step: usize) -> Error {
    match e {
        Error::Diverged { quantity, .. } => Error::Diverged { step, quantity },
        other => other,
    }
}

fn eval_set(cfg: &Config, pair: &Pair, source: &Dist, map_mode: bool) -> Result<EvalSet> {
    let n = cfg.int("eval_n");
    let mut r = seeded(cfg.seed().wrapping_add(2));
    let x = source.sample(n, &mut r);
    let y = pair.sample(Side::Y, n, &mut r);
    if !map_mode {
        return Ok(EvalSet { x, y, matched: None, baseline: None, gauss: None });
    }
    let plan = assignment(&x, &y)?;
    let gauss = pair.gaussians().map(|(a, b)| (gaussian_map(a, b), b.cov[0][0] + b.cov[1][1]));
    Ok(EvalSet { matched: Some(matched_targets(&y, &plan.perm)), baseline: Some(plan.w2sq), x, y, gauss })
}
