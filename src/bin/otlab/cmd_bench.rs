//! `otlab bench`: throughput figures, with POT's network simplex run on the same instances.

use clap::Args;
use otlab::bench::{
    OT_CASES, OtCase, matmul_shapes, nn_bench, ot_bench, ot_problem, train_bench, train_cases,
};
use otlab::data::to_csv;
use otlab::{Error, Result};
use serde_json::{Value, json};
use std::process::Command;

/// Arguments of `otlab bench`.
#[derive(Args)]
pub struct BenchArgs {
    /// Print one JSON object.
    #[arg(long)]
    json: bool,
    /// Point counts for the assignment benchmark.
    #[arg(long, value_delimiter = ',', default_values_t = vec![256usize, 1024, 4096, 8192, 16384])]
    sizes: Vec<usize>,
    /// Cases of the assignment benchmark (default: all).
    #[arg(long, value_delimiter = ',')]
    cases: Vec<String>,
    /// Largest n at which POT is run (its dense cost matrix needs 8·n² bytes).
    #[arg(long, default_value_t = 16384)]
    pot_max: usize,
    /// Sizes timed without a baseline to show scaling past a dense cost matrix (0 skips).
    #[arg(long, value_delimiter = ',', default_values_t = vec![65536usize])]
    scale: Vec<usize>,
    /// Python script timing POT on the same instances (skipped if python3 or POT is missing).
    #[arg(long, default_value = "tools/bench_pot.py")]
    pot: String,
    /// Skip the network benchmarks.
    #[arg(long)]
    ot_only: bool,
    /// Training-second budget of each training case (0 skips them).
    #[arg(long, default_value_t = 60.0)]
    train_seconds: f64,
}

/// Run the benchmarks and print them.
pub fn run(a: BenchArgs) -> Result<()> {
    let cases: Vec<&str> =
        if a.cases.is_empty() { OT_CASES.to_vec() } else { a.cases.iter().map(String::as_str).collect() };
    let mut ours = Vec::new();
    for &n in &a.sizes {
        ours.extend(ot_bench(&cases, &[n], if n <= 4096 { 3 } else { 1 })?);
    }
    let pot_sizes: Vec<usize> = a.sizes.iter().copied().filter(|&n| n <= a.pot_max).collect();
    let (pot, note) = match pot_baseline(&a.pot, &cases, &pot_sizes) {
        Ok(v) => (v, None),
        Err(e) => (Vec::new(), Some(e.to_string())),
    };
    let rows: Vec<Value> = ours.iter().map(|c| merge(c, &pot)).collect();
    let scale: Vec<OtCase> =
        if a.scale.iter().any(|&n| n > 0) { ot_bench(&cases, &a.scale, 1)? } else { Vec::new() };
    let (raw, nets) = if a.ot_only { (f64::NAN, Vec::new()) } else { nn_bench(512, 128, 2.0)? };
    let shapes = if a.ot_only { Vec::new() } else { matmul_shapes(0.5) };
    let mut training = Vec::new();
    if a.train_seconds > 0.0 && !a.ot_only {
        for (name, query, share) in train_cases() {
            training.push(
                json!({"name": name, "case": train_bench(&query, a.train_seconds * share, 0.05, false)?}),
            );
        }
    }
    let out = json!({
        "training": training,
        "ot_assignment": rows,
        "ot_scale": scale,
        "sampling": "i.i.d. (fixed seed), see otlab::bench::ot_problem",
        "networks": {"batch": 512, "width": 128, "raw_matmul_gflops": raw, "cases": nets, "matmul_shapes": shapes},
        "baseline": "POT ot.emd2 (network simplex) on the same points, cost matrix included",
        "baseline_error": note,
    });
    if a.json {
        println!("{out}");
    } else {
        println!(
            "{:<14} {:>6} {:>10} {:>10} {:>8} {:>8}",
            "case", "n", "otlab s", "POT s", "speedup", "work/pt"
        );
        for r in &rows {
            println!(
                "{:<14} {:>6} {:>10.4} {:>10.4} {:>8.1} {:>8.1}",
                r["case"].as_str().unwrap_or(""),
                r["n"],
                r["seconds"].as_f64().unwrap_or(f64::NAN),
                r["pot_seconds"].as_f64().unwrap_or(f64::NAN),
                r["speedup"].as_f64().unwrap_or(f64::NAN),
                r["work_per_point"].as_f64().unwrap_or(f64::NAN)
            );
        }
        for c in &scale {
            println!(
                "{:<14} {:>6} {:>10.3} (no baseline: a dense cost matrix would need {:.0} GiB)",
                c.case,
                c.n,
                c.seconds,
                8.0 * (c.n * c.n) as f64 / (1u64 << 30) as f64
            );
        }
        println!("\nraw matmul 512×128·128×128: {raw:.1} GFLOP/s");
        for r in &shapes {
            let (s, t) = (r.shape, |on: bool| if on { "ᵀ" } else { "" });
            println!("  {}×{}{} · {}×{}{}: {:.1} GFLOP/s", s.m, s.k, t(s.ta), s.k, s.n, t(s.tb), r.gflops);
        }
        for c in &nets {
            println!(
                "{:<52} {:>8.1} steps/s {:>6.1} GFLOP/s {:>4.0}% of raw",
                c.name,
                c.steps_per_s,
                c.gflops,
                100.0 * c.fraction_of_raw
            );
        }
    }
    Ok(())
}

fn merge(c: &OtCase, pot: &[Value]) -> Value {
    let base = pot.iter().find(|p| p["pair"] == c.case.as_str() && p["n"] == c.n);
    let pot_s = base.and_then(|b| b["seconds"].as_f64());
    let pot_w = base.and_then(|b| b["w2sq"].as_f64());
    json!({
        "case": c.case, "n": c.n, "seconds": c.seconds, "w2sq": c.w2sq, "work_per_point": c.work_per_point,
        "pot_seconds": pot_s, "pot_w2sq": pot_w,
        "w2sq_rel_diff": pot_w.map(|p| (p - c.w2sq).abs() / p.abs().max(f64::MIN_POSITIVE)),
        "speedup": pot_s.map(|p| p / c.seconds),
    })
}

/// Write every instance as CSV and let the POT script time them.
fn pot_baseline(script: &str, cases: &[&str], sizes: &[usize]) -> Result<Vec<Value>> {
    if !std::path::Path::new(script).exists() {
        return Err(Error::Io(format!("{script} not found (run from the repository root)")));
    }
    let dir = std::env::temp_dir().join(format!("otlab-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    for &pair in cases {
        for &n in sizes {
            let (x, y) = ot_problem(pair, n)?;
            std::fs::write(dir.join(format!("{pair}-{n}-x.csv")), to_csv(&x))?;
            std::fs::write(dir.join(format!("{pair}-{n}-y.csv")), to_csv(&y))?;
        }
    }
    let out = Command::new("python3").arg(script).arg(&dir).output()?;
    let _ = std::fs::remove_dir_all(&dir);
    if !out.status.success() {
        return Err(Error::Io(format!("{script}: {}", String::from_utf8_lossy(&out.stderr).trim())));
    }
    serde_json::from_slice::<Vec<Value>>(&out.stdout).map_err(|e| Error::Io(format!("{script} output: {e}")))
}
