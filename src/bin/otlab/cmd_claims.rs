//! `otlab claims`: every claim the lab shows, measured, with its verdict and a command.

use clap::Args;
use otlab::Result;
use otlab::claims::{Budget, claims};
use otlab::method::Family;
use serde_json::json;

/// Arguments of `otlab claims`.
#[derive(Args)]
pub struct ClaimsArgs {
    /// Shorter runs with one seed (fits in CI).
    #[arg(long)]
    quick: bool,
    /// Print one JSON object.
    #[arg(long)]
    json: bool,
    /// Only the claims of one method family (dual or primal).
    #[arg(long, value_parser = ["dual", "primal"])]
    family: Option<String>,
}

/// Measure and print.
pub fn run(a: ClaimsArgs) -> Result<()> {
    let budget = if a.quick { Budget::QUICK } else { Budget::FULL };
    let family = [Family::Dual, Family::Primal].into_iter().find(|f| a.family.as_deref() == Some(f.name()));
    let rows = claims(budget, family)?;
    if a.json {
        println!("{}", json!({ "quick": a.quick, "family": a.family, "claims": rows }));
    } else {
        for r in &rows {
            println!(
                "{} — {}\n  {}: {}\n  measure: {}\n  source: {}\n  reproduce: {}\n",
                r.verdict.text(),
                r.claim,
                r.verdict.text(),
                r.value,
                r.measure,
                r.source,
                r.command
            );
        }
    }
    Ok(())
}
