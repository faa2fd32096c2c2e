//! otlab: GANs and VAEs seen through optimal transport, trained live in a web page.
//!
//! One core runs natively (tests, benchmarks, the `otlab` CLI) and in the browser as WebAssembly.
//! Data flows one way: config → data sampler → model step (autodiff + nn + ot) → probes (plain
//! data) → viz (draws probes on any plotters backend) → canvas, PNG or SVG.
//!
//! Modules:
//! - [`autodiff`]: reverse-mode autodiff on matrices, with gradients of gradients.
//! - [`error`]: the one error type.
//! - [`clock`]: wall-clock seconds natively and in the browser.
//! - [`bench`]: benchmarks that report plain records.
//! - [`rng`]: seeded random numbers.
//! - [`data`]: dataset pairs and generative targets (math.md §1), CSV.
//! - [`nn`]: MLPs, residual maps, batch norm, initialisation, optimizers.
//! - [`ot`]: exact, entropic and semi-discrete OT, Gaussian closed form, geodesics, metrics.
//! - [`viz`]: drawing scenes on any plotters backend.
//! - `web` (wasm32 only): the `Lab` handle the page talks to.

pub mod autodiff;
pub mod bench;
pub mod clock;
pub mod data;
pub mod error;
pub mod models;
pub mod nn;
pub mod ot;
pub mod rng;
pub mod train;
pub mod viz;

#[cfg(target_arch = "wasm32")]
pub mod web;

pub use error::{Error, Result};
