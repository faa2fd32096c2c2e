//! nn: batch-norm gradients and statistics, an MLP that learns, optimizers on a convex loss,
//! near-identity residual maps, initialisation statistics, JSON round trips.

use otlab::autodiff::{Mat, Tape, max_grad_error};
use otlab::nn::{Activation, Init, Mlp, MlpSpec, Mode, Optimizer, OptimizerKind, Params};
use otlab::rng::{self, seeded};
use std::cell::RefCell;

fn spec(widths: &[usize], act: Activation, bn: bool, residual: bool, init: Init) -> MlpSpec {
    MlpSpec { widths: widths.to_vec(), activation: act, batch_norm: bn, residual, init, bn_gamma_std: None }
}

fn data(r: &mut rng::Rng, n: usize, d: usize) -> Mat {
    Mat::from_fn(n, d, |_, _| rng::normal(r))
}

#[test]
fn batch_norm_network_gradients_match_finite_differences() {
    let mut r = seeded(1);
    let net = RefCell::new(
        Mlp::new(spec(&[2, 6, 5, 1], Activation::Tanh, true, false, Init::Xavier), &mut r).unwrap(),
    );
    let x = data(&mut r, 8, 2);
    let mut inputs = vec![x];
    inputs.extend(net.borrow().params.tensors.iter().map(|t| t.value.clone()));
    let err = max_grad_error(&inputs, 1e-2, 0.1, |v| {
        let y = net.borrow_mut().forward(&v[1..], v[0], Mode::Train);
        y.square().mean()
    });
    assert!(err < 1e-2, "gradient error through batch norm: {err}");
}

#[test]
fn batch_norm_normalises_in_training_and_tracks_running_statistics() {
    let mut r = seeded(2);
    let mut net = Mlp::new(spec(&[3, 4, 1], Activation::Relu, true, false, Init::Kaiming), &mut r).unwrap();
    let mut tape = Tape::new();
    // feed batches with mean 5 and std 2 in every input
    for _ in 0..200 {
        tape.reset();
        let p = net.params.bind(&tape);
        let x = tape.leaf(&data(&mut r, 64, 3).map(|v| 5.0 + 2.0 * v));
        net.forward(&p, x, Mode::Train);
    }
    // the first layer's pre-activations h = xW + b have mean 5·ΣW + b and variance 4·ΣW²
    let w = &net.params.tensors[0].value;
    let (rm, rv) = &net.running[0];
    for j in 0..4 {
        let mean = 5.0 * w.column(j).sum();
        let var = 4.0 * w.column(j).map(|v| v * v).sum();
        assert!(
            (rm[(0, j)] - mean).abs() < 0.1 * (1.0 + mean.abs()),
            "running mean {j}: {} vs {mean}",
            rm[(0, j)]
        );
        assert!((rv[(0, j)] - var).abs() < 0.15 * var + 0.01, "running var {j}: {} vs {var}", rv[(0, j)]);
    }
    // in eval mode the output no longer depends on the other rows of the batch
    tape.reset();
    let p = net.params.bind(&tape);
    let xb = data(&mut r, 16, 3).map(|v| 5.0 + 2.0 * v);
    let full = net.forward(&p, tape.leaf(&xb), Mode::Eval).to_mat();
    let head = net.forward(&p, tape.leaf(&xb.rows(0, 4).into_owned()), Mode::Eval).to_mat();
    assert!((full.rows(0, 4) - head).abs().max() < 1e-5);
}

#[test]
fn calibrating_batch_norm_makes_evaluation_agree_with_training_after_the_weights_jumped() {
    let mut r = seeded(12);
    let mut net = Mlp::new(spec(&[2, 8, 8, 2], Activation::Relu, true, true, Init::Kaiming), &mut r).unwrap();
    let mut tape = Tape::new();
    let x = data(&mut r, 2048, 2);
    let mut run = |net: &mut Mlp, mode| {
        tape.reset();
        let p = net.params.bind(&tape);
        net.forward(&p, tape.leaf(&x), mode).to_mat()
    };
    run(&mut net, Mode::Calibrate);
    // the first layer's weights grow 5×, its bias shifts: training's output does not change
    // (batch norm divides it out), the running statistics are now stale
    let trained = run(&mut net, Mode::Train);
    net.params.tensors[0].value *= 5.0;
    net.params.tensors[1].value.add_scalar_mut(3.0);
    let stale = run(&mut net, Mode::Eval);
    assert!((&stale - &trained).abs().max() > 1.0, "stale statistics must show");
    let calibrated = run(&mut net, Mode::Calibrate);
    assert!(
        (&calibrated - &trained).abs().max() < 1e-2,
        "training output after the jump: {}",
        (&calibrated - &trained).abs().max()
    );
    let evaluated = run(&mut net, Mode::Eval);
    assert!(
        (&evaluated - &trained).abs().max() < 1e-2,
        "evaluation after calibrating: {}",
        (&evaluated - &trained).abs().max()
    );
}

#[test]
fn an_mlp_learns_a_small_regression() {
    let mut r = seeded(3);
    let mut net =
        Mlp::new(spec(&[1, 32, 32, 1], Activation::Tanh, false, false, Init::Xavier), &mut r).unwrap();
    let mut opt = Optimizer::adam(1e-2, 0.9, 0.999);
    let xs = Mat::from_fn(128, 1, |i, _| -1.0 + 2.0 * i as f32 / 127.0);
    let ys = xs.map(|x| (3.0 * x).sin());
    let mut tape = Tape::new();
    let mse = |net: &mut Mlp, tape: &mut Tape, opt: Option<&mut Optimizer>| -> f32 {
        tape.reset();
        let p = net.params.bind(tape);
        let loss = (net.forward(&p, tape.leaf(&xs), Mode::Train) - tape.leaf(&ys)).square().mean();
        if let Some(opt) = opt {
            let g: Vec<Mat> = tape.grad(loss, &p).iter().map(|g| g.to_mat()).collect();
            opt.step(&mut net.params, &g);
        }
        loss.scalar()
    };
    let start = mse(&mut net, &mut tape, None);
    for _ in 0..1500 {
        mse(&mut net, &mut tape, Some(&mut opt));
    }
    let end = mse(&mut net, &mut tape, None);
    assert!(end < 2e-3 && end < start / 100.0, "MSE {start} → {end}");
}

#[test]
fn every_optimizer_minimises_a_convex_quadratic() {
    // f(θ) = ‖Aθ − b‖² / n with a well-conditioned random A
    let mut r = seeded(4);
    let a = data(&mut r, 20, 5);
    let b = data(&mut r, 20, 1);
    let opt_value = {
        let ata = a.transpose() * &a;
        let theta = ata.cholesky().unwrap().solve(&(a.transpose() * &b));
        (&a * theta - &b).norm_squared() / 20.0
    };
    for (name, kind, lr) in [
        ("sgd", OptimizerKind::Sgd { momentum: 0.9 }, 0.02),
        ("adam", OptimizerKind::Adam { beta1: 0.9, beta2: 0.999, eps: 1e-8 }, 0.05),
        ("rmsprop", OptimizerKind::RmsProp { alpha: 0.99, eps: 1e-8 }, 0.01),
    ] {
        let mut params = Params::default();
        params.push("theta", Mat::zeros(5, 1));
        let mut opt = Optimizer::new(kind, lr);
        let mut tape = Tape::new();
        let mut loss = f32::INFINITY;
        for step in 0..2000 {
            if step == 1000 {
                opt.lr *= 0.1; // learning rates change live, without resetting state
            }
            tape.reset();
            let p = params.bind(&tape);
            let l = (tape.leaf(&a).matmul(p[0]) - tape.leaf(&b)).square().mean();
            let g: Vec<Mat> = tape.grad(l, &p).iter().map(|g| g.to_mat()).collect();
            opt.step(&mut params, &g);
            loss = l.scalar();
        }
        assert!((loss - opt_value).abs() < 1e-3 * (1.0 + opt_value), "{name}: {loss} vs optimum {opt_value}");
    }
}

#[test]
fn residual_map_starts_near_the_identity() {
    let mut r = seeded(5);
    let s = MlpSpec {
        bn_gamma_std: Some(0.01),
        ..spec(&[2, 128, 128, 128, 2], Activation::Relu, true, true, Init::Normal(0.01))
    };
    let mut g = Mlp::new(s, &mut r).unwrap();
    let tape = Tape::new();
    let x = data(&mut r, 256, 2);
    let p = g.params.bind(&tape);
    let gx = g.forward(&p, tape.leaf(&x), Mode::Train).to_mat();
    let moved = (&gx - &x).abs().max();
    assert!(moved < 0.01, "G(x) ≈ x at start: max |G(x) − x| = {moved}");
    let bad = Mlp::new(spec(&[2, 8, 3], Activation::Relu, false, true, Init::Kaiming), &mut r).unwrap_err();
    assert!(bad.to_string().contains("`widths`"));
}

#[test]
fn initialisation_schemes_have_their_spread() {
    let mut r = seeded(6);
    let std = |m: &Mat| (m.iter().map(|v| v * v).sum::<f32>() / m.len() as f32).sqrt();
    let k = Init::Kaiming.sample(200, 300, &mut r);
    assert!((std(&k) - (2.0f32 / 200.0).sqrt()).abs() < 0.005);
    let n = Init::Normal(0.1).sample(100, 100, &mut r);
    assert!((std(&n) - 0.1).abs() < 0.005);
    let x = Init::Xavier.sample(100, 200, &mut r);
    let bound = (6.0f32 / 300.0).sqrt();
    assert!(x.iter().all(|v| v.abs() <= bound) && x.amax() > 0.95 * bound);
    assert!(Init::Zeros.sample(3, 3, &mut r).iter().all(|&v| v == 0.0));
}

#[test]
fn networks_round_trip_through_json_and_bad_json_names_the_field() {
    let mut r = seeded(7);
    let mut net =
        Mlp::new(spec(&[2, 16, 16, 2], Activation::Elu, true, true, Init::Kaiming), &mut r).unwrap();
    let tape = Tape::new();
    let x = data(&mut r, 32, 2);
    let p = net.params.bind(&tape);
    net.forward(&p, tape.leaf(&x), Mode::Train); // moves the running statistics
    let json = net.to_json();
    let mut back = Mlp::from_json(&json).unwrap();
    assert_eq!(back, net);
    let (p1, p2) = (net.params.bind(&tape), back.params.bind(&tape));
    let a = net.forward(&p1, tape.leaf(&x), Mode::Eval).to_mat();
    let b = back.forward(&p2, tape.leaf(&x), Mode::Eval).to_mat();
    assert_eq!(a, b);
    // clones are independent
    let mut c = net.params.clone();
    c.clip(0.0);
    assert_ne!(c, net.params);

    let broken = json.replacen("\"rows\":2", "\"rows\":3", 1);
    let e = Mlp::from_json(&broken).unwrap_err().to_string();
    assert!(e.contains("params.l0.w"), "{e}");
    let e = Mlp::from_json("{\"spec\": 3}").unwrap_err().to_string();
    assert!(e.contains("`network`") && e.contains("invalid JSON"), "{e}");
    let nan = json.replacen("\"data\":[", "\"data\":[1e999,", 1);
    assert!(Mlp::from_json(&nan).is_err());
}

#[test]
fn an_input_convex_network_is_convex_starts_at_the_identity_and_has_exact_gradients() {
    use otlab::nn::{Icnn, IcnnSpec};
    let mut r = seeded(11);
    let spec = IcnnSpec { input: 2, width: 8, depth: 3, init: 1.0, sharpness: 5.0 };
    let mut net = Icnn::new(spec, &mut r).unwrap();
    let mut tape = Tape::new();
    // at initialisation ∇ψ(x) = x up to the tiny output weights
    let x = data(&mut r, 16, 2);
    let p = net.params.bind(&tape);
    let xv = tape.leaf(&x);
    let g = tape.grad(net.forward(&p, xv), &[xv])[0].to_mat();
    assert!((g - &x).abs().max() < 0.05, "∇ψ starts at the identity");
    let mut inputs = vec![data(&mut r, 5, 2)];
    inputs.extend(net.params.tensors.iter().map(|t| t.value.clone()));
    let err = max_grad_error(&inputs, 1e-2, 0.1, |v| net.forward(&v[1..], v[0]).mean());
    assert!(err < 1e-2, "ICNN gradient error: {err}");
    // scramble the parameters (any sign), project, and check midpoint convexity along segments
    for t in &mut net.params.tensors {
        t.value.apply(|v| *v += rng::normal(&mut r));
    }
    net.project();
    let psi = |tape: &mut Tape, m: &Mat| {
        tape.reset();
        let p = net.params.bind(tape);
        net.forward(&p, tape.leaf(m)).to_mat()
    };
    let (a, b) = (data(&mut r, 200, 2) * 2.0, data(&mut r, 200, 2) * 2.0);
    let (fa, fb, fm) = (psi(&mut tape, &a), psi(&mut tape, &b), psi(&mut tape, &((&a + &b) * 0.5)));
    for i in 0..200 {
        assert!(fm[(i, 0)] <= 0.5 * (fa[(i, 0)] + fb[(i, 0)]) + 1e-4, "ψ is convex along segment {i}");
    }
}
