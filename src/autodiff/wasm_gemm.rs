//! Matrix multiply for WebAssembly SIMD: blocks of A and B packed into panels, an 8×4 block of C
//! kept in registers (matrixmultiply's 8×8 wasm kernel needs more vector registers than V8 has,
//! so it spills), and fused multiply-add where the build has relaxed SIMD.

use core::arch::wasm32::*;
use std::cell::RefCell;
use std::ops::Range;

/// f32x4 vectors per column of a register block (wider blocks spill in V8: 12×4, 8×5 and 8×6 measured
/// 25–30 % slower).
const MV: usize = 2;
/// Rows of C per register block.
const MR: usize = 4 * MV;
/// Columns of C per register block (one f32x4 of B per depth).
const NR: usize = 4;
/// Depth of one packed block (a B panel of KC×NR floats stays in L1).
const KC: usize = 256;
/// Rows of A per packed block (MC×KC floats stay in L2).
const MC: usize = 128;

thread_local! {
    /// The packing buffers (A block, B block), reused across calls.
    static PACKED: RefCell<(Vec<f32>, Vec<f32>)> = const { RefCell::new((Vec::new(), Vec::new())) };
}

/// C = A·B for an m×k A with element (i, p) at `a[i·rsa + p·csa]`, a k×n B with element (p, j)
/// at `b[p·rsb + j·csb]`, and C column-major with leading dimension m. Needs k > 0.
#[allow(clippy::too_many_arguments)]
pub fn sgemm(
    m: usize,
    k: usize,
    n: usize,
    a: &[f32],
    rsa: usize,
    csa: usize,
    b: &[f32],
    rsb: usize,
    csb: usize,
    c: &mut [f32],
) {
    assert!(c.len() >= m * n && k > 0);
    PACKED.with_borrow_mut(|(ap, bp)| {
        for p0 in (0..k).step_by(KC) {
            let kc = KC.min(k - p0);
            // Bᵀ's rows are B's columns: element (j, p) at b[j·csb + p·rsb]
            pack::<NR>(b, csb, rsb, 0..n, p0..p0 + kc, bp);
            for i0 in (0..m).step_by(MC) {
                let mc = MC.min(m - i0);
                pack::<MR>(a, rsa, csa, i0..i0 + mc, p0..p0 + kc, ap);
                for (jp, bpanel) in bp.chunks_exact(kc * NR).enumerate() {
                    let cols = NR.min(n - jp * NR);
                    for (ip, apanel) in ap.chunks_exact(kc * MR).enumerate() {
                        let (i, rows) = (i0 + ip * MR, MR.min(mc - ip * MR));
                        let block = block_product(kc, apanel, bpanel);
                        store(&block, &mut c[i + jp * NR * m..], m, rows, cols, p0 > 0);
                    }
                }
            }
        }
    });
}

/// Pack rows `rows` × depths `depth` of a matrix with element (r, p) at `src[r·rs + p·cs]` into
/// panels of W rows: panel q holds, depth after depth, W consecutive rows (zero past the last row).
/// Reads run along whichever stride is 1.
fn pack<const W: usize>(
    src: &[f32],
    rs: usize,
    cs: usize,
    rows: Range<usize>,
    depth: Range<usize>,
    out: &mut Vec<f32>,
) {
    let kc = depth.len();
    out.clear();
    out.resize(rows.len().div_ceil(W) * kc * W, 0.0);
    for (q, panel) in out.chunks_exact_mut(kc * W).enumerate() {
        let r0 = rows.start + q * W;
        let width = W.min(rows.end - r0);
        if rs == 1 {
            for (p, col) in depth.clone().zip(panel.chunks_exact_mut(W)) {
                let at = r0 + p * cs;
                if width == W {
                    // fixed-length copies compile to vector moves (a slice copy calls memcpy)
                    let dst: &mut [f32; W] = col.try_into().expect("panel columns hold W floats");
                    *dst = src[at..at + W].try_into().expect("W floats");
                } else {
                    col[..width].copy_from_slice(&src[at..at + width]);
                }
            }
        } else {
            // rows along a stride: 4×4 tiles transposed in registers where reads are contiguous
            // (W is MR = 8 or NR = 4, whole tiles), single floats for the last kc mod 4 depths
            let tiled = if cs == 1 && width == W { kc / 4 * 4 } else { 0 };
            if tiled > 0 {
                for r in (0..W).step_by(4) {
                    let lines: [&[f32]; 4] = core::array::from_fn(|q| {
                        let at = (r0 + r + q) * rs + depth.start;
                        &src[at..at + tiled]
                    });
                    for k in (0..tiled).step_by(4) {
                        let t = transpose4(lines.map(|row| load4(&row[k..k + 4])));
                        for (d, col) in t.iter().enumerate() {
                            store4(&mut panel[(k + d) * W + r..(k + d) * W + r + 4], *col);
                        }
                    }
                }
            }
            for rr in 0..width {
                let base = (r0 + rr) * rs;
                for (k, p) in depth.clone().enumerate().skip(tiled) {
                    panel[k * W + rr] = src[base + p * cs];
                }
            }
        }
    }
}

/// Four floats as a vector.
#[inline(always)]
fn load4(x: &[f32]) -> v128 {
    assert!(x.len() >= 4);
    // SAFETY: x holds at least 4 floats (wasm loads need no alignment)
    unsafe { v128_load(x.as_ptr() as *const v128) }
}

/// Store a vector into four floats.
#[inline(always)]
fn store4(x: &mut [f32], v: v128) {
    assert!(x.len() >= 4);
    // SAFETY: x holds at least 4 floats
    unsafe { v128_store(x.as_mut_ptr() as *mut v128, v) }
}

/// The transpose of a 4×4 block held as four row vectors.
#[inline(always)]
fn transpose4([a, b, c, d]: [v128; 4]) -> [v128; 4] {
    let ab_lo = i32x4_shuffle::<0, 4, 1, 5>(a, b);
    let ab_hi = i32x4_shuffle::<2, 6, 3, 7>(a, b);
    let cd_lo = i32x4_shuffle::<0, 4, 1, 5>(c, d);
    let cd_hi = i32x4_shuffle::<2, 6, 3, 7>(c, d);
    [
        i64x2_shuffle::<0, 2>(ab_lo, cd_lo),
        i64x2_shuffle::<1, 3>(ab_lo, cd_lo),
        i64x2_shuffle::<0, 2>(ab_hi, cd_hi),
        i64x2_shuffle::<1, 3>(ab_hi, cd_hi),
    ]
}

/// a·b + c, fused where the build has relaxed SIMD.
#[inline(always)]
fn madd(a: v128, b: v128, c: v128) -> v128 {
    #[cfg(target_feature = "relaxed-simd")]
    let r = f32x4_relaxed_madd(a, b, c);
    #[cfg(not(target_feature = "relaxed-simd"))]
    let r = f32x4_add(f32x4_mul(a, b), c);
    r
}

/// The MR×NR block of C from one packed A panel (kc × MR) and one packed B panel (kc × NR):
/// MV vectors per column of the block.
#[inline(always)]
fn block_product(kc: usize, ap: &[f32], bp: &[f32]) -> [[v128; MV]; NR] {
    assert!(ap.len() >= kc * MR && bp.len() >= kc * NR);
    let mut acc = [[f32x4_splat(0.0); MV]; NR];
    let (ap, bp) = (ap.as_ptr(), bp.as_ptr());
    for p in 0..kc {
        // SAFETY: p < kc and the assert above bound both panels
        let (a, bs) = unsafe {
            let a: [v128; MV] = core::array::from_fn(|v| v128_load(ap.add(p * MR + 4 * v) as *const v128));
            (a, broadcast(bp.add(p * NR)))
        };
        for (col, &bj) in acc.iter_mut().zip(&bs) {
            for (c, &av) in col.iter_mut().zip(&a) {
                *c = madd(av, bj, *c);
            }
        }
    }
    acc
}

/// The NR = 4 floats at `b`, each broadcast to a vector. One load and four lane shuffles measured
/// faster in V8 than four splat loads in the relaxed-SIMD build and slower in the SIMD128 build.
///
/// # Safety
/// `b` must point to 4 readable floats.
#[inline(always)]
unsafe fn broadcast(b: *const f32) -> [v128; NR] {
    #[cfg(target_feature = "relaxed-simd")]
    let bs = {
        // SAFETY: the caller's contract
        let b = unsafe { v128_load(b as *const v128) };
        [
            i32x4_shuffle::<0, 0, 0, 0>(b, b),
            i32x4_shuffle::<1, 1, 1, 1>(b, b),
            i32x4_shuffle::<2, 2, 2, 2>(b, b),
            i32x4_shuffle::<3, 3, 3, 3>(b, b),
        ]
    };
    #[cfg(not(target_feature = "relaxed-simd"))]
    // SAFETY: the caller's contract
    let bs = core::array::from_fn(|j| unsafe { v128_load32_splat(b.add(j) as *const u32) });
    bs
}

/// Write (or add, after the first depth block) the top-left rows×cols of a register block into C,
/// whose columns start `ldc` apart.
#[inline(always)]
fn store(block: &[[v128; MV]; NR], c: &mut [f32], ldc: usize, rows: usize, cols: usize, add: bool) {
    for (j, col) in block.iter().enumerate().take(cols) {
        let dst = &mut c[j * ldc..j * ldc + rows];
        if rows == MR {
            let d = dst.as_mut_ptr() as *mut v128;
            // SAFETY: dst holds MR floats, MV unaligned v128 (wasm loads need no alignment)
            unsafe {
                for (v, &x) in col.iter().enumerate() {
                    let x = if add { f32x4_add(v128_load(d.add(v)), x) } else { x };
                    v128_store(d.add(v), x);
                }
            }
            continue;
        }
        let mut vals = [0.0f32; MR];
        let v = vals.as_mut_ptr() as *mut v128;
        // SAFETY: vals holds MR floats, MV v128
        unsafe {
            for (i, &x) in col.iter().enumerate() {
                v128_store(v.add(i), x);
            }
        }
        if add {
            dst.iter_mut().zip(&vals).for_each(|(d, v)| *d += v);
        } else {
            dst.copy_from_slice(&vals[..rows]);
        }
    }
}
