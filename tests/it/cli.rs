//! The CLI's contract: JSON and CSV shapes, exit status 2 with a one-line message naming the
//! argument for bad input, and --help. If it fails, scripts and `tests/reference/check_cli.py`
//! that read the CLI's output break, or bad input fails unhelpfully.

use std::process::{Command, Output};

/// Runs the CLI with `args` (shared by every module that checks a command).
pub(crate) fn cli(args: &[&str]) -> Output {
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

#[test]
fn sweep_csv_has_one_row_per_run_then_summaries_with_intervals() {
    let out = cli(&[
        "sweep", "--sigmas", "0,2", "--seeds", "6", "--n", "200", "--format", "csv",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let (runs, summary) = text
        .split_once("\n\n")
        .expect("two tables separated by a blank line");
    let runs: Vec<&str> = runs.lines().collect();
    assert!(
        runs[0].starts_with("model,noise,sigma,seed,status,steps,spearman,pearson"),
        "{}",
        runs[0]
    );
    assert!(runs[0].ends_with(",converged"), "{}", runs[0]);
    assert_eq!(runs.len(), 1 + 2 * 6, "header + 2 sigmas × 6 seeds");
    // Trained to convergence by default, and every row says so.
    assert!(runs[1..]
        .iter()
        .all(|r| r.contains(",converged,") && r.ends_with(",true")));
    // Independent noise per level: the second σ's seeds are offset.
    assert!(runs
        .iter()
        .any(|r| r.starts_with("paper-linear,gaussian,2,10000,")));
    let summary: Vec<&str> = summary.lines().collect();
    assert_eq!(
        summary[0],
        "model,noise,sigma,metric,reading,n,missing,excluded,estimate,ci95_low,ci95_high,negative,positive,share_negative,share_ci95_low,share_ci95_high,p_sign_test,p_holm"
    );
    let rho_at_2 = summary
        .iter()
        .find(|l| l.starts_with("paper-linear,gaussian,2,spearman,signed,"))
        .unwrap();
    let cells: Vec<f64> = rho_at_2
        .split(',')
        .skip(8)
        .map(|c| c.parse().unwrap())
        .collect();
    let (mean, lo, hi) = (cells[0], cells[1], cells[2]);
    assert!(
        (-1.0..=1.0).contains(&lo) && lo <= mean && mean <= hi && hi <= 1.0,
        "{rho_at_2}"
    );
    let (share, share_lo, share_hi, p, p_holm) = (cells[5], cells[6], cells[7], cells[8], cells[9]);
    assert!(0.0 <= share_lo && share_lo <= share && share <= share_hi && share_hi <= 1.0);
    assert!(p_holm >= p && p_holm <= 1.0, "{rho_at_2}");
    // The ratio is read on the log scale: its interval stays positive.
    let ratio = summary
        .iter()
        .find(|l| l.starts_with("paper-linear,gaussian,2,max_over_min,ratio,"))
        .unwrap();
    let low: f64 = ratio.split(',').nth(9).unwrap().parse().unwrap();
    assert!(low > 0.0, "{ratio}");
    // At σ = 0 the paper's model stays uniform: ρ undefined in all 6 runs.
    assert!(summary
        .iter()
        .any(|l| l.starts_with("paper-linear,gaussian,0,spearman,signed,0,6,0,,,,")));
}

#[test]
fn sweep_json_is_deterministic() {
    let args = [
        "sweep",
        "--sigmas",
        "1",
        "--seed-list",
        "4,7",
        "--steps",
        "30",
        "--n",
        "100",
        "--format",
        "json",
    ];
    let (a, b) = (cli(&args), cli(&args));
    assert!(a.status.success());
    assert_eq!(
        a.stdout, b.stdout,
        "the same arguments give the same numbers"
    );
    let v: serde_json::Value = serde_json::from_slice(&a.stdout).unwrap();
    assert_eq!(v["rows"].as_array().unwrap().len(), 2);
    assert_eq!(v["rows"][1]["seed"], 7);
}

#[test]
fn perturb_reports_both_curves_and_the_ratio() {
    let out = cli(&[
        "perturb", "--steps", "300", "--n", "300", "--format", "json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["ratio_low_over_high"].as_f64().unwrap() > 0.0);
    for side in ["high_attention", "low_attention"] {
        assert_eq!(v[side]["deviation"].as_array().unwrap().len(), 201);
        let (dv, first) = (
            v[side]["delta_v"].as_f64().unwrap(),
            v[side]["delta_v_first_order"].as_f64().unwrap(),
        );
        assert!(
            ((dv - first) / first).abs() < 0.01,
            "{side}: ΔV {dv} vs ε|∇V| {first}"
        );
    }
    let untrained = cli(&["perturb", "--steps", "0"]);
    assert_eq!(untrained.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&untrained.stderr).contains("uniform"));
}

#[test]
fn figures_are_written_as_svg_or_png() {
    let dir = std::env::temp_dir().join(format!("ll-fig-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (kind, file) in [("fig5", "a.svg"), ("phase", "b.png")] {
        let path = dir.join(file);
        let out = cli(&[
            "figure",
            "--kind",
            kind,
            "--steps",
            "50",
            "--n",
            "200",
            "--out",
            path.to_str().unwrap(),
        ]);
        assert!(
            out.status.success(),
            "{kind}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let bytes = std::fs::read(&path).unwrap();
        assert!(bytes.len() > 1000);
        if file.ends_with(".svg") {
            assert!(String::from_utf8_lossy(&bytes).contains("<svg"));
        } else {
            assert_eq!(&bytes[1..4], b"PNG");
        }
    }
    let bad = cli(&[
        "figure",
        "--kind",
        "fig5",
        "--out",
        dir.join("c.pdf").to_str().unwrap(),
    ]);
    assert_eq!(bad.status.code(), Some(2));
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn sweep_bad_arguments_exit_2() {
    for args in [
        &["sweep", "--sigmas", "-1"][..],
        &["sweep", "--sigmas", "abc"][..],
        &["sweep", "--models", "nope"][..],
        &["sweep", "--epsilon", "0"][..],
        &["sweep", "--seeds", "3", "--seed-list", "1,2"][..],
    ] {
        let out = cli(args);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(
            String::from_utf8_lossy(&out.stderr)
                .trim_end()
                .lines()
                .count(),
            1,
            "{args:?}"
        );
    }
}

#[test]
fn input_csv_trains_on_the_file_and_bad_csv_names_the_line() {
    let dir = std::env::temp_dir().join(format!("ll-input-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let exported = dir.join("points.csv");
    assert!(cli(&[
        "run",
        "--n",
        "120",
        "--steps",
        "20",
        "--format",
        "csv",
        "--out",
        exported.to_str().unwrap()
    ])
    .status
    .success());
    let again = cli(&[
        "run",
        "--input",
        exported.to_str().unwrap(),
        "--steps",
        "20",
    ]);
    assert!(
        again.status.success(),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    let original: serde_json::Value =
        serde_json::from_slice(&cli(&["run", "--n", "120", "--steps", "20"]).stdout).unwrap();
    let imported: serde_json::Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(
        imported["points"], original["points"],
        "export then import reproduces the run"
    );
    let bad = dir.join("bad.csv");
    std::fs::write(&bad, "t;prey;predator\n0;1;2\n1;x;3\n").unwrap();
    let out = cli(&["run", "--input", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("line 3, column 2") && stderr.lines().count() == 1,
        "{stderr}"
    );
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn systems_lists_the_six_systems() {
    let out = cli(&["systems", "--format", "json"]);
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let names: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "lotka-volterra",
            "pendulum",
            "van-der-pol",
            "goodwin",
            "lorenz",
            "rossler"
        ]
    );
    let text = String::from_utf8(cli(&["systems"]).stdout).unwrap();
    for name in names {
        assert!(text.contains(name), "text list lacks {name}");
    }
}

#[test]
fn lorenz_run_reports_finite_ftle_at_every_point() {
    let out = cli(&[
        "run", "--system", "lorenz", "--steps", "20", "--n", "300", "--format", "json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["config"]["system"], "lorenz");
    assert_eq!(v["config"]["measure"], "ftle");
    let points = v["points"].as_array().unwrap();
    assert_eq!(points.len(), 300);
    for p in points {
        let f = p["ftle"]
            .as_f64()
            .expect("every point has a number under ftle");
        assert!(f.is_finite());
        assert!(p["z_obs"].as_f64().is_some());
        assert!(p["dv_dn"].is_null(), "Lorenz has no V");
    }
    assert!(v["metrics"]["pearson"].as_f64().is_some());
    // The CSV has the same columns.
    let csv = cli(&["run", "--system", "lorenz", "--n", "50", "--format", "csv"]);
    let header = String::from_utf8(csv.stdout).unwrap();
    assert_eq!(
        header.lines().next().unwrap(),
        "t,x,y,z,x_obs,y_obs,z_obs,attention,dv_dn,ftle"
    );
}

#[test]
fn a_parameter_of_another_system_or_an_undefined_measure_is_a_usage_error() {
    for (args, named) in [
        (
            &["run", "--system", "lorenz", "--alpha", "1"][..],
            "--alpha",
        ),
        (
            &["run", "--system", "lorenz", "--measure", "dv-dn"][..],
            "--measure",
        ),
        (
            &["run", "--system", "goodwin", "--measure", "normal-growth"][..],
            "--measure",
        ),
        (
            &[
                "run",
                "--system",
                "rossler",
                "--model",
                "oracle-inverse-variance",
            ][..],
            "--model",
        ),
        (&["run", "--system", "pendulum", "--tau", "0"][..], "--tau"),
        (&["run", "--system", "nonsense"][..], "--system"),
        (
            &[
                "figure",
                "--kind",
                "phase",
                "--system",
                "lorenz",
                "--projection",
                "0,3",
                "--out",
                "/tmp/x.svg",
            ][..],
            "--projection",
        ),
    ] {
        let out = cli(args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert_eq!(stderr.trim_end().lines().count(), 1, "{args:?}: {stderr}");
        assert!(
            stderr.contains(named),
            "{args:?} does not name {named}: {stderr}"
        );
    }
}

#[test]
fn no_command_prints_the_usage_and_exits_2() {
    for args in [&[][..], &["--"][..]] {
        let out = cli(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("Usage: lyapunov-lens <COMMAND>") && err.contains("  run "),
            "{args:?}: {err}"
        );
    }
}

/// `findings` with a step budget no seed converges in: the kick-decile figure had no finite
/// value, plotters got an infinite axis and looked for its tick marks forever. It must finish
/// (about 1 s in debug) and still write the report.
#[test]
fn findings_where_nothing_converges_finishes() {
    let dir = std::env::temp_dir().join(format!("ll-findings-unconverged-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_lyapunov-lens"))
        .current_dir(&dir)
        .args(
            "findings --sigmas 1,2 --seeds 3 --n 100 --probe-seeds 1 --probe-max-steps 20 \
             --cross-systems lotka-volterra,van-der-pol --cross-models paper-linear \
             --cross-levels 1 --cross-seeds 2 --cross-n 100 --recovery-seeds 0 --steps 50 \
             --out-dir out --report out/FINDINGS.md"
                .split_whitespace(),
        )
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed().as_secs() > 60 {
            child.kill().unwrap();
            panic!("findings still running after 60 s");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    assert!(status.success(), "{status}");
    assert!(dir.join("out/FINDINGS.md").exists());
}
