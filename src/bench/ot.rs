//! Exact-assignment timings on the W2GAN pairs (compare with POT's network simplex).

use crate::clock::timed;
use crate::data::{Pair, Points, Side};
use crate::error::Result;
use crate::ot::assignment;
use crate::rng::seeded;
use serde::Serialize;

/// One timed assignment problem.
#[derive(Debug, Clone, Serialize)]
pub struct OtCase {
    /// Dataset pair.
    pub pair: String,
    /// Points per side.
    pub n: usize,
    /// Best wall-clock seconds over the repetitions.
    pub seconds: f64,
    /// The optimal W2² (so baselines can be checked against it).
    pub w2sq: f64,
}

/// The problem instance used for `pair` at size `n` (X with seed 0, Y with seed 1).
pub fn ot_problem(pair: &str, n: usize) -> Result<(Points, Points)> {
    let p = Pair::named(pair)?;
    Ok((p.sample(Side::X, n, &mut seeded(0)), p.sample(Side::Y, n, &mut seeded(1))))
}

/// Time the exact assignment for every pair and size; `reps` runs each, best time kept.
pub fn ot_bench(pairs: &[&str], sizes: &[usize], reps: usize) -> Result<Vec<OtCase>> {
    let mut out = Vec::new();
    for &pair in pairs {
        for &n in sizes {
            let (x, y) = ot_problem(pair, n)?;
            let mut best = f64::INFINITY;
            let mut w2sq = 0.0;
            for _ in 0..reps.max(1) {
                let (a, s) = timed(|| assignment(&x, &y));
                w2sq = a?.w2sq;
                best = best.min(s);
            }
            out.push(OtCase { pair: pair.to_string(), n, seconds: best, w2sq });
        }
    }
    Ok(out)
}
