//! The shape of the self-attention model: its size limits and defaults, and where each weight
//! sits in the flat parameter vector θ (see the table in the model's documentation).

use std::ops::Range;

/// Key (and query) dimension d_k.
pub const KEY_DIM: usize = 4;
/// Most heads `new` accepts.
pub const MAX_HEADS: usize = 4;
/// Largest state dimension the model supports (the kernels are specialised per d).
pub const MAX_DIM: usize = 4;
/// Largest window `new` accepts; far beyond any useful N, it only guards against a parameter
/// vector of absurd size.
pub const MAX_WINDOW: usize = 100_000;
/// Heads of a fresh model (the page's and CLI's default; 1–4 are allowed). Half of the
/// benchmarked H = 4, so half the cost per step.
pub const DEFAULT_HEADS: usize = 2;
/// ±W samples. A step costs one `libm::exp` per (head, t, s) pair, so it grows like
/// H·N·(2W + 1). `cargo bench --bench training_step` (loss + gradient + Adam while training,
/// N = 1000, H = 4, 2-core dev VM) measured d = 3 at 1.08 ms with W = 8, against 1.44 ms at
/// W = 12 and 1.89 ms at W = 16; d = 2 is ~8% faster. W = 8 uses about half of the native 2 ms
/// budget, so wasm's 1.5–2× slowdown stays well inside the browser's 4 ms. At N = 1000 on the
/// default Lotka–Volterra orbit with σ = 2 it is also the better untrained denoiser (loss 0.57
/// against 1.13 at W = 12: wider windows blur the peaks), though W = 12 trains a little lower.
pub const DEFAULT_WINDOW: usize = 8;
/// W_Q and W_K start uniform in [−INIT_SCALE, INIT_SCALE).
pub const INIT_SCALE: f64 = 0.1;
/// Seed of the ChaCha8 stream that initialises W_Q and W_K.
pub(super) const INIT_SEED: u64 = 0x5e1f_a77e_2505_6503;

/// Where each block of θ lives. See the module documentation for the order inside a block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    pub dim: usize,
    pub heads: usize,
    pub window: usize,
    pub w_q: Range<usize>,
    pub w_k: Range<usize>,
    pub w_v: Range<usize>,
    pub w_o: Range<usize>,
    pub bias: Range<usize>,
    pub c: Range<usize>,
}

impl Layout {
    pub fn new(dim: usize, heads: usize, window: usize) -> Self {
        let qk = heads * KEY_DIM * dim;
        let vo = heads * dim * dim;
        let nb = heads * (2 * window + 1);
        let w_q = 0..qk;
        let w_k = w_q.end..w_q.end + qk;
        let w_v = w_k.end..w_k.end + vo;
        let w_o = w_v.end..w_v.end + vo;
        let bias = w_o.end..w_o.end + nb;
        let c = bias.end..bias.end + dim;
        Layout {
            dim,
            heads,
            window,
            w_q,
            w_k,
            w_v,
            w_o,
            bias,
            c,
        }
    }

    /// Total number of parameters.
    pub fn len(&self) -> usize {
        self.c.end
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Index of W_Q^h(a, j).
    pub fn q(&self, h: usize, a: usize, j: usize) -> usize {
        self.w_q.start + (h * KEY_DIM + a) * self.dim + j
    }

    /// Index of W_K^h(a, j).
    pub fn k(&self, h: usize, a: usize, j: usize) -> usize {
        self.w_k.start + (h * KEY_DIM + a) * self.dim + j
    }

    /// Index of W_V^h(i, j).
    pub fn v(&self, h: usize, i: usize, j: usize) -> usize {
        self.w_v.start + (h * self.dim + i) * self.dim + j
    }

    /// Index of W_O^h(i, j).
    pub fn o(&self, h: usize, i: usize, j: usize) -> usize {
        self.w_o.start + (h * self.dim + i) * self.dim + j
    }

    /// Index of b^h_δ, the bias for the offset δ = s − t ∈ [−W, W].
    pub fn b(&self, h: usize, delta: isize) -> usize {
        assert!(
            delta.unsigned_abs() <= self.window,
            "offset outside the window"
        );
        self.bias.start + h * (2 * self.window + 1) + (delta + self.window as isize) as usize
    }

    /// Index of c_i.
    pub fn c(&self, i: usize) -> usize {
        self.c.start + i
    }
}

/// Most bytes the self-attention workspace may take: a training run that needs more is refused
/// before anything is allocated.
pub const MAX_WORKSPACE_BYTES: u64 = 256 << 20;

/// Bytes of the workspace for N samples: the H·N·min(2W + 1, N) attention weights and the
/// per-sample buffers (standardised states, the attended means, outputs and their gradients).
pub fn workspace_bytes(dim: usize, heads: usize, window: usize, n: usize) -> u64 {
    let (d, h, n) = (dim as u64, heads as u64, n as u64);
    let span = (2 * window as u64 + 1).min(n);
    8 * (h * n * span + h * n * d + 3 * n * d + 2 * d)
}
