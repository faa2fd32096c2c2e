//! Minibatch OT (MKE, math.md §4): the generator minimises the OT cost between its batch and a
//! target batch, with the coupling (exact assignment or Sinkhorn plan) held fixed while
//! backpropagating — by the envelope theorem that is the gradient of the OT cost itself.

use super::losses::plan_cost;
use super::nets::{Net, Role};
use super::{Batches, Losses, Model, Phase, first_non_finite, load_nets, save_nets};
use crate::autodiff::Tape;
use crate::data::Points;
use crate::error::Result;
use crate::nn::Mode;
use crate::ot::{Sinkhorn, assignment, matched_targets};
use crate::rng::Rng;
use crate::train::Config;
use serde_json::Value;

/// A generator trained by minibatch optimal transport.
pub struct Mke {
    generator: Net,
    /// Entropic ε when the per-batch solver is Sinkhorn; None for the exact assignment.
    sinkhorn: Option<f64>,
    batch: usize,
    tape: Tape,
}

impl Mke {
    /// A generator from `dim` dimensions (residual in map mode).
    pub fn new(cfg: &Config, dim: usize, r: &mut Rng) -> Result<Mke> {
        let generator = Net::new(cfg, Role::Generator, dim, 2, cfg.text("mode") == "map", r)?;
        let mut m = Mke { generator, sinkhorn: None, batch: 1, tape: Tape::new() };
        m.configure(cfg);
        Ok(m)
    }
}

impl Model for Mke {
    fn step(&mut self, phase: Phase, data: &mut Batches) -> Result<Losses> {
        if phase == Phase::Critic {
            return Ok(Vec::new());
        }
        let (src, y) = (data.source(self.batch), data.target(self.batch));
        let tape = &mut self.tape;
        tape.reset();
        let p = self.generator.bind(tape);
        let gx = self.generator.forward(&p, tape.leaf(&src), Mode::Train);
        let g = gx.to_mat();
        let loss = match self.sinkhorn {
            None => {
                let plan = assignment(&g, &y)?;
                (gx - tape.leaf(&matched_targets(&y, &plan.perm))).square().sum_cols().mean()
            }
            Some(eps) => {
                let plan = Sinkhorn { eps, tol: 1e-3, max_iters: 500 }.solve(&g, &y)?.plan;
                plan_cost(plan.map(|v| v as f32), gx, tape.leaf(&y))
            }
        };
        let l = loss.scalar();
        self.generator.update(tape, loss, &p, "generator")?;
        Ok(vec![("OT cost", l)])
    }

    fn configure(&mut self, cfg: &Config) {
        self.sinkhorn = (cfg.text("ot_solver") == "sinkhorn").then(|| cfg.f("sinkhorn_eps"));
        self.batch = cfg.int("batch");
        self.generator.configure(cfg);
    }

    fn apply(&mut self, x: &Points) -> Points {
        self.generator.eval(&mut self.tape, x)
    }

    fn save(&self) -> Value {
        save_nets(&[("generator", &self.generator)])
    }

    fn load(&mut self, v: &Value) -> Result<()> {
        load_nets(v, &mut [("generator", &mut self.generator)])
    }

    fn non_finite(&self) -> Option<String> {
        first_non_finite(&[("generator", &self.generator)])
    }
}
