//! Datasets (math.md §1): the X → Y pairs, generative targets, user points, and CSV import/export.

mod csv;
mod dist;
mod pair;

pub use csv::{parse_csv, to_csv};
pub use dist::{Blob, Dist, Gaussian};
pub use pair::{PAIR_NAMES, Pair, Side};

/// A point cloud: one point per row (n × d), f32 like everything the models see.
pub type Points = nalgebra::DMatrix<f32>;

/// Points from a list of 2D coordinates.
pub fn points_from_rows(rows: &[[f32; 2]]) -> Points {
    Points::from_fn(rows.len(), 2, |i, j| rows[i][j])
}
