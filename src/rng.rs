//! Seeded randomness: every random number in otlab comes from a generator built here from a seed.

use rand::{RngExt, SeedableRng};

/// The generator type used everywhere (ChaCha12, reproducible for a given seed and build).
pub type Rng = rand::rngs::StdRng;

/// A generator seeded from `seed`; same seed, same stream.
pub fn seeded(seed: u64) -> Rng {
    Rng::seed_from_u64(seed)
}

/// An independent generator for the stream `tag` of a run seeded by `seed` (the two sides of a
/// pair, training batches and held-out samples each draw from their own stream).
pub fn stream(seed: u64, tag: u64) -> Rng {
    seeded(splitmix(seed ^ splitmix(tag.wrapping_add(0x5EED))))
}

/// SplitMix64's finaliser: a bijection that scatters nearby integers.
fn splitmix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
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
