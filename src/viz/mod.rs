//! Drawing: scenes of point clouds and arrows on any plotters backend (canvas, PNG, SVG).

mod heat;
mod palette;
mod scene;

pub use heat::{Heat, diverging};
pub use palette::{G_COLOR, OT_COLOR, Rgb, X_COLOR, Y_COLOR};
pub use scene::{Arrows, Cloud, Scene, WINDOW, draw_scene, render};
