//! The command-line contract of architecture.md: flags, JSON fields, errors on stderr with exit 2.

use std::process::{Command, Output};

fn otlab(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_otlab")).args(args).output().expect("otlab runs")
}

fn tmp(name: &str, text: &str) -> String {
    let dir = std::env::temp_dir().join(format!("otlab-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.to_string_lossy().into_owned()
}

fn json(out: &Output) -> serde_json::Value {
    assert!(out.status.success(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("one JSON object on stdout")
}

#[test]
fn sample_prints_csv_and_is_deterministic() {
    let a = otlab(&["sample", "--pair", "spirals", "--n", "5", "--seed", "3", "--side", "y"]);
    let b = otlab(&["sample", "--pair", "spirals", "--n", "5", "--seed", "3", "--side", "y"]);
    assert!(a.status.success());
    assert_eq!(a.stdout, b.stdout);
    let text = String::from_utf8(a.stdout).unwrap();
    assert_eq!(text.lines().count(), 6, "header + 5 points");
    assert!(text.starts_with("x,y\n"));
}

#[test]
fn ot_exact_and_sinkhorn_print_the_contract_fields() {
    let xs = String::from_utf8(otlab(&["sample", "--pair", "gaussians4", "--n", "64", "--side", "x"]).stdout)
        .unwrap();
    let ys = String::from_utf8(otlab(&["sample", "--pair", "gaussians4", "--n", "64", "--side", "y"]).stdout)
        .unwrap();
    let (x, y) = (tmp("x.csv", &xs), tmp("y.csv", &ys));
    let exact = json(&otlab(&["ot", "--x", &x, "--y", &y, "--json"]));
    assert_eq!(exact["n"], 64);
    assert_eq!(exact["solver"], "exact");
    assert!(exact["seconds"].as_f64().unwrap() >= 0.0);
    let perm = exact["perm"].as_array().unwrap();
    assert_eq!(perm.len(), 64);
    let w = exact["w2sq"].as_f64().unwrap();
    assert!(w > 0.5 && w < 1.5, "4-Gaussians W2² ≈ 1: {w}");
    let sk = json(&otlab(&["ot", "--x", &x, "--y", &y, "--solver", "sinkhorn", "--eps", "0.01", "--json"]));
    assert_eq!(sk["solver"], "sinkhorn");
    assert!(sk.get("perm").is_none(), "perm only for exact");
    let ws = sk["w2sq"].as_f64().unwrap();
    assert!(ws >= w - 1e-9 && ws < w * 1.1, "sinkhorn {ws} vs exact {w}");
}

#[test]
fn bad_inputs_exit_2_and_name_the_problem() {
    let x = tmp("bad-x.csv", "x,y\n0,0\n1,oops\n");
    let y = tmp("ok-y.csv", "x,y\n0,0\n1,1\n");
    let out = otlab(&["ot", "--x", &x, "--y", &y, "--json"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("line 3") && err.contains("bad-x.csv") && err.contains("oops"), "{err}");

    let y3 = tmp("three-y.csv", "0,0\n1,1\n2,2\n");
    let out = otlab(&["ot", "--x", &y, "--y", &y3]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("2×2 but target is 3×2"));

    let out = otlab(&["ot", "--x", "/nonexistent.csv", "--y", &y]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent.csv"));

    let out = otlab(&["sample", "--pair", "moon"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown pair `moon`"));
}

#[test]
fn train_help_names_every_method_of_the_registry() {
    let help = String::from_utf8(otlab(&["train", "--help"]).stdout).unwrap();
    let listed: Vec<&str> = help
        .split_once("Method (")
        .and_then(|(_, rest)| rest.split_once(')'))
        .map(|(names, _)| names.split(", ").collect())
        .unwrap_or_default();
    for m in otlab::registry::METHODS {
        assert!(listed.contains(&m.name), "`otlab train --help` leaves out {}: {help}", m.name);
    }
}

#[test]
fn train_prints_the_contract_fields_and_writes_frames() {
    let dir = std::env::temp_dir().join(format!("otlab-frames-{}", std::process::id()));
    let d = dir.to_string_lossy().to_string();
    let out = otlab(&[
        "train",
        "--method",
        "w2ot",
        "--pair",
        "gaussians4",
        "--steps",
        "20",
        "--set",
        "eval_every=10",
        "--set",
        "batch=64",
        "--out",
        &d,
        "--json",
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v = json(&out);
    for k in ["method", "pair", "steps", "w2sq", "map_err", "geo_dev", "seconds", "steps_per_s"] {
        assert!(v.get(k).is_some(), "missing field {k}: {v}");
    }
    assert_eq!(v["steps"], 20);
    assert!(v["w2sq"].as_f64().unwrap() < v["baseline_w2sq"].as_f64().unwrap());
    for k in ["map_err_floor", "geo_dev_floor"] {
        assert!(v[k].as_f64().is_some_and(|f| f > 0.0 && f.is_finite()), "{k}: {v}");
    }
    for f in [
        "data.svg",
        "map.svg",
        "critic_0.svg",
        "critic_1.svg",
        "step_000000.svg",
        "step_000020.svg",
        "charts.svg",
    ] {
        let text = std::fs::read_to_string(dir.join(f)).unwrap_or_else(|e| panic!("{f}: {e}"));
        assert!(
            text.contains("<svg") && (text.contains("<rect") || text.contains("<circle")),
            "{f} draws something"
        );
    }
    let bad = otlab(&["train", "--method", "w2gan", "--pair", "checkerboard", "--set", "gen_lr=abc"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("gen_lr"));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn claims_quick_measures_every_claim_with_a_verdict_and_the_command_behind_it() {
    // the smoke budget of every claim's pipeline (seed 0, a twentieth of the steps)
    let v = json(&otlab(&["claims", "--quick", "--json"]));
    assert_eq!(v["quick"], true);
    let rows = v["claims"].as_array().expect("a list of claims");
    assert!(rows.len() >= 13, "every claim of both families: {} rows", rows.len());
    for r in rows {
        for k in ["claim", "source", "measure", "value", "command"] {
            assert!(r[k].as_str().is_some_and(|s| !s.is_empty()), "row without {k}: {r}");
        }
        assert!(["reproduced", "partly", "not_reproduced"].contains(&r["verdict"].as_str().unwrap()), "{r}");
        assert!(r["command"].as_str().unwrap().starts_with("otlab train "), "{r}");
    }
    let geodesic = rows.iter().find(|r| r["claim"].as_str().unwrap().contains("geodesic")).unwrap();
    // the GeoDev of a near-exact map, one per pair
    let value = geodesic["value"].as_str().unwrap();
    let floors = value.split("has GeoDev ").nth(1).unwrap_or_else(|| panic!("the GeoDev floor: {value}"));
    let floors: Vec<f64> = floors.split(" / ").map(|f| f.trim().parse().unwrap()).collect();
    assert!(floors.len() == 3 && floors.iter().all(|f| *f > 0.0 && f.is_finite()), "{value}");
}
