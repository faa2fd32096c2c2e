//! Optimal transport between samples (math.md §2) and the metrics built on it (math.md §5).
//!
//! Notation: source points x_i (rows of `x`), target points y_j (rows of `y`), cost
//! C_ij = ‖x_i − y_j‖² (no ½, so costs read directly as W2²), weights a, b, entropic ε,
//! potentials (f, g) or duals (u, v) with u_i + v_j ≤ C_ij.

mod assignment;
mod cost;
mod dense;
mod gaussian;
mod geodesic;
mod kdtree;
mod lap;
mod metrics;
mod semidiscrete;
mod sinkhorn;
mod sparse;

pub use assignment::{Assignment, assignment};
pub use cost::{SqCost, check_cloud};
pub use gaussian::{GaussianMap, gaussian_map};
pub use geodesic::{displacement, matched_targets};
pub use metrics::{GeoDev, geo_dev, l2_uvp, map_err};
pub use semidiscrete::{CellRaster, SemiDiscrete, SemiDiscreteConfig};
pub use sinkhorn::{Sinkhorn, SinkhornOutput};
