//! The attention-model abstraction: what every model computes. It imports no model.

use crate::models::kind::ModelKind;
use ndarray::Array2;

/// What a model trains on: noisy observations x̃ (N×d) and the clean states x (N×d).
pub struct TrainingData<'a> {
    pub noisy: &'a Array2<f64>,
    pub clean: &'a Array2<f64>,
}

/// An attention model: attention weights over time, a reconstruction, and an MSE loss against
/// the clean states with an analytic gradient.
pub trait AttentionModel {
    fn kind(&self) -> ModelKind;
    /// The flat parameter vector θ.
    fn parameters(&self) -> &[f64];
    fn parameters_mut(&mut self) -> &mut [f64];
    /// Attention weights a_t (non-negative, summing to 1) into `attention` (length N).
    fn attention(&mut self, noisy: &Array2<f64>, attention: &mut [f64]);
    /// The reconstruction r (N×d) from the observations and given attention.
    fn reconstruct(&self, noisy: &Array2<f64>, attention: &[f64]) -> Array2<f64>;
    /// The loss, mean over t of ‖r_t − x_t‖², with ∂loss/∂θ written into `gradient`.
    fn loss_and_gradient(&mut self, data: &TrainingData, gradient: &mut [f64]) -> f64;
    /// The loss and the attention together, for the once-per-frame refresh: the same numbers,
    /// bit for bit, as [`AttentionModel::loss_and_gradient`]'s loss and
    /// [`AttentionModel::attention`]. `gradient` is scratch space. Models override it to share
    /// one forward pass instead of running two (and a backward pass nobody reads).
    fn loss_and_attention(
        &mut self,
        data: &TrainingData,
        gradient: &mut [f64],
        attention: &mut [f64],
    ) -> f64 {
        let loss = self.loss_and_gradient(data, gradient);
        self.attention(data.noisy, attention);
        loss
    }
    /// Number of attention heads (1 for single-score models).
    fn heads(&self) -> usize {
        1
    }
    /// The attention one head gives each point, into `out` (length N, summing to 1). Models
    /// with one head give [`AttentionModel::attention`].
    fn head_attention(&mut self, noisy: &Array2<f64>, head: usize, out: &mut [f64]) {
        let _ = head;
        self.attention(noisy, out);
    }
    /// Whether [`AttentionModel::loss_gradient_hessian`] gives an analytic Hessian.
    fn has_analytic_hessian(&self) -> bool {
        false
    }
    /// The loss, its gradient and its Hessian (p×p, row-major, into `hessian`), for models with
    /// an analytic Hessian; `None` (and nothing written) for the others, whose Hessian the
    /// trainer takes by central differences of the gradient.
    fn loss_gradient_hessian(
        &mut self,
        data: &TrainingData,
        gradient: &mut [f64],
        hessian: &mut [f64],
    ) -> Option<f64> {
        let _ = (data, gradient, hessian);
        None
    }
    /// The loss alone.
    fn loss(&mut self, data: &TrainingData) -> f64 {
        let mut gradient = vec![0.0; self.parameters().len()];
        self.loss_and_gradient(data, &mut gradient)
    }
}
