//! When is a model trained? The convergence certificate: at the current parameters θ, with the
//! gradient g and a Hessian H from central differences of the analytic gradient, the quadratic
//! model predicts that the loss can fall by at most δ = ½ gᵀH⁺g more (the Newton decrement).
//! Training has converged when δ ≤ tol·L and H has no clearly negative curvature.
//!
//! The tolerance is tol = max(1e-11, 64·N·ε): 100 times below the 1e-9 agreement with an
//! independent optimum that the tests demand, and above the rounding floor of a loss that is a
//! mean of N terms (about N·ε relative), so a large N cannot make the test unreachable.
//!
//! Directions of (near-)zero curvature are where the loss does not change at all (the bias of
//! the paper's score: a softmax ignores a constant shift; the W_O W_V and W_Kᵀ W_Q symmetries of
//! self-attention). Their curvature is floored at 1e-8·λ_max, so a gradient along them still
//! counts against convergence. Curvature below −1e-6·λ_max is a saddle, not a minimum.
//!
//! The Hessian is the model's analytic one when it has one
//! ([`AttentionModel::loss_gradient_hessian`]); otherwise it takes 2p gradient evaluations for p
//! parameters, and [`HessianProbe`] computes it one column per call, so that the page can spread
//! it over frames.

use crate::models::attention_model::{AttentionModel, TrainingData};
use crate::training::symmetric_eigen::SymmetricEigen;
use serde::Serialize;

/// Relative curvature below which a direction counts as flat.
const FLAT: f64 = 1e-8;
/// Relative curvature below which a direction counts as descending (a saddle).
const DESCENDING: f64 = -1e-6;

/// The relative tolerance on the predicted remaining decrease for N samples.
pub fn tolerance(n: usize) -> f64 {
    1e-11_f64.max(64.0 * n as f64 * f64::EPSILON)
}

/// The outcome of one convergence test.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Certificate {
    pub loss: f64,
    /// ‖g‖₂.
    pub gradient_norm: f64,
    /// δ/L: the predicted remaining decrease relative to the loss.
    pub relative_decrement: f64,
    /// The tolerance δ/L was held to.
    pub tolerance: f64,
    /// Whether H has a clearly negative eigenvalue (a saddle, not a minimum).
    pub saddle: bool,
    /// The Newton step −H⁺g, flat directions damped (the step that would remove δ).
    #[serde(skip)]
    pub newton_step: Vec<f64>,
}

impl Certificate {
    pub fn passed(&self) -> bool {
        !self.saddle && self.relative_decrement <= self.tolerance
    }

    /// The test for a gradient `g` and a symmetric Hessian `h` (p×p row-major) at loss `loss`.
    pub fn from_hessian(loss: f64, g: &[f64], h: &[f64], n: usize) -> Certificate {
        let p = g.len();
        let eigen = SymmetricEigen::new(h);
        let largest = eigen.values.iter().fold(0.0_f64, |m, v| m.max(v.abs()));
        let floor = FLAT * largest;
        let saddle = eigen.values.iter().any(|&l| l < DESCENDING * largest);
        let mut decrement = 0.0;
        let mut newton_step = vec![0.0; p];
        for (k, &lambda) in eigen.values.iter().enumerate() {
            let v = |i: usize| eigen.vectors[i * p + k];
            let along: f64 = (0..p).map(|i| v(i) * g[i]).sum();
            let curvature = lambda.max(floor);
            if curvature <= 0.0 {
                continue;
            }
            decrement += 0.5 * along * along / curvature;
            for (i, s) in newton_step.iter_mut().enumerate() {
                *s -= v(i) * along / curvature;
            }
        }
        Certificate {
            loss,
            gradient_norm: g.iter().map(|x| x * x).sum::<f64>().sqrt(),
            relative_decrement: if loss > 0.0 {
                decrement / loss
            } else {
                decrement
            },
            tolerance: tolerance(n),
            saddle,
            newton_step,
        }
    }
}

/// A Hessian by central differences of the gradient, built one column per [`HessianProbe::advance`].
pub struct HessianProbe {
    theta: Vec<f64>,
    loss: f64,
    gradient: Vec<f64>,
    hessian: Vec<f64>,
    column: usize,
    plus: Vec<f64>,
    minus: Vec<f64>,
}

impl HessianProbe {
    /// Starts at the model's current parameters, whose loss and gradient are given.
    pub fn new(theta: &[f64], loss: f64, gradient: &[f64]) -> HessianProbe {
        let p = theta.len();
        HessianProbe {
            theta: theta.to_vec(),
            loss,
            gradient: gradient.to_vec(),
            hessian: vec![0.0; p * p],
            column: 0,
            plus: vec![0.0; p],
            minus: vec![0.0; p],
        }
    }

    /// Computes the next column (two gradient evaluations; the model's parameters are restored).
    /// Returns the certificate once every column is done.
    pub fn advance(
        &mut self,
        model: &mut dyn AttentionModel,
        data: &TrainingData,
    ) -> Option<Certificate> {
        let p = self.theta.len();
        if self.column == 0 {
            model.parameters_mut().copy_from_slice(&self.theta);
            if let Some(loss) = model.loss_gradient_hessian(data, &mut self.plus, &mut self.hessian)
            {
                // The model's own Hessian, all columns at once (and the same loss and gradient).
                self.loss = loss;
                self.gradient.copy_from_slice(&self.plus);
                self.column = p;
            }
        }
        if self.column < p {
            let j = self.column;
            let h = 1e-5 * self.theta[j].abs().max(1.0);
            model.parameters_mut().copy_from_slice(&self.theta);
            model.parameters_mut()[j] = self.theta[j] + h;
            model.loss_and_gradient(data, &mut self.plus);
            model.parameters_mut()[j] = self.theta[j] - h;
            model.loss_and_gradient(data, &mut self.minus);
            model.parameters_mut().copy_from_slice(&self.theta);
            for i in 0..p {
                self.hessian[i * p + j] = (self.plus[i] - self.minus[i]) / (2.0 * h);
            }
            self.column += 1;
        }
        (self.column == p).then(|| {
            Certificate::from_hessian(self.loss, &self.gradient, &self.hessian, data.noisy.nrows())
        })
    }

    /// Columns computed so far, and in all.
    pub fn progress(&self) -> (usize, usize) {
        (self.column, self.theta.len())
    }
}
