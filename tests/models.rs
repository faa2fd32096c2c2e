//! Every training method: deterministic finite steps, progress toward the target on a small
//! budget, divergence reported with step and quantity, bad configs rejected with the key named.

use otlab::Error;
use otlab::claims::mode_distances;
use otlab::data::{Dist, Pair, Points};
use otlab::method::{Config, Mode};
use otlab::registry::{self, METHODS};
use otlab::train::{Phase, Trainer};

fn config(method: &str, pair: &str, sets: &[(&str, &str)]) -> Config {
    let mut c = registry::config(method).unwrap();
    c.set("pair", pair).unwrap();
    for (k, v) in sets {
        c.set(k, v).unwrap();
    }
    c
}

/// Every loss value recorded so far, curve by curve.
fn all_losses(t: &Trainer) -> Vec<(&'static str, Vec<(f64, f64)>)> {
    t.losses.iter().map(|c| (c.name, c.points())).collect()
}

#[test]
fn every_method_builds_and_takes_deterministic_finite_steps_in_every_mode() {
    for m in METHODS {
        for mode in m.modes {
            let pair = if *mode == Mode::Map { "gaussians4" } else { "gaussians8" };
            let cfg = config(
                m.name,
                pair,
                &[("mode", mode.name()), ("batch", "64"), ("eval_n", "64"), ("seed", "3")],
            );
            let what = format!("{} ({})", m.name, mode.name());
            let run = || {
                // the build checks that the model reads only keys of its registry entry
                let mut t = Trainer::new(cfg.clone()).unwrap_or_else(|e| panic!("{what}: {e}"));
                for phase in [Phase::Critic, Phase::Generator, Phase::Both, Phase::Both] {
                    t.step(phase).unwrap_or_else(|e| panic!("{what}: {e}"));
                }
                let x = t.eval_source().clone();
                (all_losses(&t), t.model().apply(&x), t.steps())
            };
            let (a, ga, steps) = run();
            let (b, gb, _) = run();
            assert!(steps >= 2, "{what}: two full steps at least, got {steps}");
            assert!(
                !a.is_empty() && a.iter().all(|(_, v)| v.iter().all(|p| p.1.is_finite())),
                "{what}: {a:?}"
            );
            assert_eq!(a, b, "{what}: same config and seed must give the same losses");
            assert_eq!(ga, gb, "{what}: same config and seed must give the same map");
        }
    }
}

/// Keys set on top of a method's defaults.
type Sets = &'static [(&'static str, &'static str)];

/// Train and return (W2² at step 0, median W2² of the evaluations over the last quarter). Adversarial
/// runs oscillate, so one end point would test the phase of an oscillation, not the trend.
fn w2_drop(method: &str, pair: &str, steps: usize, sets: &[(&str, &str)]) -> (f64, f64) {
    let mut cfg = config(method, pair, sets);
    cfg.set("eval_every", &(steps / 8).to_string()).unwrap();
    let mut t = Trainer::new(cfg).unwrap();
    t.run(steps).unwrap_or_else(|e| panic!("{method}: {e}"));
    let evals = t.evals.items();
    let mut late: Vec<f64> = evals.iter().filter(|e| 4 * e.step >= 3 * steps).map(|e| e.w2sq).collect();
    late.sort_by(f64::total_cmp);
    (evals[0].w2sq, late[late.len() / 2])
}

#[test]
fn dual_methods_bring_the_source_to_the_target() {
    let cases: &[(&str, usize, Sets)] = &[
        ("gan", 300, &[]),
        ("wgan", 200, &[("n_critic", "2")]),
        ("wgan-gp", 200, &[("n_critic", "2")]),
        ("wgan-lp", 200, &[("n_critic", "2")]),
        // (at gen_lr 1e-3 W2GAN oscillates: W2² 0.2 at step 150, 0.98 at 200, 0.12 at 400)
        ("w2gan", 300, &[("gen_fit", "0"), ("gen_lr", "3e-4"), ("n_critic", "2")]),
        ("w2ot", 400, &[]),
        ("barycentric", 300, &[("dual_steps", "300")]),
    ];
    // (the semi-dual map starts as the nearest-target projection, already close in W2²; its own
    // convergence is tested on cell masses and MapErr)
    for (m, steps, sets) in cases {
        let (before, after) = w2_drop(m, "gaussians4", *steps, sets);
        assert!(after < 0.5 * before, "{m}: W2² {before:.3} → {after:.3}");
    }
}

#[test]
fn primal_methods_bring_samples_to_the_target() {
    let cases: &[(&str, &str, usize)] = &[
        ("mke", "gaussians4", 200),
        ("vae", "gaussians8", 400),
        ("wae-gan", "gaussians8", 400),
        ("wae-mmd", "gaussians8", 400),
        ("wvae", "gaussians8", 400),
    ];
    for (m, pair, steps) in cases {
        let (before, after) = w2_drop(m, pair, *steps, &[]);
        assert!(after < 0.3 * before, "{m}: W2² {before:.3} → {after:.3}");
    }
    let (before, after) = w2_drop(
        "mke",
        "gaussians4",
        200,
        &[("ot_solver", "sinkhorn"), ("sinkhorn_eps", "0.05"), ("batch", "64")],
    );
    assert!(after < 0.3 * before, "mke with Sinkhorn plans: W2² {before:.3} → {after:.3}");
}

/// Latent W2²(codes, prior) over its two-sample floor after a run of `method` on gaussians8.
fn latent_over_floor(method: &str, encoder: &str, steps: usize) -> f64 {
    let mut t = Trainer::new(config(method, "gaussians8", &[("encoder", encoder)])).unwrap();
    t.run(steps).unwrap();
    let last = t.evals.items().last().unwrap().latent_w2sq.unwrap();
    last / t.eval_set().latent_floor.unwrap()
}

#[test]
fn wae_codes_from_a_gaussian_encoder_fill_the_prior_where_deterministic_codes_clump() {
    let (gaussian, deterministic) =
        (latent_over_floor("wae-mmd", "gaussian", 600), latent_over_floor("wae-mmd", "deterministic", 600));
    assert!(gaussian < 2.5, "Gaussian encoder: latent W2² at {gaussian:.2}× the floor");
    assert!(deterministic > 2.0 * gaussian, "deterministic {deterministic:.2}× vs Gaussian {gaussian:.2}×");
}

#[test]
fn settling_wae_codes_come_within_twice_the_floor_on_a_short_run() {
    // WAE-MMD's defaults settle over the last half of `steps`; seed 0 reads 1.34× (6000 steps,
    // eval_n 2048: 1.59×). That settling slows the networks is tested below.
    let mut t = Trainer::new(config("wae-mmd", "gaussians8", &[("steps", "1500")])).unwrap();
    t.run(1500).unwrap();
    let ratio = t.evals.items().last().unwrap().latent_w2sq.unwrap() / t.eval_set().latent_floor.unwrap();
    assert!(ratio < 2.0, "WAE-MMD: latent W2² at {ratio:.2}× the floor");
}

#[test]
fn wae_gan_discriminator_spreads_the_codes_over_the_prior() {
    // (at the WAE paper's λ = 1 with one discriminator update per step they stay in 8 clumps:
    // 11.7× at these 600 steps, 36× at 6000; the defaults give 1.6× here)
    let ratio = latent_over_floor("wae-gan", "gaussian", 600);
    assert!(ratio < 2.5, "WAE-GAN: latent W2² at {ratio:.2}× the floor");
}

#[test]
fn map_err_and_geo_dev_have_a_sampling_floor_that_shrinks_with_more_held_out_points() {
    let floors = |n: &str| {
        let t = Trainer::new(config("icnn", "checkerboard", &[("eval_n", n)])).unwrap();
        (t.eval_set().map_err_floor().unwrap(), t.eval_set().geo_dev_floor().unwrap())
    };
    let ((small, geo_small), (large, geo_large)) = (floors("512"), floors("2048"));
    assert!(small > 0.05 && small < 0.5, "near-exact map at 512 held-out points: MapErr {small:.3}");
    assert!(large < 0.6 * small, "the floor shrinks with more points: {small:.3} → {large:.3}");
    // GeoDev ≤ MapErr for any map (t = 1 is one of the t it minimises over); the near-exact map's
    // error is not all along the arrows, so a good share of it remains
    for (geo, map) in [(geo_small, small), (geo_large, large)] {
        assert!(geo > 0.1 * map, "GeoDev floor {geo:.3} against MapErr floor {map:.3}");
    }
    assert!(geo_large < 0.6 * geo_small, "the GeoDev floor shrinks too: {geo_small:.3} → {geo_large:.3}");
}

#[test]
fn w2gan_generator_moves_along_the_ot_arrows() {
    // the paper's step with the w2gan-fast preset's settings, and fitted moves of 100 steps (the
    // defaults warm the critic up for 2000 updates first)
    let paper = [("gen_fit", "0"), ("gen_halflife", "0"), ("gen_lr", "3e-4")];
    let fitted = [("gen_fit", "100"), ("n_critic", "5")];
    for step in [&paper[..], &fitted[..]] {
        let sets: Vec<_> =
            [("eval_every", "50"), ("critic_warmup", "0")].iter().chain(step).copied().collect();
        let mut t = Trainer::new(config("w2gan", "gaussians4", &sets)).unwrap();
        t.run(300).unwrap();
        let last = t.last_eval().unwrap();
        assert!(last.map_err.unwrap() < 0.5, "{step:?}: MapErr {:?}", last.map_err);
        for e in t.evals.items() {
            assert!(e.geo_dev.unwrap() < 0.05, "{step:?}: GeoDev {:?} at step {}", e.geo_dev, e.step);
        }
    }
}

#[test]
fn w2ot_monge_map_approaches_the_discrete_ot_map() {
    let mut t = Trainer::new(config("w2ot", "gaussians4", &[])).unwrap();
    t.run(600).unwrap();
    let e = t.evaluate().unwrap();
    assert!(e.map_err.unwrap() < 0.1, "MapErr {:?}", e.map_err);
}

#[test]
fn divergence_names_the_step_and_the_quantity() {
    // ½‖x − y‖² overflows f32 for targets this far away, so the first critic loss is infinite
    let far = Points::from_fn(64, 2, |i, _| 1e20 + i as f32 * 1e18);
    let pair = Pair {
        name: "custom".into(),
        x: Pair::named("gaussians4").unwrap().x,
        y: Dist::Empirical { points: far, jitter: 0.0 },
    };
    let mut t =
        Trainer::with_pair(config("w2ot", "gaussians4", &[("batch", "64"), ("eval_n", "64")]), pair).unwrap();
    let err = t.step(Phase::Both).expect_err("training on targets at 1e20 must diverge");
    match &err {
        Error::Diverged { step, quantity } => {
            assert_eq!(*step, 1);
            assert!(quantity.contains("loss") || quantity.contains("parameter"), "{quantity}");
        }
        other => panic!("expected divergence, got {other}"),
    }
    assert!(err.to_string().contains("step 1"), "{err}");
}

#[test]
fn bad_configs_are_rejected_with_the_key_named() {
    let mut c = registry::config("w2gan").unwrap();
    for (k, v) in [
        ("critic_lr", "-1"),
        ("batch", "0"),
        ("gen_act", "sine"),
        ("n_critic", "x"),
        ("nonsense", "1"),
        ("lambda", "5"),
        ("dec_std", "1"),
    ] {
        let e = c.set(k, v).unwrap_err().to_string();
        assert!(e.contains(k), "{k}={v}: {e}");
    }
    assert!(c.set("lambda", "5").unwrap_err().to_string().contains("not a key of w2gan"));
    assert!(registry::config("gan2").unwrap_err().to_string().contains("method"));
    let e = registry::config("vae").unwrap().set("mode", "map").unwrap_err().to_string();
    assert!(e.contains("mode") && e.contains("generative"), "{e}");
    let e = Trainer::new(config("w2gan", "gaussians8", &[("mode", "generative"), ("latent_dim", "1")]))
        .err()
        .unwrap()
        .to_string();
    assert!(e.contains("mode"), "{e}");
}

#[test]
fn live_keys_apply_without_rebuilding_and_architecture_keys_rebuild() {
    let mut t = Trainer::new(config("w2gan", "gaussians4", &[("batch", "64"), ("eval_n", "64")])).unwrap();
    t.run(2).unwrap();
    assert!(!t.set("gen_lr", "3e-4").unwrap());
    assert_eq!(t.steps(), 2);
    assert!(t.set("critic_width", "32").unwrap());
    assert_eq!(t.steps(), 0);
}

#[test]
fn saved_parameters_reload_into_the_same_map() {
    for m in ["w2gan", "semidual", "vae"] {
        let pair = if m == "vae" { "gaussians8" } else { "gaussians4" };
        let cfg = config(m, pair, &[("batch", "64"), ("eval_n", "64")]);
        let mut a = Trainer::new(cfg.clone()).unwrap();
        a.run(5).unwrap();
        let saved = a.save();
        let mut b = Trainer::new(cfg).unwrap();
        b.load(&saved).unwrap();
        let x = a.eval_source().clone();
        assert_eq!(a.model().apply(&x), b.model().apply(&x), "{m}");
        assert_eq!(a.evaluate().unwrap().w2sq, b.last_eval().unwrap().w2sq, "{m}: evaluated at once");
    }
    let mut t = Trainer::new(config("w2gan", "gaussians4", &[])).unwrap();
    let e = t.model().load(&serde_json::json!({"phi": 1})).unwrap_err().to_string();
    assert!(e.contains("phi") || e.contains("eps"), "{e}");
}

#[test]
fn a_parameters_file_that_does_not_fit_names_its_method_or_the_keys_to_set() {
    let saved = Trainer::new(config("w2gan", "gaussians4", &[("critic_width", "32")])).unwrap().save();
    let mut other = Trainer::new(config("wgan-gp", "gaussians4", &[])).unwrap();
    let e = other.load(&saved).unwrap_err().to_string();
    assert!(e.contains("saved from a w2gan run") && e.contains("choose w2gan"), "{e}");
    let mut narrow = Trainer::new(config("w2gan", "gaussians4", &[])).unwrap();
    let e = narrow.load(&saved).unwrap_err().to_string();
    assert!(
        e.contains("critic_width = 32; set it first") && !e.contains("gen_width") && !e.contains("eval_n"),
        "{e}"
    );
    // without a usable link the file is not said to come from any method or settings
    for config in [serde_json::Value::Null, serde_json::json!("method=nosuch&critic_width=32")] {
        let mut file = saved.clone();
        file["config"] = config;
        let e = narrow.load(&file).unwrap_err().to_string();
        assert!(e.contains("shape") && !e.contains("saved from") && !e.contains("saved with"), "{e}");
    }
}

#[test]
fn mode_distances_measure_how_far_points_are_from_the_modes() {
    let target = Pair::named("gaussians8").unwrap().y;
    let Dist::Mixture { centres, .. } = &target else { panic!("gaussians8 is a mixture") };
    let on = Points::from_fn(8, 2, |i, k| centres[i][k]);
    assert_eq!(mode_distances(&on, &target).unwrap(), (0.0, 1.0));
    let (d, share) = mode_distances(&Points::zeros(4, 2), &target).unwrap();
    assert!(
        (d - std::f64::consts::SQRT_2).abs() < 1e-3 && share == 0.0,
        "the origin is √2 from every mode: {d}"
    );
    assert!(mode_distances(&on, &Pair::named("ring").unwrap().y).is_err(), "needs a Gaussian mixture");
}

#[test]
fn w2gan_critic_warmup_runs_before_the_first_generator_step_only() {
    let cfg = config(
        "w2gan",
        "gaussians4",
        &[("batch", "32"), ("eval_n", "64"), ("n_critic", "3"), ("critic_warmup", "7")],
    );
    let mut t = Trainer::new(cfg).unwrap();
    assert_eq!(t.model().critic_steps(), 10, "3 critic steps + 7 warm-up steps before G moves");
    let x = t.eval_source().clone();
    let before = t.model().apply(&x);
    for _ in 0..10 {
        t.step(Phase::Critic).unwrap();
    }
    assert_eq!(t.steps(), 0);
    assert!((t.model().apply(&x) - &before).norm() == 0.0, "critic steps leave G alone");
    t.step(Phase::Generator).unwrap();
    assert_eq!(t.model().critic_steps(), 3, "after the first generator step: n_critic");
}

#[test]
fn w2gan_generator_learning_rate_halves_every_half_life() {
    // how far G moves between generator steps 20 and 30, with and without a half-life of 2 steps
    let moved = |halflife: &str| {
        let sets = [
            ("batch", "32"),
            ("eval_n", "64"),
            ("n_critic", "2"),
            ("gen_fit", "0"),
            ("gen_halflife", halflife),
        ];
        let mut t = Trainer::new(config("w2gan", "gaussians4", &sets)).unwrap();
        let x = t.eval_source().clone();
        t.run(20).unwrap();
        let a = t.model().apply(&x);
        t.run(30).unwrap();
        (t.model().apply(&x) - a).norm()
    };
    let (constant, halving) = (moved("0"), moved("2"));
    assert!(constant > 1e-3, "G moves with a constant learning rate: {constant}");
    assert!(halving < 0.01 * constant, "after 10 half-lives G almost stops: {halving} vs {constant}");
}

#[test]
fn a_settling_wae_slows_both_networks_toward_the_end_of_its_steps() {
    // how far the codes of data points and the decoded prior samples move over steps 36–40 of 40,
    // with and without settling over the last half (the rates fall to 0.28–0.15 of theirs there)
    let moved = |settle: &str| {
        let sets = [("batch", "32"), ("eval_n", "64"), ("steps", "40"), ("settle", settle)];
        let mut t = Trainer::new(config("wae-mmd", "gaussians8", &sets)).unwrap();
        let (y, z) = (t.eval_target().clone(), t.eval_source().clone());
        t.run(36).unwrap();
        let (codes, decoded) = (t.model().encode(&y).unwrap(), t.model().apply(&z));
        t.run(40).unwrap();
        ((t.model().encode(&y).unwrap() - codes).norm(), (t.model().apply(&z) - decoded).norm())
    };
    let ((codes, decoded), (settled_codes, settled_decoded)) = (moved("0"), moved("0.5"));
    assert!(codes > 1e-3 && decoded > 1e-3, "both move without settling: {codes}, {decoded}");
    for (what, settled, free) in
        [("codes", settled_codes, codes), ("decoded samples", settled_decoded, decoded)]
    {
        assert!(settled < 0.5 * free, "{what} moved {settled} settling against {free}");
        assert!(settled > 0.02 * free, "{what} still move while settling: {settled} against {free}");
    }
}

#[test]
fn an_autoencoders_encoder_learning_rate_halves_every_half_life() {
    // how far the codes move between steps 20 and 30, with and without a half-life of 2 steps,
    // while the decoder keeps its learning rate
    let moved = |halflife: &str| {
        let sets = [("batch", "32"), ("eval_n", "64"), ("enc_halflife", halflife)];
        let mut t = Trainer::new(config("wae-mmd", "gaussians8", &sets)).unwrap();
        let y = t.eval_target().clone();
        t.run(20).unwrap();
        let (codes, decoded) = (t.model().encode(&y).unwrap(), t.model().reconstruct(&y).unwrap());
        t.run(30).unwrap();
        let moved_codes = (t.model().encode(&y).unwrap() - codes).norm();
        (moved_codes, (t.model().reconstruct(&y).unwrap() - decoded).norm())
    };
    let ((constant, _), (halving, decoder)) = (moved("0"), moved("2"));
    assert!(constant > 1e-3, "codes move with a constant learning rate: {constant}");
    assert!(
        halving < 0.01 * constant,
        "after 10 half-lives the encoder almost stops: {halving} vs {constant}"
    );
    assert!(decoder > 1e-3, "the decoder still learns: {decoder}");
}

#[test]
fn the_convex_potential_map_approaches_the_discrete_ot_map() {
    // (at small eval_n the discrete reference map moves whole points between unequal clusters, which
    // no smooth map does: MapErr at 256 held-out points reads 0.17 where 2048 read 0.03)
    let mut t = Trainer::new(config("icnn", "gaussians4", &[("eval_n", "1024")])).unwrap();
    t.run(500).unwrap();
    let e = t.evaluate().unwrap();
    assert!(e.map_err.unwrap() < 0.1, "MapErr after 500 updates: {:?}", e.map_err);
    let x = t.eval_source().clone();
    assert_eq!(t.model().monge(&x).unwrap(), t.model().apply(&x), "the map is ∇ψ");
}

#[test]
fn semi_dual_sgd_at_its_defaults_equalises_the_laguerre_cells() {
    let mut t = Trainer::new(config("semidual", "checkerboard", &[("eval_n", "64")])).unwrap();
    t.run(10_000).unwrap();
    let saved = t.model_ref().save();
    let y: Vec<[f32; 2]> = serde_json::from_value(saved["y"].clone()).unwrap();
    let fresh = t.pair.x.sample(16_384, &mut otlab::rng::stream(9, 9));
    let mapped = t.model().apply(&fresh);
    let mut counts = vec![0usize; y.len()];
    for i in 0..fresh.nrows() {
        let j = y.iter().position(|c| c[0] == mapped[(i, 0)] && c[1] == mapped[(i, 1)]).unwrap();
        counts[j] += 1;
    }
    let ratio = |c: usize| c as f64 * y.len() as f64 / fresh.nrows() as f64;
    let (lo, hi) = (ratio(*counts.iter().min().unwrap()), ratio(*counts.iter().max().unwrap()));
    // 16 384 samples over 64 cells: ±4 % sampling noise per cell on top of the 0.8–1.25 goal
    assert!(lo >= 0.75 && hi <= 1.3, "cell masses × m within [{lo:.2}, {hi:.2}]");
}

#[test]
fn a_run_that_runs_away_pauses_with_the_quantity_and_the_step() {
    // learning rates of 1: W2² and the map blow up long before any NaN
    let sets = [("critic_lr", "1"), ("gen_lr", "1"), ("eval_every", "5"), ("batch", "64"), ("eval_n", "64")];
    let mut t = Trainer::new(config("wgan-gp", "gaussians4", &sets)).unwrap();
    let err = t.run(400).expect_err("lr 1 must trip the guard");
    let msg = err.to_string();
    assert!(matches!(err, Error::Runaway { .. } | Error::Diverged { .. }), "{msg}");
    assert!(
        msg.contains("step") && (msg.contains("W2²") || msg.contains("loss") || msg.contains("map")),
        "{msg}"
    );
    // WGAN (weight clipping) at rates of 1: W2² runs away; the read-out shows the evaluation that
    // stopped it, not an older one
    let sets = [("critic_lr", "1"), ("gen_lr", "1"), ("eval_every", "25"), ("batch", "64"), ("eval_n", "64")];
    let mut t = Trainer::new(config("wgan", "gaussians4", &sets)).unwrap();
    let err = t.run(400).expect_err("lr 1 must trip the guard");
    let Error::Runaway { step, what } = &err else { panic!("a runaway, not {err}") };
    assert!(what.contains("W2²"), "{what}");
    let last = t.last_eval().expect("the stopping evaluation is kept");
    assert_eq!(last.step, *step, "{what}");
    assert!(last.w2sq > 100.0 * t.evals.items()[0].w2sq, "{what}: W2² {}", last.w2sq);
    // a healthy run is not stopped
    let mut ok =
        Trainer::new(config("wgan-gp", "gaussians4", &[("eval_every", "5"), ("batch", "64")])).unwrap();
    ok.run(100).unwrap();
}

/// W2GAN at gen_lr `lr` about to take a move of 400 steps toward G₀(x) − 0.3·∇φ(G₀(x)), its critic
/// trained 300 updates: the trainer, the held-out x, G₀(x) and the asked displacement.
fn a_move_begins(pair: &str, lr: &str) -> (Trainer, Points, Points, Points) {
    let sets = [
        ("batch", "256"),
        ("eval_n", "256"),
        ("gen_fit", "400"),
        ("gen_stride", "0.3"),
        ("gen_halflife", "0"),
        ("gen_lr", lr),
    ];
    let mut t = Trainer::new(config("w2gan", pair, &sets)).unwrap();
    for _ in 0..300 {
        t.step(Phase::Critic).unwrap();
    }
    let x = t.eval_source().clone();
    let g0 = t.model().apply(&x);
    let asked = t.model().signal(&g0).unwrap() * 0.3;
    (t, x, g0, asked)
}

#[test]
fn a_w2gan_fitted_move_lands_g_on_its_start_moved_along_minus_grad_phi() {
    // with the critic held still, a move of 400 steps fits G to G₀(x) − 0.3·∇φ(G₀(x)): every point
    // goes the asked fraction of the way along the critic's arrow, not a smoothed version of it
    let (mut t, x, g0, asked) = a_move_begins("gaussians4", "1e-3");
    for _ in 0..400 {
        t.step(Phase::Generator).unwrap();
    }
    let moved = t.model().apply(&x) - &g0;
    let miss = (&moved - &asked).norm() / asked.norm();
    assert!(
        miss < 0.05,
        "G moved {:.3} against {:.3} asked; off by {miss:.3} of it",
        moved.norm(),
        asked.norm()
    );
}

#[test]
fn w2gan_drawn_mid_move_is_the_generator_being_fitted() {
    // a fast fit (gen_lr 1e-2) moves the weights faster than batch norm's running averages follow;
    // drawn with stale averages, G(x) was thrown 3× the asked move away from G₀(x) mid-move
    let (mut t, x, g0, asked) = a_move_begins("checkerboard", "1e-2");
    for step in 0..400 {
        t.step(Phase::Generator).unwrap();
        let drawn = (t.model().apply(&x) - &g0).norm() / asked.norm();
        assert!(drawn < 1.2, "step {step}: G drawn {drawn:.2}× the asked move away from G₀");
    }
}

#[test]
fn w2gan_status_counts_fitted_moves_and_their_steps() {
    // the stride halving every 50 steps
    let sets = [
        ("batch", "32"),
        ("eval_n", "64"),
        ("n_critic", "1"),
        ("critic_warmup", "0"),
        ("gen_fit", "50"),
        ("gen_halflife", "50"),
    ];
    let mut t = Trainer::new(config("w2gan", "gaussians4", &sets)).unwrap();
    let s = t.model().schedule().unwrap();
    assert!(s.starts_with("move 1: G fitted to G₀ − 0.25·∇φ(G₀), step 1 of 50"), "{s}");
    t.run(50).unwrap();
    let s = t.model().schedule().unwrap();
    assert_eq!(s, "move 2: G fitted to G₀ − 0.125·∇φ(G₀), step 1 of 50; the stride halves every 50 steps");
    let paper =
        Trainer::new(config("w2gan", "gaussians4", &[("gen_fit", "0"), ("gen_halflife", "0")])).unwrap();
    assert_eq!(paper.model_ref().schedule(), None, "the paper's step at a constant rate has no schedule");
}
