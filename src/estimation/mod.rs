//! Parameter estimation: fit any system of the catalogue to observations at arbitrary times.
//!
//! - [`problem`]: the data, the settings (noise model, prior, starts, weights), the fit
//!   coordinates (logarithms of positive parameters) and every check made before work starts;
//! - [`sensitivity`]: the orbit with its forward sensitivities ∂x/∂(rates, initial state);
//! - [`objective`]: the profiled negative log-likelihood (lognormal or Gaussian noise, one scale
//!   per observed variable) plus the prior, its gradient and Gauss–Newton Hessian;
//! - [`starts`]: seeded screening of starting points;
//! - [`fitter`]: the resumable multistart trust-region fit (a few steps per frame in the page);
//! - [`laplace`]: standard errors, 95% intervals, correlations and weak directions;
//! - [`result`]: what a fit reports, and [`result::fit`] to run one whole;
//! - [`weighted`]: attention-weighted refitting to a fixed point.

pub mod fitter;
pub mod laplace;
pub mod objective;
pub mod problem;
pub mod result;
pub mod sensitivity;
pub mod starts;
pub mod weighted;
