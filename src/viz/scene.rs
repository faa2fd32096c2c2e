//! A scene is plain data (clouds, arrows) drawn in the plot window; `draw_scene` renders it.

use super::Rgb;
use super::heat::Heat;
use crate::data::{Points, Window};
use plotters::coord::Shift;
use plotters::prelude::*;

/// A point cloud with a colour and a marker radius in pixels.
#[derive(Debug, Clone)]
pub struct Cloud {
    /// Points (n × 2).
    pub points: Points,
    /// Fill colour.
    pub color: Rgb,
    /// Marker radius in pixels.
    pub radius: u32,
}

/// Arrows from each row of `from` to the same row of `to`.
#[derive(Debug, Clone)]
pub struct Arrows {
    /// Tails (n × 2).
    pub from: Points,
    /// Heads (n × 2).
    pub to: Points,
    /// Line colour.
    pub color: Rgb,
    /// Opacity in [0, 1].
    pub alpha: f64,
}

/// A path through points, with a colour and an opacity.
#[derive(Debug, Clone)]
pub struct Polyline {
    /// The points in order.
    pub points: Vec<(f32, f32)>,
    /// Line colour.
    pub color: Rgb,
    /// Opacity in [0, 1].
    pub alpha: f64,
}

/// Everything drawn in one panel, back to front: arrows under clouds.
#[derive(Debug, Clone, Default)]
pub struct Scene {
    /// Title drawn above the panel (empty for none).
    pub title: String,
    /// The part of the plane shown (a heat map covers exactly this window).
    pub window: Window,
    /// A heat map under everything else.
    pub heat: Option<Heat>,
    /// Polylines (trails of G over training, meshes), drawn under the arrows.
    pub lines: Vec<Polyline>,
    /// Arrow layers.
    pub arrows: Vec<Arrows>,
    /// Point clouds.
    pub clouds: Vec<Cloud>,
}

fn color(c: Rgb) -> RGBColor {
    RGBColor(c.0, c.1, c.2)
}

/// Paints a heat map as an image into the pixel rectangle (left, top, right, bottom) of the plot;
/// returns false when the backend cannot, and the heat map is then drawn cell by cell.
pub type HeatPainter<'a> = dyn FnMut(&Heat, (i32, i32, i32, i32)) -> bool + 'a;

/// Pixel rectangle (left, top, right, bottom) of the plot window inside a drawn panel.
pub type PlotRect = (i32, i32, i32, i32);

/// Draw `scene` filling `area`, with axes over the plot window; returns where the window landed.
pub fn draw_scene<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    scene: &Scene,
    paint: &mut HeatPainter<'_>,
) -> Result<PlotRect, DrawingAreaErrorKind<DB::ErrorType>> {
    area.fill(&WHITE)?;
    let (x0, x1) = scene.window.x_range();
    let (y0, y1) = scene.window.y_range();
    let mut builder = ChartBuilder::on(area);
    builder.margin(8).x_label_area_size(24).y_label_area_size(32);
    if !scene.title.is_empty() {
        builder.caption(&scene.title, ("sans-serif", 16));
    }
    let mut chart = builder.build_cartesian_2d(x0..x1, y0..y1)?;
    let (xs, ys) = chart.plotting_area().get_pixel_range();
    let rect = (xs.start, ys.start, xs.end, ys.end);
    if let Some(h) = &scene.heat
        && !paint(h, rect)
    {
        let step = scene.window.size / h.size as f32;
        chart.draw_series(h.colors().iter().enumerate().map(|(p, &c)| {
            let (col, row) = ((p % h.size) as f32, (p / h.size) as f32);
            let (a, b) = (x0 + col * step, y1 - row * step);
            Rectangle::new([(a, b), (a + step, b - step)], color(c).filled())
        }))?;
    }
    chart
        .configure_mesh()
        .x_labels(5)
        .y_labels(5)
        .light_line_style(WHITE.mix(0.0))
        .bold_line_style(BLACK.mix(0.08))
        .label_style(("sans-serif", 11))
        .draw()?;
    for l in &scene.lines {
        chart
            .draw_series(std::iter::once(PathElement::new(l.points.clone(), color(l.color).mix(l.alpha))))?;
    }
    for a in &scene.arrows {
        let style = color(a.color).mix(a.alpha).stroke_width(1);
        chart.draw_series((0..a.from.nrows()).map(|i| {
            let p = (a.from[(i, 0)], a.from[(i, 1)]);
            let q = (a.to[(i, 0)], a.to[(i, 1)]);
            PathElement::new(arrow_path(p, q), style)
        }))?;
    }
    for c in &scene.clouds {
        let style = color(c.color).mix(0.85).filled();
        chart.draw_series(
            (0..c.points.nrows()).map(|i| Circle::new((c.points[(i, 0)], c.points[(i, 1)]), c.radius, style)),
        )?;
    }
    if let Some(h) = &scene.heat {
        legend(area, h)?;
    }
    Ok(rect)
}

/// The heat map's legend in the lower-left corner: a colour bar with its end values, or the
/// name of a partition.
fn legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    h: &Heat,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let font = ("sans-serif", 12).into_font().color(&BLACK);
    let (x, y) = (48, area.dim_in_pixel().1 as i32 - 50);
    area.draw(&Rectangle::new([(x - 4, y - 4), (x + 236, y + 18)], WHITE.mix(0.85).filled()))?;
    if h.categorical {
        return area.draw_text(&h.name, &font, (x, y));
    }
    let (a, b) = h.range();
    let bar = 80;
    for i in 0..bar {
        let c = super::diverging(i as f32 / (bar - 1) as f32);
        area.draw(&Rectangle::new([(x + 64 + i, y), (x + 65 + i, y + 12)], color(c).filled()))?;
    }
    area.draw_text(&h.name, &font, (x, y))?;
    area.draw_text(&format!("{a:.2}"), &font, (x + 20, y))?;
    area.draw_text(&format!("{b:.2}"), &font, (x + 68 + bar, y))
}

/// Draw `scene` on `area` and present it (flush to the canvas or file); errors as text.
pub fn render<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, scene: &Scene) -> Result<(), String> {
    render_with(area, scene, &mut |_, _| false).map(|_| ())
}

/// `render` with a backend-specific heat-map painter (the page paints heat maps as images).
pub fn render_with<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    scene: &Scene,
    paint: &mut HeatPainter<'_>,
) -> Result<PlotRect, String> {
    let rect = draw_scene(area, scene, paint).map_err(|e| e.to_string())?;
    area.present().map_err(|e| e.to_string())?;
    Ok(rect)
}

/// The polyline of an arrow p → q: the shaft, then a small open head at q.
fn arrow_path(p: (f32, f32), q: (f32, f32)) -> Vec<(f32, f32)> {
    let (dx, dy) = (q.0 - p.0, q.1 - p.1);
    let len = (dx * dx + dy * dy).sqrt();
    if len < 1e-6 {
        return vec![p, q];
    }
    let head = 0.06_f32.min(0.4 * len);
    let (ux, uy) = (dx / len, dy / len);
    let back = (q.0 - head * ux, q.1 - head * uy);
    let side = (-uy * head * 0.5, ux * head * 0.5);
    vec![p, q, (back.0 + side.0, back.1 + side.1), q, (back.0 - side.0, back.1 - side.1)]
}
