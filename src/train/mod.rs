//! Configuration and training: the typed config and its key table, and the trainer that steps a
//! model, records history and evaluates metrics.

mod config;
mod keys;
pub mod teach;
mod trainer;
pub mod views;

pub use config::Config;
pub use keys::{KEYS, KeySpec, Kind, METHODS, spec};
pub use trainer::{Eval, Trainer};
