//! Displacement interpolation along the W2 geodesic (math.md §2): x_i(t) = (1−t)x_i + t·y_σ(i).

use crate::data::Points;

/// The targets reordered by the matching: row i is y_σ(i).
pub fn matched_targets(y: &Points, perm: &[usize]) -> Points {
    Points::from_fn(perm.len(), y.ncols(), |i, k| y[(perm[i], k)])
}

/// μ_t on samples: (1−t)·x + t·y_matched, with t clamped to [0, 1].
pub fn displacement(x: &Points, y_matched: &Points, t: f32) -> Points {
    let t = t.clamp(0.0, 1.0);
    x * (1.0 - t) + y_matched * t
}
