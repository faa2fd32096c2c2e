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
    if m.min(k).min(n) <= SMALL && thin_matmul(a, ta, b, tb, out) {
        return;
    }
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    {
        let (rsa, csa, rsb, csb) = (rsa as usize, csa as usize, rsb as usize, csb as usize);
        super::wasm_gemm::sgemm(m, k, n, a.as_slice(), rsa, csa, b.as_slice(), rsb, csb, out.as_mut_slice());
    }
    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
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

/// Products with a dimension at most this small skip the blocked kernel (whose packing would cost
/// more than the product: the first layer's k = 2, the critic's output n = 1).
const SMALL: usize = 4;

/// op(A)·op(B) by plain loops in the order the storage makes contiguous: column axpys when A is
/// not transposed, dot products of stored columns when it is and B's columns are contiguous.
/// Returns false (nothing written) for a layout it does not cover.
fn thin_matmul(a: &Mat, ta: bool, b: &Mat, tb: bool, out: &mut Mat) -> bool {
    let (m, n) = out.shape();
    let k = if ta { a.nrows() } else { a.ncols() };
    let (sa, sb) = (a.as_slice(), b.as_slice());
    let b_at = |p: usize, j: usize| if tb { sb[j + p * n] } else { sb[p + j * k] };
    let o = out.as_mut_slice();
    if !ta {
        for (j, col) in o.chunks_exact_mut(m).enumerate() {
            col.fill(0.0);
            for (p, acol) in sa.chunks_exact(m).enumerate() {
                let bv = b_at(p, j);
                col.iter_mut().zip(acol).for_each(|(c, &a)| *c += a * bv);
            }
        }
        true
    } else if !tb || n == 1 {
        // stored A is k×m: row i of op(A) is stored column i; B's column j is contiguous
        for (j, col) in o.chunks_exact_mut(m).enumerate() {
            let bcol = &sb[j * k..(j + 1) * k];
            for (c, acol) in col.iter_mut().zip(sa.chunks_exact(k)) {
                *c = dot(acol, bcol);
            }
        }
        true
    } else {
        false
    }
}

/// Dot product with eight independent accumulators (so the loop vectorises).
pub fn dot(x: &[f32], y: &[f32]) -> f32 {
    let mut acc = [0.0f32; 8];
    let (cx, cy) = (x.chunks_exact(8), y.chunks_exact(8));
    let tail: f32 = cx.remainder().iter().zip(cy.remainder()).map(|(a, b)| a * b).sum();
    for (u, v) in cx.zip(cy) {
        for l in 0..8 {
            acc[l] += u[l] * v[l];
        }
    }
    acc.iter().sum::<f32>() + tail
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
    let full = (r, c);
    let (x, y) = (a.as_slice(), b.as_slice());
    let o = out.as_mut_slice();
    match (a.shape(), b.shape()) {
        (sa, sb) if sa == full && sb == full => {
            o.iter_mut().zip(x).zip(y).for_each(|((o, &p), &q)| *o = f(p, q));
        }
        (sa, (1, 1)) if sa == full => o.iter_mut().zip(x).for_each(|(o, &p)| *o = f(p, y[0])),
        ((1, 1), sb) if sb == full => o.iter_mut().zip(y).for_each(|(o, &q)| *o = f(x[0], q)),
        (sa, (1, _)) if sa == full => {
            // a row vector per column (the bias-add case)
            for ((oc, xc), &q) in o.chunks_exact_mut(r).zip(x.chunks_exact(r)).zip(y) {
                oc.iter_mut().zip(xc).for_each(|(o, &p)| *o = f(p, q));
            }
        }
        ((1, _), sb) if sb == full => {
            for ((oc, yc), &p) in o.chunks_exact_mut(r).zip(y.chunks_exact(r)).zip(x) {
                oc.iter_mut().zip(yc).for_each(|(o, &q)| *o = f(p, q));
            }
        }
        (sa, (_, 1)) if sa == full => {
            for (oc, xc) in o.chunks_exact_mut(r).zip(x.chunks_exact(r)) {
                oc.iter_mut().zip(xc).zip(y).for_each(|((o, &p), &q)| *o = f(p, q));
            }
        }
        ((_, 1), sb) if sb == full => {
            for (oc, yc) in o.chunks_exact_mut(r).zip(y.chunks_exact(r)) {
                oc.iter_mut().zip(x).zip(yc).for_each(|((o, &p), &q)| *o = f(p, q));
            }
        }
        _ => {
            let at = |m: &Mat, i: usize, j: usize| {
                let (mr, mc) = m.shape();
                m[(if mr == 1 { 0 } else { i }, if mc == 1 { 0 } else { j })]
            };
            for j in 0..c {
                for i in 0..r {
                    out[(i, j)] = f(at(a, i, j), at(b, i, j));
                }
            }
        }
    }
}

/// Sum `a` down to `shape`, which must be a with some dimensions reduced to 1.
pub fn sum_to(a: &Mat, shape: Shape, out: &mut Mat) {
    let (r, c) = a.shape();
    let data = a.as_slice();
    match shape {
        s if s == (r, c) => out.copy_from(a),
        (1, 1) => out[(0, 0)] = fast_sum(data),
        (1, _) => {
            for j in 0..c {
                out[(0, j)] = fast_sum(&data[j * r..(j + 1) * r]);
            }
        }
        _ => {
            let o = out.as_mut_slice();
            o.fill(0.0);
            for col in data.chunks_exact(r.max(1)) {
                o.iter_mut().zip(col).for_each(|(o, &v)| *o += v);
            }
        }
    }
}

/// Sum with eight independent accumulators so the loop vectorises (f32 addition is not
/// associative, so a plain `iter().sum()` stays one sequential chain).
pub fn fast_sum(s: &[f32]) -> f32 {
    let mut acc = [0.0f32; 8];
    let chunks = s.chunks_exact(8);
    let tail: f32 = chunks.remainder().iter().sum();
    for ch in chunks {
        for k in 0..8 {
            acc[k] += ch[k];
        }
    }
    acc.iter().sum::<f32>() + tail
}

/// Mean and biased variance of `s` (two passes, each vectorised).
pub fn moments(s: &[f32]) -> (f32, f32) {
    let n = s.len().max(1) as f32;
    let mean = fast_sum(s) / n;
    let mut acc = [0.0f32; 8];
    let chunks = s.chunks_exact(8);
    let tail: f32 = chunks.remainder().iter().map(|&x| (x - mean) * (x - mean)).sum();
    for ch in chunks {
        for k in 0..8 {
            acc[k] += (ch[k] - mean) * (ch[k] - mean);
        }
    }
    (mean, (acc.iter().sum::<f32>() + tail) / n)
}

/// Broadcast `a` (with 1-sized dimensions) up to the shape of `out`.
pub fn broadcast_to(a: &Mat, out: &mut Mat) {
    let (r, c) = out.shape();
    let (ar, ac) = a.shape();
    let src = a.as_slice();
    for (j, col) in out.as_mut_slice().chunks_exact_mut(r.max(1)).enumerate().take(c) {
        let jj = if ac == 1 { 0 } else { j };
        if ar == 1 {
            col.fill(src[jj]);
        } else {
            col.copy_from_slice(&src[jj * r..(jj + 1) * r]);
        }
    }
}
