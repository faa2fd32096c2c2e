//! The tape: an arena of matrix-valued nodes, `Var` handles into it, buffer recycling, a size
//! guard, sticky shape errors, and `grad`, whose results are tape nodes (differentiable again).

use super::Mat;
use super::kernels::Shape;
use crate::error::{Error, Result};
use std::cell::{Cell, Ref, RefCell};
use std::collections::HashMap;

/// Default node limit: far above one training step (~10⁴ nodes), far below a leak over steps.
pub const DEFAULT_LIMIT: usize = 2_000_000;

/// How a node was computed from earlier nodes (input ids are smaller than the node's own id).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Op {
    Leaf,
    Add(usize, usize),
    Sub(usize, usize),
    Mul(usize, usize),
    Div(usize, usize),
    MatMul {
        a: usize,
        b: usize,
        ta: bool,
        tb: bool,
    },
    Scale(usize, f32),
    AddScalar(usize, f32),
    Exp(usize),
    Log(usize),
    Tanh(usize),
    Sigmoid(usize),
    Softplus(usize),
    Sqrt(usize),
    Square(usize),
    /// g ⊙ (lo < x < hi ? 1 : outside): ReLU-like forward passes and their derivatives.
    Gate {
        x: usize,
        g: usize,
        lo: f32,
        hi: f32,
        outside: f32,
    },
    /// (x + b)₊ with slope `outside` below zero (≥ 0), b a row broadcast over x's rows.
    BiasGate {
        x: usize,
        b: usize,
        outside: f32,
    },
    Clamp(usize, f32, f32),
    Elu(usize, f32),
    /// Sum down to this node's shape.
    SumTo(usize),
    /// Broadcast up to this node's shape.
    BroadcastTo(usize),
    Transpose(usize),
    /// Each column of `a` standardised over the rows: (a − mean) / √(var + eps).
    Standardize {
        a: usize,
        eps: f32,
    },
    /// The gradient of `Standardize { a, eps }`, whose output is `y`, for upstream `g`.
    StandardizeGrad {
        a: usize,
        y: usize,
        g: usize,
        eps: f32,
    },
    /// Columns start..start+cols of the input.
    SliceCols {
        a: usize,
        start: usize,
    },
    /// The input placed at columns start.. of a zero matrix of this node's width.
    PadCols {
        a: usize,
        start: usize,
    },
}

impl Op {
    /// Input node ids.
    pub(crate) fn inputs(&self) -> impl Iterator<Item = usize> {
        let (a, b) = match *self {
            Op::Leaf => (None, None),
            Op::StandardizeGrad { a, y, g, .. } => return [Some(a), Some(y), Some(g)].into_iter().flatten(),
            Op::Add(a, b) | Op::Sub(a, b) | Op::Mul(a, b) | Op::Div(a, b) => (Some(a), Some(b)),
            Op::MatMul { a, b, .. } => (Some(a), Some(b)),
            Op::Gate { x, g, .. } => (Some(x), Some(g)),
            Op::BiasGate { x, b, .. } => (Some(x), Some(b)),
            Op::Scale(a, _)
            | Op::AddScalar(a, _)
            | Op::Exp(a)
            | Op::Log(a)
            | Op::Tanh(a)
            | Op::Sigmoid(a)
            | Op::Softplus(a)
            | Op::Sqrt(a)
            | Op::Square(a)
            | Op::Clamp(a, _, _)
            | Op::Elu(a, _)
            | Op::SumTo(a)
            | Op::BroadcastTo(a)
            | Op::Transpose(a)
            | Op::Standardize { a, .. }
            | Op::SliceCols { a, .. }
            | Op::PadCols { a, .. } => (Some(a), None),
        };
        [a, b, None].into_iter().flatten()
    }
}

struct Node {
    value: Mat,
    op: Op,
}

/// An arena of nodes. Reset it once per training step; its buffers are then reused.
pub struct Tape {
    nodes: RefCell<Vec<Node>>,
    pool: RefCell<HashMap<usize, Vec<Vec<f32>>>>,
    error: RefCell<Option<Error>>,
    flops: Cell<u64>,
    limit: usize,
}

/// A handle to one node of a tape (cheap to copy).
#[derive(Clone, Copy)]
pub struct Var<'t> {
    pub(crate) tape: &'t Tape,
    pub(crate) id: usize,
}

impl std::fmt::Debug for Var<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Var#{}{:?}", self.id, self.shape())
    }
}

impl Default for Tape {
    fn default() -> Self {
        Tape::new()
    }
}

impl Tape {
    /// An empty tape with the default node limit.
    pub fn new() -> Tape {
        Tape::with_limit(DEFAULT_LIMIT)
    }

    /// An empty tape that reports an error once it holds more than `limit` nodes.
    pub fn with_limit(limit: usize) -> Tape {
        Tape {
            nodes: RefCell::new(Vec::new()),
            pool: RefCell::new(HashMap::new()),
            error: RefCell::new(None),
            flops: Cell::new(0),
            limit,
        }
    }

    /// Forget all nodes (keeping their buffers for reuse) and clear the error.
    pub fn reset(&mut self) {
        let mut pool = self.pool.borrow_mut();
        for node in self.nodes.get_mut().drain(..) {
            let len = node.value.len();
            if len > 0 {
                let buf: Vec<f32> = node.value.data.into();
                pool.entry(len).or_default().push(buf);
            }
        }
        *self.error.get_mut() = None;
        self.flops.set(0);
    }

    /// Number of recycled buffers waiting for reuse (stays constant over identical steps).
    pub fn pooled(&self) -> usize {
        self.pool.borrow().values().map(Vec::len).sum()
    }

    /// Number of nodes recorded since the last reset.
    pub fn len(&self) -> usize {
        self.nodes.borrow().len()
    }

    /// Whether no node has been recorded.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Floating-point operations spent in matrix products since the last reset (2·m·k·n each).
    pub fn flops(&self) -> u64 {
        self.flops.get()
    }

    /// The first error recorded (shape mismatch, size limit), if any.
    pub fn check(&self) -> Result<()> {
        match &*self.error.borrow() {
            Some(e) => Err(e.clone()),
            None => Ok(()),
        }
    }

    /// A leaf holding a copy of `m` (parameters, data).
    pub fn leaf(&self, m: &Mat) -> Var<'_> {
        let mut v = self.alloc(m.shape());
        v.copy_from(m);
        self.push(v, Op::Leaf)
    }

    /// A 1×1 constant.
    pub fn scalar(&self, v: f32) -> Var<'_> {
        self.filled((1, 1), v)
    }

    /// A constant of the given shape filled with `v`.
    pub fn filled(&self, shape: Shape, v: f32) -> Var<'_> {
        let mut m = self.alloc(shape);
        m.fill(v);
        self.push(m, Op::Leaf)
    }

    /// A matrix of `shape` from the pool (contents are stale; kernels overwrite every entry).
    pub(crate) fn alloc(&self, shape: Shape) -> Mat {
        let len = shape.0 * shape.1;
        let buf = self.pool.borrow_mut().get_mut(&len).and_then(Vec::pop).unwrap_or_else(|| vec![0.0; len]);
        Mat::from_vec(shape.0, shape.1, buf)
    }

    pub(crate) fn push(&self, value: Mat, op: Op) -> Var<'_> {
        let mut nodes = self.nodes.borrow_mut();
        if nodes.len() == self.limit {
            self.record(Error::Shape {
                op: "tape",
                msg: format!("more than {} nodes: reset the tape every step", self.limit),
            });
        }
        nodes.push(Node { value, op });
        Var { tape: self, id: nodes.len() - 1 }
    }

    pub(crate) fn add_flops(&self, f: u64) {
        self.flops.set(self.flops.get() + f);
    }

    /// Record the first error; later ones are consequences of it.
    pub(crate) fn record(&self, e: Error) {
        let mut slot = self.error.borrow_mut();
        if slot.is_none() {
            *slot = Some(e);
        }
    }

    /// Record a shape error and return an empty placeholder node so the caller can go on.
    pub(crate) fn fail(&self, op: &'static str, msg: String) -> Var<'_> {
        self.record(Error::Shape { op, msg });
        self.push(Mat::zeros(0, 0), Op::Leaf)
    }

    pub(crate) fn value(&self, id: usize) -> Ref<'_, Mat> {
        Ref::map(self.nodes.borrow(), |n| &n[id].value)
    }

    /// Gradients of sum(y) with respect to each of `xs`, as tape nodes (so they can be
    /// differentiated again). Inputs that y does not depend on get zeros.
    pub fn grad<'t>(&'t self, y: Var<'t>, xs: &[Var<'t>]) -> Vec<Var<'t>> {
        let n = y.id + 1;
        let ops: Vec<Op> = self.nodes.borrow()[..n].iter().map(|node| node.op).collect();
        // nodes that depend on some x, and nodes y depends on
        let mut from_x = vec![false; n];
        xs.iter().filter(|x| x.id < n).for_each(|x| from_x[x.id] = true);
        let first = xs.iter().map(|x| x.id).min().unwrap_or(n);
        for k in first..n {
            if !from_x[k] {
                from_x[k] = ops[k].inputs().any(|i| from_x[i]);
            }
        }
        let mut to_y = vec![false; n];
        to_y[y.id] = true;
        for k in (0..n).rev() {
            if to_y[k] && from_x[k] {
                ops[k].inputs().for_each(|i| to_y[i] = true);
            }
        }
        let need = |i: usize| from_x[i] && to_y[i];
        let mut grads: Vec<Option<Var<'t>>> = vec![None; n];
        if need(y.id) {
            grads[y.id] = Some(self.filled(y.shape(), 1.0));
        }
        for k in (first..n).rev() {
            let Some(g) = grads[k] else { continue };
            for (i, gi) in super::backward::rules(self, ops[k], k, g, &need) {
                grads[i] = Some(match grads[i] {
                    Some(acc) => acc + gi,
                    None => gi,
                });
            }
        }
        xs.iter()
            .map(|x| grads.get(x.id).copied().flatten().unwrap_or_else(|| self.filled(x.shape(), 0.0)))
            .collect()
    }
}
