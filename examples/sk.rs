use otlab::data::{Pair, Side};
use otlab::ot::Sinkhorn;
fn main() {
    let p = Pair::named("spirals").unwrap();
    let mut r = otlab::rng::seeded(7);
    let x = p.sample(Side::X, 64, &mut r);
    let y = p.sample(Side::Y, 64, &mut r);
    for eps in [1e-1, 1e-2, 1e-3] {
        let t = std::time::Instant::now();
        let out = Sinkhorn { eps, tol: 1e-6, max_iters: 50_000 }.solve(&x, &y).unwrap();
        println!(
            "eps {eps} iters {} conv {} err {:.2e} cost {:.5} {:.3}s",
            out.iters,
            out.converged,
            out.err,
            out.cost,
            t.elapsed().as_secs_f64()
        );
    }
}
