//! The local chain rules, one arm per op, written with tape ops so that gradients are themselves
//! differentiable (WGAN-GP and W2GAN differentiate through ∇ₓf).

use super::tape::{Op, Tape, Var};

/// For node `k` (computed by `op`) with upstream gradient `g`, the gradient contributions to each
/// input i for which `need(i)`.
pub(crate) fn rules<'t>(
    tape: &'t Tape,
    op: Op,
    k: usize,
    g: Var<'t>,
    need: &dyn Fn(usize) -> bool,
) -> Vec<(usize, Var<'t>)> {
    let v = |id: usize| Var { tape, id };
    let y = v(k);
    let mut out = Vec::with_capacity(2);
    let mut push = |i: usize, f: &dyn Fn() -> Var<'t>| {
        if need(i) {
            out.push((i, f()));
        }
    };
    match op {
        Op::Leaf => {}
        Op::Add(a, b) => {
            push(a, &|| g.sum_to(v(a).shape()));
            push(b, &|| g.sum_to(v(b).shape()));
        }
        Op::Sub(a, b) => {
            push(a, &|| g.sum_to(v(a).shape()));
            push(b, &|| -g.sum_to(v(b).shape()));
        }
        Op::Mul(a, b) => {
            push(a, &|| (g * v(b)).sum_to(v(a).shape()));
            push(b, &|| (g * v(a)).sum_to(v(b).shape()));
        }
        Op::Div(a, b) => {
            push(a, &|| (g / v(b)).sum_to(v(a).shape()));
            push(b, &|| -(g * y / v(b)).sum_to(v(b).shape()));
        }
        Op::MatMul { a, b, ta, tb } => {
            // C = A'B' with A' = op(A), B' = op(B): dA' = G B'ᵀ, dB' = A'ᵀ G
            push(a, &|| {
                if ta { v(b).matmul_flags(g, tb, true) } else { g.matmul_flags(v(b), false, !tb) }
            });
            push(b, &|| {
                if tb { g.matmul_flags(v(a), true, ta) } else { v(a).matmul_flags(g, !ta, false) }
            });
        }
        Op::Scale(a, s) => push(a, &|| g.scale(s)),
        Op::AddScalar(a, _) => push(a, &|| g),
        Op::Exp(a) => push(a, &|| g * y),
        Op::Log(a) => push(a, &|| g / v(a)),
        Op::Tanh(a) => push(a, &|| g * (-y.square()).add_scalar(1.0)),
        Op::Sigmoid(a) => push(a, &|| g * y * (-y).add_scalar(1.0)),
        Op::Softplus(a) => push(a, &|| g * v(a).sigmoid()),
        Op::Sqrt(a) => push(a, &|| (g / y).scale(0.5)),
        Op::Square(a) => push(a, &|| (g * v(a)).scale(2.0)),
        Op::Gate { x, g: gi, lo, hi, outside } => {
            // piecewise linear in g; zero derivative in x almost everywhere
            push(gi, &|| v(x).gate(g, lo, hi, outside));
        }
        Op::BiasGate { x, b, outside } => {
            // with outside ≥ 0 the output is positive exactly where x + b is, so it gates g
            if need(x) || need(b) {
                let d = y.gate(g, 0.0, f32::INFINITY, outside);
                push(x, &|| d);
                push(b, &|| d.sum_to(v(b).shape()));
            }
        }
        Op::Clamp(a, lo, hi) => push(a, &|| v(a).gate(g, lo, hi, 0.0)),
        Op::Elu(a, alpha) => {
            // elu'(x) = 1 for x > 0, elu(x) + α otherwise
            push(a, &|| {
                v(a).gate(g, 0.0, f32::INFINITY, 0.0)
                    + v(a).gate(g * y.add_scalar(alpha), f32::NEG_INFINITY, 0.0, 0.0)
            });
        }
        Op::Standardize { a, eps } => push(a, &|| v(a).standardize_grad(y, g, eps)),
        Op::StandardizeGrad { a, y: out, g: up, eps } => {
            // linear in the upstream gradient, with a self-adjoint map: its own transpose
            push(up, &|| v(a).standardize_grad(v(out), g, eps));
            let second = || {
                tape.fail("batch norm", "second derivatives through batch norm are not implemented".into())
            };
            push(a, &second);
            push(out, &second);
        }
        Op::SumTo(a) => push(a, &|| g.broadcast_to(v(a).shape())),
        Op::BroadcastTo(a) => push(a, &|| g.sum_to(v(a).shape())),
        Op::Transpose(a) => push(a, &|| g.t()),
        Op::SliceCols { a, start } => push(a, &|| g.pad_cols(start, v(a).shape().1)),
        Op::PadCols { a, start } => push(a, &|| g.slice_cols(start, v(a).shape().1)),
    }
    out
}
