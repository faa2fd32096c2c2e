//! Named parameter matrices: bound to a tape for a step, updated by optimizers, saved as JSON.

use crate::autodiff::{Mat, Tape, Var};
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};

/// One named parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Tensor {
    /// Name, unique within its set (e.g. "l0.w").
    pub name: String,
    /// Value.
    pub value: Mat,
}

/// An ordered set of parameters; cloning copies the values.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Params {
    /// The parameters in a fixed order (the order of `bind` and of gradients).
    pub tensors: Vec<Tensor>,
}

/// JSON form of one tensor: shape and column-major data.
#[derive(Serialize, Deserialize)]
pub(crate) struct TensorJson {
    name: String,
    rows: usize,
    cols: usize,
    data: Vec<f32>,
}

impl Params {
    /// Append a parameter and return its index.
    pub fn push(&mut self, name: impl Into<String>, value: Mat) -> usize {
        self.tensors.push(Tensor { name: name.into(), value });
        self.tensors.len() - 1
    }

    /// Number of parameter matrices.
    pub fn len(&self) -> usize {
        self.tensors.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.tensors.is_empty()
    }

    /// Leaves on `tape` holding copies of the parameters, in order.
    pub fn bind<'t>(&self, tape: &'t Tape) -> Vec<Var<'t>> {
        self.tensors.iter().map(|t| tape.leaf(&t.value)).collect()
    }

    /// Clamp every value to [−c, c] (WGAN weight clipping).
    pub fn clip(&mut self, c: f32) {
        for t in &mut self.tensors {
            t.value.apply(|v| *v = v.clamp(-c, c));
        }
    }

    /// The name of the first parameter holding a NaN or infinity.
    pub fn first_non_finite(&self) -> Option<&str> {
        self.tensors.iter().find(|t| t.value.iter().any(|v| !v.is_finite())).map(|t| t.name.as_str())
    }

    pub(crate) fn to_json(&self) -> Vec<TensorJson> {
        self.tensors
            .iter()
            .map(|t| TensorJson {
                name: t.name.clone(),
                rows: t.value.nrows(),
                cols: t.value.ncols(),
                data: t.value.as_slice().to_vec(),
            })
            .collect()
    }

    /// Overwrite values from JSON tensors; every name and shape must match this set exactly.
    pub(crate) fn load_json(&mut self, items: Vec<TensorJson>, what: &str) -> Result<()> {
        if items.len() != self.tensors.len() {
            return Err(Error::config(
                what,
                format!("expected {} tensors, found {}", self.tensors.len(), items.len()),
            ));
        }
        for (t, j) in self.tensors.iter_mut().zip(items) {
            if t.name != j.name
                || (t.value.nrows(), t.value.ncols()) != (j.rows, j.cols)
                || j.data.len() != j.rows * j.cols
            {
                return Err(Error::config(
                    format!("{what}.{}", t.name),
                    format!(
                        "expected {}×{} named {}, found {}×{} named {} ({} values)",
                        t.value.nrows(),
                        t.value.ncols(),
                        t.name,
                        j.rows,
                        j.cols,
                        j.name,
                        j.data.len()
                    ),
                ));
            }
            if let Some(v) = j.data.iter().find(|v| !v.is_finite()) {
                return Err(Error::config(format!("{what}.{}", t.name), format!("value {v} is not finite")));
            }
            t.value = Mat::from_vec(j.rows, j.cols, j.data);
        }
        Ok(())
    }
}
