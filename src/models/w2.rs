//! W2GAN and W2-OT (math.md §3): two potentials φ and ψ = −φ + ε for the cost c = ½‖x − y‖²,
//! trained on the regularised dual with the inequality and tightness penalties; W2GAN also trains
//! a generator G (minimising E φ(G(x)), so G(x) is pushed along −∇φ, the Monge direction), W2-OT
//! reads the map T(x) = x − ∇φ(x) off φ.

use super::losses::half_sq_cost;
use super::nets::{Net, Role, describe_halving, halving, update_all};
use super::{first_non_finite, load_nets, save_nets, short};
use crate::autodiff::{Mat, Tape};
use crate::data::Points;
use crate::error::{Error, Result};
use crate::method::keys::{
    BATCH, CRITIC_NET, CRITIC_WARMUP, GEN_FIT, GEN_HALFLIFE, GEN_LR, GEN_NET, GEN_STRIDE, LAMBDA_EQ,
    LAMBDA_INEQ, LATENT_DIM, N_CRITIC,
};
use crate::method::{Batches, Config, Family, Losses, Method, Mode, Model, Preset};
use crate::nn;
use crate::rng::{self, Rng};
use serde_json::Value;

/// W2GAN (Leygonie et al.): a generator trained against two regularised potentials.
pub const W2GAN: Method = Method {
    name: "w2gan",
    family: Family::Dual,
    modes: &[Mode::Map, Mode::Generative],
    keys: &[
        CRITIC_NET,
        GEN_NET,
        &[
            N_CRITIC.spec,
            CRITIC_WARMUP.spec,
            GEN_FIT.spec,
            GEN_STRIDE.spec,
            GEN_HALFLIFE.spec,
            LAMBDA_INEQ.spec,
            LAMBDA_EQ.spec,
            LATENT_DIM.spec,
        ],
    ],
    // 2000 critic updates before G first moves; then moves of 500 steps, each fitting G to where
    // it stood moved a quarter of the way along −∇φ — the step the paper's analysis assumes; the stride
    // halves every 5000 steps
    defaults: &[
        (CRITIC_WARMUP.spec, "2000"),
        (GEN_FIT.spec, "500"),
        (GEN_LR.spec, "1e-3"),
        (GEN_HALFLIFE.spec, "5000"),
    ],
    trains: "two potentials φ, ψ (ψ = −φ + ε) for the cost ½‖x − y‖², and a generator G",
    loss: "φ,ψ: max E φ(G(x)) (G₀(x) in a move) + E ψ(y) − λ·[(φ + ψ − c)₊² + tightness along T = Id − ∇φ];  G: in a move from \
           G₀, min E‖G(x) − (G₀(x) − α∇φ(G₀(x)))‖² (α = gen_stride), or the paper's min E φ(G(x)) (gen_fit=0)",
    watch: "G(x) moves along the discrete OT arrows, one move of gen_fit steps at a time (the status line \
            counts them): MapErr falls and GeoDev stays near 0 (the W2 geodesic) until G stops short of Y; \
            with the paper's step (gen_fit=0, as in w2gan-fast) it leaves the geodesic sooner on checkerboard",
    shows: &["ot", "map"],
    measured: "Over 10 000 steps at the defaults (seeds 0–2): gaussians4 MapErr 0.019–0.030 (floor 0.017–0.028), \
               largest GeoDev ≤ 0.003; spirals 0.048–0.057, largest GeoDev 0.023–0.030; checkerboard 0.076–0.110, \
               largest GeoDev 0.030–0.042 (0.014–0.018 at t̄ 0.6). G stops short of Y (t̄ 0.86–0.88 on \
               checkerboard): the penalised critic's pull fades into its own error, and with a constant \
               stride the moves then stir G off the geodesic (GeoDev creeping to 0.051–0.067 by step \
               10 000); the stride halving every 5000 steps stops that. With the paper's step (gen_fit=0, \
               lr 1e-4 halving every 600 steps): checkerboard MapErr 0.19–0.26, largest GeoDev \
               0.070–0.100. A gradient step on E φ(G(x)) moves the network's points along a smoothed \
               −∇φ: near the map's jumps between cells they lag, and the next critic, fitted from where \
               they stand, keeps them there — the same step pulled by exact OT drifts as fast \
               (0.033–0.051 at t̄ 0.6). Fitted to the geodesic's points directly, this network scores \
               GeoDev 0.013–0.020 at t̄ 0.89",
    step_name: "generator step",
    presets: &[
        Preset {
            name: "w2gan-fast",
            about: "W2GAN with the paper's step (a gradient step on E φ(G(x))) and no critic warm-up: on 4-Gaussians G(X) follows the OT arrows in a few hundred steps; on checkerboard it drifts off the geodesic late",
            query: "critic_warmup=0&gen_fit=0&gen_halflife=0&gen_lr=3e-4",
        },
        Preset {
            name: "w2gan-paper",
            about: "W2GAN with the authors' 2D settings: batch 512, width 128, 5 critic steps, 5000 steps",
            query: "batch=512&critic_width=128&gen_width=128&critic_lr=5e-4&gen_lr=1e-4&beta1=0.9&beta2=0.999&n_critic=5&lambda_ineq=200&lambda_eq=200&critic_warmup=0&gen_fit=0&gen_halflife=0&steps=5000",
        },
    ],
    build: |cfg, s, r| Ok(Box::new(W2::new(cfg, s.source_dim, true, r)?)),
};

/// W2-OT: the two potentials alone, between fixed X and Y; the map is x − ∇φ(x).
pub const W2OT: Method = Method {
    name: "w2ot",
    family: Family::Dual,
    modes: &[Mode::Map],
    keys: &[CRITIC_NET, &[LAMBDA_INEQ.spec, LAMBDA_EQ.spec]],
    defaults: &[],
    trains: "only the potentials φ, ψ between the fixed X and Y",
    loss: "max E φ(x) + E ψ(y) − λ·[(φ + ψ − c)₊² + tightness];  the map is T(x) = x − ∇φ(x)",
    watch: "the arrows x → x − ∇φ(x) converge to the discrete OT arrows",
    shows: &["ot", "monge"],
    measured: "",
    step_name: "potential update",
    presets: &[Preset {
        name: "w2ot-paper",
        about: "W2-OT (the W2GAN paper's Fig. 3): potentials φ, ψ between fixed X and Y, map x − ∇φ(x)",
        query: "batch=512&critic_width=128&critic_lr=5e-4&beta1=0.9&beta2=0.999&lambda_ineq=200&lambda_eq=200&steps=5000",
    }],
    build: |cfg, s, r| Ok(Box::new(W2::new(cfg, s.source_dim, false, r)?)),
};

/// W2GAN (with a generator) or W2-OT (without).
pub struct W2 {
    phi: Net,
    eps: Net,
    generator: Option<Net>,
    lambda_ineq: f32,
    lambda_eq: f32,
    n_critic: usize,
    /// Extra critic updates before the first generator update (W2GAN).
    warmup: usize,
    /// Generator updates done.
    gen_steps: usize,
    /// The generator's learning rate (the paper's step) or a fitted move's stride halves every
    /// this many generator steps (0: constant).
    gen_halflife: f32,
    /// Generator steps per fitted move (0: the paper's step on E φ(G(x))).
    fit: usize,
    /// The fraction of the way to x − ∇φ(x) a fitted move asks for.
    stride: f32,
    /// The generator as the current fitted move began: the critic sees its points, and G is fitted
    /// to them moved along −∇φ.
    anchor: Option<Net>,
    /// Source points, drawn once, on which G's batch-norm statistics are re-estimated after each
    /// step of a fitted move.
    calibration: Option<Points>,
    batch: usize,
    tape: Tape,
}

impl W2 {
    /// Potentials on `dim`-dimensional points, and a generator when `with_generator`.
    pub fn new(cfg: &Config, dim: usize, with_generator: bool, r: &mut Rng) -> Result<W2> {
        if dim != 2 {
            return Err(Error::config(
                "mode",
                "W2 methods map 2D points to 2D points; use mode=map or latent_dim=2",
            ));
        }
        let residual = cfg.mode() == Mode::Map;
        let generator =
            if with_generator { Some(Net::new(cfg, Role::Generator, dim, 2, residual, r)?) } else { None };
        let mut m = W2 {
            phi: Net::new(cfg, Role::Critic, 2, 1, false, r)?,
            eps: Net::new(cfg, Role::Critic, 2, 1, false, r)?,
            generator,
            lambda_ineq: 0.0,
            lambda_eq: 0.0,
            n_critic: 1,
            warmup: 0,
            gen_steps: 0,
            gen_halflife: 0.0,
            fit: 0,
            stride: 0.0,
            anchor: None,
            calibration: None,
            batch: 1,
            tape: Tape::new(),
        };
        m.configure(cfg);
        Ok(m)
    }

    /// The source batch as seen by the critic: G(x) (W2GAN; G₀(x) during a fitted move) or x
    /// itself (W2-OT).
    fn generated(&mut self, data: &mut Batches) -> Points {
        let src = data.source(self.batch);
        match self.anchor.as_mut().or(self.generator.as_mut()) {
            Some(g) => g.eval_train(&mut self.tape, &src),
            None => src,
        }
    }

    /// ∇φ at the rows of `x`.
    fn grad_phi(&mut self, x: &Points) -> Mat {
        let tape = &mut self.tape;
        tape.reset();
        let p = self.phi.bind(tape);
        let xv = tape.leaf(x);
        let f = self.phi.forward(&p, xv, nn::Mode::Eval);
        tape.grad(f, &[xv])[0].to_mat()
    }

    /// The fraction of the way to x − ∇φ(x) the current move asks for: `stride`, halving every
    /// `gen_halflife` generator steps. Late in a run the critic's pull is mostly its own error, and
    /// constant moves stir G off the geodesic while it no longer nears Y.
    fn stride_now(&self) -> f32 {
        self.stride * halving(self.gen_steps, self.gen_halflife)
    }

    /// One step of a fitted move: G is regressed onto G₀(x) − stride·∇φ(G₀(x)), G₀ the generator
    /// as the move began, so that every point moves along −∇φ as the paper's analysis assumes (a
    /// gradient step on E φ(G(x)) moves the network's points along a smoothed −∇φ instead, and
    /// near the map's jumps they lag). A new move begins every `fit` steps: G₀ is replaced at the
    /// end of a move's last step, so the critic's next updates already see it. G₀ sees the batch
    /// as G does, with its batch-norm statistics (with the running ones, G would also be pulled
    /// toward their mismatch every move).
    fn fitted_step(&mut self, data: &mut Batches) -> Result<Losses> {
        if self.anchor.is_none() {
            self.anchor = self.generator.clone();
        }
        let Some(anchor) = &mut self.anchor else { return Ok(Vec::new()) };
        let src = data.source(self.batch);
        let g0 = anchor.eval_train(&mut self.tape, &src);
        let target = &g0 - self.grad_phi(&g0) * self.stride_now();
        let Some(generator) = &mut self.generator else { return Ok(Vec::new()) };
        let tape = &mut self.tape;
        tape.reset();
        let p = generator.bind(tape);
        let gx = generator.forward(&p, tape.leaf(&src), nn::Mode::Train);
        let loss = (gx - tape.leaf(&target)).square().sum_cols().mean();
        let l = loss.scalar();
        generator.schedule_lr(self.gen_steps % self.fit, self.fit as f32 / 4.0, 1.0);
        generator.update(tape, loss, &p, "generator")?;
        let points = self.calibration.get_or_insert_with(|| data.source(CALIBRATION_POINTS));
        generator.calibrate(tape, points);
        self.gen_steps += 1;
        if self.gen_steps.is_multiple_of(self.fit) {
            self.anchor = self.generator.clone();
        }
        Ok(vec![("fit to G₀ − α∇φ(G₀)", l)])
    }
}

/// How many source points G's batch-norm statistics are re-estimated on after each fit step: at
/// the fit's learning rate the weights outrun the running averages, and G drawn or measured with
/// them strays far from the G being fitted (GeoDev 0.6 against 0.05 early in late moves).
const CALIBRATION_POINTS: usize = 1024;

impl Model for W2 {
    fn critic_steps(&self) -> usize {
        match self.generator {
            None => 0,
            Some(_) if self.gen_steps == 0 => self.n_critic + self.warmup,
            Some(_) => self.n_critic,
        }
    }

    fn has_generator(&self) -> bool {
        self.generator.is_some()
    }

    /// One update of φ and ε on the regularised dual.
    fn critic_step(&mut self, data: &mut Batches) -> Result<Losses> {
        let x = self.generated(data);
        let y = data.target(self.batch);
        let (xt, yt) = interpolates(&x, &y, &mut data.rng);
        let tape = &mut self.tape;
        tape.reset();
        let (pp, pe) = (self.phi.bind(tape), self.eps.bind(tape));
        let (phi, eps) = (&mut self.phi, &mut self.eps);
        let mut f = |p| phi.forward(&pp, p, nn::Mode::Train);
        let mut e = |p| eps.forward(&pe, p, nn::Mode::Train);
        let (xv, yv, xtv, ytv) = (tape.leaf(&x), tape.leaf(&y), tape.leaf(&xt), tape.leaf(&yt));
        let phi_x = f(xv);
        let phi_y = f(yv);
        let psi_y = e(yv) - phi_y;
        // E φ(x) + E ψ(y), to be maximised
        let value = phi_x.mean() + psi_y.mean();
        // φ(x) + ψ(y) ≤ c(x, y) on the batch pairs and on interpolates
        let ineq = (phi_x + psi_y - half_sq_cost(xv, yv)).relu().square().mean()
            + (f(xtv) + (e(ytv) - f(ytv)) - half_sq_cost(xtv, ytv)).relu().square().mean();
        // tightness along T_φ x = x − ∇φ(x) and T_ψ y = y − ∇ψ(y)
        let grad_phi_x = tape.grad(phi_x, &[xv])[0];
        let tx = xv - grad_phi_x;
        let grad_psi_y = tape.grad(psi_y, &[yv])[0];
        let ty = yv - grad_psi_y;
        let eq = (phi_x + (e(tx) - f(tx)) - half_sq_cost(xv, tx)).square().mean()
            + (f(ty) + psi_y - half_sq_cost(ty, yv)).square().mean();
        let loss = -value + ineq.scale(self.lambda_ineq) + eq.scale(self.lambda_eq);
        let l = loss.scalar();
        update_all(tape, loss, &mut [(&mut self.phi, &pp, "φ"), (&mut self.eps, &pe, "ε")])?;
        Ok(vec![("critic", l)])
    }

    /// One generator update: a gradient step on E φ(G(x)), or one step of a fitted move.
    fn generator_step(&mut self, data: &mut Batches) -> Result<Losses> {
        if self.fit > 0 {
            return self.fitted_step(data);
        }
        let Some(generator) = &mut self.generator else { return Ok(Vec::new()) };
        let src = data.source(self.batch);
        let tape = &mut self.tape;
        tape.reset();
        let (pg, pp) = (generator.bind(tape), self.phi.bind(tape));
        let gx = generator.forward(&pg, tape.leaf(&src), nn::Mode::Train);
        let loss = self.phi.forward(&pp, gx, nn::Mode::Train).mean();
        let l = loss.scalar();
        generator.schedule_lr(self.gen_steps, self.gen_halflife, 1.0);
        generator.update(tape, loss, &pg, "generator")?;
        self.gen_steps += 1;
        Ok(vec![("generator", l)])
    }

    fn schedule(&self) -> Option<String> {
        self.generator.as_ref()?;
        if self.fit == 0 {
            return describe_halving("generator lr", self.gen_steps, self.gen_halflife);
        }
        let moving = format!(
            "move {}: G fitted to G₀ − {}·∇φ(G₀), step {} of {}",
            self.gen_steps / self.fit + 1,
            short(self.stride_now()),
            self.gen_steps % self.fit + 1,
            self.fit
        );
        Some(if self.gen_halflife > 0.0 {
            format!("{moving}; the stride halves every {} steps", self.gen_halflife)
        } else {
            moving
        })
    }

    fn configure(&mut self, cfg: &Config) {
        self.lambda_ineq = cfg.get(LAMBDA_INEQ);
        self.lambda_eq = cfg.get(LAMBDA_EQ);
        self.batch = cfg.get(BATCH);
        self.phi.configure(cfg);
        self.eps.configure(cfg);
        if let Some(g) = &mut self.generator {
            self.n_critic = cfg.get(N_CRITIC).max(1);
            self.warmup = cfg.get(CRITIC_WARMUP);
            self.gen_halflife = cfg.get(GEN_HALFLIFE) as f32;
            self.fit = cfg.get(GEN_FIT);
            self.stride = cfg.get(GEN_STRIDE);
            if self.fit == 0 {
                self.anchor = None;
            }
            g.configure(cfg);
        }
    }

    fn apply(&mut self, x: &Points) -> Points {
        match &mut self.generator {
            Some(g) => g.eval(&mut self.tape, x),
            None => x - self.grad_phi(x),
        }
    }

    fn critic(&mut self, grid: &Points) -> Vec<(&'static str, Vec<f32>)> {
        let phi = self.phi.eval(&mut self.tape, grid);
        let eps = self.eps.eval(&mut self.tape, grid);
        let psi: Vec<f32> = eps.iter().zip(phi.iter()).map(|(e, p)| e - p).collect();
        vec![("φ", phi.as_slice().to_vec()), ("ψ", psi)]
    }

    fn signal(&mut self, gx: &Points) -> Option<Points> {
        self.generator.as_ref()?;
        Some(-self.grad_phi(gx))
    }

    fn monge(&mut self, x: &Points) -> Option<Points> {
        Some(x - self.grad_phi(x))
    }

    fn save(&self) -> Value {
        let mut nets = vec![("phi", &self.phi), ("eps", &self.eps)];
        if let Some(g) = &self.generator {
            nets.push(("generator", g));
        }
        save_nets(&nets)
    }

    fn load(&mut self, v: &Value) -> Result<()> {
        let mut nets = vec![("phi", &mut self.phi), ("eps", &mut self.eps)];
        if let Some(g) = &mut self.generator {
            nets.push(("generator", g));
        }
        load_nets(v, &mut nets)
    }

    fn non_finite(&self) -> Option<String> {
        let mut nets = vec![("φ", &self.phi), ("ε", &self.eps)];
        if let Some(g) = &self.generator {
            nets.push(("generator", g));
        }
        first_non_finite(&nets)
    }
}

/// x̃ = αx + (1−α)y and ỹ = βy + (1−β)x with α, β ~ U[0, 1] per sample.
fn interpolates(x: &Points, y: &Points, r: &mut Rng) -> (Points, Points) {
    let n = x.nrows();
    let a: Vec<f32> = (0..n).map(|_| rng::uniform(r)).collect();
    let b: Vec<f32> = (0..n).map(|_| rng::uniform(r)).collect();
    let xt = Points::from_fn(n, x.ncols(), |i, k| a[i] * x[(i, k)] + (1.0 - a[i]) * y[(i, k)]);
    let yt = Points::from_fn(n, x.ncols(), |i, k| b[i] * y[(i, k)] + (1.0 - b[i]) * x[(i, k)]);
    (xt, yt)
}
