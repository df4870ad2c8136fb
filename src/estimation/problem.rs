//! What is fitted to what: the data ([`FitData`]), the choices ([`FitSettings`]: system, noise
//! model, prior, starts, weights) and the parameters in the coordinates the optimizer moves in
//! ([`Coordinate`]): the logarithm of every positive parameter (the rates always; the initial
//! state of systems whose states are positive), the value itself otherwise. The noise scales are
//! profiled out (see `objective`). [`FitProblem::new`] checks everything before any work starts.

use crate::estimation::sensitivity::{MAX_DIM, MAX_RATES, MAX_STEPS_PER_SOLVE};
use crate::observations::csv_import::ImportedSeries;
use crate::observations::noise_model::NoiseModel;
use crate::systems::catalogue::SystemKind;
use crate::systems::system::System;
use ndarray::Array2;
use std::cell::Cell;
use std::fmt;

crate::named_kind! {
    /// What the fit maximises: the posterior under weak priors (MAP), or the likelihood alone.
    pub enum Prior ("prior") {
        /// MAP: each rate and positive initial state ~ lognormal(ln default, 3²), a factor of
        /// 20 per standard deviation around the slider default; other initial states ~
        /// normal(default, (3·slider width)²); noise scales flat in ln σ (Jeffreys).
        #[default]
        Weak => "weak",
        /// Maximum likelihood: no prior.
        Flat => "none",
    }
}

/// Prior standard deviation of [`Prior::Weak`] in fit coordinates (ln units for positive
/// parameters, slider widths for the others).
pub const WEAK_PRIOR_SD: f64 = 3.0;
/// Caps checked before a fit starts.
pub const MAX_POINTS: usize = 20_000;
pub const MAX_STARTS: usize = 64;
pub const MAX_ITERATIONS: usize = 5_000;
/// The step cap of a solve never goes below this (see [`FitProblem::set_step_cap`]).
pub const MIN_STEP_CAP: usize = 10_000;
/// RK4 substeps per interval between data times beyond which the data cannot resolve an orbit.
/// The substeps are sized to h·‖D⁻¹JD‖ ≤ 0.01, so 2000 of them cover about 20 units of the
/// fastest relative rate per interval: several turns of the orbit between two observations
/// (a turn takes about 2π, times the amplitude factor of the state-scaled norm, 3 to 6 on the
/// lynx–hare orbit), which no fit to those observations can tell from an alias.
pub const STEPS_PER_INTERVAL: usize = 2000;

/// Why a fit cannot run or did not succeed.
#[derive(Debug, Clone, PartialEq)]
pub enum FitError {
    /// The data or the settings cannot be fitted (the message says why and what to do).
    Input(String),
    /// The fit would cost more than its cap.
    TooExpensive(String),
    /// No start converged.
    NotConverged(String),
}

impl fmt::Display for FitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FitError::Input(m) | FitError::TooExpensive(m) => f.write_str(m),
            FitError::NotConverged(m) => write!(f, "the fit did not converge: {m}"),
        }
    }
}

impl std::error::Error for FitError {}

fn input(message: String) -> FitError {
    FitError::Input(message)
}

/// Observations at arbitrary (strictly increasing) times.
#[derive(Debug, Clone, PartialEq)]
pub struct FitData {
    pub times: Vec<f64>,
    /// n × m observed values; column j observes state variable `variables[j]`.
    pub values: Array2<f64>,
    pub variables: Vec<usize>,
    /// Where the data came from, for reports.
    pub source: String,
}

impl FitData {
    /// A two-column series (prey, predator or the first two state variables) as read by the CSV
    /// importer or built in.
    pub fn from_series(series: &ImportedSeries, source: &str) -> FitData {
        FitData {
            times: series.times.clone(),
            values: series.observations.clone(),
            variables: vec![0, 1],
            source: source.to_string(),
        }
    }

    pub fn len(&self) -> usize {
        self.times.len()
    }

    pub fn is_empty(&self) -> bool {
        self.times.is_empty()
    }
}

/// The choices of one fit.
#[derive(Debug, Clone, PartialEq)]
pub struct FitSettings {
    pub system: SystemKind,
    pub noise: NoiseModel,
    pub prior: Prior,
    /// Starting points (the best of a seeded screening, see `starts`).
    pub starts: usize,
    pub seed: u64,
    /// Trust-region iterations per start.
    pub max_iterations: usize,
    /// Weights on the points' residuals (N·a_t for attention weighting; rescaled to mean 1);
    /// `None` weighs all 1.
    pub weights: Option<Vec<f64>>,
    /// Rates then initial state to use as the first starting candidate (a previous fit, say);
    /// with `starts` = 1 the fit starts there without screening.
    pub start_from: Option<Vec<f64>>,
}

impl FitSettings {
    /// Lognormal noise where the states are positive (populations, concentrations), Gaussian
    /// otherwise; weak priors; 8 starts; 100 iterations per start.
    pub fn new(system: SystemKind) -> FitSettings {
        FitSettings {
            system,
            noise: if system.has_positive_states() {
                NoiseModel::Lognormal
            } else {
                NoiseModel::Gaussian
            },
            prior: Prior::Weak,
            starts: 8,
            seed: 1,
            max_iterations: 100,
            weights: None,
            start_from: None,
        }
    }
}

/// What a parameter is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ParameterKind {
    Rate,
    InitialState,
    NoiseScale,
}

/// One parameter in the optimizer's coordinates.
#[derive(Debug, Clone, PartialEq)]
pub struct Coordinate {
    /// The system's name for it (`alpha`, `x0`), or `sigma_<state>` for a noise scale.
    pub name: String,
    pub label: String,
    pub kind: ParameterKind,
    /// Whether the fit moves its logarithm (positive parameters).
    pub log: bool,
    /// Prior mean and standard deviation in fit coordinates (sd = ∞: no prior).
    pub prior_center: f64,
    pub prior_sd: f64,
}

impl Coordinate {
    /// The value from the fit coordinate.
    pub fn value(&self, u: f64) -> f64 {
        if self.log {
            libm::exp(u)
        } else {
            u
        }
    }

    /// The fit coordinate of a value.
    pub fn coordinate(&self, value: f64) -> f64 {
        if self.log {
            libm::log(value)
        } else {
            value
        }
    }

    /// How the coordinate reads in a formula: `ln alpha` or `theta0`.
    pub fn symbol(&self) -> String {
        if self.log {
            format!("ln {}", self.name)
        } else {
            self.name.clone()
        }
    }
}

/// A checked fit problem: the data transformed for the noise model, the coordinates and priors.
pub struct FitProblem {
    pub settings: FitSettings,
    pub data: FitData,
    pub coordinates: Vec<Coordinate>,
    /// Number of rates R (the first R coordinates).
    pub rates: usize,
    /// State dimension d.
    pub dim: usize,
    /// g(y): ln y under lognormal noise, y under Gaussian; n × m row-major.
    pub transformed: Vec<f64>,
    /// The weight of each point, mean 1.
    pub weights: Vec<f64>,
    /// RK4 substeps one solve may take (see [`FitProblem::set_step_cap`]).
    pub step_cap: Cell<usize>,
}

impl FitProblem {
    /// Checks the settings and the data against each other; every refusal says what to change.
    pub fn new(settings: FitSettings, data: FitData) -> Result<FitProblem, FitError> {
        let kind = settings.system;
        let system = kind
            .build(&kind.default_values())
            .map_err(|e| input(format!("{kind}: {e}")))?;
        check_system(kind, &*system)?;
        check_settings(&settings)?;
        check_data(kind, &*system, &data)?;
        settings.noise.check(kind).map_err(input)?;
        let weights = settings
            .weights
            .clone()
            .unwrap_or_else(|| vec![1.0; data.len()]);
        check_weights(&weights, data.len())?;
        let weights = mean_one(&weights);
        let transformed = transform(&settings, &data, &*system)?;
        let coordinates = coordinates(kind, settings.prior);
        let problem = FitProblem {
            rates: kind.rates().len(),
            dim: system.dim(),
            settings,
            data,
            coordinates,
            transformed,
            weights,
            step_cap: Cell::new(MAX_STEPS_PER_SOLVE),
        };
        problem.reset_step_cap();
        problem.check_counts()?;
        problem.check_start()?;
        Ok(problem)
    }

    /// The number of fitted coordinates P (rates and initial state; the noise scales are
    /// profiled out).
    pub fn len(&self) -> usize {
        self.coordinates.len()
    }

    pub fn is_empty(&self) -> bool {
        self.coordinates.is_empty()
    }

    /// Rates then initial state, from fit coordinates.
    pub fn values(&self, u: &[f64]) -> Vec<f64> {
        self.coordinates
            .iter()
            .zip(u)
            .map(|(c, &u)| c.value(u))
            .collect()
    }

    /// Fit coordinates from rates then initial state.
    pub fn coordinates_of(&self, values: &[f64]) -> Vec<f64> {
        self.coordinates
            .iter()
            .zip(values)
            .map(|(c, &v)| c.coordinate(v))
            .collect()
    }

    /// The observed state variables' names.
    pub fn observed_names(&self) -> Vec<&'static str> {
        let names = self.settings.system.state_names();
        self.data.variables.iter().map(|&v| names[v]).collect()
    }

    /// The most RK4 substeps an orbit the data can resolve needs: [`STEPS_PER_INTERVAL`] per
    /// interval between data times, within [`MIN_STEP_CAP`] and [`MAX_STEPS_PER_SOLVE`].
    pub fn resolvable_steps(&self) -> usize {
        let intervals = self.data.len().saturating_sub(1);
        intervals
            .saturating_mul(STEPS_PER_INTERVAL)
            .clamp(MIN_STEP_CAP, MAX_STEPS_PER_SOLVE)
    }

    /// Lifts the step cap back to [`FitProblem::resolvable_steps`].
    pub fn reset_step_cap(&self) {
        self.step_cap.set(self.resolvable_steps());
    }

    /// Caps each solve at `typical` × `factor` RK4 substeps, within [`MIN_STEP_CAP`] and
    /// [`FitProblem::resolvable_steps`]: a guess whose orbit needs many times the steps of the
    /// current one is refused quickly instead of followed (and a step of the page stays short).
    pub fn set_step_cap(&self, typical: usize, factor: usize) {
        let cap = typical.saturating_mul(factor);
        self.step_cap
            .set(cap.clamp(MIN_STEP_CAP, self.resolvable_steps()));
    }

    /// A caller's start has one value per coordinate, positive where the coordinate is a log.
    fn check_start(&self) -> Result<(), FitError> {
        let Some(values) = &self.settings.start_from else {
            return Ok(());
        };
        if values.len() != self.len() {
            return Err(input(format!(
                "the start has {} values, expected {} (rates then initial state)",
                values.len(),
                self.len()
            )));
        }
        for (c, v) in self.coordinates.iter().zip(values) {
            if !v.is_finite() || (c.log && *v <= 0.0) {
                return Err(input(format!(
                    "the start's {} = {v} must be a {}finite number",
                    c.name,
                    if c.log { "positive " } else { "" }
                )));
            }
        }
        Ok(())
    }

    /// Enough values for the parameters: strictly more observed values than rates, initial
    /// states and noise scales together.
    fn check_counts(&self) -> Result<(), FitError> {
        let (n, m) = (self.data.len(), self.data.variables.len());
        let parameters = self.len() + m;
        if n * m <= parameters {
            return Err(input(format!(
                "{n} points × {m} observed variables = {} values are too few for {parameters} parameters ({} rates, {} initial states, {m} noise scales): a fit needs more values than parameters",
                n * m,
                self.rates,
                self.dim
            )));
        }
        Ok(())
    }
}

fn check_system(kind: SystemKind, system: &dyn System) -> Result<(), FitError> {
    let (d, r) = (system.dim(), kind.rates().len());
    if d > MAX_DIM || r > MAX_RATES {
        return Err(input(format!(
            "{kind} has {d} states and {r} rates; the fit handles up to {MAX_DIM} and {MAX_RATES}"
        )));
    }
    let state: Vec<f64> = kind.initial_state().iter().map(|p| p.default).collect();
    let mut out = vec![0.0; d * r];
    if !system.rate_jacobian(&state, &mut out) {
        return Err(input(format!(
            "{kind} does not supply ∂f/∂(rates), which the sensitivity equations need"
        )));
    }
    Ok(())
}

fn check_settings(s: &FitSettings) -> Result<(), FitError> {
    if !(1..=MAX_STARTS).contains(&s.starts) {
        return Err(input(format!(
            "starts must be 1 to {MAX_STARTS}, got {}",
            s.starts
        )));
    }
    if !(1..=MAX_ITERATIONS).contains(&s.max_iterations) {
        return Err(input(format!(
            "iterations per start must be 1 to {MAX_ITERATIONS}, got {}",
            s.max_iterations
        )));
    }
    Ok(())
}

fn check_data(kind: SystemKind, system: &dyn System, data: &FitData) -> Result<(), FitError> {
    let (n, m, d) = (data.len(), data.variables.len(), system.dim());
    if n > MAX_POINTS {
        return Err(FitError::TooExpensive(format!(
            "{n} points are more than the fit's cap of {MAX_POINTS}: thin the series first"
        )));
    }
    if data.values.dim() != (n, m) {
        return Err(input(format!(
            "the data have {} rows × {} columns, expected {n} × {m} (one row per time, one column per observed variable)",
            data.values.nrows(),
            data.values.ncols()
        )));
    }
    if m == 0 || m > d || data.variables.iter().any(|&v| v >= d) {
        return Err(input(format!(
            "{kind} has {d} state variables ({}), but the data give {m} columns: the dimensions do not match",
            kind.state_names().join(", ")
        )));
    }
    let mut seen = data.variables.clone();
    seen.sort_unstable();
    seen.dedup();
    if seen.len() != m {
        return Err(input("a state variable is observed twice".into()));
    }
    if let Some(w) = data
        .times
        .windows(2)
        .find(|w| w[1].partial_cmp(&w[0]).is_none_or(|o| o.is_le()))
    {
        return Err(input(format!(
            "times must increase strictly ({} then {})",
            w[0], w[1]
        )));
    }
    if let Some(t) = data.times.iter().find(|t| !t.is_finite()) {
        return Err(input(format!("time {t} is not a finite number")));
    }
    if let Some(((i, j), v)) = data.values.indexed_iter().find(|(_, v)| !v.is_finite()) {
        return Err(input(format!(
            "the value {v} of {} at t = {} is not a finite number",
            kind.state_names()[data.variables[j]],
            data.times[i]
        )));
    }
    Ok(())
}

fn check_weights(weights: &[f64], n: usize) -> Result<(), FitError> {
    if weights.len() != n {
        return Err(input(format!("{} weights for {n} points", weights.len())));
    }
    if weights.iter().any(|w| !(w.is_finite() && *w >= 0.0)) || weights.iter().sum::<f64>() <= 0.0 {
        return Err(input(
            "weights must be finite, non-negative and not all zero".into(),
        ));
    }
    Ok(())
}

/// Weights rescaled to mean 1 (the N·a_t form: Σw is the number of points the intervals count),
/// via the largest when their sum overflows (1e308 each) or mean underflows: never 0, ∞ or NaN.
fn mean_one(weights: &[f64]) -> Vec<f64> {
    let mean = |w: &[f64]| w.iter().sum::<f64>() / w.len() as f64;
    let m = mean(weights);
    if m.is_normal() {
        return weights.iter().map(|w| w / m).collect();
    }
    let largest = weights.iter().fold(0.0_f64, |a, &w| a.max(w));
    let scaled: Vec<f64> = weights.iter().map(|w| w / largest).collect();
    let m = mean(&scaled);
    scaled.iter().map(|w| w / m).collect()
}

/// g(y) for the noise model: ln y under lognormal noise (which refuses y ≤ 0), y otherwise.
fn transform(s: &FitSettings, data: &FitData, system: &dyn System) -> Result<Vec<f64>, FitError> {
    if s.noise != NoiseModel::Lognormal {
        return Ok(data.values.iter().copied().collect());
    }
    if let Some(((i, j), v)) = data.values.indexed_iter().find(|(_, v)| **v <= 0.0) {
        return Err(input(format!(
            "lognormal noise needs positive observations, but {} at t = {} is {v}: use gaussian noise, or drop or replace the row",
            system.state_names()[data.variables[j]],
            data.times[i]
        )));
    }
    Ok(data.values.iter().map(|&v| libm::log(v)).collect())
}

/// Rates (always positive: log coordinates), then the initial state (log coordinates where the
/// system's states are positive), with the priors of `prior`.
fn coordinates(kind: SystemKind, prior: Prior) -> Vec<Coordinate> {
    let positive = kind.has_positive_states();
    let rates = kind.rates().iter().map(|p| (p, ParameterKind::Rate, true));
    let initial = kind
        .initial_state()
        .iter()
        .map(|p| (p, ParameterKind::InitialState, positive));
    rates
        .chain(initial)
        .map(|(spec, kind, log)| {
            let center = if log {
                // A positive default; a slider that starts at 0 (Goodwin's) has one.
                libm::log(spec.default.max(spec.max * 1e-3))
            } else {
                spec.default
            };
            let width = if log { 1.0 } else { spec.max - spec.min };
            Coordinate {
                name: spec.name.to_string(),
                label: spec.label.to_string(),
                kind,
                log,
                prior_center: center,
                prior_sd: match prior {
                    Prior::Weak => WEAK_PRIOR_SD * width,
                    Prior::Flat => f64::INFINITY,
                },
            }
        })
        .collect()
}
