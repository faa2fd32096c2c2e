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
//! - [`data`]: dataset pairs and generative targets (math.md §1), windows, CSV.
//! - [`nn`]: MLPs, residual maps, batch norm, initialisation, optimizers.
//! - [`ot`]: exact, entropic and semi-discrete OT, Gaussian closed form, geodesics, metrics.
//! - [`method`]: what a method is — typed config keys, the registry entry type, the config of a
//!   run with its URL round trip, and the `Model` trait.
//! - [`models`]: one file per method family, each defining its registry entries.
//! - [`registry`]: the list of every method; parsing links and `--set` by method name.
//! - [`train`]: the trainer (alternation, time slicing, evaluation, bounded history) and views.
//! - [`claims`]: the papers' claims the lab shows, measured with verdicts (`otlab claims`).
//! - [`viz`]: drawing scenes and charts on any plotters backend.
//! - `web` (wasm32 only): the handles the page and its workers talk to.
//!
//! Layers, bottom to top: autodiff, nn, data, ot → method → models → registry → train → claims, viz, bench, web.

pub mod autodiff;
pub mod bench;
pub mod claims;
pub mod clock;
pub mod data;
pub mod error;
pub mod method;
pub mod models;
pub mod nn;
pub mod ot;
pub mod registry;
pub mod rng;
pub mod train;
pub mod viz;

#[cfg(target_arch = "wasm32")]
pub mod web;

pub use error::{Error, Result};
