//! The verdict sentence and the colours: the verdict follows both correlations, the spread of
//! attention and the chosen measure; viridis endpoints and levels; min–max normalisation. If it
//! fails, the page states the wrong conclusion or colours attention wrongly.

use lyapunov_lens::analysis::metrics::Metrics;
use lyapunov_lens::analysis::verdict::verdict as verdict_for;
use lyapunov_lens::lab::colormap::{level, level_colors, normalise_min_max, viridis, LEVELS};
use lyapunov_lens::measures::measure::Measure;

/// The paper's reading: against ∂V/∂n.
fn verdict(m: &Metrics) -> String {
    verdict_for(m, Measure::NormalDerivative)
}

fn metrics(pearson: Option<f64>, max_over_min: Option<f64>) -> Metrics {
    Metrics {
        pearson,
        spearman: pearson,
        peak_offset: None,
        peak_offset_periods: None,
        period: Some(8.0),
        ess: 900.0,
        max_over_min,
        loss: 1.0,
        measure_flat: None,
    }
}

fn both(pearson: f64, spearman: f64, max_over_min: Option<f64>) -> Metrics {
    Metrics {
        spearman: Some(spearman),
        ..metrics(Some(pearson), max_over_min)
    }
}

#[test]
fn verdict_follows_the_numbers() {
    assert_eq!(
        verdict(&metrics(Some(-0.72), Some(3.0))),
        "strong alignment: attention is higher where V is flat (r = −0.72, ρ = −0.72)"
    );
    assert_eq!(
        verdict(&metrics(Some(0.05), Some(2.0))),
        "no alignment between attention and the steepness of V (r = +0.05, ρ = +0.05)"
    );
    assert!(verdict(&metrics(Some(0.4), Some(2.0))).starts_with("moderate anti-alignment"));
    assert!(verdict(&metrics(Some(-0.2), Some(2.0))).starts_with("weak alignment"));
    let nearly_uniform = verdict(&metrics(Some(-0.43), Some(1.0094)));
    assert!(
        nearly_uniform.contains("nearly uniform") && nearly_uniform.contains("0.9%"),
        "{nearly_uniform}"
    );
    assert!(verdict(&metrics(None, Some(1.0))).starts_with("attention is exactly uniform"));
    assert!(verdict(&metrics(Some(-0.9), None)).contains("collapsed"));
}

#[test]
fn verdict_reads_both_correlations() {
    // A monotone but nonlinear relation (the oracle at σ = 0): the rank correlation carries it.
    assert!(
        verdict(&both(-0.21, -1.0, Some(7e4))).starts_with("strong alignment"),
        "{}",
        verdict(&both(-0.21, -1.0, Some(7e4)))
    );
    // Opposite signs, both of some size: say so instead of picking one.
    let v = verdict(&both(0.10, -0.14, Some(1e12)));
    assert!(
        v.starts_with("the two correlations disagree") && v.contains("r = +0.10, ρ = −0.14"),
        "{v}"
    );
    // Opposite signs but one is negligible: the other decides.
    assert!(verdict(&both(-0.43, 0.05, Some(3.0))).starts_with("moderate alignment"));
}

#[test]
fn viridis_endpoints_and_levels() {
    assert_eq!(viridis(0.0), [0x44, 0x01, 0x54]);
    assert_eq!(viridis(1.0), [0xfd, 0xe7, 0x25]);
    assert_eq!(viridis(f64::NAN), viridis(0.0));
    assert_eq!(level(0.0), 0);
    assert_eq!(level(1.0), LEVELS - 1);
    assert_eq!(level(0.5), LEVELS / 2);
    let colors = level_colors();
    assert_ne!(colors[0], colors[LEVELS - 1]);
}

#[test]
fn min_max_normalisation() {
    let mut out = Vec::new();
    assert_eq!(normalise_min_max(&[2.0, 4.0, 3.0], &mut out), (2.0, 4.0));
    assert_eq!(out, vec![0.0, 1.0, 0.5]);
    normalise_min_max(&[1.0, 1.0], &mut out);
    assert_eq!(out, vec![0.5, 0.5]);
}

#[test]
fn the_verdict_speaks_of_the_chosen_measure() {
    let m = metrics(Some(-0.6), Some(3.0));
    let ftle = verdict_for(&m, Measure::Ftle);
    assert!(ftle.contains("nearby trajectories stay close"), "{ftle}");
    assert!(!ftle.contains(" V "), "{ftle}");
    let m = metrics(Some(0.6), Some(3.0));
    let growth = verdict_for(&m, Measure::NormalGrowth);
    assert!(growth.contains("kicks off the orbit grow"), "{growth}");
}
