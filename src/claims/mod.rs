//! The claims the lab shows, measured: each a row with the claim, its source, what is measured,
//! the number, the verdict (reproduced / partly / not reproduced) and the command that reproduces
//! it. A claim that does not reproduce is reported as such, with its number. `otlab claims` prints
//! them; `--quick` runs shorter budgets with one seed (for CI).

mod dual;
mod primal;
mod runs;

pub use primal::mode_distances;
pub use runs::{Run, RunSpec, run_all};

use crate::error::Result;
use crate::method::Family;
use serde::Serialize;

/// How much to train: the full budgets of the issues, or a quick check that fits in CI.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Budget {
    /// Seeds per setting.
    pub seeds: u64,
    /// Multiplier on the step counts of the full run.
    pub steps: f64,
    /// Held-out samples per side for the metrics.
    pub eval_n: usize,
}

impl Budget {
    /// The full run: seeds 0–2, full step counts, 2048 held-out samples.
    pub const FULL: Budget = Budget { seeds: 3, steps: 1.0, eval_n: 2048 };
    /// The quick run: seed 0, a twentieth of the steps, 512 held-out samples (a smoke test of
    /// every claim's pipeline: its verdicts are not the full run's).
    pub const QUICK: Budget = Budget { seeds: 1, steps: 0.05, eval_n: 512 };

    /// `full` steps scaled to this budget (at least 50).
    pub fn steps(&self, full: usize) -> usize {
        ((full as f64 * self.steps) as usize).max(50)
    }
}

/// Whether a claim reproduced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The measurement supports the claim everywhere it was tested.
    Reproduced,
    /// It holds in some of the settings tested.
    Partly,
    /// It does not hold.
    NotReproduced,
}

impl Verdict {
    /// From how many of the tested settings support the claim.
    pub fn of(held: usize, tested: usize) -> Verdict {
        match held {
            0 => Verdict::NotReproduced,
            h if h == tested => Verdict::Reproduced,
            _ => Verdict::Partly,
        }
    }

    /// As printed.
    pub fn text(self) -> &'static str {
        match self {
            Verdict::Reproduced => "reproduced",
            Verdict::Partly => "partly",
            Verdict::NotReproduced => "not reproduced",
        }
    }
}

/// One measured claim.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// The claim, in one line.
    pub claim: String,
    /// Where it is made.
    pub source: String,
    /// What is measured and the threshold for the verdict.
    pub measure: String,
    /// The numbers, in short.
    pub value: String,
    /// Reproduced, partly, or not.
    pub verdict: Verdict,
    /// A command that reproduces one of its runs.
    pub command: String,
}

/// Measure every claim with `budget`, or only those of one method `family`.
pub fn claims(budget: Budget, family: Option<Family>) -> Result<Vec<Row>> {
    let mut rows = Vec::new();
    if family != Some(Family::Primal) {
        rows.extend(dual::claims(budget)?);
    }
    if family != Some(Family::Dual) {
        rows.extend(primal::claims(budget)?);
    }
    Ok(rows)
}

/// Numbers as "a / b / c" with 3 decimals; a number a run did not reach (NaN) as "–".
pub(crate) fn list(values: &[f64]) -> String {
    let one = |v: &f64| if v.is_nan() { "–".into() } else { format!("{v:.3}") };
    values.iter().map(one).collect::<Vec<_>>().join(" / ")
}
