//! `otlab train`: train a method on a pair and print its final metrics (and optionally frames).

use crate::frames::Frames;
use clap::Args;
use otlab::train::{Config, Trainer};
use otlab::{Error, Result};
use serde_json::json;

/// Arguments of `otlab train`.
#[derive(Args)]
pub struct TrainArgs {
    /// Method (gan, wgan, wgan-gp, wgan-lp, w2gan, w2ot, barycentric, semidual, mke, vae, wae-gan, wae-mmd, wvae).
    #[arg(long)]
    method: String,
    /// Dataset pair.
    #[arg(long)]
    pair: String,
    /// Generator steps (default: the config's `steps`).
    #[arg(long)]
    steps: Option<usize>,
    /// Random seed.
    #[arg(long)]
    seed: Option<u64>,
    /// A named preset applied before --set (e.g. w2gan-paper).
    #[arg(long)]
    preset: Option<String>,
    /// Override a config key: --set key=value (repeatable).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    sets: Vec<String>,
    /// Print one JSON object.
    #[arg(long)]
    json: bool,
    /// Print every evaluation to stderr while training.
    #[arg(long)]
    log: bool,
    /// Write SVG frames here: one per evaluation and the final figures.
    #[arg(long)]
    out: Option<String>,
}

/// Build the config from the arguments: method defaults, preset, then --pair/--seed/--set.
fn config(a: &TrainArgs) -> Result<Config> {
    let mut cfg = Config::new(&a.method)?;
    if let Some(p) = &a.preset {
        let (_, _, q) = otlab::models::catalog::PRESETS
            .iter()
            .find(|(n, _, _)| n == p)
            .ok_or_else(|| Error::config("preset", format!("unknown preset `{p}`")))?;
        cfg.merge_query(q)?;
    }
    cfg.set("pair", &a.pair)?;
    if let Some(s) = a.seed {
        cfg.set("seed", &s.to_string())?;
    }
    if let Some(s) = a.steps {
        cfg.set("steps", &s.to_string())?;
    }
    for kv in &a.sets {
        let (k, v) =
            kv.split_once('=').ok_or_else(|| Error::config(kv.as_str(), "expected --set key=value"))?;
        cfg.set(k, v)?;
    }
    Ok(cfg)
}

/// Train and print.
pub fn run(a: TrainArgs) -> Result<()> {
    let cfg = config(&a)?;
    let steps = cfg.int("steps");
    let mut t = Trainer::new(cfg)?;
    let frames = a.out.as_deref().map(Frames::new).transpose()?;
    let mut shown = 0;
    loop {
        if t.evals.len() > shown {
            let e = t.evals[t.evals.len() - 1];
            if a.log {
                eprintln!("{}", serde_json::to_string(&e).unwrap_or_default());
            }
            if let Some(f) = &frames {
                f.step(&mut t)?;
            }
            shown = t.evals.len();
        }
        if t.steps() >= steps {
            break;
        }
        t.step(otlab::models::Phase::Both)?;
    }
    if t.evals.last().map(|e| e.step) != Some(t.steps()) {
        t.evaluate()?;
    }
    if let Some(f) = &frames {
        f.finish(&mut t)?;
    }
    let last = t.evals[t.evals.len() - 1];
    let max_geo = t
        .evals
        .iter()
        .filter_map(|e| e.geo_dev)
        .fold(None, |m: Option<f64>, g| Some(m.map_or(g, |m| m.max(g))));
    let out = json!({
        "method": t.cfg.method(), "pair": t.cfg.text("pair"), "steps": t.steps(),
        "w2sq": last.w2sq, "map_err": last.map_err, "geo_dev": last.geo_dev,
        "seconds": t.seconds, "steps_per_s": t.steps() as f64 / t.seconds.max(1e-9),
        "max_geo_dev": max_geo, "baseline_w2sq": t.baseline_w2sq(), "l2_uvp": last.l2_uvp,
        "config": t.cfg.to_query(), "evals": t.evals,
    });
    if a.json {
        println!("{out}");
    } else {
        println!(
            "{} on {}: {} steps in {:.1} s; W2² {:.4} (identity {}), MapErr {}, GeoDev {} (max {})",
            t.cfg.method(),
            t.cfg.text("pair"),
            t.steps(),
            t.seconds,
            last.w2sq,
            fmt(t.baseline_w2sq()),
            fmt(last.map_err),
            fmt(last.geo_dev),
            fmt(max_geo)
        );
    }
    Ok(())
}

fn fmt(v: Option<f64>) -> String {
    v.map_or("n/a".into(), |v| format!("{v:.4}"))
}
