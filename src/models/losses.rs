//! Loss pieces shared by several methods.

use crate::autodiff::Var;

/// c(a, b) = ½‖a − b‖² per row (n × 1): the cost whose Monge map is Id − ∇φ.
pub fn half_sq_cost<'t>(a: Var<'t>, b: Var<'t>) -> Var<'t> {
    (a - b).square().sum_cols().scale(0.5)
}

/// ‖g‖ per row with a tiny offset so the square root stays differentiable at 0.
pub fn row_norm<'t>(g: Var<'t>) -> Var<'t> {
    (g.square().sum_cols() + 1e-12).sqrt()
}
