//! Drawing: scenes of point clouds and arrows on any plotters backend (canvas, PNG, SVG).

mod palette;
mod scene;

pub use palette::{G_COLOR, OT_COLOR, Rgb, X_COLOR, Y_COLOR};
pub use scene::{Arrows, Cloud, Scene, WINDOW, draw_scene};
