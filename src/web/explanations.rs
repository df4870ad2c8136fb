//! The "What am I looking at?" panel: what the system, V (or its absence), the measure, the model
//! and the claim are, without hype. The first paragraphs follow the chosen system and measure
//! ([`show_system_explanation`], from `lab::system_explanation`); for the paper's linear models a
//! paragraph computed from the run says why the sign is what it is ([`why_text`]).

use crate::analysis::mechanism::linear_score_mechanism;
use crate::lab::session::Session;
use crate::lab::system_explanation::system_paragraphs;
use crate::measures::measure::Measure;
use crate::measures::measure::MeasureAt;
use crate::models::kind::ModelKind;
use crate::systems::catalogue::SystemKind;
use web_sys::{Document, HtmlDetailsElement};

/// Rewrites the panel's first paragraphs (`#explain-system` in `details`) for `system` compared
/// with `measure`: headings and text as DOM text, never parsed as HTML.
pub fn show_system_explanation(
    document: &Document,
    details: &HtmlDetailsElement,
    system: SystemKind,
    measure: Measure,
) {
    let Ok(Some(container)) = details.query_selector("#explain-system") else {
        return;
    };
    container.set_inner_html("");
    let _ = container.set_attribute("data-system", system.name());
    for (heading, text) in system_paragraphs(system, measure) {
        let (Ok(p), Ok(strong)) = (
            document.create_element("p"),
            document.create_element("strong"),
        ) else {
            return;
        };
        strong.set_text_content(Some(heading));
        let _ = p.append_child(&strong);
        let _ = p.append_with_str_1(&format!(" {text}"));
        let _ = container.append_child(&p);
    }
}

pub const HTML: &str = r#"<summary>What am I looking at?</summary>
<div id="explain-system"></div>
<p><strong>The data and the model.</strong> N points are sampled along one orbit and noise of size
σ is added: Gaussian (x̃ = x + σε, the paper's setting, which can make a population zero or
negative) or lognormal (x̃ = x·exp(σε), always positive, the usual error model for counts). The
paper's model gives every noisy point a score w·x̃ + b, turns the scores into attention weights
with a softmax over time, and rebuilds the orbit as r_t = N·a_t·x̃_t. Training makes r close to
the clean orbit: 200 Adam steps (the paper's optimizer, what you watch), then L-BFGS until the
loss stops falling, then a convergence test. The status line says which. Uniform attention
(every a_t = 1/N) simply returns the noisy data.</p>
<p><strong>The claim being tested.</strong> The paper reports that training puts high attention
where V is flat and low attention where it is steep. The lab measures this on the current run.
Spearman ρ (the primary reading) and Pearson r between attention and the measure (∂V/∂n in the
paper) are negative when the claim holds. The peak offset is how far apart in time the attention
peak and the measure's minimum are. By default the measure is taken at the clean states;
"measured at" can take ∂V/∂n at the observed ones instead.</p>
<p><strong>One draw or the setting.</strong> One noise draw is one sample. In the background the lab
trains the same setting on 20 other noise draws (seeds 0–19) to convergence; the strip under the
verdict shows where the draw on screen sits among them. Once all are read, the verdict speaks for
the setting (a sign test on ρ over the converged draws), and says "provisional" while the draw on
screen is still training.</p>
<p><strong>Real data and the fit.</strong> "Data" can be the Hudson's Bay Company lynx and hare
pelts (1900–1920) or a file of your own. Real data have no clean orbit to train against, so until
the system is fitted the target is the orbit through the first observation with the sliders'
rates, usually far from the data. "Fit the system" estimates the rates, the initial state and the
noise scales (lognormal noise for populations, weak priors, several starting points), a few steps
per frame, with 95% intervals; the fitted orbit then becomes the target and the curve ∂V/∂n is
taken along, and the verdict names it.</p>
<p><strong>Other systems.</strong> The system menu adds the frictionless pendulum (its energy H is
the V), the Van der Pol oscillator (a limit cycle, no V), the Goodwin circadian clock (3 variables)
and the chaotic Lorenz and Rössler attractors. 3-variable systems are drawn as a chosen pair of
coordinates ("plot"). Where there is no V, ∂V/∂n does not exist, and attention is compared with a
measure that exists for every system.</p>
<p><strong>FTLE and normal growth.</strong> The finite-time Lyapunov exponent is
(1/τ) ln σ<sub>max</sub> Φ(t, t+τ), where Φ carries small perturbations along the clean orbit for a
horizon τ (it solves the tangent-linear equations). High FTLE: nearby trajectories separate fast,
the future is hard to predict from here. Normal growth (2-D systems) is the growth rate of a kick
across the orbit, measured across the orbit where it lands. For both, as for ∂V/∂n, negative r and
ρ mean attention is higher where the dynamics are calm.</p>
<p><strong>Other models.</strong> <em>self-attention</em> is a small multi-head Transformer-style
denoiser: each point attends to its neighbours within ±W samples, and the colour shows the
attention each point <em>receives</em>, averaged over heads (or one head, with "colour by").
<em>oracle-inverse-variance</em> is not learned: it weights each point by 1/|∇V(x̃)|², a first-order
inverse-variance weighting for estimating V from noisy points, to show what attention that knows
the geometry looks like. It is a reference, not an optimum: at large σ its first-order argument
fails, and V is undefined at observations outside its domain (they get weight zero).</p>
<p><strong>Before you conclude.</strong> This model can only make attention an exponential of a
linear function of the noisy state, a_t ∝ exp(w·x̃_t). With small w the attention is nearly
uniform, so check max/min and the effective sample size (ESS) before reading much into r. And
read FINDINGS.md for the claim over many seeds and noise levels.</p>"#;

/// How a number is shown in the paragraph: signed, with a true minus sign.
fn signed(v: f64, digits: usize) -> String {
    crate::number_text::signed(v, digits)
}

/// Why the sign is what it is, for the paper's linear models, computed from `session`: the
/// learned weight's sign per coordinate, the measure's Spearman ρ with each coordinate along the
/// orbit, and the range of ρ any linear score can reach against the ρ the model reached.
pub fn why_text(session: &Session) -> String {
    let config = session.config();
    let model = config.model;
    let symbol = config.measure.symbol();
    if !matches!(
        model,
        ModelKind::PaperLinear | ModelKind::PaperLinearUnscaled
    ) {
        return format!("{model} is not a linear score, so this reading does not apply to it; choose paper-linear to see why its sign is what it is.");
    }
    let Some(m) = linear_score_mechanism(
        session.observations(),
        session.clean(),
        session.sensitivity(),
        session.parameters(),
    ) else {
        return format!("Too few points where {symbol} is defined to say why.");
    };
    let names = session.system().state_names();
    let mut parts = vec![format!(
        "{model} scores each observation with w·x̃ + b, and attention is a monotone function of that score, so its Spearman ρ with {symbol} is the ρ of w·x̃ alone: which ρ it can reach depends only on the data and the direction of w."
    )];
    parts.push(weights_sentence(session, &m.weights, names));
    let at = match config.measure_at {
        MeasureAt::Clean => "at the clean states",
        MeasureAt::Observed => "at the observed states",
    };
    let tied: Vec<String> = names
        .iter()
        .zip(&m.measure_vs_coordinate)
        .map(|(name, rho)| match rho {
            Some(r) => format!("ρ = {} with {name}", signed(*r, 2)),
            None => format!("no ρ with {name}"),
        })
        .collect();
    parts.push(format!(
        "Along the orbit, {symbol} ({at}) is tied to the coordinates: {}.",
        tied.join(", ")
    ));
    let reached = match m.achieved {
        Some(rho) => format!("this model reached ρ = {}", signed(rho, 2)),
        None => "this model has not left w = 0 (uniform attention)".to_string(),
    };
    parts.push(format!(
        "Scanning every direction of w, a linear score can reach ρ from {} (the claim at its strongest) to {} (reversed at its strongest); {reached}.",
        signed(m.reachable_min.0, 2),
        signed(m.reachable_max.0, 2)
    ));
    parts.join(" ")
}

/// The learned w in words: its value and what it favours per coordinate, and whether training
/// has converged.
fn weights_sentence(session: &Session, w: &[f64], names: &[&str]) -> String {
    if w.iter().all(|v| *v == 0.0) {
        return "The model is untrained: w = 0 gives every observation the same attention.".into();
    }
    let values: Vec<String> = w
        .iter()
        .zip(names)
        .map(|(v, name)| {
            format!(
                "{} on {name}",
                crate::number_text::true_minus(format!("{v:+.2e}"))
            )
        })
        .collect();
    let favours: Vec<String> = w
        .iter()
        .zip(names)
        .filter(|(v, _)| **v != 0.0)
        .map(|(v, name)| format!("{name} is {}", if *v < 0.0 { "small" } else { "large" }))
        .collect();
    let status = if session.training_status().is_converged() {
        "The trained w is".to_string()
    } else {
        format!(
            "Training has not converged yet (step {}), so this is provisional: w is",
            session.steps()
        )
    };
    format!(
        "{status} ({}): attention is higher where {}.",
        values.join(", "),
        favours.join(" and where ")
    )
}
