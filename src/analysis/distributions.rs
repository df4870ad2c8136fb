//! The few distribution functions the statistics need, in pure arithmetic plus `libm` (so the
//! same bits natively and in wasm32): the standard normal's CDF and quantile, and binomial tail
//! probabilities. Checked against SciPy in `tests/reference/check_stats.py`.

/// Φ(z), the standard normal CDF, from `libm::erfc` (accurate in both tails).
pub fn normal_cdf(z: f64) -> f64 {
    0.5 * libm::erfc(-z / std::f64::consts::SQRT_2)
}

/// Φ⁻¹(p) for 0 < p < 1 (±∞ at 0 and 1): Acklam's rational approximation (relative error
/// 1.15e-9) on the lower half, refined by one Halley step on [`normal_cdf`] to full double
/// precision; the upper half by symmetry, Φ⁻¹(p) = −Φ⁻¹(1 − p).
pub fn normal_quantile(p: f64) -> f64 {
    if p <= 0.0 {
        return f64::NEG_INFINITY;
    }
    if p >= 1.0 {
        return f64::INFINITY;
    }
    if p > 0.5 {
        // 1 − p is exact here (Sterbenz), and the lower tail refines accurately.
        return -normal_quantile(1.0 - p);
    }
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] = [
        7.784_695_709_041_462e-3,
        3.224_671_290_700_398e-1,
        2.445_134_137_142_996,
        3.754_408_661_907_416,
    ];
    const LOW: f64 = 0.024_25;
    let x = if p < LOW {
        let q = (-2.0 * libm::log(p)).sqrt();
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    } else {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    };
    // One Halley step: e = Φ(x) − p, u = e·√(2π)·exp(x²/2).
    let e = normal_cdf(x) - p;
    let u = e * (2.0 * std::f64::consts::PI).sqrt() * libm::exp(x * x / 2.0);
    x - u / (1.0 + x * u / 2.0)
}

/// ln C(n, k), exact to rounding for the n the lab uses (a sum of logarithms, no gamma function).
fn ln_choose(n: u64, k: u64) -> f64 {
    let k = k.min(n - k);
    (0..k)
        .map(|i| libm::log((n - i) as f64) - libm::log((i + 1) as f64))
        .sum()
}

/// P(X = k) for X ~ Binomial(n, p).
pub fn binomial_pmf(n: u64, k: u64, p: f64) -> f64 {
    if k > n {
        return 0.0;
    }
    if p <= 0.0 {
        return if k == 0 { 1.0 } else { 0.0 };
    }
    if p >= 1.0 {
        return if k == n { 1.0 } else { 0.0 };
    }
    libm::exp(ln_choose(n, k) + k as f64 * libm::log(p) + (n - k) as f64 * libm::log1p(-p))
}

/// P(X ≤ k) for X ~ Binomial(n, p), summed term by term (n is a number of seeds: small).
pub fn binomial_cdf(n: u64, k: u64, p: f64) -> f64 {
    if k >= n {
        return 1.0;
    }
    (0..=k).map(|i| binomial_pmf(n, i, p)).sum::<f64>().min(1.0)
}

/// P(X ≥ k) for X ~ Binomial(n, p).
pub fn binomial_sf(n: u64, k: u64, p: f64) -> f64 {
    if k == 0 {
        return 1.0;
    }
    (k..=n).map(|i| binomial_pmf(n, i, p)).sum::<f64>().min(1.0)
}

/// Two-sided 95% critical values t₀.₉₇₅(df) for df = 1..=30 (standard tables, 3 decimals).
const T_975: [f64; 30] = [
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160,
    2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056,
    2.052, 2.048, 2.045, 2.042,
];
/// (df, t₀.₉₇₅) beyond 30; interpolated linearly in 1/df, with 1.960 as df → ∞.
const T_975_TAIL: [(f64, f64); 3] = [(40.0, 2.021), (60.0, 2.000), (120.0, 1.980)];

/// t₀.₉₇₅ with `df` degrees of freedom (df ≥ 1), to the table's 3 decimals.
pub fn t_975(df: usize) -> f64 {
    if df == 0 {
        return f64::INFINITY;
    }
    if df <= 30 {
        return T_975[df - 1];
    }
    let inv = 1.0 / df as f64;
    let mut prev = (30.0, T_975[29]);
    for &(d, t) in T_975_TAIL
        .iter()
        .chain(std::iter::once(&(f64::INFINITY, 1.960)))
    {
        if (df as f64) <= d {
            let (inv_lo, inv_hi) = (1.0 / d, 1.0 / prev.0);
            let w = (inv - inv_lo) / (inv_hi - inv_lo);
            return t + w * (prev.1 - t);
        }
        prev = (d, t);
    }
    1.960
}
