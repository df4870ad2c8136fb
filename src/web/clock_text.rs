//! The words of "Kick the clock" (issue 13): the explanation of phase response curves for the
//! "What am I looking at?" panel, and the sentences about this run, every number in them
//! computed from the located cycle, its adjoint PRC and the kicks made.

use crate::dynamics::limit_cycle::LimitCycle;
use crate::measures::direct_prc::{expected_periods, DEFAULT_TOLERANCE};
use crate::measures::phase_response::PhaseResponse;

/// The explanation's paragraphs on phase response (general facts, no numbers about the run;
/// those are in `#prc-run`, computed).
pub const EXPLANATION_HTML: &str = r#"<p><strong>Phase response: when does a kick shift the clock most?</strong> The Van der Pol
oscillator and the Goodwin clock settle onto a <em>limit cycle</em>: an isolated closed orbit that
attracts the orbits around it. Its phase θ runs from 0 to 1 once per period T; here θ = 0 is the
maximum of the first variable. A brief kick knocks the state off the cycle. The orbit returns to
the cycle, but shifted in time for good: an <em>advance</em> (every later peak comes earlier) or a
<em>delay</em>. The infinitesimal phase response curve (PRC) Z(θ) gives that shift per unit kick at
each phase: a small kick δx at phase θ shifts the clock by Z(θ)·δx time units, or Z(θ)·δx/T
periods. The lab computes Z by the adjoint method (XPPAUT's; Brown, Moehlis and Holmes 2004): it
integrates dZ/dt = −Df(x(t))ᵀZ backward along the cycle until it repeats, normalised so that
Z·f = 1. "Kick the clock" (below the plots) checks Z directly: it kicks the state by a finite ε,
follows the orbit until its phase settles, and measures the shift, which approaches ε·Z(θ) as ε
shrinks. For large kicks the two part: the PRC is a small-kick (linear) prediction. A centre
(Lotka–Volterra, the pendulum) has no PRC: a kick moves the state onto another closed orbit with
another period, so the phase drifts forever. A chaotic system (Lorenz, Rössler) has no cycle.</p>
<p><strong>Why timing matters.</strong> The same stimulus can advance a biological clock, delay it,
or barely move it, depending on when it arrives. Circadian biologists measure PRCs to light: in
humans, light in the early biological night delays the clock and light in the late night and early
morning advances it, while light in the middle of the biological day moves it little (nocturnal
rodents show a clear "dead zone" there). Timed by these curves, bright light and melatonin (whose
PRC is roughly opposite to light's) are used to shift the clock for jet lag and shift work.
Chronotherapy times treatments to the body clock, because how well a drug works and how toxic it is
can both depend on the time of day; a drug that acts on the clock itself also shifts it, by its own
PRC. The Goodwin model is a textbook negative-feedback clock (mRNA makes a protein, which makes a
repressor that shuts off the gene); its period is in the model's time units, not fitted to 24
hours.</p>
<p><strong>|Z| as the measure.</strong> With "compare with" set to |Z| (phase response), the
right-hand plot shows |Z(θ(t))| along the sampled orbit: how far a small kick at that moment
shifts the rhythm for good, in time units per unit kick (the length of Z over all state variables,
so the variables' units mix). Negative r and ρ mean that attention is higher where a kick barely
moves the clock.</p>"#;

/// `v` with `digits` significant digits (scientific when very small or large) and a true minus.
pub fn num(v: f64, digits: usize) -> String {
    if v == 0.0 || !v.is_finite() {
        return format!("{v}");
    }
    let magnitude = libm::floor(libm::log10(v.abs())) as i32;
    let text = if !(-3..6).contains(&magnitude) {
        format!("{:.*e}", digits.saturating_sub(1), v)
    } else {
        let decimals = (digits as i32 - 1 - magnitude).max(0) as usize;
        format!("{v:.decimals$}")
    };
    text.replace('-', "−")
}

/// An axis tick at `v` on an axis spanning `span`: as many decimals as the ticks' spacing
/// (about a sixth of the span, or more) needs, trailing zeros trimmed, a true minus, and 0 for a value
/// that is zero but for rounding.
pub fn tick(v: f64, span: f64) -> String {
    if v.abs() < 1e-6 * span || !v.is_finite() {
        return "0".into();
    }
    // One decimal more than the spacing's order, for spacings like 0.25.
    let decimals = (1.0 - libm::floor(libm::log10(span / 6.0))).max(0.0) as usize;
    let text = format!("{v:.decimals$}");
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.')
    } else {
        &text
    };
    text.replace('-', "−")
}

/// `v` with `digits` significant digits and its sign always shown.
pub fn signed(v: f64, digits: usize) -> String {
    if v > 0.0 {
        format!("+{}", num(v, digits))
    } else {
        num(v, digits)
    }
}

/// "advances", "delays" or "leaves" for a shift in periods.
pub fn verb(shift: f64) -> &'static str {
    if shift > 0.0 {
        "advances"
    } else if shift < 0.0 {
        "delays"
    } else {
        "leaves"
    }
}

/// "an advance", "a delay" or "no shift".
pub fn noun(shift: f64) -> &'static str {
    if shift > 0.0 {
        "an advance"
    } else if shift < 0.0 {
        "a delay"
    } else {
        "no shift"
    }
}

/// Where Z_k changes sign on the grid, each phase linearly interpolated.
fn sign_changes(prc: &PhaseResponse, k: usize) -> Vec<f64> {
    let n = prc.theta.len();
    (0..n)
        .filter_map(|j| {
            let (a, b) = (prc.z[j][k], prc.z[(j + 1) % n][k]);
            ((a < 0.0) != (b < 0.0) && a != b).then(|| {
                let theta = (j as f64 + a / (a - b)) / n as f64;
                theta - libm::floor(theta)
            })
        })
        .collect()
}

/// The list "0.40 and 0.90" (or "0.1, 0.4 and 0.9").
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// What the PRC says for kicks in variable `k` (of the state variables `names`): the period,
/// the largest advance and delay and their phases, where Z changes sign, and how well the
/// computation closed.
pub fn prc_summary(cycle: &LimitCycle, prc: &PhaseResponse, k: usize, names: &[String]) -> String {
    let name = &names[k];
    let per_phase: Vec<f64> = prc.z.iter().map(|z| z[k] / prc.period).collect();
    let (mut lo, mut hi) = (0, 0);
    for (j, v) in per_phase.iter().enumerate() {
        if *v < per_phase[lo] {
            lo = j;
        }
        if *v > per_phase[hi] {
            hi = j;
        }
    }
    let mut parts = vec![format!(
        "The cycle's period is T = {} time units (θ = 0 at the maximum of {}). For a kick in {name}, Z/T runs from {} periods per unit of {name} at θ = {:.2} (the largest delay) to {} at θ = {:.2} (the largest advance).",
        num(cycle.period, 5),
        names[0],
        signed(per_phase[lo], 3),
        prc.theta[lo],
        signed(per_phase[hi], 3),
        prc.theta[hi],
    )];
    let crossings: Vec<String> = sign_changes(prc, k)
        .iter()
        .map(|t| format!("{t:.2}"))
        .collect();
    if crossings.is_empty() {
        parts.push(format!(
            "Z never changes sign: a kick in {name} moves the clock the same way at every phase."
        ));
    } else {
        parts.push(format!(
            "Z changes sign near θ = {}: there a small kick in {name} barely moves the clock.",
            and_list(&crossings)
        ));
    }
    parts.push(format!(
        "Z·f = 1 holds along the cycle to {} ({} adjoint sweep{}). Kicks off the cycle shrink by a factor of {} per period (the largest non-trivial Floquet multiplier), so a kick's phase settles to {} periods in about {} periods.",
        num(prc.normalisation_error, 2),
        prc.sweeps,
        if prc.sweeps == 1 { "" } else { "s" },
        num(cycle.contraction(), 3),
        num(DEFAULT_TOLERANCE, 1),
        expected_periods(cycle, DEFAULT_TOLERANCE),
    ));
    parts.join(" ")
}

/// One kick as the page made it and measured it.
#[derive(Debug, Clone, PartialEq)]
pub struct KickRecord {
    /// The phase index on the PRC's grid and the phase θ = j/points.
    pub j: usize,
    pub theta: f64,
    /// The kicked variable and its name.
    pub variable: usize,
    pub name: String,
    /// The kick, in the variable's units (signed), and as a fraction of its range on the cycle.
    pub epsilon: f64,
    pub fraction: f64,
    /// The measured asymptotic shift (periods; advance > 0) and the PRC's ε·Z(θ)/T.
    pub shift: f64,
    pub predicted: f64,
    pub period: f64,
    /// Reference events timed after the kick.
    pub events: usize,
}

/// The prediction at a phase before kicking: Z/T there and what a kick of ε would do.
pub fn prediction_text(theta: f64, z_per_phase: f64, epsilon: f64, name: &str) -> String {
    let predicted = epsilon * z_per_phase;
    format!(
        "θ = {theta:.2}: Z/T = {} periods per unit of {name}, so the PRC predicts that a kick of ε = {} {} the clock by {} periods. Click the curve, or press Enter or Kick, to measure it.",
        signed(z_per_phase, 4),
        signed(epsilon, 3),
        verb(predicted),
        num(predicted.abs(), 3),
    )
}

/// The measured kick against the PRC's prediction, in words.
pub fn kick_text(k: &KickRecord) -> String {
    let mut text = format!(
        "A kick of ε = {} in {} ({}% of its range on the cycle) at θ = {:.2} {} the clock by {} periods ({} time units), measured over {} peaks after the kick; the PRC predicts {} of {} periods (ε·Z(θ)/T).",
        signed(k.epsilon, 3),
        k.name,
        num(100.0 * k.fraction, 2),
        k.theta,
        verb(k.shift),
        num(k.shift.abs(), 3),
        num((k.shift * k.period).abs(), 3),
        k.events,
        noun(k.predicted),
        num(k.predicted.abs(), 3),
    );
    if k.predicted != 0.0 && (k.shift > 0.0) == (k.predicted > 0.0) {
        let off = 100.0 * (k.shift - k.predicted).abs() / k.predicted.abs();
        text.push_str(&if off > 10.0 {
            format!(" They differ by {}% of the prediction: the PRC is a small-kick (first-order) prediction, so try a smaller ε.", num(off, 2))
        } else {
            format!(" They agree within {}% of the prediction.", num(off, 2))
        });
    } else if k.predicted != 0.0 {
        text.push_str(
            " The signs differ: near a sign change of Z, or for a kick this large, the linear prediction fails; try a smaller ε or another phase.",
        );
    }
    text
}
