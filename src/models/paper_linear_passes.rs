//! The paper-linear model's passes over the data, compiled once per state dimension D (a const
//! generic, dispatched by [`by_dimension!`](crate::by_dimension)): with D known the inner loops
//! unroll, the rows are fixed-size arrays without bounds checks, and the score pass vectorises.
//! The arithmetic is that of the formulas in [`super::paper_linear`]; sums over the data run in
//! two lanes (row t in lane t mod 2, the lanes added at the end), a fixed order that vectorises
//! and gives the same bits on every platform.

/// Rows per block of the data passes: row t goes to lane t mod 2. Two, the width of an SSE2 or
/// wasm `simd128` register of doubles: with four, the running sums no longer fit the 16
/// registers and spill to the stack (seen in `perf annotate`).
const LANES: usize = 2;

use crate::models::softmax_exp::SCORE_SCALE;
use wide::f64x2;

/// Calls `$pass::<D>(args…)` with D the runtime dimension `$d` (1 to 8).
///
/// # Panics
/// If `$d` is 0 or above 8.
#[macro_export]
#[doc(hidden)]
macro_rules! by_dimension {
    ($d:expr, $pass:ident ( $($arg:expr),* $(,)? )) => {
        match $d {
            1 => $pass::<1>($($arg),*),
            2 => $pass::<2>($($arg),*),
            3 => $pass::<3>($($arg),*),
            4 => $pass::<4>($($arg),*),
            5 => $pass::<5>($($arg),*),
            6 => $pass::<6>($($arg),*),
            7 => $pass::<7>($($arg),*),
            8 => $pass::<8>($($arg),*),
            d => panic!("paper-linear supports 1 to 8 state dimensions, not {d}"),
        }
    };
}

/// The rows of a contiguous row-major N×D slice as arrays.
fn rows<const D: usize>(flat: &[f64]) -> impl Iterator<Item = &[f64; D]> {
    flat.chunks_exact(D)
        .map(|row| row.try_into().expect("chunks of D"))
}

fn dot<const D: usize>(a: &[f64; D], b: &[f64; D]) -> f64 {
    let mut s = a[0] * b[0];
    for j in 1..D {
        s += a[j] * b[j];
    }
    s
}

/// The running maximum of the scores in `lanes`, by a plain comparison: not f64::max, whose NaN
/// handling costs three more operations in the chain. A NaN score fails the test and is
/// skipped, as f64::max would skip it, and reaches the sum of the numerators through
/// exp(NaN − max) = NaN.
#[inline(always)]
fn running_max(lanes: &mut [f64; LANES], scores: f64x2) {
    for (lane, s) in lanes.iter_mut().zip(scores.to_array()) {
        *lane = if s > *lane { s } else { *lane };
    }
}

/// The scores of a block of two rows, b + w·x̃_t, summed in the order of [`dot`].
#[inline(always)]
fn block_scores<const D: usize>(w: &[f64; D], b: f64, block: &[f64]) -> f64x2 {
    let block = &block[..LANES * D];
    let mut dot = f64x2::splat(w[0]) * component::<D>(block, 0);
    for (j, wj) in w.iter().enumerate().skip(1) {
        dot += f64x2::splat(*wj) * component::<D>(block, j);
    }
    f64x2::splat(b) + dot
}

/// The scores s_t = b + w·x̃_t in units of ln2/128, that is b' + w'·x̃_t with b' and w' scaled by
/// [`SCORE_SCALE`] = 128/ln2, into `scores` (resized to N); returns their maximum. In these units
/// the softmax's exp is a power of two ([`exp2_shifted_in_place`]), which saves three operations
/// a value. Four rows at a time, as two blocks of two, with a running maximum per row lane: a
/// maximum is exact in any order, so it has the same bits as a sequential one, and four
/// independent chains pipeline.
///
/// [`exp2_shifted_in_place`]: crate::models::softmax_exp::exp2_shifted_in_place
pub fn scores<const D: usize>(theta: &[f64], xs: &[f64], scores: &mut Vec<f64>) -> f64 {
    let w: [f64; D] = std::array::from_fn(|j| theta[j] * SCORE_SCALE);
    let (w, b) = (&w, theta[D] * SCORE_SCALE);
    let n = xs.len() / D;
    scores.resize(n, 0.0);
    let (mut low, mut high) = ([f64::NEG_INFINITY; LANES], [f64::NEG_INFINITY; LANES]);
    let mut blocks = xs.chunks_exact(2 * LANES * D);
    let mut out = scores.chunks_exact_mut(2 * LANES);
    for (block, out) in (&mut blocks).zip(&mut out) {
        let s0 = block_scores::<D>(w, b, block);
        let s1 = block_scores::<D>(w, b, &block[LANES * D..]);
        out[..LANES].copy_from_slice(&s0.to_array());
        out[LANES..].copy_from_slice(&s1.to_array());
        running_max(&mut low, s0);
        running_max(&mut high, s1);
    }
    let rest = rows::<D>(blocks.remainder())
        .zip(out.into_remainder())
        .map(|(x, out)| {
            *out = b + dot(w, x);
            *out
        });
    low.into_iter()
        .chain(high)
        .chain(rest)
        .fold(f64::NEG_INFINITY, f64::max)
}

/// What one pass over the data gives for the loss and its gradient.
pub struct GradientSums<const D: usize> {
    /// Σ_t ‖r_t − x_t‖² (not yet divided by N).
    pub squared_error: f64,
    /// Σ_t a_t g_t x̃_t.
    pub weighted_gx: [f64; D],
    /// Σ_t a_t x̃_t.
    pub weighted_x: [f64; D],
    /// ḡ = Σ_t a_t g_t.
    pub g_bar: f64,
    /// Σ_t a_t.
    pub a_total: f64,
}

/// The sums of [`GradientSums`] before their constant factors, one running sum per lane (row t in
/// lane t mod 2), each pair of lanes one `f64x2`: SSE2 natively, `simd128` in wasm, plain arrays
/// elsewhere. Explicit vectors because the compiler's own vectorisation of this pass mixed scalar
/// and vector operations and shuffled between them (`perf annotate`); only +, − and × are used,
/// never a fused multiply-add, so every target rounds the same way.
///
/// The pass runs on the unnormalised numerators e_t (a_t = e_t/Σe): Σ a_t g_t x̃_t is
/// (2c/N)(1/Σe) Σ_t e_t (x̃_t·err_t) x̃_t and Σ a_t x̃_t is (1/Σe) Σ_t e_t x̃_t, the factors applied
/// once at the end, which saves three multiplications a row (the pass is bound by its arithmetic).
struct LaneSums<const D: usize> {
    /// Σ ‖err_t‖², err_t = (c/Σe) e_t x̃_t − x_t.
    squared_error: f64x2,
    /// Σ e_t (x̃_t·err_t) x̃_t.
    e_xerr_x: [f64x2; D],
    /// Σ e_t x̃_t.
    e_x: [f64x2; D],
    /// Σ e_t (x̃_t·err_t).
    e_xerr: f64x2,
}

/// The lanes added, l0 + l1: the same bits on every platform.
fn combine(lanes: f64x2) -> f64 {
    let [l0, l1] = lanes.to_array();
    l0 + l1
}

/// The data's last N mod 2 rows padded to a whole block with zero rows (numerator 0,
/// state 0, clean state 0), which add exactly 0 to every sum; `None` if N is a multiple.
#[allow(clippy::type_complexity)]
fn last_block<const D: usize>(
    xs: &[f64],
    cs: &[f64],
    exps: &[f64],
) -> Option<([f64; LANES * 8], [f64; LANES * 8], [f64; LANES])> {
    let full = exps.len() / LANES * LANES;
    let rest = exps.len() - full;
    (rest > 0).then(|| {
        let (mut x, mut xc, mut e) = ([0.0; LANES * 8], [0.0; LANES * 8], [0.0; LANES]);
        x[..rest * D].copy_from_slice(&xs[full * D..]);
        xc[..rest * D].copy_from_slice(&cs[full * D..]);
        e[..rest].copy_from_slice(&exps[full..]);
        (x, xc, e)
    })
}

/// The whole blocks of two rows (`LANES`): LANES·D states, LANES·D clean states, LANES numerators.
fn whole_blocks<'a, const D: usize>(
    xs: &'a [f64],
    cs: &'a [f64],
    exps: &'a [f64],
) -> impl Iterator<Item = (&'a [f64], &'a [f64], &'a [f64])> {
    xs.chunks_exact(LANES * D)
        .zip(cs.chunks_exact(LANES * D))
        .zip(exps.chunks_exact(LANES))
        .map(|((x, xc), e)| (x, xc, e))
}

/// Component j of a block's two rows, side by side.
#[inline(always)]
fn component<const D: usize>(block: &[f64], j: usize) -> f64x2 {
    f64x2::new([block[j], block[D + j]])
}

/// A block's reconstruction errors err_t = (c/Σe) e_t x̃_t − x_t, component by component, summed
/// the same way by both passes: returns (‖err_t‖², x̃_t·err_t) for the block's two rows.
#[inline(always)]
fn block_errors<const D: usize>(
    xs: &[f64x2; D],
    xc: &[f64],
    e: f64x2,
    c_over_sum: f64,
) -> (f64x2, f64x2) {
    let ca = e * f64x2::splat(c_over_sum);
    let err0 = ca * xs[0] - component::<D>(xc, 0);
    let (mut squared, mut x_dot_err) = (err0 * err0, xs[0] * err0);
    for (j, xj) in xs.iter().enumerate().skip(1) {
        let err = ca * *xj - component::<D>(xc, j);
        squared += err * err;
        x_dot_err += *xj * err;
    }
    (squared, x_dot_err)
}

impl<const D: usize> LaneSums<D> {
    /// One block of two rows into the lanes.
    #[inline(always)]
    fn add_block(&mut self, x: &[f64], xc: &[f64], e: &[f64], c_over_sum: f64) {
        let (x, xc) = (&x[..LANES * D], &xc[..LANES * D]);
        let e = f64x2::new([e[0], e[1]]);
        let xs: [f64x2; D] = std::array::from_fn(|j| component::<D>(x, j));
        let (squared, x_dot_err) = block_errors::<D>(&xs, xc, e, c_over_sum);
        self.squared_error += squared;
        let e_xerr = e * x_dot_err;
        self.e_xerr += e_xerr;
        for (j, xj) in xs.iter().enumerate() {
            self.e_xerr_x[j] += e_xerr * *xj;
            self.e_x[j] += e * *xj;
        }
    }
}

/// The loss's and gradient's sums, from the softmax numerators `exps` and their sum (so
/// a_t = e_t/sum), with the reconstruction scale c and g_t = (2c/N) x̃_t·(c a_t x̃_t − x_t). Rows
/// are taken two at a time (`LANES`) with a running sum per lane, so the arithmetic vectorises.
pub fn gradient_sums<const D: usize>(
    xs: &[f64],
    cs: &[f64],
    exps: &[f64],
    sum: f64,
    c: f64,
) -> GradientSums<D> {
    let inv_sum = 1.0 / sum;
    let c_over_sum = c * inv_sum;
    let zero = f64x2::splat(0.0);
    let mut lanes = LaneSums::<D> {
        squared_error: zero,
        e_xerr_x: [zero; D],
        e_x: [zero; D],
        e_xerr: zero,
    };
    for (x, xc, e) in whole_blocks::<D>(xs, cs, exps) {
        lanes.add_block(x, xc, e, c_over_sum);
    }
    if let Some((x, xc, e)) = last_block::<D>(xs, cs, exps) {
        lanes.add_block(&x, &xc, &e, c_over_sum);
    }
    // g_t carries 2c/N, and a_t carries 1/Σe.
    let k = (2.0 * c / exps.len() as f64) * inv_sum;
    GradientSums {
        squared_error: combine(lanes.squared_error),
        weighted_gx: lanes.e_xerr_x.map(|l| k * combine(l)),
        weighted_x: lanes.e_x.map(|l| inv_sum * combine(l)),
        g_bar: k * combine(lanes.e_xerr),
        a_total: sum * inv_sum,
    }
}

/// Σ_t ‖r_t − x_t‖² with a_t = e_t/sum, summed in lanes exactly as [`gradient_sums`] does (so the
/// two give the same loss), and the attention e_t/sum into `attention`.
pub fn squared_error_and_attention<const D: usize>(
    xs: &[f64],
    cs: &[f64],
    exps: &[f64],
    sum: f64,
    c: f64,
    attention: &mut [f64],
) -> f64 {
    for (out, e) in attention.iter_mut().zip(exps) {
        *out = e / sum;
    }
    let c_over_sum = c * (1.0 / sum);
    let add = |lanes: &mut f64x2, x: &[f64], xc: &[f64], e: &[f64]| {
        let (x, xc) = (&x[..LANES * D], &xc[..LANES * D]);
        let xs: [f64x2; D] = std::array::from_fn(|j| component::<D>(x, j));
        *lanes += block_errors::<D>(&xs, xc, f64x2::new([e[0], e[1]]), c_over_sum).0;
    };
    let mut squared_error = f64x2::splat(0.0);
    for (x, xc, e) in whole_blocks::<D>(xs, cs, exps) {
        add(&mut squared_error, x, xc, e);
    }
    if let Some((x, xc, e)) = last_block::<D>(xs, cs, exps) {
        add(&mut squared_error, &x, &xc, &e);
    }
    combine(squared_error)
}

// j and k index the centred row twice: ranges read clearer than nested zips.
#[allow(clippy::needless_range_loop)]
/// The w-block of the Hessian, Σ_t a_t (q_t a_t + g_t − ḡ) δ_t δ_tᵀ with q_t = (2c²/N)‖x̃_t‖² and
/// δ_t = x̃_t − x̄, from the gradient pass's ḡ and x̄ = Σ_t a_t x̃_t.
pub fn hessian_sums<const D: usize>(
    xs: &[f64],
    cs: &[f64],
    exps: &[f64],
    inv_sum: f64,
    c: f64,
    gradient: &GradientSums<D>,
) -> [[f64; D]; D] {
    let n = exps.len() as f64;
    let (two_c_over_n, two_c2_over_n) = (2.0 * c / n, 2.0 * c * c / n);
    let mut h = [[0.0; D]; D];
    for ((x, xc), e) in rows::<D>(xs).zip(rows::<D>(cs)).zip(exps) {
        let a = e * inv_sum;
        let mut x_dot_err = 0.0;
        for j in 0..D {
            x_dot_err += x[j] * (c * a * x[j] - xc[j]);
        }
        let g = two_c_over_n * x_dot_err;
        let weight = a * (two_c2_over_n * dot(x, x) * a + g - gradient.g_bar);
        let mut delta = [0.0; D];
        for j in 0..D {
            delta[j] = x[j] - gradient.weighted_x[j];
        }
        for j in 0..D {
            for k in 0..=j {
                h[j][k] += weight * delta[j] * delta[k];
            }
        }
    }
    for j in 0..D {
        for k in 0..j {
            h[k][j] = h[j][k];
        }
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The sums written the plain way: one row after another, no lanes.
    fn sequential<const D: usize>(xs: &[f64], cs: &[f64], exps: &[f64], c: f64) -> [f64; 5] {
        let inv_sum = 1.0 / exps.iter().sum::<f64>();
        let k = 2.0 * c / exps.len() as f64;
        let (mut se, mut gx, mut wx, mut gb, mut at) = (0.0, 0.0, 0.0, 0.0, 0.0);
        for ((x, xc), e) in xs.chunks(D).zip(cs.chunks(D)).zip(exps) {
            let a = e * inv_sum;
            let mut xde = 0.0;
            for j in 0..D {
                let err = c * a * x[j] - xc[j];
                se += err * err;
                xde += x[j] * err;
            }
            gb += a * k * xde;
            at += a;
            gx += a * k * xde * x[D - 1];
            wx += a * x[0];
        }
        [se, gx, wx, gb, at]
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-13 * a.abs().max(b.abs()).max(1e-300)
    }

    #[test]
    fn lane_sums_equal_the_plain_sums_for_odd_and_even_lengths() {
        for n in [1, 2, 3, 7, 8, 1001] {
            let xs: Vec<f64> = (0..3 * n).map(|i| 1.0 + (i as f64 * 0.7).sin()).collect();
            let cs: Vec<f64> = (0..3 * n).map(|i| 1.0 + (i as f64 * 0.3).cos()).collect();
            let exps: Vec<f64> = (0..n).map(|i| 0.1 + (i as f64 * 1.3).sin().abs()).collect();
            let lanes = gradient_sums::<3>(&xs, &cs, &exps, exps.iter().sum(), n as f64);
            let plain = sequential::<3>(&xs, &cs, &exps, n as f64);
            let got = [
                lanes.squared_error,
                lanes.weighted_gx[2],
                lanes.weighted_x[0],
                lanes.g_bar,
                lanes.a_total,
            ];
            for (g, p) in got.iter().zip(plain) {
                assert!(close(*g, p), "n = {n}: {got:?} vs {plain:?}");
            }
            let mut attention = vec![0.0; n];
            let sum = exps.iter().sum::<f64>();
            let se =
                squared_error_and_attention::<3>(&xs, &cs, &exps, sum, n as f64, &mut attention);
            assert_eq!(se.to_bits(), lanes.squared_error.to_bits(), "n = {n}");
        }
    }
}
