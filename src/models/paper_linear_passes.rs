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

/// The scores s_t = b + w·x̃_t into `scores` (cleared first); returns their maximum (a maximum
/// is exact in any order, so it is taken in two lanes (`LANES`) that pipeline).
pub fn scores<const D: usize>(theta: &[f64], xs: &[f64], scores: &mut Vec<f64>) -> f64 {
    let w: &[f64; D] = theta[..D].try_into().expect("D weights");
    let b = theta[D];
    scores.clear();
    scores.extend(rows::<D>(xs).map(|x| b + dot(w, x)));
    let mut lanes = [f64::NEG_INFINITY; LANES];
    let mut chunks = scores.chunks_exact(LANES);
    for chunk in &mut chunks {
        for (lane, s) in lanes.iter_mut().zip(chunk) {
            // Not f64::max, whose NaN handling costs three more operations in the chain: a NaN
            // score fails the test and is skipped, as f64::max would, and reaches the sum of
            // the numerators through exp(NaN − max) = NaN.
            *lane = if *s > *lane { *s } else { *lane };
        }
    }
    let rest = chunks.remainder().iter().copied();
    lanes
        .into_iter()
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

/// The sums of [`GradientSums`], one running sum per lane (row t in lane t mod 2), each pair of
/// lanes one `f64x2`: SSE2 natively, `simd128` in wasm, plain arrays elsewhere. Explicit
/// vectors because the compiler's own vectorisation of this pass mixed scalar and vector
/// operations and shuffled between them (`perf annotate`); only +, − and × are used, never a
/// fused multiply-add, so every target rounds the same way.
struct LaneSums<const D: usize> {
    squared_error: f64x2,
    weighted_gx: [f64x2; D],
    weighted_x: [f64x2; D],
    g_bar: f64x2,
    a_total: f64x2,
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

impl<const D: usize> LaneSums<D> {
    /// One block of two rows into the lanes, with a_t = e_t·(1/Σe) and
    /// g_t = (2c/N) x̃_t·(c a_t x̃_t − x_t).
    #[inline(always)]
    fn add_block(&mut self, x: &[f64], xc: &[f64], e: &[f64], inv_sum: f64, c: f64, k: f64) {
        let (x, xc) = (&x[..LANES * D], &xc[..LANES * D]);
        let a = f64x2::new([e[0], e[1]]) * f64x2::splat(inv_sum);
        let ca = f64x2::splat(c) * a;
        let xs: [f64x2; D] = std::array::from_fn(|j| component::<D>(x, j));
        let mut x_dot_err = f64x2::splat(0.0);
        for (j, xj) in xs.iter().enumerate() {
            let err = ca * *xj - component::<D>(xc, j);
            self.squared_error += err * err;
            x_dot_err += *xj * err;
        }
        let ag = a * (f64x2::splat(k) * x_dot_err);
        self.g_bar += ag;
        self.a_total += a;
        for (j, xj) in xs.iter().enumerate() {
            self.weighted_gx[j] += ag * *xj;
            self.weighted_x[j] += a * *xj;
        }
    }
}

/// The loss's and gradient's sums, from the softmax numerators `exps` and 1/Σ exps, with the
/// reconstruction scale c and g_t = (2c/N) x̃_t·(c a_t x̃_t − x_t). Rows are taken
/// two at a time (`LANES`) with a running sum per lane, so the arithmetic vectorises.
pub fn gradient_sums<const D: usize>(
    xs: &[f64],
    cs: &[f64],
    exps: &[f64],
    inv_sum: f64,
    c: f64,
) -> GradientSums<D> {
    let k = 2.0 * c / exps.len() as f64;
    let zero = f64x2::splat(0.0);
    let mut lanes = LaneSums::<D> {
        squared_error: zero,
        weighted_gx: [zero; D],
        weighted_x: [zero; D],
        g_bar: zero,
        a_total: zero,
    };
    for (x, xc, e) in whole_blocks::<D>(xs, cs, exps) {
        lanes.add_block(x, xc, e, inv_sum, c, k);
    }
    if let Some((x, xc, e)) = last_block::<D>(xs, cs, exps) {
        lanes.add_block(&x, &xc, &e, inv_sum, c, k);
    }
    GradientSums {
        squared_error: combine(lanes.squared_error),
        weighted_gx: lanes.weighted_gx.map(combine),
        weighted_x: lanes.weighted_x.map(combine),
        g_bar: combine(lanes.g_bar),
        a_total: combine(lanes.a_total),
    }
}

/// Σ_t ‖r_t − x_t‖² of one block into `lanes`, as [`LaneSums::add_block`] sums it.
#[inline(always)]
fn add_squared_error<const D: usize>(
    lanes: &mut f64x2,
    x: &[f64],
    xc: &[f64],
    e: &[f64],
    inv_sum: f64,
    c: f64,
) {
    let (x, xc) = (&x[..LANES * D], &xc[..LANES * D]);
    let ca = f64x2::splat(c) * (f64x2::new([e[0], e[1]]) * f64x2::splat(inv_sum));
    for j in 0..D {
        let err = ca * component::<D>(x, j) - component::<D>(xc, j);
        *lanes += err * err;
    }
}

/// Σ_t ‖r_t − x_t‖² with a_t = e_t·(1/Σe), summed in lanes exactly as [`gradient_sums`] does
/// (so the two give the same loss), and the attention e_t/Σe into `attention`.
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
    let inv_sum = 1.0 / sum;
    let mut squared_error = f64x2::splat(0.0);
    for (x, xc, e) in whole_blocks::<D>(xs, cs, exps) {
        add_squared_error::<D>(&mut squared_error, x, xc, e, inv_sum, c);
    }
    if let Some((x, xc, e)) = last_block::<D>(xs, cs, exps) {
        add_squared_error::<D>(&mut squared_error, &x, &xc, &e, inv_sum, c);
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
            let inv_sum = 1.0 / exps.iter().sum::<f64>();
            let lanes = gradient_sums::<3>(&xs, &cs, &exps, inv_sum, n as f64);
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
