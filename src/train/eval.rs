//! Held-out evaluation (math.md §5): the samples, their exact OT matching, and the metrics of a
//! learned map on them.

use crate::data::{Dist, Pair, Points};
use crate::error::{Error, Result};
use crate::method::keys::EVAL_N;
use crate::method::{Config, Mode, streams};
use crate::ot::{GaussianMap, assignment, gaussian_map, geo_dev, l2_uvp, map_err, matched_targets};
use crate::rng;
use serde::Serialize;
use std::cell::OnceCell;

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
    /// W2²(G#X, Y) over the two-sample floor W2²(Y′, Y): near 1 when G#X is as close to Y as an
    /// independent sample of Y; collapse onto fewer points (e.g. cluster means) drives it up.
    pub w2_over_floor: f64,
    /// Exact W2² between the codes f(y) of held-out targets and prior samples (autoencoders).
    pub latent_w2sq: Option<f64>,
    /// The share of G(x) off every mode of a mixture target (see `Dist::off_modes`): blur and
    /// bridges between modes that W2² against its floor barely registers.
    pub off_mode: Option<f64>,
    /// The smallest and largest Laguerre cell mass × m, counted on `CELL_SAMPLES` source samples
    /// (semi-discrete methods; 1 and 1 when the cells are of equal mass).
    pub cell_mass: Option<[f64; 2]>,
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
    /// Fresh target samples for the near-exact map of the map floors (map mode).
    floor_targets: Option<Points>,
    /// MapErr and GeoDev of the near-exact map, computed on first use (one assignment of
    /// `FLOOR_TARGETS` · n points).
    map_floors: OnceCell<Option<(f64, f64)>>,
    /// The two-sample floor W2²(Y′, Y) with Y′ a second held-out target sample.
    pub floor: f64,
    /// W2² between two independent prior samples of the held-out size (the floor for
    /// `latent_w2sq`; generative mode).
    pub latent_floor: Option<f64>,
    gauss: Option<(GaussianMap, f64)>,
    /// The target, when it is a mixture whose modes `off_mode` counts against.
    modes: Option<Dist>,
    /// The held-out targets' own share off the modes (what a sample of Y scores; not a lower
    /// bound: points piled on the centres score 0).
    pub off_mode_y: Option<f64>,
    /// Fresh source samples the Laguerre cells' masses are counted on (map mode).
    pub cell_x: Option<Points>,
    /// What the samples were drawn for: seed, size, mode and source dimension.
    drawn_for: (u64, usize, Mode, usize),
}

/// The smallest and largest of the cell masses.
pub fn mass_range(masses: &[f64]) -> [f64; 2] {
    masses.iter().fold([f64::INFINITY, 0.0], |[lo, hi], &v| [lo.min(v), hi.max(v)])
}

/// Source samples the cell masses are counted on: about 256 per cell of the 64 the semi-dual
/// has by default, so a count's noise is about 6 %.
pub const CELL_SAMPLES: usize = 16_384;

/// Fresh target samples per held-out source point in the near-exact map of the map floors.
pub const FLOOR_TARGETS: usize = 8;

/// A near-exact OT map on `x`: each point sent to the mean of its targets in the exact plan from
/// `x` (each point carrying k units of mass, as k copies) to the k·n `targets`.
fn near_exact_map(x: &Points, targets: &Points) -> Result<Points> {
    let (n, d) = (x.nrows(), x.ncols());
    let k = targets.nrows() / n.max(1);
    let copies = Points::from_fn(k * n, d, |i, c| x[(i % n, c)]);
    let perm = assignment(&copies, targets)?.perm;
    Ok(Points::from_fn(n, d, |i, c| (0..k).map(|r| targets[(perm[i + r * n], c)]).sum::<f32>() / k as f32))
}

impl EvalSet {
    /// `eval_n` samples per side from `source` and the pair's target.
    pub fn new(cfg: &Config, pair: &Pair, source: &Dist) -> Result<EvalSet> {
        let n = cfg.get(EVAL_N);
        let drawn_for = EvalSet::inputs(cfg, source);
        let stream = |tag| rng::stream(cfg.seed(), tag);
        let x = source.sample(n, &mut stream(streams::EVAL_SOURCE));
        let y = pair.y.sample(n, &mut stream(streams::EVAL_TARGET));
        let floor = assignment(&pair.y.sample(n, &mut stream(streams::EVAL_TARGET_2)), &y)?.w2sq;
        let off_mode_y = pair.y.off_modes(&y);
        let modes = off_mode_y.map(|_| pair.y.clone());
        if cfg.mode() != Mode::Map {
            let prior = source.sample(n, &mut stream(streams::EVAL_SOURCE_2));
            let latent_floor = Some(assignment(&prior, &x)?.w2sq);
            return Ok(EvalSet {
                x,
                y,
                matched: None,
                baseline: None,
                floor_targets: None,
                map_floors: OnceCell::new(),
                floor,
                latent_floor,
                gauss: None,
                modes,
                off_mode_y,
                cell_x: None,
                drawn_for,
            });
        }
        let plan = assignment(&x, &y)?;
        let gauss = pair.gaussians().map(|(a, b)| (gaussian_map(a, b), b.cov[0][0] + b.cov[1][1]));
        let matched = Some(matched_targets(&y, &plan.perm));
        let floor_targets = Some(pair.y.sample(FLOOR_TARGETS * n, &mut stream(streams::EVAL_TARGET_FLOOR)));
        let cell_x = Some(source.sample(CELL_SAMPLES, &mut stream(streams::EVAL_CELLS)));
        Ok(EvalSet {
            matched,
            baseline: Some(plan.w2sq),
            floor_targets,
            map_floors: OnceCell::new(),
            floor,
            latent_floor: None,
            x,
            y,
            gauss,
            modes,
            off_mode_y,
            cell_x,
            drawn_for,
        })
    }

    /// Whether this set, drawn for the same pair, serves `cfg` with `source` as well.
    pub fn fits(&self, cfg: &Config, source: &Dist) -> bool {
        self.drawn_for == EvalSet::inputs(cfg, source)
    }

    fn inputs(cfg: &Config, source: &Dist) -> (u64, usize, Mode, usize) {
        (cfg.seed(), cfg.get(EVAL_N), cfg.mode(), source.dim())
    }

    /// MapErr of a near-exact map (map mode): the discrete map of the held-out samples is itself
    /// noisy, so no map scores much below this. Computed on first use.
    pub fn map_err_floor(&self) -> Option<f64> {
        self.map_floors().map(|f| f.0)
    }

    /// GeoDev of the same near-exact map: its distance from the discrete geodesic at the end
    /// (t = 1), from the noise of the discrete reference alone. A map a fraction t̄ of the way
    /// along scores about t̄² of it.
    pub fn geo_dev_floor(&self) -> Option<f64> {
        self.map_floors().map(|f| f.1)
    }

    /// The GeoDev floor of a map a fraction `progress` (t̄) of the way along the geodesic: t̄² of
    /// `geo_dev_floor`, since GeoDev grows with the step taken.
    pub fn geo_dev_floor_at(&self, progress: f64) -> Option<f64> {
        self.geo_dev_floor().map(|f| f * progress.powi(2))
    }

    fn map_floors(&self) -> Option<(f64, f64)> {
        *self.map_floors.get_or_init(|| {
            let (targets, matched) = (self.floor_targets.as_ref()?, self.matched.as_ref()?);
            let near = near_exact_map(&self.x, targets).ok()?;
            Some((map_err(&self.x, &near, matched), geo_dev(&self.x, &near, matched).dev))
        })
    }

    /// L2-UVP of a map whose values on `x` are `gx`, on a Gaussian pair.
    pub fn l2_uvp_of(&self, gx: &Points) -> Option<f64> {
        self.gauss.as_ref().map(|(t, var)| l2_uvp(&self.x, gx, t, *var))
    }

    /// The metrics of the learned map whose values on `x` are `gx`, at `step`; `codes` are the
    /// latent codes of `y` for autoencoders.
    pub fn measure(&self, step: usize, gx: &Points, codes: Option<&Points>) -> Result<Eval> {
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
        let uvp = self.l2_uvp_of(gx);
        let latent_w2sq = match codes {
            Some(c) => Some(assignment(c, &self.x)?.w2sq),
            None => None,
        };
        let w2_over_floor = w2sq / self.floor.max(f64::MIN_POSITIVE);
        let off_mode = self.modes.as_ref().and_then(|m| m.off_modes(gx));
        Ok(Eval {
            step,
            w2sq,
            map_err: map,
            geo_dev: geo,
            progress: prog,
            l2_uvp: uvp,
            w2_over_floor,
            latent_w2sq,
            off_mode,
            cell_mass: None,
        })
    }
}
