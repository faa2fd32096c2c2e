//! The trainer: builds data, model and a held-out evaluation set from a config; owns the
//! critic/generator alternation and the time slicing (natively and in the page); stops with a
//! clear error when training diverges; records bounded histories of losses and metrics (math.md §5).

use super::eval::{Eval, EvalSet, mass_range};
use super::history::{Curve, Thinned};
use crate::clock::now;
use crate::data::{CloudFrame, Dist, Pair, Points, Sampling, Side};
use crate::error::{Error, Result};
use crate::method::keys::{EVAL_EVERY, LATENT_DIM, PAIR, SAMPLING};
use crate::method::{Batches, Config, Losses, Mode, Model, Setup, streams};
use crate::registry;
use crate::rng;
use crate::viz::tick_label;
use serde_json::{Value, json};
use std::rc::Rc;

/// Which part of a training step to run (the page's single-step buttons).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// One critic (potential, dual, discriminator) update.
    Critic,
    /// One generator (map, decoder) update: completes a step.
    Generator,
    /// The rest of the current step: its remaining critic updates, then the generator update.
    Both,
    /// The next update of the step, as a full step would take it: a critic update while the
    /// critic is due more (n_critic, a warm-up), else the generator's (slow motion).
    Next,
}

/// Most evaluations kept (older ones are thinned).
const EVALS_KEPT: usize = 1024;
/// Most trail snapshots kept.
const TRAILS_KEPT: usize = 128;
/// Held-out points whose trajectory is kept.
const TRAIL: usize = 48;
/// Std of the noise added when resampling user points, so a few drawn points make a density: this
/// much, times their spread (RMS distance from their mean) where it is above 1 (a fixed 0.02
/// vanished in f32 rounding at 10⁶ and left the resampled points exact duplicates).
const USER_JITTER: f64 = 0.02;
/// The divergence guard: W2² may not exceed this multiple of its start (or of the two-sample
/// floor, if larger), a loss this multiple of its first magnitude (or 1), and the learned map
/// may not leave the data's window grown this many times.
const W2_GROWTH: f64 = 100.0;
const LOSS_GROWTH: f64 = 1e6;
const WINDOW_GROWTH: f32 = 10.0;

/// Steps a model and keeps its history.
pub struct Trainer {
    /// The configuration (live keys can change between steps).
    pub cfg: Config,
    /// The data pair (named, or "custom" for drawn or imported points).
    pub pair: Pair,
    model: Box<dyn Model>,
    data: Batches,
    /// Shared with the next trainer when a rebuild keeps what it was drawn from.
    eval: Rc<EvalSet>,
    /// Loss curves, one per named loss.
    pub losses: Vec<Curve>,
    /// Metrics per evaluation (step 0 first).
    pub evals: Thinned<Eval>,
    /// The lowest MapErr and the largest GeoDev over every evaluation of the run.
    pub extremes: Extremes,
    step: usize,
    /// Critic updates done toward the current step.
    critic_done: usize,
    /// Seconds spent in training updates (not evaluation).
    pub seconds: f64,
    /// G on the first `TRAIL` held-out source points at each kept evaluation.
    pub trails: Thinned<Points>,
    /// What is said about the pair's own points, worked out once per build (see `data_note`).
    data_note: Option<String>,
}

/// Extremes of the metrics over a whole run (kept exactly, whatever the history thins).
#[derive(Debug, Clone, Copy, Default, serde::Serialize)]
pub struct Extremes {
    /// Lowest MapErr.
    pub best_map_err: Option<f64>,
    /// Largest GeoDev.
    pub max_geo_dev: Option<f64>,
}

impl Trainer {
    /// A trainer for the configured pair.
    pub fn new(cfg: Config) -> Result<Trainer> {
        let pair = Pair::sampled(cfg.get(PAIR), Sampling::named(cfg.get(SAMPLING)))?;
        Trainer::with_pair(cfg, pair)
    }

    /// A trainer for an explicit pair (e.g. points drawn or imported by the user).
    pub fn with_pair(cfg: Config, pair: Pair) -> Result<Trainer> {
        Trainer::build(cfg, pair, None)
    }

    /// A trainer for `pair`, evaluated on `previous` when that set was drawn for the same pair
    /// and still fits the config (a new method or width need not redo its exact OT plans).
    fn build(cfg: Config, pair: Pair, previous: Option<Rc<EvalSet>>) -> Result<Trainer> {
        let source = match cfg.mode() {
            Mode::Map => pair.x.clone(),
            Mode::Generative => Dist::Normal { dim: cfg.get(LATENT_DIM) },
        };
        let setup = Setup { source_dim: source.dim(), target: &pair.y };
        let model = (cfg.method().build)(&cfg, &setup, &mut rng::stream(cfg.seed(), streams::INIT))?;
        cfg.check_reads()?;
        let eval = match previous.filter(|e| e.fits(&cfg, &source)) {
            Some(e) => e,
            None => Rc::new(EvalSet::new(&cfg, &pair, &source)?),
        };
        let data = Batches::new(source, pair.y.clone(), cfg.seed());
        // a side given as points far from the origin: training may get nowhere there
        let own = |d: &Dist| match d {
            Dist::Empirical { points, .. } => CloudFrame::of(points).scale_note(),
            _ => None,
        };
        let notes: Vec<String> = [&pair.x, &pair.y].into_iter().filter_map(own).collect();
        let data_note = (!notes.is_empty()).then(|| notes.join(" · "));
        let mut t = Trainer {
            cfg,
            pair,
            model,
            data,
            eval,
            losses: Vec::new(),
            evals: Thinned::new(EVALS_KEPT),
            extremes: Extremes::default(),
            step: 0,
            critic_done: 0,
            seconds: 0.0,
            trails: Thinned::new(TRAILS_KEPT),
            data_note,
        };
        t.evaluate()?;
        Ok(t)
    }

    /// Steps done so far.
    pub fn steps(&self) -> usize {
        self.step
    }

    /// Critic updates done toward the current step, and how many the step needs.
    pub fn critic_progress(&self) -> (usize, usize) {
        (self.critic_done, self.model.critic_steps())
    }

    /// The model (for probes).
    pub fn model(&mut self) -> &mut dyn Model {
        self.model.as_mut()
    }

    /// The model, read-only (saving parameters).
    pub fn model_ref(&self) -> &dyn Model {
        self.model.as_ref()
    }

    /// Whether single critic updates exist (a critic, potential or dual is trained).
    pub fn has_critic(&self) -> bool {
        self.model.has_critic()
    }

    /// The held-out evaluation samples and their reference quantities.
    pub fn eval_set(&self) -> &EvalSet {
        &self.eval
    }

    /// The held-out source samples the metrics use.
    pub fn eval_source(&self) -> &Points {
        &self.eval.x
    }

    /// The held-out target samples.
    pub fn eval_target(&self) -> &Points {
        &self.eval.y
    }

    /// y_σ(i) for the held-out samples (map mode).
    pub fn eval_matched(&self) -> Option<&Points> {
        self.eval.matched.as_ref()
    }

    /// W2²(X, Y) between the held-out samples (map mode): the identity map's cost.
    pub fn baseline_w2sq(&self) -> Option<f64> {
        self.eval.baseline
    }

    /// The latest value of each loss.
    pub fn latest_losses(&self) -> Vec<(&'static str, f64)> {
        self.losses.iter().filter_map(|c| c.last().map(|v| (c.name, v))).collect()
    }

    /// One update: a critic update while the current step needs one, else the generator update
    /// that completes the step. Returns whether a step completed.
    fn update(&mut self) -> Result<bool> {
        if !self.model.has_generator() {
            self.run_update(true)?;
            return Ok(true);
        }
        if self.critic_done < self.model.critic_steps() {
            self.run_update(true)?;
            self.critic_done += 1;
            return Ok(false);
        }
        self.run_update(false)?;
        self.critic_done = 0;
        Ok(true)
    }

    /// Run one critic or generator update, record its losses, and check for divergence; a
    /// completed step (generator update, or any update of a method without one) is counted and
    /// evaluated every `eval_every` steps.
    fn run_update(&mut self, critic: bool) -> Result<()> {
        let t0 = now();
        let next = self.step + 1;
        let out = if critic {
            self.model.critic_step(&mut self.data)
        } else {
            self.model.generator_step(&mut self.data)
        };
        let losses = out.map_err(|e| at_step(e, next))?;
        self.seconds += now() - t0;
        // a step's critic updates are spread over it (the k-th of n at step + k/n), so the losses
        // chart draws a warm-up of thousands of updates as a curve, not a column at one step
        let due = self.model.critic_steps();
        let at = if critic && self.model.has_generator() && due > 0 {
            self.step as f64 + (self.critic_done + 1).min(due) as f64 / due as f64
        } else {
            next as f64
        };
        self.record(at, next, &losses)?;
        if let Some(p) = self.model.non_finite() {
            return Err(Error::Diverged { step: next, quantity: p });
        }
        if !critic || !self.model.has_generator() {
            self.step = next;
            if self.step.is_multiple_of(self.cfg.get(EVAL_EVERY).max(1)) {
                self.evaluate()?;
            }
        }
        Ok(())
    }

    /// Record `losses` at `at` on the steps axis; an error names `step`.
    fn record(&mut self, at: f64, step: usize, losses: &Losses) -> Result<()> {
        for &(name, v) in losses {
            if !v.is_finite() {
                return Err(Error::Diverged { step, quantity: format!("{name} loss ({v})") });
            }
            let i = match self.losses.iter().position(|c| c.name == name) {
                Some(i) => i,
                None => {
                    self.losses.push(Curve::new(name));
                    self.losses.len() - 1
                }
            };
            let start = self.losses[i].first().map_or(v as f64, |f| f.abs()).max(1.0);
            if (v as f64).abs() > LOSS_GROWTH * start {
                let what =
                    format!("the {name} loss grew from {} to {}", tick_label(start), tick_label(v as f64));
                return Err(Error::Runaway { step, what });
            }
            self.losses[i].push(at, v as f64);
        }
        Ok(())
    }

    /// Run `phase`. A critic step on a method without a critic, or a generator step on one
    /// without a generator, does nothing.
    pub fn step(&mut self, phase: Phase) -> Result<()> {
        match phase {
            Phase::Critic if self.has_critic() => {
                self.run_update(true)?;
                if self.model.has_generator() {
                    self.critic_done += 1;
                }
            }
            Phase::Generator if self.model.has_generator() => {
                self.run_update(false)?;
                self.critic_done = 0;
            }
            Phase::Both => while !self.update()? {},
            Phase::Next => {
                self.update()?;
            }
            _ => {}
        }
        Ok(())
    }

    /// Full steps until `steps` steps are done in total.
    pub fn run(&mut self, steps: usize) -> Result<()> {
        while self.step < steps {
            self.step(Phase::Both)?;
        }
        Ok(())
    }

    /// Train for about `seconds` of wall-clock time, one update at a time (at least one), so a
    /// time slice can end between the critic updates of a step; never past `until` steps in total
    /// (the compare view keeps its panels at equal steps). Returns the steps completed.
    pub fn run_for(&mut self, seconds: f64, until: usize) -> Result<usize> {
        let (t0, start) = (now(), self.step);
        while self.step < until {
            self.update()?;
            if now() - t0 >= seconds {
                break;
            }
        }
        Ok(self.step - start)
    }

    /// Change a key (or the method): live keys apply to the running model; others rebuild it
    /// with the same seed. Returns whether the model was rebuilt; an unchanged value does nothing
    /// (except that setting the pair replaces custom data by the named pair).
    pub fn set(&mut self, key: &str, value: &str) -> Result<bool> {
        let (cfg, live) = if key == "method" {
            (self.cfg.with_method(registry::method(value.trim())?)?, false)
        } else {
            let mut c = self.cfg.clone();
            let live = c.set(key, value)?;
            (c, live)
        };
        // choosing the named pair again replaces drawn or imported data
        let back_to_named = matches!(key, "pair" | "sampling") && self.pair.name == "custom";
        if cfg == self.cfg && !back_to_named {
            return Ok(false);
        }
        if live {
            self.model.configure(&cfg);
            cfg.check_reads()?;
            self.cfg = cfg;
            return Ok(false);
        }
        // drawn or imported data stays until a pair is chosen; a named pair is drawn afresh if
        // the new config names another
        let keep_pair = !matches!(key, "pair" | "sampling")
            && (self.pair.name == "custom"
                || (cfg.get(PAIR) == self.cfg.get(PAIR) && cfg.get(SAMPLING) == self.cfg.get(SAMPLING)));
        *self = if keep_pair {
            Trainer::build(cfg, self.pair.clone(), Some(self.eval.clone()))?
        } else {
            Trainer::new(cfg)?
        };
        Ok(true)
    }

    /// Start again from step 0 with the same config, seed and data (drawn points kept).
    pub fn reset(&mut self) -> Result<()> {
        *self = self.fresh()?;
        Ok(())
    }

    /// A run of the same config, seed and data at step 0 (drawn points and held-out samples kept).
    fn fresh(&self) -> Result<Trainer> {
        Trainer::build(self.cfg.clone(), self.pair.clone(), Some(self.eval.clone()))
    }

    /// What is said about the run's own points (a side given as points far from the origin,
    /// where training may get nowhere; see `CloudFrame::scale_note`), while they are its data.
    pub fn data_note(&self) -> Option<&str> {
        self.data_note.as_deref()
    }

    /// Replace one side of the pair by user points (drawn or imported), resampled with a little
    /// jitter; the model is rebuilt with the same config and seed. The pair is then "custom".
    pub fn set_points(&mut self, side: Side, points: Points) -> Result<()> {
        if points.ncols() != 2 {
            return Err(Error::data(
                None,
                format!("points need 2 coordinates (x,y), found {}", points.ncols()),
            ));
        }
        if points.nrows() < 2 {
            return Err(Error::data(None, format!("need at least 2 points, found {}", points.nrows())));
        }
        if side == Side::X && self.cfg.mode() != Mode::Map {
            return Err(Error::config(
                "mode",
                "in generative mode the source is noise; draw or import the target Y",
            ));
        }
        let mut pair = self.pair.clone();
        let jitter = (USER_JITTER * CloudFrame::of(&points).scale.max(1.0)) as f32;
        let dist = Dist::Empirical { points, jitter };
        match side {
            Side::X => pair.x = dist,
            Side::Y => pair.y = dist,
        }
        pair.name = "custom".into();
        *self = Trainer::with_pair(self.cfg.clone(), pair)?;
        Ok(())
    }

    /// Compute the metrics now and append them to `evals`; a run whose W2² or map has run away
    /// from the data is stopped with an error naming the quantity and the step (its metrics are
    /// kept, so the read-out shows what stopped it).
    pub fn evaluate(&mut self) -> Result<Eval> {
        let gx = self.model.apply(&self.eval.x);
        let codes = self.model.encode(&self.eval.y);
        let mut e = self.eval.measure(self.step, &gx, codes.as_ref())?;
        let masses = self.eval.cell_x.as_ref().and_then(|x| self.model.cell_masses(x));
        e.cell_mass = masses.as_deref().map(mass_range);
        let runaway = self.runaway(&e, &gx);
        self.trails.push(gx.rows(0, TRAIL.min(gx.nrows())).into_owned());
        let x = &mut self.extremes;
        x.best_map_err = min_opt(x.best_map_err, e.map_err);
        x.max_geo_dev = max_opt(x.max_geo_dev, e.geo_dev);
        self.evals.push(e);
        match runaway {
            Some(what) => Err(Error::Runaway { step: self.step, what }),
            None => Ok(e),
        }
    }

    /// What has run away from the data at evaluation `e` with samples `gx`, if anything: W2²
    /// grown a hundredfold since the first evaluation, or a mapped point far outside the data.
    fn runaway(&self, e: &Eval, gx: &Points) -> Option<String> {
        let first = self.evals.items().first()?;
        let start = first.w2sq.max(self.eval.floor);
        if e.w2sq > W2_GROWTH * start {
            return Some(format!("W2² grew from {} to {}", tick_label(first.w2sq), tick_label(e.w2sq)));
        }
        let data = crate::data::Window::fit(&[&self.eval.x, &self.eval.y]);
        let far = data.size * WINDOW_GROWTH;
        let (cx, cy) = (data.x0 + data.size / 2.0, data.y0 + data.size / 2.0);
        let i = (0..gx.nrows()).find(|&i| (gx[(i, 0)] - cx).abs() > far || (gx[(i, 1)] - cy).abs() > far)?;
        Some(format!(
            "the learned map sends held-out point {} to ({}, {}), far outside the data",
            i + 1,
            tick_label(gx[(i, 0)] as f64),
            tick_label(gx[(i, 1)] as f64)
        ))
    }

    /// The trained parameters with the run's link and step count, as JSON (what `load` reads).
    pub fn save(&self) -> Value {
        json!({ "config": self.cfg.to_query(), "steps": self.step, "params": self.model.save() })
    }

    /// Load parameters written by `save` into a fresh run of this config and data (step 0, the
    /// optimisers and schedules from their start) and evaluate them at once; returns the steps
    /// the file's networks trained. A file whose link names another method is refused naming it;
    /// one whose networks have other sizes is refused with the keys that shape them, as the
    /// file's link has them; a refused file leaves the run as it was.
    pub fn load(&mut self, saved: &Value) -> Result<Option<u64>> {
        let params =
            saved.get("params").ok_or_else(|| Error::config("params", "missing from the parameters file"))?;
        // the file's config, when it has one that parses whole
        let was = saved.get("config").and_then(Value::as_str).and_then(|q| {
            let (c, errors) = registry::parse_lenient(q);
            errors.is_empty().then_some(c)
        });
        if let Some(from) = was.as_ref().map(|c| c.method().name).filter(|m| *m != self.cfg.method().name) {
            let here = self.cfg.method().name;
            return Err(Error::config(
                "method",
                format!(
                    "the parameters were saved from a {from} run and this run is {here}: choose {from} first"
                ),
            ));
        }
        let mut fresh = self.fresh()?;
        fresh.model.load(params).map_err(|e| match (e, &was) {
            (Error::Config { key, msg }, Some(was)) => match shape_differences(was, &self.cfg)[..] {
                [] => Error::Config { key, msg },
                ref differ => {
                    let them = if differ.len() == 1 { "it" } else { "them" };
                    Error::config(
                        key,
                        format!("{msg}: the file was saved with {}; set {them} first", differ.join(", ")),
                    )
                }
            },
            (e, _) => e,
        })?;
        fresh.evaluate()?;
        *self = fresh;
        Ok(saved.get("steps").and_then(Value::as_u64))
    }

    /// The latest evaluation.
    pub fn last_eval(&self) -> Option<&Eval> {
        self.evals.last()
    }
}

/// The keys that shape the networks (sizes, activations, batch norm, the latent and encoder
/// kind, the mode) where `was` differs from `now`, as `key = value` in `was`.
fn shape_differences(was: &Config, now: &Config) -> Vec<String> {
    let shapes = |k: &str| {
        ["_width", "_depth", "_act", "_bn"].iter().any(|s| k.ends_with(s))
            || matches!(k, "latent_dim" | "encoder" | "sd_targets" | "mode")
    };
    was.names()
        .into_iter()
        .filter(|k| shapes(k))
        .filter_map(|k| {
            let v = was.show(k)?;
            (now.show(k).as_ref() != Some(&v)).then(|| format!("{k} = {v}"))
        })
        .collect()
}

fn min_opt(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

fn max_opt(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
}

fn at_step(e: Error, step: usize) -> Error {
    match e {
        Error::Diverged { quantity, .. } => Error::Diverged { step, quantity },
        other => other,
    }
}
