//! The selects of the control panel (system, model, measure, projection, head), each in a
//! labelled row, and how their options are filled.

use crate::measures::measure::Measure;
use crate::models::kind::ModelKind;
use crate::systems::catalogue::SystemKind;
use crate::web::elements::{element, labelled_row};
use wasm_bindgen::prelude::*;
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

/// The selects of the panel, and the system's description under the system select.
pub struct Selects {
    pub system: HtmlSelectElement,
    pub description: HtmlElement,
    pub model: HtmlSelectElement,
    pub measure: HtmlSelectElement,
    pub projection: HtmlSelectElement,
    pub head: HtmlSelectElement,
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

        let (projection, head) = view_selects(document, panel)?;
        Ok(Selects {
            system,
            description,
            model,
            measure,
            projection,
            head,
        })
    }
}

/// The projection and head selects (view settings: they leave the session alone), appended to
/// `panel`.
fn view_selects(
    document: &Document,
    panel: &HtmlElement,
) -> Result<(HtmlSelectElement, HtmlSelectElement), JsValue> {
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
    Ok((projection, head))
}
