//! The exact two-sided sign test: is the median of per-seed values different from zero? It
//! assumes nothing about their distribution (per-seed correlations are skewed and bounded), and
//! its effect size is the fraction of seeds on one side, reported with a Clopper–Pearson
//! interval.

use crate::analysis::distributions::binomial_cdf;
use crate::analysis::intervals::{bootstrap_bca, clopper_pearson, Interval};
use serde::Serialize;

/// Two-sided p-value of the sign test with `negative` values below and `positive` above zero
/// (zeros are dropped): 2·P(X ≤ min) for X ~ Binomial(n, ½), at most 1. With no non-zero value
/// the p-value is 1.
pub fn sign_test_p(negative: u64, positive: u64) -> f64 {
    let n = negative + positive;
    if n == 0 {
        return 1.0;
    }
    (2.0 * binomial_cdf(n, negative.min(positive), 0.5)).min(1.0)
}

/// What a set of per-seed values says about the sign of their centre.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SignEvidence {
    /// Values present (finite).
    pub n: usize,
    /// Values missing (undefined in that run).
    pub missing: usize,
    /// Values below zero.
    pub negative: usize,
    /// Values above zero.
    pub positive: usize,
    /// Share of the non-zero values that are negative, with its Clopper–Pearson interval.
    pub share_negative: Option<Interval>,
    /// Exact two-sided sign-test p-value (before any multiplicity correction).
    pub p_value: f64,
    /// The mean with its BCa bootstrap interval (`None` for fewer than two values).
    pub mean: Option<Interval>,
}

impl SignEvidence {
    /// Evidence from per-seed values; `None` entries are runs where the value is undefined.
    /// `seed` seeds the bootstrap, so a report is reproducible.
    pub fn from_values(values: &[Option<f64>], seed: u64) -> SignEvidence {
        let present: Vec<f64> = values
            .iter()
            .flatten()
            .copied()
            .filter(|v| v.is_finite())
            .collect();
        let negative = present.iter().filter(|v| **v < 0.0).count();
        let positive = present.iter().filter(|v| **v > 0.0).count();
        let nonzero = (negative + positive) as u64;
        SignEvidence {
            n: present.len(),
            missing: values.len() - present.len(),
            negative,
            positive,
            share_negative: (nonzero > 0).then(|| clopper_pearson(negative as u64, nonzero)),
            p_value: sign_test_p(negative as u64, positive as u64),
            mean: bootstrap_bca(&present, seed),
        }
    }
}
