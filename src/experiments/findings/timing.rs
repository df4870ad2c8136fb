//! "Timing": attention against the phase response on the limit cycles (the paper's open
//! question 4), read from the cross-system table's `prc` cells by the same primary test.

use super::format::{cell, converged, num, p_values, share_negative, verdict};
use crate::experiments::cross_system::{CrossGroup, CrossSystemReport};
use crate::measures::measure::Measure;
use std::fmt::Write;

/// The prc cells of the report, in table order.
fn cells(report: &CrossSystemReport) -> Vec<CrossGroup> {
    let spec = &report.spec;
    let mut out = Vec::new();
    for &system in spec.systems.iter().filter(|s| s.has_limit_cycle()) {
        for model in spec.models_for(system) {
            for &level in &spec.noise_levels {
                out.push(CrossGroup::new(
                    system,
                    model,
                    level,
                    Measure::PhaseResponse,
                ));
            }
        }
    }
    out
}

/// The section, or nothing when the table has no limit-cycle system.
pub(super) fn section(w: &mut String, report: &CrossSystemReport) {
    let groups = cells(report);
    if groups.is_empty() {
        return;
    }
    writeln!(w, "## Timing: attention against the phase response\n").unwrap();
    writeln!(
        w,
        "The paper's open question 4 asks whether attention can help time interventions in biological rhythms. The quantity that answers \"when\" is the phase response: |Z(θ)|, how far a small kick at phase θ shifts the rhythm for good (the adjoint method; `lyapunov-lens prc` prints the whole curve, and checks it against direct kicks). Here attention is compared with |Z| along the limit cycle, by the same primary test as everywhere (these cells are part of the cross-system table's Holm family). ρ < 0 means attention is higher where a kick barely shifts the rhythm.\n"
    )
    .unwrap();
    writeln!(w, "| system | model | σ | converged | ρ (primary) | seeds with ρ < 0 | sign test p (Holm) | verdict |").unwrap();
    writeln!(w, "|---|---|---|---|---|---|---|---|").unwrap();
    let (mut low, mut high, mut undecided) = (0, 0, 0);
    for group in &groups {
        let rho = report.summary_of(group, "spearman");
        match rho.and_then(|s| s.decided()) {
            Some(false) => low += 1,
            Some(true) => high += 1,
            None => undecided += 1,
        }
        writeln!(
            w,
            "| {} | `{}` | {} | {} | {} | {} | {} | {} |",
            group.system,
            group.model,
            num(group.sigma, 3),
            converged(rho),
            cell(rho, 3),
            share_negative(rho),
            p_values(rho),
            verdict(rho)
        )
        .unwrap();
    }
    writeln!(w).unwrap();
    writeln!(w, "{}\n", reading(low, high, undecided)).unwrap();
}

/// What the tally means for the timing question, in words that follow the numbers.
fn reading(low: usize, high: usize, undecided: usize) -> String {
    let total = low + high + undecided;
    let tally = format!(
        "In {low} of these {total} cells attention is higher where the phase is least sensitive, in {high} where it is most sensitive, and {undecided} are undecided."
    );
    let meaning = if high > 0 && low == 0 {
        " So where the model attends is not where a kick does little, and if anything it is where a kick shifts the rhythm most: a learned attention map from noisy observations of the rhythm does not point out safe moments for an intervention; the phase response itself, computed from the model of the clock, does."
    } else if low > 0 && high == 0 {
        " So in those settings the model attends where a kick barely shifts the rhythm: an attention map could flag the robust phases, but it is the phase response, not the attention, that says how large a shift a kick at another phase would cause."
    } else if low == 0 && high == 0 {
        " So attention carries no detectable information about when a kick shifts the rhythm: for timing an intervention, the phase response, computed from the model of the clock, is the tool; attention is not a substitute."
    } else {
        " The answer depends on the system and the noise: attention is no reliable guide to when a kick shifts the rhythm, while the phase response answers that question directly."
    };
    format!("{tally}{meaning}")
}
