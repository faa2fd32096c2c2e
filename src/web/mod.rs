//! The browser boundary: the `Lab` handle the page holds; errors become `JsError` only here.

use crate::data::{PAIR_NAMES, Pair, Points, Side};
use crate::ot::{assignment, displacement, matched_targets};
use crate::rng::{self, Rng};
use crate::train::views::ARROWS;
use crate::viz::{
    Arrows, Chart, Cloud, G_COLOR, Heat, OT_COLOR, PlotRect, Scene, X_COLOR, Y_COLOR, render_charts,
    render_with,
};
use plotters::prelude::IntoDrawingArea;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::prelude::*;
use wasm_bindgen::{Clamped, JsCast};

mod train;
pub use train::{Training, catalog_json};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, ImageData};

fn context(canvas: &HtmlCanvasElement) -> Result<CanvasRenderingContext2d, JsValue> {
    let ctx = canvas.get_context("2d")?.ok_or_else(|| JsValue::from_str("canvas has no 2D context"))?;
    ctx.dyn_into().map_err(JsValue::from)
}

fn backend(canvas: HtmlCanvasElement) -> Result<CanvasBackend, JsError> {
    CanvasBackend::with_canvas_object(canvas).ok_or_else(|| JsError::new("canvas has no 2D context"))
}

/// Paint a heat map as a pixel grid: one image pixel per cell, scaled without smoothing.
fn paint_heat(ctx: &CanvasRenderingContext2d, h: &Heat, (l, t, r, b): PlotRect) -> Result<(), JsValue> {
    let doc = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
    let grid: HtmlCanvasElement = doc.create_element("canvas")?.dyn_into()?;
    let n = h.size as u32;
    grid.set_width(n);
    grid.set_height(n);
    // ImageData views wasm memory without copying: the pixels must outlive `put_image_data`
    let pixels = h.rgba();
    let image = ImageData::new_with_u8_clamped_array_and_sh(Clamped(&pixels), n, n)?;
    context(&grid)?.put_image_data(&image, 0.0, 0.0)?;
    drop(pixels);
    ctx.set_image_smoothing_enabled(false);
    ctx.draw_image_with_html_canvas_element_and_dw_and_dh(
        &grid,
        l as f64,
        t as f64,
        (r - l) as f64,
        (b - t) as f64,
    )
}

/// Draw `scene` on `canvas`; returns the pixel rectangle of the plot window.
fn draw_on(canvas: HtmlCanvasElement, scene: &Scene) -> Result<PlotRect, JsError> {
    let ctx = context(&canvas).map_err(|_| JsError::new("canvas has no 2D context"))?;
    let mut paint = |h: &Heat, rect: PlotRect| paint_heat(&ctx, h, rect).is_ok();
    render_with(&backend(canvas)?.into_drawing_area(), scene, &mut paint)
        .map_err(|e| JsError::new(&format!("drawing failed: {e}")))
}

/// Draw `charts` on `canvas` (the first across the top, the rest below).
fn draw_charts_on(canvas: HtmlCanvasElement, charts: &[Chart]) -> Result<(), JsError> {
    render_charts(&backend(canvas)?.into_drawing_area(), charts)
        .map_err(|e| JsError::new(&format!("drawing failed: {e}")))
}

/// Route Rust panics to the browser console with a readable message.
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

/// Names of the dataset pairs, in display order.
#[wasm_bindgen(js_name = pairNames)]
pub fn pair_names() -> Vec<String> {
    PAIR_NAMES.iter().map(|s| s.to_string()).collect()
}

/// Long-lived lab state; JS owns the animation loop and calls into it.
#[wasm_bindgen]
pub struct Lab {
    pair: Pair,
    /// Streams of the two sides.
    rng: (Rng, Rng),
    n: usize,
    x: Points,
    y: Points,
    /// y_σ(i) for the exact OT matching σ.
    matched: Points,
    w2sq: f64,
}

#[wasm_bindgen]
impl Lab {
    /// A lab showing `pair` with `n` points per side, seeded by `seed`.
    #[wasm_bindgen(constructor)]
    pub fn new(pair: &str, n: usize, seed: u64) -> Result<Lab, JsError> {
        let pair = Pair::named(pair)?;
        let empty = Points::zeros(0, 2);
        let mut lab = Lab {
            pair,
            rng: (rng::stream(seed, 101), rng::stream(seed, 102)),
            n,
            x: empty.clone(),
            y: empty.clone(),
            matched: empty,
            w2sq: 0.0,
        };
        lab.resample()?;
        Ok(lab)
    }

    /// Switch to another pair and draw fresh samples.
    #[wasm_bindgen(js_name = setPair)]
    pub fn set_pair(&mut self, name: &str) -> Result<(), JsError> {
        self.pair = Pair::named(name)?;
        self.resample()
    }

    /// Draw new samples of X and Y and solve the exact OT between them.
    pub fn resample(&mut self) -> Result<(), JsError> {
        self.x = self.pair.sample(Side::X, self.n, &mut self.rng.0);
        self.y = self.pair.sample(Side::Y, self.n, &mut self.rng.1);
        let plan = assignment(&self.x, &self.y)?;
        self.matched = matched_targets(&self.y, &plan.perm);
        self.w2sq = plan.w2sq;
        Ok(())
    }

    /// Exact W2² between the current samples.
    #[wasm_bindgen(getter)]
    pub fn w2sq(&self) -> f64 {
        self.w2sq
    }

    /// Render X, Y, optionally the OT arrows, and μ_t on the W2 geodesic when 0 < t.
    pub fn draw(&self, canvas: HtmlCanvasElement, t: f32, arrows: bool) -> Result<(), JsError> {
        let mut scene = Scene::default();
        if arrows {
            let k = ARROWS.min(self.n);
            scene.arrows.push(Arrows {
                from: self.x.rows(0, k).into_owned(),
                to: self.matched.rows(0, k).into_owned(),
                color: OT_COLOR,
                alpha: 0.6,
            });
        }
        scene.clouds.push(Cloud { points: self.x.clone(), color: X_COLOR, radius: 2 });
        scene.clouds.push(Cloud { points: self.y.clone(), color: Y_COLOR, radius: 2 });
        if t > 0.0 {
            scene.clouds.push(Cloud {
                points: displacement(&self.x, &self.matched, t),
                color: G_COLOR,
                radius: 2,
            });
        }
        draw_on(canvas, &scene).map(|_| ())
    }
}

/// Run the exact-assignment benchmark in this browser; returns JSON records (see `bench`).
#[wasm_bindgen(js_name = benchOt)]
pub fn bench_ot(sizes: Vec<u32>, reps: u32) -> Result<String, JsError> {
    let sizes: Vec<usize> = sizes.into_iter().map(|s| s as usize).collect();
    let cases = crate::bench::ot_bench(&crate::bench::OT_CASES, &sizes, reps as usize)?;
    serde_json::to_string(&cases).map_err(|e| JsError::new(&e.to_string()))
}

/// Run the network-throughput benchmark in this browser; returns JSON {raw_gflops, cases}.
#[wasm_bindgen(js_name = benchNn)]
pub fn bench_nn(seconds: f64) -> Result<String, JsError> {
    let (raw, cases) = crate::bench::nn_bench(512, 128, seconds)?;
    Ok(serde_json::json!({ "raw_matmul_gflops": raw, "cases": cases }).to_string())
}

/// Run the training benchmark in this browser for a config query; returns a JSON `TrainCase`.
#[wasm_bindgen(js_name = benchTrain)]
pub fn bench_train(query: &str, budget: f64, target: f64, stop_at_target: bool) -> Result<String, JsError> {
    let case = crate::bench::train_bench(query, budget, target, stop_at_target)?;
    serde_json::to_string(&case).map_err(|e| JsError::new(&e.to_string()))
}

/// The training benchmark's cases as JSON [[name, query, budget share], …].
#[wasm_bindgen(js_name = trainCases)]
pub fn train_cases() -> String {
    serde_json::json!(crate::bench::train_cases()).to_string()
}
