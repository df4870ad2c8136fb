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

use crate::analysis::metrics::{FlatMeasure, Metrics};
use crate::analysis::sign_test::SignEvidence;
use crate::measures::measure::Measure;
use crate::number_text::signed;

/// Attention whose max/min is below this is called nearly uniform.
pub const NEARLY_UNIFORM: f64 = 1.05;

/// The verdict for metrics measured against `measure` (∂V/∂n in the paper: "flat" and "steep"
/// V; the other measures say what their low and high values mean).
pub fn verdict(m: &Metrics, measure: Measure) -> String {
    if let Some(flat) = &m.measure_flat {
        return flat_measure_sentence(flat, measure);
    }
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
    let numbers = format!("r = {}, ρ = {}", signed(r, 2), signed(rho, 2));
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

/// Why no alignment can be read when the measure is constant along the run, exactly or up to
/// rounding (an orbit sitting at an equilibrium): the values, and how little they differ.
pub fn flat_measure_sentence(flat: &FlatMeasure, measure: Measure) -> String {
    let symbol = measure.symbol();
    let text = if flat.spread() == 0.0 {
        format!(
            "{symbol} cannot be measured along this run: it is {} at every point",
            flat.low
        )
    } else {
        format!(
            "{symbol} cannot be measured along this run: its values differ by at most {:.1e} around {:.4}, a relative {:.1e}, which is rounding error (an orbit that does not move, such as one sitting at an equilibrium, gives this)",
            flat.spread(),
            (flat.low + flat.high) / 2.0,
            flat.spread() / flat.scale()
        )
    };
    format!("no alignment can be measured: {text}").replace('-', "−")
}

/// Fewest points with a defined measure for any reading.
pub const MIN_POINTS: usize = 10;
/// Attention whose effective sample size is below this share of N is called collapsed.
pub const COLLAPSED_SHARE: f64 = 0.05;

/// What a verdict on the setting needs beyond one draw's metrics.
pub struct VerdictContext<'a> {
    pub measure: Measure,
    /// Whether the measure is taken at the observed states instead of the clean orbit.
    pub at_observed: bool,
    /// For imported data, what the clean target is (it is the simulated orbit otherwise).
    pub target: Option<String>,
    /// Whether this draw's training has converged (else its reading is provisional).
    pub converged: bool,
    /// N, and the points where the measure is defined.
    pub n: usize,
    pub measured_points: usize,
    /// The ensemble over noise draws: its evidence on ρ, seeds read so far, seeds in all.
    pub ensemble: Option<(&'a SignEvidence, usize, usize)>,
}

/// The sign test's reading of an ensemble: `Some(true)` when p ≤ 0.05 with most seeds above
/// zero (reversed), `Some(false)` below (holds), `None` otherwise.
fn decided(e: &SignEvidence) -> Option<bool> {
    (e.p_value <= 0.05).then_some(e.positive > e.negative)
}

/// The verdict for the setting: the ensemble's sign test when it is complete, this draw's
/// reading (provisional while training), and the state of the attention.
pub fn setting_verdict(m: &Metrics, ctx: &VerdictContext) -> String {
    if ctx.measured_points < MIN_POINTS {
        return format!(
            "too few points to read an alignment: {} has a value at {} of {} points (at least {MIN_POINTS} are needed)",
            ctx.measure.symbol(),
            ctx.measured_points,
            ctx.n
        );
    }
    // Neither training nor other noise draws change a measure of the clean orbit.
    if let Some(flat) = &m.measure_flat {
        return flat_measure_sentence(flat, ctx.measure);
    }
    let mut parts = Vec::new();
    if let Some((e, done, total)) = ctx.ensemble {
        parts.push(ensemble_sentence(e, done, total, ctx.measure));
    }
    let mut draw = verdict(m, ctx.measure);
    if ctx.at_observed {
        draw.push_str(" (the measure taken at the observed states)");
    }
    parts.push(if ctx.converged {
        format!("this draw: {draw}")
    } else {
        format!("this draw, provisional while training: {draw}")
    });
    if let Some(target) = &ctx.target {
        parts.push(format!(
            "the target and the curve the measure is taken on: {target}"
        ));
    }
    if m.ess < COLLAPSED_SHARE * ctx.n as f64 {
        parts.push(format!(
            "attention has collapsed onto about {:.0} of {} points (ESS), so a correlation says little",
            m.ess, ctx.n
        ));
    }
    parts.join("; ")
}

fn ensemble_sentence(e: &SignEvidence, done: usize, total: usize, measure: Measure) -> String {
    if done < total {
        return format!("other noise draws: {done} of {total} read, the verdict for the setting follows when all are");
    }
    let counted = e.negative + e.positive;
    if e.n < 5 {
        return format!(
            "over {total} noise draws only {} converged with a defined ρ: too few for a verdict",
            e.n
        );
    }
    let p = if e.p_value < 1e-4 {
        "p < 0.0001".to_string()
    } else {
        format!("p = {:.2}", e.p_value)
    };
    match decided(e) {
        Some(false) => format!(
            "over {total} noise draws the claim holds: attention is higher where {} in {} of {counted} (sign test {p})",
            measure.low_means(),
            e.negative
        ),
        Some(true) => format!(
            "over {total} noise draws the claim is reversed: attention is higher where {} in {} of {counted} (sign test {p})",
            measure.high_means(),
            e.positive
        ),
        None => format!(
            "over {total} noise draws the alignment is not distinguishable from no effect: ρ < 0 in {} of {counted} (sign test {p})",
            e.negative
        ),
    }
}
