//! Finite-difference gradient checking for any function built on the tape.

use super::{Mat, Tape, Var};

/// Largest relative error between autodiff and central differences, as
/// max |g_ad − g_fd| / (|g_fd| + `floor`) over all entries of all inputs.
///
/// `f` builds a scalar (1×1) or any node whose entries are summed. Runs in f32, so `h` around
/// 1e-2 and a tolerance of a few 1e-3 suit smooth functions of O(1) values: central differences
/// have truncation error ~h², f32 rounding ~1e-7/h.
pub fn max_grad_error(inputs: &[Mat], h: f32, floor: f32, f: impl for<'t> Fn(&[Var<'t>]) -> Var<'t>) -> f32 {
    let mut tape = Tape::new();
    let analytic: Vec<Mat> = {
        let vars: Vec<Var> = inputs.iter().map(|m| tape.leaf(m)).collect();
        let y = f(&vars);
        tape.grad(y, &vars).iter().map(|g| g.to_mat()).collect()
    };
    let mut eval = |ins: &[Mat]| -> f64 {
        tape.reset();
        let vars: Vec<Var> = ins.iter().map(|m| tape.leaf(m)).collect();
        f(&vars).value().iter().map(|&v| v as f64).sum()
    };
    if analytic.iter().zip(inputs).any(|(g, m)| g.shape() != m.shape()) {
        return f32::INFINITY; // a gradient of the wrong shape is as wrong as it gets
    }
    let mut worst: f32 = 0.0;
    let mut probe: Vec<Mat> = inputs.to_vec();
    for (k, m) in inputs.iter().enumerate() {
        for idx in 0..m.len() {
            let orig = m[idx];
            probe[k][idx] = orig + h;
            let up = eval(&probe);
            probe[k][idx] = orig - h;
            let down = eval(&probe);
            probe[k][idx] = orig;
            let fd = ((up - down) / (2.0 * h as f64)) as f32;
            let err = (analytic[k][idx] - fd).abs() / (fd.abs() + floor);
            worst = worst.max(err);
        }
    }
    worst
}

/// Largest error of the matrix-multiply kernel against a float64 triple loop, relative to
/// Σ|a·b| of each entry, over every transpose layout and shapes that exercise each path: thin
/// products (a dimension ≤ 4), partial register blocks, and more rows and depth than one block.
pub fn max_matmul_error() -> f64 {
    let dims = [1, 2, 3, 4, 5, 8, 9, 13, 37, 130, 300];
    let mut worst: f64 = 0.0;
    let mut seed = 0u32;
    let mut fill = |r: usize, c: usize| {
        Mat::from_fn(r, c, |_, _| {
            // a fixed pseudo-random sequence in [-1, 1), with exact zeros now and then
            seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            if seed.is_multiple_of(17) { 0.0 } else { (seed >> 8) as f32 / (1u32 << 23) as f32 - 1.0 }
        })
    };
    for (s, &m) in dims.iter().enumerate() {
        for &k in &dims[s % 3..] {
            // n walks the dims too, offset so that every size meets every other in some product
            let n = dims[(s * 7 + k) % dims.len()];
            for (ta, tb) in [(false, false), (false, true), (true, false), (true, true)] {
                let a = if ta { fill(k, m) } else { fill(m, k) };
                let b = if tb { fill(n, k) } else { fill(k, n) };
                let mut out = Mat::zeros(m, n);
                super::kernels::matmul(&a, ta, &b, tb, &mut out);
                for i in 0..m {
                    for j in 0..n {
                        let (mut exact, mut scale) = (0.0f64, 1e-30f64);
                        for p in 0..k {
                            let x = if ta { a[(p, i)] } else { a[(i, p)] } as f64;
                            let y = if tb { b[(j, p)] } else { b[(p, j)] } as f64;
                            exact += x * y;
                            scale += (x * y).abs();
                        }
                        worst = worst.max((out[(i, j)] as f64 - exact).abs() / scale);
                    }
                }
            }
        }
    }
    worst
}
