//! otlab: GANs and VAEs seen through optimal transport, trained live in a web page.
//!
//! One core runs natively (tests, benchmarks, the `otlab` CLI) and in the browser as WebAssembly.
//! Data flows one way: config → data sampler → model step (autodiff + nn + ot) → probes (plain
//! data) → viz (draws probes on any plotters backend) → canvas, PNG or SVG.
//!
//! Modules:
//! - [`error`]: the one error type.
//! - [`rng`]: seeded random numbers.
//! - [`data`]: dataset pairs and generative targets (math.md §1), CSV.
//! - [`viz`]: drawing scenes on any plotters backend.
//! - `web` (wasm32 only): the `Lab` handle the page talks to.

pub mod data;
pub mod error;
pub mod rng;
pub mod viz;

#[cfg(target_arch = "wasm32")]
pub mod web;

pub use error::{Error, Result};
pub mod ot;
