//! The OT explorer on the page's main thread: samples of a pair, their exact OT arrows, and μ_t
//! on the W2 geodesic under the t slider.

use super::{draw_on, js};
use crate::data::{Pair, Points, Side, Window};
use crate::ot::{assignment, displacement, matched_targets};
use crate::rng::{self, Rng};
use crate::train::views::ARROWS;
use crate::viz::{Arrows, Cloud, G_COLOR, OT_COLOR, Scene, X_COLOR, Y_COLOR};
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

/// Samples of a pair and their exact OT matching.
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
        let pair = Pair::named(pair).map_err(js)?;
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
        self.pair = Pair::named(name).map_err(js)?;
        self.resample()
    }

    /// Draw new samples of X and Y and solve the exact OT between them.
    pub fn resample(&mut self) -> Result<(), JsError> {
        self.x = self.pair.sample(Side::X, self.n, &mut self.rng.0);
        self.y = self.pair.sample(Side::Y, self.n, &mut self.rng.1);
        let plan = assignment(&self.x, &self.y).map_err(js)?;
        self.matched = matched_targets(&self.y, &plan.perm);
        self.w2sq = plan.w2sq;
        Ok(())
    }

    /// Exact W2² between the current samples.
    #[wasm_bindgen(getter)]
    pub fn w2sq(&self) -> f64 {
        self.w2sq
    }

    /// The window that fits the samples, as [x0, y0, size] (the compare panels share it).
    pub fn window(&self) -> Vec<f32> {
        let w = self.fit();
        vec![w.x0, w.y0, w.size]
    }

    /// The window that fits both samples.
    fn fit(&self) -> Window {
        Window::fit(&[&self.x, &self.y])
    }

    /// The scene: X, Y, optionally the OT arrows, and μ_t on the W2 geodesic when 0 < t.
    fn scene(&self, t: f32, arrows: bool) -> Scene {
        let mut scene = Scene { window: self.fit(), ..Scene::default() };
        if arrows {
            let k = ARROWS.min(self.n);
            scene.arrows.push(Arrows {
                from: self.x.rows(0, k).into_owned(),
                to: self.matched.rows(0, k).into_owned(),
                color: OT_COLOR,
                alpha: 0.6,
                label: "discrete OT arrows".into(),
            });
        }
        let cloud = |points: &Points, color, label: &str| Cloud {
            points: points.clone(),
            color,
            radius: 2,
            label: label.into(),
        };
        scene.clouds.push(cloud(&self.x, X_COLOR, "source X"));
        scene.clouds.push(cloud(&self.y, Y_COLOR, "target Y"));
        if t > 0.0 {
            let label = format!("μ_t on the W2 geodesic, t = {t:.2}");
            scene.clouds.push(cloud(&displacement(&self.x, &self.matched, t), G_COLOR, &label));
        }
        scene
    }

    /// Render at `scale` device pixels per CSS pixel.
    pub fn draw(&self, canvas: HtmlCanvasElement, t: f32, arrows: bool, scale: f64) -> Result<(), JsError> {
        draw_on(canvas, &self.scene(t, arrows), scale).map(|_| ())
    }

    /// The drawn points as CSV ("x" or "y"), e.g. to start a run from them.
    #[wasm_bindgen(js_name = exportCsv)]
    pub fn export_csv(&self, side: &str) -> String {
        crate::data::to_csv(if side == "y" { &self.y } else { &self.x })
    }
}
