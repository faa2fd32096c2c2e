//! Semi-dual SGD (math.md §2–3): a discrete potential v_j on target points y_j, trained by
//! averaged SGD; the map sends each Laguerre cell to its point.

use super::{Batches, Losses, Model, Phase};
use crate::data::{Dist, Points};
use crate::error::{Error, Result};
use crate::ot::{CellRaster, SemiDiscrete, SemiDiscreteConfig};
use crate::rng::Rng;
use crate::train::Config;
use serde_json::{Value, json};

/// The semi-discrete solver as a training method.
pub struct SemiDual {
    solver: SemiDiscrete,
    cfg: SemiDiscreteConfig,
}

impl SemiDual {
    /// `sd_targets` target points drawn from `target`.
    pub fn new(cfg: &Config, dim: usize, target: &Dist, r: &mut Rng) -> Result<SemiDual> {
        if dim != 2 {
            return Err(Error::config("mode", "semi-dual OT maps points of the plane; use mode=map"));
        }
        let solver = SemiDiscrete::new(target.sample(cfg.int("sd_targets"), r))?;
        let mut m = SemiDual { solver, cfg: SemiDiscreteConfig::default() };
        m.configure(cfg);
        Ok(m)
    }
}

impl Model for SemiDual {
    fn step(&mut self, _phase: Phase, data: &mut Batches) -> Result<Losses> {
        let x = data.source(self.cfg.batch);
        self.solver.step(&x, &self.cfg);
        Ok(vec![("semi-dual", self.solver.objective(&x) as f32)])
    }

    fn configure(&mut self, cfg: &Config) {
        self.cfg = SemiDiscreteConfig { eps: cfg.f("sd_eps"), lr: cfg.f("sd_lr"), batch: cfg.int("batch") };
    }

    fn apply(&mut self, x: &Points) -> Points {
        self.solver.map(x)
    }

    fn cells(&self, width: usize, height: usize, lo: f32, hi: f32) -> Option<CellRaster> {
        Some(self.solver.raster(width, height, lo, hi))
    }

    fn has_generator(&self) -> bool {
        false
    }

    fn save(&self) -> Value {
        json!({ "y": self.solver.y.row_iter().map(|r| [r[0], r[1]]).collect::<Vec<_>>(), "v": self.solver.v_avg })
    }

    fn load(&mut self, v: &Value) -> Result<()> {
        let w: Vec<f64> =
            serde_json::from_value(v["v"].clone()).map_err(|e| Error::config("v", e.to_string()))?;
        let y: Vec<[f32; 2]> =
            serde_json::from_value(v["y"].clone()).map_err(|e| Error::config("y", e.to_string()))?;
        self.solver = SemiDiscrete::with_weights(Points::from_fn(y.len(), 2, |i, k| y[i][k]), w)?;
        Ok(())
    }

    fn non_finite(&self) -> Option<String> {
        self.solver.v_avg.iter().position(|v| !v.is_finite()).map(|j| format!("weight v_{}", j + 1))
    }
}
