//! Benchmarks that run the same way natively and in the browser and report plain records (JSON).

mod ot;

pub use ot::{OtCase, ot_bench, ot_problem};
