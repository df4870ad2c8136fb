//! Attention-weighted fitting, the paper's open question 2: refit with each residual weighted
//! by N·a_t, where a is the attention an attention model puts on the points when trained
//! against the current fitted trajectory, and repeat until the fit stops moving.
//!
//! The attention comes from the caller (a closure from a fitted result to attention over the
//! data times), so that this layer needs no model or training: the session, the sweep or a test
//! decides how attention is learned. Round 0 is the ordinary (unweighted) multistart fit; each
//! later round starts one trust region from the previous round's estimates. The fixed point is
//! reached when no fit coordinate moves by more than the tolerance (ln units for positive
//! parameters); otherwise the rounds stop at the cap and say so.
//!
//! The intervals of a weighted round use the sandwich covariance (see `laplace`), since
//! attention weights are not inverse noise variances.

use crate::estimation::problem::{FitData, FitError, FitSettings};
use crate::estimation::result::{fit, FitResult};
use serde::Serialize;

/// Rounds of reweighting at most, unless the caller asks for fewer.
pub const MAX_ROUNDS: usize = 20;

/// One round of attention-weighted refitting.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WeightedRound {
    pub round: usize,
    /// Rates then initial state after this round.
    pub parameters: Vec<f64>,
    /// The largest change of a fit coordinate from the previous round.
    pub change: f64,
    pub log_likelihood: f64,
}

/// The unweighted fit, the last weighted one and the rounds between.
#[derive(Debug, Clone, PartialEq)]
pub struct WeightedFit {
    pub unweighted: FitResult,
    pub weighted: FitResult,
    /// The residual weights N·a_t of the last round.
    pub weights: Vec<f64>,
    pub rounds: Vec<WeightedRound>,
    /// Whether the last change fell below the tolerance (rather than the rounds running out).
    pub fixed_point: bool,
}

/// Residual weights N·a_t from attention a over the N points (normalised to sum 1 first).
pub fn attention_weights(attention: &[f64]) -> Result<Vec<f64>, FitError> {
    let total: f64 = attention.iter().sum();
    if attention.iter().any(|a| !(a.is_finite() && *a >= 0.0)) || total <= 0.0 {
        return Err(FitError::Input(
            "attention must be finite, non-negative and not all zero".into(),
        ));
    }
    let n = attention.len() as f64;
    Ok(attention.iter().map(|a| n * a / total).collect())
}

/// The largest difference of fit coordinates between two parameter vectors of `settings`'s
/// system (logs for positive parameters): what the rounds compare with their tolerance.
pub fn change(settings: &FitSettings, a: &[f64], b: &[f64]) -> f64 {
    let positive = settings.system.has_positive_states();
    let rates = settings.system.rates().len();
    a.iter()
        .zip(b)
        .enumerate()
        .map(|(k, (x, y))| match k < rates || positive {
            true => (libm::log(*x) - libm::log(*y)).abs(),
            false => (x - y).abs(),
        })
        .fold(0.0, f64::max)
}

/// Fits `data` unweighted, then refits with the residuals weighted by N·a_t from
/// `attention(current fit)` until the fit coordinates move by less than `tolerance` or after
/// `max_rounds` (at most [`MAX_ROUNDS`]) weighted rounds. An error when a fit cannot run or does
/// not converge, or when `attention` fails or gives the wrong number of weights.
pub fn fit_attention_weighted(
    settings: FitSettings,
    data: FitData,
    mut attention: impl FnMut(&FitResult) -> Result<Vec<f64>, String>,
    max_rounds: usize,
    tolerance: f64,
) -> Result<WeightedFit, FitError> {
    let unweighted = fit(settings.clone(), data.clone())?;
    let mut current = unweighted.clone();
    let mut rounds = Vec::new();
    let mut weights = vec![1.0; data.len()];
    let mut fixed_point = false;
    for round in 1..=max_rounds.min(MAX_ROUNDS) {
        let a = attention(&current).map_err(FitError::Input)?;
        if a.len() != data.len() {
            return Err(FitError::Input(format!(
                "attention over {} points for {} data points",
                a.len(),
                data.len()
            )));
        }
        weights = attention_weights(&a)?;
        let refit = FitSettings {
            weights: Some(weights.clone()),
            start_from: Some(current.parameter_values()),
            starts: 1,
            ..settings.clone()
        };
        let next = fit(refit, data.clone())?;
        let moved = change(
            &settings,
            &next.parameter_values(),
            &current.parameter_values(),
        );
        rounds.push(WeightedRound {
            round,
            parameters: next.parameter_values(),
            change: moved,
            log_likelihood: next.log_likelihood,
        });
        current = next;
        if moved < tolerance {
            fixed_point = true;
            break;
        }
    }
    Ok(WeightedFit {
        unweighted,
        weighted: current,
        weights,
        rounds,
        fixed_point,
    })
}
