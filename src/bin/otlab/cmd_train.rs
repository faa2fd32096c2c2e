//! `otlab train`: train a method on a pair and print its final metrics (and optionally frames).

use crate::frames::Frames;
use clap::Args;
use otlab::method::Config;
use otlab::method::keys::STEPS;
use otlab::train::{Phase, Trainer};
use otlab::{Error, Result, registry};
use serde_json::json;

/// Arguments of `otlab train`.
#[derive(Args)]
pub struct TrainArgs {
    /// Method (gan, wgan, wgan-gp, wgan-lp, w2gan, w2ot, barycentric, icnn, semidual, mke, vae, wae-gan, wae-mmd, wvae).
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
    let mut cfg = registry::config(&a.method)?;
    if let Some(name) = &a.preset {
        let (m, p) = registry::preset(name)?;
        if m.name != a.method {
            return Err(Error::config(
                "preset",
                format!("preset `{name}` is for {}, not {}", m.name, a.method),
            ));
        }
        cfg.merge_query(p.query)?;
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
    let steps = cfg.get(STEPS);
    let mut t = Trainer::new(cfg)?;
    let frames = a.out.as_deref().map(Frames::new).transpose()?;
    let mut shown = None;
    loop {
        if let Some(e) = t.last_eval().copied().filter(|e| Some(e.step) != shown) {
            if a.log {
                eprintln!("{}", serde_json::to_string(&e).unwrap_or_default());
            }
            if let Some(f) = &frames {
                f.step(&mut t)?;
            }
            shown = Some(e.step);
        }
        if t.steps() >= steps {
            break;
        }
        t.step(Phase::Both)?;
    }
    if t.last_eval().map(|e| e.step) != Some(t.steps()) {
        t.evaluate()?;
    }
    if let Some(f) = &frames {
        f.finish(&mut t)?;
    }
    let last = *t.last_eval().ok_or_else(|| Error::config("steps", "no evaluation was made"))?;
    let max_geo = t.extremes.max_geo_dev;
    let out = json!({
        "method": t.cfg.method().name, "pair": t.pair.name, "steps": t.steps(),
        "w2sq": last.w2sq, "map_err": last.map_err, "geo_dev": last.geo_dev,
        "seconds": t.seconds, "steps_per_s": t.steps() as f64 / t.seconds.max(1e-9),
        "max_geo_dev": max_geo, "baseline_w2sq": t.baseline_w2sq(), "l2_uvp": last.l2_uvp,
        "best_map_err": t.extremes.best_map_err, "w2_floor": t.eval_set().floor,
        "w2_over_floor": last.w2_over_floor, "latent_w2sq": last.latent_w2sq,
        "latent_floor": t.eval_set().latent_floor, "map_err_floor": t.eval_set().map_err_floor(),
        "geo_dev_floor": t.eval_set().geo_dev_floor(), "off_mode": last.off_mode, "cell_mass": last.cell_mass,
        "off_mode_y": t.eval_set().off_mode_y, "config": t.cfg.to_query(), "evals": t.evals.items(),
    });
    if a.json {
        println!("{out}");
    } else {
        println!(
            "{} on {}: {} steps in {:.1} s; W2² {:.4} ({:.1}× the two-sample floor; identity {}), MapErr {} (floor {}), GeoDev {} (max {}, floor {}), L2-UVP {} %, latent W2² {} (floor {})",
            t.cfg.method().name,
            t.pair.name,
            t.steps(),
            t.seconds,
            last.w2sq,
            last.w2_over_floor,
            fmt(t.baseline_w2sq()),
            fmt(last.map_err),
            fmt(t.eval_set().map_err_floor()),
            fmt(last.geo_dev),
            fmt(max_geo),
            fmt(t.eval_set().geo_dev_floor()),
            fmt(last.l2_uvp),
            fmt(last.latent_w2sq),
            fmt(t.eval_set().latent_floor)
        );
    }
    Ok(())
}

fn fmt(v: Option<f64>) -> String {
    v.map_or("n/a".into(), |v| format!("{v:.4}"))
}
