//! The CLI's contract: JSON and CSV shapes, exit status 2 with a one-line message naming the
//! argument for bad input, and --help.
#![cfg(not(target_arch = "wasm32"))]

use std::process::{Command, Output};

fn cli(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lyapunov-lens"))
        .args(args)
        .output()
        .expect("CLI runs")
}

#[test]
fn run_json_has_config_points_and_metrics() {
    let out = cli(&[
        "run", "--steps", "50", "--n", "200", "--sigma", "1.5", "--seed", "3",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for key in [
        "alpha", "beta", "gamma", "delta", "x0", "y0", "t_end", "n", "sigma", "seed", "model",
        "lr", "steps",
    ] {
        assert!(v["config"].get(key).is_some(), "config lacks {key}");
    }
    assert_eq!(v["config"]["steps"], 50);
    assert_eq!(v["config"]["sigma"], 1.5);
    let points = v["points"].as_array().unwrap();
    assert_eq!(points.len(), 200);
    for key in ["t", "x", "y", "x_obs", "y_obs", "attention", "dv_dn"] {
        assert!(points[0].get(key).is_some(), "points lack {key}");
    }
    let total: f64 = points
        .iter()
        .map(|p| p["attention"].as_f64().unwrap())
        .sum();
    assert!((total - 1.0).abs() < 1e-12);
    for key in [
        "pearson",
        "spearman",
        "peak_offset",
        "peak_offset_periods",
        "ess",
        "loss",
    ] {
        assert!(
            v["metrics"][key].is_number(),
            "metrics.{key} missing or null"
        );
    }
}

#[test]
fn run_csv_is_the_same_table_with_a_header() {
    let out = cli(&["run", "--format", "csv", "--n", "10", "--steps", "3"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "t,x,y,x_obs,y_obs,attention,dv_dn");
    assert_eq!(lines.len(), 11);
    let json = cli(&["run", "--n", "10", "--steps", "3"]);
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let row: Vec<f64> = lines[5].split(',').map(|c| c.parse().unwrap()).collect();
    assert_eq!(
        row[5],
        v["points"][4]["attention"].as_f64().unwrap(),
        "CSV and JSON agree bit for bit"
    );
}

#[test]
fn out_writes_a_file() {
    let path = std::env::temp_dir().join(format!("ll-cli-{}.json", std::process::id()));
    let out = cli(&["run", "--n", "20", "--out", path.to_str().unwrap()]);
    assert!(out.status.success() && out.stdout.is_empty());
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(v["points"].as_array().unwrap().len(), 20);
    std::fs::remove_file(path).ok();
}

#[test]
fn bad_arguments_exit_2_with_one_line_naming_the_argument() {
    for (args, named) in [
        (&["run", "--sigma", "-1"][..], "--sigma"),
        (&["run", "--n", "1"][..], "--n"),
        (&["run", "--n", "-5"][..], "--n"),
        (&["run", "--alpha", "NaN"][..], "--alpha"),
        (&["run", "--beta", "inf"][..], "--beta"),
        (&["run", "--x0", "0"][..], "--x0"),
        (&["run", "--t-end", "-3"][..], "--t-end"),
        (&["run", "--lr", "0"][..], "--lr"),
        (&["run", "--model", "transformer"][..], "--model"),
        (&["run", "--sigma", "abc"][..], "--sigma"),
        (&["run", "--seed", "9007199254740992"][..], "--seed"),
        (&["run", "--format", "xml"][..], "--format"),
    ] {
        let out = cli(args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert_eq!(
            stderr.trim_end().lines().count(),
            1,
            "{args:?}: not one line: {stderr}"
        );
        assert!(
            stderr.contains(named),
            "{args:?}: message does not name {named}: {stderr}"
        );
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn help_documents_every_option() {
    let out = cli(&["run", "--help"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for flag in [
        "--alpha", "--beta", "--gamma", "--delta", "--x0", "--y0", "--t-end", "--n", "--sigma",
        "--seed", "--model", "--lr", "--steps", "--format", "--out",
    ] {
        assert!(text.contains(flag), "--help lacks {flag}");
    }
}
