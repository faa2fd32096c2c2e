//! `otlab teach`: the primal family's teaching numbers — VAE blur versus WAE on 8-Gaussians, and
//! dual estimate ≤ exact W2² ≤ primal objective on one trained autoencoder.

use clap::Args;
use otlab::Result;
use otlab::train::teach::{blur, sandwich, trained};
use serde_json::json;

/// Arguments of `otlab teach`.
#[derive(Args)]
pub struct TeachArgs {
    /// Training steps per autoencoder.
    #[arg(long, default_value_t = 2000)]
    steps: usize,
    /// Steps of the W2-OT critic that gives the dual estimate.
    #[arg(long, default_value_t = 2000)]
    critic_steps: usize,
    /// Random seed.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Print one JSON object.
    #[arg(long)]
    json: bool,
}

/// Measure and print.
pub fn run(a: TeachArgs) -> Result<()> {
    let b = blur(&["vae", "wae-mmd", "wae-gan", "wvae"], a.steps, a.seed)?;
    let mut t = trained("wae-mmd", a.steps, a.seed)?;
    let s = sandwich(&mut t, a.critic_steps)?;
    if a.json {
        let coverage: Vec<_> =
            b.methods.iter().map(|(m, f, w)| json!({"method": m, "on_mode": f, "w2sq": w})).collect();
        println!(
            "{}",
            json!({ "pair": "gaussians8", "steps": a.steps, "coverage": coverage, "sandwich": s })
        );
    } else {
        for (m, f, w) in &b.methods {
            println!("{m:8} {:5.1}% of decoded samples within 3 std of a mode; W2² to Y {w:.4}", 100.0 * f);
        }
        println!("WAE-MMD: dual {:.4} ≤ exact W2² {:.4} ≤ primal {:.4}", s.dual, s.exact, s.primal);
    }
    Ok(())
}
