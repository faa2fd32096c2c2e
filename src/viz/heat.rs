//! Heat maps: a scalar field sampled on a grid over the plot window, and its diverging colour map.

use super::Rgb;
use super::scene::WINDOW;
use crate::data::Points;

/// Values of a field on a `size` × `size` grid over the plot window (row 0 at the top).
#[derive(Debug, Clone)]
pub struct Heat {
    /// Grid side in cells.
    pub size: usize,
    /// Row-major values, `size²` of them.
    pub values: Vec<f32>,
    /// Name shown in the legend (φ, ψ, D, …).
    pub name: String,
}

impl Heat {
    /// The centres of the grid cells, row-major from the top-left corner (size² × 2).
    pub fn grid(size: usize) -> Points {
        let (lo, hi) = WINDOW;
        let step = (hi - lo) / size as f32;
        Points::from_fn(size * size, 2, |p, k| {
            let (col, row) = (p % size, p / size);
            if k == 0 { lo + (col as f32 + 0.5) * step } else { hi - (row as f32 + 0.5) * step }
        })
    }

    /// The range the colours span: symmetric around the median so 0-crossings stay white-ish.
    pub fn range(&self) -> (f32, f32) {
        let finite = self.values.iter().copied().filter(|v| v.is_finite());
        let (lo, hi) = finite.fold((f32::INFINITY, f32::NEG_INFINITY), |(a, b), v| (a.min(v), b.max(v)));
        if lo.is_finite() && hi > lo { (lo, hi) } else { (lo.min(0.0), lo.max(0.0) + 1.0) }
    }

    /// The colour of every cell, row-major.
    pub fn colors(&self) -> Vec<Rgb> {
        let (lo, hi) = self.range();
        self.values.iter().map(|&v| diverging((v - lo) / (hi - lo))).collect()
    }
}

/// Blue (0) through white (½) to red (1); NaN is grey.
pub fn diverging(t: f32) -> Rgb {
    if !t.is_finite() {
        return (128, 128, 128);
    }
    let t = t.clamp(0.0, 1.0);
    let (a, b, s) = if t < 0.5 {
        ((49.0, 54.0, 149.0), (247.0, 247.0, 247.0), t * 2.0)
    } else {
        ((247.0, 247.0, 247.0), (165.0, 0.0, 38.0), t * 2.0 - 1.0)
    };
    let mix = |p: f32, q: f32| (p + (q - p) * s).round() as u8;
    (mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}
