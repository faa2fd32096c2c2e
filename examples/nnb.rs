fn main() {
    let (raw, cases) = otlab::bench::nn_bench(512, 128, 2.0).unwrap();
    println!("raw {raw:.1} GFLOP/s");
    for c in cases {
        println!(
            "{:<55} {:>8.1} steps/s {:>6.1} GFLOP/s {:>5.0}%",
            c.name,
            c.steps_per_s,
            c.gflops,
            100.0 * c.fraction_of_raw
        );
    }
}
