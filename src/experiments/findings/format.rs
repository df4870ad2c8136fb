//! How numbers, intervals, p-values and verdicts are written in FINDINGS.md.

use crate::analysis::intervals::Interval;
use crate::experiments::grid::SummaryRow;

/// A number with `digits` decimals, or in scientific notation when it is very large or small;
/// with a true minus sign.
pub(super) fn num(v: f64, digits: usize) -> String {
    let text = if v != 0.0 && (v.abs() >= 1e5 || v.abs() < 10f64.powi(-(digits as i32))) {
        format!("{v:.2e}")
    } else {
        format!("{v:.digits$}")
    };
    text.replace('-', "−")
}

/// "estimate [low, high]".
pub(super) fn interval(i: Option<&Interval>, digits: usize) -> String {
    match i {
        Some(i) => format!(
            "{} [{}, {}]",
            num(i.estimate, digits),
            num(i.low, digits),
            num(i.high, digits)
        ),
        None => "–".into(),
    }
}

/// A p-value: "< 0.0001" below that, else 2 significant digits.
pub(super) fn p(v: f64) -> String {
    if v < 1e-4 {
        "< 0.0001".into()
    } else if v >= 0.1 {
        format!("{v:.2}")
    } else {
        // Two significant digits.
        let decimals = (1.0 - v.log10().floor()).max(0.0) as usize;
        format!("{v:.decimals$}")
    }
}

/// The summary's estimate with its interval, and where the runs went if some are missing.
pub(super) fn cell<G>(s: Option<&SummaryRow<G>>, digits: usize) -> String {
    let Some(s) = s else { return "–".into() };
    let mut text = interval(s.estimate.as_ref(), digits);
    if s.missing > 0 {
        text.push_str(&format!(" (undefined in {})", s.missing));
    }
    text
}

/// "k of n (share [low, high])" for the seeds below zero.
pub(super) fn share_negative<G>(s: Option<&SummaryRow<G>>) -> String {
    let Some(sign) = s.and_then(|s| s.sign.as_ref()) else {
        return "–".into();
    };
    match &sign.share_negative {
        Some(share) => format!(
            "{} of {} ({:.0}% [{:.0}%, {:.0}%])",
            sign.negative,
            sign.negative + sign.positive,
            100.0 * share.estimate,
            100.0 * share.low,
            100.0 * share.high
        ),
        None => "–".into(),
    }
}

/// "p = 0.0026 (Holm 0.013)" or "p < 0.0001 (Holm …)", for sentences.
pub(super) fn p_phrase<G>(s: Option<&SummaryRow<G>>) -> String {
    match s.and_then(|s| s.sign.as_ref()) {
        Some(sign) => {
            let text = p(sign.p_value);
            let p_text = if text.starts_with('<') {
                format!("p {text}")
            } else {
                format!("p = {text}")
            };
            format!("{p_text} (Holm {})", p(sign.p_holm))
        }
        None => "p: –".into(),
    }
}

/// "…, Holm …" for table cells under a "p (Holm)" heading.
pub(super) fn p_values<G>(s: Option<&SummaryRow<G>>) -> String {
    match s.and_then(|s| s.sign.as_ref()) {
        Some(sign) => format!("{} (Holm {})", p(sign.p_value), p(sign.p_holm)),
        None => "–".into(),
    }
}

/// Runs that fed a summary, e.g. "20 of 20", from its counts.
pub(super) fn converged<G>(s: Option<&SummaryRow<G>>) -> String {
    match s {
        Some(s) => format!("{} of {}", s.n + s.missing, s.n + s.missing + s.excluded),
        None => "–".into(),
    }
}

/// Fewest converged seeds with a value for a verdict.
pub(super) const MIN_SEEDS: usize = 5;

/// The verdict on "attention is high where the measure is low" from the primary test, as a
/// table cell: holds, reversed, undecided, or too few runs.
pub(super) fn verdict<G>(s: Option<&SummaryRow<G>>) -> &'static str {
    let Some(s) = s else { return "no runs" };
    if s.n < MIN_SEEDS {
        return "too few converged runs";
    }
    match s.decided() {
        Some(false) => "**holds**",
        Some(true) => "**reversed**",
        None => "undecided",
    }
}

/// The same verdict as the predicate of a sentence about "the claim".
pub(super) fn verdict_sentence<G>(s: Option<&SummaryRow<G>>) -> &'static str {
    let Some(s) = s else { return "has no runs" };
    if s.n < MIN_SEEDS {
        return "cannot be judged: too few runs converged";
    }
    match s.decided() {
        Some(false) => "**holds**",
        Some(true) => "is **reversed**",
        None => "is not distinguishable from no effect",
    }
}
