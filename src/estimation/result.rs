//! What a fit reports: the estimates with 95% intervals, the log-likelihood, whether and how it
//! converged, how many starts agreed, the correlations, the weak directions and the fitted
//! trajectory. [`fit`] runs a whole fit; [`finish`] turns a [`Fitter`] that has run into a
//! [`FitResult`].

use crate::estimation::fitter::{FitStep, Fitter, StartOutcome};
use crate::estimation::laplace::{laplace, short_name, Estimate, WeakDirection};
use crate::estimation::problem::{FitData, FitError, FitProblem, FitSettings, Prior};
use crate::estimation::sensitivity::{solve, MAX_STEPS_PER_SOLVE};
use crate::observations::noise_model::NoiseModel;
use crate::systems::catalogue::SystemKind;
use serde::Serialize;

/// Two converged starts agree when their objectives differ by less than this and every fit
/// coordinate by less than [`AGREE_SE`] standard errors (or 10⁻³ where the error is 0 or ∞).
pub const AGREE_OBJECTIVE: f64 = 1e-3;
pub const AGREE_SE: f64 = 0.05;

/// The outcome of a fit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FitResult {
    pub system: SystemKind,
    pub noise: NoiseModel,
    pub prior: Prior,
    /// The priors in words.
    pub prior_statement: String,
    pub data_source: String,
    pub points: usize,
    /// Names of the observed state variables.
    pub observed: Vec<String>,
    /// Rates, initial state (at the first data time), then one noise scale per observed
    /// variable.
    pub estimates: Vec<Estimate>,
    /// ln L at the estimates (a density of the observations themselves under either model).
    pub log_likelihood: f64,
    /// ln L + ln prior (equal to ln L under the flat prior).
    pub log_posterior: f64,
    /// Whether the best start converged.
    pub converged: bool,
    pub convergence: String,
    pub starts: Vec<StartOutcome>,
    /// Converged starts that reached the best optimum (the best included).
    pub starts_agreeing: usize,
    /// Names of the rows and columns of `correlation` (those of `estimates`).
    pub correlation_names: Vec<String>,
    pub correlation: Vec<Vec<f64>>,
    pub weak_directions: Vec<WeakDirection>,
    /// Solves (orbit integrations) the whole fit took.
    pub solves: usize,
    pub times: Vec<f64>,
    /// The state variable each observed column is (indices into the state).
    pub variables: Vec<usize>,
    /// The observations, n × m.
    pub observations: Vec<Vec<f64>>,
    /// The fitted states at the data times, n × d.
    pub fitted: Vec<Vec<f64>>,
    /// g(y) − g(x̂) at the data times, n × m (g = ln under lognormal noise).
    pub residuals: Vec<Vec<f64>>,
}

impl FitResult {
    /// The fitted rates then initial state.
    pub fn parameter_values(&self) -> Vec<f64> {
        self.estimates
            .iter()
            .filter(|e| e.kind != crate::estimation::problem::ParameterKind::NoiseScale)
            .map(|e| e.value)
            .collect()
    }

    /// The estimate named `name`.
    pub fn estimate(&self, name: &str) -> Option<&Estimate> {
        self.estimates.iter().find(|e| e.name == name)
    }

    /// The fitted orbit at `times` (from the first data time on), n × d: for drawing a smooth
    /// curve through the data.
    pub fn trajectory(&self, times: &[f64]) -> Result<Vec<Vec<f64>>, String> {
        orbit(self.system, &self.parameter_values(), times)
    }
}

/// The orbit of `kind` with `values` (rates then the initial state at `times[0]`) at `times`
/// (strictly increasing), n × d: for drawing a fit in progress ([`Fitter::current`]) or done.
pub fn orbit(kind: SystemKind, values: &[f64], times: &[f64]) -> Result<Vec<Vec<f64>>, String> {
    let rates = kind.rates().len();
    if values.len() != rates + kind.dim() {
        return Err(format!(
            "{kind} takes {rates} rates and {} initial values, got {} values",
            kind.dim(),
            values.len()
        ));
    }
    let system = kind.build(values)?;
    let solution = solve(
        &*system,
        rates,
        &values[rates..],
        times,
        false,
        MAX_STEPS_PER_SOLVE,
    )
    .map_err(|e| e.to_string())?;
    Ok(solution
        .states
        .chunks(solution.dim)
        .map(<[f64]>::to_vec)
        .collect())
}

/// Runs a whole fit; an error when the input cannot be fitted or no start converged.
pub fn fit(settings: FitSettings, data: FitData) -> Result<FitResult, FitError> {
    let mut fitter = Fitter::new(settings, data)?;
    while !matches!(fitter.step(), FitStep::Finished) {}
    let result = finish(fitter)?;
    if !result.converged {
        return Err(FitError::NotConverged(result.convergence));
    }
    Ok(result)
}

fn prior_statement(prior: Prior) -> String {
    match prior {
        Prior::Weak => "MAP with weak priors: ln r ~ normal(ln slider default, 3²) for each rate, the same for positive initial states, normal(default, (3·slider width)²) for other initial states; noise scales flat in ln σ".into(),
        Prior::Flat => "maximum likelihood (no prior)".into(),
    }
}

/// The result of a fitter that has run (see [`Fitter::is_finished`]); an error when no start
/// could run at all. A fit whose best start did not converge is returned with `converged`
/// false and the reason in `convergence`.
pub fn finish(fitter: Fitter) -> Result<FitResult, FitError> {
    let (problem, mut starts, solves, failure) = fitter.into_parts();
    let best = starts
        .iter()
        .filter(|s| s.objective.is_finite())
        .min_by(|a, b| {
            (!a.converged, a.objective)
                .partial_cmp(&(!b.converged, b.objective))
                .expect("finite")
        })
        .cloned()
        .ok_or_else(|| {
            FitError::NotConverged(format!(
                "no starting point gives an orbit that can be compared with the data ({})",
                failure.as_deref().unwrap_or("no start ran")
            ))
        })?;
    problem.reset_step_cap();
    let at = problem
        .evaluate(&best.coordinates, true)
        .map_err(|e| FitError::NotConverged(format!("the best start cannot be evaluated: {e}")))?;
    let uncertainty = laplace(&problem, &best.coordinates, &at);
    let p = problem.len();
    let ses: Vec<f64> = uncertainty.estimates[..p]
        .iter()
        .map(|e| e.std_error)
        .collect();
    for s in starts.iter_mut() {
        s.agrees = s.converged
            && best.converged
            && (s.objective - best.objective).abs() < AGREE_OBJECTIVE
            && s.coordinates
                .iter()
                .zip(&best.coordinates)
                .zip(&ses)
                .all(|((a, b), se)| {
                    let tolerance = if se.is_finite() && *se > 0.0 {
                        AGREE_SE * se
                    } else {
                        1e-3
                    };
                    (a - b).abs() <= tolerance
                });
    }
    Ok(assemble(&problem, &best, &at, uncertainty, starts, solves))
}

fn assemble(
    problem: &FitProblem,
    best: &StartOutcome,
    at: &crate::estimation::objective::Evaluation,
    uncertainty: crate::estimation::laplace::Uncertainty,
    starts: Vec<StartOutcome>,
    solves: usize,
) -> FitResult {
    let kind = problem.settings.system;
    let m = problem.data.variables.len();
    let sol = &at.solution;
    let fitted: Vec<Vec<f64>> = sol.states.chunks(sol.dim).map(<[f64]>::to_vec).collect();
    let residuals = (0..problem.data.len())
        .map(|t| {
            problem
                .data
                .variables
                .iter()
                .enumerate()
                .map(|(j, &v)| {
                    let x = sol.state(t, v);
                    let gx = match problem.settings.noise {
                        NoiseModel::Lognormal => libm::log(x),
                        NoiseModel::Gaussian => x,
                    };
                    problem.transformed[t * m + j] - gx
                })
                .collect()
        })
        .collect();
    FitResult {
        system: kind,
        noise: problem.settings.noise,
        prior: problem.settings.prior,
        prior_statement: prior_statement(problem.settings.prior),
        data_source: problem.data.source.clone(),
        points: problem.data.len(),
        observed: problem
            .observed_names()
            .iter()
            .map(|s| s.to_string())
            .collect(),
        correlation_names: uncertainty
            .estimates
            .iter()
            .map(|e| e.name.clone())
            .collect(),
        estimates: uncertainty.estimates,
        log_likelihood: at.log_likelihood,
        log_posterior: at.log_likelihood + at.log_prior,
        converged: best.converged,
        convergence: format!("best of {} starts: {}", starts.len(), best.stop),
        starts_agreeing: starts.iter().filter(|s| s.agrees).count(),
        starts,
        correlation: uncertainty.correlation,
        weak_directions: uncertainty.weak_directions,
        solves,
        times: problem.data.times.clone(),
        variables: problem.data.variables.clone(),
        observations: problem
            .data
            .values
            .rows()
            .into_iter()
            .map(|r| r.to_vec())
            .collect(),
        fitted,
        residuals,
    }
}

/// Column names for a state variable in tables: `x`, `y`, `z`, `θ`, ….
pub fn column_name(kind: SystemKind, state: usize) -> String {
    short_name(kind.state_names()[state])
}
