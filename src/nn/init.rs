//! Weight initialisation schemes.

use crate::autodiff::Mat;
use crate::rng::{self, Rng};
use serde::{Deserialize, Serialize};

/// How to draw a weight matrix of shape fan_in × fan_out.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Init {
    /// N(0, σ²) (the W2GAN authors use σ = 0.1 for critics, 0.01 for the residual generator).
    Normal(f32),
    /// He/Kaiming: N(0, 2 / fan_in), for ReLU networks.
    Kaiming,
    /// Glorot/Xavier uniform: U(±√(6 / (fan_in + fan_out))).
    Xavier,
    /// PyTorch's default for `nn.Linear`: U(±1/√fan_in).
    Torch,
    /// All zeros.
    Zeros,
}

impl Init {
    /// A fan_in × fan_out matrix drawn from this scheme.
    pub fn sample(self, fan_in: usize, fan_out: usize, r: &mut Rng) -> Mat {
        let fi = fan_in.max(1) as f32;
        Mat::from_fn(fan_in, fan_out, |_, _| match self {
            Init::Normal(s) => s * rng::normal(r),
            Init::Kaiming => (2.0 / fi).sqrt() * rng::normal(r),
            Init::Xavier => {
                let a = (6.0 / (fi + fan_out as f32)).sqrt();
                rng::uniform_in(r, -a, a)
            }
            Init::Torch => rng::uniform_in(r, -1.0 / fi.sqrt(), 1.0 / fi.sqrt()),
            Init::Zeros => 0.0,
        })
    }
}
