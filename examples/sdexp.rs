use otlab::data::{Pair, Points, Side};
use otlab::ot::{SemiDiscrete, SemiDiscreteConfig, assignment, map_err, matched_targets};
use otlab::rng;
fn masses(sd: &SemiDiscrete, x: &Points, m: usize) -> (f64, f64) {
    let c = sd.assign(x);
    let mut k = vec![0usize; m];
    for j in c {
        k[j] += 1;
    }
    let r: Vec<f64> = k.iter().map(|&v| v as f64 * m as f64 / x.nrows() as f64).collect();
    (r.iter().cloned().fold(f64::INFINITY, f64::min), r.iter().cloned().fold(0.0, f64::max))
}
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let pair = Pair::named(&args[1]).unwrap();
    let lr: f64 = args[2].parse().unwrap();
    let batch: usize = args[3].parse().unwrap();
    let steps: usize = args[4].parse().unwrap();
    let m = 64;
    let y = pair.sample(Side::Y, m, &mut rng::stream(0, 4));
    let big = pair.sample(Side::X, 65536, &mut rng::stream(0, 9));
    let (ex, ey) = (
        pair.sample(Side::X, 2048, &mut rng::stream(0, 5)),
        pair.sample(Side::Y, 2048, &mut rng::stream(0, 6)),
    );
    let plan = assignment(&ex, &ey).unwrap();
    let matched = matched_targets(&ey, &plan.perm);
    let exact =
        SemiDiscrete::exact(y.clone(), &pair.sample(Side::X, 64 * 128, &mut rng::stream(0, 10))).unwrap();
    println!(
        "exact: MapErr {:.4} masses {:?}",
        map_err(&ex, &exact.map(&ex), &matched),
        masses(&exact, &big, m)
    );
    let mut sd = SemiDiscrete::new(y).unwrap();
    let cfg = SemiDiscreteConfig { eps: 0.0, lr, batch };
    let mut r = rng::stream(0, 1);
    for k in 1..=steps {
        sd.step(&pair.sample(Side::X, batch, &mut r), &cfg);
        if k % (steps / 4) == 0 {
            println!(
                "step {k}: MapErr {:.4} masses {:?}",
                map_err(&ex, &sd.map(&ex), &matched),
                masses(&sd, &big, m)
            );
        }
    }
}
