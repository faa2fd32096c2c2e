use otlab::autodiff::{Mat, Tape};
use otlab::nn::{Mlp, Mode};
fn main() {
    let mut r = otlab::rng::seeded(1);
    let x = Mat::from_fn(512, 2, |_, _| otlab::rng::normal(&mut r));
    let mut g = Mlp::new(otlab::bench::generator_spec(128), &mut r).unwrap();
    let mut tape = Tape::new();
    for _ in 0..600 {
        tape.reset();
        let p = g.params.bind(&tape);
        let loss = g.forward(&p, tape.leaf(&x), Mode::Train).square().mean();
        let gr = tape.grad(loss, &p);
        std::hint::black_box(gr[0].scalar());
    }
}
