//! How the report writes numbers and 95% intervals, and the rule that reads an interval as an
//! effect, no effect or the opposite effect.

use crate::analysis::summary_stats::Summary;
use std::fmt::Write;

/// A number with `digits` decimals, or in scientific notation when it is huge or tiny.
pub(super) fn num(v: f64, digits: usize) -> String {
    if v != 0.0 && !(1e-3..1e5).contains(&v.abs()) {
        format!("{v:.2e}")
    } else {
        format!("{v:.digits$}")
    }
}

/// "−0.430 [−0.47, −0.39]" (mean and 95% interval), or "–" when undefined in every run.
pub(super) fn ci(s: Option<&Summary>, digits: usize) -> String {
    let Some(s) = s else { return "–".into() };
    let Some(mean) = s.mean else {
        return format!("– (undefined in {} of {} runs)", s.missing, s.n + s.missing);
    };
    let mut out = num(mean, digits);
    if let (Some(lo), Some(hi)) = (s.ci_low, s.ci_high) {
        write!(out, " [{}, {}]", num(lo, digits), num(hi, digits)).unwrap();
    }
    if s.missing > 0 {
        write!(out, " ({} undefined)", s.missing).unwrap();
    }
    out.replace('-', "−")
}

/// Where the interval lies relative to `null`: Some(true) entirely below, Some(false) entirely
/// above, None when it contains `null` or is undefined.
pub(super) fn side(s: Option<&Summary>, null: f64) -> Option<bool> {
    let s = s?;
    match (s.ci_low, s.ci_high) {
        (Some(_), Some(hi)) if hi < null => Some(true),
        (Some(lo), Some(_)) if lo > null => Some(false),
        _ => None,
    }
}

/// A short decimal: at most 4 decimals, trailing zeros dropped (0.1 × 3 prints as 0.3).
pub(super) fn short(v: f64) -> String {
    let s = format!("{v:.4}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// How the two correlations of one cell read, by the interval rule.
pub(super) fn reading(r: Option<&Summary>, rho: Option<&Summary>) -> &'static str {
    match (side(r, 0.0), side(rho, 0.0)) {
        (Some(true), Some(true)) => "aligned",
        (Some(false), Some(false)) => "reversed",
        (Some(a), Some(b)) if a != b => "r and ρ disagree",
        (Some(true), None) | (None, Some(true)) => "aligned (one of r, ρ)",
        (Some(false), None) | (None, Some(false)) => "reversed (one of r, ρ)",
        _ => "undecided",
    }
}
