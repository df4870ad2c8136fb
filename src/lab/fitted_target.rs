//! Real data have no clean states to train against. Once the system is fitted to them
//! ([`crate::estimation`]), the fitted orbit is the target: the attention model trains to
//! reconstruct it from the observations, and ∂V/∂n and the other measures are taken along it.
//! This is also what attention-weighted fitting needs: the attention a model learns against the
//! current fit, as residual weights for the next ([`attention_against_fit`]).

use crate::estimation::result::FitResult;
use crate::lab::config::Config;
use crate::lab::session::{Session, SessionError};
use crate::models::kind::ModelKind;
use crate::observations::csv_import::ImportedSeries;
use crate::training::budget::Budget;
use ndarray::Array2;

/// `series` with the fit's orbit at its times as the clean states.
pub fn fitted_series(series: &ImportedSeries, fit: &FitResult) -> Result<ImportedSeries, String> {
    let n = series.times.len();
    if fit.fitted.len() != n || fit.times != series.times {
        return Err(format!(
            "the fit covers {} points and the series {n}: fit this series first",
            fit.fitted.len()
        ));
    }
    let d = fit.fitted.first().map_or(0, Vec::len);
    let clean = Array2::from_shape_fn((n, d), |(i, j)| fit.fitted[i][j]);
    Ok(ImportedSeries {
        times: series.times.clone(),
        observations: series.observations.clone(),
        clean: Some(clean),
        description: series.description.clone(),
        target: Some(format!(
            "the {} orbit fitted to these data ({} fit, {} of {} starts agreeing)",
            fit.system.title(),
            fit.noise,
            fit.starts_agreeing,
            fit.starts.len()
        )),
    })
}

/// The config of a session on `fit`'s system with the fitted rates and initial state, the rest
/// taken from `base` (model, learning rate, measure…).
pub fn fitted_config(base: &Config, fit: &FitResult) -> Result<Config, SessionError> {
    let mut config = if base.system == fit.system {
        base.clone()
    } else {
        base.switch_system(fit.system)
    };
    config.system_values = fit.parameter_values();
    config.validate()?;
    Ok(config)
}

/// A session on `series` whose target is `fit`'s orbit.
pub fn session_on_fit(
    base: &Config,
    series: &ImportedSeries,
    fit: &FitResult,
) -> Result<Session, SessionError> {
    let fitted = fitted_series(series, fit).map_err(SessionError::Integration)?;
    let mut session = Session::new(fitted_config(base, fit)?)?;
    session.import(fitted)?;
    Ok(session)
}

/// The attention `model` learns on `series` against `fit`'s orbit, trained under `budget`.
pub fn attention_against_fit(
    series: &ImportedSeries,
    fit: &FitResult,
    model: ModelKind,
    budget: Budget,
) -> Result<Vec<f64>, String> {
    let mut base = Config::for_system(fit.system);
    base.model = model;
    let mut session = session_on_fit(&base, series, fit).map_err(|e| e.to_string())?;
    session.train(budget);
    Ok(session.attention().to_vec())
}
