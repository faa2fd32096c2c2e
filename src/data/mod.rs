//! Datasets (math.md §1): the X → Y pairs, generative targets, user points, and CSV import/export.

mod csv;
mod dist;
mod frame;
mod pair;

pub use csv::{parse_csv, to_csv};
pub use dist::{Blob, Dist, Gaussian, Sampling};
pub use frame::CloudFrame;
pub use pair::{PAIR_NAMES, Pair, Side};
pub use window::Window;

mod window;

/// A point cloud: one point per row (n × d), f32 like everything the models see.
pub type Points = nalgebra::DMatrix<f32>;
