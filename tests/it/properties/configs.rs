//! Random configs for the session and work-cap properties: every system, model, measure, place
//! of measurement and noise model, including the combinations that do not apply; each number
//! within a range or hostile (NaN, infinities, zero, negative, 1e-300, ±1e308, past a cap), and
//! now and then the wrong number of system values.

use lyapunov_lens::lab::config::{Config, MAX_N};
use lyapunov_lens::measures::measure::{Measure, MeasureAt};
use lyapunov_lens::models::kind::ModelKind;
use lyapunov_lens::observations::gaussian_noise::MAX_SEED;
use lyapunov_lens::observations::noise_model::NoiseModel;
use lyapunov_lens::systems::catalogue::SystemKind;
use proptest::prelude::*;

/// Reals that break naive code.
const HOSTILE_REALS: [f64; 10] = [
    f64::NAN,
    f64::INFINITY,
    f64::NEG_INFINITY,
    -1.0,
    0.0,
    -0.0,
    1e-300,
    1e308,
    -1e308,
    f64::MAX,
];

/// Counts that break naive code.
const HOSTILE_COUNTS: [usize; 5] = [0, 1, MAX_N + 1, u32::MAX as usize, usize::MAX];

/// The ranges the run parameters are drawn from (the system's own come from its sliders), and
/// the weight of a hostile value against 10 for one in range.
#[derive(Debug, Clone, Copy)]
pub struct Ranges {
    pub t_end: (f64, f64),
    pub burn_in: (f64, f64),
    pub n: (usize, usize),
    pub tau: (f64, f64),
    pub window: (usize, usize),
    pub hostile: u32,
}

/// Small enough that building a session stays cheap in debug (a few ms to a few 100 ms).
pub const CHEAP: Ranges = Ranges {
    t_end: (2.0, 10.0),
    burn_in: (0.0, 5.0),
    n: (2, 40),
    tau: (0.05, 2.0),
    window: (1, 20),
    hostile: 1,
};

/// The whole range [`Config::validate`] accepts, for properties that only validate and
/// estimate (no session is built).
pub const ACCEPTED: Ranges = Ranges {
    t_end: (1e-6, 1e4),
    burn_in: (0.0, 1e4),
    n: (2, MAX_N),
    tau: (1e-6, 1e3),
    window: (1, 1000),
    hostile: 0,
};

/// `usual` ten times in ten + `weight`, one of `hostile` otherwise.
fn or_hostile<T: Clone + std::fmt::Debug + 'static>(
    usual: BoxedStrategy<T>,
    hostile: &[T],
    weight: u32,
) -> BoxedStrategy<T> {
    if weight == 0 {
        return usual;
    }
    prop_oneof![10 => usual, weight => prop::sample::select(hostile.to_vec())].boxed()
}

/// A real in [lo, hi] (uniform, log-uniform when lo > 0, or an end), or a hostile one.
fn real(lo: f64, hi: f64, hostile: u32) -> BoxedStrategy<f64> {
    let log = if lo > 0.0 {
        (lo.ln(), hi.ln())
    } else {
        (0.0, 0.0)
    };
    let log_uniform =
        (log.0..=log.1).prop_map(move |l| if lo > 0.0 { l.exp().clamp(lo, hi) } else { lo });
    let usual = prop_oneof![4 => lo..=hi, 4 => log_uniform, 1 => Just(lo), 1 => Just(hi)];
    or_hostile(usual.boxed(), &HOSTILE_REALS, hostile)
}

/// A count in [lo, hi] (uniform, log-uniform or an end), or a hostile one.
fn count(lo: usize, hi: usize, hostile: u32) -> BoxedStrategy<usize> {
    let log = ((lo.max(1) as f64).ln(), (hi.max(1) as f64).ln());
    let log_uniform = (log.0..=log.1).prop_map(move |l| (l.exp().round() as usize).clamp(lo, hi));
    let usual = prop_oneof![4 => lo..=hi, 4 => log_uniform, 1 => Just(lo), 1 => Just(hi)];
    or_hostile(usual.boxed(), &HOSTILE_COUNTS, hostile)
}

/// A config of any system, any model, measure, place and noise model, its numbers from
/// `ranges` (the system's from its sliders), some hostile.
pub fn config(ranges: Ranges) -> impl Strategy<Value = Config> {
    let h = ranges.hostile;
    prop::sample::select(SystemKind::ALL.to_vec()).prop_flat_map(move |system| {
        let values: Vec<BoxedStrategy<f64>> =
            system.parameters().map(|p| real(p.min, p.max, h)).collect();
        let run = (
            real(ranges.t_end.0, ranges.t_end.1, h),
            // Or the system's own burn-in (onto its limit cycle or attractor).
            prop_oneof![
                3 => real(ranges.burn_in.0, ranges.burn_in.1, h),
                1 => Just(system.run_defaults().burn_in),
            ],
            count(ranges.n.0, ranges.n.1, h),
            real(0.0, 10.0, h),
            or_hostile(
                (0..=999_u64).boxed(),
                &[MAX_SEED, MAX_SEED + 1, u64::MAX],
                h,
            ),
            real(1e-4, 1.0, h),
            real(ranges.tau.0, ranges.tau.1, h),
            count(1, 4, h),
            count(ranges.window.0, ranges.window.1, h),
        );
        let kinds = (
            prop::sample::select(ModelKind::ALL.to_vec()),
            prop::sample::select(Measure::ALL.to_vec()),
            prop::sample::select(MeasureAt::ALL.to_vec()),
            prop::sample::select(NoiseModel::ALL.to_vec()),
        );
        // Now and then one system value too few or too many.
        let length = or_hostile(Just(0_i8).boxed(), &[-1, 1], h);
        (values, run, kinds, length).prop_map(move |(mut values, run, kinds, length)| {
            match length {
                -1 => {
                    values.pop();
                }
                1 => values.push(1.0),
                _ => {}
            }
            let (t_end, burn_in, n, sigma, seed, lr, tau, heads, window) = run;
            let (model, measure, measure_at, noise) = kinds;
            Config {
                system,
                system_values: values,
                t_end,
                burn_in,
                n,
                sigma,
                seed,
                model,
                lr,
                heads,
                window,
                noise,
                measure,
                measure_at,
                tau,
            }
        })
    })
}

/// A config that validates, from `ranges` (a valid model, measure and noise model for its
/// system, no hostile value).
pub fn valid_config(ranges: Ranges) -> impl Strategy<Value = Config> {
    config(Ranges {
        hostile: 0,
        ..ranges
    })
    .prop_filter("a valid config", |c| c.validate().is_ok())
}

/// Copies one setting (or, for the system, the system with its values) from a config.
type CopySetting = fn(&mut Config, &Config);

const SETTINGS: [CopySetting; 13] = [
    |c, o| (c.system, c.system_values) = (o.system, o.system_values.clone()),
    |c, o| {
        if c.system_values.len() == o.system_values.len() {
            c.system_values.clone_from(&o.system_values);
        }
    },
    |c, o| c.t_end = o.t_end,
    |c, o| c.burn_in = o.burn_in,
    |c, o| c.n = o.n,
    |c, o| (c.sigma, c.seed) = (o.sigma, o.seed),
    |c, o| c.lr = o.lr,
    |c, o| c.tau = o.tau,
    |c, o| (c.heads, c.window) = (o.heads, o.window),
    |c, o| c.model = o.model,
    |c, o| c.measure = o.measure,
    |c, o| c.measure_at = o.measure_at,
    |c, o| c.noise = o.noise,
];

/// `start` with one to three of its settings taken from `other` (mostly one), and one time in
/// three one system value made extreme or hostile: what a visitor's change of a control or a
/// few looks like. An extreme rate or state often passes validation and fails only when
/// integrated: the path where a change could half-apply.
pub fn change(start: Config, other: Config) -> impl Strategy<Value = Config> {
    let all: Vec<usize> = (0..SETTINGS.len()).collect();
    let settings = prop_oneof![
        2 => prop::sample::subsequence(all.clone(), 1),
        1 => prop::sample::subsequence(all, 2..=3),
    ];
    // Extremes that validation accepts but integration may not, then the hostile reals.
    let extreme = prop_oneof![
        3 => prop::sample::select(vec![1e308, 1e6, 1e3, 1e-6, 1e-300]),
        1 => prop::sample::select(HOSTILE_REALS.to_vec()),
    ];
    let hostile = prop::option::weighted(1.0 / 3.0, (any::<prop::sample::Index>(), extreme));
    (settings, hostile).prop_map(move |(settings, hostile)| {
        let mut c = start.clone();
        for i in settings {
            SETTINGS[i](&mut c, &other);
        }
        if let Some((index, value)) = hostile.filter(|_| !c.system_values.is_empty()) {
            let i = index.index(c.system_values.len());
            c.system_values[i] = value;
        }
        c
    })
}
