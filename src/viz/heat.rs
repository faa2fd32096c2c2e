//! Heat maps: a scalar field (or a partition into cells) sampled on a grid over the plot window,
//! and its colour maps.

use super::Rgb;

/// Values of a field on a `size` × `size` grid over a scene's window (row 0 at the top).
#[derive(Debug, Clone, PartialEq)]
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

    /// The colour of every cell, row-major. A partition's borders are drawn darker: regions that
    /// touch have different palette entries, so a change of value to the right or below is one.
    pub fn colors(&self) -> Vec<Rgb> {
        if self.categorical {
            let (v, n) = (&self.values, self.size);
            let border =
                |p: usize| (p % n + 1 < n && v[p + 1] != v[p]) || (p + n < v.len() && v[p + n] != v[p]);
            let dark = |(r, g, b): Rgb| {
                ((r as f32 * BORDER) as u8, (g as f32 * BORDER) as u8, (b as f32 * BORDER) as u8)
            };
            return (0..v.len())
                .map(|p| {
                    let c = label_color(v[p] as usize);
                    if border(p) { dark(c) } else { c }
                })
                .collect();
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

/// How much darker a partition's borders are drawn than its regions.
const BORDER: f32 = 0.7;

/// Light, well-separated colours for the regions of a partition.
const REGION_COLORS: [Rgb; 10] = [
    (166, 206, 227),
    (251, 180, 174),
    (204, 235, 197),
    (254, 217, 166),
    (222, 203, 228),
    (255, 255, 179),
    (179, 222, 222),
    (253, 218, 236),
    (215, 215, 215),
    (229, 216, 189),
];

/// The colour of palette entry `k` for regions of a partition.
pub fn label_color(k: usize) -> Rgb {
    REGION_COLORS[k % REGION_COLORS.len()]
}

/// Colour a `width`-wide raster of region labels (row-major) so that regions that touch get
/// different palette entries (greedy colouring of the adjacency graph; the cells of a power
/// diagram have few neighbours). Returns the palette entry of every pixel.
pub fn color_regions(labels: &[u32], width: usize) -> Vec<f32> {
    let regions = labels.iter().max().map_or(0, |&m| m as usize + 1);
    let mut neighbours = vec![std::collections::BTreeSet::new(); regions];
    for (p, &a) in labels.iter().enumerate() {
        let right = (p % width + 1 < width).then(|| labels[p + 1]);
        let below = labels.get(p + width).copied();
        for b in right.into_iter().chain(below).filter(|&b| b != a) {
            neighbours[a as usize].insert(b as usize);
            neighbours[b as usize].insert(a as usize);
        }
    }
    let mut colour = vec![usize::MAX; regions];
    for r in 0..regions {
        let used: Vec<usize> = neighbours[r].iter().map(|&n| colour[n]).collect();
        colour[r] = (0..).find(|c| !used.contains(c)).unwrap_or(0);
    }
    labels.iter().map(|&l| colour[l as usize] as f32).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neighbouring_labels_differ_and_rgba_has_four_bytes_per_cell() {
        assert_ne!(label_color(0), label_color(1));
        // a 3 × 3 raster: region 0 touches 1 and 2; 1 and 2 touch each other too
        let colours = color_regions(&[0, 0, 1, 0, 2, 1, 2, 2, 1], 3);
        let (c0, c1, c2) = (colours[0], colours[2], colours[4]);
        assert!(c0 != c1 && c0 != c2 && c1 != c2, "touching regions differ: {colours:?}");
        let h = Heat { size: 2, values: vec![0.0, 1.0, 2.0, 3.0], name: "cells".into(), categorical: true };
        let px = h.rgba();
        assert_eq!(px.len(), 16);
        assert!(px.chunks(4).all(|p| p[3] == 255));
        // borders are darker: cell (0, 0) meets another region to its right, (1, 1) meets none
        let c = h.colors();
        assert!(c[0].0 < label_color(0).0 && c[3] == label_color(3), "{c:?}");
        let one = Heat { values: vec![2.0; 4], ..h.clone() };
        assert!(one.colors().iter().all(|&p| p == label_color(2)), "one region has no border");
        let field = Heat { categorical: false, ..h };
        assert_eq!(field.colors()[0], diverging(0.0));
        assert_eq!(field.colors()[3], diverging(1.0));
    }
}
