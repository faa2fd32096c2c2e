//! The browser boundary: the `Lab` handle the page holds; errors become `JsError` only here.

use crate::data::{PAIR_NAMES, Pair, Points, Side};
use crate::rng::{self, Rng};
use crate::viz::{Cloud, Scene, X_COLOR, Y_COLOR, draw_scene};
use plotters::prelude::IntoDrawingArea;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

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
    rng: Rng,
    n: usize,
    x: Points,
    y: Points,
}

#[wasm_bindgen]
impl Lab {
    /// A lab showing `pair` with `n` points per side, seeded by `seed`.
    #[wasm_bindgen(constructor)]
    pub fn new(pair: &str, n: usize, seed: u64) -> Result<Lab, JsError> {
        let pair = Pair::named(pair)?;
        let mut lab = Lab { pair, rng: rng::seeded(seed), n, x: Points::zeros(0, 2), y: Points::zeros(0, 2) };
        lab.resample();
        Ok(lab)
    }

    /// Switch to another pair and draw fresh samples.
    #[wasm_bindgen(js_name = setPair)]
    pub fn set_pair(&mut self, name: &str) -> Result<(), JsError> {
        self.pair = Pair::named(name)?;
        self.resample();
        Ok(())
    }

    /// Draw new samples of X and Y.
    pub fn resample(&mut self) {
        self.x = self.pair.sample(Side::X, self.n, &mut self.rng);
        self.y = self.pair.sample(Side::Y, self.n, &mut self.rng);
    }

    /// Render the current scene onto `canvas`.
    pub fn draw(&self, canvas: HtmlCanvasElement) -> Result<(), JsError> {
        let backend = CanvasBackend::with_canvas_object(canvas)
            .ok_or_else(|| JsError::new("canvas has no 2D context"))?;
        let area = backend.into_drawing_area();
        let scene = Scene {
            title: String::new(),
            arrows: vec![],
            clouds: vec![
                Cloud { points: self.x.clone(), color: X_COLOR, radius: 2 },
                Cloud { points: self.y.clone(), color: Y_COLOR, radius: 2 },
            ],
        };
        draw_scene(&area, &scene).map_err(|e| JsError::new(&format!("drawing failed: {e}")))?;
        area.present().map_err(|e| JsError::new(&format!("drawing failed: {e}")))
    }
}
