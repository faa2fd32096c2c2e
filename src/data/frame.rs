//! Where a point cloud sits and how far it spreads: its frame (mean and RMS spread).

use super::Points;
use crate::viz::tick_label;

/// Beyond this mean or spread user points are far from the scale the lab's networks are set for.
const FAR: f64 = 10.0;

/// A cloud's mean and its RMS distance from the mean.
#[derive(Debug, Clone)]
pub struct CloudFrame {
    /// The cloud's mean.
    pub mean: Vec<f64>,
    /// Its RMS distance from the mean (1 for a cloud of one repeated point).
    pub scale: f64,
}

impl CloudFrame {
    /// The frame of cloud `p` (checked first: non-empty and finite).
    pub fn of(p: &Points) -> CloudFrame {
        let n = p.nrows() as f64;
        let mean: Vec<f64> = p.column_iter().map(|c| c.iter().map(|&v| v as f64).sum::<f64>() / n).collect();
        let spread =
            p.row_iter().map(|r| r.iter().zip(&mean).map(|(&v, m)| (v as f64 - m).powi(2)).sum::<f64>());
        let scale = (spread.sum::<f64>() / n).sqrt();
        CloudFrame { mean, scale: if scale > 0.0 && scale.is_finite() { scale } else { 1.0 } }
    }

    /// The frame that leaves points as they are.
    pub fn identity(d: usize) -> CloudFrame {
        CloudFrame { mean: vec![0.0; d], scale: 1.0 }
    }

    /// Coordinate k of a point, in this frame.
    #[inline]
    pub fn to_frame(&self, v: f64, k: usize) -> f64 {
        (v - self.mean[k]) / self.scale
    }

    /// For user points whose mean or spread is beyond `FAR`, a note that the networks and learning
    /// rates are set for data near the origin (the built-in pairs lie within ±2).
    pub fn scale_note(&self) -> Option<String> {
        let centre = self.mean.iter().map(|m| m * m).sum::<f64>().sqrt();
        if centre <= FAR && self.scale <= FAR {
            return None;
        }
        let at: Vec<String> = self.mean.iter().map(|&m| tick_label(m)).collect();
        Some(format!(
            "these points lie around ({}) with a spread of {}: the networks and learning rates are set \
             for data within a few units of the origin (the built-in pairs lie within ±2), so training \
             may get nowhere; rescale them to about ±2 to train on them",
            at.join(", "),
            tick_label(self.scale)
        ))
    }
}
