//! W2GAN and W2-OT (math.md §3): two potentials φ and ψ = −φ + ε for the cost c = ½‖x − y‖²,
//! trained on the regularised dual with the inequality and tightness penalties; W2GAN also trains
//! a generator G (minimising E φ(G(x)), so G(x) is pushed along −∇φ, the Monge direction), W2-OT
//! reads the map T(x) = x − ∇φ(x) off φ.

use super::losses::half_sq_cost;
use super::nets::{Net, Role, describe_halving, update_all};
use super::{first_non_finite, load_nets, save_nets};
use crate::autodiff::{Mat, Tape};
use crate::data::Points;
use crate::error::{Error, Result};
use crate::method::keys::{
    BATCH, CRITIC_NET, CRITIC_WARMUP, GEN_HALFLIFE, GEN_LR, GEN_NET, LAMBDA_EQ, LAMBDA_INEQ, LATENT_DIM,
    N_CRITIC,
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
            GEN_HALFLIFE.spec,
            LAMBDA_INEQ.spec,
            LAMBDA_EQ.spec,
            LATENT_DIM.spec,
        ],
    ],
    // 2000 critic updates before G first moves, and a generator learning rate that halves every
    // 600 steps: G then stays near the W2 geodesic (on i.i.d. checkerboard, seed 0: max GeoDev
    // 0.085 against 0.39 without; faster settings drift off it once G#X is near Y)
    defaults: &[(CRITIC_WARMUP.spec, "2000"), (GEN_HALFLIFE.spec, "600"), (GEN_LR.spec, "1e-4")],
    trains: "two potentials φ, ψ (ψ = −φ + ε) for the cost ½‖x − y‖², and a generator G",
    loss: "φ,ψ: max E φ(G(x)) + E ψ(y) − λ·[(φ + ψ − c)₊² + tightness along T = Id − ∇φ];  G: min E φ(G(x))",
    watch: "G(x) moves along the discrete OT arrows: MapErr falls and GeoDev stays near 0 (the W2 geodesic)",
    shows: &["ot", "map"],
    measured: "On checkerboard it stalls near MapErr 0.2 (0.24 after 2000 steps, seed 0) and drifts off \
               the geodesic (GeoDev 0.06 at t̄ = 0.7). The penalised dual blurs the plan over about \
               λ^(−1/4) ≈ 0.27 at λ = 200, but the blur is not what stops it: at λ = 1000 (0.18) it \
               stalls the same (0.22 after 3000 steps), and the same potentials between the fixed X \
               and Y (w2ot) give a map at 0.07–0.10. G, moving along −∇φ of a critic that chases it, \
               stops short. Exact OT from the current G#X leaves the geodesic as fast: this generator \
               pulled by the exact assignment (MKE, map mode, batch 512, gen_lr 3e-5) reaches a largest \
               GeoDev of 0.060–0.071 over 3000 steps against W2GAN's 0.060–0.080 (seeds 0–2), both \
               growing with the flow time −ln(1 − t̄), since near the map's jumps between cells the \
               matching changes as G#X moves. At the defaults (gen_halflife 600) G stops short over long runs once its halving \
               learning rate runs out (gaussians4, 10 000 steps: MapErr 0.117); with gen_halflife=0, as \
               in the opening run and w2gan-fast, it reaches 0.017 by step 4000",
    step_name: "generator step",
    presets: &[
        Preset {
            name: "w2gan-fast",
            about: "W2GAN without critic warm-up or learning-rate decay: on 4-Gaussians G(X) follows the OT arrows in a few hundred steps; on checkerboard it drifts off the geodesic late",
            query: "critic_warmup=0&gen_halflife=0&gen_lr=3e-4",
        },
        Preset {
            name: "w2gan-paper",
            about: "W2GAN with the authors' 2D settings: batch 512, width 128, 5 critic steps, 5000 steps",
            query: "batch=512&critic_width=128&gen_width=128&critic_lr=5e-4&gen_lr=1e-4&beta1=0.9&beta2=0.999&n_critic=5&lambda_ineq=200&lambda_eq=200&critic_warmup=0&gen_halflife=0&steps=5000",
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
    /// The generator's learning rate halves every this many generator steps (0: constant).
    gen_halflife: f32,
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
            batch: 1,
            tape: Tape::new(),
        };
        m.configure(cfg);
        Ok(m)
    }

    /// The source batch as seen by the critic: G(x) (W2GAN) or x itself (W2-OT).
    fn generated(&mut self, data: &mut Batches) -> Points {
        let src = data.source(self.batch);
        match &mut self.generator {
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
}

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

    /// One generator update: minimise E φ(G(x)).
    fn generator_step(&mut self, data: &mut Batches) -> Result<Losses> {
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
        describe_halving("generator lr", self.gen_steps, self.gen_halflife)
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
