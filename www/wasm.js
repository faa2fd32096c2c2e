// Loads the wasm core: the relaxed-SIMD build (fused multiply-add in the matrix kernel) where the
// browser validates relaxed SIMD, the SIMD128 build otherwise. The two builds share one JS glue.
import init from '../pkg/otlab.js';

// a module whose one function computes f32x4.relaxed_madd of three zero vectors
const V128_ZERO = [0xfd, 0x0c, ...new Array(16).fill(0)];
const BODY = [0x00, ...V128_ZERO, ...V128_ZERO, ...V128_ZERO, 0xfd, 0x85, 0x02, 0x0b];
const RELAXED_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, // type: () -> v128
  0x03, 0x02, 0x01, 0x00, // one function of that type
  0x0a, BODY.length + 2, 0x01, BODY.length, ...BODY,
]);

/** Whether this browser runs WebAssembly relaxed SIMD. */
export const relaxedSimd = WebAssembly.validate(RELAXED_PROBE);
let loaded = null;
/** The name of the build that loaded ('relaxed-simd' or 'simd128'; null before). */
export const loadedBuild = () => loaded;

/** Instantiate the core once (the relaxed build if the browser has it and it is served). */
export async function loadCore() {
  if (relaxedSimd) {
    try {
      const exports = await init({ module_or_path: new URL('../pkg/otlab_relaxed_bg.wasm', import.meta.url) });
      loaded = 'relaxed-simd';
      return exports;
    } catch (e) {
      console.warn(`the relaxed-SIMD build did not load (${e}); using the SIMD128 build`);
    }
  }
  const exports = await init();
  loaded = 'simd128';
  return exports;
}
