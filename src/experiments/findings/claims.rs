//! "Which claims hold": the paper's three claims for each model, each decided by the interval
//! rule at every σ > 0.

use super::find;
use super::intervals::{ci, side};
use crate::analysis::verdict::NEARLY_UNIFORM;
use crate::experiments::sweep::SweepReport;
use crate::models::kind::ModelKind;
use std::fmt::Write;

/// The section: the rule, then each model's claims.
pub(super) fn which_claims_hold(w: &mut String, report: &SweepReport) {
    writeln!(w, "## Which claims hold\n").unwrap();
    writeln!(w, "Rule: a claim holds when the 95% interval excludes \"no effect\" on the claimed side. It is reversed when the interval excludes it on the other side, and undecided otherwise.\n").unwrap();
    for &m in &report.spec.models {
        writeln!(w, "### `{m}`\n").unwrap();
        attention_where_flat(w, report, m);
        how_much_attention_varies(w, report, m);
        uniform_without_noise(w, report, m);
        low_attention_grows_more(w, report, m);
    }
}

/// The noisy σ (σ > 0) whose interval of `metric` lies (below `null`, above it, across it).
fn split_by_side(
    report: &SweepReport,
    m: ModelKind,
    metric: &str,
    null: f64,
) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let (mut below, mut above, mut across) = (Vec::new(), Vec::new(), Vec::new());
    for &sigma in report.spec.sigmas.iter().filter(|s| **s > 0.0) {
        match side(find(report, m, sigma, metric), null) {
            Some(true) => below.push(sigma),
            Some(false) => above.push(sigma),
            None => across.push(sigma),
        }
    }
    (below, above, across)
}

/// "σ = 1, σ = 2", or "none".
fn sigma_list(v: &[f64]) -> String {
    if v.is_empty() {
        "none".to_string()
    } else {
        v.iter()
            .map(|s| format!("σ = {s}"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Claim 1: attention is high where V is flat (Pearson r < 0).
fn attention_where_flat(w: &mut String, report: &SweepReport, m: ModelKind) {
    let (holds, reversed, undecided) = split_by_side(report, m, "pearson", 0.0);
    writeln!(
        w,
        "1. **\"Attention is high where V is flat\"** (Pearson r < 0). Holds at {}. Reversed at {}. Undecided at {}.",
        sigma_list(&holds),
        sigma_list(&reversed),
        sigma_list(&undecided)
    )
    .unwrap();
}

/// The size of the effect under claim 1: mean max/min − 1 at every σ > 0, and a warning when
/// the attention is nearly uniform at all of them.
fn how_much_attention_varies(w: &mut String, report: &SweepReport, m: ModelKind) {
    let noisy = || report.spec.sigmas.iter().copied().filter(|s| *s > 0.0);
    let spread = |s: f64| find(report, m, s, "max_over_min").and_then(|x| x.mean);
    let sizes: Vec<String> = noisy()
        .filter_map(|s| spread(s).map(|r| (s, r)))
        .map(|(s, r)| {
            if r < 2.0 {
                format!("σ = {s}: {:.1}%", (r - 1.0) * 100.0)
            } else {
                format!(
                    "σ = {s}: max/min ≈ {r:.1e}, i.e. attention has collapsed onto a few points"
                )
            }
        })
        .collect();
    let all_tiny = noisy().all(|s| spread(s).is_some_and(|r| r < NEARLY_UNIFORM));
    writeln!(
        w,
        "   How much the attention varies (mean max/min − 1): {}.{}",
        sizes.join("; "),
        if all_tiny {
            format!(" At every σ the largest weight is less than {:.0}% above the smallest, so whatever the sign of r, this model's attention is nearly uniform: it barely focuses anywhere.", (NEARLY_UNIFORM - 1.0) * 100.0)
        } else {
            String::new()
        }
    )
    .unwrap();
}

/// Claim 2: without noise, attention stays uniform (only when the sweep has σ = 0).
fn uniform_without_noise(w: &mut String, report: &SweepReport, m: ModelKind) {
    if !report.spec.sigmas.contains(&0.0) {
        return;
    }
    let ratio = find(report, m, 0.0, "max_over_min");
    // Exactly uniform in every run: all defined, mean 1 and no spread.
    let uniform = ratio.is_some_and(|s| {
        s.n > 0 && s.missing == 0 && s.mean == Some(1.0) && s.sd.is_none_or(|sd| sd == 0.0)
    });
    let text = if uniform {
        "Holds: at σ = 0 every run ends with exactly uniform attention (max/min = 1, so r is undefined)."
            .to_string()
    } else {
        format!(
            "Does not hold: at σ = 0 the mean max/min is {}.",
            ci(ratio, 4)
        )
    };
    writeln!(
        w,
        "2. **\"Without noise, attention stays uniform\"**. {text}"
    )
    .unwrap();
}

/// Claim 3: perturbations at low-attention points grow more (ratio > 1).
fn low_attention_grows_more(w: &mut String, report: &SweepReport, m: ModelKind) {
    let (reversed, holds, undecided) = split_by_side(report, m, "perturbation_ratio", 1.0);
    writeln!(
        w,
        "3. **\"Perturbations at low-attention points grow more\"** (ratio > 1). Holds at {}. Reversed at {}. Undecided at {}.\n",
        sigma_list(&holds),
        sigma_list(&reversed),
        sigma_list(&undecided)
    )
    .unwrap();
}
