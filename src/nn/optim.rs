//! Optimizers (SGD with momentum, Adam, RMSProp) updating a parameter set from its gradients.

use super::params::Params;
use crate::autodiff::Mat;
use serde::{Deserialize, Serialize};

/// Which update rule, with its constants.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OptimizerKind {
    /// v ← μv + g; θ ← θ − lr·v.
    Sgd { momentum: f32 },
    /// Adam (Kingma & Ba) with bias correction.
    Adam { beta1: f32, beta2: f32, eps: f32 },
    /// v ← αv + (1−α)g²; θ ← θ − lr·g/(√v + eps).
    RmsProp { alpha: f32, eps: f32 },
}

/// An optimizer with its per-parameter state; the learning rate can change between steps.
#[derive(Debug, Clone)]
pub struct Optimizer {
    /// Update rule.
    pub kind: OptimizerKind,
    /// Learning rate (changes apply from the next step).
    pub lr: f32,
    first: Vec<Mat>,
    second: Vec<Mat>,
    steps: i32,
}

impl Optimizer {
    /// A new optimizer; state is created on the first step.
    pub fn new(kind: OptimizerKind, lr: f32) -> Optimizer {
        Optimizer { kind, lr, first: Vec::new(), second: Vec::new(), steps: 0 }
    }

    /// Adam with the given betas and ε = 1e-8.
    pub fn adam(lr: f32, beta1: f32, beta2: f32) -> Optimizer {
        Optimizer::new(OptimizerKind::Adam { beta1, beta2, eps: 1e-8 }, lr)
    }

    /// One update of `params` with `grads` (same order and shapes).
    pub fn step(&mut self, params: &mut Params, grads: &[Mat]) {
        if self.first.len() != grads.len() {
            self.first = grads.iter().map(|g| Mat::zeros(g.nrows(), g.ncols())).collect();
            self.second = self.first.clone();
            self.steps = 0;
        }
        self.steps += 1;
        let lr = self.lr;
        for (k, (t, g)) in params.tensors.iter_mut().zip(grads).enumerate() {
            let (m, v) = (&mut self.first[k], &mut self.second[k]);
            let (theta, g, m, v) = (t.value.as_mut_slice(), g.as_slice(), m.as_mut_slice(), v.as_mut_slice());
            match self.kind {
                OptimizerKind::Sgd { momentum } => {
                    for i in 0..theta.len() {
                        m[i] = momentum * m[i] + g[i];
                        theta[i] -= lr * m[i];
                    }
                }
                OptimizerKind::Adam { beta1, beta2, eps } => {
                    let c1 = 1.0 - beta1.powi(self.steps);
                    let c2 = 1.0 - beta2.powi(self.steps);
                    for i in 0..theta.len() {
                        m[i] = beta1 * m[i] + (1.0 - beta1) * g[i];
                        v[i] = beta2 * v[i] + (1.0 - beta2) * g[i] * g[i];
                        theta[i] -= lr * (m[i] / c1) / ((v[i] / c2).sqrt() + eps);
                    }
                }
                OptimizerKind::RmsProp { alpha, eps } => {
                    for i in 0..theta.len() {
                        v[i] = alpha * v[i] + (1.0 - alpha) * g[i] * g[i];
                        theta[i] -= lr * g[i] / (v[i].sqrt() + eps);
                    }
                }
            }
        }
    }
}
