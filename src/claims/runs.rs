//! Training runs for the claims, described as plain data and run in parallel (one per core).

use crate::data::Points;
use crate::error::{Error, Result};
use crate::registry;
use crate::train::{Eval, Extremes, Trainer};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Reads numbers off a trained run.
pub type Probe = fn(&mut Trainer) -> Result<Vec<f64>>;

/// A run to make: `otlab train` arguments, and a probe read from the trained model.
#[derive(Clone)]
pub struct RunSpec {
    /// Method.
    pub method: &'static str,
    /// Pair or generative target.
    pub pair: &'static str,
    /// Seed.
    pub seed: u64,
    /// Steps.
    pub steps: usize,
    /// Other keys (`--set key=value`).
    pub sets: Vec<(&'static str, String)>,
    /// Reads extra numbers off the trained run.
    pub probe: Option<Probe>,
}

/// A finished run.
#[derive(Debug, Clone)]
pub struct Run {
    /// The metrics at the last step.
    pub last: Eval,
    /// Extremes over the run.
    pub extremes: Extremes,
    /// The learned map (or decoder) on the held-out source.
    pub mapped: Points,
    /// What the probe read.
    pub probe: Vec<f64>,
    /// W2² between two held-out prior samples (generative mode).
    pub latent_floor: Option<f64>,
}

impl RunSpec {
    /// A run of `method` on `pair` with `seed` for `steps` steps.
    pub fn new(method: &'static str, pair: &'static str, seed: u64, steps: usize) -> RunSpec {
        RunSpec { method, pair, seed, steps, sets: Vec::new(), probe: None }
    }

    /// Also set `key` to `value`.
    pub fn set(mut self, key: &'static str, value: impl ToString) -> RunSpec {
        self.sets.push((key, value.to_string()));
        self
    }

    /// W2GAN with the paper's generator step (one gradient step on E φ(G(x)), `gen_fit=0`) at the
    /// lab's former defaults: generator lr 1e-4 halving every 600 steps.
    pub fn paper_step(self) -> RunSpec {
        self.set("gen_fit", 0).set("gen_lr", 1e-4).set("gen_halflife", 600)
    }

    /// Read `probe` off the trained run.
    pub fn probe(mut self, probe: Probe) -> RunSpec {
        self.probe = Some(probe);
        self
    }

    /// The command line that makes this run.
    pub fn command(&self) -> String {
        let sets: String = self.sets.iter().map(|(k, v)| format!(" --set {k}={v}")).collect();
        format!(
            "otlab train --method {} --pair {} --seed {} --steps {}{sets} --json",
            self.method, self.pair, self.seed, self.steps
        )
    }

    fn run(&self) -> Result<Run> {
        let mut cfg = registry::config(self.method)?;
        cfg.set("pair", self.pair)?;
        cfg.set("seed", &self.seed.to_string())?;
        cfg.set("steps", &self.steps.to_string())?;
        for (k, v) in &self.sets {
            cfg.set(k, v)?;
        }
        let mut t = Trainer::new(cfg)?;
        t.run(self.steps)?;
        if t.last_eval().map(|e| e.step) != Some(t.steps()) {
            t.evaluate()?;
        }
        let last = *t.last_eval().ok_or_else(|| Error::config("steps", "no evaluation"))?;
        let x = t.eval_source().clone();
        let mapped = t.model().apply(&x);
        let probe = match self.probe {
            Some(p) => p(&mut t)?,
            None => Vec::new(),
        };
        Ok(Run { last, extremes: t.extremes, mapped, probe, latent_floor: t.eval_set().latent_floor })
    }
}

/// Make every run, as many at once as the machine has cores; results in the order given. The
/// first failure is returned with the command that failed.
pub fn run_all(specs: &[RunSpec]) -> Result<Vec<Run>> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(specs.len()).max(1);
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Result<Run>>>> = Mutex::new(vec![None; specs.len()].into_iter().collect());
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(spec) = specs.get(i) else { break };
                    let out =
                        spec.run().map_err(|e| Error::config("claims", format!("{}: {e}", spec.command())));
                    if let Ok(mut r) = results.lock() {
                        r[i] = Some(out);
                    }
                }
            });
        }
    });
    let results = results.into_inner().map_err(|_| Error::config("claims", "a run panicked"))?;
    results
        .into_iter()
        .map(|r| r.unwrap_or_else(|| Err(Error::config("claims", "a run did not finish"))))
        .collect()
}
