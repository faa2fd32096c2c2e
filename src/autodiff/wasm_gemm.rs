//! Matrix multiply for WebAssembly SIMD: blocks of A and B packed into panels, an 8×4 block of C
//! kept in registers (matrixmultiply's 8×8 wasm kernel needs more vector registers than V8 has,
//! so it spills), and fused multiply-add where the build has relaxed SIMD.

use core::arch::wasm32::*;
use std::cell::RefCell;

/// Rows of C per register block (two f32x4 vectors).
const MR: usize = 8;
/// Columns of C per register block.
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
    let at = |i: usize, p: usize| a[i * rsa + p * csa];
    let bt = |p: usize, j: usize| b[p * rsb + j * csb];
    PACKED.with_borrow_mut(|(ap, bp)| {
        let npanels = n.div_ceil(NR);
        for p0 in (0..k).step_by(KC) {
            let kc = KC.min(k - p0);
            bp.clear();
            bp.resize(npanels * kc * NR, 0.0);
            for (jp, panel) in bp.chunks_exact_mut(kc * NR).enumerate() {
                for (p, row) in panel.chunks_exact_mut(NR).enumerate() {
                    for (jj, v) in row.iter_mut().enumerate() {
                        let j = jp * NR + jj;
                        if j < n {
                            *v = bt(p0 + p, j);
                        }
                    }
                }
            }
            for i0 in (0..m).step_by(MC) {
                let mc = MC.min(m - i0);
                let ipanels = mc.div_ceil(MR);
                ap.clear();
                ap.resize(ipanels * kc * MR, 0.0);
                for (ip, panel) in ap.chunks_exact_mut(kc * MR).enumerate() {
                    let rows = MR.min(mc - ip * MR);
                    for (p, col) in panel.chunks_exact_mut(MR).enumerate() {
                        for (ii, v) in col[..rows].iter_mut().enumerate() {
                            *v = at(i0 + ip * MR + ii, p0 + p);
                        }
                    }
                }
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
/// two vectors per column of the block.
#[inline(always)]
fn block_product(kc: usize, ap: &[f32], bp: &[f32]) -> [[v128; 2]; NR] {
    assert!(ap.len() >= kc * MR && bp.len() >= kc * NR);
    let mut acc = [[f32x4_splat(0.0); 2]; NR];
    let (ap, bp) = (ap.as_ptr(), bp.as_ptr());
    for p in 0..kc {
        // SAFETY: p < kc and the assert above bound both panels
        unsafe {
            let a0 = v128_load(ap.add(p * MR) as *const v128);
            let a1 = v128_load(ap.add(p * MR + 4) as *const v128);
            for (j, col) in acc.iter_mut().enumerate() {
                let bj = v128_load32_splat(bp.add(p * NR + j) as *const u32);
                col[0] = madd(a0, bj, col[0]);
                col[1] = madd(a1, bj, col[1]);
            }
        }
    }
    acc
}

/// Write (or add, after the first depth block) the top-left rows×cols of a register block into C,
/// whose columns start `ldc` apart.
#[inline(always)]
fn store(block: &[[v128; 2]; NR], c: &mut [f32], ldc: usize, rows: usize, cols: usize, add: bool) {
    for (j, col) in block.iter().enumerate().take(cols) {
        let dst = &mut c[j * ldc..j * ldc + rows];
        if rows == MR {
            let d = dst.as_mut_ptr() as *mut v128;
            // SAFETY: dst holds MR = 8 floats, two unaligned v128 (wasm loads need no alignment)
            unsafe {
                let (lo, hi) = if add {
                    (f32x4_add(v128_load(d), col[0]), f32x4_add(v128_load(d.add(1)), col[1]))
                } else {
                    (col[0], col[1])
                };
                v128_store(d, lo);
                v128_store(d.add(1), hi);
            }
            continue;
        }
        let mut vals = [0.0f32; MR];
        let v = vals.as_mut_ptr() as *mut v128;
        // SAFETY: vals holds MR = 8 floats, two v128
        unsafe {
            v128_store(v, col[0]);
            v128_store(v.add(1), col[1]);
        }
        if add {
            dst.iter_mut().zip(&vals).for_each(|(d, v)| *d += v);
        } else {
            dst.copy_from_slice(&vals[..rows]);
        }
    }
}
