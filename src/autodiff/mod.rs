//! Reverse-mode automatic differentiation on a tape of matrices (rows = batch).
//!
//! Each op computes its value when called and records how; `Tape::grad(y, xs)` walks the tape
//! backwards and builds the gradient of sum(y) out of the same ops, so gradients are tape nodes
//! and can be differentiated again (WGAN-GP's ‖∇ₓf‖ penalty, W2GAN's T = Id − ∇φ inside the loss):
//!
//! ```
//! use otlab::autodiff::{Mat, Tape};
//! let tape = Tape::new();
//! let x = tape.leaf(&Mat::from_element(1, 1, 3.0));
//! let y = x.square() * x;                  // x³
//! let dy = tape.grad(y, &[x])[0];          // 3x² = 27
//! let ddy = tape.grad(dy, &[x])[0];        // 6x = 18
//! assert_eq!((dy.scalar(), ddy.scalar()), (27.0, 18.0));
//! ```
//!
//! Shape errors do not panic: the tape records the first one, returns an empty placeholder, and
//! `Tape::check` reports it. Reset the tape every training step; its buffers are reused.

mod backward;
mod check;
mod kernels;
mod ops;
mod tape;
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod wasm_gemm;

pub use check::{max_grad_error, max_matmul_error};
pub use kernels::matmul;
pub use ops::{concat_cols, sigmoid};
pub use tape::{DEFAULT_LIMIT, Tape, Var};

/// The matrix type of every node: f32, column-major, one sample per row.
pub type Mat = nalgebra::DMatrix<f32>;
