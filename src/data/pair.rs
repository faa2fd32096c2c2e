//! Named source → target pairs (math.md §1): the W2GAN pairs, a Gaussian pair and generative targets.

use super::{Blob, Dist, Gaussian, Points, Sampling};
use crate::error::{Error, Result};
use crate::rng::Rng;

/// Every name `Pair::named` accepts, in the order the page lists them.
pub const PAIR_NAMES: [&str; 9] = [
    "gaussians4",
    "checkerboard",
    "spirals",
    "gauss2gauss",
    "gaussians8",
    "grid25",
    "swissroll",
    "ring",
    "moons",
];

/// Which member of a pair: the source X or the target Y.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// Source X.
    X,
    /// Target Y.
    Y,
}

/// A source distribution X and a target distribution Y.
#[derive(Debug, Clone, PartialEq)]
pub struct Pair {
    /// The name it was looked up by (or "custom").
    pub name: String,
    /// Source distribution.
    pub x: Dist,
    /// Target distribution.
    pub y: Dist,
}

// math.md §1 gives these centres to four digits (the W2GAN authors' values), not as √2 and √½
#[allow(clippy::approx_constant)]
const C4: f32 = 1.4142; // outer 4-Gaussians centre coordinate
#[allow(clippy::approx_constant)]
const C4_IN: f32 = 0.7071; // inner 4-Gaussians centre coordinate
const CB: f32 = 1.0607; // checkerboard square offset
/// Random-stream tags of the two sides (`Pair::sample_side`).
const SIDE_X: u64 = 101;
const SIDE_Y: u64 = 102;

impl Pair {
    /// Look up a pair by name, sampled i.i.d.; generative targets get standard normal noise as X.
    pub fn named(name: &str) -> Result<Pair> {
        Pair::sampled(name, Sampling::Iid)
    }

    /// Look up a pair by name with mixtures sampled as `sampling` says.
    pub fn sampled(name: &str, sampling: Sampling) -> Result<Pair> {
        let mixture =
            |centres: &[[f32; 2]], blob| Dist::Mixture { centres: centres.to_vec(), blob, sampling };
        let square = Blob::Square { side: 0.5 };
        let (x, y) = match name {
            "gaussians4" => (
                mixture(&corners(C4), Blob::Gaussian { std: 0.1 }),
                mixture(&corners(C4_IN), Blob::Gaussian { std: 0.1 }),
            ),
            "checkerboard" => (
                mixture(&[[0.0, CB], [0.0, -CB], [CB, 0.0], [-CB, 0.0]], square.clone()),
                mixture(&[[CB, CB], [CB, -CB], [-CB, CB], [-CB, -CB], [0.0, 0.0]], square),
            ),
            "spirals" => (Dist::Spiral { flip: true }, Dist::Spiral { flip: false }),
            "gauss2gauss" => {
                let (a, b) = gauss2gauss();
                (Dist::Gaussian(a), Dist::Gaussian(b))
            }
            "gaussians8" => {
                let c: Vec<[f32; 2]> = (0..8)
                    .map(|k| {
                        let a = k as f32 * std::f32::consts::FRAC_PI_4;
                        [C4 * a.cos(), C4 * a.sin()]
                    })
                    .collect();
                (noise(), mixture(&c, Blob::Gaussian { std: 0.05 }))
            }
            "grid25" => {
                let c: Vec<[f32; 2]> = (0..25)
                    .map(|k| [C4_IN * ((k % 5) as f32 - 2.0), C4_IN * ((k / 5) as f32 - 2.0)])
                    .collect();
                (noise(), mixture(&c, Blob::Gaussian { std: 0.05 }))
            }
            "swissroll" => (noise(), Dist::SwissRoll),
            "ring" => (noise(), Dist::Ring),
            "moons" => (noise(), Dist::Moons { sampling }),
            other => {
                return Err(Error::config(
                    "pair",
                    format!("unknown pair `{other}`; expected one of {}", PAIR_NAMES.join(", ")),
                ));
            }
        };
        Ok(Pair { name: name.to_string(), x, y })
    }

    /// The distribution on `side`.
    pub fn side(&self, side: Side) -> &Dist {
        match side {
            Side::X => &self.x,
            Side::Y => &self.y,
        }
    }

    /// Draw `n` points from `side`.
    pub fn sample(&self, side: Side, n: usize, rng: &mut Rng) -> Points {
        self.side(side).sample(n, rng)
    }

    /// Draw `n` points from `side` with that side's own random stream of `seed`, so the two sides
    /// of a pair drawn with one seed are independent.
    pub fn sample_side(&self, side: Side, n: usize, seed: u64) -> Points {
        let tag = match side {
            Side::X => SIDE_X,
            Side::Y => SIDE_Y,
        };
        self.sample(side, n, &mut crate::rng::stream(seed, tag))
    }

    /// Both Gaussians when the pair has a closed-form OT map (math.md §1).
    pub fn gaussians(&self) -> Option<(&Gaussian, &Gaussian)> {
        match (&self.x, &self.y) {
            (Dist::Gaussian(a), Dist::Gaussian(b)) => Some((a, b)),
            _ => None,
        }
    }
}

/// The Gaussian → Gaussian pair: an elongated, tilted source and a differently shaped target.
fn gauss2gauss() -> (Gaussian, Gaussian) {
    let a = Gaussian { mean: [-0.8, -0.6], cov: [[0.16, 0.08], [0.08, 0.09]] };
    let b = Gaussian { mean: [0.7, 0.5], cov: [[0.05, -0.03], [-0.03, 0.25]] };
    (a, b)
}

fn corners(c: f32) -> [[f32; 2]; 4] {
    [[c, c], [c, -c], [-c, c], [-c, -c]]
}

fn noise() -> Dist {
    Dist::Normal { dim: 2 }
}
