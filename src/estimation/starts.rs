//! Where the fit starts. ODE fits have local optima (an orbit with twice the period can match
//! every other peak), so the fit screens [`SCREENING`] seeded candidates by their objective, a
//! plain solve each, and starts the optimizer from the best distinct ones.
//!
//! - Candidate 0: the slider defaults for the rates, the first observation for each observed
//!   initial state (the default where it is not observed or, under a log coordinate, not
//!   positive); or the caller's own start when it gives one.
//! - The others, from a seeded ChaCha8 stream: each rate log-uniform over its slider range
//!   widened 4× each way; each observed initial state near the first observation (within a
//!   factor e^±0.5 for positive states, ±10% of the slider width otherwise); unobserved ones
//!   uniform over their slider range (log-uniform for positive states).
//! - Two candidates are distinct when some fit coordinate differs by more than
//!   [`DISTINCT`].

use crate::estimation::problem::{FitProblem, ParameterKind};
use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Candidates screened before the optimizer starts.
pub const SCREENING: usize = 128;
/// Chosen starts differ in some fit coordinate by more than this.
pub const DISTINCT: f64 = 0.1;

/// Uniform on [0, 1) with 53 random bits.
fn uniform(rng: &mut ChaCha8Rng) -> f64 {
    (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// The screening candidates in fit coordinates, candidate 0 first (see the module doc).
pub fn candidates(problem: &FitProblem, first: Option<&[f64]>, count: usize) -> Vec<Vec<f64>> {
    let kind = problem.settings.system;
    let specs: Vec<_> = kind.parameters().collect();
    let first_observation = |state: usize| {
        let column = problem.data.variables.iter().position(|&v| v == state)?;
        Some(problem.data.values[[0, column]])
    };
    let mut rng = ChaCha8Rng::seed_from_u64(problem.settings.seed);
    let mut out = Vec::with_capacity(count);
    let base: Vec<f64> = match first {
        Some(values) => problem.coordinates_of(values),
        None => problem
            .coordinates
            .iter()
            .enumerate()
            .map(|(k, c)| {
                let observed = (c.kind == ParameterKind::InitialState)
                    .then(|| first_observation(k - problem.rates))
                    .flatten()
                    .filter(|&y| !c.log || y > 0.0);
                observed.map_or(c.prior_center, |y| c.coordinate(y))
            })
            .collect(),
    };
    out.push(base.clone());
    while out.len() < count {
        let candidate = problem
            .coordinates
            .iter()
            .enumerate()
            .map(|(k, c)| {
                let spec = specs[k];
                let u = uniform(&mut rng);
                let observed = c.kind == ParameterKind::InitialState
                    && first_observation(k - problem.rates).is_some();
                match (c.kind, c.log, observed) {
                    (ParameterKind::Rate, ..) => {
                        let (lo, hi) = (libm::log(spec.min / 4.0), libm::log(spec.max * 4.0));
                        lo + (hi - lo) * u
                    }
                    (_, true, true) => base[k] + (u - 0.5),
                    (_, false, true) => base[k] + 0.2 * (u - 0.5) * (spec.max - spec.min),
                    (_, true, false) => {
                        let lo = libm::log(spec.min.max(spec.max * 1e-3));
                        let hi = libm::log(spec.max);
                        lo + (hi - lo) * u
                    }
                    (_, false, false) => spec.min + (spec.max - spec.min) * u,
                }
            })
            .collect();
        out.push(candidate);
    }
    out
}

/// The `starts` best distinct candidates by objective (finite ones only), best first.
pub fn choose(scored: &[(Vec<f64>, f64)], starts: usize) -> Vec<Vec<f64>> {
    let mut order: Vec<usize> = (0..scored.len())
        .filter(|&i| scored[i].1.is_finite())
        .collect();
    order.sort_by(|&a, &b| scored[a].1.total_cmp(&scored[b].1));
    let mut chosen: Vec<Vec<f64>> = Vec::new();
    for i in order {
        let u = &scored[i].0;
        let distinct = chosen
            .iter()
            .all(|c| c.iter().zip(u).any(|(a, b)| (a - b).abs() > DISTINCT));
        if distinct {
            chosen.push(u.clone());
        }
        if chosen.len() == starts {
            break;
        }
    }
    chosen
}
