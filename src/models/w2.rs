//! W2GAN and W2-OT (math.md §3): two potentials φ and ψ = −φ + ε for the cost c = ½‖x − y‖²,
//! trained on the regularised dual with the inequality and tightness penalties; W2GAN also trains
//! a generator G (minimising E φ(G(x)), so G(x) is pushed along −∇φ, the Monge direction), W2-OT
//! reads the map T(x) = x − ∇φ(x) off φ.

use super::losses::half_sq_cost;
use super::nets::{Net, Role};
use super::{Batches, Losses, Model, Phase, TwoPlayer, alternate, first_non_finite, load_nets, save_nets};
use crate::autodiff::{Mat, Tape};
use crate::data::Points;
use crate::error::{Error, Result};
use crate::nn::Mode;
use crate::rng::{self, Rng};
use crate::train::Config;
use serde_json::Value;

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
    /// The generator's configured learning rate (the schedule's start).
    gen_lr: f32,
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
        let residual = cfg.text("mode") == "map";
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
            gen_lr: 0.0,
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
        let f = self.phi.forward(&p, xv, Mode::Eval);
        tape.grad(f, &[xv])[0].to_mat()
    }
}

impl TwoPlayer for W2 {
    fn n_critic(&self) -> usize {
        match self.generator {
            None => 1,
            Some(_) if self.gen_steps == 0 => self.n_critic + self.warmup,
            Some(_) => self.n_critic,
        }
    }

    /// One update of φ and ε on the regularised dual.
    fn critic_step(&mut self, data: &mut Batches) -> Result<f32> {
        let x = self.generated(data);
        let y = data.target(self.batch);
        let (xt, yt) = interpolates(&x, &y, &mut data.rng);
        let tape = &mut self.tape;
        tape.reset();
        let (pp, pe) = (self.phi.bind(tape), self.eps.bind(tape));
        let (phi, eps) = (&mut self.phi, &mut self.eps);
        let mut f = |p| phi.forward(&pp, p, Mode::Train);
        let mut e = |p| eps.forward(&pe, p, Mode::Train);
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
        self.phi.update(tape, loss, &pp, "φ")?;
        self.eps.update(tape, loss, &pe, "ε")?;
        Ok(l)
    }

    /// One generator update: minimise E φ(G(x)).
    fn generator_step(&mut self, data: &mut Batches) -> Result<Losses> {
        let Some(generator) = &mut self.generator else { return Ok(Vec::new()) };
        let src = data.source(self.batch);
        let tape = &mut self.tape;
        tape.reset();
        let (pg, pp) = (generator.bind(tape), self.phi.bind(tape));
        let gx = generator.forward(&pg, tape.leaf(&src), Mode::Train);
        let loss = self.phi.forward(&pp, gx, Mode::Train).mean();
        let l = loss.scalar();
        if self.gen_halflife > 0.0 {
            generator.set_lr(self.gen_lr * 0.5_f32.powf(self.gen_steps as f32 / self.gen_halflife));
        }
        generator.update(tape, loss, &pg, "generator")?;
        self.gen_steps += 1;
        Ok(vec![("generator", l)])
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

impl Model for W2 {
    fn step(&mut self, phase: Phase, data: &mut Batches) -> Result<Losses> {
        alternate(self, phase, data)
    }

    fn critic_steps(&self) -> usize {
        TwoPlayer::n_critic(self)
    }

    fn configure(&mut self, cfg: &Config) {
        self.lambda_ineq = cfg.f32("lambda_ineq");
        self.lambda_eq = cfg.f32("lambda_eq");
        self.n_critic = cfg.int("n_critic").max(1);
        self.warmup = cfg.int("critic_warmup");
        self.gen_halflife = cfg.int("gen_halflife") as f32;
        self.gen_lr = cfg.f32("gen_lr");
        self.batch = cfg.int("batch");
        self.phi.configure(cfg);
        self.eps.configure(cfg);
        if let Some(g) = &mut self.generator {
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

    fn has_generator(&self) -> bool {
        self.generator.is_some()
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
