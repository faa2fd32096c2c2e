//! Training: the trainer that steps a model (owning the critic/generator alternation and the time
//! slicing), its held-out evaluation, bounded histories, and the views that turn its probes into
//! scenes and charts.

mod estimate;
mod eval;
mod history;
mod trainer;
pub mod views;

pub use estimate::work_per_step;
pub use eval::{Eval, EvalSet, FLOOR_TARGETS, mass_range};
pub use history::{CURVE_POINTS, Curve, Thinned};
pub use trainer::{Extremes, Phase, Trainer};
