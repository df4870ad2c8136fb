//! Holm's step-down correction for a family of tests (Holm 1979). It controls the family-wise
//! error rate (the chance of even one false claim) under any dependence between the tests, which
//! is what a table of "holds / reversed" verdicts needs: the cells share systems, seeds and
//! models, so they are not independent, and each verdict is read on its own. (Benjamini–Hochberg
//! controls only the expected share of false claims, and assumes positive dependence.)

/// Holm-adjusted p-values, in the order given: sort ascending, multiply the i-th smallest
/// (0-based) by m − i, make the sequence non-decreasing, cap at 1. A test is rejected at level α
/// when its adjusted p-value is ≤ α. Non-finite p-values count as 1.
pub fn holm(p_values: &[f64]) -> Vec<f64> {
    let m = p_values.len();
    let clean = |p: f64| {
        if p.is_finite() {
            p.clamp(0.0, 1.0)
        } else {
            1.0
        }
    };
    let mut order: Vec<usize> = (0..m).collect();
    order.sort_by(|&a, &b| {
        clean(p_values[a])
            .total_cmp(&clean(p_values[b]))
            .then(a.cmp(&b))
    });
    let mut adjusted = vec![1.0; m];
    let mut running: f64 = 0.0;
    for (rank, &i) in order.iter().enumerate() {
        running = running.max(((m - rank) as f64 * clean(p_values[i])).min(1.0));
        adjusted[i] = running;
    }
    adjusted
}
