//! Drawing on the page's main thread: frames a worker sent, and charts the page assembles (the
//! compare view's shared chart).

use super::{draw_charts_on, draw_on, js};
use crate::error::Error;
use crate::viz::{Chart, Frame, Series};
use serde_json::{Value, json};
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

/// Draw a worker's frame: the scene on `main`, the charts on `charts`, the latent panel on
/// `latent` (returns whether there was one) — at `scale` device pixels per CSS pixel. Returns
/// JSON {rect: [left, top, right, bottom] of the plot in canvas pixels, window: [x0, y0, size],
/// latent: bool} so that pointer positions map to data coordinates.
#[wasm_bindgen(js_name = drawFrame)]
pub fn draw_frame(
    bytes: &[u8],
    main: HtmlCanvasElement,
    charts: Option<HtmlCanvasElement>,
    latent: Option<HtmlCanvasElement>,
    scale: f64,
) -> Result<String, JsError> {
    let frame = Frame::decode(bytes).map_err(js)?;
    let (l, t, r, b) = draw_on(main, &frame.scene, scale)?;
    if let Some(c) = charts {
        draw_charts_on(c, &frame.charts, scale)?;
    }
    let has_latent = match (latent, &frame.latent) {
        (Some(c), Some(scene)) => draw_on(c, scene, scale).map(|_| true)?,
        _ => false,
    };
    let w = frame.scene.window;
    Ok(json!({"rect": [l, t, r, b], "window": [w.x0, w.y0, w.size], "latent": has_latent}).to_string())
}

/// Draw one chart given as JSON {title, x_label, log_y, empty, series: [{name, color: [r, g, b],
/// points: [[x, y], …], reference}]} on `canvas`.
#[wasm_bindgen(js_name = drawCharts)]
pub fn draw_charts(json: &str, canvas: HtmlCanvasElement, scale: f64) -> Result<(), JsError> {
    let v: Value =
        serde_json::from_str(json).map_err(|e| JsError::new(&format!("chart is not JSON: {e}")))?;
    let text = |v: &Value, k: &str| v[k].as_str().unwrap_or("").to_string();
    let bad = |what: &str| js(Error::data(None, format!("chart {what}")));
    let series = v["series"]
        .as_array()
        .ok_or_else(|| bad("has no series"))?
        .iter()
        .map(|s| {
            let c: Vec<u8> = s["color"]
                .as_array()
                .map_or(vec![0, 0, 0], |a| a.iter().map(|x| x.as_u64().unwrap_or(0) as u8).collect());
            let points = s["points"]
                .as_array()
                .ok_or_else(|| bad("series has no points"))?
                .iter()
                .map(|p| (p[0].as_f64().unwrap_or(f64::NAN) as f32, p[1].as_f64().unwrap_or(f64::NAN) as f32))
                .collect();
            let color = (
                c.first().copied().unwrap_or(0),
                c.get(1).copied().unwrap_or(0),
                c.get(2).copied().unwrap_or(0),
            );
            Ok(Series {
                name: text(s, "name"),
                color,
                points,
                reference: s["reference"].as_bool().unwrap_or(false),
            })
        })
        .collect::<Result<Vec<_>, JsError>>()?;
    let chart = Chart {
        title: text(&v, "title"),
        x_label: text(&v, "x_label"),
        log_y: v["log_y"].as_bool().unwrap_or(false),
        empty: text(&v, "empty"),
        series,
    };
    draw_charts_on(canvas, &[chart], scale)
}
