//! Minibatch OT (MKE, math.md §4): the generator minimises the OT cost between its batch and a
//! target batch, with the coupling (exact assignment or Sinkhorn plan) held fixed while
//! backpropagating — by the envelope theorem that is the gradient of the OT cost itself.

use super::losses::plan_cost;
use super::nets::{Net, Role};
use super::{first_non_finite, load_nets, save_nets};
use crate::autodiff::Tape;
use crate::data::Points;
use crate::error::Result;
use crate::method::keys::{BATCH, GEN_BN, GEN_LR, GEN_NET, LATENT_DIM, OT_SOLVER, SINKHORN_EPS};
use crate::method::{Batches, Config, Family, Losses, Method, Mode, Model};
use crate::nn;
use crate::ot::{Sinkhorn, assignment, matched_targets};
use crate::rng::Rng;
use serde_json::Value;

/// The minimum Kantorovich estimator: minibatch OT as the generator's loss.
pub const MKE: Method = Method {
    name: "mke",
    family: Family::Primal,
    modes: &[Mode::Generative, Mode::Map],
    keys: &[GEN_NET, &[OT_SOLVER.spec, SINKHORN_EPS.spec, LATENT_DIM.spec]],
    defaults: &[(GEN_LR.spec, "1e-3"), (GEN_BN.spec, "false")],
    trains: "a generator G, by minimising exact OT to each target batch",
    loss: "min (1/n) Σ ‖G(z_i) − y_σ(i)‖², σ the optimal assignment (held fixed)",
    watch: "each generated point is pulled toward the target the batch's OT plan assigns it (exact, or \
            Sinkhorn with ot_solver=sinkhorn); in map mode the discrete OT arrows show where exact OT \
            sends the held-out points",
    shows: &[],
    measured: "On gaussians8 (generative, 2000 steps, seeds 0–2) W2² reads 0.83–1.23× its floor while 59–73 % \
               of G(z) lie off the modes, along arcs between them (the held-out Y: 1.0–1.2 %): W2² on 512 \
               points barely sees blur between tight modes, whose floor is set by unequal counts per mode; \
               on gaussians4 22–25 % off-mode at 0.78–1.5× the W2² floor",
    step_name: "generator step",
    presets: &[],
    build: |cfg, s, r| Ok(Box::new(Mke::new(cfg, s.source_dim, r)?)),
};

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
        let generator = Net::new(cfg, Role::Generator, dim, 2, cfg.mode() == Mode::Map, r)?;
        let mut m = Mke { generator, sinkhorn: None, batch: 1, tape: Tape::new() };
        m.configure(cfg);
        Ok(m)
    }
}

impl Model for Mke {
    fn generator_step(&mut self, data: &mut Batches) -> Result<Losses> {
        let (src, y) = (data.source(self.batch), data.target(self.batch));
        let tape = &mut self.tape;
        tape.reset();
        let p = self.generator.bind(tape);
        let gx = self.generator.forward(&p, tape.leaf(&src), nn::Mode::Train);
        let g = gx.to_mat();
        let loss = match self.sinkhorn {
            None => {
                let plan = assignment(&g, &y)?;
                (gx - tape.leaf(&matched_targets(&y, &plan.perm))).square().sum_cols().mean()
            }
            Some(eps) => {
                let plan = Sinkhorn { eps, tol: 1e-3, max_iters: 500 }.solve(&g, &y)?.plan;
                plan_cost(&plan.map(|v| v as f32), gx, tape.leaf(&y))
            }
        };
        let l = loss.scalar();
        self.generator.update(tape, loss, &p, "generator")?;
        Ok(vec![("OT cost", l)])
    }

    fn configure(&mut self, cfg: &Config) {
        self.sinkhorn = (cfg.get(OT_SOLVER) == "sinkhorn").then(|| cfg.get(SINKHORN_EPS));
        self.batch = cfg.get(BATCH);
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
