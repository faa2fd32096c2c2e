//! Seeded randomness: every random number in otlab comes from a generator built here from a seed.

use rand::{RngExt, SeedableRng};

/// The generator type used everywhere (ChaCha12, reproducible for a given seed and build).
pub type Rng = rand::rngs::StdRng;

/// A generator seeded from `seed`; same seed, same stream.
pub fn seeded(seed: u64) -> Rng {
    Rng::seed_from_u64(seed)
}

/// Uniform sample in [0, 1).
pub fn uniform(rng: &mut Rng) -> f32 {
    rng.random::<f32>()
}

/// Uniform sample in [lo, hi).
pub fn uniform_in(rng: &mut Rng, lo: f32, hi: f32) -> f32 {
    lo + (hi - lo) * uniform(rng)
}

/// Standard normal sample (Box–Muller, computed in f64 for accuracy in the tails).
pub fn normal(rng: &mut Rng) -> f32 {
    let u1 = 1.0 - rng.random::<f64>(); // in (0, 1]
    let u2 = rng.random::<f64>();
    ((-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()) as f32
}

/// Fisher–Yates shuffle of `items`.
pub fn shuffle<T>(rng: &mut Rng, items: &mut [T]) {
    for i in (1..items.len()).rev() {
        let j = rng.random_range(0..=i);
        items.swap(i, j);
    }
}

/// A random index in 0..n.
pub fn index(rng: &mut Rng, n: usize) -> usize {
    rng.random_range(0..n)
}
