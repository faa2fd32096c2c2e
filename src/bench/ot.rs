//! Exact-assignment timings on a suite of cases drawn i.i.d. with a fixed seed — the W2GAN pairs
//! and awkward data (unbalanced clusters, duplicates, strokes) — to compare with POT's network
//! simplex on the same points.

use crate::clock::timed;
use crate::data::{Pair, Points, Side};
use crate::error::{Error, Result};
use crate::ot::assignment;
use crate::rng::{self, Rng};
use serde::Serialize;
use std::f32::consts::PI;

/// The cases of the suite, in report order.
pub const OT_CASES: [&str; 9] = [
    "gaussians4",
    "checkerboard",
    "spirals",
    "gauss2gauss",
    "unbalanced",
    "square-disc",
    "moons",
    "duplicates",
    "stroke",
];

/// One timed assignment problem.
#[derive(Debug, Clone, Serialize)]
pub struct OtCase {
    /// Case name (one of `OT_CASES`).
    pub case: String,
    /// Points per side.
    pub n: usize,
    /// Best wall-clock seconds over the repetitions.
    pub seconds: f64,
    /// The optimal W2² (so baselines can be checked against it).
    pub w2sq: f64,
    /// The solver's work counter (bids and targets settled by augmenting paths), per point.
    pub work_per_point: f64,
}

/// The instance of `case` with `n` points per side, drawn i.i.d. from fixed streams.
pub fn ot_problem(case: &str, n: usize) -> Result<(Points, Points)> {
    let (mut rx, mut ry) = (rng::stream(0, 201), rng::stream(0, 202));
    let two = |n: usize, r: &mut Rng, f: &dyn Fn(&mut Rng) -> [f32; 2]| {
        let pts: Vec<[f32; 2]> = (0..n).map(|_| f(r)).collect();
        Points::from_fn(n, 2, |i, k| pts[i][k])
    };
    let gauss = |r: &mut Rng, c: [f32; 2], s: f32| [c[0] + s * rng::normal(r), c[1] + s * rng::normal(r)];
    Ok(match case {
        "gaussians4" | "checkerboard" | "spirals" | "gauss2gauss" | "moons" => {
            let p = Pair::named(case)?;
            let x = match case {
                // the generative target's source is latent noise: use a wide Gaussian blob instead
                "moons" => two(n, &mut rx, &|r| gauss(r, [0.0, 0.0], 0.6)),
                _ => p.sample(Side::X, n, &mut rx),
            };
            (x, p.sample(Side::Y, n, &mut ry))
        }
        // 90 % of the source in the left cluster, 90 % of the target in the right one
        "unbalanced" => {
            let side = |share_left: f32| {
                move |r: &mut Rng| {
                    let c = if rng::uniform(r) < share_left { [-1.0, 0.0] } else { [1.0, 0.0] };
                    gauss(r, c, 0.2)
                }
            };
            (two(n, &mut rx, &side(0.9)), two(n, &mut ry, &side(0.1)))
        }
        "square-disc" => {
            let square = |r: &mut Rng| [rng::uniform_in(r, -1.0, 1.0), rng::uniform_in(r, -1.0, 1.0)];
            let disc = |r: &mut Rng| {
                let (a, rad) = (2.0 * PI * rng::uniform(r), rng::uniform(r).sqrt());
                [rad * a.cos(), rad * a.sin()]
            };
            (two(n, &mut rx, &square), two(n, &mut ry, &disc))
        }
        // 4-Gaussians where 10 % of the points of each side repeat other points of that side exactly
        "duplicates" => {
            let p = Pair::named("gaussians4")?;
            let dup = |mut pts: Points, r: &mut Rng| {
                for i in 0..n / 10 {
                    let k = n / 10 + rng::index(r, n - n / 10);
                    for c in 0..2 {
                        pts[(i, c)] = pts[(k, c)];
                    }
                }
                pts
            };
            let x = dup(p.sample(Side::X, n, &mut rx), &mut rx);
            (x, dup(p.sample(Side::Y, n, &mut ry), &mut ry))
        }
        // hand-drawn-like strokes: a wave and an arc, points along the curve with small noise
        "stroke" => {
            let wave = |r: &mut Rng| {
                let s = rng::uniform(r);
                [-1.5 + 3.0 * s + 0.01 * rng::normal(r), 0.6 * (3.0 * PI * s).sin() + 0.01 * rng::normal(r)]
            };
            let arc = |r: &mut Rng| {
                let a = PI * (0.1 + 0.8 * rng::uniform(r));
                [1.2 * a.cos() + 0.01 * rng::normal(r), 1.2 * a.sin() - 0.6 + 0.01 * rng::normal(r)]
            };
            (two(n, &mut rx, &wave), two(n, &mut ry, &arc))
        }
        other => return Err(Error::config("case", format!("unknown OT case `{other}`"))),
    })
}

/// Time the exact assignment for every case and size; `reps` runs each, best time kept.
pub fn ot_bench(cases: &[&str], sizes: &[usize], reps: usize) -> Result<Vec<OtCase>> {
    let mut out = Vec::new();
    for &case in cases {
        for &n in sizes {
            let (x, y) = ot_problem(case, n)?;
            let (mut best, mut w2sq, mut work) = (f64::INFINITY, 0.0, 0.0);
            for _ in 0..reps.max(1) {
                let (a, s) = timed(|| assignment(&x, &y));
                let a = a?;
                (w2sq, work) = (a.w2sq, a.work as f64 / n as f64);
                best = best.min(s);
            }
            out.push(OtCase { case: case.to_string(), n, seconds: best, w2sq, work_per_point: work });
        }
    }
    Ok(out)
}
