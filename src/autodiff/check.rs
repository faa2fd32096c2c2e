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
