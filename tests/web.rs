//! Browser tests of the wasm API: the Lab and a training Run draw on real canvases, and bad input is an error, not a panic.
#![cfg(target_arch = "wasm32")]

use otlab::web::{Lab, pair_names};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

wasm_bindgen_test_configure!(run_in_browser);

fn canvas(w: u32, h: u32) -> HtmlCanvasElement {
    let doc = web_sys::window().unwrap().document().unwrap();
    let c: HtmlCanvasElement = doc.create_element("canvas").unwrap().dyn_into().unwrap();
    c.set_width(w);
    c.set_height(h);
    doc.body().unwrap().append_child(&c).unwrap();
    c
}

/// Count pixels within `tol` (L1) of `rgb` blended at 85% over white, as the scene draws markers.
fn count_colour(c: &HtmlCanvasElement, rgb: (u8, u8, u8), tol: f64) -> usize {
    let ctx: CanvasRenderingContext2d = c.get_context("2d").unwrap().unwrap().dyn_into().unwrap();
    let data = ctx.get_image_data(0.0, 0.0, c.width() as f64, c.height() as f64).unwrap().data();
    let t = [rgb.0, rgb.1, rgb.2].map(|v| 0.85 * v as f64 + 0.15 * 255.0);
    data.chunks(4).filter(|p| (0..3).map(|k| (p[k] as f64 - t[k]).abs()).sum::<f64>() < tol).count()
}

#[wasm_bindgen_test]
fn every_pair_draws_both_clouds() {
    let c = canvas(400, 400);
    for name in pair_names() {
        let lab = Lab::new(&name, 512, 0).unwrap();
        lab.draw(c.clone(), 0.0, true, 1.0).unwrap();
        let x = count_colour(&c, otlab::viz::X_COLOR, 60.0);
        let y = count_colour(&c, otlab::viz::Y_COLOR, 60.0);
        assert!(x > 300 && y > 300, "{name}: x pixels {x}, y pixels {y}");
    }
}

#[wasm_bindgen_test]
fn unknown_pair_is_an_error_not_a_panic() {
    assert!(Lab::new("nope", 10, 0).is_err());
    let mut lab = Lab::new("spirals", 10, 0).unwrap();
    assert!(lab.set_pair("nope").is_err());
    // the lab keeps working after the error
    lab.resample().unwrap();
    lab.draw(canvas(100, 100), 0.5, true, 1.0).unwrap();
}

#[wasm_bindgen_test]
fn geodesic_points_appear_between_x_and_y() {
    let c = canvas(400, 400);
    let lab = Lab::new("gaussians4", 256, 1).unwrap();
    // the population W2² is 1.0; i.i.d. samples have unequal cluster counts, so some mass must
    // cross between clusters and the empirical value at n = 256 is somewhat larger
    assert!((0.95..1.4).contains(&lab.w2sq()), "4-Gaussians W2² ≈ 1 (i.i.d. samples): {}", lab.w2sq());
    lab.draw(c.clone(), 0.0, false, 1.0).unwrap();
    assert!(count_colour(&c, otlab::viz::G_COLOR, 60.0) < 20);
    lab.draw(c.clone(), 0.5, false, 1.0).unwrap();
    assert!(count_colour(&c, otlab::viz::G_COLOR, 60.0) > 300);
}

#[wasm_bindgen_test]
fn assignment_benchmark_runs_in_the_browser() {
    let json = otlab::web::bench_ot(vec![64], 1).unwrap();
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v.as_array().unwrap().len(), otlab::bench::OT_CASES.len(), "one record per case");
    assert!(v[0]["seconds"].as_f64().unwrap() > 0.0, "performance.now() clock works: {json}");
}

#[wasm_bindgen_test]
fn a_run_trains_and_its_frame_draws_the_generated_points() {
    use otlab::web::{Run, draw_frame};
    let mut run = Run::new("method=wgan-gp&pair=gaussians4&eval_every=5&batch=64").unwrap();
    assert!(run.warnings().is_empty());
    run.train(50.0, f64::INFINITY).unwrap();
    assert!(run.steps() >= 1, "training in a slice makes at least one step");
    // a slice stops at the requested step count (the compare view's equal steps)
    let target = run.steps() + 3;
    run.train(60_000.0, target as f64).unwrap();
    assert_eq!(run.steps(), target);
    run.set_layers("x,y,gx").unwrap();
    let main = canvas(400, 400);
    let info = draw_frame(&run.frame().unwrap(), main.clone(), None, None, 1.0).unwrap();
    assert!(info.contains("\"rect\""), "{info}");
    assert!(count_colour(&main, otlab::viz::G_COLOR, 60.0) > 300, "G(X) is drawn");
    // bad input is an error naming it, and the run goes on
    assert!(run.set("batch", "1").is_err());
    assert!(run.set_layers("x,bogus").is_err());
    assert!(run.load_params("{}").is_err());
    run.train(20.0, f64::INFINITY).unwrap();
}

#[wasm_bindgen_test]
fn the_wasm_matmul_kernel_matches_a_float64_triple_loop() {
    // the blocked SIMD128 kernel and the thin-product loops, in every transpose layout
    let err = otlab::autodiff::max_matmul_error();
    assert!(err < 1e-5, "matmul error {err:e} relative to Σ|a·b|");
}
