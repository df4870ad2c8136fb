//! Uncertainty at the optimum from the Gauss–Newton/Laplace approximation: the covariance of
//! the fit coordinates is the inverse of the objective's Gauss–Newton Hessian (the Fisher
//! information plus the prior's precision).
//!
//! With the usual small-sample corrections of nonlinear regression (Bates & Watts 1988, §2.3),
//! because the profiled σ̂_j² = RSS_j/W_j are biased low by the P fitted coordinates: each
//! variable is charged its share of them, ν_j = W_j(1 − P/W) residual degrees of freedom
//! (W = Σ_j W_j), the noise scales reported are s_j = σ̂_j·√(W/(W − P)), the information is
//! taken at s, and the quantile is Student's t with min_j ν_j degrees of freedom instead of z.
//! Without them, 21-point Lotka–Volterra intervals covered the truth 89% of the time, not 95%
//! (`tests/it/estimation.rs`); Var ln s_j = 1/(2ν_j).
//!
//! - 95% intervals are u ± t·se in fit coordinates, mapped back: on the log scale for positive
//!   parameters, so they stay positive, on the value itself otherwise.
//! - A weighted fit (attention weights N·a_t) gets the sandwich covariance (see `sandwich`):
//!   weights that are not inverse variances make H⁻¹ alone wrong.
//! - A direction the Hessian cannot invert (a zero eigenvalue) gives every coordinate that moves
//!   along it an infinite standard error and an unbounded interval, not a made-up finite one.
//! - Near-non-identifiable directions are read from the likelihood's information alone (the
//!   prior could hide them): an eigenvector whose standard deviation 1/√λ exceeds
//!   [`WEAK_DIRECTION_SD`] is named as a combination of the fit coordinates.

use crate::analysis::distributions::{normal_quantile, t_975};
use crate::estimation::objective::Evaluation;
use crate::estimation::problem::{FitProblem, ParameterKind, Prior};
use crate::training::symmetric_eigen::SymmetricEigen;
use serde::Serialize;

/// A combination of fit coordinates the data pin down no better than this standard deviation
/// (ln units for positive parameters: a factor of e) is named as near-non-identifiable.
pub const WEAK_DIRECTION_SD: f64 = 1.0;
/// Eigenvalues below this share of the largest count as zero.
const SINGULAR: f64 = 1e-12;

/// One parameter's estimate with its 95% interval.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Estimate {
    pub name: String,
    pub label: String,
    pub kind: ParameterKind,
    pub value: f64,
    /// Whether the standard error and the interval are on the log scale.
    pub log_scale: bool,
    /// Standard error in fit coordinates (of ln value when `log_scale`); ∞ when unidentified.
    pub std_error: f64,
    pub lower: f64,
    pub upper: f64,
}

impl Estimate {
    pub fn contains(&self, truth: f64) -> bool {
        self.lower <= truth && truth <= self.upper
    }
}

/// A direction in fit coordinates the data barely constrain.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WeakDirection {
    /// (coordinate symbol, component) for the components that matter, largest first.
    pub combination: Vec<(String, f64)>,
    /// Standard deviation along it from the likelihood alone (∞: not identifiable at all).
    pub std_dev: f64,
    pub description: String,
}

/// Estimates of the fit coordinates and noise scales, their correlations and weak directions.
#[derive(Debug, Clone, PartialEq)]
pub struct Uncertainty {
    pub estimates: Vec<Estimate>,
    /// Correlation matrix over `estimates` (NaN where a standard error is infinite).
    pub correlation: Vec<Vec<f64>>,
    pub weak_directions: Vec<WeakDirection>,
}

/// The covariance of a symmetric positive semi-definite matrix's inverse, entry by entry, with
/// ∞ on the diagonal (and NaN off it) for coordinates on a direction it cannot invert.
fn inverse(h: &[f64], p: usize) -> Vec<f64> {
    let eigen = SymmetricEigen::new(h);
    let largest = eigen.values.iter().fold(0.0_f64, |a, v| a.max(v.abs()));
    let mut cov = vec![0.0; p * p];
    let mut unbounded = vec![false; p];
    for (l, &lambda) in eigen.values.iter().enumerate() {
        let column = |k: usize| eigen.vectors[k * p + l];
        if lambda <= SINGULAR * largest || lambda <= 0.0 {
            for (k, flag) in unbounded.iter_mut().enumerate() {
                *flag |= column(k).abs() > 1e-6;
            }
            continue;
        }
        for k in 0..p {
            for j in 0..p {
                cov[k * p + j] += column(k) * column(j) / lambda;
            }
        }
    }
    for k in 0..p {
        for j in 0..p {
            if unbounded[k] || unbounded[j] {
                cov[k * p + j] = if k == j { f64::INFINITY } else { f64::NAN };
            }
        }
    }
    cov
}

/// The small-sample correction (see the module doc): (W/(W − P), ν_j per observed variable).
fn degrees_of_freedom(problem: &FitProblem) -> (f64, Vec<f64>) {
    let per_variable: f64 = problem.weights.iter().sum();
    let m = problem.data.variables.len() as f64;
    let total = per_variable * m;
    let p = problem.len() as f64;
    (
        total / (total - p),
        vec![per_variable * (1.0 - p / total); problem.data.variables.len()],
    )
}

/// A weighted fit's covariance H⁻¹ + H⁻¹(G₂ − G)H⁻¹, with G and G₂ the information with the
/// weights and with their squares (both at s): the sandwich H⁻¹(G₂ + prior)H⁻¹ of a fit whose
/// weights are not inverse variances, which reduces to H⁻¹ when every weight is 1. Unbounded
/// entries stay unbounded.
fn sandwich(h_inv: &[f64], g: &[f64], g2: &[f64], inflation: f64, p: usize) -> Vec<f64> {
    if h_inv.iter().any(|v| !v.is_finite()) {
        return h_inv.to_vec();
    }
    let product = |a: &[f64], b: &[f64]| -> Vec<f64> {
        (0..p * p)
            .map(|k| (0..p).map(|m| a[(k / p) * p + m] * b[m * p + k % p]).sum())
            .collect()
    };
    let middle: Vec<f64> = g2.iter().zip(g).map(|(a, b)| (a - b) / inflation).collect();
    let correction = product(&product(h_inv, &middle), h_inv);
    h_inv.iter().zip(&correction).map(|(a, b)| a + b).collect()
}

/// Estimates, intervals, correlations and weak directions at the optimum `u`.
pub fn laplace(problem: &FitProblem, u: &[f64], at: &Evaluation) -> Uncertainty {
    let p = problem.len();
    let (inflation, dof) = degrees_of_freedom(problem);
    let t = t_975(
        dof.iter()
            .fold(f64::INFINITY, |a, &v| a.min(v))
            .floor()
            .max(1.0) as usize,
    );
    let z = normal_quantile(0.975);
    let mut h = at
        .information
        .iter()
        .map(|v| v / inflation)
        .collect::<Vec<f64>>();
    for (k, c) in problem.coordinates.iter().enumerate() {
        h[k * p + k] += 1.0 / (c.prior_sd * c.prior_sd);
    }
    let mut cov = inverse(&h, p);
    if problem.weights.iter().any(|&w| w != 1.0) {
        cov = sandwich(
            &cov,
            &at.information,
            &at.information_squared_weights,
            inflation,
            p,
        );
    }
    let mut estimates: Vec<Estimate> = problem
        .coordinates
        .iter()
        .enumerate()
        .map(|(k, c)| {
            let se = cov[k * p + k].sqrt();
            Estimate {
                name: c.name.clone(),
                label: c.label.clone(),
                kind: c.kind,
                value: c.value(u[k]),
                log_scale: c.log,
                std_error: se,
                lower: c.value(u[k] - t * se),
                upper: c.value(u[k] + t * se),
            }
        })
        .collect();
    let state_names = problem.settings.system.state_names();
    for (j, &v) in problem.data.variables.iter().enumerate() {
        let se = (0.5 / dof[j]).sqrt();
        let sigma = at.sigmas[j] * inflation.sqrt();
        estimates.push(Estimate {
            name: format!("sigma_{}", short_name(state_names[v])),
            label: format!("σ noise scale of {}", state_names[v]),
            kind: ParameterKind::NoiseScale,
            value: sigma,
            log_scale: true,
            std_error: se,
            lower: sigma * libm::exp(-z * se),
            upper: sigma * libm::exp(z * se),
        });
    }
    let n = estimates.len();
    let correlation = (0..n)
        .map(|k| {
            (0..n)
                .map(|j| match (k < p, j < p) {
                    _ if k == j => 1.0,
                    (true, true) => {
                        cov[k * p + j] / (cov[k * p + k].sqrt() * cov[j * p + j].sqrt())
                    }
                    _ => 0.0,
                })
                .map(|r| if r.is_finite() { r } else { f64::NAN })
                .collect()
        })
        .collect();
    Uncertainty {
        estimates,
        correlation,
        weak_directions: weak_directions(problem, &at.information),
    }
}

/// The last word of a state name, lower-cased: "prey x" → "x", "angle θ" → "θ".
pub fn short_name(state_name: &str) -> String {
    state_name
        .split_whitespace()
        .last()
        .unwrap_or(state_name)
        .to_lowercase()
}

/// Eigen-directions of the likelihood's information with a standard deviation over
/// [`WEAK_DIRECTION_SD`], largest first.
fn weak_directions(problem: &FitProblem, information: &[f64]) -> Vec<WeakDirection> {
    let p = problem.len();
    let eigen = SymmetricEigen::new(information);
    let largest = eigen.values.iter().fold(0.0_f64, |a, v| a.max(v.abs()));
    let mut out = Vec::new();
    for (l, &lambda) in eigen.values.iter().enumerate() {
        let sd = if lambda <= SINGULAR * largest || lambda <= 0.0 {
            f64::INFINITY
        } else {
            1.0 / lambda.sqrt()
        };
        if sd <= WEAK_DIRECTION_SD {
            continue;
        }
        let column: Vec<f64> = (0..p).map(|k| eigen.vectors[k * p + l]).collect();
        let big = column.iter().fold(0.0_f64, |a, v| a.max(v.abs()));
        let sign = if column
            .iter()
            .fold(0.0, |a: f64, v| if v.abs() > a.abs() { *v } else { a })
            < 0.0
        {
            -1.0
        } else {
            1.0
        };
        let mut combination: Vec<(String, f64)> = column
            .iter()
            .enumerate()
            .filter(|(_, v)| v.abs() >= 0.1 * big)
            .map(|(k, v)| (problem.coordinates[k].symbol(), sign * v))
            .collect();
        combination.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()));
        let formula = combination
            .iter()
            .enumerate()
            .map(|(i, (s, v))| match (i, *v < 0.0) {
                (0, _) => format!("{v:.2}·{s}"),
                (_, true) => format!(" − {:.2}·{s}", -v),
                (_, false) => format!(" + {v:.2}·{s}"),
            })
            .collect::<String>();
        let held = match problem.settings.prior {
            Prior::Weak => "only the weak prior holds it",
            Prior::Flat => "with no prior its interval is unbounded",
        };
        let description = if sd.is_finite() {
            format!("{formula}: the data fix it only to ±{sd:.3} (one standard deviation in fit units): nearly non-identifiable")
        } else {
            format!("{formula}: the likelihood is flat along it, so the data cannot identify it; {held}")
        };
        out.push(WeakDirection {
            combination,
            std_dev: sd,
            description,
        });
    }
    out.reverse();
    out
}
