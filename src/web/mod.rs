//! The browser boundary (wasm32 only): the explorer and the renderer the page's main thread
//! holds, the `Run` handle each training worker holds, the catalog and the benchmarks. Errors
//! become `JsError` only here.

mod draw;
mod explorer;
mod run;

pub use draw::{draw_charts, draw_frame};
pub use explorer::Lab;
pub use run::Run;

use crate::data::PAIR_NAMES;
use crate::method::Kind;
use crate::method::keys::KEYS;
use crate::registry;
use crate::viz::{Chart, Heat, PlotRect, Scene, render_charts, render_with};
use plotters::prelude::IntoDrawingArea;
use plotters_canvas::CanvasBackend;
use serde_json::json;
use wasm_bindgen::prelude::*;
use wasm_bindgen::{Clamped, JsCast};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, ImageData};

fn js(e: crate::Error) -> JsError {
    JsError::new(&e.to_string())
}

fn context(canvas: &HtmlCanvasElement) -> Result<CanvasRenderingContext2d, JsValue> {
    let ctx = canvas.get_context("2d")?.ok_or_else(|| JsValue::from_str("canvas has no 2D context"))?;
    ctx.dyn_into().map_err(JsValue::from)
}

fn backend(canvas: HtmlCanvasElement) -> Result<CanvasBackend, JsError> {
    CanvasBackend::with_canvas_object(canvas).ok_or_else(|| JsError::new("canvas has no 2D context"))
}

/// Paint a heat map as an image stretched over the plot: a field smoothly interpolated, a
/// partition (Laguerre cells) with sharp pixel edges.
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
    ctx.set_image_smoothing_enabled(!h.categorical);
    ctx.draw_image_with_html_canvas_element_and_dw_and_dh(
        &grid,
        l as f64,
        t as f64,
        (r - l) as f64,
        (b - t) as f64,
    )
}

/// Draw `scene` on `canvas` at `scale` device pixels per CSS pixel; returns the pixel rectangle
/// of the plot window.
fn draw_on(canvas: HtmlCanvasElement, scene: &Scene, scale: f64) -> Result<PlotRect, JsError> {
    let ctx = context(&canvas).map_err(|_| JsError::new("canvas has no 2D context"))?;
    let mut paint = |h: &Heat, rect: PlotRect| paint_heat(&ctx, h, rect).is_ok();
    render_with(&backend(canvas)?.into_drawing_area(), scene, &mut paint, scale)
        .map_err(|e| JsError::new(&format!("drawing failed: {e}")))
}

/// Draw `charts` on `canvas` (the first across the top, the rest below).
fn draw_charts_on(canvas: HtmlCanvasElement, charts: &[Chart], scale: f64) -> Result<(), JsError> {
    render_charts(&backend(canvas)?.into_drawing_area(), charts, scale)
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

/// A shared link's layer list as the page holds it (`LinkLayers`: names, t, the fixed window and
/// what could not be read), as JSON.
#[wasm_bindgen(js_name = linkLayers)]
pub fn link_layers(list: &str) -> String {
    serde_json::to_string(&crate::train::views::LinkLayers::read(list)).unwrap_or_default()
}

/// The registry and key table as JSON, for building menus, controls and explanations.
#[wasm_bindgen(js_name = catalogJson)]
pub fn catalog_json() -> String {
    let methods: Vec<_> = registry::METHODS
        .iter()
        .map(|m| {
            let keys: Vec<&str> = m.all_keys().iter().map(|k| k.name).collect();
            let defaults: serde_json::Map<String, serde_json::Value> =
                m.all_keys().iter().map(|k| (k.name.to_string(), json!(m.default_of(k)))).collect();
            let modes: Vec<&str> = m.modes.iter().map(|x| x.name()).collect();
            let presets: Vec<_> =
                m.presets.iter().map(|p| json!({"name": p.name, "about": p.about, "query": p.query})).collect();
            json!({"name": m.name, "family": m.family.name(), "modes": modes, "keys": keys, "defaults": defaults,
                   "trains": m.trains, "loss": m.loss, "watch": m.watch, "shows": m.shows, "measured": m.measured, "step_name": m.step_name, "presets": presets})
        })
        .collect();
    let keys: Vec<_> = KEYS
        .iter()
        .map(|k| {
            let kind = match k.kind {
                Kind::Int { min, max } => json!({"type": "int", "min": min, "max": max}),
                Kind::Float { min, max, log } => json!({"type": "float", "min": min, "max": max, "log": log}),
                Kind::Choice(of) => json!({"type": "choice", "of": of}),
                Kind::Bool => json!({"type": "bool"}),
            };
            json!({"name": k.name, "kind": kind, "default": k.default, "live": k.live, "help": k.help})
        })
        .collect();
    json!({"methods": methods, "keys": keys}).to_string()
}

/// Run the exact-assignment benchmark in this browser; returns JSON records (see `bench`).
#[wasm_bindgen(js_name = benchOt)]
pub fn bench_ot(sizes: Vec<u32>, reps: u32) -> Result<String, JsError> {
    let sizes: Vec<usize> = sizes.into_iter().map(|s| s as usize).collect();
    let cases = crate::bench::ot_bench(&crate::bench::OT_CASES, &sizes, reps as usize).map_err(js)?;
    serde_json::to_string(&cases).map_err(|e| JsError::new(&e.to_string()))
}

/// Run the network-throughput benchmark in this browser; returns JSON {raw_gflops, cases}.
#[wasm_bindgen(js_name = benchNn)]
pub fn bench_nn(seconds: f64) -> Result<String, JsError> {
    let (raw, cases) = crate::bench::nn_bench(512, 128, seconds).map_err(js)?;
    let shapes = crate::bench::matmul_shapes(seconds / 4.0);
    Ok(json!({ "raw_matmul_gflops": raw, "cases": cases, "matmul_shapes": shapes }).to_string())
}

/// Run the training benchmark in this browser for a config query; returns a JSON `TrainCase`.
#[wasm_bindgen(js_name = benchTrain)]
pub fn bench_train(query: &str, budget: f64, target: f64, stop_at_target: bool) -> Result<String, JsError> {
    let case = crate::bench::train_bench(query, budget, target, stop_at_target).map_err(js)?;
    serde_json::to_string(&case).map_err(|e| JsError::new(&e.to_string()))
}

/// The training benchmark's cases as JSON [[name, query, budget share], …].
#[wasm_bindgen(js_name = trainCases)]
pub fn train_cases() -> String {
    json!(crate::bench::train_cases()).to_string()
}
