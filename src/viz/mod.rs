//! Drawing: scenes of point clouds and arrows on any plotters backend (canvas, PNG, SVG).

mod chart;
mod heat;
mod palette;
mod scene;

pub use chart::{Chart, Series, draw_chart, render_charts};
pub use heat::{Heat, diverging, label_color};
pub use palette::{G_COLOR, OT_COLOR, Rgb, X_COLOR, Y_COLOR};
pub use scene::{Arrows, Cloud, HeatPainter, PlotRect, Polyline, Scene, draw_scene, render, render_with};
