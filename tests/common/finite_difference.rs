//! The finite-difference gradient check, shared by `tests/it/gradient_check.rs` (the score
//! models, θ = (w_1, w_2, b)) and `tests/it/self_attention.rs` (hundreds of parameters in six
//! blocks), with the wrapper that proves it rejects a gradient off by 0.1% and the
//! Lotka–Volterra series both run it on. Native only: no wasm test uses it.

use lyapunov_lens::dynamics::rk4::{integrate, uniform_times};
use lyapunov_lens::models::{AttentionModel, ModelKind, TrainingData};
use lyapunov_lens::observations::gaussian_noise::add_gaussian_noise;
use lyapunov_lens::systems::lotka_volterra::LotkaVolterra;
use ndarray::Array2;
use std::ops::Range;

/// Lotka–Volterra from (10, 5) over t ∈ [0, 15], N samples, with seed-5 noise of σ:
/// (noisy, clean).
pub fn lv_data(n: usize, sigma: f64) -> (Array2<f64>, Array2<f64>) {
    let clean = integrate(
        &LotkaVolterra::default(),
        &[10.0, 5.0],
        &uniform_times(15.0, n),
    )
    .unwrap()
    .states;
    let noisy = add_gaussian_noise(&clean, sigma, 5);
    (noisy, clean)
}

/// Largest |analytic − numeric| over the parameters, each relative to the scale of its block:
/// the block's largest analytic component, but at least 10% of the whole gradient's largest and
/// at least 1e-3. The numeric gradient is the 4-point central stencil (error O(h⁴)).
///
/// With one block covering all of θ (`0..len`) the scale is the gradient's largest component
/// or 1e-3, whichever is larger: a single global scale, so within 1e-9 absolute where the true
/// gradient vanishes (a perfect fit at σ = 0, where the stencil's rounding noise is ~1e-11).
///
/// Several blocks (self-attention's W_Q, W_K, W_V, W_O, b and c) refine that: away from the fit
/// the gradient in c can be ~100× that in b, and a 0.1% error in b would pass unseen against the
/// global scale. The 10% floor keeps the stencil's rounding noise (~ε·L/h, with L in the
/// hundreds when W ≥ N) from failing a block whose gradient all but vanishes, such as c under
/// near-uniform attention over the whole series.
pub fn gradient_error(
    model: &mut dyn AttentionModel,
    blocks: &[Range<usize>],
    data: &TrainingData,
) -> f64 {
    let theta0 = model.parameters().to_vec();
    let mut analytic = vec![0.0; theta0.len()];
    model.loss_and_gradient(data, &mut analytic);

    assert_eq!(blocks.iter().map(|b| b.len()).sum::<usize>(), theta0.len());
    let largest = |g: &[f64]| g.iter().fold(0.0_f64, |m, g| m.max(g.abs()));
    let floor = (0.1 * largest(&analytic)).max(1e-3);
    let mut worst = 0.0_f64;
    for block in blocks {
        let scale = largest(&analytic[block.clone()]).max(floor);
        for i in block.clone() {
            let h = 1e-4 * theta0[i].abs().max(1e-2);
            let mut at = |offset: f64| {
                let p = model.parameters_mut();
                p.copy_from_slice(&theta0);
                p[i] += offset;
                model.loss(data)
            };
            let numeric = (-at(2.0 * h) + 8.0 * at(h) - 8.0 * at(-h) + at(-2.0 * h)) / (12.0 * h);
            worst = worst.max((numeric - analytic[i]).abs() / scale);
        }
    }
    model.parameters_mut().copy_from_slice(&theta0);
    worst
}

/// A model whose gradient is off by 0.1% in component `index`.
pub struct WrongGradient {
    pub model: Box<dyn AttentionModel>,
    pub index: usize,
}

impl AttentionModel for WrongGradient {
    fn kind(&self) -> ModelKind {
        self.model.kind()
    }
    fn parameters(&self) -> &[f64] {
        self.model.parameters()
    }
    fn parameters_mut(&mut self) -> &mut [f64] {
        self.model.parameters_mut()
    }
    fn attention(&mut self, noisy: &Array2<f64>, attention: &mut [f64]) {
        self.model.attention(noisy, attention)
    }
    fn reconstruct(&self, noisy: &Array2<f64>, attention: &[f64]) -> Array2<f64> {
        self.model.reconstruct(noisy, attention)
    }
    fn loss_and_gradient(&mut self, data: &TrainingData, gradient: &mut [f64]) -> f64 {
        let loss = self.model.loss_and_gradient(data, gradient);
        gradient[self.index] *= 1.001;
        loss
    }
    fn loss(&mut self, data: &TrainingData) -> f64 {
        self.model.loss(data)
    }
}
