//! What a training method is: its configuration keys (typed handles), its registry entry, the
//! validated config of a run, and the `Model` trait it implements. This layer sits below the
//! models; the registry (`crate::registry`) lists the entries the model files define.

mod config;
pub mod keys;
mod model;
mod query;
mod spec;

pub use config::Config;
pub use keys::{Key, KeySpec, Kind};
pub use model::{Batches, Losses, Model, Setup, streams};
pub use query::{encode, query_entries, query_pairs};
pub use spec::{Build, Family, Method, Mode, Preset};
