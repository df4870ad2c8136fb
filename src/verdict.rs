//! One line in plain words saying what the live metrics show, computed from them, never fixed.
//!
//! Strength follows |r| of Pearson's r between attention and ∂V/∂n: below 0.1 "no alignment",
//! then "weak" (< 0.3), "moderate" (< 0.5) and "strong". A negative r means attention is higher
//! where V is flat (the paper's claim), a positive r the opposite. When the largest weight is
//! less than 5% above the smallest, the verdict says that attention is nearly uniform, because a
//! correlation of tiny variations is not a model that focuses.

use crate::metrics::Metrics;

/// Attention whose max/min is below this is called nearly uniform.
pub const NEARLY_UNIFORM: f64 = 1.05;

pub fn verdict(m: &Metrics) -> String {
    let Some(r) = m.pearson else {
        return if m.max_over_min == Some(1.0) {
            "attention is exactly uniform: every observation gets weight 1/N, so there is nothing to align yet".into()
        } else {
            "no alignment can be measured: ∂V/∂n or attention is constant".into()
        };
    };
    let strength = match r.abs() {
        a if a < 0.1 => None,
        a if a < 0.3 => Some("weak"),
        a if a < 0.5 => Some("moderate"),
        _ => Some("strong"),
    };
    let mut line = match strength {
        None => format!("no alignment between attention and the steepness of V (r = {r:+.2})"),
        Some(s) if r < 0.0 => format!("{s} alignment: attention is higher where V is flat (r = {r:+.2})"),
        Some(s) => format!("{s} anti-alignment: attention is higher where V is steep, against the paper's claim (r = {r:+.2})"),
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
