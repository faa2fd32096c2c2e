//! Training throughput: generator steps per second and time to reach a MapErr, for a config given
//! as a URL query (the lab default or the paper preset), the same natively and in the browser.

use crate::error::Result;
use crate::registry;
use crate::train::{Phase, Trainer};
use serde::Serialize;

/// The training cases of `otlab bench`: (name, config query, share of the time budget) — the
/// lab default on checkerboard and spirals, and the paper preset (throughput only).
pub fn train_cases() -> Vec<(String, String, f64)> {
    // the W2GAN authors' 2-D networks: batch 512, width 128, critics 2 deep, generator 4 deep
    const AUTHORS: &str =
        "pair=checkerboard&batch=512&critic_width=128&critic_depth=2&gen_width=128&gen_depth=4&n_critic=5";
    let paper = registry::preset("w2gan-paper").map_or("", |(_, p)| p.query);
    // the lab defaults spend their first 2000 updates on the critic alone; the fast preset has the
    // same networks and step without that warm-up, so its steps/s is the throughput
    let fast = registry::preset("w2gan-fast").map_or("", |(_, p)| p.query);
    vec![
        ("w2gan-fast, checkerboard".into(), format!("method=w2gan&{fast}&pair=checkerboard"), 1.0),
        ("w2gan-fast, spirals".into(), format!("method=w2gan&{fast}&pair=spirals"), 1.0),
        ("w2gan paper preset, checkerboard".into(), format!("method=w2gan&{paper}&pair=checkerboard"), 0.34),
        ("icnn, gaussians4".into(), "method=icnn&pair=gaussians4".into(), 1.0),
        ("icnn, checkerboard".into(), "method=icnn&pair=checkerboard".into(), 1.0),
        (
            "w2gan, the authors' networks".into(),
            format!("method=w2gan&{AUTHORS}&critic_warmup=0&gen_fit=0&gen_halflife=0"),
            0.34,
        ),
        ("wgan-gp lab default, gaussians4".into(), "method=wgan-gp&pair=gaussians4".into(), 0.34),
        ("wgan-gp, the authors' networks".into(), format!("method=wgan-gp&{AUTHORS}"), 0.34),
        ("vae lab default, gaussians8".into(), "method=vae&pair=gaussians8".into(), 0.34),
    ]
}

/// One measured training run.
#[derive(Debug, Clone, Serialize)]
pub struct TrainCase {
    /// The configuration as a URL query.
    pub config: String,
    /// Generator steps done within the budget.
    pub steps: usize,
    /// Seconds spent in training steps (evaluations excluded).
    pub seconds: f64,
    /// Generator steps per second.
    pub steps_per_s: f64,
    /// The MapErr aimed at.
    pub target_map_err: f64,
    /// Training seconds until the first evaluation with MapErr ≤ target (None if never).
    pub seconds_to_target: Option<f64>,
    /// The lowest MapErr seen and the largest GeoDev over the run.
    pub best_map_err: Option<f64>,
    /// The largest GeoDev over the run.
    pub max_geo_dev: Option<f64>,
}

/// Train `query` for at most `budget` training seconds (stopping early at the target when
/// `stop_at_target`), evaluating every 50 steps.
pub fn train_bench(query: &str, budget: f64, target: f64, stop_at_target: bool) -> Result<TrainCase> {
    let mut cfg = registry::parse(query)?;
    cfg.set("eval_every", "50")?;
    let mut t = Trainer::new(cfg)?;
    let mut reached = None;
    while t.seconds < budget {
        t.step(Phase::Both)?;
        let last = t.last_eval().copied();
        if let (None, Some(e)) = (reached, last)
            && e.step == t.steps()
            && e.map_err.is_some_and(|m| m <= target)
        {
            reached = Some(t.seconds);
            if stop_at_target {
                break;
            }
        }
    }
    Ok(TrainCase {
        config: t.cfg.to_query(),
        steps: t.steps(),
        seconds: t.seconds,
        steps_per_s: t.steps() as f64 / t.seconds.max(1e-9),
        target_map_err: target,
        seconds_to_target: reached,
        best_map_err: t.extremes.best_map_err,
        max_geo_dev: t.extremes.max_geo_dev,
    })
}
