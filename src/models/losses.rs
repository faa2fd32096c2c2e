//! Loss pieces shared by several methods.

use crate::autodiff::{Mat, Var};

/// c(a, b) = ½‖a − b‖² per row (n × 1): the cost whose Monge map is Id − ∇φ.
pub fn half_sq_cost<'t>(a: Var<'t>, b: Var<'t>) -> Var<'t> {
    (a - b).square().sum_cols().scale(0.5)
}

/// ‖g‖ per row with a tiny offset so the square root stays differentiable at 0.
pub fn row_norm<'t>(g: Var<'t>) -> Var<'t> {
    (g.square().sum_cols() + 1e-12).sqrt()
}

/// ‖a_i − b_j‖² for every pair of rows (n × m).
pub fn pair_sq_dist<'t>(a: Var<'t>, b: Var<'t>) -> Var<'t> {
    let aa = a.square().sum_cols();
    let bb = b.square().sum_cols().t();
    (aa + a.matmul_nt(b) * -2.0) + bb
}

/// Σ_ij P_ij ‖a_i − b_j‖² for a plan P held fixed (no gradient flows through P).
pub fn plan_cost<'t>(plan: &Mat, a: Var<'t>, b: Var<'t>) -> Var<'t> {
    (a.tape().leaf(plan) * pair_sq_dist(a, b)).sum()
}
