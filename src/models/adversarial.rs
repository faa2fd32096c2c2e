//! GAN, WGAN, WGAN-GP and WGAN-LP (math.md §3): one critic f against one generator G; the four
//! differ only in the critic's loss and in how f is kept in check.

use super::losses::row_norm;
use super::nets::{Net, Role};
use super::{first_non_finite, load_nets, save_nets};
use crate::autodiff::{Tape, Var};
use crate::data::Points;
use crate::error::Result;
use crate::method::keys::{
    BATCH, BETA1, BETA2, CLIP, CRITIC_INIT, CRITIC_LR, CRITIC_NET, GEN_LR, GEN_NET, LAMBDA, LATENT_DIM,
    N_CRITIC,
};
use crate::method::{Batches, Config, Family, Losses, Method, Mode, Model, Preset};
use crate::nn;
use crate::rng::{self, Rng};
use serde_json::Value;

const MODES: &[Mode] = &[Mode::Map, Mode::Generative];
const STEP: &str = "generator step";

/// Goodfellow's GAN.
pub const GAN: Method = Method {
    name: "gan",
    family: Family::Dual,
    modes: MODES,
    keys: &[CRITIC_NET, GEN_NET, &[N_CRITIC.spec, LATENT_DIM.spec]],
    defaults: &[(N_CRITIC.spec, "1"), (GEN_LR.spec, "1e-3"), (BETA1.spec, "0.5"), (CRITIC_INIT.spec, "0.3")],
    trains: "a discriminator D(y) ∈ (0, 1) and a generator G",
    loss: "D: max E log D(y) + E log(1 − D(G(x)));  G: min −E log D(G(x))",
    watch: "the heat map of D and the arrows ∇D that pull G(x) toward regions D calls real",
    shows: &["heat0", "signal"],
    measured: "",
    step_name: STEP,
    presets: &[],
    build: |cfg, s, r| Ok(Box::new(Adversarial::new(cfg, Objective::Gan, s.source_dim, r)?)),
};

/// Wasserstein GAN with weight clipping.
pub const WGAN: Method = Method {
    name: "wgan",
    family: Family::Dual,
    modes: MODES,
    keys: &[CRITIC_NET, GEN_NET, &[N_CRITIC.spec, CLIP.spec, LATENT_DIM.spec]],
    defaults: &[
        (N_CRITIC.spec, "5"),
        (CRITIC_LR.spec, "5e-4"),
        (GEN_LR.spec, "5e-4"),
        (CLIP.spec, "0.05"),
        (CRITIC_INIT.spec, "0.3"),
    ],
    trains: "a critic f kept Lipschitz by weight clipping (RMSProp), and a generator G",
    loss: "f: max E f(y) − E f(G(x)), weights clipped to [−c, c];  G: min −E f(G(x))",
    watch: "clipping makes f nearly piecewise linear: its gradient arrows all have similar length",
    shows: &["heat0", "signal"],
    measured: "",
    step_name: STEP,
    presets: &[],
    build: |cfg, s, r| Ok(Box::new(Adversarial::new(cfg, Objective::Clipped, s.source_dim, r)?)),
};

const PENALTY_DEFAULTS: &[(&crate::method::KeySpec, &str)] =
    &[(N_CRITIC.spec, "5"), (GEN_LR.spec, "1e-3"), (BETA1.spec, "0.5"), (BETA2.spec, "0.9")];

/// WGAN with the two-sided gradient penalty.
pub const WGAN_GP: Method = Method {
    name: "wgan-gp",
    family: Family::Dual,
    modes: MODES,
    keys: &[CRITIC_NET, GEN_NET, &[N_CRITIC.spec, LAMBDA.spec, LATENT_DIM.spec]],
    defaults: PENALTY_DEFAULTS,
    trains: "a critic f with a gradient penalty, and a generator G",
    loss: "f: max E f(y) − E f(G(x)) − λ E(‖∇f(x̂)‖ − 1)², x̂ between y and G(x)",
    watch: "‖∇f‖ ≈ 1 between the clouds: f becomes a Kantorovich potential for the cost ‖x − y‖. In map \
            mode G(X) comes near Y, then swings off the OT arrows: MapErr falls, then rises again",
    shows: &["heat0", "signal"],
    measured: "In map mode on gaussians4 (2000 steps, seeds 0–2) the final MapErr is 5.7–39× the best it \
               reached: unstable as G(X) approaches Y, as the W2GAN paper reports (the claims table)",
    step_name: STEP,
    presets: &[Preset {
        name: "wgan-gp-toy",
        about: "WGAN-GP on 8 Gaussians with Gulrajani et al.'s toy settings: λ 10, 5 critic steps, Adam (0.5, 0.9)",
        query: "pair=gaussians8&mode=generative&lambda=10&n_critic=5&critic_lr=1e-4&gen_lr=1e-4&beta1=0.5&beta2=0.9&batch=256",
    }],
    build: |cfg, s, r| Ok(Box::new(Adversarial::new(cfg, Objective::GradientPenalty, s.source_dim, r)?)),
};

/// WGAN with the one-sided (Lipschitz) penalty.
pub const WGAN_LP: Method = Method {
    name: "wgan-lp",
    family: Family::Dual,
    modes: MODES,
    keys: &[CRITIC_NET, GEN_NET, &[N_CRITIC.spec, LAMBDA.spec, LATENT_DIM.spec]],
    defaults: PENALTY_DEFAULTS,
    trains: "a critic f with a one-sided gradient penalty, and a generator G",
    loss: "f: max E f(y) − E f(G(x)) − λ E max(0, ‖∇f(x̂)‖ − 1)²",
    watch: "like WGAN-GP, but only gradients steeper than 1 are penalised",
    shows: &["heat0", "signal"],
    measured: "",
    step_name: STEP,
    presets: &[],
    build: |cfg, s, r| Ok(Box::new(Adversarial::new(cfg, Objective::LipschitzPenalty, s.source_dim, r)?)),
};

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
        let generator = Net::new(cfg, Role::Generator, dim, 2, cfg.mode() == Mode::Map, r)?;
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

impl Model for Adversarial {
    fn critic_steps(&self) -> usize {
        self.n_critic
    }

    fn critic_step(&mut self, data: &mut Batches) -> Result<Losses> {
        let src = data.source(self.batch);
        let gx = self.generator.eval_train(&mut self.tape, &src);
        let y = data.target(self.batch);
        let tape = &mut self.tape;
        tape.reset();
        let p = self.critic.bind(tape);
        let critic = &mut self.critic;
        let mut f = |v| critic.forward(&p, v, nn::Mode::Train);
        let (f_y, f_g) = (f(tape.leaf(&y)), f(tape.leaf(&gx)));
        let loss = match self.objective {
            // −E log σ(f(y)) − E log(1 − σ(f(G(x))))
            Objective::Gan => (-f_y).softplus().mean() + f_g.softplus().mean(),
            Objective::Clipped => f_g.mean() - f_y.mean(),
            Objective::GradientPenalty | Objective::LipschitzPenalty => {
                let hv = tape.leaf(&between(&y, &gx, &mut data.rng));
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
        Ok(vec![("critic", l)])
    }

    fn generator_step(&mut self, data: &mut Batches) -> Result<Losses> {
        let src = data.source(self.batch);
        let tape = &mut self.tape;
        tape.reset();
        let (pg, pc) = (self.generator.bind(tape), self.critic.bind(tape));
        let gx = self.generator.forward(&pg, tape.leaf(&src), nn::Mode::Train);
        let f_g = self.critic.forward(&pc, gx, nn::Mode::Train);
        let loss = generator_loss(self.objective, f_g).mean();
        let l = loss.scalar();
        self.generator.update(tape, loss, &pg, "generator")?;
        Ok(vec![("generator", l)])
    }

    fn configure(&mut self, cfg: &Config) {
        if self.objective == Objective::GradientPenalty || self.objective == Objective::LipschitzPenalty {
            self.lambda = cfg.get(LAMBDA);
        }
        if self.objective == Objective::Clipped {
            self.clip = cfg.get(CLIP);
        }
        self.n_critic = cfg.get(N_CRITIC).max(1);
        self.batch = cfg.get(BATCH);
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
        let f_g = self.critic.forward(&p, g, nn::Mode::Eval);
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

/// x̂ = αy + (1 − α)g with α ~ U[0, 1] per sample.
fn between(y: &Points, g: &Points, r: &mut Rng) -> Points {
    let a: Vec<f32> = (0..y.nrows()).map(|_| rng::uniform(r)).collect();
    Points::from_fn(y.nrows(), y.ncols(), |i, k| a[i] * y[(i, k)] + (1.0 - a[i]) * g[(i, k)])
}
