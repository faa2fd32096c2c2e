//! The operations on `Var`: each computes its forward value on the tape; the matching local
//! chain rules live in `backward.rs`.

use super::Mat;
use super::kernels::{self, Shape, broadcast_shape};
use super::tape::{Op, Tape, Var};
use std::cell::Ref;

impl<'t> Var<'t> {
    /// The node's current value.
    pub fn value(&self) -> Ref<'t, Mat> {
        self.tape.value(self.id)
    }

    /// A copy of the value.
    pub fn to_mat(&self) -> Mat {
        self.value().clone()
    }

    /// The value of a 1×1 node (NaN if the node is not 1×1).
    pub fn scalar(&self) -> f32 {
        let v = self.value();
        if v.shape() == (1, 1) { v[(0, 0)] } else { f32::NAN }
    }

    /// (rows, cols).
    pub fn shape(&self) -> Shape {
        self.value().shape()
    }

    /// The tape this node lives on.
    pub fn tape(&self) -> &'t Tape {
        self.tape
    }

    fn unary(self, op: Op, f: impl Fn(f32) -> f32) -> Var<'t> {
        let out = {
            let a = self.value();
            let mut out = self.tape.alloc(a.shape());
            out.as_mut_slice().iter_mut().zip(a.as_slice()).for_each(|(o, &x)| *o = f(x));
            out
        };
        self.tape.push(out, op)
    }

    fn binary(self, other: Var<'t>, name: &'static str, op: Op, f: impl Fn(f32, f32) -> f32) -> Var<'t> {
        let (sa, sb) = (self.shape(), other.shape());
        let Some(shape) = broadcast_shape(sa, sb) else {
            return self.tape.fail(name, format!("cannot broadcast {sa:?} with {sb:?}"));
        };
        let out = {
            let (a, b) = (self.value(), other.value());
            let mut out = self.tape.alloc(shape);
            kernels::zip_broadcast(&a, &b, &mut out, f);
            out
        };
        self.tape.push(out, op)
    }

    /// op(self) · op(o), op transposing where the flag is set (no transpose is materialised).
    pub(crate) fn matmul_flags(self, o: Var<'t>, ta: bool, tb: bool) -> Var<'t> {
        let (sa, sb) = (self.shape(), o.shape());
        let (m, k) = if ta { (sa.1, sa.0) } else { sa };
        let (k2, n) = if tb { (sb.1, sb.0) } else { sb };
        if k != k2 {
            return self
                .tape
                .fail("matmul", format!("inner dimensions differ: {sa:?}{} · {sb:?}{}", t(ta), t(tb)));
        }
        let out = {
            let (a, b) = (self.value(), o.value());
            let mut out = self.tape.alloc((m, n));
            kernels::matmul(&a, ta, &b, tb, &mut out);
            out
        };
        self.tape.add_flops(2 * (m * k * n) as u64);
        self.tape.push(out, Op::MatMul { a: self.id, b: o.id, ta, tb })
    }

    /// Matrix product self · o.
    pub fn matmul(self, o: Var<'t>) -> Var<'t> {
        self.matmul_flags(o, false, false)
    }

    /// self · oᵀ (no transpose is materialised).
    pub fn matmul_nt(self, o: Var<'t>) -> Var<'t> {
        self.matmul_flags(o, false, true)
    }

    /// selfᵀ · o (no transpose is materialised).
    pub fn matmul_tn(self, o: Var<'t>) -> Var<'t> {
        self.matmul_flags(o, true, false)
    }

    /// s · self.
    pub fn scale(self, s: f32) -> Var<'t> {
        self.unary(Op::Scale(self.id, s), |x| s * x)
    }

    /// self + s elementwise.
    pub fn add_scalar(self, s: f32) -> Var<'t> {
        self.unary(Op::AddScalar(self.id, s), |x| x + s)
    }

    /// exp(self).
    pub fn exp(self) -> Var<'t> {
        self.unary(Op::Exp(self.id), f32::exp)
    }

    /// ln(self).
    pub fn log(self) -> Var<'t> {
        self.unary(Op::Log(self.id), f32::ln)
    }

    /// tanh(self).
    pub fn tanh(self) -> Var<'t> {
        self.unary(Op::Tanh(self.id), f32::tanh)
    }

    /// 1 / (1 + e^{−self}), computed without overflow.
    pub fn sigmoid(self) -> Var<'t> {
        self.unary(Op::Sigmoid(self.id), sigmoid)
    }

    /// ln(1 + e^{self}), computed without overflow.
    pub fn softplus(self) -> Var<'t> {
        self.unary(Op::Softplus(self.id), |x| x.max(0.0) + (-x.abs()).exp().ln_1p())
    }

    /// √self.
    pub fn sqrt(self) -> Var<'t> {
        self.unary(Op::Sqrt(self.id), f32::sqrt)
    }

    /// self².
    pub fn square(self) -> Var<'t> {
        self.unary(Op::Square(self.id), |x| x * x)
    }

    /// max(self, 0), also written (·)₊.
    pub fn relu(self) -> Var<'t> {
        self.gate(self, 0.0, f32::INFINITY, 0.0)
    }

    /// self for self > 0, α·self otherwise.
    pub fn leaky_relu(self, alpha: f32) -> Var<'t> {
        self.gate(self, 0.0, f32::INFINITY, alpha)
    }

    /// (self + bias)₊ with slope `outside` (0 for ReLU, α ≥ 0 for leaky ReLU) below zero, in one
    /// pass and one tape node: a dense layer's bias and activation. `bias` is a 1×cols row.
    pub fn bias_relu(self, bias: Var<'t>, outside: f32) -> Var<'t> {
        let (sx, sb) = (self.shape(), bias.shape());
        if sb != (1, sx.1) {
            return self.tape.fail("bias_relu", format!("bias {sb:?} is not one row for {sx:?}"));
        }
        let out = {
            let (x, b) = (self.value(), bias.value());
            let mut out = self.tape.alloc(sx);
            kernels::zip_broadcast(&x, &b, &mut out, |xv, bv| {
                let p = xv + bv;
                if p > 0.0 { p } else { outside * p }
            });
            out
        };
        self.tape.push(out, Op::BiasGate { x: self.id, b: bias.id, outside })
    }

    /// self for self > 0, α(e^{self} − 1) otherwise.
    pub fn elu(self, alpha: f32) -> Var<'t> {
        self.unary(Op::Elu(self.id, alpha), |x| if x > 0.0 { x } else { alpha * x.exp_m1() })
    }

    /// self clamped to [lo, hi].
    pub fn clamp(self, lo: f32, hi: f32) -> Var<'t> {
        self.unary(Op::Clamp(self.id, lo, hi), |x| x.clamp(lo, hi))
    }

    /// g ⊙ (lo < self < hi ? 1 : outside), elementwise; g must have self's shape.
    pub(crate) fn gate(self, g: Var<'t>, lo: f32, hi: f32, outside: f32) -> Var<'t> {
        if self.shape() != g.shape() {
            return self.tape.fail("gate", format!("{:?} vs {:?}", self.shape(), g.shape()));
        }
        let out = {
            let (x, gv) = (self.value(), g.value());
            let mut out = self.tape.alloc(x.shape());
            for ((o, &xv), &gvv) in out.as_mut_slice().iter_mut().zip(x.as_slice()).zip(gv.as_slice()) {
                *o = if lo < xv && xv < hi { gvv } else { outside * gvv };
            }
            out
        };
        self.tape.push(out, Op::Gate { x: self.id, g: g.id, lo, hi, outside })
    }

    /// Sum down to `shape` (each dimension equal to self's or 1).
    pub fn sum_to(self, shape: Shape) -> Var<'t> {
        let s = self.shape();
        if s == shape {
            return self;
        }
        if !((shape.0 == s.0 || shape.0 == 1) && (shape.1 == s.1 || shape.1 == 1)) {
            return self.tape.fail("sum_to", format!("cannot sum {s:?} to {shape:?}"));
        }
        let out = {
            let a = self.value();
            let mut out = self.tape.alloc(shape);
            kernels::sum_to(&a, shape, &mut out);
            out
        };
        self.tape.push(out, Op::SumTo(self.id))
    }

    /// Repeat 1-sized dimensions up to `shape`.
    pub fn broadcast_to(self, shape: Shape) -> Var<'t> {
        let s = self.shape();
        if s == shape {
            return self;
        }
        if broadcast_shape(s, shape) != Some(shape) {
            return self.tape.fail("broadcast_to", format!("cannot broadcast {s:?} to {shape:?}"));
        }
        let out = {
            let a = self.value();
            let mut out = self.tape.alloc(shape);
            kernels::broadcast_to(&a, &mut out);
            out
        };
        self.tape.push(out, Op::BroadcastTo(self.id))
    }

    /// Sum of all entries (1×1).
    pub fn sum(self) -> Var<'t> {
        self.sum_to((1, 1))
    }

    /// Mean of all entries (1×1).
    pub fn mean(self) -> Var<'t> {
        let (r, c) = self.shape();
        self.sum().scale(1.0 / (r * c).max(1) as f32)
    }

    /// Column sums over the rows (the batch): 1 × cols.
    pub fn sum_rows(self) -> Var<'t> {
        let c = self.shape().1;
        self.sum_to((1, c))
    }

    /// Column means over the batch: 1 × cols.
    pub fn mean_rows(self) -> Var<'t> {
        let r = self.shape().0;
        self.sum_rows().scale(1.0 / r.max(1) as f32)
    }

    /// Each column standardised over the rows (the batch): (x − mean) / √(var + eps) with the
    /// biased variance — batch norm's normalisation as one node (two passes for the moments,
    /// one for the output; its gradient likewise). Also returns each column's (mean, variance),
    /// for batch norm's running statistics.
    pub fn standardize(self, eps: f32) -> (Var<'t>, Vec<(f32, f32)>) {
        let (out, moments) = {
            let a = self.value();
            let mut out = self.tape.alloc(a.shape());
            let r = a.nrows().max(1);
            let mut moments = Vec::with_capacity(a.ncols());
            for (o, col) in out.as_mut_slice().chunks_exact_mut(r).zip(a.as_slice().chunks_exact(r)) {
                let (mean, var) = kernels::moments(col);
                let s = 1.0 / (var + eps).sqrt();
                o.iter_mut().zip(col).for_each(|(o, &x)| *o = (x - mean) * s);
                moments.push((mean, var));
            }
            (out, moments)
        };
        (self.tape.push(out, Op::Standardize { a: self.id, eps }), moments)
    }

    /// The gradient through `standardize` of self (its input; output `y`) for upstream `g`:
    /// (g − mean(g) − y ⊙ mean(g ⊙ y)) / √(var + eps) per column.
    pub(crate) fn standardize_grad(self, y: Var<'t>, g: Var<'t>, eps: f32) -> Var<'t> {
        let shape = self.shape();
        if y.shape() != shape || g.shape() != shape {
            return self
                .tape
                .fail("standardize_grad", format!("{shape:?} vs {:?} and {:?}", y.shape(), g.shape()));
        }
        let out = {
            let (a, yv, gv) = (self.value(), y.value(), g.value());
            let mut out = self.tape.alloc(shape);
            let r = shape.0.max(1);
            let n = r as f32;
            let cols = a
                .as_slice()
                .chunks_exact(r)
                .zip(yv.as_slice().chunks_exact(r))
                .zip(gv.as_slice().chunks_exact(r));
            for (o, ((ca, cy), cg)) in out.as_mut_slice().chunks_exact_mut(r).zip(cols) {
                let s = 1.0 / (kernels::moments(ca).1 + eps).sqrt();
                let (mg, mgy) = (kernels::fast_sum(cg) / n, kernels::dot(cg, cy) / n);
                for ((o, &gv), &yv) in o.iter_mut().zip(cg).zip(cy) {
                    *o = s * (gv - mg - yv * mgy);
                }
            }
            out
        };
        self.tape.push(out, Op::StandardizeGrad { a: self.id, y: y.id, g: g.id, eps })
    }

    /// Row sums over the columns: rows × 1.
    pub fn sum_cols(self) -> Var<'t> {
        let r = self.shape().0;
        self.sum_to((r, 1))
    }

    /// Transpose.
    pub fn t(self) -> Var<'t> {
        let out = {
            let a = self.value();
            let mut out = self.tape.alloc((a.ncols(), a.nrows()));
            a.transpose_to(&mut out);
            out
        };
        self.tape.push(out, Op::Transpose(self.id))
    }

    /// Columns start..start+len.
    pub fn slice_cols(self, start: usize, len: usize) -> Var<'t> {
        let (r, c) = self.shape();
        if start + len > c {
            return self.tape.fail("slice_cols", format!("columns {start}..{} of {c}", start + len));
        }
        let out = {
            let a = self.value();
            let mut out = self.tape.alloc((r, len));
            out.copy_from(&a.columns(start, len));
            out
        };
        self.tape.push(out, Op::SliceCols { a: self.id, start })
    }

    /// self placed at columns start.. of a zero matrix with `total` columns.
    pub(crate) fn pad_cols(self, start: usize, total: usize) -> Var<'t> {
        let (r, c) = self.shape();
        if start + c > total {
            return self.tape.fail("pad_cols", format!("{c} columns at {start} exceed {total}"));
        }
        let out = {
            let a = self.value();
            let mut out = self.tape.alloc((r, total));
            out.fill(0.0);
            out.columns_mut(start, c).copy_from(&a);
            out
        };
        self.tape.push(out, Op::PadCols { a: self.id, start })
    }
}

/// Columns of several nodes side by side (all with the same number of rows).
pub fn concat_cols<'t>(parts: &[Var<'t>]) -> Var<'t> {
    let total: usize = parts.iter().map(|p| p.shape().1).sum();
    let mut start = 0;
    let mut acc: Option<Var<'t>> = None;
    for &p in parts {
        let placed = p.pad_cols(start, total);
        start += p.shape().1;
        acc = Some(match acc {
            Some(a) => a + placed,
            None => placed,
        });
    }
    acc.expect("concat_cols needs at least one part")
}

fn t(flag: bool) -> &'static str {
    if flag { "ᵀ" } else { "" }
}

/// The logistic function without overflow.
pub fn sigmoid(x: f32) -> f32 {
    if x >= 0.0 { 1.0 / (1.0 + (-x).exp()) } else { x.exp() / (1.0 + x.exp()) }
}

/// Elementwise `+ − × ÷` between nodes, with broadcasting of 1-sized dimensions.
macro_rules! binop {
    ($tr:ident, $m:ident, $op:tt) => {
        impl<'t> std::ops::$tr for Var<'t> {
            type Output = Var<'t>;
            fn $m(self, o: Var<'t>) -> Var<'t> {
                self.binary(o, stringify!($m), Op::$tr(self.id, o.id), |a, b| a $op b)
            }
        }
    };
}
binop!(Add, add, +);
binop!(Sub, sub, -);
binop!(Mul, mul, *);
binop!(Div, div, /);

impl<'t> std::ops::Neg for Var<'t> {
    type Output = Var<'t>;
    fn neg(self) -> Var<'t> {
        self.scale(-1.0)
    }
}

impl<'t> std::ops::Mul<f32> for Var<'t> {
    type Output = Var<'t>;
    fn mul(self, s: f32) -> Var<'t> {
        self.scale(s)
    }
}

impl<'t> std::ops::Add<f32> for Var<'t> {
    type Output = Var<'t>;
    fn add(self, s: f32) -> Var<'t> {
        self.add_scalar(s)
    }
}

impl<'t> std::ops::Sub<f32> for Var<'t> {
    type Output = Var<'t>;
    fn sub(self, s: f32) -> Var<'t> {
        self.add_scalar(-s)
    }
}
