//! A network with its optimizer, built from the config's critic / generator / encoder keys.

use super::short;
use crate::autodiff::{Mat, Tape, Var};
use crate::error::{Error, Result};
use crate::method::Config;
use crate::method::keys::{
    BETA1, BETA2, CRITIC_ACT, CRITIC_DEPTH, CRITIC_INIT, CRITIC_LR, CRITIC_WIDTH, ENC_DEPTH, ENC_LR,
    ENC_WIDTH, GEN_ACT, GEN_BN, GEN_DEPTH, GEN_LR, GEN_OPT, GEN_WIDTH, Key,
};
use crate::nn::{Activation, Init, Mlp, MlpSpec, Mode, Optimizer, OptimizerKind};
use crate::rng::Rng;

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
    /// The configured learning rate (schedules scale it).
    lr: f32,
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
        let (w, d): (Key<usize>, Key<usize>) = match role {
            Role::Critic => (CRITIC_WIDTH, CRITIC_DEPTH),
            Role::Generator => (GEN_WIDTH, GEN_DEPTH),
            Role::Encoder => (ENC_WIDTH, ENC_DEPTH),
        };
        let mut widths = vec![input];
        widths.extend(std::iter::repeat_n(cfg.get(w), cfg.get(d)));
        widths.push(output);
        let spec = match role {
            Role::Critic => MlpSpec {
                widths,
                activation: Activation::parse(cfg.get(CRITIC_ACT))?,
                batch_norm: false,
                residual,
                init: Init::Normal(cfg.get(CRITIC_INIT)),
                bn_gamma_std: None,
            },
            Role::Generator => MlpSpec {
                widths,
                activation: Activation::parse(cfg.get(GEN_ACT))?,
                batch_norm: cfg.get(GEN_BN),
                residual,
                // a residual map starts at the identity: tiny weights and batch-norm scales
                init: if residual { Init::Normal(0.01) } else { Init::Kaiming },
                bn_gamma_std: if residual { Some(0.01) } else { None },
            },
            Role::Encoder => MlpSpec {
                widths,
                activation: Activation::parse(cfg.get(GEN_ACT))?,
                batch_norm: false,
                residual,
                init: Init::Kaiming,
                bn_gamma_std: None,
            },
        };
        let mlp = Mlp::new(spec, r)?;
        let opt = if role == Role::Generator && cfg.get(GEN_OPT) == "sgd" {
            Optimizer::new(OptimizerKind::Sgd { momentum: 0.9 }, 0.0)
        } else {
            Optimizer::adam(0.0, 0.9, 0.999)
        };
        let mut net = Net { mlp, opt, role, lr: 0.0 };
        net.configure(cfg);
        Ok(net)
    }

    /// Apply the live keys: learning rate and Adam betas.
    pub fn configure(&mut self, cfg: &Config) {
        self.lr = cfg.get(match self.role {
            Role::Critic => CRITIC_LR,
            Role::Generator => GEN_LR,
            Role::Encoder => ENC_LR,
        });
        self.opt.lr = self.lr;
        if let OptimizerKind::Adam { beta1, beta2, .. } = &mut self.opt.kind {
            *beta1 = cfg.get(BETA1);
            *beta2 = cfg.get(BETA2);
        }
    }

    /// Set the learning rate to `scale` times the configured one, halved every `halflife` of the
    /// `steps` taken (a `halflife` of 0: no halving).
    pub fn schedule_lr(&mut self, steps: usize, halflife: f32, scale: f32) {
        self.opt.lr = self.lr * halving(steps, halflife) * scale;
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
        update_all(tape, loss, &mut [(self, p, what)])
    }

    /// Apply precomputed gradients (in the order of `bind`); fails if one is not finite.
    fn apply_grads(&mut self, grads: &[Mat], what: &str) -> Result<()> {
        if let Some(i) = grads.iter().position(|g| g.iter().any(|v| !v.is_finite())) {
            return Err(Error::Diverged {
                step: 0,
                quantity: format!("gradient of {what} parameter {}", self.mlp.params.tensors[i].name),
            });
        }
        self.opt.step(&mut self.mlp.params, grads);
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

    /// Replace the batch-norm running averages with the statistics of the batch `x`.
    pub fn calibrate(&mut self, tape: &mut Tape, x: &Mat) {
        tape.reset();
        let p = self.bind(tape);
        self.forward(&p, tape.leaf(x), Mode::Calibrate);
    }

    /// The name of the first non-finite parameter, if any.
    pub fn non_finite(&self) -> Option<&str> {
        self.mlp.params.first_non_finite()
    }
}

/// One optimizer step for each of several networks trained on the same `loss`, from a single
/// backward pass over all their parameters. Each entry: the network, its bound parameters, a name
/// for messages. No network changes unless every gradient is finite.
pub fn update_all<'t>(
    tape: &'t Tape,
    loss: Var<'t>,
    nets: &mut [(&mut Net, &[Var<'t>], &str)],
) -> Result<()> {
    let all: Vec<Var<'t>> = nets.iter().flat_map(|(_, p, _)| p.iter().copied()).collect();
    let grads: Vec<Mat> = tape.grad(loss, &all).iter().map(|g| g.to_mat()).collect();
    tape.check()?;
    if let Some(k) = grads.iter().position(|g| g.iter().any(|v| !v.is_finite())) {
        let mut start = 0;
        for (net, p, what) in nets.iter_mut() {
            if k < start + p.len() {
                return net.apply_grads(&grads[start..start + p.len()], what);
            }
            start += p.len();
        }
    }
    let mut start = 0;
    for (net, p, what) in nets.iter_mut() {
        net.apply_grads(&grads[start..start + p.len()], what)?;
        start += p.len();
    }
    Ok(())
}

/// The factor a learning rate that halves every `halflife` steps has fallen by after `steps` (1
/// for a `halflife` of 0: no halving).
pub fn halving(steps: usize, halflife: f32) -> f32 {
    if halflife > 0.0 { 0.5_f32.powf(steps as f32 / halflife) } else { 1.0 }
}

/// How a halving learning rate stands after `steps`, in words, after the name of what it is
/// ("generator lr", "encoder lr also"); None for no halving.
pub fn describe_halving(what: &str, steps: usize, halflife: f32) -> Option<String> {
    (halflife > 0.0)
        .then(|| format!("{what} × {} (halves every {halflife} steps)", short(halving(steps, halflife))))
}
