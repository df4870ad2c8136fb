//! The selects of the control panel (system, model, measure and where it is taken, noise model,
//! projection, head), each in a labelled row, how their options are filled, and how an option
//! that does not apply is disabled with its reason.

use crate::measures::measure::{Measure, MeasureAt};
use crate::models::kind::ModelKind;
use crate::observations::noise_model::NoiseModel;
use crate::systems::catalogue::SystemKind;
use crate::web::elements::{element, labelled_row, reason_hint};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, HtmlElement, HtmlOptionElement, HtmlSelectElement};

/// A select with an id, a tooltip and (value, text, tooltip) options.
fn select(
    document: &Document,
    id: &str,
    title: &str,
    options: impl IntoIterator<Item = (&'static str, String, &'static str)>,
) -> Result<HtmlSelectElement, JsValue> {
    let select: HtmlSelectElement = element(document, "select", "")?;
    select.set_id(id);
    select.set_title(title);
    fill(document, &select, options)?;
    Ok(select)
}

/// Replaces a select's options with (value, text, tooltip) triples.
pub fn fill(
    document: &Document,
    select: &HtmlSelectElement,
    options: impl IntoIterator<Item = (&'static str, String, &'static str)>,
) -> Result<(), JsValue> {
    select.set_inner_html("");
    for (value, text, title) in options {
        let option: HtmlOptionElement = element(document, "option", "")?;
        option.set_value(value);
        option.set_text_content(Some(&text));
        option.set_title(title);
        select.append_child(&option)?;
    }
    Ok(())
}

/// Enables the options of `select` that `applies` allows (in the order of `values`); a disabled
/// option gets its reason as its tooltip, and the hint under the select (`why`) lists the
/// reasons, so they are visible and read as the select's description.
pub fn fit_options<T: Copy>(
    select: &HtmlSelectElement,
    why: &HtmlElement,
    values: &[T],
    applies: impl Fn(T) -> Result<(), String>,
    describe: impl Fn(T) -> String,
) {
    let mut reasons = Vec::new();
    for (i, &v) in values.iter().enumerate() {
        let Some(option) = select.item(i as u32) else {
            continue;
        };
        let ok = applies(v);
        if let Some(o) = option.dyn_ref::<HtmlOptionElement>() {
            o.set_disabled(ok.is_err());
            let text = o.text();
            if let Err(reason) = &ok {
                reasons.push(format!("{text}: {reason}"));
            }
        }
        let _ = option.set_attribute("title", &ok.err().unwrap_or_else(|| describe(v)));
    }
    why.set_text_content(Some(&reasons.join(". ")));
    why.set_hidden(reasons.is_empty());
}

/// The selects of the panel, and the system's description under the system select.
pub struct Selects {
    pub system: HtmlSelectElement,
    pub description: HtmlElement,
    pub model: HtmlSelectElement,
    pub measure: HtmlSelectElement,
    /// Whether the measure is taken at the clean or the observed states, and why an option
    /// is disabled.
    pub measure_at: HtmlSelectElement,
    pub measure_at_why: HtmlElement,
    pub projection: HtmlSelectElement,
    pub head: HtmlSelectElement,
    /// Why heads (or the whole select) are disabled.
    pub head_why: HtmlElement,
}

/// A select for the noise model with its row and the hint saying why an option is disabled, not
/// yet in the page (the controls put it with the noise sliders).
pub struct NoiseSelect {
    pub row: HtmlElement,
    pub select: HtmlSelectElement,
    pub why: HtmlElement,
}

impl NoiseSelect {
    pub fn new(document: &Document) -> Result<Self, JsValue> {
        let help = "How noise enters the observations: added (Gaussian, the paper's) or multiplied (lognormal, always positive, the usual error model for counts)";
        let select = select(
            document,
            "noise",
            help,
            NoiseModel::ALL
                .into_iter()
                .map(|m| (m.name(), m.name().to_string(), m.formula())),
        )?;
        let row = labelled_row(document, "noise", "noise model", help)?;
        row.append_child(&select)?;
        let why = reason_hint(document, &select)?;
        Ok(NoiseSelect { row, select, why })
    }
}

/// Appends a control row labelled `label` (tooltip `help`) holding `select` to `panel`.
fn append_select_row(
    document: &Document,
    panel: &HtmlElement,
    select: &HtmlSelectElement,
    (label, help): (&str, &str),
) -> Result<(), JsValue> {
    let row = labelled_row(document, &select.id(), label, help)?;
    row.append_child(select)?;
    panel.append_child(&row)?;
    Ok(())
}

impl Selects {
    /// Builds the system, model, measure, projection and head selects into `panel`.
    pub fn new(document: &Document, panel: &HtmlElement) -> Result<Self, JsValue> {
        let system = select(
            document,
            "system",
            "Which dynamical system to simulate",
            SystemKind::ALL
                .into_iter()
                .map(|k| (k.name(), k.title().to_string(), k.description())),
        )?;
        let system_help = ("system", "Which dynamical system to simulate");
        append_select_row(document, panel, &system, system_help)?;
        let description: HtmlElement = element(document, "p", "hint")?;
        description.set_id("system-description");
        panel.append_child(&description)?;

        let model = select(
            document,
            "model",
            "Which attention model to train",
            ModelKind::ALL
                .into_iter()
                .map(|k| (k.name(), k.name().to_string(), k.description())),
        )?;
        let model_help = ("model", "Which attention model to train");
        append_select_row(document, panel, &model, model_help)?;

        let measure = select(
            document,
            "measure",
            "What attention is compared with on the right-hand plot and in the metrics",
            Measure::ALL
                .into_iter()
                .map(|m| (m.name(), m.symbol().to_string(), m.description())),
        )?;
        let measure_help = (
            "compare with",
            "The sensitivity measure attention is compared with",
        );
        append_select_row(document, panel, &measure, measure_help)?;

        let measure_at = select(
            document,
            "measure_at",
            "Whether the measure is taken at the clean states (the orbit) or at the noisy observed states",
            MeasureAt::ALL
                .into_iter()
                .map(|m| (m.name(), format!("{m} states"), "")),
        )?;
        let measure_at_help = (
            "measured at",
            "Whether the measure is taken at the clean states (the orbit) or at the noisy observed states",
        );
        append_select_row(document, panel, &measure_at, measure_at_help)?;
        let measure_at_why = reason_hint(document, &measure_at)?;
        panel.append_child(&measure_at_why)?;

        let (projection, head, head_why) = view_selects(document, panel)?;
        Ok(Selects {
            system,
            description,
            model,
            measure,
            measure_at,
            measure_at_why,
            projection,
            head,
            head_why,
        })
    }
}

/// The projection and head selects (view settings: they leave the session alone), appended to
/// `panel`.
fn view_selects(
    document: &Document,
    panel: &HtmlElement,
) -> Result<(HtmlSelectElement, HtmlSelectElement, HtmlElement), JsValue> {
    let projection = select(
        document,
        "projection",
        "Which two coordinates the phase portrait plots",
        [],
    )?;
    let projection_help = ("plot", "Which two coordinates the phase portrait plots");
    append_select_row(document, panel, &projection, projection_help)?;

    let head = select(
        document,
        "head",
        "Colour the phase portrait by all heads together or by one head (self-attention)",
        std::iter::once((
            "0",
            "all heads".to_string(),
            "attention received, averaged over heads",
        ))
        .chain([("1", 1), ("2", 2), ("3", 3), ("4", 4)].map(|(v, h)| {
            (
                v,
                format!("head {h}"),
                "attention received from this head alone",
            )
        })),
    )?;
    let head_help = ("colour by", "All heads or one self-attention head");
    append_select_row(document, panel, &head, head_help)?;
    let head_why = reason_hint(document, &head)?;
    panel.append_child(&head_why)?;
    Ok((projection, head, head_why))
}
