//! GAN, WGAN, WGAN-GP and WGAN-LP (math.md §3): one critic f against one generator G; the four
//! differ only in the critic's loss and in how f is kept in check.

use super::losses::row_norm;
use super::nets::{Net, Role};
use super::{Batches, Losses, Model, Phase, TwoPlayer, alternate, first_non_finite, load_nets, save_nets};
use crate::autodiff::{Tape, Var};
use crate::data::Points;
use crate::error::Result;
use crate::nn::Mode;
use crate::rng::{self, Rng};
use crate::train::Config;
use serde_json::Value;

/// Which adversarial objective.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Objective {
    /// Goodfellow's GAN: D = σ(f) separates real from generated; non-saturating generator loss.
    Gan,
    /// Wasserstein GAN with weight clipping and RMSProp.
    Clipped,
    /// WGAN with the two-sided gradient penalty λ E(‖∇f(x̂)‖ − 1)².
    GradientPenalty,
    /// WGAN with the one-sided penalty λ E max(0, ‖∇f(x̂)‖ − 1)².
    LipschitzPenalty,
}

/// A critic and a generator trained adversarially.
pub struct Adversarial {
    objective: Objective,
    critic: Net,
    generator: Net,
    lambda: f32,
    clip: f32,
    n_critic: usize,
    batch: usize,
    tape: Tape,
}

impl Adversarial {
    /// A critic on the plane and a generator from `dim` dimensions (residual in map mode).
    pub fn new(cfg: &Config, objective: Objective, dim: usize, r: &mut Rng) -> Result<Adversarial> {
        let mut critic = Net::new(cfg, Role::Critic, 2, 1, false, r)?;
        if objective == Objective::Clipped {
            critic.use_rmsprop();
        }
        let generator = Net::new(cfg, Role::Generator, dim, 2, cfg.text("mode") == "map", r)?;
        let mut m = Adversarial {
            objective,
            critic,
            generator,
            lambda: 0.0,
            clip: 0.0,
            n_critic: 1,
            batch: 1,
            tape: Tape::new(),
        };
        m.configure(cfg);
        if objective == Objective::Clipped {
            m.critic.mlp.params.clip(m.clip);
        }
        Ok(m)
    }
}

/// The generator's loss per sample from the critic's values at generated points (n × 1).
fn generator_loss(objective: Objective, f_g: Var<'_>) -> Var<'_> {
    match objective {
        // non-saturating: −log σ(f(G(x)))
        Objective::Gan => (-f_g).softplus(),
        _ => -f_g,
    }
}

impl TwoPlayer for Adversarial {
    fn n_critic(&self) -> usize {
        self.n_critic
    }

    fn critic_step(&mut self, data: &mut Batches) -> Result<f32> {
        let src = data.source(self.batch);
        let gx = self.generator.eval_train(&mut self.tape, &src);
        let y = data.target(self.batch);
        let hat = between(&y, &gx, &mut data.rng);
        let tape = &mut self.tape;
        tape.reset();
        let p = self.critic.bind(tape);
        let critic = &mut self.critic;
        let mut f = |v| critic.forward(&p, v, Mode::Train);
        let (f_y, f_g) = (f(tape.leaf(&y)), f(tape.leaf(&gx)));
        let loss = match self.objective {
            // −E log σ(f(y)) − E log(1 − σ(f(G(x))))
            Objective::Gan => (-f_y).softplus().mean() + f_g.softplus().mean(),
            Objective::Clipped => f_g.mean() - f_y.mean(),
            Objective::GradientPenalty | Objective::LipschitzPenalty => {
                let hv = tape.leaf(&hat);
                let g = tape.grad(f(hv), &[hv])[0];
                let excess = row_norm(g) - 1.0;
                let excess =
                    if self.objective == Objective::LipschitzPenalty { excess.relu() } else { excess };
                f_g.mean() - f_y.mean() + excess.square().mean().scale(self.lambda)
            }
        };
        let l = loss.scalar();
        self.critic.update(tape, loss, &p, "critic")?;
        if self.objective == Objective::Clipped {
            self.critic.mlp.params.clip(self.clip);
        }
        Ok(l)
    }

    fn generator_step(&mut self, data: &mut Batches) -> Result<Losses> {
        let src = data.source(self.batch);
        let tape = &mut self.tape;
        tape.reset();
        let (pg, pc) = (self.generator.bind(tape), self.critic.bind(tape));
        let gx = self.generator.forward(&pg, tape.leaf(&src), Mode::Train);
        let f_g = self.critic.forward(&pc, gx, Mode::Train);
        let loss = generator_loss(self.objective, f_g).mean();
        let l = loss.scalar();
        self.generator.update(tape, loss, &pg, "generator")?;
        Ok(vec![("generator", l)])
    }
}

/// x̂ = αy + (1 − α)g with α ~ U[0, 1] per sample.
fn between(y: &Points, g: &Points, r: &mut Rng) -> Points {
    let a: Vec<f32> = (0..y.nrows()).map(|_| rng::uniform(r)).collect();
    Points::from_fn(y.nrows(), y.ncols(), |i, k| a[i] * y[(i, k)] + (1.0 - a[i]) * g[(i, k)])
}

impl Model for Adversarial {
    fn step(&mut self, phase: Phase, data: &mut Batches) -> Result<Losses> {
        alternate(self, phase, data)
    }

    fn critic_steps(&self) -> usize {
        TwoPlayer::n_critic(self)
    }

    fn configure(&mut self, cfg: &Config) {
        self.lambda = cfg.f32("lambda");
        self.clip = cfg.f32("clip");
        self.n_critic = cfg.int("n_critic").max(1);
        self.batch = cfg.int("batch");
        self.critic.configure(cfg);
        self.generator.configure(cfg);
    }

    fn apply(&mut self, x: &Points) -> Points {
        self.generator.eval(&mut self.tape, x)
    }

    fn critic(&mut self, grid: &Points) -> Vec<(&'static str, Vec<f32>)> {
        let f = self.critic.eval(&mut self.tape, grid);
        match self.objective {
            Objective::Gan => vec![("D", f.iter().map(|v| 1.0 / (1.0 + (-v).exp())).collect())],
            _ => vec![("f", f.as_slice().to_vec())],
        }
    }

    fn signal(&mut self, gx: &Points) -> Option<Points> {
        let tape = &mut self.tape;
        tape.reset();
        let p = self.critic.bind(tape);
        let g = tape.leaf(gx);
        let f_g = self.critic.forward(&p, g, Mode::Eval);
        let loss = generator_loss(self.objective, f_g).sum();
        Some(-tape.grad(loss, &[g])[0].to_mat())
    }

    fn save(&self) -> Value {
        save_nets(&[("critic", &self.critic), ("generator", &self.generator)])
    }

    fn load(&mut self, v: &Value) -> Result<()> {
        load_nets(v, &mut [("critic", &mut self.critic), ("generator", &mut self.generator)])
    }

    fn non_finite(&self) -> Option<String> {
        first_non_finite(&[("critic", &self.critic), ("generator", &self.generator)])
    }
}
