//! One line in plain words saying what the live metrics show, computed from them, never fixed.
//!
//! Both correlations between attention and the sensitivity measure (∂V/∂n in the paper) are read: Pearson r (linear) and Spearman ρ
//! (any monotone relation). When both are at least 0.1 in size and have opposite signs, the line
//! says that they disagree. Otherwise the direction follows their common sign, and the strength
//! follows the larger of |r| and |ρ|: below 0.1 "no alignment", then "weak" (< 0.3),
//! "moderate" (< 0.5) and "strong". Negative means attention is higher where V is flat (the
//! paper's claim). When the largest weight is less than 5% above the smallest, the line adds
//! that attention is nearly uniform, because a correlation of tiny variations is not a model
//! that focuses.

use crate::analysis::metrics::Metrics;
use crate::measures::measure::Measure;

/// Attention whose max/min is below this is called nearly uniform.
pub const NEARLY_UNIFORM: f64 = 1.05;

/// The verdict for metrics measured against `measure` (∂V/∂n in the paper: "flat" and "steep"
/// V; the other measures say what their low and high values mean).
pub fn verdict(m: &Metrics, measure: Measure) -> String {
    let Some(r) = m.pearson else {
        return if m.max_over_min == Some(1.0) {
            "attention is exactly uniform: every observation gets weight 1/N, so there is nothing to align yet".into()
        } else {
            format!(
                "no alignment can be measured: {} or attention is constant",
                measure.symbol()
            )
        };
    };
    let rho = m.spearman.unwrap_or(r);
    let numbers = format!("r = {r:+.2}, ρ = {rho:+.2}");
    let side = |x: f64| {
        if x < 0.0 {
            measure.low_means()
        } else {
            measure.high_means()
        }
    };
    let mut line = if r.abs() >= 0.1 && rho.abs() >= 0.1 && (r < 0.0) != (rho < 0.0) {
        format!(
            "the two correlations disagree: Pearson says attention is higher where {}, Spearman where {} ({numbers})",
            side(r),
            side(rho)
        )
    } else {
        let size = r.abs().max(rho.abs());
        let sign = if r.abs() >= rho.abs() { r } else { rho };
        match size {
            a if a < 0.1 => match measure {
                Measure::NormalDerivative => {
                    format!("no alignment between attention and the steepness of V ({numbers})")
                }
                _ => format!(
                    "no alignment between attention and {} ({numbers})",
                    measure.symbol()
                ),
            },
            a => {
                let strength = if a < 0.3 {
                    "weak"
                } else if a < 0.5 {
                    "moderate"
                } else {
                    "strong"
                };
                if sign < 0.0 {
                    format!(
                        "{strength} alignment: attention is higher where {} ({numbers})",
                        measure.low_means()
                    )
                } else {
                    format!(
                        "{strength} anti-alignment: attention is higher where {}, against the paper's claim ({numbers})",
                        measure.high_means()
                    )
                }
            }
        }
    };
    match m.max_over_min {
        Some(ratio) if ratio < NEARLY_UNIFORM => {
            let pct = (ratio - 1.0) * 100.0;
            line.push_str(&format!(", but attention is nearly uniform: the largest weight is only {pct:.1}% above the smallest"));
        }
        None => line.push_str(", and attention has collapsed: some weights are zero"),
        _ => {}
    }
    line
}
