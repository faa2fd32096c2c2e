//! What the page builds on: user points (drawn or imported) as a pair, presets, the charts and the
//! Laguerre-cell, geodesic and potential-map layers.

use otlab::data::{Side, parse_csv};
use otlab::registry;
use otlab::train::views::{Layers, available_layers, geodesic_chart, loss_chart, main_view, metrics_chart};
use otlab::train::{Phase, Trainer};

fn trainer(q: &str) -> Trainer {
    Trainer::new(registry::parse(q).unwrap()).unwrap()
}

#[test]
fn drawn_points_become_the_target_and_survive_rebuilds_and_reset() {
    let mut t = trainer("method=w2gan&pair=gaussians4&batch=64&eval_n=128");
    let line = parse_csv("x,y\n-1,0\n0,0\n1,0\n").unwrap();
    t.set_points(Side::Y, line).unwrap();
    assert_eq!(t.pair.name, "custom");
    // every held-out target sits near one of the three points (jitter 0.02)
    let near = |y: &otlab::data::Points| {
        (0..y.nrows()).all(|i| {
            y[(i, 1)].abs() < 0.12 && [-1.0f32, 0.0, 1.0].iter().any(|c| (y[(i, 0)] - c).abs() < 0.12)
        })
    };
    assert!(near(t.eval_target()));
    t.step(Phase::Both).unwrap();
    assert!(t.set("critic_width", "32").unwrap(), "a non-live key rebuilds");
    assert!(t.pair.name == "custom" && near(t.eval_target()), "the drawn target survives a rebuild");
    t.step(Phase::Both).unwrap();
    t.reset().unwrap();
    assert!(t.steps() == 0 && t.pair.name == "custom" && near(t.eval_target()), "and a reset");
    assert!(t.data_note().is_none(), "points within ±2 need no note");
    let far = parse_csv("x,y\n999,-1001\n1001,-999\n1000,-1000\n").unwrap();
    t.set_points(Side::X, far).unwrap();
    let said = t.data_note().expect("points far from the origin get a note");
    assert!(said.contains("(1000, -1000)") && said.contains("rescale"), "{said}");
    t.set("critic_width", "16").unwrap();
    assert!(t.data_note().is_some(), "the note stays while the points are the run's data");
    t.set("pair", "checkerboard").unwrap();
    assert_eq!(t.pair.name, "checkerboard", "choosing a named pair replaces the drawn one");
    assert!(t.data_note().is_none(), "and its note");
}

#[test]
fn bad_user_points_are_rejected_with_the_reason_and_the_run_is_kept() {
    let mut t = trainer("method=wgan-gp&pair=gaussians4&batch=32&eval_n=64");
    let one = parse_csv("0.5,0.5\n").unwrap();
    let err = t.set_points(Side::Y, one).unwrap_err().to_string();
    assert!(err.contains("at least 2 points"), "{err}");
    let three_d = parse_csv("1,2,3\n4,5,6\n").unwrap();
    let err = t.set_points(Side::X, three_d).unwrap_err().to_string();
    assert!(err.contains("2 coordinates"), "{err}");
    let err = parse_csv("x,y\n1,2\n3,oops\n").unwrap_err().to_string();
    assert!(err.contains("line 3") && err.contains("oops"), "{err}");
    assert_eq!(t.pair.name, "gaussians4", "the run keeps its data after bad input");
    let mut g = trainer("method=mke&pair=gaussians8&mode=generative&batch=32&eval_n=64");
    let err = g.set_points(Side::X, parse_csv("0,0\n1,1\n").unwrap()).unwrap_err().to_string();
    assert!(err.contains("mode") && err.contains("noise"), "{err}");
}

#[test]
fn every_preset_builds_and_trains_a_step() {
    for (method, preset) in registry::presets() {
        let name = preset.name;
        let mut cfg = registry::config(method.name).unwrap();
        cfg.set("pair", "gaussians4").unwrap();
        cfg.merge_query(preset.query).unwrap_or_else(|e| panic!("{name}: {e}"));
        cfg.set("batch", "32").unwrap();
        cfg.set("eval_n", "64").unwrap();
        let mut t = Trainer::new(cfg).unwrap_or_else(|e| panic!("{name}: {e}"));
        t.step(Phase::Both).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}

#[test]
fn charts_follow_the_run_and_the_geodesic_chart_starts_on_the_ideal_curve() {
    let mut t = trainer("method=w2gan&pair=gaussians4&batch=64&eval_n=128&eval_every=5");
    t.run(20).unwrap();
    let m = metrics_chart(&t);
    let w2 = &m.series.iter().find(|s| s.name == "W2²").unwrap().points;
    assert_eq!(w2.len(), 5, "one point per evaluation (steps 0, 5, …, 20)");
    let evals = t.evals.items();
    assert!(w2.iter().zip(evals).all(|(p, e)| p.0 == e.step as f32 && (p.1 as f64 - e.w2sq).abs() < 1e-6));
    // the metrics come with their sampling floors as references: flat for W2² and MapErr, and
    // for GeoDev that of the end of the geodesic scaled by t̄² at each evaluation
    let (set, reference) = (t.eval_set(), |name: &str| {
        let s = m.series.iter().find(|s| s.name == name).unwrap_or_else(|| panic!("{name} charted"));
        assert!(s.reference && s.points.len() == evals.len(), "{name}");
        s.points.iter().map(|p| p.1).collect::<Vec<f32>>()
    });
    assert!(reference("W2² floor").iter().all(|&f| f == set.floor as f32));
    assert!(reference("MapErr floor").iter().all(|&f| f == set.map_err_floor().unwrap() as f32));
    let geo = set.geo_dev_floor().unwrap();
    for (f, e) in reference("GeoDev floor").iter().zip(evals) {
        assert_eq!(*f, (geo * e.progress.unwrap().powi(2)) as f32, "GeoDev floor at step {}", e.step);
    }
    let losses = loss_chart(&t);
    let critic = &losses.series.iter().find(|s| s.name == "critic").expect("critic loss charted").points;
    // the critic warm-up's 2005 updates before G's first step are spread over that step
    let first = critic.iter().filter(|p| p.0 > 0.0 && p.0 < 1.0).count();
    assert!(first > 10 && critic.iter().all(|p| p.0 > 0.0 && p.0 <= 20.0), "{first}: {critic:?}");
    let g = geodesic_chart(&t).expect("map mode has a geodesic chart");
    let ideal = &g.series[0].points;
    assert!(
        (ideal[0].1 - 1.0).abs() < 1e-6 && ideal.windows(2).all(|w| w[1].1 < w[0].1),
        "e^(−2s) falls from 1"
    );
    let run = &g.series[1].points;
    assert_eq!(run[0], (0.0, 1.0), "the run starts at s = 0 with the identity's W2²");
    let generative = trainer("method=mke&pair=gaussians8&mode=generative&batch=32&eval_n=64");
    assert!(geodesic_chart(&generative).is_none(), "no geodesic chart without a source to map");
}

#[test]
fn laguerre_cells_and_the_geodesic_layer_draw() {
    let mut t = trainer("method=semidual&pair=checkerboard&sd_targets=16&eval_n=128");
    t.run(50).unwrap();
    let s = main_view(&mut t, &Layers { cells: true, ..Layers::default() });
    let heat = s.heat.expect("cells drawn as a categorical heat map");
    assert!(heat.categorical && heat.name.contains("16 targets"), "{}", heat.name);
    let raster = t.model_ref().cells(heat.size, heat.size, &s.window).unwrap();
    let cells: std::collections::BTreeSet<u32> = raster.cells.iter().copied().collect();
    assert!(cells.len() >= 12, "most of the 16 cells are visible: {}", cells.len());
    // neighbouring cells get different colours
    let w = heat.size;
    let touching = (0..raster.cells.len())
        .filter(|p| p % w + 1 < w && raster.cells[p + 1] != raster.cells[*p])
        .all(|p| heat.values[p + 1] != heat.values[p]);
    assert!(touching, "two cells that touch share a colour");
    let at =
        s.clouds.iter().position(|c| c.label.starts_with("cell sites")).expect("the cell sites are drawn");
    let sites = &s.clouds[at];
    assert_eq!(sites.points, raster.sites, "the sites drawn are the 16 targets");
    assert_eq!(sites.points.nrows(), 16);
    assert_eq!(s.clouds.last().unwrap().label, "T(X)", "T(X), landing on the sites, is drawn over them");
    // the read-out's cell masses start far from equal (nearest-neighbour cells) and close in
    let spread = |t: &Trainer| t.last_eval().and_then(|e| e.cell_mass).map(|[lo, hi]| hi - lo).unwrap();
    let first = t.evals.items()[0].cell_mass.map(|[lo, hi]| hi - lo).unwrap();
    t.run(3000).unwrap();
    assert!(first > 1.0 && spread(&t) < 0.5, "cell masses' spread {first} at step 0, {} later", spread(&t));
    assert!(trainer("method=w2ot&pair=gaussians4&eval_n=64").evaluate().unwrap().cell_mass.is_none());

    let mut w = trainer("method=w2gan&pair=gaussians4&eval_n=64");
    let at = |w: &mut Trainer, t| {
        main_view(w, &Layers { geodesic: Some(t), ..Layers::default() }).clouds.last().unwrap().points.clone()
    };
    let (x, m) = (w.eval_source().clone(), w.eval_matched().unwrap().clone());
    assert!((at(&mut w, 0.0) - &x).norm() < 1e-4, "μ_0 = X");
    assert!((at(&mut w, 1.0) - &m).norm() < 1e-4, "μ_1 = the matched targets");
}

#[test]
fn the_potential_map_arrows_are_named_after_the_methods_potential() {
    for (q, label) in [("method=icnn&eval_n=64", "x → ∇ψ(x)"), ("method=w2ot&eval_n=64", "x → x − ∇φ(x)")]
    {
        let mut t = trainer(q);
        t.run(1).unwrap();
        let offered = available_layers(&mut t);
        assert!(offered.iter().any(|(k, l)| k == "monge" && l == label), "{q}: {offered:?}");
        let s = main_view(&mut t, &Layers { monge: true, ..Layers::default() });
        assert!(s.arrows.iter().any(|a| a.label == label), "{q}: the arrows' legend reads {label}");
    }
}

#[test]
fn mapped_points_are_g_of_x_for_a_generator_and_t_of_x_for_a_map_read_off_potentials() {
    for (q, points, map) in [
        ("method=w2gan&eval_n=64", "G(X)", "learned map x → G(x)"),
        ("method=w2ot&eval_n=64", "T(X)", "learned map x → T(x)"),
        ("method=semidual&eval_n=64", "T(X)", "learned map x → T(x)"),
    ] {
        let mut t = trainer(q);
        let offered = available_layers(&mut t);
        assert!(offered.iter().any(|(k, l)| k == "gx" && l == points), "{q}: {offered:?}");
        assert!(offered.iter().any(|(k, l)| k == "map" && l == map), "{q}: {offered:?}");
        let s = main_view(&mut t, &Layers { gx: true, map: true, ..Layers::default() });
        assert!(s.clouds.iter().any(|c| c.label == points) && s.arrows.iter().any(|a| a.label == map), "{q}");
    }
}

#[test]
fn the_layers_a_methods_watch_text_speaks_of_are_offered_by_its_default_run() {
    for m in registry::METHODS {
        let mut t = trainer(&format!("method={}&eval_n=64", m.name));
        let offered = available_layers(&mut t);
        for layer in m.shows {
            assert!(offered.iter().any(|(k, _)| k == layer), "{}: {layer} in {offered:?}", m.name);
        }
    }
}
