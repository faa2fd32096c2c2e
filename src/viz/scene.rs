//! A scene is plain data (clouds, arrows, lines, a heat map) drawn in a window of the plane;
//! `draw_scene` renders it with axes, a legend naming every drawn layer, and a colour bar.

use super::Rgb;
use super::heat::Heat;
use crate::data::{Points, Window};
use plotters::coord::Shift;
use plotters::prelude::*;

/// A point cloud with a colour, a marker radius in pixels, and a legend name.
#[derive(Debug, Clone, PartialEq)]
pub struct Cloud {
    /// Points (n × 2).
    pub points: Points,
    /// Fill colour.
    pub color: Rgb,
    /// Marker radius in pixels (at scale 1).
    pub radius: u32,
    /// Name in the legend.
    pub label: String,
}

/// Arrows from each row of `from` to the same row of `to`.
#[derive(Debug, Clone, PartialEq)]
pub struct Arrows {
    /// Tails (n × 2).
    pub from: Points,
    /// Heads (n × 2).
    pub to: Points,
    /// Line colour.
    pub color: Rgb,
    /// Opacity in [0, 1].
    pub alpha: f64,
    /// Name in the legend.
    pub label: String,
}

/// A path through points, with a colour and an opacity.
#[derive(Debug, Clone, PartialEq)]
pub struct Polyline {
    /// The points in order.
    pub points: Vec<(f32, f32)>,
    /// Line colour.
    pub color: Rgb,
    /// Opacity in [0, 1].
    pub alpha: f64,
}

/// Everything drawn in one panel, back to front: heat map, lines, arrows, clouds.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Scene {
    /// Title drawn above the panel (empty for none).
    pub title: String,
    /// The part of the plane shown (a heat map covers exactly this window).
    pub window: Window,
    /// A heat map under everything else.
    pub heat: Option<Heat>,
    /// Polylines (trails of G over training, meshes), drawn under the arrows.
    pub lines: Vec<Polyline>,
    /// The legend name of the polylines (empty: not in the legend).
    pub lines_label: String,
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

/// Draw `scene` filling `area`, with axes over its window; `scale` multiplies fonts, markers and
/// margins (device pixels per CSS pixel). Returns where the window landed.
pub fn draw_scene<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    scene: &Scene,
    paint: &mut HeatPainter<'_>,
    scale: f64,
) -> Result<PlotRect, DrawingAreaErrorKind<DB::ErrorType>> {
    let px = |v: f64| (v * scale).round() as i32;
    area.fill(&WHITE)?;
    let (x0, x1) = scene.window.x_range();
    let (y0, y1) = scene.window.y_range();
    let mut builder = ChartBuilder::on(area);
    builder.margin(px(8.0)).x_label_area_size(px(24.0)).y_label_area_size(px(34.0));
    if !scene.title.is_empty() {
        builder.caption(&scene.title, ("sans-serif", px(15.0)));
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
        .label_style(("sans-serif", px(11.0)))
        .draw()?;
    for l in &scene.lines {
        let style = color(l.color).mix(l.alpha).stroke_width(px(1.0).max(1) as u32);
        chart.draw_series(std::iter::once(PathElement::new(l.points.clone(), style)))?;
    }
    let head = 0.015 * scene.window.size;
    for a in &scene.arrows {
        let style = color(a.color).mix(a.alpha).stroke_width(px(1.0).max(1) as u32);
        chart.draw_series((0..a.from.nrows()).map(|i| {
            let p = (a.from[(i, 0)], a.from[(i, 1)]);
            let q = (a.to[(i, 0)], a.to[(i, 1)]);
            PathElement::new(arrow_path(p, q, head), style)
        }))?;
    }
    for c in &scene.clouds {
        let style = color(c.color).mix(0.85).filled();
        let r = (c.radius as f64 * scale).round().max(1.0) as u32;
        chart.draw_series(
            (0..c.points.nrows()).map(|i| Circle::new((c.points[(i, 0)], c.points[(i, 1)]), r, style)),
        )?;
    }
    layer_legend(area, scene, rect, scale)?;
    if let Some(h) = &scene.heat {
        colour_bar(area, h, rect, scale)?;
    }
    Ok(rect)
}

/// The upper-left pixel of a `size` box in the plot corner, or else the middle of the top, bottom
/// or left edge, that hides the fewest points (the first in that order on a tie: the upper-left
/// corner); the corners the colour bar or the cells' label use are not offered.
fn legend_corner(scene: &Scene, (l, t, r, b): PlotRect, (w, h): (i32, i32), pad: i32) -> (i32, i32) {
    let (x0, y0, size) = (scene.window.x0, scene.window.y0, scene.window.size);
    let to_pixel = |x: f32, y: f32| {
        (l as f32 + (x - x0) / size * (r - l) as f32, t as f32 + (y0 + size - y) / size * (b - t) as f32)
    };
    let mut corners = vec![(l + pad, t + pad), (l + pad, b - pad - h)];
    match &scene.heat {
        Some(heat) if heat.categorical => corners.push((r - pad - w, t + pad)),
        Some(_) => corners.push((r - pad - w, b - pad - h)),
        None => corners.extend([(r - pad - w, t + pad), (r - pad - w, b - pad - h)]),
    }
    // clouds often fill every corner (four clusters): the middles of the edges
    let (mid_x, mid_y) = (l + (r - l - w) / 2, t + (b - t - h) / 2);
    corners.extend([(mid_x, t + pad), (mid_x, b - pad - h), (l + pad, mid_y)]);
    // every point's pixel, computed once for all corners
    let pixels: Vec<(f32, f32)> =
        scene.clouds.iter().flat_map(|c| c.points.row_iter().map(move |p| to_pixel(p[0], p[1]))).collect();
    let hidden = |&(cx, cy): &(i32, i32)| {
        let (x0, y0, x1, y1) = (cx as f32, cy as f32, (cx + w) as f32, (cy + h) as f32);
        pixels.iter().filter(|&&(px, py)| px >= x0 && px <= x1 && py >= y0 && py <= y1).count()
    };
    corners.iter().copied().min_by_key(hidden).unwrap_or((l + pad, t + pad))
}

/// The legend of the drawn layers in the plot corner that hides the fewest points: a swatch and a
/// name each.
fn layer_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    scene: &Scene,
    rect: PlotRect,
    scale: f64,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let px = |v: f64| (v * scale).round() as i32;
    enum Swatch {
        Dot(Rgb),
        Line(Rgb),
    }
    let mut items: Vec<(Swatch, &str)> = Vec::new();
    items.extend(
        scene.clouds.iter().filter(|c| !c.label.is_empty()).map(|c| (Swatch::Dot(c.color), c.label.as_str())),
    );
    items.extend(
        scene
            .arrows
            .iter()
            .filter(|a| !a.label.is_empty())
            .map(|a| (Swatch::Line(a.color), a.label.as_str())),
    );
    if let Some(first) = scene.lines.first().filter(|_| !scene.lines_label.is_empty()) {
        items.push((Swatch::Line(first.color), scene.lines_label.as_str()));
    }
    if items.is_empty() {
        return Ok(());
    }
    let font = ("sans-serif", px(12.0)).into_font().color(&BLACK);
    let row = px(16.0);
    let width = items.iter().map(|(_, s)| s.chars().count()).max().unwrap_or(0) as i32 * px(7.0) + px(30.0);
    let height = row * items.len() as i32 + px(6.0);
    let (x, y) = legend_corner(scene, rect, (width, height), px(6.0));
    area.draw(&Rectangle::new([(x, y), (x + width, y + height)], WHITE.mix(0.85).filled()))?;
    for (k, (swatch, name)) in items.iter().enumerate() {
        let cy = y + px(4.0) + row * k as i32 + row / 2;
        match swatch {
            Swatch::Dot(c) => {
                area.draw(&Circle::new((x + px(10.0), cy), px(4.0) as u32, color(*c).filled()))?
            }
            Swatch::Line(c) => area.draw(&PathElement::new(
                vec![(x + px(3.0), cy), (x + px(17.0), cy)],
                color(*c).stroke_width(px(2.0).max(1) as u32),
            ))?,
        }
        area.draw_text(name, &font, (x + px(22.0), cy - px(6.0)))?;
    }
    Ok(())
}

/// The heat map's colour bar along the plot's right edge, with the field's name and ticks; for a
/// partition (Laguerre cells), its name only.
fn colour_bar<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    h: &Heat,
    (_, t, r, b): PlotRect,
    scale: f64,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let px = |v: f64| (v * scale).round() as i32;
    let font = ("sans-serif", px(11.0)).into_font().color(&BLACK);
    if h.categorical {
        let w = h.name.chars().count() as i32 * px(6.5) + px(10.0);
        let (x, y) = (r - w - px(6.0), b - px(24.0));
        area.draw(&Rectangle::new([(x, y), (x + w, y + px(18.0))], WHITE.mix(0.85).filled()))?;
        return area.draw_text(&h.name, &font, (x + px(5.0), y + px(3.0)));
    }
    let (lo, hi) = h.range();
    let (bar_w, bar_h) = (px(12.0), ((b - t) as f64 * 0.45) as i32);
    let x = r - bar_w - px(52.0);
    let y = t + px(8.0);
    area.draw(&Rectangle::new(
        [(x - px(6.0), y - px(4.0)), (r - px(4.0), y + bar_h + px(24.0))],
        WHITE.mix(0.85).filled(),
    ))?;
    for i in 0..bar_h {
        let c = super::diverging(1.0 - i as f32 / (bar_h - 1).max(1) as f32);
        area.draw(&Rectangle::new([(x, y + i), (x + bar_w, y + i + 1)], color(c).filled()))?;
    }
    for k in 0..=4 {
        let f = k as f32 / 4.0;
        let v = hi - f * (hi - lo);
        let ty = y + (f * (bar_h - 1) as f32) as i32;
        area.draw(&PathElement::new(vec![(x + bar_w, ty), (x + bar_w + px(4.0), ty)], BLACK))?;
        area.draw_text(&super::chart::tick_label(v as f64), &font, (x + bar_w + px(6.0), ty - px(5.0)))?;
    }
    area.draw_text(&h.name, &font, (x, y + bar_h + px(6.0)))
}

/// Draw `scene` on `area` at scale 1 and present it (flush to the canvas or file).
pub fn render<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, scene: &Scene) -> Result<(), String> {
    render_with(area, scene, &mut |_, _| false, 1.0).map(|_| ())
}

/// `render` with a backend-specific heat-map painter and a pixel scale (the page paints heat maps
/// as images and draws at the device pixel ratio).
pub fn render_with<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    scene: &Scene,
    paint: &mut HeatPainter<'_>,
    scale: f64,
) -> Result<PlotRect, String> {
    let rect = draw_scene(area, scene, paint, scale).map_err(|e| e.to_string())?;
    area.present().map_err(|e| e.to_string())?;
    Ok(rect)
}

/// The polyline of an arrow p → q: the shaft, then a small open head at q (`head` long at most).
fn arrow_path(p: (f32, f32), q: (f32, f32), head: f32) -> Vec<(f32, f32)> {
    let (dx, dy) = (q.0 - p.0, q.1 - p.1);
    let len = (dx * dx + dy * dy).sqrt();
    if len < 1e-6 {
        return vec![p, q];
    }
    let head = head.min(0.4 * len);
    let (ux, uy) = (dx / len, dy / len);
    let back = (q.0 - head * ux, q.1 - head * uy);
    let side = (-uy * head * 0.5, ux * head * 0.5);
    vec![p, q, (back.0 + side.0, back.1 + side.1), q, (back.0 - side.0, back.1 - side.1)]
}
