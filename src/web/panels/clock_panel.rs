//! The "Kick the clock" panel (`details#clock-kick`, issue 13), below the plots: the kicked
//! variable, the kick's size ε (a fraction of the variable's range on the cycle, log scale) and
//! direction, the Kick button, a status line, the phase response curve and the kicked and
//! unkicked oscillations, the result in words, and a summary of the PRC. It also adds the
//! explanation of phase response to "What am I looking at?", with a paragraph about this run
//! (`#prc-run`). Nothing here computes; `state::clock_kick` fills it.

use crate::web::clock_text::{num, EXPLANATION_HTML};
use crate::web::elements::{button, disable_with_reason, element, labelled_row, reason_hint};
use crate::web::page::Explain;
use crate::web::panels::selects::fill;
use crate::web::plots::kick_orbit_plot::KickOrbitPlot;
use crate::web::plots::prc_plot::PrcPlot;
use wasm_bindgen::prelude::*;
use web_sys::{Document, HtmlDetailsElement, HtmlElement, HtmlInputElement, HtmlSelectElement};

/// The Kick button's tooltip when it applies.
const KICK_TITLE: &str = "Kick the state on the cycle at the chosen phase and measure the phase shift once it has settled";
/// ε as log10 of a fraction of the variable's range on the cycle: (min, max, step, default 5%).
const EPSILON_RANGE: (f64, f64, f64, f64) = (-3.0, -0.3, 0.1, -1.3);

pub struct ClockPanel {
    pub details: HtmlDetailsElement,
    pub status: HtmlElement,
    pub variable: HtmlSelectElement,
    pub epsilon: HtmlInputElement,
    epsilon_readout: HtmlElement,
    pub direction: HtmlSelectElement,
    pub kick: HtmlElement,
    kick_why: HtmlElement,
    pub prc: PrcPlot,
    pub orbit: KickOrbitPlot,
    /// The measured kick against the prediction, in words (`#clock-result`).
    pub result: HtmlElement,
    /// What the PRC says (`#clock-summary`).
    pub summary: HtmlElement,
    /// The paragraph about this run in the explanations (`#prc-run`).
    pub run_text: HtmlElement,
}

/// A select with an id and a tooltip, in a labelled control row.
fn select_row(
    document: &Document,
    id: &str,
    label: &str,
    help: &str,
) -> Result<(HtmlElement, HtmlSelectElement), JsValue> {
    let row = labelled_row(document, id, label, help)?;
    let select: HtmlSelectElement = element(document, "select", "")?;
    select.set_id(id);
    select.set_title(help);
    row.append_child(&select)?;
    Ok((row, select))
}

/// The ε slider row: (row, input, readout).
fn epsilon_row(
    document: &Document,
) -> Result<(HtmlElement, HtmlInputElement, HtmlElement), JsValue> {
    let help = "Size of the kick as a share of the variable's range on the cycle (log scale). Small kicks test the PRC's linear prediction; large ones show where it fails.";
    let row = labelled_row(document, "clock-epsilon", "kick size ε", help)?;
    let input: HtmlInputElement = element(document, "input", "")?;
    input.set_type("range");
    input.set_id("clock-epsilon");
    input.set_title(help);
    let (min, max, step, value) = EPSILON_RANGE;
    input.set_min(&min.to_string());
    input.set_max(&max.to_string());
    input.set_step(&step.to_string());
    input.set_value_as_number(value);
    let readout: HtmlElement = element(document, "output", "readout")?;
    readout.set_attribute("for", "clock-epsilon")?;
    row.append_child(&input)?;
    row.append_child(&readout)?;
    Ok((row, input, readout))
}

/// A captioned figure holding `plot`.
fn figure(document: &Document, plot: &HtmlElement, caption: &str) -> Result<HtmlElement, JsValue> {
    let fig: HtmlElement = element(document, "figure", "")?;
    fig.append_child(plot)?;
    let cap: HtmlElement = element(document, "figcaption", "")?;
    cap.set_text_content(Some(caption));
    fig.append_child(&cap)?;
    Ok(fig)
}

/// A paragraph with an id.
fn paragraph(document: &Document, id: &str, class: &str) -> Result<HtmlElement, JsValue> {
    let p: HtmlElement = element(document, "p", class)?;
    p.set_id(id);
    Ok(p)
}

/// The panel's inputs.
struct Inputs {
    variable: HtmlSelectElement,
    epsilon: HtmlInputElement,
    epsilon_readout: HtmlElement,
    direction: HtmlSelectElement,
    kick: HtmlElement,
}

/// The variable, ε and direction rows and the Kick button, in a `div.clock-controls`.
fn controls(document: &Document) -> Result<(HtmlElement, Inputs), JsValue> {
    let controls: HtmlElement = element(document, "div", "clock-controls")?;
    let (row, variable) = select_row(
        document,
        "clock-variable",
        "kick variable",
        "Which state variable the kick raises or lowers",
    )?;
    controls.append_child(&row)?;
    let (row, epsilon, epsilon_readout) = epsilon_row(document)?;
    controls.append_child(&row)?;
    let (row, direction) = select_row(
        document,
        "clock-direction",
        "direction",
        "Raise the variable by ε or lower it by ε",
    )?;
    fill(
        document,
        &direction,
        [
            ("1", "raise (+ε)".to_string(), "Add ε to the variable"),
            (
                "-1",
                "lower (−ε)".to_string(),
                "Subtract ε from the variable",
            ),
        ],
    )?;
    controls.append_child(&row)?;
    let kick = button(
        document,
        "kick-clock",
        "Kick at the chosen phase",
        KICK_TITLE,
    )?;
    controls.append_child(&kick)?;
    Ok((
        controls,
        Inputs {
            variable,
            epsilon,
            epsilon_readout,
            direction,
            kick,
        },
    ))
}

impl ClockPanel {
    /// The panel (closed), and the phase-response paragraphs added to `explain` before its
    /// "Why, for this run" paragraph.
    pub fn new(document: &Document, explain: &Explain) -> Result<Self, JsValue> {
        let details: HtmlDetailsElement = element(document, "details", "clock")?;
        details.set_id("clock-kick");
        details.set_attribute("data-state", "idle")?;
        let summary: HtmlElement = element(document, "summary", "")?;
        summary.set_text_content(Some(
            "Kick the clock: when does a kick shift the rhythm most? (limit cycles: Van der Pol, Goodwin)",
        ));
        details.append_child(&summary)?;
        let intro: HtmlElement = element(document, "p", "hint")?;
        intro.set_text_content(Some(
            "Choose the phase by clicking the curve (or focus it and use the arrow keys, Enter kicks), the variable to kick and the size. The lab kicks the state on the cycle there and follows the orbit until its phase settles.",
        ));
        details.append_child(&intro)?;
        let (controls, inputs) = controls(document)?;
        let Inputs {
            variable,
            epsilon,
            epsilon_readout,
            direction,
            kick,
        } = inputs;
        details.append_child(&controls)?;
        let kick_why = reason_hint(document, &kick)?;
        details.append_child(&kick_why)?;
        let status = paragraph(document, "clock-status", "hint")?;
        status.set_attribute("role", "status")?;
        details.append_child(&status)?;
        let prc = PrcPlot::new(document)?;
        let orbit = KickOrbitPlot::new(document)?;
        let row: HtmlElement = element(document, "div", "plots")?;
        let prc_figure = figure(document, &prc.canvas.wrapper, "The phase response curve Z(θ)/T of the kicked variable (adjoint method), in periods of shift per unit kick, against the phase θ of the kick (θ = 0 at the peak of the first variable): where Z > 0 raising the variable advances the clock, where Z < 0 it delays it. Dots: measured shift ÷ ε of the kicks made (on the curve when the kick is small). The line marks the chosen phase.")?;
        row.append_child(&prc_figure)?;
        let orbit_figure = figure(document, &orbit.canvas.wrapper, "The first variable over several periods, unkicked (grey) and kicked at the dotted line (vermillion). The dashed lines mark the last unkicked peak and where the kicked peaks settle, earlier by the measured shift for an advance.")?;
        row.append_child(&orbit_figure)?;
        details.append_child(&row)?;
        let result = paragraph(document, "clock-result", "")?;
        result.set_attribute("aria-live", "polite")?;
        details.append_child(&result)?;
        let summary_text = paragraph(document, "clock-summary", "")?;
        details.append_child(&summary_text)?;
        let run_text = Self::explain(document, explain)?;
        let panel = ClockPanel {
            details,
            status,
            variable,
            epsilon,
            epsilon_readout,
            direction,
            kick,
            kick_why,
            prc,
            orbit,
            result,
            summary: summary_text,
            run_text,
        };
        panel.show_readout(None);
        Ok(panel)
    }

    /// Adds the phase-response paragraphs to the explanations, before "Why, for this run";
    /// returns the span for the computed sentences about this run.
    fn explain(document: &Document, explain: &Explain) -> Result<HtmlElement, JsValue> {
        let holder: HtmlElement = element(document, "div", "")?;
        holder.set_inner_html(EXPLANATION_HTML);
        let run = paragraph(document, "prc-run", "")?;
        run.set_inner_html("<strong>Phase response, for this run.</strong> ");
        let text: HtmlElement = element(document, "span", "")?;
        text.set_id("prc-run-text");
        text.set_text_content(Some(
            "Open \"Kick the clock\" on a limit-cycle system (Van der Pol, Goodwin) to compute it.",
        ));
        run.append_child(&text)?;
        holder.append_child(&run)?;
        let before = explain.why.parent_node();
        explain.details.insert_before(&holder, before.as_ref())?;
        Ok(text)
    }

    /// ε as a fraction of the variable's range on the cycle.
    pub fn fraction(&self) -> f64 {
        libm::pow(10.0, self.epsilon.value_as_number())
    }

    /// +1 (raise) or −1 (lower).
    pub fn sign(&self) -> f64 {
        if self.direction.value() == "-1" {
            -1.0
        } else {
            1.0
        }
    }

    /// The chosen variable's index.
    pub fn variable_index(&self) -> usize {
        self.variable.value().parse().unwrap_or(0)
    }

    /// Fills the variable select with `names`, keeping the choice when it still exists.
    pub fn set_variables(&self, document: &Document, names: &[String]) {
        const VALUES: [&str; 3] = ["0", "1", "2"];
        let keep = self.variable_index();
        let options = names.iter().zip(VALUES).map(|(n, v)| (v, n.clone(), ""));
        let _ = fill(document, &self.variable, options);
        self.variable
            .set_value(VALUES[if keep < names.len() { keep } else { 0 }]);
    }

    /// The ε readout: the share of the range, and ε itself in the variable's units when known.
    pub fn show_readout(&self, epsilon: Option<f64>) {
        let share = 100.0 * self.fraction();
        self.epsilon_readout
            .set_text_content(Some(&format!("{}%", num(share, 2))));
        let title = epsilon.map_or(String::new(), |e| format!("ε = {}", num(e, 3)));
        let _ = self.epsilon_readout.set_attribute("title", &title);
    }

    /// Enables the inputs, or disables them with `reason` (shown under the Kick button).
    pub fn set_enabled(&self, reason: Option<&str>) {
        for input in [&self.variable, &self.direction] {
            input.set_disabled(reason.is_some());
        }
        self.epsilon.set_disabled(reason.is_some());
        disable_with_reason(&self.kick, &self.kick_why, reason, KICK_TITLE);
    }

    /// Forgets the last setting's readings: the text, the data attributes and the timings.
    pub fn clear_readings(&self) {
        self.result.set_text_content(None);
        self.summary.set_text_content(None);
        let hot = &self.prc.canvas.hot;
        for (element, names) in [
            (
                &self.details as &HtmlElement,
                &["data-cycle-ms", "data-prc-ms", "data-kick-ms"][..],
            ),
            (
                hot.as_ref(),
                &[
                    "data-period",
                    "data-points",
                    "data-variable",
                    "data-theta",
                    "data-z",
                    "data-z-per-phase",
                    "data-epsilon",
                ][..],
            ),
            (
                &self.result,
                &[
                    "data-theta",
                    "data-epsilon",
                    "data-shift",
                    "data-predicted",
                    "data-events",
                    "data-ms",
                    "data-variable",
                    "data-kind",
                ][..],
            ),
        ] {
            for name in names {
                let _ = element.remove_attribute(name);
            }
        }
    }

    /// The status line and the panel's `data-state` (idle, computing, ready, kicking, disabled,
    /// failed).
    pub fn set_status(&self, state: &str, text: &str) {
        let _ = self.details.set_attribute("data-state", state);
        self.status.set_text_content(Some(text));
    }
}
