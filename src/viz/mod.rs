//! Drawing: scenes of point clouds, arrows and heat maps, and line charts, on any plotters backend
//! (canvas, PNG, SVG); frames as bytes for the page's workers.

mod chart;
mod heat;
mod palette;
mod scene;
mod wire;

pub use chart::{Chart, Series, draw_chart, render_charts, tick_label};
pub use heat::{Heat, color_regions, diverging, label_color};
pub use palette::{G_COLOR, OT_COLOR, Rgb, X_COLOR, Y_COLOR};
pub use scene::{Arrows, Cloud, HeatPainter, PlotRect, Polyline, Scene, draw_scene, render, render_with};
pub use wire::Frame;
