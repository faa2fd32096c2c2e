//! Datasets match math.md §1: component counts, centres, spreads, the spiral's rotation, CSV errors.

use otlab::data::{CloudFrame, Dist, Pair, Points, Sampling, Side, Window, parse_csv, to_csv};
use otlab::rng::seeded;

// math.md §1 gives the 4-Gaussians centres to four digits, not as √2 and √½
#[allow(clippy::approx_constant)]
const C4: f32 = 1.4142;
#[allow(clippy::approx_constant)]
const C4_IN: f32 = 0.7071;

/// Index of the nearest centre to each row.
fn nearest(p: &Points, centres: &[[f32; 2]]) -> Vec<usize> {
    (0..p.nrows())
        .map(|i| {
            let d = |c: &[f32; 2]| (p[(i, 0)] - c[0]).powi(2) + (p[(i, 1)] - c[1]).powi(2);
            (0..centres.len()).min_by(|&a, &b| d(&centres[a]).total_cmp(&d(&centres[b]))).unwrap()
        })
        .collect()
}

/// Per-component (count, mean, std per axis) for points grouped by nearest centre.
fn components(p: &Points, centres: &[[f32; 2]]) -> Vec<(usize, [f64; 2], [f64; 2])> {
    let lab = nearest(p, centres);
    (0..centres.len())
        .map(|k| {
            let rows: Vec<usize> = (0..p.nrows()).filter(|&i| lab[i] == k).collect();
            let n = rows.len() as f64;
            let mut mean = [0.0; 2];
            let mut var = [0.0; 2];
            for j in 0..2 {
                mean[j] = rows.iter().map(|&i| p[(i, j)] as f64).sum::<f64>() / n;
                var[j] = rows.iter().map(|&i| (p[(i, j)] as f64 - mean[j]).powi(2)).sum::<f64>() / n;
            }
            (rows.len(), mean, [var[0].sqrt(), var[1].sqrt()])
        })
        .collect()
}

/// Stratified samples have equal counts per component; i.i.d. samples have binomial counts
/// (within 4 standard deviations of n/k, and not all equal); both have the right centres and spreads.
fn check_mixture(pair: &str, side: Side, centres: &[[f32; 2]], std: f64, n: usize) {
    let k = centres.len();
    let strat = Pair::sampled(pair, Sampling::Stratified).unwrap().sample(side, n, &mut seeded(7));
    for (c, (count, ..)) in components(&strat, centres).into_iter().enumerate() {
        assert_eq!(count, n / k, "{pair} {side:?} stratified: equal count in component {c}");
    }
    let p = Pair::named(pair).unwrap().sample(side, n, &mut seeded(7));
    let counts: Vec<usize> = components(&p, centres).iter().map(|c| c.0).collect();
    let sd_count = (n as f64 * (1.0 / k as f64) * (1.0 - 1.0 / k as f64)).sqrt();
    assert!(counts.iter().all(|&c| (c as f64 - (n / k) as f64).abs() < 4.0 * sd_count), "{pair}: {counts:?}");
    assert!(counts.iter().any(|&c| c != n / k), "{pair}: i.i.d. counts vary: {counts:?}");
    for (k, (_, mean, sd)) in components(&p, centres).into_iter().enumerate() {
        for j in 0..2 {
            assert!((mean[j] - centres[k][j] as f64).abs() < 0.02, "{pair}: centre {k} axis {j}: {mean:?}");
            assert!((sd[j] - std).abs() < 0.15 * std, "{pair}: spread {k} axis {j}: {sd:?} vs {std}");
        }
    }
}

#[test]
fn gaussians4_has_four_equal_components_with_std_point_one() {
    let outer = [[C4, C4], [C4, -C4], [-C4, C4], [-C4, -C4]];
    let inner = [[C4_IN, C4_IN], [C4_IN, -C4_IN], [-C4_IN, C4_IN], [-C4_IN, -C4_IN]];
    check_mixture("gaussians4", Side::X, &outer, 0.1, 2000);
    check_mixture("gaussians4", Side::Y, &inner, 0.1, 2000);
}

#[test]
fn checkerboard_squares_have_side_half_and_equal_counts() {
    let c = 1.0607;
    let x = [[0.0, c], [0.0, -c], [c, 0.0], [-c, 0.0]];
    let y = [[c, c], [c, -c], [-c, c], [-c, -c], [0.0, 0.0]];
    let uniform_std = 0.5 / 12f64.sqrt();
    check_mixture("checkerboard", Side::X, &x, uniform_std, 2000);
    check_mixture("checkerboard", Side::Y, &y, uniform_std, 2000);
    // every point lies inside its square
    let p = Pair::named("checkerboard").unwrap().sample(Side::Y, 1000, &mut seeded(1));
    let lab = nearest(&p, &y);
    for i in 0..p.nrows() {
        for j in 0..2 {
            assert!((p[(i, j)] - y[lab[i]][j]).abs() <= 0.25 + 1e-6);
        }
    }
}

#[test]
fn stratified_batches_are_shuffled_not_in_component_order() {
    let p = Pair::sampled("gaussians4", Sampling::Stratified).unwrap().sample(Side::X, 400, &mut seeded(3));
    let outer = [[C4, C4], [C4, -C4], [-C4, C4], [-C4, -C4]];
    let lab = nearest(&p, &outer);
    let in_order = (0..400).filter(|&i| lab[i] == i % 4).count();
    assert!(in_order < 200, "rows should not follow i mod 4 after shuffling ({in_order})");
}

#[test]
fn spirals_x_is_y_rotated_by_180_degrees() {
    let pair = Pair::named("spirals").unwrap();
    let n = 20000;
    let x = pair.sample(Side::X, n, &mut seeded(1));
    let y = pair.sample(Side::Y, n, &mut seeded(2));
    // The spiral parts cancel under the rotation; the one-sided noise adds 0.15·0.6667·½ per side.
    for j in 0..2 {
        let mx = x.column(j).mean() as f64;
        let my = y.column(j).mean() as f64;
        assert!((mx + my - 0.1).abs() < 0.02, "axis {j}: mean X {mx} + mean Y {my} ≈ 0.1");
    }
    // radius of the noise-free spiral is 0.15·θ with θ ≤ 570°, so no point leaves radius ≈ 1.64
    let max_r = (0..n).map(|i| (y[(i, 0)].powi(2) + y[(i, 1)].powi(2)).sqrt()).fold(0.0, f32::max);
    assert!(max_r < 1.65 && max_r > 1.35, "max radius {max_r}");
}

#[test]
fn gauss2gauss_samples_match_mean_and_covariance() {
    let pair = Pair::named("gauss2gauss").unwrap();
    let (gx, gy) = pair.gaussians().map(|(a, b)| (a.clone(), b.clone())).unwrap();
    for (side, g) in [(Side::X, gx), (Side::Y, gy)] {
        let p = pair.sample(side, 40000, &mut seeded(5));
        let m = [p.column(0).mean() as f64, p.column(1).mean() as f64];
        for j in 0..2 {
            assert!((m[j] - g.mean[j]).abs() < 0.01);
            for k in 0..2 {
                let c = (0..p.nrows())
                    .map(|i| (p[(i, j)] as f64 - m[j]) * (p[(i, k)] as f64 - m[k]))
                    .sum::<f64>()
                    / p.nrows() as f64;
                assert!((c - g.cov[j][k]).abs() < 0.01, "cov[{j}][{k}] {c} vs {}", g.cov[j][k]);
            }
        }
    }
}

#[test]
fn generative_targets_have_noise_sources_and_fit_the_window() {
    for name in ["gaussians8", "grid25", "swissroll", "ring", "moons"] {
        let pair = Pair::named(name).unwrap();
        let x = pair.sample(Side::X, 4000, &mut seeded(0));
        assert!((x.column(0).variance() - 1.0).abs() < 0.1, "{name}: X is standard normal noise");
        let y = pair.sample(Side::Y, 4000, &mut seeded(0));
        assert!(y.iter().all(|v| v.abs() < 2.0), "{name}: Y inside [-2, 2]²");
    }
    let g8 = Pair::sampled("gaussians8", Sampling::Stratified).unwrap().sample(Side::Y, 800, &mut seeded(0));
    let centres: Vec<[f32; 2]> = (0..8)
        .map(|k| {
            let a = k as f32 * std::f32::consts::FRAC_PI_4;
            [C4 * a.cos(), C4 * a.sin()]
        })
        .collect();
    assert!(components(&g8, &centres).iter().all(|c| c.0 == 100));
}

#[test]
fn same_seed_same_samples_different_seed_different_samples() {
    let pair = Pair::named("checkerboard").unwrap();
    let a = pair.sample(Side::X, 64, &mut seeded(11));
    let b = pair.sample(Side::X, 64, &mut seeded(11));
    let c = pair.sample(Side::X, 64, &mut seeded(12));
    assert_eq!(a, b);
    assert_ne!(a, c);
}

#[test]
fn unknown_pair_names_the_key_and_the_choices() {
    let err = Pair::named("squares").unwrap_err().to_string();
    assert!(err.contains("`pair`") && err.contains("squares") && err.contains("checkerboard"), "{err}");
}

#[test]
fn csv_round_trips_and_reports_bad_lines() {
    let p = Pair::named("ring").unwrap().sample(Side::Y, 10, &mut seeded(0));
    let back = parse_csv(&to_csv(&p)).unwrap();
    assert_eq!(back, p);
    assert_eq!(parse_csv("# comment\n1,2\n\n3,4\n").unwrap().nrows(), 2);
    let err = parse_csv("x,y\n1,2\n3,abc\n").unwrap_err().to_string();
    assert!(err.contains("line 3") && err.contains("abc"), "{err}");
    let err = parse_csv("1,2\n3\n").unwrap_err().to_string();
    assert!(err.contains("line 2") && err.contains("expected 2"), "{err}");
    let err = parse_csv("1,2\nnan,4\n").unwrap_err().to_string();
    assert!(err.contains("line 2") && err.contains("not finite"), "{err}");
    assert!(parse_csv("x,y\n").unwrap_err().to_string().contains("no points"));
    // numbers separated by semicolons are named where they start, not read as a header
    let err = parse_csv("0.1;0.2\n0.3;0.4\n").unwrap_err().to_string();
    assert!(err.contains("line 1") && err.contains("commas"), "{err}");
    let err = parse_csv("x;y\n0.1;0.2\n").unwrap_err().to_string();
    assert!(err.contains("line 2") && err.contains("commas"), "a header written with semicolons: {err}");
    let err = parse_csv("0.1 0.2\n").unwrap_err().to_string();
    assert!(err.contains("line 1") && err.contains("commas"), "{err}");
}

/// Pearson correlation of two equally long sequences.
fn corr(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len() as f64;
    let (ma, mb) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
    let cov: f64 = a.iter().zip(b).map(|(x, y)| (x - ma) * (y - mb)).sum();
    let va: f64 = a.iter().map(|x| (x - ma).powi(2)).sum();
    let vb: f64 = b.iter().map(|y| (y - mb).powi(2)).sum();
    cov / (va * vb).sqrt()
}

#[test]
fn the_two_sides_of_a_pair_drawn_with_one_seed_are_independent() {
    for name in otlab::data::PAIR_NAMES {
        let pair = Pair::named(name).unwrap();
        for seed in [0, 1] {
            let x = pair.sample_side(Side::X, 4096, seed);
            let y = pair.sample_side(Side::Y, 4096, seed);
            let col = |p: &Points| (0..p.nrows()).map(|i| p[(i, 0)] as f64).collect::<Vec<_>>();
            let r = corr(&col(&x), &col(&y));
            assert!(r.abs() < 0.05, "{name} seed {seed}: corr(x₀, y₀) = {r:.3}");
            assert_eq!(x, pair.sample_side(Side::X, 4096, seed), "{name}: deterministic");
        }
    }
}

#[test]
fn a_centred_window_holds_every_point_around_the_origin() {
    let lopsided = Points::from_row_slice(3, 2, &[-3.7, 0.2, 0.5, 1.0, 1.2, f32::NAN]);
    let w = Window::centred(&[&lopsided]);
    assert_eq!((w.x0, w.y0), (-w.size / 2.0, -w.size / 2.0), "centred at the origin: {w:?}");
    assert!(w.x0 < -3.7 * 1.04 && w.size <= 2.0 * 4.0, "holds −3.7 with a margin, rounded to 0.5: {w:?}");
    let small = Points::from_row_slice(1, 3, &[0.1, -0.2, 40.0]);
    assert_eq!(
        Window::centred(&[&small]),
        Window::default(),
        "at least [−2, 2]², over the two drawn coordinates"
    );
}

#[test]
fn off_mode_counts_points_between_the_modes_not_on_them() {
    let y = Pair::named("gaussians8").unwrap().y;
    let mut r = seeded(3);
    let sample = y.sample(20_000, &mut r);
    let own = y.off_modes(&sample).unwrap();
    assert!((own - (-4.5f64).exp()).abs() < 0.004, "the mixture's own samples: {own} against e^(-4.5)");
    let Dist::Mixture { centres, .. } = &y else { panic!("gaussians8 is a mixture") };
    // piled on the centres: on the modes; halfway between neighbouring centres: off them all
    let on = Points::from_fn(8, 2, |i, k| centres[i][k]);
    let between = Points::from_fn(8, 2, |i, k| (centres[i][k] + centres[(i + 1) % 8][k]) / 2.0);
    assert_eq!(y.off_modes(&on), Some(0.0));
    assert_eq!(y.off_modes(&between), Some(1.0));
    // squares: none of the checkerboard's own samples is off, a point in a gap is
    let cb = Pair::named("checkerboard").unwrap().y;
    assert_eq!(cb.off_modes(&cb.sample(5000, &mut r)), Some(0.0));
    let Dist::Mixture { centres, .. } = &cb else { panic!("checkerboard is a mixture") };
    let gap = Points::from_fn(1, 2, |_, k| (centres[0][k] + centres[4][k]) / 2.0);
    assert_eq!(cb.off_modes(&gap), Some(1.0));
    assert_eq!(Pair::named("spirals").unwrap().y.off_modes(&on), None, "not a mixture");
}

#[test]
fn points_far_from_the_origin_get_a_note_naming_where_they_lie() {
    let ring = |cx: f32, r: f32| {
        Points::from_fn(100, 2, |i, k| [cx, -cx][k] + r * [(i as f32).cos(), (i as f32).sin()][k])
    };
    assert!(CloudFrame::of(&ring(0.5, 1.5)).scale_note().is_none(), "a drawn ring near the origin");
    let note = CloudFrame::of(&ring(1e6, 4e5)).scale_note().expect("a note at 10^6");
    assert!(note.contains("around (1e6, -1e6) with a spread of 4e5"), "{note}");
    assert!(CloudFrame::of(&ring(0.0, 50.0)).scale_note().is_some(), "spread widely around the origin");
}
