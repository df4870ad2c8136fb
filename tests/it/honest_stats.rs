//! Guards the statistics every report uses: the distribution functions against SciPy's values
//! (`tests/fixtures/stats_reference.json`, written by `tests/reference/stats_reference.py`), and
//! the intervals by coverage simulation on distributions with a known answer. If these fail, the
//! intervals and verdicts in FINDINGS.md and the page cannot be trusted.

use lyapunov_lens::analysis::distributions::{binomial_cdf, normal_cdf, normal_quantile};
use lyapunov_lens::analysis::intervals::{
    bootstrap_bca, clopper_pearson, geometric_interval, percentile,
};
use lyapunov_lens::analysis::multiplicity::holm;
use lyapunov_lens::analysis::sign_test::{sign_test_p, SignEvidence};
use lyapunov_lens::observations::gaussian_noise::StandardNormal;

const REFERENCE: &str = include_str!("../fixtures/stats_reference.json");

fn reference() -> serde_json::Value {
    serde_json::from_str(REFERENCE).expect("valid JSON")
}

fn close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * b.abs().max(1e-300)
}

#[test]
fn normal_cdf_and_quantile_match_scipy() {
    let r = reference();
    for row in r["normal_ppf"].as_array().unwrap() {
        let (p, x) = (row[0].as_f64().unwrap(), row[1].as_f64().unwrap());
        assert!(
            close(normal_quantile(p), x, 1e-12),
            "Φ⁻¹({p}) = {} vs SciPy {x}",
            normal_quantile(p)
        );
    }
    for row in r["normal_cdf"].as_array().unwrap() {
        let (z, p) = (row[0].as_f64().unwrap(), row[1].as_f64().unwrap());
        assert!(
            close(normal_cdf(z), p, 1e-13),
            "Φ({z}) = {} vs {p}",
            normal_cdf(z)
        );
    }
}

#[test]
fn binomial_tails_sign_test_and_clopper_pearson_match_scipy() {
    let r = reference();
    for row in r["binom_cdf"].as_array().unwrap() {
        let (n, k, p, want) = (
            row[0].as_u64().unwrap(),
            row[1].as_u64().unwrap(),
            row[2].as_f64().unwrap(),
            row[3].as_f64().unwrap(),
        );
        assert!(
            close(binomial_cdf(n, k, p), want, 1e-12),
            "binomial_cdf({n}, {k}, {p}) = {} vs {want}",
            binomial_cdf(n, k, p)
        );
    }
    for row in r["sign_test"].as_array().unwrap() {
        let (neg, pos, want) = (
            row[0].as_u64().unwrap(),
            row[1].as_u64().unwrap(),
            row[2].as_f64().unwrap(),
        );
        assert!(
            close(sign_test_p(neg, pos), want, 1e-12),
            "sign test ({neg}, {pos}) = {} vs {want}",
            sign_test_p(neg, pos)
        );
    }
    for row in r["clopper_pearson"].as_array().unwrap() {
        let (k, n, lo, hi) = (
            row[0].as_u64().unwrap(),
            row[1].as_u64().unwrap(),
            row[2].as_f64().unwrap(),
            row[3].as_f64().unwrap(),
        );
        let ci = clopper_pearson(k, n);
        assert!(
            (ci.low - lo).abs() < 1e-10 && (ci.high - hi).abs() < 1e-10,
            "CP({k}/{n}) = [{}, {}] vs [{lo}, {hi}]",
            ci.low,
            ci.high
        );
    }
    for case in r["holm"].as_array().unwrap() {
        let p: Vec<f64> = case[0]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_f64().unwrap())
            .collect();
        let want: Vec<f64> = case[1]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_f64().unwrap())
            .collect();
        let got = holm(&p);
        for (g, w) in got.iter().zip(&want) {
            assert!(close(*g, *w, 1e-12), "holm({p:?}) = {got:?} vs {want:?}");
        }
    }
}

#[test]
fn clopper_pearson_covers_at_least_95_percent_exactly() {
    // Exact coverage: Σ_k P(X = k) · [p ∈ CP(k)], for several true p and n.
    for n in [8u64, 20, 50] {
        for p in [0.05, 0.3, 0.5, 0.77] {
            let coverage: f64 = (0..=n)
                .filter(|&k| clopper_pearson(k, n).contains(p))
                .map(|k| lyapunov_lens::analysis::distributions::binomial_pmf(n, k, p))
                .sum();
            assert!(
                coverage >= 0.95,
                "CP coverage {coverage} at n = {n}, p = {p}"
            );
        }
    }
}

/// Coverage of `interval` over `trials` samples of size `n` drawn by `draw`.
fn coverage(
    trials: usize,
    n: usize,
    truth: f64,
    mut draw: impl FnMut(&mut StandardNormal) -> f64,
    interval: impl Fn(&[f64], u64) -> Option<(f64, f64)>,
) -> f64 {
    let mut normal = StandardNormal::new(20_250_506);
    let mut hits = 0;
    for trial in 0..trials {
        let sample: Vec<f64> = (0..n).map(|_| draw(&mut normal)).collect();
        let (lo, hi) = interval(&sample, trial as u64).expect("an interval");
        assert!(lo <= hi);
        if lo <= truth && truth <= hi {
            hits += 1;
        }
    }
    hits as f64 / trials as f64
}

#[test]
fn geometric_interval_covers_the_geometric_mean_of_a_lognormal() {
    // log X ~ N(0.3, 1): the geometric mean is e^0.3, and the log-scale t interval is exact.
    let c = coverage(
        2000,
        20,
        libm::exp(0.3),
        |z| libm::exp(0.3 + z.sample()),
        |x, _| geometric_interval(x).map(|i| (i.low, i.high)),
    );
    println!("geometric interval coverage (lognormal, n = 20, 2000 trials): {c:.3}");
    assert!((0.93..=0.97).contains(&c), "coverage {c}");
}

#[test]
fn bca_covers_the_mean_of_a_skewed_bounded_quantity() {
    // X = tanh(−0.3 + 0.8 Z)², a skewed quantity in [0, 1]; its mean by quadrature over Z.
    let f = |z: f64| libm::tanh(-0.3 + 0.8 * z).powi(2);
    let truth: f64 = {
        let (steps, span) = (20_000, 10.0);
        let h = 2.0 * span / steps as f64;
        (0..=steps)
            .map(|i| {
                let z = -span + i as f64 * h;
                let w = if i == 0 || i == steps { 0.5 } else { 1.0 };
                w * f(z) * libm::exp(-z * z / 2.0) / (2.0 * std::f64::consts::PI).sqrt() * h
            })
            .sum()
    };
    let c = coverage(
        400,
        20,
        truth,
        |z| f(z.sample()),
        |x, seed| bootstrap_bca(x, seed).map(|i| (i.low, i.high)),
    );
    println!("BCa coverage (skewed, n = 20, 400 trials): {c:.3}");
    assert!((0.90..=0.98).contains(&c), "coverage {c}");
}

#[test]
fn bca_of_bounded_values_stays_in_bounds_and_is_reproducible() {
    let r = [-0.9, -0.95, -0.99, 0.2, -0.97, -0.8, -0.999, -0.93];
    let a = bootstrap_bca(&r, 7).unwrap();
    assert!(a.low >= -1.0 && a.high <= 1.0 && a.low <= a.estimate && a.estimate <= a.high);
    assert_eq!(a, bootstrap_bca(&r, 7).unwrap());
    assert_eq!(bootstrap_bca(&[0.5, 0.5, 0.5], 1).unwrap().low, 0.5);
    assert!(bootstrap_bca(&[1.0], 1).is_none());
}

#[test]
fn geometric_interval_is_positive_where_a_t_interval_is_not() {
    // The example from the review: a heavy-tailed positive ratio.
    let x = [3.07e19, 1.2, 0.8, 2.0, 1.1, 0.9, 1.3, 1.0];
    let g = geometric_interval(&x).unwrap();
    assert!(g.low > 0.0 && g.low < g.estimate && g.estimate < g.high);
    assert!(geometric_interval(&[0.0, -1.0, 2.0]).is_none());
}

#[test]
fn sign_evidence_counts_and_tests() {
    let values: Vec<Option<f64>> = (0..20)
        .map(|i| {
            if i == 3 {
                None
            } else {
                Some(if i < 17 { -0.4 } else { 0.1 })
            }
        })
        .collect();
    let e = SignEvidence::from_values(&values, 1);
    assert_eq!((e.n, e.missing, e.negative, e.positive), (19, 1, 16, 3));
    assert!((e.p_value - sign_test_p(16, 3)).abs() < 1e-15);
    assert!(e.p_value < 0.01);
    let share = e.share_negative.unwrap();
    assert!(share.low > 0.5 && share.high <= 1.0);
}

#[test]
fn holm_rejects_in_step_down_order() {
    let adjusted = holm(&[0.01, 0.04, 0.03, 0.005]);
    for (a, b) in adjusted.iter().zip([0.03, 0.06, 0.06, 0.02]) {
        assert!((a - b).abs() < 1e-15, "{adjusted:?}");
    }
    assert_eq!(holm(&[f64::NAN, 0.5]), vec![1.0, 1.0]);
    assert!(holm(&[]).is_empty());
}

#[test]
fn percentile_interpolates() {
    assert_eq!(percentile(&[0.0, 1.0, 2.0, 3.0], 0.5), 1.5);
    assert_eq!(percentile(&[0.0, 1.0], 0.0), 0.0);
    assert_eq!(percentile(&[0.0, 1.0], 1.0), 1.0);
}
