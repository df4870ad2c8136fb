//! The paper-linear model's passes over the data, compiled once per state dimension D (a const
//! generic, dispatched by [`by_dimension!`](crate::by_dimension)): with D known the inner loops
//! unroll, the rows are fixed-size arrays without bounds checks, and the score pass vectorises.
//! The arithmetic and its order are those of the formulas in [`super::paper_linear`].

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

/// The scores s_t = b + w·x̃_t into `scores` (cleared first); returns their maximum.
pub fn scores<const D: usize>(theta: &[f64], xs: &[f64], scores: &mut Vec<f64>) -> f64 {
    let w: &[f64; D] = theta[..D].try_into().expect("D weights");
    let b = theta[D];
    scores.clear();
    scores.extend(rows::<D>(xs).map(|x| b + dot(w, x)));
    scores.iter().copied().fold(f64::NEG_INFINITY, f64::max)
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

// j indexes a row, the clean row and two sums in step: a range reads clearer than four zips.
#[allow(clippy::needless_range_loop)]
/// The loss's and gradient's sums, from the softmax numerators `exps` and 1/Σ exps, with the
/// reconstruction scale c and g_t = (2c/N) x̃_t·(c a_t x̃_t − x_t).
pub fn gradient_sums<const D: usize>(
    xs: &[f64],
    cs: &[f64],
    exps: &[f64],
    inv_sum: f64,
    c: f64,
) -> GradientSums<D> {
    let two_c_over_n = 2.0 * c / exps.len() as f64;
    let mut sums = GradientSums {
        squared_error: 0.0,
        weighted_gx: [0.0; D],
        weighted_x: [0.0; D],
        g_bar: 0.0,
        a_total: 0.0,
    };
    for ((x, xc), e) in rows::<D>(xs).zip(rows::<D>(cs)).zip(exps) {
        let a = e * inv_sum;
        let mut x_dot_err = 0.0;
        for j in 0..D {
            let err = c * a * x[j] - xc[j];
            sums.squared_error += err * err;
            x_dot_err += x[j] * err;
        }
        let g = two_c_over_n * x_dot_err;
        sums.g_bar += a * g;
        sums.a_total += a;
        for j in 0..D {
            sums.weighted_gx[j] += a * g * x[j];
            sums.weighted_x[j] += a * x[j];
        }
    }
    sums
}

/// Σ_t ‖r_t − x_t‖² with a_t = e_t·(1/Σe), and the attention e_t/Σe into `attention`.
pub fn squared_error_and_attention<const D: usize>(
    xs: &[f64],
    cs: &[f64],
    exps: &[f64],
    sum: f64,
    c: f64,
    attention: &mut [f64],
) -> f64 {
    let inv_sum = 1.0 / sum;
    let mut squared_error = 0.0;
    for (((x, xc), e), out) in rows::<D>(xs)
        .zip(rows::<D>(cs))
        .zip(exps)
        .zip(attention.iter_mut())
    {
        *out = e / sum;
        let a = e * inv_sum;
        for j in 0..D {
            let err = c * a * x[j] - xc[j];
            squared_error += err * err;
        }
    }
    squared_error
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
