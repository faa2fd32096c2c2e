//! The training handle the page holds: a `Trainer` stepped in time slices, drawn with the shared
//! views, configured from and serialised to the URL query.

use super::{draw_charts_on, draw_on};
use crate::clock::now;
use crate::data::{Side, parse_csv, to_csv};
use crate::method::Kind;
use crate::method::keys::KEYS;
use crate::registry;
use crate::train::views::{Layers, charts, critic_names, fitted_window, heat_field, latent_view, main_view};
use crate::train::{Phase, Trainer};
use crate::viz::{Heat, PlotRect};

/// Seconds a heat map is reused while training (the critic changes little between frames, and
/// evaluating it on the grid costs more than a frame's drawing).
const HEAT_REFRESH_S: f64 = 0.1;
use serde_json::json;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

/// A training run in the page.
#[wasm_bindgen]
pub struct Training {
    trainer: Trainer,
    layers: Layers,
    /// Where the plot window landed on the canvas at the last `draw`.
    plot: PlotRect,
    /// The last heat map drawn while training runs: (field index, when computed, field);
    /// cleared by anything else that changes the model.
    heat: Option<(usize, f64, Heat)>,
}

fn js(e: crate::Error) -> JsError {
    JsError::new(&e.to_string())
}

#[wasm_bindgen]
impl Training {
    /// A run from a URL query such as `method=w2gan&pair=checkerboard&seed=0` (missing keys take
    /// the method's defaults; a bad key or value is named in the error).
    #[wasm_bindgen(constructor)]
    pub fn new(query: &str) -> Result<Training, JsError> {
        let cfg = registry::parse(query).map_err(js)?;
        Ok(Training {
            trainer: Trainer::new(cfg).map_err(js)?,
            layers: Layers::default(),
            plot: (0, 0, 1, 1),
            heat: None,
        })
    }

    /// Train for about `ms` milliseconds (at least one update); returns the steps done.
    #[wasm_bindgen(js_name = runFor)]
    pub fn run_for(&mut self, ms: f64) -> Result<u32, JsError> {
        self.trainer.run_for(ms / 1000.0).map(|n| n as u32).map_err(js)
    }

    /// One step of "critic", "generator" or "both".
    pub fn step(&mut self, phase: &str) -> Result<(), JsError> {
        let p = match phase {
            "critic" => Phase::Critic,
            "generator" => Phase::Generator,
            "both" => Phase::Both,
            other => {
                return Err(JsError::new(&format!("unknown phase `{other}` (critic, generator or both)")));
            }
        };
        self.heat = None;
        self.trainer.step(p).map(|_| ()).map_err(js)
    }

    /// Start again from step 0 with the same config and data.
    pub fn reset(&mut self) -> Result<(), JsError> {
        self.heat = None;
        self.trainer.reset().map_err(js)
    }

    /// Change a key; returns true when the model was rebuilt (non-live key), false when applied live.
    pub fn set(&mut self, key: &str, value: &str) -> Result<bool, JsError> {
        self.heat = None;
        self.trainer.set(key, value).map_err(js)
    }

    /// The configuration as a URL query (seed included): a link that reproduces the run.
    pub fn query(&self) -> String {
        self.trainer.cfg.to_query()
    }

    /// Generator steps done.
    #[wasm_bindgen(getter)]
    pub fn steps(&self) -> u32 {
        self.trainer.steps() as u32
    }

    /// Choose layers from a comma-separated list: x, y, gx, map, ot, heat0…heat3, signal, monge,
    /// trails, reconstruct, cells, and `geo=T` for μ_t on the W2 geodesic at t = T.
    #[wasm_bindgen(js_name = setLayers)]
    pub fn set_layers(&mut self, list: &str) {
        let on = |k: &str| list.split(',').any(|s| s.trim() == k);
        let heat = (0..4).find(|i| on(&format!("heat{i}")));
        let geodesic = list.split(',').find_map(|s| s.trim().strip_prefix("geo=")?.parse::<f32>().ok());
        self.layers = Layers {
            cells: on("cells"),
            geodesic: geodesic.filter(|t| t.is_finite()),
            x: on("x"),
            y: on("y"),
            gx: on("gx"),
            map: on("map"),
            ot: on("ot"),
            heat,
            signal: on("signal"),
            monge: on("monge"),
            trails: on("trails"),
            reconstruct: on("reconstruct"),
            window: None,
        };
    }

    /// Draw the main view with the chosen layers.
    pub fn draw(&mut self, canvas: HtmlCanvasElement) -> Result<(), JsError> {
        let mut layers = self.layers.clone();
        let want = layers.heat.take();
        let window = fitted_window(&mut self.trainer);
        layers.window = Some(window);
        let mut scene = main_view(&mut self.trainer, &layers);
        // as in `main_view`, the Laguerre cells take precedence over a critic field
        if let Some(i) = want.filter(|_| scene.heat.is_none()) {
            let t = now();
            let fresh = |&(j, at, _): &(usize, f64, Heat)| j == i && t - at < HEAT_REFRESH_S;
            if !self.heat.as_ref().is_some_and(fresh) {
                self.heat = heat_field(&mut self.trainer, i, &window).map(|h| (i, t, h));
            }
            scene.heat = self.heat.as_ref().map(|h| h.2.clone());
        }
        self.plot = draw_on(canvas, &scene)?;
        Ok(())
    }

    /// The plot window's pixel rectangle [left, top, right, bottom] at the last `draw` (it spans
    /// data coordinates [−2, 2]²), for turning mouse positions into points.
    #[wasm_bindgen(js_name = plotRect)]
    pub fn plot_rect(&self) -> Vec<i32> {
        let (l, t, r, b) = self.plot;
        vec![l, t, r, b]
    }

    /// Draw the charts: metrics over steps, losses, and the geodesic chart (map mode).
    #[wasm_bindgen(js_name = drawCharts)]
    pub fn draw_charts(&self, canvas: HtmlCanvasElement) -> Result<(), JsError> {
        draw_charts_on(canvas, &charts(&self.trainer))
    }

    /// Replace the source ("x") or target ("y") by points given as CSV text (one `x,y` per line,
    /// optional header); errors name the line. The model is rebuilt; the pair becomes "custom".
    #[wasm_bindgen(js_name = setPoints)]
    pub fn set_points(&mut self, side: &str, csv: &str) -> Result<(), JsError> {
        let side = match side {
            "x" => Side::X,
            "y" => Side::Y,
            other => return Err(JsError::new(&format!("unknown side `{other}` (x or y)"))),
        };
        let points = parse_csv(csv).map_err(js)?;
        self.trainer.set_points(side, points).map_err(js)?;
        self.heat = None;
        Ok(())
    }

    /// The held-out source ("x"), target ("y") or generated samples ("gx") as CSV text.
    #[wasm_bindgen(js_name = exportCsv)]
    pub fn export_csv(&mut self, what: &str) -> Result<String, JsError> {
        let t = &mut self.trainer;
        let p = match what {
            "x" => t.eval_source().clone(),
            "y" => t.eval_target().clone(),
            "gx" => {
                let x = t.eval_source().clone();
                t.model().apply(&x)
            }
            other => return Err(JsError::new(&format!("unknown sample set `{other}` (x, y or gx)"))),
        };
        Ok(to_csv(&p))
    }

    /// The pair's name ("custom" once points were drawn or imported).
    #[wasm_bindgen(getter, js_name = pairName)]
    pub fn pair_name(&self) -> String {
        self.trainer.pair.name.clone()
    }

    /// Draw the latent panel (autoencoders); returns false when the method has none.
    #[wasm_bindgen(js_name = drawLatent)]
    pub fn draw_latent(&mut self, canvas: HtmlCanvasElement) -> Result<bool, JsError> {
        match latent_view(&mut self.trainer) {
            Some(scene) => draw_on(canvas, &scene).map(|_| true),
            None => Ok(false),
        }
    }

    /// JSON read-outs: steps, latest losses, every evaluation, steps per second, identity W2².
    pub fn readout(&self) -> String {
        let t = &self.trainer;
        let losses: Vec<_> = t.latest_losses().iter().map(|(k, v)| json!([k, v])).collect();
        json!({
            "steps": t.steps(), "losses": losses, "evals": t.evals.items(),
            "steps_per_s": t.steps() as f64 / t.seconds.max(1e-9), "baseline_w2sq": t.baseline_w2sq(),
        })
        .to_string()
    }

    /// Names of the critic fields the heat-map layer can show (φ, ψ, D, f, u, v).
    #[wasm_bindgen(js_name = heatNames)]
    pub fn heat_names(&mut self) -> Vec<String> {
        critic_names(&mut self.trainer).into_iter().map(str::to_string).collect()
    }

    /// Save the trained parameters as JSON text.
    #[wasm_bindgen(js_name = saveParams)]
    pub fn save_params(&self) -> String {
        json!({ "config": self.trainer.cfg.to_query(), "params": self.trainer.model_ref().save() })
            .to_string()
    }

    /// Load parameters saved by `saveParams` for the same method and architecture.
    #[wasm_bindgen(js_name = loadParams)]
    pub fn load_params(&mut self, text: &str) -> Result<(), JsError> {
        let v: serde_json::Value = serde_json::from_str(text)
            .map_err(|e| JsError::new(&format!("parameters file is not JSON: {e}")))?;
        self.heat = None;
        self.trainer.model().load(&v["params"]).map_err(js)
    }
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
                   "trains": m.trains, "loss": m.loss, "watch": m.watch, "step_name": m.step_name, "presets": presets})
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
