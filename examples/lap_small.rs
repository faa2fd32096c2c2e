use otlab::data::{Pair, Side};
use otlab::rng::seeded;
fn main() {
    let n: usize = std::env::args().nth(1).map(|s| s.parse().unwrap()).unwrap_or(256);
    let reps: usize = std::env::args().nth(2).map(|s| s.parse().unwrap()).unwrap_or(20);
    for name in ["gaussians4", "checkerboard", "spirals", "gauss2gauss"] {
        let p = Pair::named(name).unwrap();
        let mut r = seeded(0);
        let x = p.sample(Side::X, n, &mut r);
        let y = p.sample(Side::Y, n, &mut r);
        let t = std::time::Instant::now();
        let mut w = 0.0;
        for _ in 0..reps {
            w += otlab::ot::assignment(&x, &y).unwrap().w2sq;
        }
        println!("{name} n={n} {:.5}s/solve ({w:.3})", t.elapsed().as_secs_f64() / reps as f64);
    }
}
