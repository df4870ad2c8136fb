//! Mean, standard deviation and a 95% confidence interval for the mean (Student's t interval,
//! mean ± t₀.₉₇₅(n−1)·s/√n) over runs that differ only in their seed.

pub use crate::analysis::distributions::t_975;
use serde::Serialize;

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
