use otlab::bench::ot_problem;
use otlab::ot::assignment;
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let case = &args[1];
    let n: usize = args[2].parse().unwrap();
    let reps: usize = args.get(3).map_or(1, |r| r.parse().unwrap());
    let (x, y) = ot_problem(case, n).unwrap();
    let mut best = std::time::Duration::MAX;
    let mut a = None;
    for _ in 0..reps {
        let t = std::time::Instant::now();
        a = Some(assignment(&x, &y).unwrap());
        best = best.min(t.elapsed());
    }
    let a = a.unwrap();
    println!("{case} {n}: {:?} work/pt {:.1} w2 {:.6}", best, a.work as f64 / n as f64, a.w2sq);
}
