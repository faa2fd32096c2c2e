use otlab::bench::ot_problem;
use otlab::ot::assignment;
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (x, y) = ot_problem(&args[1], args[2].parse().unwrap()).unwrap();
    let reps: usize = args[3].parse().unwrap();
    let t = std::time::Instant::now();
    for _ in 0..reps {
        std::hint::black_box(assignment(&x, &y).unwrap());
    }
    println!("{:?} per solve", t.elapsed() / reps as u32);
}
