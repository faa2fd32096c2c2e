//! Benchmarks that run the same way natively and in the browser and report plain records (JSON).

mod nn;
mod ot;
mod train;

pub use nn::{
    MatmulRate, MatmulShape, NnCase, critic_spec, generator_spec, layer_shapes, matmul_gflops, matmul_shapes,
    nn_bench, raw_matmul_gflops,
};
pub use ot::{OT_CASES, OtCase, ot_bench, ot_problem};
pub use train::{TrainCase, train_bench, train_cases};
