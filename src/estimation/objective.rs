//! The objective: the negative log-likelihood with each noise scale profiled out, plus the
//! prior's penalty, with its gradient and Gauss–Newton Hessian from the sensitivities.
//!
//! With g = ln (lognormal noise) or the identity (Gaussian), residuals e_ij = g(y_ij) − g(x_j(t_i))
//! and weights w_i (1, or N·a_i under attention weighting), variable j has
//! RSS_j = Σ_i w_i e_ij² and W_j = Σ_i w_i, and
//!
//! −ln L = Σ_j [W_j ln σ_j + RSS_j/(2σ_j²) + (W_j/2) ln 2π] (+ Σ w_i ln y_ij under lognormal,
//! the Jacobian of y ↦ ln y, so that L is a density of y itself).
//!
//! Its minimum over σ_j is at σ̂_j² = RSS_j/W_j; the fit minimises the profile in the other
//! parameters u, whose gradient at σ̂ is that of −ln L with σ held there. The Gauss–Newton
//! matrix Σ_j σ̂_j⁻² Σ_i w_i a_i a_iᵀ, a_i = g'(x) ∂x/∂u, is the Fisher information of u; u and
//! ln σ are orthogonal in it (Var ln σ̂_j ≈ 1/(2W_j)), which is what lets σ be profiled out.

use crate::estimation::problem::FitProblem;
use crate::estimation::sensitivity::{solve, Solution};
use crate::observations::noise_model::NoiseModel;

/// A noise scale is never taken below this share of the data's own scale (a perfect fit to
/// noise-free data would otherwise chase ln σ → −∞).
const SIGMA_FLOOR: f64 = 1e-9;

/// The objective at one point, with its derivatives when asked for.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    /// −ln L(u, σ̂) − ln prior(u) up to a constant: what the fit minimises.
    pub objective: f64,
    /// ln L at (u, σ̂).
    pub log_likelihood: f64,
    /// ln prior(u) (0 under the flat prior).
    pub log_prior: f64,
    /// The profiled noise scales σ̂_j, one per observed variable.
    pub sigmas: Vec<f64>,
    /// The solution at the data times (with sensitivities when derivatives were asked for).
    pub solution: Solution,
    /// ∂objective/∂u (empty without derivatives).
    pub gradient: Vec<f64>,
    /// Gauss–Newton information of the likelihood alone, P×P row-major (empty without).
    pub information: Vec<f64>,
    /// The same with the weights squared, Σ_j σ̂_j⁻² Σ_i w_i² a_i a_iᵀ: the middle of the
    /// sandwich covariance of a weighted fit (equal to `information` when every weight is 1).
    pub information_squared_weights: Vec<f64>,
}

impl Evaluation {
    /// The Gauss–Newton Hessian of the objective: the information plus the prior's precision.
    pub fn hessian(&self, problem: &FitProblem) -> Vec<f64> {
        let p = problem.len();
        let mut h = self.information.clone();
        for (k, c) in problem.coordinates.iter().enumerate() {
            h[k * p + k] += 1.0 / (c.prior_sd * c.prior_sd);
        }
        h
    }
}

impl FitProblem {
    /// The objective at `u` (fit coordinates); with `derivatives`, also its gradient and
    /// Gauss–Newton information. An error says why the model cannot be evaluated there (the
    /// orbit blew up, left the positive quadrant, …).
    pub fn evaluate(&self, u: &[f64], derivatives: bool) -> Result<Evaluation, String> {
        let values = self.values(u);
        let system = self.settings.system.build(&values)?;
        let solution = solve(
            &*system,
            self.rates,
            &values[self.rates..],
            &self.data.times,
            derivatives,
            self.step_cap.get(),
        )
        .map_err(|e| e.to_string())?;
        let fitted = self.fitted_transform(&solution)?;
        let (sigmas, nll) = self.profile(&fitted);
        let (log_prior, penalty) = self.prior(u);
        let mut evaluation = Evaluation {
            objective: nll + penalty,
            log_likelihood: -nll,
            log_prior,
            sigmas,
            solution,
            gradient: Vec::new(),
            information: Vec::new(),
            information_squared_weights: Vec::new(),
        };
        if derivatives {
            self.derivatives(u, &values, &fitted, &mut evaluation);
        }
        if !evaluation.objective.is_finite() {
            return Err(format!("the objective is {}", evaluation.objective));
        }
        Ok(evaluation)
    }

    /// The objective alone, +∞ where the model cannot be evaluated (what a trust region
    /// needs to reject a step).
    pub fn objective(&self, u: &[f64]) -> f64 {
        self.evaluate(u, false)
            .map_or(f64::INFINITY, |e| e.objective)
    }

    /// ln prior(u) (a proper density; 0 for the flat prior) and the penalty −ln prior without
    /// its constant.
    pub fn prior(&self, u: &[f64]) -> (f64, f64) {
        let mut log_prior = 0.0;
        let mut penalty = 0.0;
        for (c, &u) in self.coordinates.iter().zip(u) {
            if c.prior_sd.is_finite() {
                let z = (u - c.prior_center) / c.prior_sd;
                penalty += 0.5 * z * z;
                log_prior -= 0.5 * z * z
                    + libm::log(c.prior_sd)
                    + 0.5 * libm::log(2.0 * std::f64::consts::PI);
            }
        }
        (log_prior, penalty)
    }

    /// g(x) at the observed variables, n × m; an error where g is undefined (x ≤ 0 under
    /// lognormal noise).
    fn fitted_transform(&self, solution: &Solution) -> Result<Vec<f64>, String> {
        let vars = &self.data.variables;
        let mut out = Vec::with_capacity(self.data.len() * vars.len());
        for t in 0..self.data.len() {
            for &v in vars {
                let x = solution.state(t, v);
                out.push(match self.settings.noise {
                    NoiseModel::Lognormal if x > 0.0 => libm::log(x),
                    NoiseModel::Lognormal => {
                        return Err(format!(
                            "the model's {} reached {x} at t = {}",
                            self.settings.system.state_names()[v],
                            self.data.times[t]
                        ))
                    }
                    NoiseModel::Gaussian => x,
                });
            }
        }
        Ok(out)
    }

    /// The profiled σ̂_j and −ln L(u, σ̂).
    fn profile(&self, fitted: &[f64]) -> (Vec<f64>, f64) {
        let m = self.data.variables.len();
        let mut rss = vec![0.0; m];
        let mut total = vec![0.0; m];
        let mut scale = vec![0.0; m];
        let mut jacobian = 0.0;
        for (t, &w) in self.weights.iter().enumerate() {
            for j in 0..m {
                let gy = self.transformed[t * m + j];
                let e = gy - fitted[t * m + j];
                rss[j] += w * e * e;
                total[j] += w;
                scale[j] += w * gy.abs();
                if self.settings.noise == NoiseModel::Lognormal {
                    jacobian += w * gy;
                }
            }
        }
        let half_ln_2pi = 0.5 * libm::log(2.0 * std::f64::consts::PI);
        let mut nll = jacobian;
        let sigmas = (0..m)
            .map(|j| {
                let floor = SIGMA_FLOOR * (scale[j] / total[j]).max(1.0);
                let sigma = (rss[j] / total[j]).sqrt().max(floor);
                nll += total[j] * (libm::log(sigma) + half_ln_2pi) + rss[j] / (2.0 * sigma * sigma);
                sigma
            })
            .collect();
        (sigmas, nll)
    }

    /// Fills the gradient and the Gauss–Newton information from the sensitivities.
    fn derivatives(&self, u: &[f64], values: &[f64], fitted: &[f64], e: &mut Evaluation) {
        let p = self.len();
        let m = self.data.variables.len();
        let mut gradient = vec![0.0; p];
        let mut information = vec![0.0; p * p];
        let mut squared = vec![0.0; p * p];
        let mut a = vec![0.0; p];
        for (t, &w) in self.weights.iter().enumerate() {
            for (j, &v) in self.data.variables.iter().enumerate() {
                let x = e.solution.state(t, v);
                let slope = match self.settings.noise {
                    NoiseModel::Lognormal => 1.0 / x,
                    NoiseModel::Gaussian => 1.0,
                };
                let s = e.solution.sensitivity(t, v);
                for k in 0..p {
                    let chain = if self.coordinates[k].log {
                        values[k]
                    } else {
                        1.0
                    };
                    a[k] = slope * s[k] * chain;
                }
                let precision = w / (e.sigmas[j] * e.sigmas[j]);
                let residual = self.transformed[t * m + j] - fitted[t * m + j];
                for k in 0..p {
                    gradient[k] -= precision * residual * a[k];
                    for l in 0..p {
                        information[k * p + l] += precision * a[k] * a[l];
                        squared[k * p + l] += w * precision * a[k] * a[l];
                    }
                }
            }
        }
        for (k, c) in self.coordinates.iter().enumerate() {
            if c.prior_sd.is_finite() {
                gradient[k] += (u[k] - c.prior_center) / (c.prior_sd * c.prior_sd);
            }
        }
        e.gradient = gradient;
        e.information = information;
        e.information_squared_weights = squared;
    }
}
