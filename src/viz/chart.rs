//! Line charts over training (metrics and losses against steps, the geodesic chart) drawn with
//! plotters on any backend: log scale for positive quantities, robust ranges for the rest, the
//! legend beside the plot, compact tick labels.

use super::Rgb;
use plotters::coord::Shift;
use plotters::prelude::*;

/// One named line.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// Legend text.
    pub name: String,
    /// Line colour.
    pub color: Rgb,
    /// (x, y) points in drawing order.
    pub points: Vec<(f32, f32)>,
    /// A reference curve (drawn thin and light).
    pub reference: bool,
}

/// A chart: lines over shared axes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Chart {
    /// Caption.
    pub title: String,
    /// Label of the horizontal axis.
    pub x_label: String,
    /// Log scale on the vertical axis (non-positive values are left out).
    pub log_y: bool,
    /// What the chart shows before it has points.
    pub empty: String,
    /// The lines.
    pub series: Vec<Series>,
}

/// A compact label for a tick value: 3 significant digits, exponents for the very large or small.
pub fn tick_label(v: f64) -> String {
    let a = v.abs();
    if v == 0.0 {
        "0".into()
    } else if !(1e-3..1e5).contains(&a) {
        let s = format!("{v:.1e}");
        s.replace(".0e", "e")
    } else if a >= 100.0 {
        format!("{v:.0}")
    } else if a >= 1.0 {
        let s = format!("{v:.2}");
        s.trim_end_matches('0').trim_end_matches('.').into()
    } else {
        let s = format!("{v:.3}");
        s.trim_end_matches('0').trim_end_matches('.').into()
    }
}

/// The label of a tick at `v` on an axis spanning `span`: `tick_label`, with as many digits as
/// tell ticks apart where it writes an exponent (an axis from 999 998 to 1 000 002 does not read
/// 1e6 at every tick); a tick a rounding error away from 0 (−2.8e-17) reads 0.
pub fn axis_label(v: f32, span: f32) -> String {
    let (v, span) = (v as f64, span as f64);
    if v.abs() < 1e-6 * span {
        return "0".into();
    }
    let digits = (v.abs() / span).log10().ceil() + 1.0;
    if digits <= 2.0 || !digits.is_finite() {
        return tick_label(v);
    }
    if (1e-3..1e5).contains(&v.abs()) {
        // decimals down to a tenth of the span (4999.8 to 5000.2 in steps of 0.1)
        let decimals = (-(span / 10.0).log10()).ceil().max(0.0) as usize;
        let s = format!("{v:.decimals$}");
        return if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.').into() } else { s };
    }
    let s = format!("{v:.*e}", digits as usize);
    let (mantissa, exp) = s.split_once('e').unwrap_or((&s, ""));
    let mantissa = mantissa.trim_end_matches('0').trim_end_matches('.');
    format!("{mantissa}e{exp}")
}

/// The decades a log-scale chart shows at most, down from its largest value.
const LOG_DECADES: f32 = 4.0;

impl Chart {
    /// The finite points to draw, y in log10 when the scale is logarithmic.
    fn plotted(&self, s: &Series) -> Vec<(f32, f32)> {
        s.points
            .iter()
            .filter(|p| p.0.is_finite() && p.1.is_finite() && (!self.log_y || p.1 > 0.0))
            .map(|&(x, y)| (x, if self.log_y { y.log10() } else { y }))
            .collect()
    }

    /// The axis ranges: x over every point; y over every point for a log scale (at least one
    /// decade, at most `LOG_DECADES` below the top), else over the 2nd–98th percentile of the
    /// run's values (a spike does not flatten the rest).
    fn ranges(&self) -> ((f32, f32), (f32, f32)) {
        let pts: Vec<(f32, f32)> = self.series.iter().flat_map(|s| self.plotted(s)).collect();
        if pts.is_empty() {
            return ((0.0, 1.0), (0.0, 1.0));
        }
        let (x0, x1) =
            pts.iter().fold((f32::INFINITY, f32::NEG_INFINITY), |(a, b), p| (a.min(p.0), b.max(p.0)));
        let mut ys: Vec<f32> = pts.iter().map(|p| p.1).collect();
        ys.sort_by(f32::total_cmp);
        let (y0, y1) = if self.log_y {
            // a value near 0 (GeoDev at step 0: 1e-11) would squash the rest into the top, and
            // values all alike would get ticks that round to the same label: from 1 to 4 decades
            let (lo, hi) = (ys[0].max(ys[ys.len() - 1] - LOG_DECADES), ys[ys.len() - 1]);
            let widen = (1.0 - (hi - lo)).max(0.0) / 2.0;
            (lo - widen, hi + widen)
        } else if ys.len() < 20 {
            (ys[0], ys[ys.len() - 1])
        } else {
            (ys[ys.len() / 50], ys[ys.len() - 1 - ys.len() / 50])
        };
        // at least one unit wide (on a steps axis a step's first critic updates sit within it)
        let x1 = x1.max(x0 + 1.0);
        let span = if y1 > y0 { y1 - y0 } else { y0.abs().max(1.0) * 0.1 };
        ((x0, x1), (y0 - 0.05 * span, y1 + 0.05 * span))
    }
}

/// The widest share of a chart's width its legend takes beside the plot; a wider legend (a
/// phone's chart, long names) goes below the plot, in columns, and the plot keeps the full width.
const LEGEND_BESIDE: f64 = 0.35;

/// Where the legend goes: beside the plot (`columns` 1, its rows filling the chart's height) or
/// below it, in `columns` side by side.
struct LegendLayout {
    /// Entry width in pixels.
    width: i32,
    /// Entries per row.
    columns: usize,
    /// Row height in pixels.
    row: i32,
    /// Whether the legend sits below the plot.
    below: bool,
}

impl LegendLayout {
    /// The layout of `n` entries of up to `chars` characters in a `w` × `h` chart.
    fn of(n: usize, chars: usize, (w, h): (i32, i32), px: impl Fn(f64) -> i32) -> Self {
        let width = chars as i32 * px(6.5) + px(28.0);
        if n == 0 || width as f64 <= LEGEND_BESIDE * w as f64 {
            // rows 16 px apart, closer (down to 11) where that would run past the chart's bottom
            let row = ((h - px(30.0)) / n.max(1) as i32).clamp(px(11.0), px(16.0));
            return Self { width, columns: 1, row, below: false };
        }
        let columns = (w / width.max(1)).max(1) as usize;
        Self { width, columns, row: px(15.0), below: true }
    }

    /// The height the legend takes below the plot (0 beside it).
    fn height(&self, n: usize, px: impl Fn(f64) -> i32) -> i32 {
        if !self.below {
            return 0;
        }
        n.div_ceil(self.columns) as i32 * self.row + px(8.0)
    }

    /// The position of entry `k`'s line start, in the legend's area.
    fn at(&self, k: usize, px: impl Fn(f64) -> i32) -> (i32, i32) {
        if self.below {
            let (r, c) = (k / self.columns, k % self.columns);
            (px(8.0) + c as i32 * self.width, px(8.0) + r as i32 * self.row)
        } else {
            (px(2.0), px(28.0) + k as i32 * self.row)
        }
    }
}

/// Draw `chart` filling `area`, its legend on the right (below the plot where it would take more
/// than `LEGEND_BESIDE` of the width); `scale` multiplies fonts and margins.
pub fn draw_chart<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &Chart,
    scale: f64,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let px = |v: f64| (v * scale).round() as i32;
    let ((x0, x1), (y0, y1)) = chart.ranges();
    let log = chart.log_y;
    let below = |y: f32| log && y < y0;
    let names: Vec<&Series> = chart.series.iter().filter(|s| !chart.plotted(s).is_empty()).collect();
    // a run's line wholly below a log axis (MapErr at 1 beside a W2² of 1e12) is not drawn
    // along the bottom as if it were a value there: a line in the plot names it and its value
    let wholly_below = |s: &Series| !s.reference && chart.plotted(s).iter().all(|p| below(p.1));
    let under: Vec<String> = names
        .iter()
        .filter(|s| wholly_below(s))
        .map(|s| {
            let last = s.points.iter().rev().map(|p| p.1).find(|y| y.is_finite() && *y > 0.0);
            format!("{} {}", s.name, tick_label(last.unwrap_or(0.0) as f64))
        })
        .collect();
    let chars = names.iter().map(|s| s.name.chars().count()).max().unwrap_or(0);
    let (w, h) = area.dim_in_pixel();
    let layout = LegendLayout::of(names.len(), chars, (w as i32, h as i32), px);
    let (plot, legend) = if layout.below {
        let plot_h = (h as i32 - layout.height(names.len(), px)).max(h as i32 / 2);
        area.split_vertically(plot_h)
    } else {
        area.split_horizontally((w as i32 - layout.width).max(w as i32 / 2))
    };
    let (plot_w, h) = plot.dim_in_pixel();
    let plot_w = plot_w as i32;
    // about one x tick label per 55 CSS pixels, so narrow charts (a phone) do not crowd them
    let x_ticks = (plot_w / px(55.0).max(1)).clamp(2, 6) as usize;
    // and about one y tick label per 18 CSS pixels of the plot's height (a short chart: fewer)
    let y_ticks = ((h as i32 - px(55.0)) / px(18.0).max(1)).clamp(2, 5) as usize;
    let mut c = ChartBuilder::on(&plot)
        .margin(px(6.0))
        .margin_right(px(10.0))
        .caption(&chart.title, ("sans-serif", px(13.0)))
        .x_label_area_size(px(30.0))
        .y_label_area_size(px(46.0))
        .build_cartesian_2d(x0..x1, y0..y1)?;
    let y_fmt = move |v: &f32| if log { tick_label(10f64.powf(*v as f64)) } else { axis_label(*v, y1 - y0) };
    let x_fmt = |v: &f32| axis_label(*v, x1 - x0);
    c.configure_mesh()
        .x_labels(x_ticks)
        .y_labels(y_ticks)
        .x_desc(chart.x_label.as_str())
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt)
        .light_line_style(WHITE.mix(0.0))
        .bold_line_style(BLACK.mix(0.08))
        .label_style(("sans-serif", px(10.0)))
        .axis_desc_style(("sans-serif", px(11.0)))
        .draw()?;
    // a reference (a floor) is drawn thin and light, here and in the legend
    let style = |s: &Series| {
        let col = RGBColor(s.color.0, s.color.1, s.color.2);
        if s.reference {
            col.mix(0.6).stroke_width(px(1.0).max(1) as u32)
        } else {
            col.stroke_width(px(2.0).max(1) as u32)
        }
    };
    // a run's values below a log axis's bottom run along it; a reference curve stops there
    for s in names.iter().filter(|s| !wholly_below(s)) {
        let pts = chart
            .plotted(s)
            .into_iter()
            .filter(|p| !(s.reference && below(p.1)))
            .map(|(x, y)| (x, if below(y) { y0 } else { y }));
        c.draw_series(LineSeries::new(pts, style(s)))?;
    }
    let font = ("sans-serif", px(11.0)).into_font().color(&BLACK);
    if !under.is_empty() {
        let text = format!("below the axis: {}", under.join(", "));
        let at = (x0 + 0.02 * (x1 - x0), y0 + 0.3 * (y1 - y0));
        c.plotting_area().draw(&Text::new(text, at, font.clone()))?;
    }
    if names.is_empty() {
        let (pw, ph) = plot.dim_in_pixel();
        let text = if chart.empty.is_empty() { "no points yet" } else { chart.empty.as_str() };
        return plot.draw_text(text, &font, (px(56.0), (ph as i32 / 2).min(pw as i32)));
    }
    for (k, s) in names.iter().enumerate() {
        let (x, y) = layout.at(k, px);
        legend.draw(&PathElement::new(vec![(x, y), (x + px(16.0), y)], style(s)))?;
        legend.draw_text(&s.name, &font, (x + px(20.0), y - px(6.0)))?;
    }
    Ok(())
}

/// Below this width in CSS pixels (a phone) the charts are stacked, each across the whole width.
const STACK_BELOW: f64 = 480.0;

/// Draw charts: the first across the top half, the others side by side below it (on a narrow
/// area, one under the other); then present.
pub fn render_charts<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    charts: &[Chart],
    scale: f64,
) -> Result<(), String> {
    let go = || -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        area.fill(&WHITE)?;
        if (area.dim_in_pixel().0 as f64) < STACK_BELOW * scale {
            for (a, c) in area.split_evenly((charts.len().max(1), 1)).iter().zip(charts) {
                draw_chart(a, c, scale)?;
            }
            return Ok(());
        }
        let Some((first, rest)) = charts.split_first() else { return Ok(()) };
        let (top, bottom) = if rest.is_empty() {
            (area.clone(), None)
        } else {
            let (t, b) = area.split_vertically(area.dim_in_pixel().1 / 2);
            (t, Some(b))
        };
        draw_chart(&top, first, scale)?;
        if let Some(b) = bottom {
            for (a, c) in b.split_evenly((1, rest.len())).iter().zip(rest) {
                draw_chart(a, c, scale)?;
            }
        }
        Ok(())
    };
    go().map_err(|e| e.to_string())?;
    area.present().map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chart(points: Vec<(f32, f32)>, log_y: bool) -> Chart {
        let s = Series { name: "a".into(), color: (0, 0, 0), points, reference: false };
        Chart { series: vec![s], log_y, ..Chart::default() }
    }

    #[test]
    fn log_charts_cover_decades_and_linear_ones_ignore_spikes() {
        let c = chart(vec![(0.0, 10.0), (5.0, 0.1), (9.0, 0.001), (9.5, -1.0), (10.0, f32::NAN)], true);
        let ((x0, x1), (y0, y1)) = c.ranges();
        assert_eq!((x0, x1), (0.0, 9.0), "non-positive and NaN values are left out of a log chart");
        assert!(y0 < -3.0 && y1 > 1.0, "three decades below and one above: {y0} {y1}");
        let near_zero = chart(vec![(0.0, 1e-11), (5.0, 1.0), (9.0, 0.01)], true);
        let (_, (y0, _)) = near_zero.ranges();
        assert!((-4.3..-3.9).contains(&y0), "four decades at most, not down to 1e-11: {y0}");
        let mut pts: Vec<(f32, f32)> = (0..100).map(|i| (i as f32, 1.0 + 0.01 * i as f32)).collect();
        pts[50].1 = 1e6;
        let ((_, _), (_, y1)) = chart(pts, false).ranges();
        assert!(y1 < 3.0, "a single spike does not set the range: {y1}");
        assert_eq!(Chart::default().ranges(), ((0.0, 1.0), (0.0, 1.0)));
    }

    /// The text labels of `chart` drawn into a `w` × `h` SVG (natively: the SVG backend).
    #[cfg(not(target_arch = "wasm32"))]
    fn labels(chart: &Chart, (w, h): (u32, u32)) -> Vec<String> {
        let mut svg = String::new();
        {
            let area = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
            draw_chart(&area, chart, 1.0).unwrap();
        }
        svg.split("</text>").filter_map(|t| t.rsplit('>').next()).map(|t| t.trim().to_string()).collect()
    }

    #[test]
    #[cfg(not(target_arch = "wasm32"))]
    fn a_short_chart_gets_fewer_y_ticks_and_zero_reads_0() {
        // a range whose ticks plotters computes as −0.4, −0.2, −5.6e-17, 0.2
        let wave: Vec<(f32, f32)> = (0..60).map(|i| (i as f32, -0.45 + 0.8 * i as f32 / 59.0)).collect();
        let c = chart(wave, false);
        let numbers = |l: &[String]| l.iter().filter(|t| t.parse::<f64>().is_ok()).count();
        let (tall, short) = (labels(&c, (400, 300)), labels(&c, (400, 110)));
        assert!(numbers(&short) < numbers(&tall), "fewer ticks on a short chart: {short:?} vs {tall:?}");
        assert!(tall.iter().all(|t| !t.contains("e-")), "no tick a rounding error from 0: {tall:?}");
    }

    #[test]
    #[cfg(not(target_arch = "wasm32"))]
    fn below_a_log_axis_a_run_runs_along_the_bottom_and_a_reference_stops() {
        let dip = vec![(0.0, 1.0), (1.0, 1e-11), (2.0, 0.1)];
        let run = Series { name: "run".into(), color: (200, 0, 0), points: dip.clone(), reference: false };
        let ideal = Series { name: "ideal".into(), color: (0, 0, 200), points: dip, reference: true };
        let c = Chart { series: vec![run, ideal], log_y: true, ..Chart::default() };
        let mut svg = String::new();
        {
            let area = SVGBackend::with_string(&mut svg, (400, 300)).into_drawing_area();
            draw_chart(&area, &c, 1.0).unwrap();
        }
        // the points of the first polyline drawn in `colour`
        let line = |colour: &str| -> Vec<f32> {
            let at = svg.find(&format!("stroke=\"{colour}\"")).expect("the series is drawn");
            let rest = &svg[at..];
            let pts = &rest[rest.find("points=\"").unwrap() + 8..];
            let pts = &pts[..pts.find('"').unwrap()];
            pts.split(' ').filter_map(|p| p.split(',').nth(1)?.parse().ok()).collect()
        };
        let (run, ideal) = (line("#C80000"), line("#0000C8"));
        assert_eq!(run.len(), 3, "the run keeps its dip, drawn at the bottom: {run:?}");
        assert!(run.iter().all(|&y| y < 300.0 - 25.0), "inside the plot, above the x labels: {run:?}");
        assert!(ideal.len() < 3, "the reference stops at the bottom: {ideal:?}");
    }

    #[test]
    #[cfg(not(target_arch = "wasm32"))]
    fn a_run_wholly_below_a_log_axis_is_named_in_the_plot_not_drawn_along_the_bottom() {
        // points around (1e6, −1e6): W2² near 1e12 sets the axis, MapErr stays at 1
        let w2 = Series {
            name: "W2²".into(),
            color: (0, 0, 200),
            points: vec![(0.0, 2e12), (9.0, 1e12)],
            reference: false,
        };
        let map = Series {
            name: "MapErr".into(),
            color: (200, 0, 0),
            points: vec![(0.0, 1.0), (9.0, 1.0)],
            reference: false,
        };
        let c = Chart { series: vec![w2, map], log_y: true, ..Chart::default() };
        let mut svg = String::new();
        {
            let area = SVGBackend::with_string(&mut svg, (400, 300)).into_drawing_area();
            draw_chart(&area, &c, 1.0).unwrap();
        }
        let legend = labels(&c, (400, 300));
        assert!(legend.iter().any(|t| t == "below the axis: MapErr 1"), "{legend:?}");
        assert!(legend.iter().any(|t| t == "MapErr") && legend.iter().any(|t| t == "W2²"), "{legend:?}");
        let lines = |colour: &str| {
            svg.matches(&format!("<polyline fill=\"none\" opacity=\"1\" stroke=\"{colour}\"")).count()
        };
        assert_eq!(lines("#C80000"), 1, "MapErr: its legend's swatch only, no line along the bottom");
        assert_eq!(lines("#0000C8"), 2, "W2²: its line and its swatch");
    }

    #[test]
    #[cfg(not(target_arch = "wasm32"))]
    fn a_log_chart_of_values_all_alike_has_distinct_tick_labels() {
        // the compare chart's first chunk: a ratio of 1 and 1.01
        let c = chart(vec![(0.0, 1.0), (25.0, 1.01)], true);
        let ticks: Vec<String> =
            labels(&c, (400, 300)).into_iter().filter(|t| t.parse::<f64>().is_ok()).collect();
        let mut distinct = ticks.clone();
        distinct.dedup();
        assert!(ticks.len() >= 3 && distinct.len() == ticks.len(), "{ticks:?}");
    }

    #[test]
    #[cfg(not(target_arch = "wasm32"))]
    fn a_legend_too_wide_for_beside_the_plot_goes_below_it_in_columns() {
        // the compare chart's ten entries, on a phone (370 px) and in the desktop's side column
        let series = (0..10)
            .map(|k| Series {
                name: format!("barycentric {}", if k % 2 == 0 { "MapErr" } else { "GeoDev" }),
                color: (0, 0, 200),
                points: vec![(0.0, 1.0), (25.0, 0.5 + k as f32)],
                reference: k % 2 == 1,
            })
            .collect();
        let c = Chart { series, log_y: true, x_label: "step".into(), ..Chart::default() };
        // the (x, y) of every text drawn that reads `text`
        let places = |(w, h): (u32, u32), text: &str| -> Vec<(i32, i32)> {
            let mut svg = String::new();
            {
                let area = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
                draw_chart(&area, &c, 1.0).unwrap();
            }
            let num = |t: &str, key: &str| -> i32 {
                let v = &t[t.find(key).unwrap() + key.len()..];
                v[..v.find('"').unwrap()].parse::<f64>().unwrap() as i32
            };
            svg.split("<text")
                .filter(|t| {
                    t.split('>').nth(1).and_then(|v| v.split('<').next()).map(str::trim) == Some(text)
                })
                .map(|t| (num(t, "x=\""), num(t, "y=\"")))
                .collect()
        };
        let (phone, axis) = (places((370, 330), "barycentric GeoDev"), places((370, 330), "step")[0]);
        assert_eq!(phone.len(), 5);
        assert!(phone.iter().all(|p| p.1 > axis.1), "below the plot's axis label at {axis:?}: {phone:?}");
        let first = places((370, 330), "barycentric MapErr");
        let rows = |v: &[(i32, i32)]| v.iter().map(|p| p.1).collect::<Vec<_>>();
        assert!(phone[0].0 > first[0].0 + 100, "two columns: {first:?} | {phone:?}");
        assert_eq!(rows(&first), rows(&phone), "a bold line and its light one share a row");
        let desk = places((540, 260), "barycentric GeoDev");
        assert!(desk.iter().all(|p| p.0 > 540 * 3 / 5), "beside the plot on a wide chart: {desk:?}");
    }

    #[test]
    fn axis_labels_tell_ticks_apart_far_from_the_origin() {
        assert_eq!(axis_label(-1e6, 2e6), "-1e6");
        assert_eq!(axis_label(5e5, 2e6), "5e5");
        assert_eq!(axis_label(999_998.0, 4.0), "9.99998e5");
        assert_eq!(axis_label(1e6, 4.0), "1e6");
        assert_eq!(axis_label(-1.5, 4.0), "-1.5");
        assert_eq!(axis_label(4999.8, 0.5), "4999.8");
        assert_eq!(axis_label(150.0, 100.0), "150");
        assert_eq!(axis_label(-2.8e-17, 4.0), "0");
    }

    #[test]
    fn tick_labels_are_short_and_unclipped_numbers() {
        assert_eq!(tick_label(100_000.0), "1e5");
        assert_eq!(tick_label(0.0001), "1e-4");
        assert_eq!(tick_label(2500.0), "2500");
        assert_eq!(tick_label(1.50), "1.5");
        assert_eq!(tick_label(0.25), "0.25");
        assert_eq!(tick_label(0.0), "0");
    }
}
