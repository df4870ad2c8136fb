//! Parameter estimation (`src/estimation/`): each system's ∂f/∂(rates) and the objective's
//! sensitivity gradient against finite differences; synthetic Lotka–Volterra recovery (21
//! points, lognormal σ = 0.1) inside the 95% intervals for a fixed seed; interval coverage over
//! simulated data sets; the Hudson's Bay lynx–hare fit; a named non-identifiable direction; the
//! per-step cost of the resumable fitter; the refusals of bad input; the lynx–hare file's
//! header mapping; and the `fit` command's JSON, CSV and exit codes. If it fails, the fit
//! follows a wrong gradient, its intervals do not mean 95%, or bad data get a number instead of
//! a reason.
//!
//! Coverage: `coverage_over_40_data_sets` runs in every `cargo test` (debug build, about 20 s on
//! one core); the 200-set study the issue asks for is `coverage_over_200_data_sets`,
//! `#[ignore]`d for its time: run it with
//! `cargo test --release --test it estimation -- --ignored --nocapture` (3 s in release). Both
//! start each fit from the truth with one start, so they measure the intervals, not the global
//! search; `coverage_of_the_default_fit_over_200_data_sets` (ignored too, about a minute in
//! release) repeats the study with the default multistart fit. All print their numbers.

use crate::cli::cli;
use lyapunov_lens::dynamics::rk4::{integrate, uniform_times};
use lyapunov_lens::estimation::fitter::{FitStep, Fitter, SCREEN_CHUNK};
use lyapunov_lens::estimation::problem::{FitData, FitError, FitProblem, FitSettings, Prior};
use lyapunov_lens::estimation::result::{finish, fit, FitResult};
use lyapunov_lens::estimation::weighted::fit_attention_weighted;
use lyapunov_lens::observations::csv_import::{
    parse_observations_csv, parse_observations_csv_with,
};
use lyapunov_lens::observations::lynx_hare;
use lyapunov_lens::observations::noise_model::NoiseModel;
use lyapunov_lens::systems::catalogue::SystemKind;
use ndarray::Array2;

/// Lotka–Volterra truth: rates (α, β, γ, δ) and initial state (x₀, y₀), the slider defaults.
const TRUTH: [f64; 6] = [1.0, 0.1, 1.5, 0.75, 10.0, 5.0];
const SIGMA: f64 = 0.1;

/// 21 points on [0, 15] of `kind` from `values`, observed under `noise` with spread σ.
fn synthetic(
    kind: SystemKind,
    values: &[f64],
    noise: NoiseModel,
    sigma: f64,
    seed: u64,
) -> FitData {
    let rates = kind.rates().len();
    let system = kind.build(values).unwrap();
    let times = uniform_times(15.0, 21);
    let clean = integrate(&*system, &values[rates..], &times)
        .unwrap()
        .states;
    FitData {
        times,
        values: noise.observe(&clean, sigma, seed),
        variables: (0..kind.dim()).collect(),
        source: format!("synthetic seed {seed}"),
    }
}

fn lv_data(seed: u64) -> FitData {
    synthetic(
        SystemKind::LotkaVolterra,
        &TRUTH,
        NoiseModel::Lognormal,
        SIGMA,
        seed,
    )
}

/// One start from the truth, no screening (the coverage studies).
fn from_truth() -> FitSettings {
    FitSettings {
        starts: 1,
        start_from: Some(TRUTH.to_vec()),
        ..FitSettings::new(SystemKind::LotkaVolterra)
    }
}

#[test]
fn every_systems_rate_jacobian_matches_finite_differences() {
    for kind in SystemKind::ALL {
        let rates: Vec<f64> = kind.rates().iter().map(|p| p.default).collect();
        let state: Vec<f64> = kind
            .initial_state()
            .iter()
            .map(|p| p.default + 0.3)
            .collect();
        let (d, r) = (kind.dim(), rates.len());
        let mut analytic = vec![0.0; d * r];
        assert!(
            kind.build(&rates)
                .unwrap()
                .rate_jacobian(&state, &mut analytic),
            "{kind}"
        );
        for k in 0..r {
            let h = 1e-6 * rates[k];
            let field = |offset: f64| {
                let mut r2 = rates.clone();
                r2[k] += offset;
                let mut out = vec![0.0; d];
                kind.build(&r2).unwrap().vector_field(&state, &mut out);
                out
            };
            let (plus, minus) = (field(h), field(-h));
            for i in 0..d {
                let numeric = (plus[i] - minus[i]) / (2.0 * h);
                let scale = numeric.abs().max(1.0);
                assert!(
                    (numeric - analytic[i * r + k]).abs() < 1e-6 * scale,
                    "{kind}: ∂f{i}/∂{} analytic {} numeric {numeric}",
                    kind.rates()[k].name,
                    analytic[i * r + k]
                );
            }
        }
    }
}

/// Largest |analytic − numeric| / max(|gradient|∞, 1) of the objective's gradient at `u`, with
/// the 4-point central stencil.
fn gradient_error(problem: &FitProblem, u: &[f64]) -> f64 {
    let analytic = problem.evaluate(u, true).unwrap().gradient;
    let scale = analytic.iter().fold(1.0_f64, |a, g| a.max(g.abs()));
    let mut worst = 0.0_f64;
    for k in 0..u.len() {
        let h = 1e-4 * u[k].abs().max(0.1);
        let at = |offset: f64| {
            let mut v = u.to_vec();
            v[k] += offset;
            problem.objective(&v)
        };
        let numeric = (-at(2.0 * h) + 8.0 * at(h) - 8.0 * at(-h) + at(-2.0 * h)) / (12.0 * h);
        worst = worst.max((numeric - analytic[k]).abs() / scale);
    }
    worst
}

#[test]
fn sensitivity_gradient_matches_finite_differences() {
    let cases = [
        (
            SystemKind::LotkaVolterra,
            NoiseModel::Lognormal,
            Prior::Weak,
        ),
        (SystemKind::LotkaVolterra, NoiseModel::Gaussian, Prior::Flat),
        (SystemKind::VanDerPol, NoiseModel::Gaussian, Prior::Weak),
        (SystemKind::Pendulum, NoiseModel::Gaussian, Prior::Flat),
        (SystemKind::Goodwin, NoiseModel::Lognormal, Prior::Weak),
        (SystemKind::Rossler, NoiseModel::Gaussian, Prior::Weak),
    ];
    for (kind, noise, prior) in cases {
        let truth = kind.default_values();
        let sigma = if noise == NoiseModel::Lognormal {
            0.1
        } else {
            0.05
        };
        let data = synthetic(kind, &truth, noise, sigma, 3);
        let settings = FitSettings {
            noise,
            prior,
            ..FitSettings::new(kind)
        };
        let problem = FitProblem::new(settings, data).unwrap();
        // Away from the truth, so that the residuals and the gradient are far from zero.
        let off: Vec<f64> = truth.iter().map(|v| v * 1.03 + 0.01).collect();
        let u = problem.coordinates_of(&off);
        let error = gradient_error(&problem, &u);
        println!("{kind} {noise} {prior}: relative gradient error {error:.2e}");
        assert!(error < 1e-6, "{kind} {noise}: gradient error {error:e}");
    }
}

#[test]
fn synthetic_recovery_is_inside_every_95_percent_interval() {
    let result = fit(FitSettings::new(SystemKind::LotkaVolterra), lv_data(11)).unwrap();
    let truths = TRUTH.iter().chain(&[SIGMA, SIGMA]);
    for (e, &truth) in result.estimates.iter().zip(truths) {
        println!(
            "{:8} {:9.4} [{:.4}, {:.4}] truth {truth}",
            e.name, e.value, e.lower, e.upper
        );
        assert!(
            e.contains(truth),
            "{}: {truth} outside [{}, {}]",
            e.name,
            e.lower,
            e.upper
        );
    }
    assert!(
        result.converged && result.starts_agreeing >= 2,
        "{}",
        result.convergence
    );
    assert!(
        result.weak_directions.is_empty(),
        "{:?}",
        result.weak_directions
    );
}

/// Coverage of the 95% intervals of all 8 parameters over `sets` data sets (seeds 1000…) fitted
/// with `settings`: (per-parameter share covered, pooled share).
fn coverage(sets: u64, settings: impl Fn() -> FitSettings) -> (Vec<(String, f64)>, f64) {
    let mut hits = vec![0usize; 8];
    let mut names = Vec::new();
    for seed in 1000..1000 + sets {
        let result: FitResult = fit(settings(), lv_data(seed)).unwrap();
        names = result.estimates.iter().map(|e| e.name.clone()).collect();
        let truths = TRUTH.iter().chain(&[SIGMA, SIGMA]);
        for (k, (e, &truth)) in result.estimates.iter().zip(truths).enumerate() {
            hits[k] += usize::from(e.contains(truth));
        }
    }
    let shares: Vec<(String, f64)> = names
        .into_iter()
        .zip(&hits)
        .map(|(n, &h)| (n, h as f64 / sets as f64))
        .collect();
    let pooled = hits.iter().sum::<usize>() as f64 / (8 * sets) as f64;
    println!(
        "coverage over {sets} data sets: pooled {:.1}%",
        100.0 * pooled
    );
    for (n, s) in &shares {
        println!("  {n:8} {:.1}%", 100.0 * s);
    }
    (shares, pooled)
}

#[test]
fn coverage_over_40_data_sets() {
    let (_, pooled) = coverage(40, from_truth);
    assert!((0.90..=0.99).contains(&pooled), "pooled coverage {pooled}");
}

#[test]
#[ignore = "200 fits: run with --release --ignored"]
fn coverage_over_200_data_sets() {
    let (shares, pooled) = coverage(200, from_truth);
    assert!((0.90..=0.99).contains(&pooled), "pooled coverage {pooled}");
    for (name, share) in shares {
        assert!((0.88..=0.995).contains(&share), "{name}: coverage {share}");
    }
}

/// The same study with what `fit` does by default (128 screened candidates, 8 starts, the best
/// kept): the intervals of the fit a user gets, global search included.
#[test]
#[ignore = "200 full multistart fits: run with --release --ignored"]
fn coverage_of_the_default_fit_over_200_data_sets() {
    let (shares, pooled) = coverage(200, || FitSettings::new(SystemKind::LotkaVolterra));
    assert!((0.90..=0.99).contains(&pooled), "pooled coverage {pooled}");
    for (name, share) in shares {
        assert!((0.88..=0.995).contains(&share), "{name}: coverage {share}");
    }
}

#[test]
fn a_fit_is_deterministic() {
    let a = fit(
        FitSettings {
            starts: 2,
            ..FitSettings::new(SystemKind::LotkaVolterra)
        },
        lv_data(4),
    );
    let b = fit(
        FitSettings {
            starts: 2,
            ..FitSettings::new(SystemKind::LotkaVolterra)
        },
        lv_data(4),
    );
    assert_eq!(a.unwrap(), b.unwrap(), "same seed, same bits");
}

#[test]
fn lynx_hare_fit_converges_and_starts_agree() {
    let data = FitData::from_series(&lynx_hare::series(), lynx_hare::SOURCE);
    let result = fit(FitSettings::new(SystemKind::LotkaVolterra), data).unwrap();
    for e in &result.estimates {
        println!(
            "{:8} {:9.4} [{:.4}, {:.4}]",
            e.name, e.value, e.lower, e.upper
        );
    }
    println!("ln L {:.3}; {}", result.log_likelihood, result.convergence);
    assert!(result.converged);
    assert!(
        result.starts_agreeing >= 2,
        "{} starts agreed",
        result.starts_agreeing
    );
    // Stan's case study (Carpenter 2018) reports posterior means α 0.55, β 0.028, γ 0.80,
    // δ 0.024 and σ 0.25 for both species; the mode and intervals here must contain them.
    for (name, stan) in [
        ("alpha", 0.55),
        ("beta", 0.028),
        ("gamma", 0.80),
        ("delta", 0.024),
    ] {
        let e = result.estimate(name).unwrap();
        assert!(
            e.contains(stan),
            "{name}: {} [{}, {}]",
            e.value,
            e.lower,
            e.upper
        );
    }
    assert_eq!(result.fitted.len(), 21);
    let dense: Vec<f64> = (0..=80).map(|i| 1900.0 + 0.25 * i as f64).collect();
    let curve = result.trajectory(&dense).unwrap();
    assert_eq!(curve.len(), 81);
    assert_eq!(curve[0], result.parameter_values()[4..].to_vec());
    assert!((curve[80][0] - result.fitted[20][0]).abs() < 1e-6 * result.fitted[20][0]);
}

#[test]
fn the_pendulums_g_and_length_are_named_as_one_direction() {
    let kind = SystemKind::Pendulum;
    let truth = kind.default_values();
    let data = synthetic(kind, &truth, NoiseModel::Gaussian, 0.05, 5);
    let settings = FitSettings {
        starts: 1,
        start_from: Some(truth),
        ..FitSettings::new(kind)
    };
    let result = fit(settings, data).unwrap();
    let weak = &result.weak_directions;
    assert_eq!(weak.len(), 1, "{weak:?}");
    let symbols: Vec<&str> = weak[0]
        .combination
        .iter()
        .map(|(s, _)| s.as_str())
        .collect();
    assert_eq!(symbols.len(), 2, "{}", weak[0].description);
    assert!(symbols.contains(&"ln g") && symbols.contains(&"ln length"));
    assert!(!weak[0].std_dev.is_finite(), "{}", weak[0].description);
    println!("{}", weak[0].description);
}

#[test]
fn each_step_does_a_bounded_amount_of_work() {
    let mut fitter = Fitter::new(FitSettings::new(SystemKind::LotkaVolterra), lv_data(2)).unwrap();
    let mut before = 0;
    loop {
        let step = fitter.step();
        let solves = fitter.solves() - before;
        before = fitter.solves();
        match step {
            FitStep::Screened { .. } => assert!(solves <= SCREEN_CHUNK),
            FitStep::Finished => break,
            _ => assert!(solves <= 2, "{solves} solves in one iteration"),
        }
        if let Some(values) = fitter.current() {
            assert_eq!(values.len(), 6);
        }
    }
    assert!(finish(fitter).unwrap().converged);
}

fn refused(settings: FitSettings, data: FitData) -> String {
    match Fitter::new(settings, data) {
        Err(FitError::Input(m)) => m,
        Err(e) => panic!("expected an input error, got {e}"),
        Ok(_) => panic!("accepted"),
    }
}

#[test]
fn bad_input_is_refused_with_a_reason() {
    let lv = || FitSettings::new(SystemKind::LotkaVolterra);
    let mut zero = lv_data(1);
    zero.values[[4, 1]] = 0.0;
    let m = refused(lv(), zero);
    assert!(m.contains("lognormal") && m.contains("positive"), "{m}");

    let mut negative = lv_data(1);
    negative.values[[2, 0]] = -1.0;
    assert!(refused(lv(), negative).contains("lognormal"));

    let mut few = lv_data(1);
    few.times.truncate(4);
    few.values = few.values.slice(ndarray::s![..4, ..]).to_owned();
    let m = refused(lv(), few);
    assert!(m.contains("too few") && m.contains("8 parameters"), "{m}");

    let mut three = lv_data(1);
    three.values = Array2::ones((21, 3));
    three.variables = vec![0, 1, 2];
    assert!(refused(lv(), three).contains("do not match"));

    let mut backwards = lv_data(1);
    backwards.times.swap(3, 4);
    assert!(refused(lv(), backwards).contains("increase"));

    let pendulum = FitSettings {
        noise: NoiseModel::Lognormal,
        ..FitSettings::new(SystemKind::Pendulum)
    };
    let data = synthetic(
        SystemKind::Pendulum,
        &SystemKind::Pendulum.default_values(),
        NoiseModel::Gaussian,
        0.1,
        1,
    );
    assert!(refused(pendulum, data).contains("lognormal"));

    let weights = FitSettings {
        weights: Some(vec![1.0; 5]),
        ..lv()
    };
    assert!(refused(weights, lv_data(1)).contains("weights"));
}

#[test]
fn huge_or_tiny_weights_are_rescaled_to_mean_one() {
    // Found by the work-cap property: eight weights of 1e308 passed the check, but their sum
    // overflowed, so every weight became 1e308/∞ = 0 (and 5e-324 with zeros gave ∞ and NaN).
    let data = lv_data(1);
    for (big, rest) in [(1e308, 1e308), (5e-324, 0.0), (1.0, 1.0)] {
        let mut weights = vec![rest; data.len()];
        weights[0] = big;
        let settings = FitSettings {
            weights: Some(weights),
            ..FitSettings::new(SystemKind::LotkaVolterra)
        };
        let problem = FitProblem::new(settings, data.clone()).unwrap();
        let mean = problem.weights.iter().sum::<f64>() / data.len() as f64;
        assert!(
            problem.weights.iter().all(|w| w.is_finite()),
            "{big:e}: {:?}",
            &problem.weights[..3]
        );
        assert!((mean - 1.0).abs() < 1e-12, "{big:e}: mean {mean}");
    }
}

#[test]
fn a_fit_that_does_not_converge_says_so() {
    let settings = FitSettings {
        max_iterations: 1,
        starts: 1,
        ..FitSettings::new(SystemKind::LotkaVolterra)
    };
    let data = FitData::from_series(&lynx_hare::series(), "lynx-hare");
    match fit(settings, data) {
        Err(FitError::NotConverged(m)) => assert!(m.contains("cap of 1 iterations"), "{m}"),
        other => panic!("expected non-convergence, got {other:?}"),
    }
}

#[test]
fn the_lynx_hare_header_maps_hare_to_prey_and_columns_can_be_chosen() {
    let text = lynx_hare::csv();
    let auto = parse_observations_csv(&text).unwrap();
    assert_eq!(
        auto.observations.row(0).to_vec(),
        vec![30.0, 4.0],
        "hare is the prey"
    );
    assert!(
        auto.description.contains("prey = Hare, predator = Lynx"),
        "{}",
        auto.description
    );
    assert_eq!(
        auto.observations,
        lynx_hare::series().observations,
        "the built-in series"
    );
    assert_eq!(auto.times, lynx_hare::series().times);
    let chosen = ["Year", "lynx", "3"].map(String::from);
    let swapped = parse_observations_csv_with(&text, Some(&chosen)).unwrap();
    assert_eq!(swapped.observations.row(0).to_vec(), vec![4.0, 30.0]);
    let unknown = ["Year", "Wolf", "Hare"].map(String::from);
    let e = parse_observations_csv_with(&text, Some(&unknown)).unwrap_err();
    assert!(e.message.contains("no column 'Wolf'"), "{e}");
}

#[test]
fn cli_fit_lynx_hare_prints_estimates_intervals_and_the_trajectory() {
    let out = cli(&["fit", "--data", "lynx-hare", "--starts", "3"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["converged"], true);
    assert!(v["starts_agreeing"].as_u64().unwrap() >= 1);
    assert!(v["log_likelihood"].is_number());
    let estimates = v["estimates"].as_array().unwrap();
    let names: Vec<&str> = estimates
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["alpha", "beta", "gamma", "delta", "x0", "y0", "sigma_x", "sigma_y"]
    );
    for e in estimates {
        let (lo, x, hi) = (
            e["lower"].as_f64().unwrap(),
            e["value"].as_f64().unwrap(),
            e["upper"].as_f64().unwrap(),
        );
        assert!(0.0 < lo && lo < x && x < hi, "{e}");
    }
    let points = v["points"].as_array().unwrap();
    assert_eq!(points.len(), 21);
    for key in ["t", "x_obs", "y_obs", "x", "y", "residual_x", "residual_y"] {
        assert!(points[0][key].is_number(), "points lack {key}");
    }
    assert_eq!(points[0]["t"], 1900.0);
    assert_eq!(points[0]["x_obs"], 30.0, "hare is the prey");
}

#[test]
fn cli_fit_csv_reads_back_with_the_fit_as_clean_states() {
    let out = cli(&[
        "fit",
        "--data",
        "lynx-hare",
        "--starts",
        "2",
        "--format",
        "csv",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("# alpha, "), "{text}");
    let series = parse_observations_csv(&text).unwrap();
    assert_eq!(series.times.len(), 21);
    assert_eq!(series.observations.row(3).to_vec(), vec![77.4, 35.2]);
    assert!(series.clean.is_some());
}

#[test]
fn cli_fit_refuses_bad_input_with_exit_2_and_one_line() {
    let dir = std::env::temp_dir().join(format!("fit-bad-input-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let zero = dir.join("zero.csv");
    std::fs::write(&zero, lynx_hare::csv().replace("1905, 41.7", "1905, 0")).unwrap();
    let zero = zero.to_str().unwrap();
    let cases: [(&[&str], &str); 5] = [
        (
            &["fit", "--input", zero],
            "lognormal noise needs positive observations",
        ),
        (
            &["fit", "--data", "lynx-hare", "--system", "lorenz"],
            "3 state variables",
        ),
        (&["fit"], "--input FILE.csv or --data lynx-hare"),
        (&["fit", "--data", "lynx-hare", "--starts", "0"], "--starts"),
        (
            &["fit", "--data", "lynx-hare", "--columns", "1,2,3"],
            "--columns",
        ),
    ];
    for (args, wanted) in cases {
        let out = cli(args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(wanted), "{args:?}: {stderr}");
        assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    }
    let out = cli(&[
        "fit",
        "--data",
        "lynx-hare",
        "--starts",
        "1",
        "--max-iterations",
        "1",
    ]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "non-convergence is a failed run"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("did not converge"));
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn uniform_attention_changes_nothing_and_constant_weights_are_no_weights() {
    let n = 21;
    let weighted = fit_attention_weighted(
        from_truth(),
        lv_data(7),
        |_| Ok(vec![1.0 / n as f64; n]),
        5,
        1e-6,
    )
    .unwrap();
    assert!(
        weighted.fixed_point && weighted.rounds.len() == 1,
        "{:?}",
        weighted.rounds
    );
    assert!(weighted.weights.iter().all(|&w| (w - 1.0).abs() < 1e-12));
    let scaled = fit(
        FitSettings {
            weights: Some(vec![2.5; n]),
            ..from_truth()
        },
        lv_data(7),
    )
    .unwrap();
    for (a, b) in scaled.estimates.iter().zip(&weighted.unweighted.estimates) {
        assert!(
            (a.value - b.value).abs() < 1e-6 * b.value.abs(),
            "{}: {} vs {}",
            a.name,
            a.value,
            b.value
        );
        assert!(
            (a.std_error - b.std_error).abs() < 1e-6 * b.std_error,
            "{}",
            a.name
        );
    }
    let wrong = fit_attention_weighted(from_truth(), lv_data(7), |_| Ok(vec![0.1; 3]), 5, 1e-6);
    assert!(matches!(wrong, Err(FitError::Input(m)) if m.contains("3 points")));
}

#[test]
fn attention_weighting_reaches_a_fixed_point_that_downweights_outliers() {
    // Two points with 10× the noise; "attention" ∝ 1/(r² + s²) from the current fit's
    // residuals r and noise scales s, a stand-in for a trained model's attention.
    let mut data = lv_data(8);
    for t in [6, 14] {
        data.values[[t, 0]] *= libm::exp(1.0);
        data.values[[t, 1]] *= libm::exp(-1.0);
    }
    let attention = |r: &FitResult| {
        let s = [r.estimates[6].value, r.estimates[7].value];
        Ok(r.residuals
            .iter()
            .map(|row| {
                1.0 / (row[0] * row[0] / (s[0] * s[0]) + row[1] * row[1] / (s[1] * s[1]) + 1.0)
            })
            .collect())
    };
    let w = fit_attention_weighted(from_truth(), data, attention, 20, 1e-3).unwrap();
    println!(
        "rounds {:?}",
        w.rounds.iter().map(|r| r.change).collect::<Vec<_>>()
    );
    assert!(w.fixed_point, "no fixed point in {} rounds", w.rounds.len());
    assert!(w.weights[6] < 0.3 && w.weights[14] < 0.3, "{:?}", w.weights);
    let mean = w.weights.iter().sum::<f64>() / 21.0;
    assert!((mean - 1.0).abs() < 1e-12);
    let error = |r: &FitResult| {
        r.parameter_values()
            .iter()
            .zip(&TRUTH)
            .map(|(v, t)| ((v - t) / t).abs())
            .fold(0.0, f64::max)
    };
    println!(
        "largest relative error: unweighted {:.3}, weighted {:.3}",
        error(&w.unweighted),
        error(&w.weighted)
    );
}
