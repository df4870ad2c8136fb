//! Mean, standard deviation and a 95% confidence interval for the mean (Student's t interval,
//! mean ± t₀.₉₇₅(n−1)·s/√n) over runs that differ only in their seed.

use serde::Serialize;

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

/// Summary of one metric over runs. `None` values (an undefined metric in some run) are left
/// out and counted in `missing`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    pub n: usize,
    pub missing: usize,
    pub mean: Option<f64>,
    pub sd: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
}

pub fn summarize(values: &[Option<f64>]) -> Summary {
    let present: Vec<f64> = values
        .iter()
        .flatten()
        .copied()
        .filter(|v| v.is_finite())
        .collect();
    let n = present.len();
    let missing = values.len() - n;
    if n == 0 {
        return Summary {
            n,
            missing,
            mean: None,
            sd: None,
            ci_low: None,
            ci_high: None,
        };
    }
    let mean = present.iter().sum::<f64>() / n as f64;
    if n == 1 {
        return Summary {
            n,
            missing,
            mean: Some(mean),
            sd: None,
            ci_low: None,
            ci_high: None,
        };
    }
    let sd = (present.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / (n - 1) as f64).sqrt();
    let half = t_975(n - 1) * sd / (n as f64).sqrt();
    Summary {
        n,
        missing,
        mean: Some(mean),
        sd: Some(sd),
        ci_low: Some(mean - half),
        ci_high: Some(mean + half),
    }
}
