//! The paper's attention model (arXiv 2505.06503, §3): a linear layer scores each noisy state,
//! a softmax over time turns scores into weights, and the weighted states reconstruct the orbit.
//!
//! s_t = w·x̃_t + b,  a = softmax(s),  r_t = c·a_t·x̃_t,  L = (1/N) Σ_t ‖r_t − x_t‖²
//!
//! with c = N (`scaled`, the default: uniform attention a_t = 1/N gives r_t = x̃_t) or c = 1 (the
//! literal reading). Parameters θ = (w_1..w_d, b), initialised to 0 (uniform attention).
//!
//! Gradient, derived by hand (checked against finite differences in `tests/gradient_check.rs`):
//! with e_t = r_t − x_t and g_t = ∂L/∂a_t = (2c/N) x̃_t·e_t, the softmax gives
//! ∂L/∂s_t = a_t (g_t − ḡ) with ḡ = Σ_u a_u g_u, so
//! ∂L/∂w = Σ_t a_t g_t x̃_t − ḡ Σ_t a_t x̃_t and ∂L/∂b = ḡ (1 − Σ_t a_t) = 0.
//!
//! Hessian, also by hand (checked against central differences of the gradient in
//! `tests/it/gradient_check.rs`): with q_t = ∂²L/∂a_t² = (2c²/N)‖x̃_t‖², h_t = g_t − ḡ and the
//! centred states δ_t = x̃_t − x̄, x̄ = Σ_u a_u x̃_u, the softmax's Jacobian and its second
//! derivative combine into
//!
//! ∂²L/∂w∂wᵀ = Σ_t a_t (q_t a_t + h_t) δ_t δ_tᵀ,
//!
//! and the row and column of b are 0 (a shift of every score changes nothing). It costs two
//! passes over the data after the gradient's and no exp, against 2p gradient evaluations for the
//! difference Hessian, and lets training take Newton steps from the start (see
//! `training::trainer`).

use crate::by_dimension;
use crate::models::attention_model::{AttentionModel, TrainingData};
use crate::models::kind::ModelKind;
use crate::models::paper_linear_passes::{
    gradient_sums, hessian_sums, scores, squared_error_and_attention, GradientSums,
};
use crate::models::softmax_exp::exp2_shifted_in_place;
use ndarray::Array2;

pub struct PaperLinear {
    /// (w_1, .., w_d, b)
    theta: Vec<f64>,
    scaled: bool,
    /// exp(s_t − max s), reused every step (first the scores, in units of ln2/128).
    exps: Vec<f64>,
}

impl PaperLinear {
    pub fn new(dim: usize, scaled: bool) -> Self {
        PaperLinear {
            theta: vec![0.0; dim + 1],
            scaled,
            exps: Vec::new(),
        }
    }

    /// exp(s_t − max s) into `self.exps`; returns their sum.
    fn softmax_numerators(&mut self, noisy: &Array2<f64>) -> f64 {
        let xs = noisy
            .as_slice()
            .expect("observations are contiguous row-major");
        let max = by_dimension!(noisy.ncols(), scores(&self.theta, xs, &mut self.exps));
        exp2_shifted_in_place(&mut self.exps, max)
    }

    fn scale(&self, n: usize) -> f64 {
        if self.scaled {
            n as f64
        } else {
            1.0
        }
    }
}

/// Rows of observations and clean states as flat row-major slices.
fn flat<'a>(data: &TrainingData<'a>) -> (&'a [f64], &'a [f64]) {
    (
        data.noisy
            .as_slice()
            .expect("observations are contiguous row-major"),
        data.clean
            .as_slice()
            .expect("clean states are contiguous row-major"),
    )
}

/// ∂L/∂w = Σ a_t g_t x̃_t − ḡ Σ a_t x̃_t and ∂L/∂b = ḡ (1 − Σ a_t) into `gradient`, with
/// a_t = e_t/sum; returns L.
fn write_gradient<const D: usize>(
    xs: &[f64],
    cs: &[f64],
    exps: &[f64],
    sum: f64,
    c: f64,
    gradient: &mut [f64],
) -> f64 {
    let sums = gradient_sums::<D>(xs, cs, exps, sum, c);
    gradient_from(&sums, gradient);
    sums.squared_error / exps.len() as f64
}

/// ∂L/∂θ from the pass's sums into `gradient`.
fn gradient_from<const D: usize>(sums: &GradientSums<D>, gradient: &mut [f64]) {
    for ((g, gx), x) in gradient
        .iter_mut()
        .zip(sums.weighted_gx)
        .zip(sums.weighted_x)
    {
        *g = gx - sums.g_bar * x;
    }
    gradient[D] = sums.g_bar * (1.0 - sums.a_total);
}

/// As [`write_gradient`], and the Hessian into `hessian` ((D+1)×(D+1), row-major).
fn write_gradient_and_hessian<const D: usize>(
    xs: &[f64],
    cs: &[f64],
    exps: &[f64],
    sum: f64,
    c: f64,
    gradient: &mut [f64],
    hessian: &mut [f64],
) -> f64 {
    let sums = gradient_sums::<D>(xs, cs, exps, sum, c);
    gradient_from(&sums, gradient);
    let block = hessian_sums::<D>(xs, cs, exps, 1.0 / sum, c, &sums);
    let p = D + 1;
    hessian[..p * p].iter_mut().for_each(|h| *h = 0.0);
    for j in 0..D {
        hessian[j * p..j * p + D].copy_from_slice(&block[j]);
    }
    sums.squared_error / exps.len() as f64
}

impl AttentionModel for PaperLinear {
    fn kind(&self) -> ModelKind {
        if self.scaled {
            ModelKind::PaperLinear
        } else {
            ModelKind::PaperLinearUnscaled
        }
    }

    fn parameters(&self) -> &[f64] {
        &self.theta
    }

    fn parameters_mut(&mut self) -> &mut [f64] {
        &mut self.theta
    }

    fn attention(&mut self, noisy: &Array2<f64>, attention: &mut [f64]) {
        let sum = self.softmax_numerators(noisy);
        for (a, e) in attention.iter_mut().zip(&self.exps) {
            *a = e / sum;
        }
    }

    fn reconstruct(&self, noisy: &Array2<f64>, attention: &[f64]) -> Array2<f64> {
        let c = self.scale(noisy.nrows());
        let mut r = noisy.clone();
        for (mut row, a) in r.rows_mut().into_iter().zip(attention) {
            row *= c * a;
        }
        r
    }

    /// One softmax for both (the gradient is not needed). The attention is e_t / Σe and the
    /// loss uses e_t · (1/Σe), exactly as `attention` and `loss_and_gradient` do.
    fn loss_and_attention(
        &mut self,
        data: &TrainingData,
        _gradient: &mut [f64],
        attention: &mut [f64],
    ) -> f64 {
        let (n, d) = data.noisy.dim();
        let c = self.scale(n);
        let sum = self.softmax_numerators(data.noisy);
        let (xs, cs) = flat(data);
        let exps = &self.exps;
        let squared_error = by_dimension!(
            d,
            squared_error_and_attention(xs, cs, exps, sum, c, attention)
        );
        squared_error / n as f64
    }

    fn loss_and_gradient(&mut self, data: &TrainingData, gradient: &mut [f64]) -> f64 {
        let (n, d) = data.noisy.dim();
        let c = self.scale(n);
        let sum = self.softmax_numerators(data.noisy);
        let (xs, cs) = flat(data);
        let exps = &self.exps;
        by_dimension!(d, write_gradient(xs, cs, exps, sum, c, gradient))
    }

    fn has_analytic_hessian(&self) -> bool {
        true
    }

    /// See the module documentation: the gradient's pass gives ḡ and x̄, one more pass gives
    /// Σ_t a_t (q_t a_t + h_t) δ_t δ_tᵀ.
    fn loss_gradient_hessian(
        &mut self,
        data: &TrainingData,
        gradient: &mut [f64],
        hessian: &mut [f64],
    ) -> Option<f64> {
        let (n, d) = data.noisy.dim();
        let c = self.scale(n);
        let sum = self.softmax_numerators(data.noisy);
        let (xs, cs) = flat(data);
        let exps = &self.exps;
        let loss = by_dimension!(
            d,
            write_gradient_and_hessian(xs, cs, exps, sum, c, gradient, hessian)
        );
        Some(loss)
    }
}
