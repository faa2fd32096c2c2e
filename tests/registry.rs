//! The one registry: every entry is consistent, every method builds and reads only its own keys,
//! links round-trip exactly (same config, same first steps), switching methods keeps what the
//! user chose, and every parser survives random and mutated input with errors that name the key
//! or line.

use otlab::method::keys::{self, KEYS};
use otlab::method::{Config, Kind, Mode};
use otlab::registry::{self, METHODS};
use otlab::rng::{self, Rng};
use otlab::train::{Phase, Trainer};
use std::collections::BTreeSet;

#[test]
fn every_entry_is_consistent() {
    let mut names = BTreeSet::new();
    let mut presets = BTreeSet::new();
    for m in METHODS {
        assert!(names.insert(m.name), "duplicate method {}", m.name);
        assert!(!m.modes.is_empty(), "{}: no mode", m.name);
        for (k, v) in m.defaults {
            assert!(m.has_key(k.name), "{}: default for `{}`, which is not among its keys", m.name, k.name);
            assert_ne!(*v, k.default, "{}: override of `{}` equals the table's default", m.name, k.name);
        }
        let cfg = Config::new(m);
        for k in m.all_keys() {
            let shown = cfg.show(k.name).unwrap();
            assert!(!shown.contains("NaN"), "{}: default of `{}` does not parse", m.name, k.name);
            assert!(KEYS.iter().any(|t| t.name == k.name), "{}: `{}` not in the key table", m.name, k.name);
        }
        assert_eq!(cfg.mode(), m.default_mode());
        for p in m.presets {
            assert!(presets.insert(p.name), "duplicate preset {}", p.name);
            let mut c = Config::new(m);
            c.merge_query(p.query).unwrap_or_else(|e| panic!("preset {}: {e}", p.name));
        }
        for t in [m.trains, m.loss, m.watch, m.step_name] {
            assert!(!t.is_empty(), "{}: missing explanation", m.name);
        }
        // the page shows Watch unfolded: a few lines, the measurements go in `measured`
        assert!(
            m.watch.chars().count() <= 320,
            "{}: Watch is {} characters",
            m.name,
            m.watch.chars().count()
        );
    }
    let table: BTreeSet<_> = KEYS.iter().map(|k| k.name).collect();
    assert_eq!(table.len(), KEYS.len(), "key names are unique");
}

#[test]
fn reading_a_key_outside_the_entry_is_an_error_naming_it() {
    let cfg = registry::config("w2ot").unwrap();
    let _ = cfg.get(keys::N_CRITIC);
    let e = cfg.check_reads().unwrap_err().to_string();
    assert!(e.contains("n_critic") && e.contains("w2ot"), "{e}");
    assert!(cfg.check_reads().is_ok(), "the check reports once");
    let _ = cfg.get(keys::BATCH);
    assert!(cfg.check_reads().is_ok(), "general keys belong to every method");
}

/// A random valid value of `k` for a quick run (sizes capped so 20 steps stay cheap).
fn random_value(k: &keys::KeySpec, modes: &[Mode], r: &mut Rng) -> String {
    let cap = |name: &str| match name {
        "batch" | "eval_n" => 48,
        "critic_width" | "gen_width" | "enc_width" => 12,
        "critic_depth" | "gen_depth" | "enc_depth" => 2,
        "sd_targets" => 24,
        "dual_steps" | "critic_warmup" => 4,
        "n_critic" => 3,
        "steps" | "eval_every" => 50,
        _ => i64::MAX,
    };
    match k.kind {
        Kind::Int { min, max } => {
            let hi = max.min(cap(k.name).max(min));
            (min + rng::index(r, (hi - min + 1) as usize) as i64).to_string()
        }
        Kind::Float { min, max, log } => {
            let u = rng::uniform(r) as f64;
            let v = if log && min > 0.0 {
                (min.ln() + u * (max.ln() - min.ln())).exp()
            } else {
                min + u * (max - min)
            };
            format!("{}", v.clamp(min, max))
        }
        Kind::Choice(_) if k.name == "mode" => modes[rng::index(r, modes.len())].name().to_string(),
        Kind::Choice(of) => of[rng::index(r, of.len())].to_string(),
        Kind::Bool => (rng::index(r, 2) == 1).to_string(),
    }
}

/// Loss curves and the learned map on the held-out source.
type Outcome = (Vec<Vec<(f64, f64)>>, Vec<f32>);

/// The first `steps` steps of a config: the loss curves and the map, or the error.
fn first_steps(cfg: &Config, steps: usize) -> Result<Outcome, String> {
    let mut t = Trainer::new(cfg.clone()).map_err(|e| e.to_string())?;
    t.run(steps).map_err(|e| e.to_string())?;
    let x = t.eval_source().clone();
    Ok((t.losses.iter().map(|c| c.points()).collect(), t.model().apply(&x).as_slice().to_vec()))
}

#[test]
fn a_link_holds_every_key_and_reproduces_the_run() {
    let mut r = rng::seeded(2024);
    for m in METHODS {
        for trial in 0..3 {
            let mut cfg = Config::new(m);
            for k in m.all_keys() {
                let v = random_value(k, m.modes, &mut r);
                cfg.set(k.name, &v).unwrap_or_else(|e| panic!("{}: {e}", m.name));
            }
            let q = cfg.to_query();
            let back = registry::parse(&q).unwrap_or_else(|e| panic!("{}: {q}: {e}", m.name));
            assert_eq!(back, cfg, "{} trial {trial}: {q}", m.name);
            assert_eq!(back.to_query(), q);
            for k in m.all_keys() {
                assert!(q.contains(&format!("&{}=", k.name)), "{}: the link holds `{}`", m.name, k.name);
            }
            assert_eq!(first_steps(&cfg, 20), first_steps(&back, 20), "{}: same first 20 steps: {q}", m.name);
        }
    }
}

#[test]
fn switching_methods_keeps_shared_choices_and_falls_back_to_a_valid_mode() {
    let mut t = Trainer::new(
        registry::parse("method=w2gan&pair=gaussians4&batch=64&eval_n=64&seed=5&critic_lr=2e-3").unwrap(),
    )
    .unwrap();
    let names: Vec<&str> = METHODS.iter().map(|m| m.name).collect();
    // through all methods from a map run, then from a generative run (chosen on w2gan)
    for start in ["map", "generative"] {
        if start == "generative" {
            t.set("method", "w2gan").unwrap();
            t.set("mode", "generative").unwrap();
        }
        for name in &names {
            t.set("method", name).unwrap_or_else(|e| panic!("switch to {name}: {e}"));
            let m = t.cfg.method();
            assert_eq!(m.name, *name);
            assert!(m.modes.contains(&t.cfg.mode()), "{name}: mode {:?} is valid", t.cfg.mode());
            assert_eq!(t.cfg.seed(), 5, "{name}: the seed is kept");
            assert_eq!(t.cfg.show("batch").as_deref(), Some("64"), "{name}: a chosen batch is kept");
            if m.has_key("critic_lr") {
                assert_eq!(
                    t.cfg.show("critic_lr").as_deref(),
                    Some("0.002"),
                    "{name}: a chosen critic lr is kept"
                );
            }
            t.step(Phase::Both).unwrap_or_else(|e| panic!("{name} after switching: {e}"));
            assert_eq!(t.steps(), 1, "{name} trains");
        }
    }
    // an unchanged default is not carried over: wgan's own critic lr applies after w2gan's default
    let mut t = Trainer::new(registry::parse("method=w2gan&pair=gaussians4&eval_n=64").unwrap()).unwrap();
    t.set("method", "wgan").unwrap();
    assert_eq!(t.cfg.show("critic_lr").as_deref(), Some("0.0005"));
    // the default mode is taken when the current one is not supported
    t.set("method", "vae").unwrap();
    assert_eq!(t.cfg.mode(), Mode::Generative);
    // and back: the autoencoder's only mode was not a choice, so W2GAN opens in its map mode
    t.set("method", "w2gan").unwrap();
    assert_eq!(t.cfg.mode(), Mode::Map, "vae → w2gan opens W2GAN's own first mode");
    // a chosen mode stays chosen through methods that have it, even where it is their default
    t.set("mode", "generative").unwrap();
    for (name, mode) in
        [("wgan-gp", Mode::Generative), ("vae", Mode::Generative), ("w2gan", Mode::Generative)]
    {
        t.set("method", name).unwrap();
        assert_eq!(t.cfg.mode(), mode, "w2gan generative → … → {name}");
    }
    t.set("method", "mke").unwrap();
    t.set("mode", "map").unwrap();
    t.set("method", "w2gan").unwrap();
    t.set("method", "mke").unwrap();
    assert_eq!(t.cfg.mode(), Mode::Map, "mke map → w2gan → mke keeps the chosen map mode");
}

#[test]
fn a_settled_run_keeps_only_its_data_and_what_is_set_after_on_a_change_of_method() {
    // the page opens a link, a preset or its opening run settled: their tuning stays with them
    let mut cfg =
        registry::parse("method=w2gan&pair=gaussians4&seed=3&gen_lr=3e-4&eval_every=25&mode=generative")
            .unwrap();
    cfg.settle();
    let mut t = Trainer::new(cfg).unwrap();
    t.set("method", "wgan-gp").unwrap();
    let own = registry::config("wgan-gp").unwrap();
    for k in ["gen_lr", "eval_every", "mode"] {
        assert_eq!(t.cfg.show(k), own.show(k), "{k} gives way to WGAN-GP's default");
    }
    assert_eq!((t.cfg.seed(), t.cfg.show("pair").as_deref()), (3, Some("gaussians4")), "the data stays");
    // set after: kept across methods, parked where a method lacks it, and back with one that has it
    t.set("n_critic", "7").unwrap();
    t.set("method", "mke").unwrap();
    t.set("method", "wgan-gp").unwrap();
    assert_eq!(t.cfg.show("n_critic").as_deref(), Some("7"), "n_critic waits out MKE");
    // a chosen mode waits out a method without it (the semi-dual maps only)
    t.set("mode", "generative").unwrap();
    t.set("method", "semidual").unwrap();
    assert_eq!(t.cfg.mode().name(), "map");
    t.set("method", "gan").unwrap();
    assert_eq!(t.cfg.mode().name(), "generative", "the generative mode chosen on WGAN-GP is back");
}

#[test]
fn a_rebuild_keeps_the_held_out_set_only_while_it_was_drawn_for_the_same_run() {
    let mut t =
        Trainer::new(registry::parse("method=w2gan&pair=gaussians4&batch=32&eval_n=64").unwrap()).unwrap();
    let (x, y, floor) = (t.eval_source().clone(), t.eval_target().clone(), t.eval_set().map_err_floor());
    let same = |t: &Trainer| t.eval_source() == &x && t.eval_target() == &y;
    t.set("method", "wgan-gp").unwrap();
    t.reset().unwrap();
    assert!(
        same(&t) && t.eval_set().map_err_floor() == floor,
        "another method is measured on the same points"
    );
    t.set("seed", "6").unwrap();
    assert!(!same(&t), "a new seed draws new held-out points");
    t.set("seed", "0").unwrap();
    assert!(same(&t), "and the old seed the old ones");
    t.set("eval_n", "32").unwrap();
    assert_eq!(t.eval_source().nrows(), 32, "a new size draws afresh");
    let y32 = t.eval_target().clone();
    t.set("pair", "checkerboard").unwrap();
    assert!(t.eval_target().nrows() == 32 && t.eval_target() != &y32, "a new pair draws its own targets");
    t.set("method", "mke").unwrap();
    t.set("mode", "generative").unwrap();
    let e = t.eval_set();
    assert!(e.latent_floor.is_some() && e.matched.is_none(), "generative mode gets a generative set");
    assert_eq!(t.eval_source().ncols(), t.cfg.get(otlab::method::keys::LATENT_DIM), "of latent noise");
}

#[test]
fn an_unchanged_value_does_not_rebuild_the_run() {
    let mut t =
        Trainer::new(registry::parse("method=w2gan&pair=gaussians4&batch=32&eval_n=64").unwrap()).unwrap();
    t.run(3).unwrap();
    assert!(!t.set("critic_width", "64").unwrap(), "same width: no rebuild");
    assert_eq!(t.steps(), 3);
    assert!(t.set("critic_width", "32").unwrap());
    assert_eq!(t.steps(), 0);
}

/// Random text over an alphabet that hits the parsers' special characters.
fn random_text(r: &mut Rng, len: usize) -> String {
    const ALPHABET: &[char] = &[
        'a', 'x', 'y', '0', '1', '9', '.', '-', '+', 'e', ',', '\n', '\r', ' ', '#', '=', '&', '%', 'F', '%',
        '"', '{', '}', '[', ']', ':', 'é', 'μ', '\u{0}', 'n', 'a', 'N', 'i', 'f',
    ];
    (0..len).map(|_| ALPHABET[rng::index(r, ALPHABET.len())]).collect()
}

/// `text` with a few random characters replaced, inserted or deleted.
fn mutate(text: &str, r: &mut Rng) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for _ in 0..1 + rng::index(r, 3) {
        let at = rng::index(r, chars.len() + 1);
        let c = random_text(r, 1).chars().next().unwrap();
        match rng::index(r, 3) {
            0 if at < chars.len() => chars[at] = c,
            1 if at < chars.len() => {
                chars.remove(at);
            }
            _ => chars.insert(at, c),
        }
    }
    chars.into_iter().collect()
}

#[test]
fn the_query_parser_never_panics_and_names_the_key() {
    let mut r = rng::seeded(7);
    let valid = registry::config("w2gan").unwrap().to_query();
    for i in 0..3000 {
        let len = 1 + rng::index(&mut r, 40);
        let q = if i % 2 == 0 { random_text(&mut r, len) } else { mutate(&valid, &mut r) };
        match registry::parse(&q) {
            Ok(c) => assert!(!c.to_query().is_empty()),
            Err(e) => {
                let text = e.to_string();
                assert!(text.starts_with("setting `"), "{q:?}: {text}");
            }
        }
        let (c, errors) = registry::parse_lenient(&q);
        assert!(c.method().modes.contains(&c.mode()), "{q:?}");
        assert!(errors.iter().all(|e| e.to_string().starts_with("setting `")), "{q:?}");
    }
    let e = registry::parse("method=w2gan&critic_lr=%zz").unwrap_err().to_string();
    assert!(e.contains("critic_lr") && e.contains("%zz"), "{e}");
    let (c, errors) = registry::parse_lenient("method=w2g&pair=spirals&batch=-3");
    assert_eq!(c.method().name, "w2gan");
    assert_eq!(c.show("pair").as_deref(), Some("spirals"), "what is valid loads");
    assert_eq!(errors.len(), 2, "{errors:?}");
    // one bad escape spoils only its own entry: the method and the other keys load
    let (c, errors) = registry::parse_lenient("method=wgan-gp&pair=%zzgaussians4&gen_lr=1e-3");
    assert_eq!((c.method().name, c.show("gen_lr").as_deref()), ("wgan-gp", Some("0.001")));
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].to_string().contains("pair"), "{errors:?}");
}

#[test]
fn the_csv_parser_never_panics_and_names_the_line() {
    let mut r = rng::seeded(8);
    let valid = "x,y\n0.5,1\n-1,2e-1\n3,4\n";
    for i in 0..3000 {
        let len = rng::index(&mut r, 60);
        let text = if i % 2 == 0 { random_text(&mut r, len) } else { mutate(valid, &mut r) };
        match otlab::data::parse_csv(&text) {
            Ok(p) => assert!(p.nrows() > 0 && p.iter().all(|v| v.is_finite()), "{text:?}"),
            Err(e) => {
                let msg = e.to_string();
                assert!(msg.starts_with("data line ") || msg == "data: no points found", "{text:?}: {msg}");
            }
        }
    }
}

#[test]
fn the_parameters_loader_never_panics_and_names_the_network() {
    let mut r = rng::seeded(9);
    let mut t =
        Trainer::new(registry::parse("method=w2gan&batch=32&eval_n=32&critic_width=4&gen_width=4").unwrap())
            .unwrap();
    let saved = t.model_ref().save().to_string();
    for _ in 0..600 {
        let text = mutate(&saved, &mut r);
        let Ok(v) = serde_json::from_str::<serde_json::Value>(&text) else { continue };
        if let Err(e) = t.model().load(&v) {
            let msg = e.to_string();
            assert!(msg.starts_with("setting `"), "{msg}");
        }
    }
    assert!(t.model().load(&serde_json::from_str(&saved).unwrap()).is_ok(), "the real file still loads");
}

#[test]
fn the_layer_list_parser_never_panics_and_names_the_entry() {
    use otlab::train::views::Layers;
    let mut r = rng::seeded(10);
    let valid = "x,y,gx,map,ot,heat1,signal,monge,trails,reconstruct,cells,geo=0.5,view=-2;-2;4";
    let l = Layers::parse(valid).unwrap();
    assert!(l.x && l.cells && l.heat == Some(1) && l.geodesic == Some(0.5) && l.window.is_some());
    assert!(l.legend && !Layers::parse("x,nolegend").unwrap().legend, "the legend can be left out");
    assert_eq!(Layers::parse("geo=7").unwrap().geodesic, Some(1.0), "t is clamped to [0, 1]");
    for i in 0..3000 {
        let len = rng::index(&mut r, 30);
        let text = if i % 2 == 0 { random_text(&mut r, len) } else { mutate(valid, &mut r) };
        if let Err(e) = Layers::parse(&text) {
            let msg = e.to_string();
            let named = msg.split('`').nth(3).unwrap_or_default();
            assert!(
                msg.starts_with("setting `layers`: ") && text.split(',').any(|item| item.trim() == named),
                "{text:?}: {msg}"
            );
        }
    }
    for bad in ["heat9", "geo=x", "view=1;2", "view=0;0;-1", "gxx"] {
        assert!(Layers::parse(bad).unwrap_err().to_string().contains(bad), "{bad}");
    }
}

#[test]
fn a_links_layer_list_keeps_what_it_can_and_names_the_rest() {
    use otlab::train::views::LinkLayers;
    let read = LinkLayers::read(" x,geo=half,view=1;2,later,geo=0.3, view=0;-1;3 ,");
    assert_eq!(
        read.names,
        ["x", "geo", "later", "geo"],
        "names kept, any name, geo asked for even when malformed"
    );
    assert_eq!((read.t, read.view), (Some(0.3), Some([0.0, -1.0, 3.0])));
    assert_eq!(read.problems.len(), 2, "{:?}", read.problems);
    assert!(
        read.problems[0].contains("`geo=half`") && read.problems[1].contains("`view=1;2`"),
        "{:?}",
        read.problems
    );
    assert!(read.problems[1].ends_with("the view fits the data"), "{:?}", read.problems);
    assert_eq!(LinkLayers::read("geo=7").t, Some(1.0), "t is clamped to [0, 1]");
}
