//! Sweeps past one machine: `sweep` and `findings` run as `--shard K/N` and put back together by
//! `merge` must write the same bytes as the run on one machine, and `merge` must refuse a set
//! of shards that is not one run's, complete. The rows must read back from a shard file bit for
//! bit (NaN, infinities, −0, subnormals, undefined metrics). If it fails, a sharded sweep or
//! FINDINGS.md can differ from the single run it claims to be.

use lyapunov_lens::experiments::cross_system::CrossRow;
use lyapunov_lens::experiments::grid::{summarize, GridSpec, MetricRow};
use lyapunov_lens::experiments::recovery_study::{RecoveryRow, RecoverySpec};
use lyapunov_lens::experiments::sharding::grid_part::{decode_row, encode_row, GridPart};
use lyapunov_lens::experiments::sharding::shard::Shard;
use lyapunov_lens::experiments::sweep::SweepRow;
use lyapunov_lens::measures::measure::Measure;
use lyapunov_lens::models::kind::ModelKind;
use lyapunov_lens::observations::noise_model::NoiseModel;
use lyapunov_lens::systems::catalogue::SystemKind;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Runs the CLI with `args` in the folder `dir`.
fn cli_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lyapunov-lens"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("CLI runs")
}

/// `cli_in`, which must succeed.
fn ok_in(dir: &Path, args: &[&str]) -> Output {
    let out = cli_in(dir, args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// A fresh, empty folder for one test.
fn fresh_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ll-shards-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs `args` as `n` shards in `dir` (shard files `shard-K.json`) and returns their names.
fn run_shards(dir: &Path, args: &[&str], n: usize) -> Vec<String> {
    (1..=n)
        .map(|k| {
            let (shard, file) = (format!("{k}/{n}"), format!("shard-{k}.json"));
            let mut sharded = args.to_vec();
            sharded.extend(["--shard", &shard, "--shard-out", &file]);
            ok_in(dir, &sharded);
            file
        })
        .collect()
}

/// `merge` of `files` in `dir`.
fn merge_in(dir: &Path, files: &[&str]) -> Output {
    let mut args = vec!["merge"];
    args.extend(files);
    cli_in(dir, &args)
}

/// Every file under `dir` (relative path, bytes), shard files left out, in name order.
fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            let name = path.strip_prefix(dir).unwrap().display().to_string();
            if path.is_dir() {
                stack.push(path);
            } else if !name.starts_with("shard-") {
                out.push((name, std::fs::read(&path).unwrap()));
            }
        }
    }
    out.sort();
    out
}

/// Asserts two trees hold the same files with the same bytes.
fn assert_same_tree(whole: &Path, merged: &Path) {
    let (a, b) = (tree(whole), tree(merged));
    let names = |t: &[(String, Vec<u8>)]| t.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(names(&a), names(&b), "different files");
    for ((name, x), (_, y)) in a.iter().zip(&b) {
        assert!(
            x == y,
            "{name} differs between the single run and the merge"
        );
    }
}

/// Two models (the oracle has no score weights: undefined metrics), σ = 0 (ρ undefined) and a
/// lognormal level, to convergence at N = 100: 24 cells.
const SWEEP: [&str; 13] = [
    "sweep",
    "--sigmas",
    "0,2",
    "--lognormal-sigmas",
    "0.1",
    "--seeds",
    "4",
    "--models",
    "paper-linear,oracle-inverse-variance",
    "--n",
    "100",
    "--out",
    "sweep.out",
];

#[test]
fn a_sweep_in_three_shards_merges_to_the_bytes_of_one_run() {
    for format in ["csv", "json"] {
        let (whole, sharded) = (
            fresh_dir(&format!("sweep-whole-{format}")),
            fresh_dir(&format!("sweep-sharded-{format}")),
        );
        let mut args = SWEEP.to_vec();
        args.extend(["--format", format]);
        ok_in(&whole, &args);
        let files = run_shards(&sharded, &args, 3);
        assert!(
            !sharded.join("sweep.out").exists(),
            "a shard wrote the output"
        );
        // Every cell in exactly one shard, every 3rd: 8 each of the 24.
        for (k, file) in files.iter().enumerate() {
            let v: serde_json::Value =
                serde_json::from_slice(&std::fs::read(sharded.join(file)).unwrap()).unwrap();
            let cells: Vec<u64> = v["grids"][0]["runs"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["cell"].as_u64().unwrap())
                .collect();
            let expected: Vec<u64> = (0..24).filter(|i| i % 3 == k as u64).collect();
            assert_eq!(cells, expected, "{file}");
            assert_eq!(v["shard"], format!("{}/3", k + 1));
            assert_eq!(v["command"], serde_json::json!(args));
        }
        // In any order.
        let names: Vec<&str> = files.iter().rev().map(String::as_str).collect();
        let out = merge_in(&sharded, &names);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_same_tree(&whole, &sharded);
        std::fs::remove_dir_all(whole).ok();
        std::fs::remove_dir_all(sharded).ok();
    }
}

#[test]
fn findings_in_three_shards_merge_to_the_bytes_of_one_run() {
    // Its grids (sweep 6 cells, cross-system 4) numbered one after another, so each shard runs
    // cells of both; the rest runs at the merge. The fitting study, the third grid, is left out
    // (in debug its one seed takes 16 s); `a_grid_in_parts_merges_back_in_grid_order` merges it.
    let args = [
        "findings",
        "--sigmas",
        "1,2",
        "--seeds",
        "3",
        "--n",
        "100",
        "--probe-seeds",
        "1",
        "--probe-max-steps",
        "20",
        "--cross-systems",
        "lotka-volterra,van-der-pol",
        "--cross-models",
        "paper-linear",
        "--cross-levels",
        "1",
        "--cross-seeds",
        "2",
        "--cross-n",
        "100",
        "--recovery-seeds",
        "0",
        "--out-dir",
        "out",
        "--report",
        "out/FINDINGS.md",
    ];
    let (whole, sharded) = (fresh_dir("findings-whole"), fresh_dir("findings-sharded"));
    ok_in(&whole, &args);
    let files = run_shards(&sharded, &args, 3);
    assert!(!sharded.join("out").exists(), "a shard wrote the report");
    let names: Vec<&str> = files.iter().map(String::as_str).collect();
    let out = merge_in(&sharded, &names);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_same_tree(&whole, &sharded);
    let report = std::fs::read_to_string(sharded.join("out/FINDINGS.md")).unwrap();
    assert!(
        report.contains(&format!("lyapunov-lens {}\n", args.join(" "))),
        "the report quotes the single run"
    );
    for name in [
        "sweep.csv",
        "cross_system.csv",
        "sweep.svg",
        "kick_deciles.svg",
    ] {
        assert!(sharded.join("out").join(name).exists(), "{name}");
    }
    std::fs::remove_dir_all(whole).ok();
    std::fs::remove_dir_all(sharded).ok();
}

/// `merge` of `files` in `dir` exits 2 with one line containing `says`.
fn refuses(dir: &Path, files: &[&str], says: &str) {
    let out = merge_in(dir, files);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{files:?}: {stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "{files:?}: {stderr}");
    assert!(stderr.contains(says), "{files:?}: {stderr} lacks '{says}'");
    assert!(out.stdout.is_empty());
}

#[test]
fn merge_refuses_missing_duplicated_and_foreign_shards() {
    let dir = fresh_dir("refusals");
    let tiny = [
        "sweep", "--sigmas", "1", "--seeds", "3", "--steps", "5", "--n", "50",
    ];
    run_shards(&dir, &tiny, 3);
    let mut other = tiny.to_vec();
    other[4] = "4";
    let as_shard = |args: &[&str], shard: &str, file: &str| {
        let mut args = args.to_vec();
        args.extend(["--shard", shard, "--shard-out", file]);
        ok_in(&dir, &args);
    };
    as_shard(&other, "2/3", "other.json");
    as_shard(&tiny, "1/2", "half.json");
    refuses(&dir, &["shard-1.json", "shard-3.json"], "missing shard 2/3");
    refuses(&dir, &["shard-1.json"], "missing shards 2/3, 3/3");
    refuses(
        &dir,
        &["shard-1.json", "shard-1.json", "shard-3.json"],
        "shard 1/3 is given twice",
    );
    refuses(
        &dir,
        &["shard-1.json", "other.json", "shard-3.json"],
        "other.json is from a different run than shard-1.json (fingerprint",
    );
    refuses(
        &dir,
        &["shard-1.json", "half.json"],
        "the shards of one run share N",
    );
    // A shard whose command was edited no longer matches its fingerprint.
    let text = std::fs::read_to_string(dir.join("shard-2.json")).unwrap();
    std::fs::write(dir.join("edited.json"), text.replace("\"50\"", "\"60\"")).unwrap();
    refuses(
        &dir,
        &["shard-1.json", "edited.json", "shard-3.json"],
        "edited.json: its fingerprint does not match its contents",
    );
    std::fs::write(dir.join("not.json"), "{\"rows\": []}").unwrap();
    refuses(
        &dir,
        &["not.json"],
        "not.json is not a lyapunov-lens shard file",
    );
    refuses(&dir, &["absent.json"], "cannot read absent.json");
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn a_bad_shard_exits_2_naming_shard() {
    for (shard, says) in [
        ("0/3", "K in K/N must be between 1 and N = 3, got 0"),
        ("4/3", "K in K/N must be between 1 and N = 3, got 4"),
        ("1/0", "N in K/N must be at least 1, got 0"),
        ("-1/3", "K in K/N must be a whole number"),
        ("2", "expected K/N"),
        ("1/x", "N in K/N must be a whole number"),
    ] {
        for command in ["sweep", "findings"] {
            let out = crate::cli::cli(&[command, &format!("--shard={shard}")]);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{shard}: {stderr}");
            assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
            assert!(
                stderr.contains("--shard") && stderr.contains(says),
                "{stderr}"
            );
        }
    }
    let out = crate::cli::cli(&["sweep", "--shard-out", "x.json"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("--shard <K/N>"), "{stderr}");
}

#[test]
fn every_cell_belongs_to_exactly_one_shard() {
    for n in 1..=7 {
        for cell in 0..50 {
            let owners = (1..=n)
                .filter(|&k| Shard::new(k, n).unwrap().owns(cell))
                .count();
            assert_eq!(owners, 1, "cell {cell} of {n} shards");
        }
    }
    assert_eq!("3/8".parse::<Shard>().unwrap().to_string(), "3/8");
    assert!("3/8/9".parse::<Shard>().is_err());
}

/// Awkward values: every one must come back with the same bits.
const AWKWARD: [f64; 10] = [
    f64::NAN,
    f64::INFINITY,
    f64::NEG_INFINITY,
    -0.0,
    5e-324,
    f64::MIN_POSITIVE,
    f64::MAX,
    0.1 + 0.2,
    -1.0 / 3.0,
    1e300,
];

/// `row` through a shard file's JSON text and back.
fn round_trip<R: MetricRow>(row: &R) -> R {
    let text = serde_json::to_string(&encode_row(row)).unwrap();
    let cells: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
    decode_row(&cells).unwrap()
}

/// The bits of every key cell and metric (any NaN as NaN: its sign and payload are not kept),
/// and `converged`.
fn bits<R: MetricRow>(row: &R) -> (Vec<String>, Vec<Option<u64>>, bool) {
    let exact = |x: f64| if x.is_nan() { f64::NAN } else { x }.to_bits();
    let metrics = R::METRICS
        .iter()
        .map(|m| (m.value)(row).map(exact))
        .collect();
    (row.cells(), metrics, row.converged())
}

#[test]
fn rows_read_back_from_a_shard_bit_for_bit() {
    for (i, &v) in AWKWARD.iter().enumerate() {
        let w = AWKWARD[(i + 3) % AWKWARD.len()];
        let sweep = SweepRow {
            model: ModelKind::PaperLinearUnscaled,
            noise: NoiseModel::Lognormal,
            sigma: 0.1 + 0.2,
            seed: 10_003,
            status: "capped".into(),
            steps: 7,
            spearman: Some(v),
            pearson: None,
            spearman_observed: Some(w),
            peak_offset_periods: None,
            ess: v,
            max_over_min: Some(-w),
            loss: w,
            gradient_norm: v,
            non_physical: -v,
            w1: Some(v),
            w2: None,
            kick_rho_1: Some(w),
            kick_rho_2: None,
            kick_rho_3: Some(v),
            kick_rho_4: Some(-0.0),
            converged: i % 2 == 0,
        };
        let back = round_trip(&sweep);
        assert_eq!(bits(&back), bits(&sweep), "{v}, {w}");
        // NaN aside (no payload kept), the same row.
        if !v.is_nan() && !w.is_nan() {
            assert_eq!(back, sweep);
        }
        let cross = CrossRow {
            system: SystemKind::VanDerPol,
            model: ModelKind::OracleInverseVariance,
            noise_level: 0.5,
            sigma: 0.5 * 0.3,
            seed: 2,
            measure: Measure::Ftle,
            status: "converged".into(),
            steps: 206,
            spearman: Some(w),
            pearson: None,
            max_over_min: Some(v),
            ess: w,
            loss: v,
            converged: true,
        };
        assert_eq!(bits(&round_trip(&cross)), bits(&cross));
        let recovery = RecoveryRow {
            noise: NoiseModel::Gaussian,
            sigma: 1.0,
            contaminated: 0.05,
            seed: 0,
            weighting: "attention".into(),
            median_error: v,
            max_error: w,
            coverage: 5.0 / 6.0,
            log_error_ratio: None,
            converged: false,
        };
        assert_eq!(bits(&round_trip(&recovery)), bits(&recovery));
    }
}

/// Made-up rows for every cell of the fitting study's grid (two per cell, as it gives): cheap,
/// and distinct enough that any reordering shows.
fn made_up_recovery_rows(spec: &RecoverySpec) -> Vec<(usize, Vec<RecoveryRow>)> {
    spec.grid()
        .iter()
        .enumerate()
        .map(|(i, (setting, seed))| {
            let row = |weighting: &str, k: f64| RecoveryRow {
                noise: setting.noise,
                sigma: setting.sigma,
                contaminated: setting.contaminated,
                seed: *seed,
                weighting: weighting.into(),
                median_error: AWKWARD[i % AWKWARD.len()],
                max_error: i as f64 + k,
                coverage: k / 3.0,
                log_error_ratio: (k > 0.0).then_some(-(i as f64) / 7.0),
                converged: i % 3 != 0,
            };
            (i, vec![row("none", 0.0), row("attention", 1.0)])
        })
        .collect()
}

#[test]
fn a_grid_in_parts_merges_back_in_grid_order() {
    let spec = RecoverySpec::standard(3);
    let rows = made_up_recovery_rows(&spec);
    let first_cell = 7;
    let parts: Vec<GridPart> = (1..=4)
        .map(|k| {
            let shard = Shard::new(k, 4).unwrap();
            let owned = GridPart::owned_cells(shard, first_cell, rows.len());
            let runs = owned.iter().map(|&i| rows[i].clone()).collect();
            let part = GridPart::new("recovery", &spec, first_cell, runs).unwrap();
            serde_json::from_str(&serde_json::to_string(&part).unwrap()).unwrap()
        })
        .collect();
    let all: Vec<&GridPart> = parts.iter().rev().collect();
    let merged: Vec<RecoveryRow> = GridPart::merge(&all, &spec).unwrap();
    let expected: Vec<RecoveryRow> = rows.into_iter().flat_map(|(_, r)| r).collect();
    let as_bits = |rows: &[RecoveryRow]| rows.iter().map(bits).collect::<Vec<_>>();
    assert_eq!(as_bits(&merged), as_bits(&expected));
    // The summaries are then the single run's: the same function of the same bits.
    assert_eq!(
        format!("{:?}", summarize(&spec, &merged)),
        format!("{:?}", summarize(&spec, &expected))
    );
    let err = GridPart::merge(&all[1..], &spec).unwrap_err();
    assert!(err.contains("is in no shard"), "{err}");
    let twice = [all[0], all[0], all[1], all[2], all[3]];
    let err = GridPart::merge(&twice, &spec).unwrap_err();
    assert!(err.contains("is in two shards"), "{err}");
    let err = GridPart::merge(&all, &RecoverySpec::standard(4)).unwrap_err();
    assert!(err.contains("not the one their arguments give"), "{err}");
}
