//! A network with its optimizer, built from the config's critic / generator / encoder keys.

use crate::autodiff::{Mat, Tape, Var};
use crate::error::{Error, Result};
use crate::nn::{Activation, Init, Mlp, MlpSpec, Mode, Optimizer, OptimizerKind};
use crate::rng::Rng;
use crate::train::Config;

/// Which config keys size a network and set its learning rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// critic_* keys (critics, potentials, discriminators).
    Critic,
    /// gen_* keys (generators, maps, decoders).
    Generator,
    /// enc_* keys (encoders).
    Encoder,
}

/// An MLP and the optimizer that trains it.
#[derive(Debug, Clone)]
pub struct Net {
    /// The network.
    pub mlp: Mlp,
    /// Its optimizer.
    pub opt: Optimizer,
    role: Role,
}

impl Net {
    /// A network for `role` mapping `input` to `output` dimensions; `residual` makes it x + H(x).
    pub fn new(
        cfg: &Config,
        role: Role,
        input: usize,
        output: usize,
        residual: bool,
        r: &mut Rng,
    ) -> Result<Net> {
        let (w, d) = match role {
            Role::Critic => ("critic_width", "critic_depth"),
            Role::Generator => ("gen_width", "gen_depth"),
            Role::Encoder => ("enc_width", "enc_depth"),
        };
        let mut widths = vec![input];
        widths.extend(std::iter::repeat_n(cfg.int(w), cfg.int(d)));
        widths.push(output);
        let spec = match role {
            Role::Critic => MlpSpec {
                widths,
                activation: Activation::parse(cfg.text("critic_act"))?,
                batch_norm: false,
                residual,
                init: Init::Normal(cfg.f32("critic_init")),
                bn_gamma_std: None,
            },
            Role::Generator => MlpSpec {
                widths,
                activation: Activation::parse(cfg.text("gen_act"))?,
                batch_norm: cfg.flag("gen_bn"),
                residual,
                // a residual map starts at the identity: tiny weights and batch-norm scales
                init: if residual { Init::Normal(0.01) } else { Init::Kaiming },
                bn_gamma_std: if residual { Some(0.01) } else { None },
            },
            Role::Encoder => MlpSpec {
                widths,
                activation: Activation::parse(cfg.text("gen_act"))?,
                batch_norm: false,
                residual,
                init: Init::Kaiming,
                bn_gamma_std: None,
            },
        };
        let mlp = Mlp::new(spec, r)?;
        let opt = if role == Role::Generator && cfg.text("gen_opt") == "sgd" {
            Optimizer::new(OptimizerKind::Sgd { momentum: 0.9 }, 0.0)
        } else {
            Optimizer::adam(0.0, 0.9, 0.999)
        };
        let mut net = Net { mlp, opt, role };
        net.configure(cfg);
        Ok(net)
    }

    /// Apply the live keys: learning rate and Adam betas.
    pub fn configure(&mut self, cfg: &Config) {
        self.opt.lr = cfg.f32(match self.role {
            Role::Critic => "critic_lr",
            Role::Generator => "gen_lr",
            Role::Encoder => "enc_lr",
        });
        if let OptimizerKind::Adam { beta1, beta2, .. } = &mut self.opt.kind {
            *beta1 = cfg.f32("beta1");
            *beta2 = cfg.f32("beta2");
        }
    }

    /// Set the learning rate (schedules; `configure` restores the configured one).
    pub fn set_lr(&mut self, lr: f32) {
        self.opt.lr = lr;
    }

    /// Use RMSProp instead of Adam (WGAN with clipping).
    pub fn use_rmsprop(&mut self) {
        self.opt.kind = OptimizerKind::RmsProp { alpha: 0.99, eps: 1e-8 };
    }

    /// Leaves holding the parameters.
    pub fn bind<'t>(&self, tape: &'t Tape) -> Vec<Var<'t>> {
        self.mlp.params.bind(tape)
    }

    /// Forward pass on the tape.
    pub fn forward<'t>(&mut self, p: &[Var<'t>], x: Var<'t>, mode: Mode) -> Var<'t> {
        self.mlp.forward(p, x, mode)
    }

    /// One optimizer step on d`loss`/d`p`; fails if the gradients are not finite.
    pub fn update<'t>(&mut self, tape: &'t Tape, loss: Var<'t>, p: &[Var<'t>], what: &str) -> Result<()> {
        let grads: Vec<Mat> = tape.grad(loss, p).iter().map(|g| g.to_mat()).collect();
        tape.check()?;
        if let Some(i) = grads.iter().position(|g| g.iter().any(|v| !v.is_finite())) {
            return Err(Error::Diverged {
                step: 0,
                quantity: format!("gradient of {what} parameter {}", self.mlp.params.tensors[i].name),
            });
        }
        self.opt.step(&mut self.mlp.params, &grads);
        Ok(())
    }

    /// Evaluate on plain data (no gradients), in evaluation mode (batch-norm running statistics).
    pub fn eval(&mut self, tape: &mut Tape, x: &Mat) -> Mat {
        tape.reset();
        let p = self.bind(tape);
        self.forward(&p, tape.leaf(x), Mode::Eval).to_mat()
    }

    /// Evaluate on a training batch (batch statistics, running averages updated), without gradients.
    pub fn eval_train(&mut self, tape: &mut Tape, x: &Mat) -> Mat {
        tape.reset();
        let p = self.bind(tape);
        self.forward(&p, tape.leaf(x), Mode::Train).to_mat()
    }

    /// The name of the first non-finite parameter, if any.
    pub fn non_finite(&self) -> Option<&str> {
        self.mlp.params.first_non_finite()
    }
}
