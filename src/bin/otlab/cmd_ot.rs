//! `otlab ot`: exact or entropic OT between two CSV point clouds.

use clap::{Args, ValueEnum};
use otlab::clock::timed;
use otlab::data::parse_csv;
use otlab::ot::{Sinkhorn, assignment};
use otlab::{Error, Result};
use serde_json::json;

/// Arguments of `otlab ot`.
#[derive(Args)]
pub struct OtArgs {
    /// Source points, one `x,y` per line.
    #[arg(long)]
    x: String,
    /// Target points, one `x,y` per line.
    #[arg(long)]
    y: String,
    /// Exact assignment or entropic Sinkhorn.
    #[arg(long, value_enum, default_value_t = Solver::Exact)]
    solver: Solver,
    /// Entropic ε for Sinkhorn (cost units, C = ‖x − y‖²).
    #[arg(long, default_value_t = 0.01)]
    eps: f64,
    /// Print one JSON object.
    #[arg(long)]
    json: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum Solver {
    Exact,
    Sinkhorn,
}

/// Read a CSV file; errors name the file and line.
pub fn read_points(path: &str) -> Result<otlab::data::Points> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::Io(format!("{path}: {e}")))?;
    parse_csv(&text).map_err(|e| match e {
        Error::Data { line, msg } => Error::Data { line, msg: format!("{path}: {msg}") },
        other => other,
    })
}

/// Solve and print.
pub fn run(a: OtArgs) -> Result<()> {
    let x = read_points(&a.x)?;
    let y = read_points(&a.y)?;
    let out = match a.solver {
        Solver::Exact => {
            let (res, secs) = timed(|| assignment(&x, &y));
            let res = res?;
            json!({"n": x.nrows(), "w2sq": res.w2sq, "solver": "exact", "seconds": secs, "perm": res.perm})
        }
        Solver::Sinkhorn => {
            let s = Sinkhorn { eps: a.eps, ..Default::default() };
            let (res, secs) = timed(|| s.solve(&x, &y));
            let res = res?;
            json!({"n": x.nrows(), "w2sq": res.cost, "solver": "sinkhorn", "seconds": secs, "eps": a.eps,
                   "iterations": res.iters, "converged": res.converged, "marginal_error": res.err})
        }
    };
    if a.json {
        println!("{out}");
    } else {
        println!(
            "{} solver, n = {}: W2² = {:.6} in {:.4} s",
            out["solver"].as_str().unwrap_or(""),
            out["n"],
            out["w2sq"].as_f64().unwrap_or(f64::NAN),
            out["seconds"].as_f64().unwrap_or(f64::NAN)
        );
    }
    Ok(())
}
