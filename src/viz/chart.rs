//! Line charts over training (metrics and losses against steps, the geodesic chart) drawn with
//! plotters on any backend.

use super::Rgb;
use plotters::coord::Shift;
use plotters::prelude::*;

/// One named line.
#[derive(Debug, Clone)]
pub struct Series {
    /// Legend text.
    pub name: String,
    /// Line colour.
    pub color: Rgb,
    /// (x, y) points in drawing order.
    pub points: Vec<(f32, f32)>,
    /// A reference curve (drawn thin and light, without markers).
    pub reference: bool,
}

/// A chart: lines over shared axes.
#[derive(Debug, Clone, Default)]
pub struct Chart {
    /// Caption.
    pub title: String,
    /// Label of the horizontal axis.
    pub x_label: String,
    /// The lines.
    pub series: Vec<Series>,
}

impl Chart {
    /// The axis ranges covering every finite point (y always includes 0).
    fn ranges(&self) -> ((f32, f32), (f32, f32)) {
        let pts =
            self.series.iter().flat_map(|s| s.points.iter()).filter(|p| p.0.is_finite() && p.1.is_finite());
        let (mut x0, mut x1, mut y0, mut y1) = (f32::INFINITY, f32::NEG_INFINITY, 0.0_f32, f32::NEG_INFINITY);
        for &(x, y) in pts {
            (x0, x1, y0, y1) = (x0.min(x), x1.max(x), y0.min(y), y1.max(y));
        }
        if !x0.is_finite() {
            (x0, x1) = (0.0, 1.0);
        }
        if x1 <= x0 {
            x1 = x0 + 1.0;
        }
        if y1.is_nan() || y1 <= y0 {
            y1 = y0 + 1.0;
        }
        let pad = 0.05 * (y1 - y0);
        ((x0, x1), (y0 - if y0 < 0.0 { pad } else { 0.0 }, y1 + pad))
    }
}

/// Draw `chart` filling `area`.
pub fn draw_chart<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &Chart,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let ((x0, x1), (y0, y1)) = chart.ranges();
    let mut c = ChartBuilder::on(area)
        .margin(6)
        .caption(&chart.title, ("sans-serif", 13))
        .x_label_area_size(30)
        .y_label_area_size(40)
        .build_cartesian_2d(x0..x1, y0..y1)?;
    c.configure_mesh()
        .x_labels(5)
        .y_labels(4)
        .x_desc(chart.x_label.as_str())
        .light_line_style(WHITE.mix(0.0))
        .bold_line_style(BLACK.mix(0.08))
        .label_style(("sans-serif", 10))
        .draw()?;
    for s in chart.series.iter().filter(|s| !s.points.is_empty()) {
        let col = RGBColor(s.color.0, s.color.1, s.color.2);
        let style = if s.reference { col.mix(0.6).stroke_width(1) } else { col.stroke_width(2) };
        let points = s.points.iter().copied().filter(|p| p.0.is_finite() && p.1.is_finite());
        c.draw_series(LineSeries::new(points, style))?
            .label(s.name.as_str())
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 14, y)], style));
    }
    c.configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK.mix(0.2))
        .label_font(("sans-serif", 10))
        .draw()
}

/// Draw charts: the first across the top half, the others side by side below it; then present.
pub fn render_charts<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    charts: &[Chart],
) -> Result<(), String> {
    let go = || -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        area.fill(&WHITE)?;
        let Some((first, rest)) = charts.split_first() else { return Ok(()) };
        let (top, bottom) = if rest.is_empty() {
            (area.clone(), None)
        } else {
            let (t, b) = area.split_vertically(area.dim_in_pixel().1 / 2);
            (t, Some(b))
        };
        draw_chart(&top, first)?;
        if let Some(b) = bottom {
            for (a, c) in b.split_evenly((1, rest.len())).iter().zip(rest) {
                draw_chart(a, c)?;
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

    #[test]
    fn ranges_cover_the_points_include_zero_and_skip_non_finite_values() {
        let s = |points| Series { name: "a".into(), color: (0, 0, 0), points, reference: false };
        let c = Chart { series: vec![s(vec![(0.0, 0.5), (10.0, 2.0), (f32::NAN, 9.0)])], ..Chart::default() };
        let ((x0, x1), (y0, y1)) = c.ranges();
        assert_eq!((x0, x1), (0.0, 10.0));
        assert_eq!(y0, 0.0);
        assert!((2.0..2.2).contains(&y1));
        let empty = Chart::default().ranges();
        assert_eq!(empty, ((0.0, 1.0), (0.0, 1.05)));
    }
}
