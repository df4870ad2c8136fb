//! The sweep's summary statistics: Student-t quantiles, mean, sd and 95% interval on a
//! hand-checked sample, and undefined values counted, not averaged. If it fails, the intervals
//! in the sweep's CSV and in FINDINGS.md are wrong.

use lyapunov_lens::analysis::summary_stats::{summarize, t_975};

#[test]
fn t_quantiles_from_the_table_and_between() {
    assert_eq!(t_975(1), 12.706);
    assert_eq!(t_975(19), 2.093);
    assert_eq!(t_975(30), 2.042);
    assert_eq!(t_975(40), 2.021);
    let t50 = t_975(50); // exact 2.0086
    assert!((t50 - 2.0086).abs() < 0.002, "{t50}");
    assert!((t_975(100_000) - 1.960).abs() < 1e-3);
}

#[test]
fn summary_of_a_hand_checked_sample() {
    // mean 5, sample sd √(32/7) = 2.13809, half-width 2.365·2.13809/√8 = 1.78775.
    let values: Vec<Option<f64>> = [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]
        .iter()
        .map(|v| Some(*v))
        .collect();
    let s = summarize(&values);
    assert_eq!((s.n, s.missing), (8, 0));
    assert!((s.mean.unwrap() - 5.0).abs() < 1e-12);
    assert!((s.sd.unwrap() - (32.0_f64 / 7.0).sqrt()).abs() < 1e-12);
    assert!((s.ci_low.unwrap() - (5.0 - 1.787_75)).abs() < 1e-4);
    assert!((s.ci_high.unwrap() - (5.0 + 1.787_75)).abs() < 1e-4);
}

#[test]
fn undefined_values_are_counted_not_averaged() {
    let s = summarize(&[Some(1.0), None, Some(3.0), Some(f64::NAN)]);
    assert_eq!((s.n, s.missing), (2, 2));
    assert_eq!(s.mean, Some(2.0));
    let none = summarize(&[None, None]);
    assert_eq!((none.n, none.mean, none.ci_low), (0, None, None));
    let one = summarize(&[Some(4.0)]);
    assert_eq!((one.mean, one.sd), (Some(4.0), None));
}
