//! Barycentric-OT (Seguy et al. 2018, math.md §3): stage 1 learns regularised dual potentials
//! u, v; stage 2 fits a map f to the barycentric projection of the plan they define.

use super::losses::{pair_sq_dist, plan_cost};
use super::nets::{Net, Role, update_all};
use super::{first_non_finite, load_nets, save_nets};
use crate::autodiff::{Tape, Var};
use crate::data::Points;
use crate::error::Result;
use crate::method::keys::{BATCH, CRITIC_NET, DUAL_STEPS, GEN_BN, GEN_LR, GEN_NET, REG, REG_EPS};
use crate::method::{Batches, Config, Family, Losses, Method, Mode, Model};
use crate::nn;
use crate::rng::Rng;
use serde_json::Value;

/// Barycentric-OT (Seguy et al. 2018).
pub const BARYCENTRIC: Method = Method {
    name: "barycentric",
    family: Family::Dual,
    modes: &[Mode::Map],
    keys: &[CRITIC_NET, GEN_NET, &[REG.spec, REG_EPS.spec, DUAL_STEPS.spec]],
    defaults: &[(GEN_LR.spec, "1e-3"), (GEN_BN.spec, "false")],
    trains: "stage 1: regularised dual potentials u, v; stage 2: a map f fitted to the plan",
    loss: "u,v: max E[u(x) + v(y)] − R(u + v − c);  f: min E[H(x,y) ‖f(x) − y‖²] (Seguy et al.)",
    watch: "the map is a barycentric projection: it averages where the plan splits mass",
    shows: &["ot", "map"],
    measured: "",
    step_name: "map step (after the dual stage)",
    presets: &[],
    build: |cfg, s, r| Ok(Box::new(Barycentric::new(cfg, s.source_dim, r)?)),
};

/// Dual potentials u, v and the map f.
pub struct Barycentric {
    u: Net,
    v: Net,
    map: Net,
    entropic: bool,
    eps: f32,
    dual_steps: usize,
    map_steps: usize,
    batch: usize,
    tape: Tape,
}

impl Barycentric {
    /// Potentials on the plane and a map from `dim` dimensions (residual in map mode).
    pub fn new(cfg: &Config, dim: usize, r: &mut Rng) -> Result<Barycentric> {
        let mut m = Barycentric {
            u: Net::new(cfg, Role::Critic, dim, 1, false, r)?,
            v: Net::new(cfg, Role::Critic, 2, 1, false, r)?,
            map: Net::new(cfg, Role::Generator, dim, 2, true, r)?,
            entropic: cfg.get(REG) == "entropy",
            eps: 1.0,
            dual_steps: cfg.get(DUAL_STEPS),
            map_steps: 0,
            batch: 1,
            tape: Tape::new(),
        };
        m.configure(cfg);
        Ok(m)
    }

    /// One step of stage 1: maximise E[u(x) + v(y)] − R(u + v − c) over all batch pairs.
    fn dual_step(&mut self, data: &mut Batches) -> Result<f32> {
        let (x, y) = (data.source(self.batch), data.target(self.batch));
        let tape = &mut self.tape;
        tape.reset();
        let (pu, pv) = (self.u.bind(tape), self.v.bind(tape));
        let (u, v, s) = slack(&mut self.u, &mut self.v, tape, &x, &y, &pu, &pv);
        let eps = self.eps;
        let penalty = if self.entropic {
            (s * (1.0 / eps)).exp().mean().scale(eps)
        } else {
            s.relu().square().mean().scale(0.25 / eps)
        };
        let loss = penalty - (u.mean() + v.mean());
        let l = loss.scalar();
        update_all(tape, loss, &mut [(&mut self.u, &pu, "u"), (&mut self.v, &pv, "v")])?;
        Ok(l)
    }

    /// One step of stage 2: minimise (1/n²) Σ H_ij ‖f(x_i) − y_j‖² with the plan density H fixed.
    fn map_step(&mut self, data: &mut Batches) -> Result<f32> {
        let (x, y) = (data.source(self.batch), data.target(self.batch));
        let tape = &mut self.tape;
        tape.reset();
        let (pu, pv) = (self.u.bind(tape), self.v.bind(tape));
        let s = slack(&mut self.u, &mut self.v, tape, &x, &y, &pu, &pv).2.to_mat();
        let n2 = (x.nrows() * y.nrows()) as f32;
        let eps = self.eps;
        let h = s.map(|s| if self.entropic { (s / eps).exp() } else { s.max(0.0) / (2.0 * eps) } / n2);
        tape.reset();
        let pm = self.map.bind(tape);
        let fx = self.map.forward(&pm, tape.leaf(&x), nn::Mode::Train);
        let loss = plan_cost(&h, fx, tape.leaf(&y));
        let l = loss.scalar();
        self.map.update(tape, loss, &pm, "map")?;
        self.map_steps += 1;
        Ok(l)
    }
}

/// u(x), v(y) and the slack s_ij = u(x_i) + v(y_j) − c(x_i, y_j) the regulariser acts on (n × n).
fn slack<'t>(
    u: &mut Net,
    v: &mut Net,
    tape: &'t Tape,
    x: &Points,
    y: &Points,
    pu: &[Var<'t>],
    pv: &[Var<'t>],
) -> (Var<'t>, Var<'t>, Var<'t>) {
    let (xv, yv) = (tape.leaf(x), tape.leaf(y));
    let u = u.forward(pu, xv, nn::Mode::Train);
    let v = v.forward(pv, yv, nn::Mode::Train);
    (u, v, (pair_sq_dist(xv, yv) * -0.5 + u) + v.t())
}

impl Model for Barycentric {
    /// The dual stage runs before the first map step; map steps count as steps.
    fn critic_steps(&self) -> usize {
        if self.map_steps == 0 { self.dual_steps } else { 0 }
    }

    fn has_critic(&self) -> bool {
        true
    }

    fn critic_step(&mut self, data: &mut Batches) -> Result<Losses> {
        Ok(vec![("dual", self.dual_step(data)?)])
    }

    fn generator_step(&mut self, data: &mut Batches) -> Result<Losses> {
        Ok(vec![("map", self.map_step(data)?)])
    }

    fn configure(&mut self, cfg: &Config) {
        self.eps = cfg.get(REG_EPS);
        self.batch = cfg.get(BATCH);
        for n in [&mut self.u, &mut self.v, &mut self.map] {
            n.configure(cfg);
        }
    }

    fn apply(&mut self, x: &Points) -> Points {
        self.map.eval(&mut self.tape, x)
    }

    fn critic(&mut self, grid: &Points) -> Vec<(&'static str, Vec<f32>)> {
        let u = self.u.eval(&mut self.tape, grid).as_slice().to_vec();
        let v = self.v.eval(&mut self.tape, grid).as_slice().to_vec();
        vec![("u", u), ("v", v)]
    }

    fn save(&self) -> Value {
        save_nets(&[("u", &self.u), ("v", &self.v), ("map", &self.map)])
    }

    fn load(&mut self, v: &Value) -> Result<()> {
        load_nets(v, &mut [("u", &mut self.u), ("v", &mut self.v), ("map", &mut self.map)])
    }

    fn non_finite(&self) -> Option<String> {
        first_non_finite(&[("u", &self.u), ("v", &self.v), ("map", &self.map)])
    }
}
