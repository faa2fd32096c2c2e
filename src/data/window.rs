//! The square of the plane a view shows: [−2, 2]² by default (math.md §1), or fitted to the data.

use super::Points;

/// An axis-aligned square window [x0, x0 + size] × [y0, y0 + size].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Window {
    /// Left edge.
    pub x0: f32,
    /// Bottom edge.
    pub y0: f32,
    /// Side length.
    pub size: f32,
}

impl Default for Window {
    fn default() -> Self {
        Window { x0: -2.0, y0: -2.0, size: 4.0 }
    }
}

impl Window {
    /// The window's x range.
    pub fn x_range(&self) -> (f32, f32) {
        (self.x0, self.x0 + self.size)
    }

    /// The window's y range.
    pub fn y_range(&self) -> (f32, f32) {
        (self.y0, self.y0 + self.size)
    }

    /// The square centred at the origin that holds every finite point of `clouds` (their first
    /// two coordinates, as drawn) with a 5 % margin, at least [−2, 2]², its half side a multiple
    /// of 0.5 (a latent panel: the prior N(0, I) stays in the middle, codes that drift show).
    pub fn centred(clouds: &[&Points]) -> Window {
        let reach_of = |p: &Points| {
            let drawn = p.columns(0, 2.min(p.ncols()));
            drawn.iter().filter(|v| v.is_finite()).fold(0.0f32, |r, v| r.max(v.abs()))
        };
        let reach = clouds.iter().map(|p| reach_of(p)).fold(0.0, f32::max);
        let half = ((reach * 1.05).max(2.0) * 2.0).ceil() / 2.0;
        Window { x0: -half, y0: -half, size: 2.0 * half }
    }

    /// The smallest "round" square that holds the default window's share of the data: [−2, 2]²
    /// when every finite point fits in it, else a square around the points with a 5 % margin,
    /// its side rounded up to a multiple of 0.5.
    pub fn fit(clouds: &[&Points]) -> Window {
        let (mut lo, mut hi) = ([f32::INFINITY; 2], [f32::NEG_INFINITY; 2]);
        for p in clouds {
            for i in 0..p.nrows() {
                for k in 0..2.min(p.ncols()) {
                    let v = p[(i, k)];
                    if v.is_finite() {
                        lo[k] = lo[k].min(v);
                        hi[k] = hi[k].max(v);
                    }
                }
            }
        }
        let d = Window::default();
        if !(lo[0].is_finite() && lo[1].is_finite()) {
            return d;
        }
        if lo[0] >= d.x0 && lo[1] >= d.y0 && hi[0] <= d.x0 + d.size && hi[1] <= d.y0 + d.size {
            return d;
        }
        let span = (hi[0] - lo[0]).max(hi[1] - lo[1]).max(1e-3) * 1.1;
        let size = (span * 2.0).ceil() / 2.0;
        let centre = [(lo[0] + hi[0]) / 2.0, (lo[1] + hi[1]) / 2.0];
        Window { x0: centre[0] - size / 2.0, y0: centre[1] - size / 2.0, size }
    }

    /// Cell centres of a `n` × `n` grid over the window, row-major from the top-left (n² × 2).
    pub fn grid(&self, n: usize) -> Points {
        let step = self.size / n as f32;
        Points::from_fn(n * n, 2, |p, k| {
            let (col, row) = (p % n, p / n);
            if k == 0 {
                self.x0 + (col as f32 + 0.5) * step
            } else {
                self.y0 + self.size - (row as f32 + 0.5) * step
            }
        })
    }

    /// Whether (x, y) lies inside.
    pub fn contains(&self, x: f32, y: f32) -> bool {
        x >= self.x0 && x <= self.x0 + self.size && y >= self.y0 && y <= self.y0 + self.size
    }
}
