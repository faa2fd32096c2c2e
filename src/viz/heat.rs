//! Heat maps: a scalar field (or a partition into cells) sampled on a grid over the plot window,
//! and its colour maps.

use super::Rgb;

/// Values of a field on a `size` × `size` grid over a scene's window (row 0 at the top).
#[derive(Debug, Clone)]
pub struct Heat {
    /// Grid side in cells.
    pub size: usize,
    /// Row-major values, `size²` of them (cell indices when `categorical`).
    pub values: Vec<f32>,
    /// Name shown in the legend (φ, ψ, D, …).
    pub name: String,
    /// Values are labels (Laguerre cell indices), coloured by a qualitative palette.
    pub categorical: bool,
}

impl Heat {
    /// The range the colours span (the finite minimum and maximum).
    pub fn range(&self) -> (f32, f32) {
        let finite = self.values.iter().copied().filter(|v| v.is_finite());
        let (lo, hi) = finite.fold((f32::INFINITY, f32::NEG_INFINITY), |(a, b), v| (a.min(v), b.max(v)));
        if lo.is_finite() && hi > lo { (lo, hi) } else { (lo.min(0.0), lo.max(0.0) + 1.0) }
    }

    /// The colour of every cell, row-major.
    pub fn colors(&self) -> Vec<Rgb> {
        if self.categorical {
            return self.values.iter().map(|&v| label_color(v as usize)).collect();
        }
        let (lo, hi) = self.range();
        self.values.iter().map(|&v| diverging((v - lo) / (hi - lo))).collect()
    }

    /// The colours as RGBA bytes, row-major (for an image of `size` × `size` pixels).
    pub fn rgba(&self) -> Vec<u8> {
        self.colors().into_iter().flat_map(|(r, g, b)| [r, g, b, 255]).collect()
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

/// A light colour per label; neighbouring labels get well-separated hues (golden-angle steps).
pub fn label_color(label: usize) -> Rgb {
    let hue = (label as f32 * 137.508) % 360.0;
    let (s, l) = (0.55_f32, 0.82_f32);
    let c = (1.0 - (2.0 * l - 1.0).abs()) * s;
    let h = hue / 60.0;
    let x = c * (1.0 - (h % 2.0 - 1.0).abs());
    let (r, g, b) = match h as u32 {
        0 => (c, x, 0.0),
        1 => (x, c, 0.0),
        2 => (0.0, c, x),
        3 => (0.0, x, c),
        4 => (x, 0.0, c),
        _ => (c, 0.0, x),
    };
    let m = l - c / 2.0;
    let to = |v: f32| ((v + m) * 255.0).round() as u8;
    (to(r), to(g), to(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neighbouring_labels_differ_and_rgba_has_four_bytes_per_cell() {
        assert_ne!(label_color(0), label_color(1));
        let h = Heat { size: 2, values: vec![0.0, 1.0, 2.0, 3.0], name: "cells".into(), categorical: true };
        let px = h.rgba();
        assert_eq!(px.len(), 16);
        assert!(px.chunks(4).all(|p| p[3] == 255));
        let field = Heat { categorical: false, ..h };
        assert_eq!(field.colors()[0], diverging(0.0));
        assert_eq!(field.colors()[3], diverging(1.0));
    }
}
