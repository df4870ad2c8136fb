//! The alignment metrics: Pearson and Spearman (with ties) on hand-checked vectors, the spread
//! of attention (effective sample size, max/min), peak offsets wrapped into half a period, orbit
//! periods from upward crossings, and exact detection of uniform attention. If it fails, the
//! numbers behind the verdict, the page's stats and the sweep are wrong.

use lyapunov_lens::analysis::metrics::*;
use lyapunov_lens::dynamics::orbit_period::{
    measure_period, period_from_crossings, upward_crossings,
};
use lyapunov_lens::systems::lotka_volterra::LotkaVolterra;

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol
}

#[test]
fn pearson_on_hand_checked_vectors() {
    // dx = (−2,−1,0,1,2), dy = (−1,−2,1,0,2): Σdxdy = 8, Σdx² = Σdy² = 10, r = 0.8.
    assert!(close(
        pearson(&[1., 2., 3., 4., 5.], &[2., 1., 4., 3., 5.]).unwrap(),
        0.8,
        1e-15
    ));
    assert_eq!(pearson(&[1., 2., 3.], &[2., 4., 6.]), Some(1.0));
    assert_eq!(pearson(&[1., 2., 3.], &[6., 4., 2.]), Some(-1.0));
    assert_eq!(
        pearson(&[1., 1., 1.], &[1., 2., 3.]),
        None,
        "constant series has no correlation"
    );
    assert_eq!(pearson(&[1.], &[1.]), None);
    assert_eq!(pearson(&[1., f64::NAN, 3.], &[1., 2., 3.]), None);
}

#[test]
fn spearman_on_hand_checked_vectors_with_ties() {
    // ranks (1, 2.5, 2.5, 4) and (1, 3, 2, 4): r = 4.5/√(4.5·5) = 0.9486832980505138.
    assert!(close(
        spearman(&[1., 2., 2., 3.], &[1., 3., 2., 4.]).unwrap(),
        0.9486832980505138,
        1e-15
    ));
    // Monotone but not linear: Spearman 1, Pearson < 1.
    assert_eq!(spearman(&[1., 2., 3., 4.], &[1., 8., 27., 64.]), Some(1.0));
    assert!(pearson(&[1., 2., 3., 4.], &[1., 8., 27., 64.]).unwrap() < 0.99);
    assert_eq!(spearman(&[3., 1., 2.], &[30., 10., 20.]), Some(1.0));
}

#[test]
fn average_ranks_share_ties() {
    let (mut order, mut ranks) = (Vec::new(), Vec::new());
    average_ranks(&[10., 30., 20., 30., 30.], &mut order, &mut ranks);
    assert_eq!(ranks, vec![1., 4., 2., 4., 4.]);
}

#[test]
fn spread_of_uniform_and_spiked_attention() {
    let uniform = vec![0.01; 100];
    assert!(close(effective_sample_size(&uniform), 100.0, 1e-9));
    assert!(close(max_over_min(&uniform).unwrap(), 1.0, 1e-12));
    let mut spike = vec![0.0; 100];
    spike[3] = 1.0;
    assert_eq!(effective_sample_size(&spike), 1.0);
    assert_eq!(
        max_over_min(&spike),
        None,
        "min weight 0: the ratio is unbounded"
    );
}

#[test]
fn offsets_wrap_into_half_a_period() {
    assert!(close(wrap_to_period(0.7, 1.0), -0.3, 1e-15));
    assert!(close(wrap_to_period(-0.7, 1.0), 0.3, 1e-15));
    assert_eq!(wrap_to_period(0.5, 1.0), -0.5);
    assert!(close(wrap_to_period(13.0, 6.0), 1.0, 1e-12));
}

#[test]
fn peak_offset_in_periods() {
    let times: Vec<f64> = (0..100).map(|i| i as f64 * 0.1).collect();
    let mut attention = vec![0.01; 100];
    attention[80] = 0.02; // t = 8.0
    let mut reference = vec![1.0; 100];
    reference[20] = 0.5; // t = 2.0
    let m =
        MetricsWorkspace::default().compute(&attention, Some(&reference), &times, Some(4.0), 1.5);
    // Raw offset 8 − 2 = 6 is 1.5 periods; it wraps to −2.0, i.e. −0.5 periods ([−P/2, P/2)).
    assert!(
        close(m.peak_offset.unwrap(), -2.0, 1e-12),
        "{:?}",
        m.peak_offset
    );
    assert!(close(m.peak_offset_periods.unwrap(), -0.5, 1e-12));
    assert_eq!(m.loss, 1.5);
    let unknown_period =
        MetricsWorkspace::default().compute(&attention, Some(&reference), &times, None, 0.0);
    assert!(close(unknown_period.peak_offset.unwrap(), 6.0, 1e-12));
    assert_eq!(unknown_period.peak_offset_periods, None);
}

#[test]
fn crossings_of_a_sine_give_its_period() {
    let times: Vec<f64> = (0..10_000).map(|i| i as f64 * 0.002).collect();
    let values: Vec<f64> = times
        .iter()
        .map(|t| (2.0 * std::f64::consts::PI * t / 3.0).sin())
        .collect();
    let crossings = upward_crossings(&times, &values, 0.0);
    assert!(close(period_from_crossings(&crossings).unwrap(), 3.0, 1e-6));
}

#[test]
fn small_lv_orbits_have_the_linearised_period() {
    // Near the centre the period tends to 2π/√(αγ).
    for system in [
        LotkaVolterra::default(),
        LotkaVolterra::new(2.0, 0.3, 0.5, 0.4).unwrap(),
    ] {
        let eq = system.equilibrium();
        let p = measure_period(&system, &[eq[0] * 1.001, eq[1]], 1.0).unwrap();
        let expected = 2.0 * std::f64::consts::PI / (system.alpha * system.gamma).sqrt();
        assert!(close(p / expected, 1.0, 1e-4), "period {p} vs {expected}");
    }
}

#[test]
fn the_default_orbit_period_is_stable_under_refinement() {
    // The default orbit is large, so its period exceeds the linearised 5.13.
    let system = LotkaVolterra::default();
    let p1 = measure_period(&system, &[10.0, 5.0], 15.0).unwrap();
    let p2 = measure_period(&system, &[10.0, 5.0], 40.0).unwrap();
    assert!(p1 > 5.2 && close(p1, p2, 1e-4), "{p1} vs {p2}");
}

#[test]
fn uniform_attention_has_no_correlation_and_no_peak() {
    // 1/N summed and divided back does not give 1/N exactly, so a mean-based variance of a
    // constant is tiny but not zero: constancy must be detected exactly.
    let attention = vec![1.0 / 1000.0; 1000];
    let reference: Vec<f64> = (0..1000).map(|i| (i as f64 * 0.01).sin() + 2.0).collect();
    let times: Vec<f64> = (0..1000).map(|i| i as f64 * 0.015).collect();
    let m =
        MetricsWorkspace::default().compute(&attention, Some(&reference), &times, Some(8.0), 1.0);
    assert_eq!(
        (m.pearson, m.spearman, m.peak_offset, m.peak_offset_periods),
        (None, None, None, None)
    );
    assert!((m.ess - 1000.0).abs() < 1e-9);
}
