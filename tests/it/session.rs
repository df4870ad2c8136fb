//! The Session that the page and the CLI both drive: which config changes recompute what
//! (trajectory, observations, model, measure), stepping in batches equal to stepping at once,
//! divergence stopped with finite numbers, invalid configs and unusable imports leaving it
//! untouched, CSV imports that round-trip and train, every system at its defaults and at every
//! slider extreme, and overflowing horizons as errors. If it fails, the page shows stale or
//! wrong results after a control changes, or panics.

use lyapunov_lens::lab::config::Config;
use lyapunov_lens::lab::session::{Recomputed, Session, SessionError};
use lyapunov_lens::models::kind::ModelKind;
use lyapunov_lens::models::{AttentionModel, TrainingData};
use lyapunov_lens::training::trainer::Trainer;

fn bits(values: &[f64]) -> Vec<u64> {
    values.iter().map(|v| v.to_bits()).collect()
}

#[test]
fn a_new_sigma_or_seed_keeps_the_trajectory() {
    let mut s = Session::new(Config::default()).unwrap();
    let clean = s.clean().clone();
    let obs = s.observations().clone();
    let done = s
        .set_config(Config {
            sigma: 0.5,
            ..Config::default()
        })
        .unwrap();
    assert_eq!(
        done,
        Recomputed {
            trajectory: false,
            observations: true,
            model: true,
            measure: false
        }
    );
    assert_eq!(s.clean(), &clean);
    assert_ne!(s.observations(), &obs);
    let done = s
        .set_config(Config {
            sigma: 0.5,
            seed: 9,
            ..Config::default()
        })
        .unwrap();
    assert!(!done.trajectory && done.observations);
    assert_eq!(s.clean(), &clean);
}

#[test]
fn a_new_learning_rate_keeps_the_weights_and_the_step_count() {
    let mut s = Session::new(Config::default()).unwrap();
    s.step(50);
    let theta = s.parameters().to_vec();
    let obs = s.observations().clone();
    let done = s
        .set_config(Config {
            lr: 0.05,
            ..Config::default()
        })
        .unwrap();
    assert_eq!(done, Recomputed::default());
    assert_eq!(s.parameters(), &theta[..]);
    assert_eq!(s.steps(), 50);
    assert_eq!(s.observations(), &obs);
    s.step(1);
    assert_eq!(s.steps(), 51);
}

#[test]
fn a_new_initial_condition_rebuilds_everything() {
    let mut s = Session::new(Config::default()).unwrap();
    s.step(10);
    let done = s.set_config(Config::default().with("x0", 20.0)).unwrap();
    assert_eq!(
        done,
        Recomputed {
            trajectory: true,
            observations: true,
            model: true,
            measure: false
        }
    );
    assert_eq!(s.steps(), 0);
    assert_eq!(s.clean()[[0, 0]], 20.0);
}

#[test]
fn stepping_in_batches_equals_stepping_at_once() {
    // The page steps a few at a time per frame; the CLI steps all at once.
    let mut a = Session::new(Config::default()).unwrap();
    let mut b = Session::new(Config::default()).unwrap();
    a.step(100);
    for _ in 0..5 {
        b.step(20);
    }
    assert_eq!(bits(a.attention()), bits(b.attention()));
    assert_eq!(a.metrics(), b.metrics());
}

#[test]
fn training_lowers_the_loss_and_attention_stays_a_distribution() {
    let mut s = Session::new(Config::default()).unwrap();
    let before = s.metrics().loss;
    s.step(500);
    assert!(
        s.metrics().loss < before,
        "{} !< {before}",
        s.metrics().loss
    );
    assert!((s.attention().iter().sum::<f64>() - 1.0).abs() < 1e-12);
    assert_eq!(s.loss_history().first().map(|p| p.0), Some(0));
}

#[test]
fn an_invalid_config_leaves_the_session_untouched() {
    let mut s = Session::new(Config::default()).unwrap();
    s.step(5);
    let attention = s.attention().to_vec();
    let err = s
        .set_config(Config {
            sigma: -1.0,
            ..Config::default()
        })
        .unwrap_err();
    assert!(
        matches!(&err, SessionError::Config(e) if e.parameter == "sigma"),
        "{err}"
    );
    assert_eq!(s.attention(), &attention[..]);
    assert_eq!(s.config(), &Config::default());
    assert_eq!(s.steps(), 5);
}

#[test]
fn a_diverging_learning_rate_stops_training_with_finite_numbers() {
    let mut s = Session::new(Config {
        lr: 1e300,
        ..Config::default()
    })
    .unwrap();
    let taken = s.step(50);
    assert!(taken < 50, "training should stop, took {taken} steps");
    let why = s.diverged().expect("divergence is reported");
    assert!(why.contains("diverged"), "{why}");
    assert!(s.parameters().iter().all(|p| p.is_finite()));
    assert!(s.attention().iter().all(|a| a.is_finite()));
    assert_eq!(s.step(10), 0, "no steps while diverged");
    s.reset_model();
    assert!(s.diverged().is_none());
    assert_eq!(s.steps(), 0);
}

#[test]
fn the_unscaled_model_is_selectable() {
    let mut s = Session::new(Config {
        model: ModelKind::PaperLinearUnscaled,
        ..Config::default()
    })
    .unwrap();
    s.step(20);
    assert_eq!(s.config().model, ModelKind::PaperLinearUnscaled);
    assert!(s.metrics().loss.is_finite());
}

/// A loss that keeps falling and never reaches a minimum: L(θ) = exp(−θ).
struct NeverConverges(Vec<f64>);

impl AttentionModel for NeverConverges {
    fn kind(&self) -> ModelKind {
        ModelKind::PaperLinear
    }
    fn parameters(&self) -> &[f64] {
        &self.0
    }
    fn parameters_mut(&mut self) -> &mut [f64] {
        &mut self.0
    }
    fn attention(&mut self, noisy: &ndarray::Array2<f64>, attention: &mut [f64]) {
        attention.fill(1.0 / noisy.nrows() as f64);
    }
    fn reconstruct(&self, noisy: &ndarray::Array2<f64>, _: &[f64]) -> ndarray::Array2<f64> {
        noisy.clone()
    }
    fn loss_and_gradient(&mut self, _: &TrainingData, gradient: &mut [f64]) -> f64 {
        let loss = (-self.0[0]).exp();
        gradient[0] = -loss;
        loss
    }
}

#[test]
fn loss_history_stays_bounded() {
    let x = ndarray::Array2::from_elem((4, 2), 1.0);
    let data = TrainingData {
        noisy: &x,
        clean: &x,
    };
    let mut model = NeverConverges(vec![0.0]);
    // Adam only (the convergence test never runs), so every one of the steps is recorded.
    let mut trainer = Trainer::with_adam_steps(0.01, u64::MAX, &mut model, &data);
    trainer.run_to_step(&mut model, &data, 5_000);
    assert!(!trainer.status().is_converged(), "{:?}", trainer.status());
    assert_eq!(trainer.steps(), 5_000);
    let history = trainer.loss_history();
    assert!(history.len() < 2048, "{}", history.len());
    assert!(history.last().unwrap().0 > 4_000);
}

#[test]
fn noise_free_data_trains_without_a_false_divergence() {
    // At σ = 0 the untrained model is already perfect (loss ~1e-28): later losses must not
    // count as divergence against that.
    let mut s = Session::new(Config {
        sigma: 0.0,
        ..Config::default()
    })
    .unwrap();
    s.step(300);
    assert!(s.diverged().is_none(), "{:?}", s.training_status());
    assert!(s.steps() > 0);
}

mod import {
    use super::*;
    use lyapunov_lens::experiments::report::write_points_csv;
    use lyapunov_lens::observations::csv_import::parse_observations_csv;

    #[test]
    fn an_exported_table_imports_back_and_trains() {
        let mut original = Session::new(Config {
            n: 200,
            ..Config::default()
        })
        .unwrap();
        original.step(50);
        let mut csv = Vec::new();
        write_points_csv(&original, &mut csv).unwrap();
        let series = parse_observations_csv(std::str::from_utf8(&csv).unwrap()).unwrap();
        let mut s = Session::new(Config::default()).unwrap();
        let done = s.import(series).unwrap();
        assert!(done.observations && done.model);
        assert_eq!(
            s.observations(),
            original.observations(),
            "exact round trip of the data"
        );
        assert_eq!(s.clean(), original.clean());
        assert_eq!(s.dv_dn(), original.dv_dn());
        s.step(50);
        assert_eq!(
            s.attention(),
            original.attention(),
            "same data, same training, same attention"
        );
        // σ and seed do not touch imported data; the rates move the target.
        let before = s.observations().clone();
        assert!(
            !s.set_config(Config {
                sigma: 0.1,
                seed: 3,
                ..Config::default()
            })
            .unwrap()
            .observations
        );
        assert_eq!(s.observations(), &before);
        let done = s
            .set_config(
                (Config {
                    sigma: 0.1,
                    seed: 3,
                    ..Config::default()
                })
                .with("alpha", 1.2),
            )
            .unwrap();
        assert!(done.trajectory && done.model);
        assert_eq!(s.observations(), &before);
    }

    #[test]
    fn plain_observations_get_the_lv_target_through_the_first_point() {
        let text = "t,prey,predator\n0,10,5\n0.5,12,4\n1.2,13,5\n2,12,7\n";
        let mut s = Session::new(Config::default()).unwrap();
        s.import(parse_observations_csv(text).unwrap()).unwrap();
        assert_eq!(s.times(), &[0.0, 0.5, 1.2, 2.0]);
        assert_eq!(s.clean().row(0).to_vec(), vec![10.0, 5.0]);
        assert_eq!(s.attention().len(), 4);
        s.step(10);
        assert!(s.metrics().loss.is_finite());
        s.clear_import().unwrap();
        assert_eq!(s.observations().nrows(), 1000);
    }

    #[test]
    fn an_unusable_import_leaves_the_session_intact() {
        let mut s = Session::new(Config::default()).unwrap();
        s.step(5);
        let before = s.observations().clone();
        let err = s
            .import(parse_observations_csv("0,-1,5\n1,2,3\n").unwrap())
            .unwrap_err();
        assert!(err.to_string().contains("first observation"), "{err}");
        assert_eq!(s.observations(), &before);
        assert_eq!(s.steps(), 5);
    }
}

#[test]
fn a_phase_response_at_the_observed_states_is_refused_before_anything_changes() {
    // Found writing the refused-change property: prc at the observed states passed validation,
    // so a change to it with a new trajectory rebuilt the clean side and the observations, then
    // failed ("∂V/∂n is not defined for this system") with the old config kept: half applied.
    use lyapunov_lens::measures::measure::{Measure, MeasureAt};
    use lyapunov_lens::systems::catalogue::SystemKind;
    let start = Config::for_system(SystemKind::VanDerPol);
    let mut s = Session::new(start.clone()).unwrap();
    let (clean, observations) = (s.clean().clone(), s.observations().clone());
    let mut change = start.clone().with("t_end", start.t_end + 1.0);
    (change.measure, change.measure_at) = (Measure::PhaseResponse, MeasureAt::Observed);
    let Err(SessionError::Config(e)) = s.set_config(change) else {
        panic!("prc at the observed states must be refused by validation");
    };
    assert_eq!(e.parameter, "measure_at", "{e}");
    assert!(e.message.contains("use dv-dn"), "{e}");
    assert_eq!((s.clean(), s.observations()), (&clean, &observations));
    assert_eq!(s.config(), &start);
}

#[test]
fn metrics_after_a_trajectory_change_equal_a_fresh_session() {
    // The ranks of ∂V/∂n are cached between frames; a new trajectory must not reuse them.
    let changed = Config::default().with("alpha", 1.4).with("x0", 12.0);
    let mut s = Session::new(Config::default()).unwrap();
    s.step(40);
    s.set_config(changed.clone()).unwrap();
    s.step(40);
    let mut fresh = Session::new(changed).unwrap();
    fresh.step(40);
    assert_eq!(s.metrics(), fresh.metrics());
}

mod systems {
    use lyapunov_lens::lab::config::Config;
    use lyapunov_lens::lab::session::{Recomputed, Session};
    use lyapunov_lens::measures::measure::Measure;
    use lyapunov_lens::models::kind::ModelKind;
    use lyapunov_lens::observations::csv_import::parse_observations_csv;
    use lyapunov_lens::systems::catalogue::SystemKind;

    #[test]
    fn every_system_builds_trains_and_measures_at_its_defaults() {
        for kind in SystemKind::ALL {
            let mut s = Session::new(Config::for_system(kind).with("n", 300.0)).unwrap();
            assert_eq!(s.dim(), kind.dim());
            assert_eq!(s.step(50), 50, "{kind}");
            assert!(s.sensitivity().iter().all(|v| v.is_finite()), "{kind}");
            assert_eq!(s.sensitivity().len(), 300);
            assert!(s.metrics().pearson.is_some(), "{kind}: {:?}", s.metrics());
            assert_eq!(s.dv_dn().is_some(), kind.has_lyapunov(), "{kind}");
        }
    }

    #[test]
    fn a_new_measure_or_horizon_keeps_the_data_and_the_trained_model() {
        let mut s = Session::new(Config::default().with("n", 300.0)).unwrap();
        s.step(100);
        let (params, attention) = (s.parameters().to_vec(), s.attention().to_vec());
        let r_dv_dn = s.metrics().pearson;
        let mut c = s.config().clone();
        c.measure = Measure::Ftle;
        let done = s.set_config(c.clone()).unwrap();
        assert_eq!(
            done,
            Recomputed {
                trajectory: false,
                observations: false,
                model: false,
                measure: true
            }
        );
        assert_eq!(s.parameters(), &params[..]);
        assert_eq!(s.attention(), &attention[..]);
        assert_eq!(s.steps(), 100);
        assert_ne!(
            s.metrics().pearson,
            r_dv_dn,
            "the metrics follow the measure"
        );
        let ftle = s.sensitivity().to_vec();
        c.tau = 3.0;
        assert!(s.set_config(c.clone()).unwrap().measure);
        assert_ne!(s.sensitivity(), &ftle[..]);
        // ∂V/∂n does not depend on τ: changing τ then recomputes nothing.
        c.measure = Measure::NormalDerivative;
        s.set_config(c.clone()).unwrap();
        c.tau = 5.0;
        assert_eq!(s.set_config(c).unwrap(), Recomputed::default());
    }

    #[test]
    fn switching_system_rebuilds_everything_and_bad_combinations_are_refused() {
        let mut s = Session::new(Config::default().with("n", 200.0)).unwrap();
        s.step(10);
        let lorenz = s.config().switch_system(SystemKind::Lorenz);
        assert_eq!(lorenz.measure, Measure::Ftle);
        let done = s.set_config(lorenz.clone()).unwrap();
        assert!(done.trajectory && done.observations && done.model);
        assert_eq!((s.dim(), s.steps()), (3, 0));
        // The oracle and ∂V/∂n need a V; normal growth needs 2-D: refused, session unchanged.
        for bad in [
            Config {
                model: ModelKind::OracleInverseVariance,
                ..lorenz.clone()
            },
            Config {
                measure: Measure::NormalDerivative,
                ..lorenz.clone()
            },
            Config {
                measure: Measure::NormalGrowth,
                ..lorenz.clone()
            },
        ] {
            let e = s.set_config(bad).unwrap_err().to_string();
            assert!(e.contains("lorenz"), "{e}");
            assert_eq!(s.config(), &lorenz);
        }
        // A 2-variable file cannot be imported into a 3-D system, nor can the system change
        // under imported data.
        let csv = "t,x,y\n0,1,2\n1,1.5,2.5\n2,2,2\n";
        let e = s
            .import(parse_observations_csv(csv).unwrap())
            .unwrap_err()
            .to_string();
        assert!(e.contains("2-D"), "{e}");
        let mut lv = Session::new(Config::default().with("n", 200.0)).unwrap();
        lv.import(parse_observations_csv(csv).unwrap()).unwrap();
        let e = lv
            .set_config(lv.config().switch_system(SystemKind::Rossler))
            .unwrap_err();
        assert!(e.to_string().contains("clear the import"), "{e}");
    }

    #[test]
    fn an_initial_state_outside_the_systems_domain_names_the_coordinate() {
        let e = Session::new(Config::for_system(SystemKind::Goodwin).with("y0", -1.0))
            .err()
            .unwrap()
            .to_string();
        assert!(e.contains("y0") && e.contains("protein"), "{e}");
    }
}

mod limits {
    use lyapunov_lens::dynamics::rk4::{integrate, uniform_times, Trajectory};
    use lyapunov_lens::lab::config::{Config, RUN_PARAMETERS};
    use lyapunov_lens::measures::ftle::ftle_series;
    use lyapunov_lens::systems::system::System;

    /// dx/dt = 10x, dy/dt = −y.
    struct Growth;
    impl System for Growth {
        fn name(&self) -> &'static str {
            "growth"
        }
        fn dim(&self) -> usize {
            2
        }
        fn state_names(&self) -> &'static [&'static str] {
            &["x", "y"]
        }
        fn vector_field(&self, s: &[f64], out: &mut [f64]) {
            out[0] = 10.0 * s[0];
            out[1] = -s[1];
        }
        fn jacobian(&self, _: &[f64], out: &mut [f64]) {
            out.copy_from_slice(&[10.0, 0.0, 0.0, -1.0]);
        }
    }

    fn growth_trajectory() -> Trajectory {
        integrate(&Growth, &[1e-300, 1.0], &uniform_times(1.0, 11)).unwrap()
    }
    use lyapunov_lens::lab::session::Session;
    use lyapunov_lens::systems::catalogue::SystemKind;

    #[test]
    fn every_slider_extreme_of_every_system_gives_a_working_session() {
        for kind in SystemKind::ALL {
            let specs = kind
                .parameters()
                // t_end and N only scale the cost (t_end = 300 on Lorenz is slow in a debug build).
                .chain(
                    RUN_PARAMETERS
                        .iter()
                        .filter(|p| !["n", "t_end"].contains(&p.name)),
                );
            for spec in specs {
                for value in [spec.min, spec.max] {
                    // A short window keeps this quick in a debug build; the extremes of the
                    // system's own parameters are what matters here.
                    let config = Config::for_system(kind)
                        .with("n", 60.0)
                        .with("t_end", 5.0)
                        .with(spec.name, value);
                    assert!(
                        config.validate().is_ok(),
                        "{kind} {}={value}: {:?}",
                        spec.name,
                        config.validate()
                    );
                    // The session either works or says why; it never panics or hangs.
                    if let Ok(mut s) = Session::new(config) {
                        s.step(2);
                        assert!(s.metrics().loss.is_finite(), "{kind} {}={value}", spec.name);
                    }
                }
            }
        }
    }

    #[test]
    fn a_rotating_pendulum_has_no_period_and_is_quick() {
        let s = Session::new(
            Config::for_system(SystemKind::Pendulum)
                .with("omega0", -8.0)
                .with("n", 200.0),
        )
        .unwrap();
        assert_eq!(s.period(), None);
        let swinging =
            Session::new(Config::for_system(SystemKind::Pendulum).with("n", 200.0)).unwrap();
        assert!(swinging.period().is_some());
    }

    #[test]
    fn an_overflowing_or_overlong_horizon_is_an_error_not_nan() {
        // A linear system growing like e^{10t}: over τ = 100 the products reach e^1000, beyond
        // f64. An error that says so, not NaN.
        let e = ftle_series(&Growth, &growth_trajectory(), 100.0)
            .unwrap_err()
            .to_string();
        assert!(e.contains("τ = 100") && e.contains("shorten"), "{e}");
        // Over τ = 40 (e^400) the products are finite but σ² would overflow: the log-scaled
        // singular value still gives the exact rate.
        let f = ftle_series(&Growth, &growth_trajectory(), 40.0).unwrap();
        assert!(f.iter().all(|v| (v - 10.0).abs() < 1e-9), "{:?}", &f[..3]);
        // τ of 900 over samples 2/4999 apart would continue the orbit by 2 million intervals.
        let mut c = Config::default()
            .with("t_end", 2.0)
            .with("n", 5000.0)
            .with("tau", 900.0);
        c.measure = lyapunov_lens::measures::measure::Measure::Ftle;
        let e = c.validate().unwrap_err();
        assert_eq!(e.parameter, "tau", "{e}");
        // ∂V/∂n does not use τ, so the same τ is harmless there.
        c.measure = lyapunov_lens::measures::measure::Measure::NormalDerivative;
        assert!(c.validate().is_ok());
    }
}

#[test]
fn validation_and_the_continuation_agree_at_the_horizon_limit() {
    // Found by the work-cap property: τ of exactly 100000 sampling intervals (t_end = 8, N = 1025,
    // so t_end/(N − 1) = 2⁻⁷ and τ = 781.25) passed validation (τ/spacing ≤ 100000) but the
    // continuation, which counts a hair more than τ/dt, refused it when the session was built.
    use lyapunov_lens::dynamics::rk4::{uniform_times, Trajectory};
    use lyapunov_lens::measures::ftle::continuation;
    use lyapunov_lens::measures::measure::Measure;
    let mut c = Config::default().with("t_end", 8.0).with("n", 1025.0);
    c.measure = Measure::Ftle;
    let trajectory = Trajectory {
        times: uniform_times(c.t_end, c.n),
        states: ndarray::Array2::zeros((c.n, 0)),
    };
    for tau in [
        781.25 * (1.0 - 1e-12),
        781.25,
        781.25 * (1.0 + f64::EPSILON),
    ] {
        c.tau = tau;
        let (accepted, continued) = (c.validate(), continuation(&trajectory, tau));
        assert_eq!(
            accepted.is_ok(),
            continued.is_ok(),
            "τ = {tau}: {accepted:?} {continued:?}"
        );
    }
}

#[test]
fn a_pendulum_angle_beyond_a_million_radians_is_refused() {
    // Found by the session properties (a case of 158 s in debug): θ₀ = 1e308 passed validation,
    // and the period search then spent 15 s in release on sin and cos of 1e308, waiting for a
    // swing that a θ with no digits below 1e292 can never make.
    use lyapunov_lens::systems::catalogue::SystemKind;
    let c = Config::for_system(SystemKind::Pendulum).with("theta0", 1e308);
    let e = c.validate().unwrap_err();
    assert_eq!(e.parameter, "theta0", "{e}");
    assert!(e.message.contains("modulo 2π"), "{e}");
    let turned =
        Config::for_system(SystemKind::Pendulum).with("theta0", 2.0 + 1e5 * std::f64::consts::TAU);
    assert!(turned.validate().is_ok(), "a large but usable angle");
}
