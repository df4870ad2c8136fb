//! A reference, not a learned model: a_t ∝ 1/|∇V(x̃_t)|².
//!
//! To first order V(x̃) = V(x) + ∇V·ε, so the noise in V(x̃_t) has variance σ²|∇V|², and
//! weighting each observation by the inverse of that variance would be the minimum-variance way
//! to estimate the conserved V from the noisy points, if the first-order argument held. At the
//! lab's noise levels it does not: with Gaussian σ = 2 a large share of the Lotka–Volterra
//! observations have a coordinate ≤ 0, where V is undefined (they get weight 0), and ∇V varies
//! strongly over one noise width. So this is a first-order reference for "attention that knows
//! the geometry", not an optimum and not a ceiling for the metrics the lab reports. Its
//! reconstruction r_t = N·a_t·x̃_t and loss are reported like any model's, but there is nothing
//! to train.

use crate::models::attention_model::{AttentionModel, TrainingData};
use crate::models::kind::ModelKind;
use crate::systems::system::System;
use ndarray::Array2;

pub struct OracleInverseVariance {
    system: Box<dyn System>,
    weights: Vec<f64>,
}

impl OracleInverseVariance {
    /// # Panics
    /// If the system has no conserved V (see [`ModelKind::check`]).
    pub fn new(system: Box<dyn System>) -> Self {
        assert!(
            system.lyapunov().is_some(),
            "oracle-inverse-variance needs a conserved V"
        );
        OracleInverseVariance {
            system,
            weights: Vec::new(),
        }
    }

    /// Unnormalised 1/|∇V|² at every observation into `self.weights`; returns their sum.
    fn inverse_variances(&mut self, noisy: &Array2<f64>) -> f64 {
        let v = self.system.lyapunov().expect("checked in new");
        let d = noisy.ncols();
        let mut grad = [0.0; 3];
        self.weights.clear();
        for row in noisy.rows() {
            v.gradient(row.as_slice().expect("contiguous rows"), &mut grad[..d]);
            let g2: f64 = grad[..d].iter().map(|g| g * g).sum();
            // |∇V| is infinite on an axis (V's logarithms): zero weight. At the equilibrium ∇V = 0
            // and the weight is infinite; cap it so one such point does not make the sum infinite.
            self.weights.push(
                if g2.is_finite() {
                    1.0 / g2.max(1e-300)
                } else {
                    0.0
                }
                .min(1e300),
            );
        }
        self.weights.iter().sum()
    }
}

impl AttentionModel for OracleInverseVariance {
    fn kind(&self) -> ModelKind {
        ModelKind::OracleInverseVariance
    }
    fn parameters(&self) -> &[f64] {
        &[]
    }
    fn parameters_mut(&mut self) -> &mut [f64] {
        &mut []
    }
    fn attention(&mut self, noisy: &Array2<f64>, attention: &mut [f64]) {
        let sum = self.inverse_variances(noisy);
        let n = attention.len() as f64;
        for (a, w) in attention.iter_mut().zip(&self.weights) {
            *a = if sum > 0.0 && sum.is_finite() {
                w / sum
            } else {
                1.0 / n
            };
        }
    }
    fn reconstruct(&self, noisy: &Array2<f64>, attention: &[f64]) -> Array2<f64> {
        let n = noisy.nrows() as f64;
        let mut r = noisy.clone();
        for (mut row, a) in r.rows_mut().into_iter().zip(attention) {
            row *= n * a;
        }
        r
    }
    fn loss_and_gradient(&mut self, data: &TrainingData, _gradient: &mut [f64]) -> f64 {
        let n = data.noisy.nrows();
        let mut attention = std::mem::take(&mut self.weights);
        attention.resize(n, 0.0);
        self.attention(data.noisy, &mut attention);
        let r = self.reconstruct(data.noisy, &attention);
        self.weights = attention;
        r.iter()
            .zip(data.clean.iter())
            .map(|(r, x)| (r - x) * (r - x))
            .sum::<f64>()
            / n as f64
    }
}
