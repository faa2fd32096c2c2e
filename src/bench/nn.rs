//! Training-step throughput of the W2GAN networks at batch 512, next to the raw matrix-multiply
//! rate of the same build (the practical ceiling).

use crate::autodiff::{Mat, Tape};
use crate::clock::now;
use crate::error::Result;
use crate::nn::{Activation, Init, Mlp, MlpSpec, Mode};
use crate::rng::{self, seeded};
use serde::Serialize;

/// One measured workload.
#[derive(Debug, Clone, Serialize)]
pub struct NnCase {
    /// What was run.
    pub name: String,
    /// Steps (forward + backward) per second.
    pub steps_per_s: f64,
    /// Matrix-multiply GFLOP/s achieved inside the steps (forward and backward products).
    pub gflops: f64,
    /// gflops / raw matmul GFLOP/s.
    pub fraction_of_raw: f64,
}

/// The W2GAN critic: 2 → 128 → 128 → 128 → 1, ReLU, N(0, 0.1²) weights.
pub fn critic_spec(width: usize) -> MlpSpec {
    MlpSpec {
        widths: vec![2, width, width, width, 1],
        activation: Activation::Relu,
        batch_norm: false,
        residual: false,
        init: Init::Normal(0.1),
        bn_gamma_std: None,
    }
}

/// The W2GAN generator: residual map with 3 hidden layers, batch norm, ReLU, near-identity start.
pub fn generator_spec(width: usize) -> MlpSpec {
    MlpSpec {
        widths: vec![2, width, width, width, 2],
        activation: Activation::Relu,
        batch_norm: true,
        residual: true,
        init: Init::Normal(0.01),
        bn_gamma_std: Some(0.01),
    }
}

/// Raw GFLOP/s of `batch`×`width` · `width`×`width` products (the same sgemm the tape uses).
pub fn raw_matmul_gflops(batch: usize, width: usize, seconds: f64) -> f64 {
    matmul_gflops(MatmulShape { m: batch, k: width, n: width, ta: false, tb: false }, seconds)
}

/// One matrix product op(A)·op(B): m×k times k×n, with the transposes the backward pass uses.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct MatmulShape {
    /// Rows of the product.
    pub m: usize,
    /// Inner dimension.
    pub k: usize,
    /// Columns of the product.
    pub n: usize,
    /// A is stored transposed (k×m).
    pub ta: bool,
    /// B is stored transposed (n×k).
    pub tb: bool,
}

/// The three products of a hidden layer (forward X·W, backward G·Wᵀ and Xᵀ·G) at the lab's
/// W2GAN default (batch 256, width 64) and at the paper's setting (batch 512, width 128), then
/// the thin products of the lab default's 2-D input layer and 1-D critic output.
pub fn layer_shapes() -> Vec<MatmulShape> {
    let hidden = [(256, 64), (512, 128)]
        .into_iter()
        .flat_map(|(b, w)| [(b, w, w, false, false), (b, w, w, false, true), (w, b, w, true, false)]);
    let thin = [
        (256, 2, 64, false, false),
        (2, 256, 64, true, false),
        (256, 64, 1, false, false),
        (256, 1, 64, false, true),
        (64, 256, 1, true, false),
    ];
    hidden.chain(thin).map(|(m, k, n, ta, tb)| MatmulShape { m, k, n, ta, tb }).collect()
}

/// The rate of one product shape (serialised flat: {m, k, n, ta, tb, gflops}).
#[derive(Debug, Clone, Serialize)]
pub struct MatmulRate {
    /// The product measured.
    #[serde(flatten)]
    pub shape: MatmulShape,
    /// Its GFLOP/s.
    pub gflops: f64,
}

/// `layer_shapes` measured for `seconds` each.
pub fn matmul_shapes(seconds: f64) -> Vec<MatmulRate> {
    layer_shapes()
        .into_iter()
        .map(|shape| MatmulRate { shape, gflops: matmul_gflops(shape, seconds) })
        .collect()
}

/// GFLOP/s of repeated products of one shape with the tape's sgemm, for about `seconds`.
pub fn matmul_gflops(s: MatmulShape, seconds: f64) -> f64 {
    let mut r = seeded(0);
    let (ar, ac) = if s.ta { (s.k, s.m) } else { (s.m, s.k) };
    let (br, bc) = if s.tb { (s.n, s.k) } else { (s.k, s.n) };
    let a = Mat::from_fn(ar, ac, |_, _| rng::normal(&mut r));
    let b = Mat::from_fn(br, bc, |_, _| rng::normal(&mut r));
    let mut c = Mat::zeros(s.m, s.n);
    let (mut reps, t0) = (0u64, now());
    while now() - t0 < seconds || reps < 3 {
        crate::autodiff::matmul(&a, s.ta, &b, s.tb, &mut c);
        reps += 1;
    }
    2.0 * (s.m * s.k * s.n) as f64 * reps as f64 / (now() - t0) / 1e9
}

/// Time `step` (which returns the matmul flops it used) for about `seconds`.
fn measure(name: &str, raw: f64, seconds: f64, mut step: impl FnMut() -> u64) -> NnCase {
    step(); // warm-up: fills the tape's buffer pool
    let (mut steps, mut flops, t0) = (0u64, 0u64, now());
    while now() - t0 < seconds || steps < 3 {
        flops += step();
        steps += 1;
    }
    let dt = now() - t0;
    let gflops = flops as f64 / dt / 1e9;
    NnCase { name: name.into(), steps_per_s: steps as f64 / dt, gflops, fraction_of_raw: gflops / raw }
}

/// Benchmarks at `batch` and `width`, each run for about `seconds`; returns (raw GFLOP/s, cases).
pub fn nn_bench(batch: usize, width: usize, seconds: f64) -> Result<(f64, Vec<NnCase>)> {
    let raw = raw_matmul_gflops(batch, width, seconds);
    let mut r = seeded(1);
    let x = Mat::from_fn(batch, 2, |_, _| rng::normal(&mut r));
    let mut critic = Mlp::new(critic_spec(width), &mut r)?;
    let mut generator = Mlp::new(generator_spec(width), &mut r)?;
    let mut tape = Tape::new();
    let mut cases = Vec::new();

    cases.push(measure("critic forward+backward", raw, seconds, || {
        tape.reset();
        let p = critic.params.bind(&tape);
        let loss = critic.forward(&p, tape.leaf(&x), Mode::Train).mean();
        let g = tape.grad(loss, &p);
        std::hint::black_box(g[0].scalar());
        tape.flops()
    }));
    cases.push(measure("critic with gradient penalty (double backprop)", raw, seconds, || {
        tape.reset();
        let p = critic.params.bind(&tape);
        let xv = tape.leaf(&x);
        let f = critic.forward(&p, xv, Mode::Train);
        let gx = tape.grad(f, &[xv])[0];
        let penalty = ((gx.square().sum_cols() + 1e-12).sqrt() - 1.0).square().mean();
        let loss = f.mean() + penalty * 10.0;
        let g = tape.grad(loss, &p);
        std::hint::black_box(g[0].scalar());
        tape.flops()
    }));
    cases.push(measure("generator (residual, batch norm) forward+backward", raw, seconds, || {
        tape.reset();
        let p = generator.params.bind(&tape);
        let loss = generator.forward(&p, tape.leaf(&x), Mode::Train).square().mean();
        let g = tape.grad(loss, &p);
        std::hint::black_box(g[0].scalar());
        tape.flops()
    }));
    Ok((raw, cases))
}
