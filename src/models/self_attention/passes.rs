//! The forward and backward passes over the local windows, and the reusable buffers they work
//! in. The derivation of the backward pass is in the model's documentation.

use super::layout::{Layout, KEY_DIM};
use crate::models::softmax_exp::exp_shifted_in_place;

/// The buffers of one forward (and backward) pass, sized on first use and then reused.
#[derive(Default)]
pub(super) struct Workspace {
    /// N of the last pass.
    pub(super) n: usize,
    /// Row stride of `attn`: min(2W + 1, N), the longest window.
    pub(super) span: usize,
    /// Per-coordinate mean μ and scale s of the observations.
    pub(super) mu: Vec<f64>,
    pub(super) scale: Vec<f64>,
    /// z_t, N×d.
    pub(super) z: Vec<f64>,
    /// A^h_ts for s in [lo_t, hi_t] at ((h·N + t)·span + s − lo_t), H×N×span.
    pub(super) attn: Vec<f64>,
    /// ẑ^h_t = Σ_s A^h_ts z_s, H×N×d.
    pub(super) zhat: Vec<f64>,
    /// o_t, N×d.
    pub(super) out: Vec<f64>,
    /// ∂L/∂o_t, N×d.
    pub(super) g: Vec<f64>,
}

/// The first and last s in the window of t.
pub(super) fn window_bounds(t: usize, window: usize, n: usize) -> (usize, usize) {
    (t.saturating_sub(window), (t + window).min(n - 1))
}

pub(super) fn dot<const D: usize>(a: &[f64; D], b: &[f64; D]) -> f64 {
    let mut sum = 0.0;
    for j in 0..D {
        sum += a[j] * b[j];
    }
    sum
}

/// Reads a d×d row-major block of θ.
pub(super) fn square<const D: usize>(theta: &[f64]) -> [[f64; D]; D] {
    let mut m = [[0.0; D]; D];
    for (i, row) in m.iter_mut().enumerate() {
        row.copy_from_slice(&theta[i * D..(i + 1) * D]);
    }
    m
}

impl Workspace {
    /// Sizes the buffers for N observations and standardises them into `z`.
    pub(super) fn prepare(&mut self, noisy: &[f64], dim: usize, heads: usize, window: usize) {
        let n = noisy.len() / dim;
        assert!(n >= 1, "self-attention needs at least one observation");
        self.n = n;
        self.span = (2 * window + 1).min(n);
        self.mu.resize(dim, 0.0);
        self.scale.resize(dim, 0.0);
        self.z.resize(n * dim, 0.0);
        self.attn.resize(heads * n * self.span, 0.0);
        self.zhat.resize(heads * n * dim, 0.0);
        self.out.resize(n * dim, 0.0);
        self.g.resize(n * dim, 0.0);
        for j in 0..dim {
            let mean = noisy.iter().skip(j).step_by(dim).sum::<f64>() / n as f64;
            let var = noisy
                .iter()
                .skip(j)
                .step_by(dim)
                .map(|x| (x - mean) * (x - mean))
                .sum::<f64>()
                / n as f64;
            self.mu[j] = mean;
            self.scale[j] = var.sqrt().max(1e-9 * (1.0 + mean.abs()));
        }
        for (z, x) in self.z.chunks_exact_mut(dim).zip(noisy.chunks_exact(dim)) {
            for j in 0..dim {
                z[j] = (x[j] - self.mu[j]) / self.scale[j];
            }
        }
    }

    /// e_t = r_t − x_t into the loss and g_t = (2/N) s ⊙ e_t into `g`; returns L.
    pub(super) fn residuals(&mut self, clean: &[f64], dim: usize) -> f64 {
        let n = self.n;
        let mut loss = 0.0;
        for ((g, o), x) in self
            .g
            .chunks_exact_mut(dim)
            .zip(self.out.chunks_exact(dim))
            .zip(clean.chunks_exact(dim))
        {
            for j in 0..dim {
                let err = self.mu[j] + self.scale[j] * o[j] - x[j];
                loss += err * err;
                g[j] = 2.0 / n as f64 * self.scale[j] * err;
            }
        }
        loss / n as f64
    }
}

/// The forward pass: attention weights, ẑ and o into the workspace (already prepared).
pub(super) fn forward<const D: usize>(theta: &[f64], layout: &Layout, ws: &mut Workspace) {
    let (n, span, window) = (ws.n, ws.span, layout.window);
    let z = ws.z.as_chunks::<D>().0;
    let out = ws.out.as_chunks_mut::<D>().0;
    let c = &theta[layout.c.clone()];
    for o in out.iter_mut() {
        o.copy_from_slice(c);
    }
    let nb = 2 * window + 1;
    for h in 0..layout.heads {
        let (wq, wk) = (
            &theta[layout.q(h, 0, 0)..][..KEY_DIM * D],
            &theta[layout.k(h, 0, 0)..][..KEY_DIM * D],
        );
        let wv = square::<D>(&theta[layout.v(h, 0, 0)..]);
        let wo = square::<D>(&theta[layout.o(h, 0, 0)..]);
        let bias = &theta[layout.bias.start + h * nb..][..nb];
        // M = W_Kᵀ W_Q / 2 and P = W_O W_V.
        let mut m = [[0.0; D]; D];
        let mut p = [[0.0; D]; D];
        for i in 0..D {
            for j in 0..D {
                let mut sum = 0.0;
                for a in 0..KEY_DIM {
                    sum += wk[a * D + i] * wq[a * D + j];
                }
                m[i][j] = 0.5 * sum;
                let mut sum = 0.0;
                for k in 0..D {
                    sum += wo[i][k] * wv[k][j];
                }
                p[i][j] = sum;
            }
        }
        let attn = &mut ws.attn[h * n * span..][..n * span];
        let zhat = &mut ws.zhat.as_chunks_mut::<D>().0[h * n..][..n];
        for t in 0..n {
            let (lo, hi) = window_bounds(t, window, n);
            // S_ts = z_s·(M z_t) + b_{s−t}.
            let mut mz = [0.0; D];
            for (i, mzi) in mz.iter_mut().enumerate() {
                *mzi = dot(&m[i], &z[t]);
            }
            let row = &mut attn[t * span..][..hi - lo + 1];
            let b = &bias[lo + window - t..=hi + window - t];
            let mut max = f64::NEG_INFINITY;
            for ((a, zs), bias) in row.iter_mut().zip(&z[lo..=hi]).zip(b) {
                *a = dot(&mz, zs) + bias;
                max = max.max(*a);
            }
            let inv = 1.0 / exp_shifted_in_place(row, max);
            let mut zh = [0.0; D];
            for (a, zs) in row.iter_mut().zip(&z[lo..=hi]) {
                *a *= inv;
                for j in 0..D {
                    zh[j] += *a * zs[j];
                }
            }
            zhat[t] = zh;
            for i in 0..D {
                out[t][i] += dot(&p[i], &zh);
            }
        }
    }
}

/// The backward pass from g (already computed by `residuals`) into `gradient`.
pub(super) fn backward<const D: usize>(
    theta: &[f64],
    layout: &Layout,
    ws: &Workspace,
    gradient: &mut [f64],
) {
    let (n, span, window) = (ws.n, ws.span, layout.window);
    let z = ws.z.as_chunks::<D>().0;
    let g = ws.g.as_chunks::<D>().0;
    gradient.iter_mut().for_each(|v| *v = 0.0);
    for gt in g {
        for (gc, gi) in gradient[layout.c.clone()].iter_mut().zip(gt) {
            *gc += gi;
        }
    }
    let nb = 2 * window + 1;
    for h in 0..layout.heads {
        let wq = &theta[layout.q(h, 0, 0)..][..KEY_DIM * D];
        let wk = &theta[layout.k(h, 0, 0)..][..KEY_DIM * D];
        let wv = square::<D>(&theta[layout.v(h, 0, 0)..]);
        let wo = square::<D>(&theta[layout.o(h, 0, 0)..]);
        // Pᵀ = (W_O W_V)ᵀ, so that u_t = Pᵀ g_t is a row-by-row dot product.
        let mut pt = [[0.0; D]; D];
        for (j, row) in pt.iter_mut().enumerate() {
            for (i, v) in row.iter_mut().enumerate() {
                let mut sum = 0.0;
                for k in 0..D {
                    sum += wo[i][k] * wv[k][j];
                }
                *v = sum;
            }
        }
        let attn = &ws.attn[h * n * span..][..n * span];
        let zhat = &ws.zhat.as_chunks::<D>().0[h * n..][..n];
        let gbias = &mut gradient[layout.bias.start + h * nb..][..nb];
        // F = Σ_t g_t ẑ_tᵀ and G = Σ_t w_t z_tᵀ.
        let mut f = [[0.0; D]; D];
        let mut gm = [[0.0; D]; D];
        for t in 0..n {
            let (lo, hi) = window_bounds(t, window, n);
            let mut u = [0.0; D];
            for (j, uj) in u.iter_mut().enumerate() {
                *uj = dot(&pt[j], &g[t]);
            }
            let u_zhat = dot(&u, &zhat[t]);
            let row = &attn[t * span..][..hi - lo + 1];
            let gb = &mut gbias[lo + window - t..=hi + window - t];
            let mut w = [0.0; D];
            for ((a, zs), gb) in row.iter().zip(&z[lo..=hi]).zip(gb) {
                let ds = a * (dot(&u, zs) - u_zhat);
                *gb += ds;
                for j in 0..D {
                    w[j] += ds * zs[j];
                }
            }
            for i in 0..D {
                for j in 0..D {
                    f[i][j] += g[t][i] * zhat[t][j];
                    gm[i][j] += w[i] * z[t][j];
                }
            }
        }
        for i in 0..D {
            for j in 0..D {
                // ∂L/∂W_O = F W_Vᵀ, ∂L/∂W_V = W_Oᵀ F.
                let (mut go, mut gv) = (0.0, 0.0);
                for k in 0..D {
                    go += f[i][k] * wv[j][k];
                    gv += wo[k][i] * f[k][j];
                }
                gradient[layout.o(h, i, j)] = go;
                gradient[layout.v(h, i, j)] = gv;
            }
        }
        for a in 0..KEY_DIM {
            for j in 0..D {
                // ∂L/∂W_Q = W_K G / 2, ∂L/∂W_K = W_Q Gᵀ / 2.
                let (mut gq, mut gk) = (0.0, 0.0);
                for i in 0..D {
                    gq += wk[a * D + i] * gm[i][j];
                    gk += wq[a * D + i] * gm[j][i];
                }
                gradient[layout.q(h, a, j)] = 0.5 * gq;
                gradient[layout.k(h, a, j)] = 0.5 * gk;
            }
        }
    }
}
