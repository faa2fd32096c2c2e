//! Held-out evaluation (math.md §5): the samples, their exact OT matching, and the metrics of a
//! learned map on them.

use crate::data::{Dist, Pair, Points};
use crate::error::{Error, Result};
use crate::method::keys::EVAL_N;
use crate::method::{Config, Mode, streams};
use crate::ot::{GaussianMap, assignment, gaussian_map, geo_dev, l2_uvp, map_err, matched_targets};
use crate::rng;
use serde::Serialize;

/// Metrics at one evaluation (None where a metric does not apply).
#[derive(Debug, Clone, Copy, Serialize, PartialEq)]
pub struct Eval {
    /// Steps done.
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

/// Held-out samples (each side from its own stream of the seed) and their exact OT matching.
pub struct EvalSet {
    /// Held-out source samples (X, or latent noise).
    pub x: Points,
    /// Held-out target samples.
    pub y: Points,
    /// y_σ(i) (map mode only).
    pub matched: Option<Points>,
    /// W2²(X, Y) on the held-out samples (map mode).
    pub baseline: Option<f64>,
    gauss: Option<(GaussianMap, f64)>,
}

impl EvalSet {
    /// `eval_n` samples per side from `source` and the pair's target.
    pub fn new(cfg: &Config, pair: &Pair, source: &Dist) -> Result<EvalSet> {
        let n = cfg.get(EVAL_N);
        let x = source.sample(n, &mut rng::stream(cfg.seed(), streams::EVAL_SOURCE));
        let y = pair.y.sample(n, &mut rng::stream(cfg.seed(), streams::EVAL_TARGET));
        if cfg.mode() != Mode::Map {
            return Ok(EvalSet { x, y, matched: None, baseline: None, gauss: None });
        }
        let plan = assignment(&x, &y)?;
        let gauss = pair.gaussians().map(|(a, b)| (gaussian_map(a, b), b.cov[0][0] + b.cov[1][1]));
        Ok(EvalSet { matched: Some(matched_targets(&y, &plan.perm)), baseline: Some(plan.w2sq), x, y, gauss })
    }

    /// The metrics of the learned map whose values on `x` are `gx`, at `step`.
    pub fn measure(&self, step: usize, gx: &Points) -> Result<Eval> {
        if let Some(i) = (0..gx.nrows()).find(|&i| gx.row(i).iter().any(|v| !v.is_finite())) {
            return Err(Error::Diverged {
                step,
                quantity: format!("the learned map at held-out point {}", i + 1),
            });
        }
        let w2sq = assignment(gx, &self.y)?.w2sq;
        let (mut map, mut geo, mut prog) = (None, None, None);
        if let Some(m) = &self.matched {
            map = Some(map_err(&self.x, gx, m));
            let g = geo_dev(&self.x, gx, m);
            (geo, prog) = (Some(g.dev), Some(g.progress));
        }
        let uvp = self.gauss.as_ref().map(|(t, var)| l2_uvp(&self.x, gx, t, *var));
        Ok(Eval { step, w2sq, map_err: map, geo_dev: geo, progress: prog, l2_uvp: uvp })
    }
}
