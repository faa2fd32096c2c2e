//! Multi-layer perceptrons: a list of widths, an activation, optional batch norm after each
//! hidden linear layer, and an optional residual connection G(x) = x + H(x).

use super::init::Init;
use super::params::{Params, TensorJson};
use crate::autodiff::{Mat, Var};
use crate::error::{Error, Result};
use crate::rng::{self, Rng};
use serde::{Deserialize, Serialize};

/// The slope of leaky ReLU below zero.
const LEAKY_SLOPE: f32 = 0.2;

/// Hidden-layer nonlinearity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Activation {
    /// max(x, 0).
    Relu,
    /// x for x > 0, 0.2x otherwise.
    LeakyRelu,
    /// x for x > 0, e^x − 1 otherwise.
    Elu,
    /// tanh x.
    Tanh,
    /// ln(1 + e^x), a smooth ReLU.
    Softplus,
}

impl Activation {
    /// Apply to a node.
    pub fn apply<'t>(self, h: Var<'t>) -> Var<'t> {
        match self {
            Activation::Relu => h.relu(),
            Activation::LeakyRelu => h.leaky_relu(LEAKY_SLOPE),
            Activation::Elu => h.elu(1.0),
            Activation::Tanh => h.tanh(),
            Activation::Softplus => h.softplus(),
        }
    }

    /// The slope below zero of a piecewise-linear activation (which fuses with the bias add).
    pub fn gate_slope(self) -> Option<f32> {
        match self {
            Activation::Relu => Some(0.0),
            Activation::LeakyRelu => Some(LEAKY_SLOPE),
            _ => None,
        }
    }

    /// Parse a config name.
    pub fn parse(s: &str) -> Result<Activation> {
        Ok(match s {
            "relu" => Activation::Relu,
            "leaky_relu" => Activation::LeakyRelu,
            "elu" => Activation::Elu,
            "tanh" => Activation::Tanh,
            "softplus" => Activation::Softplus,
            _ => {
                return Err(Error::config(
                    "activation",
                    format!("unknown `{s}`; expected relu, leaky_relu, elu, tanh or softplus"),
                ));
            }
        })
    }
}

/// Architecture of an MLP.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MlpSpec {
    /// Layer widths from input to output, e.g. [2, 128, 128, 128, 1].
    pub widths: Vec<usize>,
    /// Hidden activation.
    pub activation: Activation,
    /// Batch norm after each hidden linear layer.
    pub batch_norm: bool,
    /// Output = input + network(input) (needs equal input and output widths).
    pub residual: bool,
    /// Weight initialisation (biases start at 0, or U(±1/√fan_in) for `Init::Torch`).
    pub init: Init,
    /// Batch-norm scale γ initialisation: None = ones; Some(σ) = N(0, σ²) (near-identity maps).
    pub bn_gamma_std: Option<f32>,
}

/// Training (batch statistics, running averages updated) or evaluation (running averages).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Use batch statistics and update the running averages.
    Train,
    /// Use the running averages.
    Eval,
    /// Use batch statistics and replace the running averages with them: re-estimates them after
    /// the weights moved faster than the averages follow.
    Calibrate,
}

/// Batch-norm momentum for running averages and the variance offset (PyTorch defaults).
const BN_MOMENTUM: f32 = 0.1;
const BN_EPS: f32 = 1e-5;

/// An MLP with its parameters and batch-norm running statistics.
#[derive(Debug, Clone, PartialEq)]
pub struct Mlp {
    /// Architecture.
    pub spec: MlpSpec,
    /// Parameters in bind order: per layer w, b, then (γ, β) after hidden layers with batch norm.
    pub params: Params,
    /// Per hidden layer with batch norm: running mean and variance (1 × width each).
    pub running: Vec<(Mat, Mat)>,
}

/// JSON form of a network.
#[derive(Serialize, Deserialize)]
struct MlpJson {
    spec: MlpSpec,
    params: Vec<TensorJson>,
    running_mean: Vec<Vec<f32>>,
    running_var: Vec<Vec<f32>>,
}

impl Mlp {
    /// A freshly initialised network.
    pub fn new(spec: MlpSpec, r: &mut Rng) -> Result<Mlp> {
        if spec.widths.len() < 2 || spec.widths.contains(&0) {
            return Err(Error::config(
                "widths",
                format!("need at least two positive widths, got {:?}", spec.widths),
            ));
        }
        if spec.residual && spec.widths[0] != spec.widths[spec.widths.len() - 1] {
            return Err(Error::config("widths", "a residual map needs equal input and output widths"));
        }
        let mut params = Params::default();
        let mut running = Vec::new();
        let layers = spec.widths.len() - 1;
        for l in 0..layers {
            let (fi, fo) = (spec.widths[l], spec.widths[l + 1]);
            params.push(format!("l{l}.w"), spec.init.sample(fi, fo, r));
            let bias = if spec.init == Init::Torch {
                Init::Torch.sample(fi, fo, r).rows(0, 1).into_owned()
            } else {
                Mat::zeros(1, fo)
            };
            params.push(format!("l{l}.b"), bias);
            if spec.batch_norm && l + 1 < layers {
                let gamma = match spec.bn_gamma_std {
                    Some(s) => Mat::from_fn(1, fo, |_, _| s * rng::normal(r)),
                    None => Mat::from_element(1, fo, 1.0),
                };
                params.push(format!("bn{l}.gamma"), gamma);
                params.push(format!("bn{l}.beta"), Mat::zeros(1, fo));
                running.push((Mat::zeros(1, fo), Mat::from_element(1, fo, 1.0)));
            }
        }
        Ok(Mlp { spec, params, running })
    }

    /// Evaluate on the batch `x` (rows = samples) with parameters `p` bound by `params.bind`.
    /// In `Mode::Train` batch norm uses batch statistics and updates the running averages.
    pub fn forward<'t>(&mut self, p: &[Var<'t>], x: Var<'t>, mode: Mode) -> Var<'t> {
        let layers = self.spec.widths.len() - 1;
        let (mut h, mut k, mut bn) = (x, 0, 0);
        for l in 0..layers {
            let hidden = l + 1 < layers;
            h = h.matmul(p[k]);
            let mut shift = p[k + 1];
            k += 2;
            if hidden && self.spec.batch_norm {
                h = self.batch_norm(bn, h + shift, p[k], mode);
                shift = p[k + 1];
                k += 2;
                bn += 1;
            }
            // the layer's last shift (bias, or batch norm's β) goes in one pass with a ReLU-like
            // activation
            h = match self.spec.activation.gate_slope().filter(|_| hidden) {
                Some(slope) => h.bias_relu(shift, slope),
                None if hidden => self.spec.activation.apply(h + shift),
                None => h + shift,
            };
        }
        if self.spec.residual { x + h } else { h }
    }

    /// γ ⊙ (h − μ) / √(σ² + eps) over the batch (biased σ² in the formula, unbiased σ² in the
    /// running average, as PyTorch does); the normalisation is one tape node (`standardize`),
    /// and the caller adds β.
    fn batch_norm<'t>(&mut self, i: usize, h: Var<'t>, gamma: Var<'t>, mode: Mode) -> Var<'t> {
        let tape = h.tape();
        match mode {
            Mode::Train | Mode::Calibrate => {
                let momentum = if mode == Mode::Calibrate { 1.0 } else { BN_MOMENTUM };
                let (y, moments) = h.standardize(BN_EPS);
                let r = h.shape().0;
                let unbias = if r > 1 { r as f32 / (r as f32 - 1.0) } else { 1.0 };
                let (rm, rv) = &mut self.running[i];
                for (j, &(mean, var)) in moments.iter().enumerate() {
                    rm[(0, j)] = rm[(0, j)] * (1.0 - momentum) + mean * momentum;
                    rv[(0, j)] = rv[(0, j)] * (1.0 - momentum) + var * (momentum * unbias);
                }
                y * gamma
            }
            Mode::Eval => {
                let (rm, rv) = (tape.leaf(&self.running[i].0), tape.leaf(&self.running[i].1));
                (h - rm) * (gamma / (rv + BN_EPS).sqrt())
            }
        }
    }

    /// Serialise architecture, parameters and running statistics as JSON.
    pub fn to_json(&self) -> String {
        let j = MlpJson {
            spec: self.spec.clone(),
            params: self.params.to_json(),
            running_mean: self.running.iter().map(|(m, _)| m.as_slice().to_vec()).collect(),
            running_var: self.running.iter().map(|(_, v)| v.as_slice().to_vec()).collect(),
        };
        serde_json::to_string(&j).unwrap_or_default()
    }

    /// Rebuild a network from `to_json` output; errors name the offending field.
    pub fn from_json(text: &str) -> Result<Mlp> {
        let j: MlpJson =
            serde_json::from_str(text).map_err(|e| Error::config("network", format!("invalid JSON: {e}")))?;
        let mut net = Mlp::new(j.spec, &mut rng::seeded(0))?;
        net.params.load_json(j.params, "params")?;
        if j.running_mean.len() != net.running.len() || j.running_var.len() != net.running.len() {
            return Err(Error::config(
                "running_mean",
                format!("expected {} batch-norm layers", net.running.len()),
            ));
        }
        for ((m, v), (rm, rv)) in j.running_mean.into_iter().zip(j.running_var).zip(net.running.iter_mut()) {
            if m.len() != rm.len() || v.len() != rv.len() {
                return Err(Error::config("running_mean", "batch-norm statistics have the wrong width"));
            }
            *rm = Mat::from_vec(1, m.len(), m);
            *rv = Mat::from_vec(1, v.len(), v);
        }
        Ok(net)
    }
}
