//! Input-convex networks (Amos, Xu, Kolter 2017) for convex potentials ψ: ℝ^d → ℝ:
//! ψ(x) = ½‖Lx‖² + aᵀx + wᵀz_K + c, z_1 = s(A_0 x + b_0), z_{k+1} = s(W_k z_k + A_k x + b_k), with s a
//! sharpened softplus (convex, non-decreasing) and W_k, w ≥ 0, so ψ is convex in x; the quadratic term
//! (any L) and the linear term let ∇ψ contract, expand and translate, and at initialisation
//! (L = I, a = 0, w ≈ 0) ∇ψ is the identity.

use super::params::{Params, TensorJson};
use crate::autodiff::{Mat, Var};
use crate::error::{Error, Result};
use crate::rng::{self, Rng};
use serde::{Deserialize, Serialize};

/// Architecture of an input-convex network.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IcnnSpec {
    /// Input dimension d.
    pub input: usize,
    /// Hidden units per layer.
    pub width: usize,
    /// Hidden layers K (≥ 1).
    pub depth: usize,
    /// Std of the initial input-skip weights A_k.
    pub init: f32,
    /// Sharpness β of the activation softplus(βx)/β (large β: nearly a ReLU, so ∇ψ can jump
    /// where the OT map splits mass, yet ψ stays smooth for Newton's method).
    pub sharpness: f32,
}

/// An input-convex network with its parameters, in bind order: L, a, then per layer A_k, b_k
/// (and W_k for k ≥ 1), then w and c.
#[derive(Debug, Clone, PartialEq)]
pub struct Icnn {
    /// Architecture.
    pub spec: IcnnSpec,
    /// Parameters.
    pub params: Params,
}

#[derive(Serialize, Deserialize)]
struct IcnnJson {
    spec: IcnnSpec,
    params: Vec<TensorJson>,
}

impl Icnn {
    /// A network whose gradient map starts at the identity.
    pub fn new(spec: IcnnSpec, r: &mut Rng) -> Result<Icnn> {
        if spec.input == 0 || spec.width == 0 || spec.depth == 0 {
            return Err(Error::config("icnn", format!("input, width and depth must be positive: {spec:?}")));
        }
        let (d, h) = (spec.input, spec.width);
        let mut params = Params::default();
        params.push("L", Mat::identity(d, d));
        params.push("a", Mat::zeros(d, 1));
        let mut normal = |rows, cols, s: f32| Mat::from_fn(rows, cols, |_, _| s * rng::normal(r));
        for k in 0..spec.depth {
            params.push(format!("l{k}.A"), normal(d, h, spec.init));
            params.push(format!("l{k}.b"), Mat::zeros(1, h));
            if k > 0 {
                // non-negative hidden weights, scaled so activations keep their size
                let w = normal(h, h, 1.0).map(|v| v.abs() / h as f32);
                params.push(format!("l{k}.W"), w);
            }
        }
        params.push("w", normal(h, 1, 1e-3).map(f32::abs));
        params.push("c", Mat::zeros(1, 1));
        Ok(Icnn { spec, params })
    }

    /// ψ at the rows of `x` (n × 1), with parameters `p` bound by `params.bind`.
    pub fn forward<'t>(&self, p: &[Var<'t>], x: Var<'t>) -> Var<'t> {
        let quad = x.matmul(p[0]).square().sum_cols().scale(0.5) + x.matmul(p[1]);
        let mut k = 2;
        let mut z: Option<Var<'t>> = None;
        for layer in 0..self.spec.depth {
            let mut pre = x.matmul(p[k]) + p[k + 1];
            k += 2;
            if layer > 0 {
                if let Some(prev) = z {
                    pre = pre + prev.matmul(p[k]);
                }
                k += 1;
            }
            let beta = self.spec.sharpness;
            z = Some((pre * beta).softplus() * (1.0 / beta));
        }
        let out = z.map_or(quad, |z| quad + z.matmul(p[k]));
        out + p[k + 1]
    }

    /// Keep ψ convex: clamp the hidden weights W_k and the output weights w at 0.
    pub fn project(&mut self) {
        for t in &mut self.params.tensors {
            if t.name.ends_with(".W") || t.name == "w" {
                t.value.apply(|v| *v = v.max(0.0));
            }
        }
    }

    /// Serialise architecture and parameters as JSON.
    pub fn to_json(&self) -> String {
        let j = IcnnJson { spec: self.spec.clone(), params: self.params.to_json() };
        serde_json::to_string(&j).unwrap_or_default()
    }

    /// Rebuild a network from `to_json` output; errors name the offending field.
    pub fn from_json(text: &str) -> Result<Icnn> {
        let j: IcnnJson =
            serde_json::from_str(text).map_err(|e| Error::config("icnn", format!("invalid JSON: {e}")))?;
        let mut net = Icnn::new(j.spec, &mut rng::seeded(0))?;
        net.params.load_json(j.params, "params")?;
        Ok(net)
    }
}
