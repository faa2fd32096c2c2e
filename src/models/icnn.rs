//! Convex-potential OT maps (math.md §3, "Convex-potential maps"; Amos 2023): a convex ψ given by
//! an input-convex network, the map T = ∇ψ, trained on the exact dual min E_X ψ + E_Y ψ* with no
//! penalty. ψ*(y) = ⟨x*, y⟩ − ψ(x*) where x* solves ∇ψ(x*) = y, found per sample by Newton's
//! method; by the envelope theorem the loss's gradient holds x* fixed.

use super::first_non_finite_in;
use crate::autodiff::{Mat, Tape, Var};
use crate::data::Points;
use crate::error::{Error, Result};
use crate::method::keys::{BATCH, BETA1, BETA2, CONJ_ITERS, CRITIC_DEPTH, CRITIC_LR, CRITIC_WIDTH, STEPS};
use crate::method::{Batches, Config, Family, Losses, Method, Mode, Model};
use crate::nn::{Icnn, IcnnSpec, Optimizer};
use crate::rng::Rng;
use serde_json::Value;

/// The convex-potential method.
pub const ICNN: Method = Method {
    name: "icnn",
    family: Family::Dual,
    modes: &[Mode::Map],
    keys: &[&[CRITIC_WIDTH.spec, CRITIC_DEPTH.spec, CRITIC_LR.spec, BETA1.spec, BETA2.spec, CONJ_ITERS.spec]],
    defaults: &[(CRITIC_DEPTH.spec, "2"), (CRITIC_LR.spec, "3e-3"), (STEPS.spec, "5000")],
    trains: "a convex potential ψ (an input-convex network); the map is T = ∇ψ (Brenier)",
    loss: "min E_X ψ(x) + E_Y ψ*(y), ψ*(y) = ⟨x*, y⟩ − ψ(x*) with ∇ψ(x*) = y solved by Newton's method",
    watch: "the arrows x → ∇ψ(x) meet the discrete OT arrows: no penalty blurs the plan, so the map is exact where ψ is",
    shows: &["ot", "monge"],
    measured: "",
    step_name: "potential update",
    presets: &[],
    build: |cfg, s, r| Ok(Box::new(ConvexMap::new(cfg, s.source_dim, r)?)),
};

/// Std of the input-skip weights at initialisation, and the activation's sharpness (measured on
/// checkerboard: β = 1 / 20 / 100 give MapErr 0.86 / 0.12 / 0.06 after 2000–3000 updates).
const INIT: f32 = 1.0;
const SHARPNESS: f32 = 100.0;
/// Decay of the exponential moving average of ψ's parameters that the map is read from.
const AVERAGE: f32 = 0.995;
/// Levenberg damping of the Newton steps, and the longest step allowed.
const DAMPING: f64 = 1e-6;
const MAX_STEP: f64 = 1.0;
/// Halvings tried per Newton step.
const HALVINGS: usize = 4;

/// A convex potential and its optimizer.
pub struct ConvexMap {
    psi: Icnn,
    /// Exponential moving average of ψ's parameters: the map read out between updates.
    avg: Icnn,
    opt: Optimizer,
    iters: usize,
    batch: usize,
    tape: Tape,
}

impl ConvexMap {
    /// A potential on `dim`-dimensional points whose gradient starts at the identity.
    pub fn new(cfg: &Config, dim: usize, r: &mut Rng) -> Result<ConvexMap> {
        if dim != 2 {
            return Err(Error::config("mode", "convex-potential maps send points of the plane to the plane"));
        }
        let spec = IcnnSpec {
            input: 2,
            width: cfg.get(CRITIC_WIDTH),
            depth: cfg.get(CRITIC_DEPTH),
            init: INIT,
            sharpness: SHARPNESS,
        };
        let psi = Icnn::new(spec, r)?;
        let mut m = ConvexMap {
            avg: psi.clone(),
            psi,
            opt: Optimizer::adam(0.0, 0.9, 0.999),
            iters: 1,
            batch: 1,
            tape: Tape::new(),
        };
        m.configure(cfg);
        Ok(m)
    }

    /// x* with ∇ψ(x*) = y for every row of `y`: Newton's method on f(x) = ψ(x) − ⟨x, y⟩ from
    /// x = y, each step halved until f decreases (ψ convex, so x* minimises f). Also returns the
    /// mean residual ‖∇ψ(x*) − y‖ left.
    fn conjugate_points(&mut self, y: &Points) -> (Points, f64) {
        let mut x = y.clone();
        let n = y.nrows();
        let objective = |m: &mut ConvexMap, x: &Points| -> Vec<f64> {
            let psi = values(&m.psi, &mut m.tape, x);
            (0..n).map(|i| psi[i] as f64 - (x[(i, 0)] * y[(i, 0)] + x[(i, 1)] * y[(i, 1)]) as f64).collect()
        };
        let mut f = objective(self, &x);
        for _ in 0..self.iters {
            let tape = &mut self.tape;
            tape.reset();
            let p = self.psi.params.bind(tape);
            let xv = tape.leaf(&x);
            let g = tape.grad(self.psi.forward(&p, xv), &[xv])[0];
            let h0 = tape.grad(g.slice_cols(0, 1), &[xv])[0].to_mat();
            let h1 = tape.grad(g.slice_cols(1, 1), &[xv])[0].to_mat();
            let g = g.to_mat();
            let mut step = Points::zeros(n, 2);
            for i in 0..n {
                let r = [(g[(i, 0)] - y[(i, 0)]) as f64, (g[(i, 1)] - y[(i, 1)]) as f64];
                let (a, b, c, d) = (
                    h0[(i, 0)] as f64 + DAMPING,
                    h0[(i, 1)] as f64,
                    h1[(i, 0)] as f64,
                    h1[(i, 1)] as f64 + DAMPING,
                );
                let det = a * d - b * c;
                let mut s = if det.is_finite() && det > 0.0 {
                    [(d * r[0] - b * r[1]) / det, (a * r[1] - c * r[0]) / det]
                } else {
                    r
                };
                let len = (s[0] * s[0] + s[1] * s[1]).sqrt();
                if len > MAX_STEP {
                    s = [s[0] * MAX_STEP / len, s[1] * MAX_STEP / len];
                }
                (step[(i, 0)], step[(i, 1)]) = (s[0] as f32, s[1] as f32);
            }
            // backtracking: keep each point's step only where f decreases, else halve it
            let mut t = 1.0f32;
            let mut pending: Vec<usize> = (0..n).collect();
            for _ in 0..HALVINGS {
                let trial = Points::from_fn(n, 2, |i, k| x[(i, k)] - t * step[(i, k)]);
                let ft = objective(self, &trial);
                pending.retain(|&i| {
                    if ft[i] <= f[i] {
                        (x[(i, 0)], x[(i, 1)], f[i]) = (trial[(i, 0)], trial[(i, 1)], ft[i]);
                        false
                    } else {
                        true
                    }
                });
                if pending.is_empty() {
                    break;
                }
                t *= 0.5;
            }
        }
        let g = gradient(&self.psi, &mut self.tape, &x);
        let residual = (0..n).map(|i| ((g.row(i) - y.row(i)).norm()) as f64).sum::<f64>() / n.max(1) as f64;
        (x, residual)
    }
}

impl Model for ConvexMap {
    fn has_generator(&self) -> bool {
        false
    }

    /// One update of ψ on the dual E_X ψ + E_Y ψ*, with the conjugate points held fixed.
    fn critic_step(&mut self, data: &mut Batches) -> Result<Losses> {
        let (x, y) = (data.source(self.batch), data.target(self.batch));
        let (xs, residual) = self.conjugate_points(&y);
        let tape = &mut self.tape;
        tape.reset();
        let p = self.psi.params.bind(tape);
        let on_x = self.psi.forward(&p, tape.leaf(&x)).mean();
        let on_star = self.psi.forward(&p, tape.leaf(&xs));
        // ψ*(y) = ⟨x*, y⟩ − ψ(x*): the first term does not depend on the parameters
        let dual_y = (tape.leaf(&xs) * tape.leaf(&y)).sum_cols() - on_star;
        let loss = on_x + dual_y.mean();
        let grads: Vec<Mat> = tape.grad(loss, &p).iter().map(|g| g.to_mat()).collect();
        tape.check()?;
        if let Some(i) = grads.iter().position(|g| g.iter().any(|v| !v.is_finite())) {
            let name = &self.psi.params.tensors[i].name;
            return Err(Error::Diverged { step: 0, quantity: format!("gradient of ψ parameter {name}") });
        }
        let l = loss.scalar();
        self.opt.step(&mut self.psi.params, &grads);
        self.psi.project();
        for (a, t) in self.avg.params.tensors.iter_mut().zip(&self.psi.params.tensors) {
            a.value = &a.value * AVERAGE + &t.value * (1.0 - AVERAGE);
        }
        Ok(vec![("dual", l), ("conjugate residual", residual as f32)])
    }

    fn configure(&mut self, cfg: &Config) {
        self.opt.lr = cfg.get(CRITIC_LR);
        if let crate::nn::OptimizerKind::Adam { beta1, beta2, .. } = &mut self.opt.kind {
            *beta1 = cfg.get(BETA1);
            *beta2 = cfg.get(BETA2);
        }
        self.iters = cfg.get(CONJ_ITERS);
        self.batch = cfg.get(BATCH);
    }

    /// The map ∇ψ of the averaged potential.
    fn apply(&mut self, x: &Points) -> Points {
        gradient(&self.avg, &mut self.tape, x)
    }

    fn critic(&mut self, grid: &Points) -> Vec<(&'static str, Vec<f32>)> {
        vec![("ψ", values(&self.avg, &mut self.tape, grid))]
    }

    fn monge(&mut self, x: &Points) -> Option<Points> {
        Some(gradient(&self.avg, &mut self.tape, x))
    }

    fn monge_label(&self) -> &'static str {
        "x → ∇ψ(x)"
    }

    fn save(&self) -> Value {
        let json = |n: &Icnn| serde_json::from_str::<Value>(&n.to_json()).unwrap_or(Value::Null);
        serde_json::json!({ "psi": json(&self.psi), "average": json(&self.avg) })
    }

    fn load(&mut self, v: &Value) -> Result<()> {
        let read = |key: &str| -> Result<Icnn> {
            let item = v.get(key).ok_or_else(|| Error::config(key, "missing from the saved parameters"))?;
            let loaded = Icnn::from_json(&item.to_string())
                .map_err(|e| Error::config(key, format!("cannot load the saved network: {e}")))?;
            if loaded.spec != self.psi.spec {
                return Err(Error::config(key, "the saved network has another shape than this run's"));
            }
            Ok(loaded)
        };
        (self.psi, self.avg) = (read("psi")?, read("average")?);
        Ok(())
    }

    fn non_finite(&self) -> Option<String> {
        first_non_finite_in("ψ", &self.psi.params)
    }
}

/// ψ at the rows of `x`.
fn values(net: &Icnn, tape: &mut Tape, x: &Points) -> Vec<f32> {
    tape.reset();
    let p = net.params.bind(tape);
    let v: Var = net.forward(&p, tape.leaf(x));
    v.value().as_slice().to_vec()
}

/// ∇ψ at the rows of `x`.
fn gradient(net: &Icnn, tape: &mut Tape, x: &Points) -> Points {
    tape.reset();
    let p = net.params.bind(tape);
    let xv = tape.leaf(x);
    let psi = net.forward(&p, xv);
    tape.grad(psi, &[xv])[0].to_mat()
}
