//! Intervals that stay inside their quantity's domain:
//!
//! - [`geometric_interval`]: for positive ratios (max/min, deviation ratios, ESS): a Student t
//!   interval on the logarithms, exponentiated. It is always positive, and it is the interval of
//!   the geometric mean, the natural centre of a ratio;
//! - [`bootstrap_bca`]: for means of skewed quantities such as per-seed correlations: the BCa
//!   bootstrap (Efron 1987) with a seeded ChaCha8 stream, so a report is reproducible. A mean of
//!   values in [−1, 1] gives an interval in [−1, 1];
//! - [`clopper_pearson`]: for a fraction k/n (of seeds with the claimed sign): the exact
//!   binomial interval, always in [0, 1].
//!
//! All three are checked for coverage by simulation in the tests (`tests/it/honest_stats.rs`).

use crate::analysis::distributions::{
    binomial_cdf, binomial_sf, normal_cdf, normal_quantile, t_975,
};
use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

/// A point estimate with a 95% interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Interval {
    pub estimate: f64,
    pub low: f64,
    pub high: f64,
}

impl Interval {
    /// Whether the interval lies wholly above (`Some(true)`) or below (`Some(false)`) `null`.
    pub fn side_of(&self, null: f64) -> Option<bool> {
        if self.low > null {
            Some(true)
        } else if self.high < null {
            Some(false)
        } else {
            None
        }
    }

    pub fn contains(&self, value: f64) -> bool {
        self.low <= value && value <= self.high
    }
}

/// The geometric mean of positive values with the 95% interval exp(mean ± t·sd/√n) of their
/// logarithms. `None` if fewer than two values are positive and finite (the others are left
/// out: a ratio that is not positive is not a ratio).
pub fn geometric_interval(values: &[f64]) -> Option<Interval> {
    let logs: Vec<f64> = values
        .iter()
        .filter(|v| v.is_finite() && **v > 0.0)
        .map(|v| libm::log(*v))
        .collect();
    let n = logs.len();
    if n < 2 {
        return None;
    }
    let mean = logs.iter().sum::<f64>() / n as f64;
    let var = logs.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / (n - 1) as f64;
    let half = t_975(n - 1) * var.sqrt() / (n as f64).sqrt();
    Some(Interval {
        estimate: libm::exp(mean),
        low: libm::exp(mean - half),
        high: libm::exp(mean + half),
    })
}

/// Bootstrap resamples used by [`bootstrap_bca`].
pub const BOOTSTRAP_RESAMPLES: usize = 4000;

/// The mean with its 95% BCa bootstrap interval, from [`BOOTSTRAP_RESAMPLES`] resamples drawn
/// from a ChaCha8 stream seeded with `seed`. `None` for fewer than two values.
///
/// BCa corrects the percentile interval for the bias z₀ = Φ⁻¹(share of resampled means below the
/// mean) and the skewness through the jackknife acceleration a. When every resample falls on one
/// side (z₀ infinite), it falls back to the percentile interval.
pub fn bootstrap_bca(values: &[f64], seed: u64) -> Option<Interval> {
    let n = values.len();
    if n < 2 || values.iter().any(|v| !v.is_finite()) {
        return None;
    }
    let mean = values.iter().sum::<f64>() / n as f64;
    if values.iter().all(|v| *v == values[0]) {
        return Some(Interval {
            estimate: mean,
            low: mean,
            high: mean,
        });
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut means: Vec<f64> = (0..BOOTSTRAP_RESAMPLES)
        .map(|_| {
            let sum: f64 = (0..n).map(|_| values[uniform_index(&mut rng, n)]).sum();
            sum / n as f64
        })
        .collect();
    means.sort_by(f64::total_cmp);
    let below = means.iter().filter(|m| **m < mean).count() as f64;
    let ties = means.iter().filter(|m| **m == mean).count() as f64;
    let z0 = normal_quantile((below + ties / 2.0) / BOOTSTRAP_RESAMPLES as f64);
    // Jackknife acceleration.
    let total: f64 = values.iter().sum();
    let jack: Vec<f64> = values
        .iter()
        .map(|v| (total - v) / (n - 1) as f64)
        .collect();
    let jack_mean = jack.iter().sum::<f64>() / n as f64;
    let (num, den) = jack.iter().fold((0.0, 0.0), |(num, den), j| {
        let d = jack_mean - j;
        (num + d * d * d, den + d * d)
    });
    let a = if den > 0.0 {
        num / (6.0 * den * den.sqrt())
    } else {
        0.0
    };
    let level = |alpha: f64| {
        if !z0.is_finite() {
            return alpha;
        }
        let z = normal_quantile(alpha);
        normal_cdf(z0 + (z0 + z) / (1.0 - a * (z0 + z)))
    };
    Some(Interval {
        estimate: mean,
        low: percentile(&means, level(0.025)),
        high: percentile(&means, level(0.975)),
    })
}

/// A uniform index in 0..n without modulo bias (rejection on the top bits).
fn uniform_index(rng: &mut ChaCha8Rng, n: usize) -> usize {
    let n = n as u64;
    let zone = u64::MAX - (u64::MAX % n);
    loop {
        let x = rng.next_u64();
        if x < zone {
            return (x % n) as usize;
        }
    }
}

/// The q-quantile of sorted values, linearly interpolated between order statistics.
pub fn percentile(sorted: &[f64], q: f64) -> f64 {
    let pos = q.clamp(0.0, 1.0) * (sorted.len() - 1) as f64;
    let lo = pos.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    let w = pos - lo as f64;
    sorted[lo] + w * (sorted[hi] - sorted[lo])
}

/// The exact (Clopper–Pearson) 95% interval for a binomial proportion k/n: the p at which
/// P(X ≥ k) = 2.5% and P(X ≤ k) = 2.5%, found by bisection on the binomial tails.
///
/// # Panics
/// If `n == 0` or `k > n`.
pub fn clopper_pearson(k: u64, n: u64) -> Interval {
    assert!(n > 0 && k <= n, "clopper_pearson needs 0 ≤ k ≤ n, n > 0");
    let bisect = |f: &dyn Fn(f64) -> bool| {
        // f is false below the root and true above it.
        let (mut lo, mut hi) = (0.0_f64, 1.0_f64);
        for _ in 0..200 {
            let mid = 0.5 * (lo + hi);
            if f(mid) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        0.5 * (lo + hi)
    };
    let low = if k == 0 {
        0.0
    } else {
        bisect(&|p| binomial_sf(n, k, p) >= 0.025)
    };
    let high = if k == n {
        1.0
    } else {
        bisect(&|p| binomial_cdf(n, k, p) <= 0.025)
    };
    Interval {
        estimate: k as f64 / n as f64,
        low,
        high,
    }
}
