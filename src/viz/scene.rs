//! A scene is plain data (clouds, arrows, lines, a heat map) drawn in a window of the plane;
//! `draw_scene` renders it with axes, a legend naming every drawn layer, and a colour bar.

use super::Rgb;
use super::chart::axis_label;
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
    // compact tick labels: a window far from the origin (imported data at 1e6) reads 1e6, not a
    // number clipped by the label area
    let fmt = |v: &f32| axis_label(*v, scene.window.size);
    chart
        .configure_mesh()
        .x_labels(5)
        .y_labels(5)
        .x_label_formatter(&fmt)
        .y_label_formatter(&fmt)
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
    let drawn = drawn_pixels(scene, rect);
    let bar = match &scene.heat {
        Some(h) => Some(colour_bar(area, h, rect, &drawn, scale)?),
        None => None,
    };
    layer_legend(area, scene, rect, &drawn, bar, scale)?;
    Ok(rect)
}

/// A box of pixels (left, top, right, bottom).
type PixelBox = (i32, i32, i32, i32);

/// Where the plot's marks land, in pixels: every cloud point and three points along each arrow and
/// each segment of the polylines, so that a legend or colour bar placed by `least_hiding` covers as
/// few of them as it can.
fn drawn_pixels(scene: &Scene, (l, t, r, b): PlotRect) -> Vec<(f32, f32)> {
    let (x0, y0, size) = (scene.window.x0, scene.window.y0, scene.window.size);
    let to_pixel = |(x, y): (f32, f32)| {
        (l as f32 + (x - x0) / size * (r - l) as f32, t as f32 + (y0 + size - y) / size * (b - t) as f32)
    };
    let along = |p: (f32, f32), q: (f32, f32)| {
        [0.25, 0.5, 0.75].map(|f| (p.0 + f * (q.0 - p.0), p.1 + f * (q.1 - p.1)))
    };
    let clouds = scene.clouds.iter().flat_map(|c| c.points.row_iter().map(|p| (p[0], p[1])));
    let arrows = scene.arrows.iter().flat_map(|a| {
        a.from.row_iter().zip(a.to.row_iter()).flat_map(|(p, q)| along((p[0], p[1]), (q[0], q[1])))
    });
    let lines = scene.lines.iter().flat_map(|l| l.points.windows(2).flat_map(|w| along(w[0], w[1])));
    clouds.chain(arrows).chain(lines).map(to_pixel).collect()
}

/// How many of the `drawn` pixels the box `b` covers.
fn hidden(b: &PixelBox, drawn: &[(f32, f32)]) -> usize {
    let (x0, y0, x1, y1) = (b.0 as f32, b.1 as f32, b.2 as f32, b.3 as f32);
    drawn.iter().filter(|&&(x, y)| x >= x0 && x <= x1 && y >= y0 && y <= y1).count()
}

/// Of the `candidates`, the box that covers the fewest `drawn` pixels (the first on a tie), leaving
/// out any box that overlaps `taken` (if all do, the first candidate).
fn least_hiding(candidates: &[PixelBox], drawn: &[(f32, f32)], taken: Option<PixelBox>) -> PixelBox {
    let overlaps = |a: &PixelBox, b: &PixelBox| a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3;
    let free = candidates.iter().filter(|c| taken.is_none_or(|t| !overlaps(c, &t)));
    free.min_by_key(|c| hidden(c, drawn)).or(candidates.first()).copied().unwrap_or_default()
}

/// A `w` × `h` box in each corner of the plot and in the middle of its top, bottom and left edges
/// (in that order: the upper-left corner wins a tie).
fn legend_spots((l, t, r, b): PlotRect, (w, h): (i32, i32), pad: i32) -> Vec<PixelBox> {
    let (mid_x, mid_y) = (l + (r - l - w) / 2, t + (b - t - h) / 2);
    let (left, right, top, bottom) = (l + pad, r - pad - w, t + pad, b - pad - h);
    [(left, top), (left, bottom), (right, top), (right, bottom), (mid_x, top), (mid_x, bottom), (left, mid_y)]
        .iter()
        .map(|&(x, y)| (x, y, x + w, y + h))
        .collect()
}

/// The legend of the drawn layers where it hides the fewest marks, clear of the colour bar's box
/// `bar`: a swatch and a name each.
fn layer_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    scene: &Scene,
    rect: PlotRect,
    drawn: &[(f32, f32)],
    bar: Option<PixelBox>,
    scale: f64,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    // on a plot under 420 CSS pixels (a phone) the legend is set smaller: it hides less data
    let scale = if f64::from(rect.2 - rect.0) < 420.0 * scale { 0.8 * scale } else { scale };
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
    let (x, y, _, _) = least_hiding(&legend_spots(rect, (width, height), px(6.0)), drawn, bar);
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

/// The heat map's colour bar at the plot's right edge (top, middle or bottom: where it hides the
/// fewest marks), with the field's name and ticks; for a partition (Laguerre cells), its name only,
/// in the lower-right corner. Returns the box it covers.
fn colour_bar<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    h: &Heat,
    rect: PlotRect,
    drawn: &[(f32, f32)],
    scale: f64,
) -> Result<PixelBox, DrawingAreaErrorKind<DB::ErrorType>> {
    let (_, _, r, b) = rect;
    let px = |v: f64| (v * scale).round() as i32;
    let font = ("sans-serif", px(11.0)).into_font().color(&BLACK);
    if h.categorical {
        let w = h.name.chars().count() as i32 * px(6.5) + px(10.0);
        let (x, y) = (r - w - px(6.0), b - px(24.0));
        let label = (x, y, x + w, y + px(18.0));
        area.draw(&Rectangle::new([(x, y), (label.2, label.3)], WHITE.mix(0.85).filled()))?;
        area.draw_text(&h.name, &font, (x + px(5.0), y + px(3.0)))?;
        return Ok(label);
    }
    let (lo, hi) = h.range();
    let spot = least_hiding(&bar_spots(rect, scale), drawn, None);
    // the bar inside its box: 6 px from the left, 4 px from the top, its name under it
    let (x, y, bar_w, bar_h) = (spot.0 + px(6.0), spot.1 + px(4.0), px(12.0), spot.3 - spot.1 - px(28.0));
    area.draw(&Rectangle::new([(spot.0, spot.1), (spot.2, spot.3)], WHITE.mix(0.85).filled()))?;
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
    area.draw_text(&h.name, &font, (x, y + bar_h + px(6.0)))?;
    Ok(spot)
}

/// The boxes a colour bar may take at the plot's right edge, top, middle and bottom: a bar 12 px
/// wide and 45 % of the plot's height, its ticks' labels on the right and its name below.
fn bar_spots((_, t, r, b): PlotRect, scale: f64) -> Vec<PixelBox> {
    let px = |v: f64| (v * scale).round() as i32;
    let (w, h) = (px(70.0), ((b - t) as f64 * 0.45) as i32 + px(28.0));
    [t + px(4.0), t + (b - t - h) / 2, b - px(4.0) - h]
        .iter()
        .map(|&y| (r - px(4.0) - w, y, r - px(4.0), y + h))
        .collect()
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

#[cfg(test)]
mod tests {
    use super::*;

    const RECT: PlotRect = (40, 10, 440, 410);

    /// Four clusters of 50 points at (±1.4, ±1.4), the opening pair's corners, in the default window.
    fn corner_clusters() -> Cloud {
        let points = Points::from_fn(200, 2, |i, k| {
            let sign = if (i / 50) >> k & 1 == 1 { 1.0 } else { -1.0 };
            sign * 1.4 + 0.02 * (i % 7) as f32
        });
        Cloud { points, color: (0, 0, 0), radius: 2, label: "Y".into() }
    }

    #[test]
    fn the_legend_keeps_off_the_clusters_and_the_arrows() {
        // clusters in every corner, arrows across the middle of the left and the top edge
        let from = Points::from_row_slice(2, 2, &[-1.9, 0.0, 0.0, 1.9]);
        let to = Points::from_row_slice(2, 2, &[-0.2, 0.0, 0.0, 0.2]);
        let arrows = Arrows { from, to, color: (0, 0, 0), alpha: 1.0, label: "map".into() };
        let scene = Scene { clouds: vec![corner_clusters()], arrows: vec![arrows], ..Scene::default() };
        let drawn = drawn_pixels(&scene, RECT);
        let spots = legend_spots(RECT, (120, 60), 6);
        let chosen = least_hiding(&spots, &drawn, None);
        assert_eq!(hidden(&chosen, &drawn), 0, "the legend at {chosen:?} hides marks");
        assert_eq!(chosen, spots[5], "the only free spot is the middle of the bottom edge");
        // with that spot taken (by a colour bar), the legend goes to the free spot that hides least
        let next = least_hiding(&spots, &drawn, Some(spots[5]));
        let fewest = spots.iter().filter(|&&s| s != spots[5]).map(|s| hidden(s, &drawn)).min();
        assert!(
            next != spots[5] && Some(hidden(&next, &drawn)) == fewest,
            "the legend at {next:?} off the taken box"
        );
    }

    #[test]
    fn the_colour_bar_moves_off_a_corner_cluster() {
        let scene = Scene { clouds: vec![corner_clusters()], ..Scene::default() };
        let drawn = drawn_pixels(&scene, RECT);
        let spots = bar_spots(RECT, 1.0);
        assert!(hidden(&spots[0], &drawn) > 0, "the top-right corner holds a cluster");
        let chosen = least_hiding(&spots, &drawn, None);
        assert_eq!(
            (chosen, hidden(&chosen, &drawn)),
            (spots[1], 0),
            "the bar stands in the middle of the right edge"
        );
    }
}
