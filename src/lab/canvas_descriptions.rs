//! What each plot shows, in words, computed from the system's catalogue entry, the measure and
//! the run: the captions under the phase portrait and the time plot (which speak of V's level
//! sets and of kicks only where those exist), and the text descriptions that screen readers get
//! for the canvases, with the run's current key facts ("attention peaks at t = 8.1, where ∂V/∂n
//! is near its minimum"). No sentence about a result is typed: each is computed.

use crate::analysis::metrics::{argmax, argmin, is_constant};
use crate::lab::session::{DataSource, Session};
use crate::measures::measure::Measure;
use crate::number_text::{fixed, readable, signed};
use crate::systems::catalogue::SystemKind;

/// The caption under the phase portrait for `system` plotted on `axes`.
pub fn phase_caption(system: SystemKind, axes: (usize, usize)) -> String {
    let names = system.state_names();
    let planar = system.dim() == 2;
    let pair = format!(
        "{} against {}",
        names.get(axes.1).unwrap_or(&"?"),
        names.get(axes.0).unwrap_or(&"?")
    );
    let mut text = format!(
        "Phase portrait of the {} ({pair}). Dots: noisy observations, coloured by attention. Line: the clean orbit (pink for real data: the target, or a fit's orbit while it runs).",
        system.title()
    );
    if planar && system.has_lyapunov() {
        text.push_str(" Bands: level sets of the conserved V; the orbit runs along one band edge.");
    } else if !planar {
        text.push_str(&format!(
            " The {}-D orbit is seen as a projection onto two coordinates (choose them with \"plot\").",
            system.dim()
        ));
    }
    text.push_str(" Hover a dot, or focus the plot and use the arrow keys, for its numbers");
    text.push_str(if planar {
        "; click a dot to kick the orbit there."
    } else {
        "."
    });
    text
}

/// The short accessible name of the phase portrait's canvas.
pub fn phase_label(system: SystemKind) -> String {
    format!(
        "Phase portrait of the {}: noisy observations coloured by attention",
        system.title()
    )
}

/// The legend's name of `measure` on the time plot, with its horizon τ (positive) where it has
/// one.
pub fn measure_legend(measure: Measure, tau: f64) -> String {
    match measure {
        Measure::NormalDerivative => "∂V/∂n (steepness of V)".to_string(),
        Measure::Ftle => format!("FTLE over τ = {tau}"),
        Measure::NormalGrowth => format!("normal growth over τ = {tau}"),
        Measure::PhaseResponse => "|Z|, the phase response (shift per unit kick)".to_string(),
    }
}

/// The caption under the time plot (the paper's Figure 5, generalised) for `measure`.
pub fn time_plot_caption(measure: Measure, tau: f64) -> String {
    let symbol = measure.symbol();
    format!(
        "Attention and {} along the orbit (the paper's Figure 5 uses ∂V/∂n). If the claim holds, attention peaks where {symbol} dips, where {}. Focus the plot and use the arrow keys to read any time.",
        measure_legend(measure, tau),
        measure.low_means()
    )
}

/// Where `value` sits among the finite `values`: the share of them below it, in 0..=1.
fn rank_share(values: &[f64], value: f64) -> Option<f64> {
    let finite = values.iter().filter(|v| v.is_finite()).count();
    if finite < 2 || !value.is_finite() {
        return None;
    }
    let below = values
        .iter()
        .filter(|v| v.is_finite() && **v < value)
        .count();
    Some(below as f64 / (finite - 1) as f64)
}

/// "near its minimum" (lowest fifth), "near its maximum" (highest fifth) or "in the middle of
/// its range", with the percentile.
fn position_words(share: f64) -> String {
    let pct = (share * 100.0).round();
    let place = if share <= 0.2 {
        "near its minimum"
    } else if share >= 0.8 {
        "near its maximum"
    } else {
        "in the middle of its range"
    };
    format!("{place} (percentile {pct:.0} of its values)")
}

/// The time plot's description: the time span, where attention peaks and how the measure sits
/// there, where the measure is lowest and highest, and Spearman ρ.
pub fn time_plot_description(session: &Session) -> String {
    let config = session.config();
    let (measure, symbol) = (config.measure, config.measure.symbol());
    let times = session.times();
    let (attention, values) = (session.attention(), session.sensitivity());
    let span = match (times.first(), times.last()) {
        (Some(a), Some(b)) => format!(" from t = {} to {}", fixed(*a, 1), fixed(*b, 1)),
        _ => String::new(),
    };
    let mut parts = vec![format!(
        "Attention and {} against time{span}, each min–max normalised.",
        measure_legend(measure, config.tau)
    )];
    let peak = if is_constant(attention) {
        None
    } else {
        argmax(attention)
    };
    match peak {
        None => parts.push("Attention is uniform, so it has no peak yet.".into()),
        Some(i) => {
            let at = rank_share(values, values[i])
                .map(|s| format!(", where {symbol} is {}", position_words(s)))
                .unwrap_or_default();
            parts.push(format!(
                "Attention peaks at t = {}{at}.",
                fixed(times[i], 2)
            ));
        }
    }
    let finite: Vec<f64> = values
        .iter()
        .map(|v| if v.is_finite() { *v } else { f64::NAN })
        .collect();
    if let (Some(lo), Some(hi)) = (argmin(&finite), argmax(&finite)) {
        if finite[lo].is_finite() && finite[hi].is_finite() && lo != hi {
            parts.push(format!(
                "{symbol} is lowest at t = {} ({}) and highest at t = {} ({}).",
                fixed(times[lo], 2),
                readable(finite[lo], 3),
                fixed(times[hi], 2),
                readable(finite[hi], 3)
            ));
        }
    }
    if let Some(rho) = session.metrics().spearman {
        parts.push(format!("Spearman ρ = {}.", signed(rho, 2)));
    }
    parts.join(" ")
}

/// The phase portrait's description: the system and plotted pair, how many observations, the
/// range of attention × N, and where attention is highest and lowest (time and plotted state).
pub fn phase_description(session: &Session, attention: &[f64], axes: (usize, usize)) -> String {
    let system = session.config().system;
    let names = system.state_names();
    let (ax, ay) = axes;
    let obs = session.observations();
    let n = attention.len();
    let source = match session.source() {
        DataSource::Imported(_) => "observations from the data",
        DataSource::Simulated => "noisy observations",
    };
    let mut parts = vec![format!(
        "Phase portrait of the {}, {} against {}: {n} {source} coloured by attention.",
        system.title(),
        names.get(ay).unwrap_or(&"?"),
        names.get(ax).unwrap_or(&"?")
    )];
    let at = |i: usize| {
        format!(
            "t = {} ({} = {}, {} = {})",
            fixed(session.times()[i], 2),
            names[ax],
            fixed(obs[[i, ax]], 2),
            names[ay],
            fixed(obs[[i, ay]], 2)
        )
    };
    let ok = n > 0 && obs.nrows() == n && ax < obs.ncols() && ay < obs.ncols();
    match (
        ok && !is_constant(attention),
        argmax(attention),
        argmin(attention),
    ) {
        (true, Some(hi), Some(lo)) => {
            parts.push(format!(
                "Attention × N runs from {} to {}; it is highest at {} and lowest at {}.",
                fixed(attention[lo] * n as f64, 3),
                fixed(attention[hi] * n as f64, 3),
                at(hi),
                at(lo)
            ));
        }
        _ => parts.push("Attention is uniform: every dot has the same colour.".into()),
    }
    if system.dim() == 2 && system.has_lyapunov() {
        parts.push("Shaded bands mark level sets of the conserved V.".into());
    }
    parts.join(" ")
}

/// The loss plot's description: the loss now and at the start of training, and the step.
pub fn loss_description(session: &Session) -> String {
    let history = session.loss_history();
    let now = session.metrics().loss;
    match history.first() {
        Some(&(step, first)) if session.steps() > 0 => format!(
            "Training loss against optimizer step, log scale: {} at step {}, from {} at step {step}.",
            readable(now, 4),
            session.steps(),
            readable(first, 4)
        ),
        _ => format!(
            "Training loss against optimizer step, log scale: no step yet; the loss of uniform attention is {}.",
            readable(now, 4)
        ),
    }
}
