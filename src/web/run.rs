//! The training run a Web Worker holds: opens a link leniently, trains in time slices, answers
//! control messages, and builds frames (scene, latent panel, charts) as bytes for the page.

use super::js;
use crate::clock::now;
use crate::data::{Side, Window, parse_csv, to_csv};
use crate::error::Error;
use crate::registry;
use crate::train::views::{Layers, available_layers, charts, heat_field, latent_view, main_view};
use crate::train::{Phase, Trainer, work_per_step};
use crate::viz::{Frame, Heat};
use serde_json::json;
use std::collections::VecDeque;
use wasm_bindgen::prelude::*;

/// Seconds a heat field is reused while training (evaluating the critic on the grid costs more
/// than a frame's drawing, and it changes little between frames).
const HEAT_REFRESH_S: f64 = 0.1;
/// Wall-clock seconds the speed read-out averages over.
const SPEED_WINDOW_S: f64 = 2.0;

/// Multiply-adds a second assumed before a run has a speed of its own: a slow browser's (this
/// 2-core machine's native build does about 8.6e8 on W2GAN's defaults), so that a setting that
/// would freeze the page at step 0 is caught. Only the networks' arithmetic is counted (see
/// `work_per_step`): OT plans solved per step (MKE, WVAE) can take far longer.
const NOMINAL_WORK_PER_S: f64 = 3e8;

/// A training run in a worker.
#[wasm_bindgen]
pub struct Run {
    trainer: Trainer,
    /// What the link held that could not be used, with the reason.
    warnings: Vec<String>,
    layers: Layers,
    /// The last heat field drawn while training runs: (field, computed at, window, field).
    heat: Option<(usize, f64, Window, Heat)>,
    /// (wall-clock seconds, steps) at recent training slices, for the speed read-out.
    marks: VecDeque<(f64, usize)>,
}

#[wasm_bindgen]
impl Run {
    /// A run from a URL query; what is valid loads, the rest is reported by `warnings`. An
    /// unusable link falls back to the default run.
    #[wasm_bindgen(constructor)]
    pub fn new(query: &str) -> Result<Run, JsError> {
        let (mut cfg, errors) = registry::parse_lenient(query);
        // the link's settings were tuned for its method: a change of method keeps what is set after
        cfg.settle();
        let opened = cfg.method().name;
        let mut warnings: Vec<String> = errors
            .iter()
            .map(|e| match e {
                Error::Config { key, .. } if key == "method" => format!("{e} — opened {opened} instead"),
                // a key of the method whose value was refused: name the value in force
                Error::Config { key, .. } => match cfg.show(key) {
                    Some(v) => format!("{e} — using {key} = {v}"),
                    None => format!("{e} — left out"),
                },
                _ => format!("{e} — left out"),
            })
            .collect();
        let trainer = match Trainer::new(cfg) {
            Ok(t) => t,
            Err(e) => {
                warnings.push(format!("{e} — opened the default run instead"));
                Trainer::new(registry::config(registry::DEFAULT_METHOD).map_err(js)?).map_err(js)?
            }
        };
        Ok(Run { trainer, warnings, layers: Layers::default(), heat: None, marks: VecDeque::new() })
    }

    /// Steps done.
    #[wasm_bindgen(getter)]
    pub fn steps(&self) -> u32 {
        self.trainer.steps() as u32
    }

    /// What the link held that was left out, one message each.
    pub fn warnings(&self) -> Vec<String> {
        self.warnings.clone()
    }

    /// Train for about `ms` milliseconds (at least one update), stopping at `until` steps in
    /// total; returns the steps done.
    pub fn train(&mut self, ms: f64, until: f64) -> Result<u32, JsError> {
        let until = if until.is_finite() { until.max(0.0) as usize } else { usize::MAX };
        let done = self.trainer.run_for(ms / 1000.0, until).map_err(js)?;
        let t = now();
        self.marks.push_back((t, self.trainer.steps()));
        while self.marks.len() > 2 && t - self.marks[1].0 > SPEED_WINDOW_S {
            self.marks.pop_front();
        }
        Ok(done as u32)
    }

    /// Forget the speed marks (training paused: the next speed is measured afresh).
    pub fn pause(&mut self) {
        self.marks.clear();
    }

    /// One update of "critic" or "generator", the rest of the step ("both"), or the update a full
    /// step takes next ("next").
    pub fn step(&mut self, phase: &str) -> Result<(), JsError> {
        let p = match phase {
            "critic" => Phase::Critic,
            "generator" => Phase::Generator,
            "both" => Phase::Both,
            "next" => Phase::Next,
            other => {
                return Err(JsError::new(&format!(
                    "unknown phase `{other}` (critic, generator, both or next)"
                )));
            }
        };
        self.heat = None;
        self.trainer.step(p).map_err(js)
    }

    /// Start again from step 0 with the same config and data.
    pub fn reset(&mut self) -> Result<(), JsError> {
        (self.heat, self.marks) = (None, VecDeque::new());
        self.trainer.reset().map_err(js)
    }

    /// Change a key (or `method`); returns true when the run was rebuilt. An unchanged value
    /// does nothing.
    pub fn set(&mut self, key: &str, value: &str) -> Result<bool, JsError> {
        self.heat = None;
        let rebuilt = self.trainer.set(key, value).map_err(js)?;
        if rebuilt {
            self.marks.clear();
        }
        Ok(rebuilt)
    }

    /// Seconds one step would take with `key` set to `value` (the run as it is for an empty
    /// `key`), from the run's own speed, or from a nominal one before its first step, scaled by
    /// the arithmetic of both configs (an error for a bad value).
    #[wasm_bindgen(js_name = estimateSeconds)]
    pub fn estimate_seconds(&self, key: &str, value: &str) -> Result<f64, JsError> {
        let mut cfg = match key {
            "method" => self.trainer.cfg.with_method(registry::method(value).map_err(js)?).map_err(js)?,
            _ => self.trainer.cfg.clone(),
        };
        if !matches!(key, "method" | "") {
            cfg.set(key, value).map_err(js)?;
        }
        let steps = self.trainer.steps();
        let per_work = if steps == 0 {
            1.0 / NOMINAL_WORK_PER_S
        } else {
            self.trainer.seconds / steps as f64 / work_per_step(&self.trainer.cfg).max(1e-9)
        };
        Ok(per_work * work_per_step(&cfg))
    }

    /// Choose layers from a comma-separated list: x, y, gx, map, ot, heat0…heat3, signal, monge,
    /// trails, reconstruct, cells, `geo=T` for μ_t at t = T, and `view=x0,y0,size` for a fixed
    /// window (else the window fits the data). Unknown entries are an error naming them.
    #[wasm_bindgen(js_name = setLayers)]
    pub fn set_layers(&mut self, list: &str) -> Result<(), JsError> {
        self.layers = Layers::parse(list).map_err(js)?;
        Ok(())
    }

    /// The frame to draw now, as bytes (see `viz::Frame`).
    pub fn frame(&mut self) -> Result<Vec<u8>, JsError> {
        let mut layers = self.layers.clone();
        let want = layers.heat.take();
        let mut scene = main_view(&mut self.trainer, &layers);
        let window = scene.window;
        // as in `main_view`, the Laguerre cells take precedence over a critic field
        if let Some(i) = want.filter(|_| scene.heat.is_none()) {
            let t = now();
            let fresh = |(j, at, w, _): &(usize, f64, Window, Heat)| {
                *j == i && *w == window && t - at < HEAT_REFRESH_S
            };
            if !self.heat.as_ref().is_some_and(fresh) {
                self.heat = heat_field(&mut self.trainer, i, &window).map(|h| (i, t, window, h));
            }
            scene.heat = self.heat.as_ref().map(|h| h.3.clone());
        }
        let latent = latent_view(&mut self.trainer);
        Ok(Frame { scene, latent, charts: charts(&self.trainer) }.encode())
    }

    /// JSON read-outs: method, steps, wall-clock steps/s, the latest losses and evaluation, the
    /// critic's progress toward the next step (warm-up), the schedule in force (in words), what
    /// the method has, and what is said about the run's own points.
    pub fn readout(&mut self) -> String {
        let layers = available_layers(&mut self.trainer);
        let t = &self.trainer;
        let m = t.cfg.method();
        let speed = match (self.marks.front(), self.marks.back()) {
            (Some(a), Some(b)) if b.0 > a.0 => (b.1 - a.1) as f64 / (b.0 - a.0),
            _ => 0.0,
        };
        let (done, needed) = t.critic_progress();
        let losses: Vec<_> = t.latest_losses().iter().map(|(k, v)| json!([k, v])).collect();
        json!({
            "method": m.name, "family": m.family.name(), "mode": t.cfg.mode().name(), "pair": t.pair.name,
            "step_name": m.step_name, "steps": t.steps(), "steps_per_s": speed,
            "critic_done": done, "critic_needed": needed,
            "has_critic": t.has_critic(), "has_generator": t.model_ref().has_generator(),
            "losses": losses, "eval": t.last_eval(), "extremes": t.extremes,
            "baseline_w2sq": t.baseline_w2sq(), "floor": t.eval_set().floor, "latent_floor": t.eval_set().latent_floor,
            "map_err_floor": t.eval_set().map_err_floor(), "off_mode_y": t.eval_set().off_mode_y,
            "geo_dev_floor_now": t.last_eval().and_then(|e| t.eval_set().geo_dev_floor_at(e.progress?)),
            "schedule": t.model_ref().schedule(), "layers": layers, "query": t.cfg.to_query(),
            "data_note": t.data_note(),
        })
        .to_string()
    }

    /// Replace the source ("x") or target ("y") by points given as CSV text (one `x,y` per line,
    /// optional header); errors name the line. The run is rebuilt; the pair becomes "custom" (the
    /// read-out's `data_note` says when the points are far from the scale the networks are set for).
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

    /// The trained parameters with the run's link, as JSON text.
    #[wasm_bindgen(js_name = saveParams)]
    pub fn save_params(&self) -> String {
        self.trainer.save().to_string()
    }

    /// Load parameters saved by `saveParams` for the same method and networks into a fresh run
    /// (step 0); the metrics are evaluated for them at once. Returns the steps they trained, when
    /// the file says.
    #[wasm_bindgen(js_name = loadParams)]
    pub fn load_params(&mut self, text: &str) -> Result<Option<f64>, JsError> {
        let v: serde_json::Value = serde_json::from_str(text)
            .map_err(|e| JsError::new(&format!("parameters file is not JSON: {e}")))?;
        let steps = self.trainer.load(&v).map_err(js)?;
        (self.heat, self.marks) = (None, VecDeque::new());
        Ok(steps.map(|s| s as f64))
    }
}
