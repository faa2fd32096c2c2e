//! Numeric kernels on column-major f32 matrices: strided sgemm, broadcasting, reductions.

use super::Mat;

/// Shape of a matrix as (rows, cols).
pub type Shape = (usize, usize);

/// C = op(A)·op(B) with op = transpose when the flag is set; transposes are free (strides).
pub fn matmul(a: &Mat, ta: bool, b: &Mat, tb: bool, out: &mut Mat) {
    let (m, k) = if ta { (a.ncols(), a.nrows()) } else { a.shape() };
    let (k2, n) = if tb { (b.ncols(), b.nrows()) } else { b.shape() };
    assert!(k == k2 && out.shape() == (m, n), "matmul kernel called with unchecked shapes");
    // column-major: element (i, j) at i + j·nrows, i.e. row stride 1, column stride nrows
    let (rsa, csa) = if ta { (a.nrows() as isize, 1) } else { (1, a.nrows() as isize) };
    let (rsb, csb) = if tb { (b.nrows() as isize, 1) } else { (1, b.nrows() as isize) };
    if m == 0 || n == 0 {
        return;
    }
    if k == 0 {
        out.fill(0.0);
        return;
    }
    // SAFETY: the pointers cover a.len(), b.len() and out.len() elements, and the strides and
    // dimensions above address exactly those matrices (checked by the assert).
    unsafe {
        matrixmultiply::sgemm(
            m,
            k,
            n,
            1.0,
            a.as_ptr(),
            rsa,
            csa,
            b.as_ptr(),
            rsb,
            csb,
            0.0,
            out.as_mut_ptr(),
            1,
            m as isize,
        );
    }
}

/// The broadcast shape of two operands: equal sizes, or 1 along a dimension.
pub fn broadcast_shape(a: Shape, b: Shape) -> Option<Shape> {
    let dim = |x: usize, y: usize| match (x, y) {
        _ if x == y => Some(x),
        (1, y) => Some(y),
        (x, 1) => Some(x),
        _ => None,
    };
    Some((dim(a.0, b.0)?, dim(a.1, b.1)?))
}

/// out = f(a, b) elementwise with broadcasting of 1-sized dimensions (out has the broadcast shape).
#[inline]
pub fn zip_broadcast(a: &Mat, b: &Mat, out: &mut Mat, f: impl Fn(f32, f32) -> f32) {
    let (r, c) = out.shape();
    if a.shape() == (r, c) && b.shape() == (r, c) {
        for ((o, &x), &y) in out.as_mut_slice().iter_mut().zip(a.as_slice()).zip(b.as_slice()) {
            *o = f(x, y);
        }
        return;
    }
    let at = |m: &Mat, i: usize, j: usize| {
        let (mr, mc) = m.shape();
        m[(if mr == 1 { 0 } else { i }, if mc == 1 { 0 } else { j })]
    };
    if a.shape() == (r, c) && b.nrows() == 1 {
        // row vector broadcast (the bias-add case): one scalar per column
        for j in 0..c {
            let y = at(b, 0, j);
            let (col_out, col_a) =
                (&mut out.as_mut_slice()[j * r..(j + 1) * r], &a.as_slice()[j * r..(j + 1) * r]);
            col_out.iter_mut().zip(col_a).for_each(|(o, &x)| *o = f(x, y));
        }
        return;
    }
    for j in 0..c {
        for i in 0..r {
            out[(i, j)] = f(at(a, i, j), at(b, i, j));
        }
    }
}

/// Sum `a` down to `shape`, which must be a with some dimensions reduced to 1.
pub fn sum_to(a: &Mat, shape: Shape, out: &mut Mat) {
    let (r, c) = a.shape();
    out.fill(0.0);
    match shape {
        s if s == (r, c) => out.copy_from(a),
        (1, 1) => out[(0, 0)] = a.as_slice().iter().sum(),
        (1, _) => {
            for j in 0..c {
                out[(0, j)] = a.as_slice()[j * r..(j + 1) * r].iter().sum();
            }
        }
        _ => {
            for j in 0..c {
                for i in 0..r {
                    out[(i, 0)] += a[(i, j)];
                }
            }
        }
    }
}

/// Broadcast `a` (with 1-sized dimensions) up to the shape of `out`.
pub fn broadcast_to(a: &Mat, out: &mut Mat) {
    let (r, c) = out.shape();
    let (ar, ac) = a.shape();
    for j in 0..c {
        for i in 0..r {
            out[(i, j)] = a[(if ar == 1 { 0 } else { i }, if ac == 1 { 0 } else { j })];
        }
    }
}
