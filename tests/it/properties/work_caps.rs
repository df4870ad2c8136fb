//! Work caps: for every config that validation accepts (across the whole accepted range, up to
//! N = 10⁶, t_end = 10⁴, τ = 10³, and at the τ limit itself), the work the session will do is
//! estimated under each cap before anything is allocated or integrated: the self-attention
//! workspace under 256 MiB, the FTLE continuation under its interval cap and the propagators
//! under their sub-interval cap. And every fit that is accepted is within the fit's caps
//! (points, starts, iterations, RK4 steps per solve), with usable weights. If it fails, an
//! accepted setting can freeze the page or exhaust its memory instead of being refused.

use super::cases;
use super::configs::{valid_config, ACCEPTED};
use lyapunov_lens::dynamics::rk4::{uniform_times, Trajectory};
use lyapunov_lens::estimation::problem::{
    FitData, FitProblem, FitSettings, Prior, MAX_ITERATIONS, MAX_POINTS, MAX_STARTS, MIN_STEP_CAP,
};
use lyapunov_lens::estimation::sensitivity::MAX_STEPS_PER_SOLVE;
use lyapunov_lens::lab::config::Config;
use lyapunov_lens::measures::ftle::{
    continuation, sub_intervals, MAX_CONTINUATION, MAX_SUB_INTERVALS,
};
use lyapunov_lens::measures::measure::{Measure, MeasureAt};
use lyapunov_lens::models::kind::ModelKind;
use lyapunov_lens::models::self_attention::{workspace_bytes, MAX_WORKSPACE_BYTES};
use lyapunov_lens::observations::noise_model::NoiseModel;
use lyapunov_lens::systems::catalogue::SystemKind;
use ndarray::Array2;
use proptest::prelude::*;

/// A valid config from the whole accepted range; or one whose τ sits at the continuation limit
/// (MAX_CONTINUATION sampling intervals, give or take a rounding error).
fn config_near_the_caps() -> impl Strategy<Value = Config> {
    let at_the_limit = (valid_config(ACCEPTED), -9.0..-2.0_f64, -3..=3_i32).prop_map(
        |(mut c, log_spacing, ulps)| {
            // FTLE at the clean states, samples close enough that τ ≤ 1000 spans the limit.
            (c.measure, c.measure_at) = (Measure::Ftle, MeasureAt::Clean);
            c.t_end = (10_f64.powf(log_spacing) * (c.n - 1) as f64).min(1e4);
            let spacing = c.t_end / (c.n - 1) as f64;
            c.tau = MAX_CONTINUATION as f64 * spacing * (1.0 + f64::from(ulps) * f64::EPSILON);
            c
        },
    );
    prop_oneof![3 => valid_config(ACCEPTED), 1 => at_the_limit]
}

/// A fit's data: 0 to 40 points, or exactly at or just past the cap on points; times that
/// mostly increase; values of either sign, some non-finite.
fn fit_data() -> impl Strategy<Value = FitData> {
    let n = prop_oneof![8 => 0..40_usize, 1 => Just(MAX_POINTS), 1 => Just(MAX_POINTS + 1)];
    let columns = prop_oneof![
        3 => Just(vec![0, 1]),
        1 => prop::sample::select(vec![vec![0], vec![1, 0], vec![0, 0], vec![2]]),
    ];
    let value = prop_oneof![8 => 0.1..50.0_f64, 2 => -50.0..50.0_f64, 1 => Just(f64::NAN)];
    let unsorted = prop::bool::weighted(0.1);
    (n, columns, value, -1..8_i32, unsorted).prop_map(|(n, variables, v, phase, unsorted)| {
        let mut times: Vec<f64> = (0..n).map(|i| i as f64 * 0.5).collect();
        if unsorted && n > 2 {
            times.swap(1, 2);
        }
        let m = variables.len();
        let values = Array2::from_shape_fn((n, m), |(i, j)| {
            if (i + j) as i32 % 8 == phase {
                v
            } else {
                1.0 + ((i * (j + 1)) % 7) as f64
            }
        });
        FitData {
            times,
            values,
            variables,
            source: "property".into(),
        }
    })
}

/// A fit's settings: any system, noise model and prior, starts and iterations within their
/// caps (mostly), at them or past them, and weights that are missing, usable, negative, all
/// zero, overflowing or underflowing.
fn fit_settings(points: usize) -> impl Strategy<Value = FitSettings> {
    let weights = prop_oneof![
        4 => Just(None),
        1 => prop::collection::vec(0.0..10.0_f64, points).prop_map(Some),
        2 => Just(Some(vec![1e308; points])),
        1 => Just(Some((0..points).map(|i| if i == 0 { 5e-324 } else { 0.0 }).collect())),
        1 => Just(Some(vec![0.0; points])),
        1 => Just(Some(vec![-1.0; points])),
        1 => Just(Some(vec![1.0; points + 1])),
    ];
    (
        prop::sample::select(SystemKind::ALL.to_vec()),
        prop::sample::select(NoiseModel::ALL.to_vec()),
        prop::sample::select(vec![Prior::Weak, Prior::Flat]),
        prop_oneof![
            4 => prop::sample::select(vec![1, 8, MAX_STARTS]),
            1 => prop::sample::select(vec![0, MAX_STARTS + 1, usize::MAX]),
        ],
        prop_oneof![
            4 => prop::sample::select(vec![1, 20, MAX_ITERATIONS]),
            1 => prop::sample::select(vec![0, MAX_ITERATIONS + 1]),
        ],
        weights,
    )
        .prop_map(
            |(system, noise, prior, starts, max_iterations, weights)| FitSettings {
                noise,
                prior,
                starts,
                max_iterations,
                weights,
                ..FitSettings::new(system)
            },
        )
}

proptest! {
    #![proptest_config(cases())]

    #[test]
    fn an_accepted_config_is_estimated_within_every_cap(config in config_near_the_caps()) {
        // Only accepted configs promise anything (a τ just past the limit is refused: fine).
        if config.validate().is_err() {
            return Ok(());
        }
        if config.model == ModelKind::SelfAttention {
            let bytes = workspace_bytes(config.system.dim(), config.heads, config.window, config.n);
            prop_assert!(bytes <= MAX_WORKSPACE_BYTES, "{bytes} bytes");
        }
        if config.measure.uses_horizon() {
            let times = uniform_times(config.t_end, config.n);
            let trajectory = Trajectory { times, states: Array2::zeros((config.n, 0)) };
            let (extra, dt) = continuation(&trajectory, config.tau)
                .map_err(|e| TestCaseError::fail(format!("accepted, then refused: {e}")))?;
            prop_assert!(extra <= MAX_CONTINUATION + 1, "{extra} intervals");
            let pieces = sub_intervals(&trajectory.times, extra, dt);
            prop_assert!(pieces <= MAX_SUB_INTERVALS, "{pieces} sub-intervals");
        }
    }

    #[test]
    fn an_accepted_fit_is_within_its_caps(
        (data, settings) in fit_data().prop_flat_map(|d| {
            let n = d.len();
            (Just(d), fit_settings(n))
        }),
        typical in prop_oneof![0..100_000_usize, Just(usize::MAX)],
        factor in prop_oneof![0..100_usize, Just(usize::MAX)],
    ) {
        let problem = match FitProblem::new(settings, data) {
            Ok(problem) => problem,
            Err(e) => {
                prop_assert!(!e.to_string().trim().is_empty(), "{e:?}");
                return Ok(());
            }
        };
        prop_assert!(problem.data.len() <= MAX_POINTS);
        prop_assert!((1..=MAX_STARTS).contains(&problem.settings.starts));
        prop_assert!((1..=MAX_ITERATIONS).contains(&problem.settings.max_iterations));
        let steps = problem.resolvable_steps();
        prop_assert!((MIN_STEP_CAP..=MAX_STEPS_PER_SOLVE).contains(&steps), "{steps}");
        prop_assert_eq!(problem.step_cap.get(), steps);
        problem.set_step_cap(typical, factor);
        prop_assert!((MIN_STEP_CAP..=steps).contains(&problem.step_cap.get()));
        let mean = problem.weights.iter().sum::<f64>() / problem.weights.len() as f64;
        prop_assert!(
            problem.weights.iter().all(|w| w.is_finite()) && (mean - 1.0).abs() < 1e-9,
            "weights {:?}", problem.weights
        );
    }
}
