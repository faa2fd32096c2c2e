//! Semi-discrete OT by averaged SGD on the semi-dual (math.md §2; Genevay, Cuturi, Peyré, Bach
//! 2016; polynomial-decay averaging, Shamir & Zhang 2013): a weight v_j per target point, the map x ↦ y_{argmin_j ‖x − y_j‖² − v_j}, whose cells
//! (Laguerre cells) split the plane.

use crate::data::{Points, Window};
use crate::error::{Error, Result};

/// η of the polynomial-decay averaging of the iterates.
const AVERAGING: f64 = 10.0;

/// SGD settings.
#[derive(Debug, Clone, PartialEq)]
pub struct SemiDiscreteConfig {
    /// Entropic smoothing ε (0 = the exact, non-smooth semi-dual).
    pub eps: f64,
    /// Step size scale: step k uses lr / √k.
    pub lr: f64,
    /// Source samples per stochastic gradient.
    pub batch: usize,
}

impl Default for SemiDiscreteConfig {
    fn default() -> Self {
        SemiDiscreteConfig { eps: 0.0, lr: 1.0, batch: 64 }
    }
}

/// Semi-dual weights for a fixed set of target points, fitted by averaged SGD.
#[derive(Debug, Clone)]
pub struct SemiDiscrete {
    /// Target points y_j (m × d).
    pub y: Points,
    /// Current SGD iterate.
    v: Vec<f64>,
    /// Average of the iterates, recent ones weighted more (what the map uses).
    pub v_avg: Vec<f64>,
    /// SGD steps taken.
    pub steps: usize,
}

/// Cell index of every pixel of a grid over a window, row 0 at the top (for drawing).
#[derive(Debug, Clone, PartialEq)]
pub struct CellRaster {
    /// Pixels per row.
    pub width: usize,
    /// Rows.
    pub height: usize,
    /// Cell index per pixel, row-major from the top-left.
    pub cells: Vec<u32>,
    /// The cells' sites: the discrete targets, m × 2.
    pub sites: Points,
}

impl SemiDiscrete {
    /// Start with zero weights (the map is then nearest-neighbour projection).
    pub fn new(y: Points) -> Result<SemiDiscrete> {
        super::cost::check_cloud(&y, "targets")?;
        let m = y.nrows();
        Ok(SemiDiscrete { y, v: vec![0.0; m], v_avg: vec![0.0; m], steps: 0 })
    }

    /// The semi-discrete OT between the empirical measure of `x` and uniform weights on the
    /// targets `y`, exactly: `x` is assigned to each target repeated n/m times (n a multiple of
    /// m), and the repeated targets' common dual is its weight. A reference for the SGD.
    pub fn exact(y: Points, x: &Points) -> Result<SemiDiscrete> {
        let (n, m) = (x.nrows(), y.nrows());
        if m == 0 || n % m != 0 {
            return Err(Error::data(None, format!("{n} source points are not a multiple of {m} targets")));
        }
        let repeated = Points::from_fn(n, y.ncols(), |i, k| y[(i % m, k)]);
        let a = super::assignment(x, &repeated)?;
        // copies of one target share their dual at the optimum; take the smallest for safety
        let mut v = vec![f64::INFINITY; m];
        for (i, &vi) in a.v.iter().enumerate() {
            v[i % m] = v[i % m].min(vi);
        }
        let mut s = SemiDiscrete::with_weights(y, v)?;
        s.steps = 0;
        Ok(s)
    }

    /// A solver resumed from saved weights (one per target point).
    pub fn with_weights(y: Points, v: Vec<f64>) -> Result<SemiDiscrete> {
        if v.len() != y.nrows() || v.iter().any(|w| !w.is_finite()) {
            return Err(Error::config(
                "v",
                format!("expected {} finite weights, got {}", y.nrows(), v.len()),
            ));
        }
        let mut s = SemiDiscrete::new(y)?;
        s.steps = 1;
        (s.v, s.v_avg) = (v.clone(), v);
        Ok(s)
    }

    fn cost(&self, x: &Points, i: usize, j: usize) -> f64 {
        (0..x.ncols()).map(|k| (x[(i, k)] as f64 - self.y[(j, k)] as f64).powi(2)).sum()
    }

    /// One stochastic ascent step on H(v) = E_x[min_j (C(x,y_j) − v_j)] + (1/m)Σv_j using the rows
    /// of `x` as samples: ∂H/∂v_j ≈ 1/m − (fraction of samples whose (soft)min is j).
    pub fn step(&mut self, x: &Points, cfg: &SemiDiscreteConfig) {
        let m = self.y.nrows();
        let mut grad = vec![1.0 / m as f64; m];
        let share = 1.0 / x.nrows() as f64;
        let mut scores = vec![0.0; m];
        for i in 0..x.nrows() {
            for (j, s) in scores.iter_mut().enumerate() {
                *s = self.cost(x, i, j) - self.v[j];
            }
            if cfg.eps > 0.0 {
                let mn = scores.iter().cloned().fold(f64::INFINITY, f64::min);
                let w: Vec<f64> = scores.iter().map(|s| (-(s - mn) / cfg.eps).exp()).collect();
                let z: f64 = w.iter().sum();
                w.iter().zip(grad.iter_mut()).for_each(|(w, g)| *g -= share * w / z);
            } else {
                grad[argmin(&scores)] -= share;
            }
        }
        self.steps += 1;
        let lr = cfg.lr / (self.steps as f64).sqrt();
        // polynomial-decay averaging (Shamir & Zhang 2013): recent iterates weigh more than with
        // a plain running mean, so the early transient fades
        let rho = (AVERAGING + 1.0) / (self.steps as f64 + AVERAGING);
        for ((v, avg), g) in self.v.iter_mut().zip(self.v_avg.iter_mut()).zip(&grad) {
            *v += lr * g;
            *avg += (*v - *avg) * rho;
        }
    }

    /// Index of the Laguerre cell holding each row of `x` (argmin_j ‖x − y_j‖² − v̄_j).
    pub fn assign(&self, x: &Points) -> Vec<usize> {
        let m = self.y.nrows();
        let mut scores = vec![0.0; m];
        (0..x.nrows())
            .map(|i| {
                for (j, s) in scores.iter_mut().enumerate() {
                    *s = self.cost(x, i, j) - self.v_avg[j];
                }
                argmin(&scores)
            })
            .collect()
    }

    /// The share of the rows of `x` in each cell, times the number of cells (1 where the masses
    /// are equal, as the semi-discrete OT map makes them).
    pub fn masses(&self, x: &Points) -> Vec<f64> {
        let m = self.y.nrows();
        let mut counts = vec![0usize; m];
        self.assign(x).into_iter().for_each(|j| counts[j] += 1);
        counts.into_iter().map(|c| (c * m) as f64 / x.nrows().max(1) as f64).collect()
    }

    /// The semi-discrete map: each row of `x` sent to the target point of its cell.
    pub fn map(&self, x: &Points) -> Points {
        let cells = self.assign(x);
        Points::from_fn(x.nrows(), x.ncols(), |i, k| self.y[(cells[i], k)])
    }

    /// Monte-Carlo estimate of the semi-dual objective H(v̄) on the samples `x`; at the optimum it
    /// equals W2² between the source and the uniform measure on the targets.
    pub fn objective(&self, x: &Points) -> f64 {
        let cells = self.assign(x);
        let m = self.y.nrows() as f64;
        let e: f64 = cells.iter().enumerate().map(|(i, &j)| self.cost(x, i, j) - self.v_avg[j]).sum::<f64>()
            / x.nrows() as f64;
        e + self.v_avg.iter().sum::<f64>() / m
    }

    /// Rasterise the cells over `window` at `width` × `height` pixels. Along a row (height y) the
    /// score ‖x − y_j‖² − v̄_j of cell j is, up to a term common to all cells, the line
    /// −2 y_j1·x + (‖y_j‖² − 2 y_j2·y − v̄_j) in x: the row crosses the cells along the lower
    /// envelope of m lines, found from one argmin and the crossings after it (O(width + m · cells
    /// crossed) per row, not O(width · m)).
    pub fn raster(&self, width: usize, height: usize, window: &Window) -> CellRaster {
        let (x0, x1) = window.x_range();
        let (y0, y1) = window.y_range();
        let m = self.y.nrows();
        let site = |j: usize| (self.y[(j, 0)] as f64, self.y[(j, 1)] as f64);
        let mut cells = Vec::with_capacity(width * height);
        for row in 0..height {
            let h = (y1 - (y1 - y0) * (row as f32 + 0.5) / height as f32) as f64;
            let line = |j: usize| {
                let (a, b) = site(j);
                (-2.0 * a, a * a + b * b - 2.0 * b * h - self.v_avg[j])
            };
            let lines: Vec<(f64, f64)> = (0..m).map(line).collect();
            // where the lowest line j is next undercut: by the first line of smaller slope to cross
            // it (all do at or after where j is lowest; a crossing that rounds to before the
            // current pixel is taken at once, and each switch lowers the slope, so the walk ends)
            let next = |j: usize| {
                let (sj, cj) = lines[j];
                lines
                    .iter()
                    .enumerate()
                    .filter(|&(_, &(s, _))| s < sj)
                    .map(|(k, &(s, c))| ((c - cj) / (sj - s), k))
                    .min_by(|a, b| a.0.total_cmp(&b.0))
            };
            let px = |col: usize| (x0 + (x1 - x0) * (col as f32 + 0.5) / width as f32) as f64;
            let mut j = argmin(&lines.iter().map(|&(s, c)| s * px(0) + c).collect::<Vec<_>>());
            let mut after = next(j);
            for col in 0..width {
                let x = px(col);
                while let Some((_, k)) = after.filter(|&(at, _)| x > at) {
                    j = k;
                    after = next(j);
                }
                cells.push(j as u32);
            }
        }
        CellRaster { width, height, cells, sites: self.y.clone() }
    }
}

fn argmin(v: &[f64]) -> usize {
    v.iter().enumerate().fold(0, |b, (j, &s)| if s < v[b] { j } else { b })
}
