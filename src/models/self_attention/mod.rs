//! Multi-head self-attention over time with a local window: a learned denoiser that reconstructs
//! each state from the noisy states around it.
//!
//! The observations are standardised per coordinate, z_t = (x̃_t − μ) ⊘ s, with μ and s the mean
//! and (population) standard deviation of x̃ over time, s floored at 1e-9·(1 + |μ|) so a constant
//! coordinate does not divide by zero. μ and s depend on the data only, so they are constants
//! for the gradient. Each head h (1 ≤ h ≤ H, key dimension d_k = [`KEY_DIM`] = 4) then computes
//!
//! q_t = W_Q^h z_t,  k_s = W_K^h z_s,  v_s = W_V^h z_s,
//! S^h_ts = q_t·k_s/√d_k + b^h_{s−t}  for |s − t| ≤ W and 0 ≤ s < N (masked elsewhere),
//! A^h_t· = softmax_s(S^h_t·)  (the window is truncated near the ends of the series),
//!
//! and the output and loss are
//!
//! o_t = Σ_h W_O^h Σ_s A^h_ts v^h_s + c,  r_t = μ + s ⊙ o_t,  L = (1/N) Σ_t ‖r_t − x_t‖²
//!
//! (the same loss as paper-linear: a mean over t of the squared Euclidean norm, not divided by d).
//! The attention each point *receives*, a_s = (1/(H·N)) Σ_h Σ_t A^h_ts, is non-negative and sums
//! to 1; it is what [`AttentionModel::attention`] returns.
//!
//! Initialisation, deterministic: W_Q and W_K uniform in ±[`INIT_SCALE`] from a fixed-seed
//! ChaCha8 stream (nonzero, or their gradients vanish: each one's gradient is proportional to
//! the other), W_V = I, W_O = I/H, b = 0, c = 0. The scores are then nearly constant across the
//! window, so the untrained model is nearly the moving average over ±W: a sensible denoiser from
//! step 0 when the window is short against the orbit's features (σ = 2 on the default
//! Lotka–Volterra orbit with W = 8: loss 0.57 at N = 1000, against 7.7 for handing back the
//! observations; at N = 300 the same ±8 samples blur the peaks and the untrained loss, 17, is
//! worse than the observations' until training sharpens the kernel). Under uniform windows the
//! received attention is exactly 1/N from 2W samples in from either end, but only
//! Σ_{k=W+1}^{2W+1} 1/k ≈ ln 2 (0.72 at W = 8) times 1/N at the first and last samples, which
//! fall in fewer windows: an edge artefact of the truncation, not something learned.
//!
//! Parameters θ, one flat vector grouped by kind, each matrix row-major ([`Layout`] has the
//! offsets; d is the state dimension, H the heads, W the window):
//!
//! | block | length     | entry                                    |
//! |-------|------------|------------------------------------------|
//! | W_Q   | H·d_k·d    | W_Q^h(a, j) at (h·d_k + a)·d + j         |
//! | W_K   | H·d_k·d    | W_K^h(a, j) at (h·d_k + a)·d + j         |
//! | W_V   | H·d·d      | W_V^h(i, j) at (h·d + i)·d + j           |
//! | W_O   | H·d·d      | W_O^h(i, j) at (h·d + i)·d + j           |
//! | b     | H·(2W + 1) | b^h_δ (δ = s − t ∈ [−W, W]) at h·(2W+1) + δ + W |
//! | c     | d          | c_i at i                                 |
//!
//! (each offset relative to the start of its block), H·(8d + 2d² + 2W + 1) + d in all.
//!
//! Evaluation. Two products collapse: q_t·k_s/√d_k = z_sᵀ M z_t with M = W_Kᵀ W_Q/2 (d×d, and
//! √d_k = 2 exactly), and W_O Σ_s A_ts v_s = P ẑ_t with P = W_O W_V and ẑ_t = Σ_s A_ts z_s, the
//! attention-weighted mean of the standardised states. So each (t, s) pair in a window costs
//! O(d) plus one exp, whatever d_k; M and P are formed once per head per call.
//!
//! Gradient, derived by hand (checked against finite differences in `tests/self_attention.rs`).
//! With e_t = r_t − x_t, the output gives g_t = ∂L/∂o_t = (2/N) s ⊙ e_t, so ∂L/∂c = Σ_t g_t.
//! Per head (dropping h), with F = Σ_t g_t ẑ_tᵀ:
//!
//! * output and values: o_t depends on W_O and W_V through W_O W_V ẑ_t, so
//!   ∂L/∂W_O = F W_Vᵀ and ∂L/∂W_V = W_Oᵀ F;
//! * attention: ∂L/∂ẑ_t = u_t := Pᵀ g_t, hence ∂L/∂A_ts = u_t·z_s;
//! * softmax: ∂L/∂S_ts = A_ts (u_t·z_s − Σ_σ A_tσ u_t·z_σ) = A_ts u_t·(z_s − ẑ_t) =: D_ts
//!   (zero outside the window, where A_ts = 0);
//! * relative bias: ∂L/∂b_δ = Σ_t D_{t,t+δ} over the t whose window contains t + δ;
//! * scores: S_ts = z_sᵀ M z_t + b gives ∂L/∂M = G := Σ_t w_t z_tᵀ with w_t = Σ_s D_ts z_s, and
//!   M = W_Kᵀ W_Q/2 gives ∂L/∂W_Q = W_K G/2 and ∂L/∂W_K = W_Q Gᵀ/2. (Equivalently, in terms of
//!   queries and keys: ∂L/∂q_t = Σ_s D_ts k_s/√d_k and ∂L/∂k_s = Σ_t D_ts q_t/√d_k.)
//!
//! The backward pass therefore costs the same O(d) per pair as the forward pass, without the exp.
//!
//! Determinism: only IEEE arithmetic, `f64::sqrt` (correctly rounded) and `libm::exp`, in a fixed
//! order, so a training run is bit-identical natively and in wasm32. Every buffer lives in the
//! model and is reused: after the first call at a given N, a training step does not allocate.

mod layout;
mod passes;

pub use layout::{
    workspace_bytes, Layout, DEFAULT_HEADS, DEFAULT_WINDOW, INIT_SCALE, KEY_DIM, MAX_DIM,
    MAX_HEADS, MAX_WINDOW, MAX_WORKSPACE_BYTES,
};

use crate::models::attention_model::{AttentionModel, TrainingData};
use crate::models::kind::ModelKind;
use layout::INIT_SEED;
use ndarray::Array2;
use passes::{backward, forward, window_bounds, Workspace};
use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::ops::Range;

/// Calls `$f::<D>($args)` with D the runtime dimension `$d`.
macro_rules! dispatch {
    ($d:expr, $f:ident($($arg:expr),*)) => {
        match $d {
            1 => $f::<1>($($arg),*),
            2 => $f::<2>($($arg),*),
            3 => $f::<3>($($arg),*),
            4 => $f::<4>($($arg),*),
            d => unreachable!("self-attention supports 1..={MAX_DIM} dimensions, not {d}"),
        }
    };
}

/// The self-attention denoiser. See the module documentation.
pub struct SelfAttention {
    layout: Layout,
    theta: Vec<f64>,
    ws: Workspace,
}

impl SelfAttention {
    /// A fresh model for d = `dim` state coordinates with `heads` heads and a window of ±`window`
    /// samples. Panics unless 1 ≤ dim ≤ [`MAX_DIM`], 1 ≤ heads ≤ [`MAX_HEADS`] and
    /// 1 ≤ window ≤ [`MAX_WINDOW`]: callers validate user input first.
    pub fn new(dim: usize, heads: usize, window: usize) -> Self {
        assert!(
            (1..=MAX_DIM).contains(&dim),
            "self-attention supports 1..={MAX_DIM} state dimensions, not {dim}"
        );
        assert!(
            (1..=MAX_HEADS).contains(&heads),
            "self-attention takes 1..={MAX_HEADS} heads, not {heads}"
        );
        assert!(
            (1..=MAX_WINDOW).contains(&window),
            "self-attention takes a window of 1..={MAX_WINDOW} samples, not {window}"
        );
        let layout = Layout::new(dim, heads, window);
        let mut theta = vec![0.0; layout.len()];
        let mut rng = ChaCha8Rng::seed_from_u64(INIT_SEED);
        for v in &mut theta[layout.w_q.start..layout.w_k.end] {
            // Uniform on [−1, 1) with 53 random bits, as in gaussian_noise.
            let u = (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64);
            *v = INIT_SCALE * (2.0 * u - 1.0);
        }
        for h in 0..heads {
            for i in 0..dim {
                theta[layout.v(h, i, i)] = 1.0;
                theta[layout.o(h, i, i)] = 1.0 / heads as f64;
            }
        }
        SelfAttention {
            layout,
            theta,
            ws: Workspace::default(),
        }
    }

    pub fn window(&self) -> usize {
        self.layout.window
    }

    pub fn dim(&self) -> usize {
        self.layout.dim
    }

    /// Where each block lives in θ.
    pub fn layout(&self) -> &Layout {
        &self.layout
    }

    /// Standardises `noisy` and runs the forward pass into the model's workspace.
    fn run_forward(&mut self, noisy: &Array2<f64>) {
        let d = self.layout.dim;
        assert_eq!(noisy.ncols(), d, "observations have the wrong dimension");
        let xs = noisy
            .as_slice()
            .expect("observations are contiguous row-major");
        self.ws
            .prepare(xs, d, self.layout.heads, self.layout.window);
        dispatch!(d, forward(&self.theta, &self.layout, &mut self.ws));
    }

    /// Σ_t A^h_ts into `out[s]` for the heads in `heads`, scaled by `factor`.
    fn received(&self, heads: Range<usize>, factor: f64, out: &mut [f64]) {
        let (n, span) = (self.ws.n, self.ws.span);
        assert_eq!(out.len(), n, "attention buffer has the wrong length");
        out.iter_mut().for_each(|v| *v = 0.0);
        for h in heads {
            let attn = &self.ws.attn[h * n * span..][..n * span];
            for t in 0..n {
                let (lo, hi) = window_bounds(t, self.layout.window, n);
                for (o, a) in out[lo..=hi].iter_mut().zip(&attn[t * span..]) {
                    *o += a;
                }
            }
        }
        out.iter_mut().for_each(|v| *v *= factor);
    }

    fn check_clean<'a>(&self, data: &'a TrainingData) -> &'a [f64] {
        assert_eq!(
            data.clean.dim(),
            data.noisy.dim(),
            "clean and noisy states differ in shape"
        );
        data.clean
            .as_slice()
            .expect("clean states are contiguous row-major")
    }
}

impl AttentionModel for SelfAttention {
    fn heads(&self) -> usize {
        self.layout.heads
    }

    /// The attention head `head` gives each point, (1/N) Σ_t A^h_ts, into `out` (length N).
    /// Non-negative and summing to 1.
    fn head_attention(&mut self, noisy: &Array2<f64>, head: usize, out: &mut [f64]) {
        assert!(head < self.layout.heads, "no head {head}");
        self.run_forward(noisy);
        self.received(head..head + 1, 1.0 / self.ws.n as f64, out);
    }

    fn kind(&self) -> ModelKind {
        ModelKind::SelfAttention
    }

    fn parameters(&self) -> &[f64] {
        &self.theta
    }

    fn parameters_mut(&mut self) -> &mut [f64] {
        &mut self.theta
    }

    /// The attention each point receives, a_s = (1/(H·N)) Σ_h Σ_t A^h_ts.
    fn attention(&mut self, noisy: &Array2<f64>, attention: &mut [f64]) {
        self.run_forward(noisy);
        let heads = self.layout.heads;
        self.received(0..heads, 1.0 / (heads * self.ws.n) as f64, attention);
    }

    /// r_t = μ + s ⊙ o_t from a fresh forward pass (allocates; the attention is recomputed
    /// internally, so the argument is not used).
    fn reconstruct(&self, noisy: &Array2<f64>, _attention: &[f64]) -> Array2<f64> {
        let d = self.layout.dim;
        assert_eq!(noisy.ncols(), d, "observations have the wrong dimension");
        let xs = noisy
            .as_slice()
            .expect("observations are contiguous row-major");
        let mut ws = Workspace::default();
        ws.prepare(xs, d, self.layout.heads, self.layout.window);
        dispatch!(d, forward(&self.theta, &self.layout, &mut ws));
        let mut r = Array2::zeros(noisy.dim());
        for (mut row, o) in r.rows_mut().into_iter().zip(ws.out.chunks_exact(d)) {
            for j in 0..d {
                row[j] = ws.mu[j] + ws.scale[j] * o[j];
            }
        }
        r
    }

    fn loss_and_gradient(&mut self, data: &TrainingData, gradient: &mut [f64]) -> f64 {
        assert_eq!(
            gradient.len(),
            self.theta.len(),
            "gradient has the wrong length"
        );
        let clean = self.check_clean(data);
        self.run_forward(data.noisy);
        let loss = self.ws.residuals(clean, self.layout.dim);
        dispatch!(
            self.layout.dim,
            backward(&self.theta, &self.layout, &self.ws, gradient)
        );
        loss
    }

    /// One forward pass for both: no backward pass.
    fn loss_and_attention(
        &mut self,
        data: &TrainingData,
        _gradient: &mut [f64],
        attention: &mut [f64],
    ) -> f64 {
        let clean = self.check_clean(data);
        self.run_forward(data.noisy);
        let loss = self.ws.residuals(clean, self.layout.dim);
        let heads = self.layout.heads;
        self.received(0..heads, 1.0 / (heads * self.ws.n) as f64, attention);
        loss
    }

    /// The forward pass and the loss only, bit-identical to [`Self::loss_and_gradient`]'s loss.
    fn loss(&mut self, data: &TrainingData) -> f64 {
        let clean = self.check_clean(data);
        self.run_forward(data.noisy);
        self.ws.residuals(clean, self.layout.dim)
    }
}
