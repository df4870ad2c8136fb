//! The labelled inputs of the classroom tools: a range input with a readout (like the main
//! sliders) and a checkbox, each with its tooltip on the input and its label.

use crate::web::elements::{element, labelled_row};
use wasm_bindgen::prelude::*;
use web_sys::{Document, HtmlElement, HtmlInputElement};

/// A labelled range input with a readout, like the main sliders.
pub fn slider(
    document: &Document,
    id: &str,
    label: &str,
    help: &str,
    (min, max, step, value): (f64, f64, f64, f64),
) -> Result<(HtmlElement, HtmlInputElement, HtmlElement), JsValue> {
    let row = labelled_row(document, id, label, help)?;
    let input: HtmlInputElement = element(document, "input", "")?;
    input.set_type("range");
    input.set_id(id);
    input.set_title(help);
    input.set_min(&min.to_string());
    input.set_max(&max.to_string());
    input.set_step(&step.to_string());
    input.set_value_as_number(value);
    let readout: HtmlElement = element(document, "output", "")?;
    readout.set_class_name("readout");
    readout.set_attribute("for", id)?;
    row.append_child(&input)?;
    row.append_child(&readout)?;
    Ok((row, input, readout))
}

pub fn checkbox(
    document: &Document,
    id: &str,
    label: &str,
    help: &str,
    checked: bool,
) -> Result<(HtmlElement, HtmlInputElement), JsValue> {
    let row: HtmlElement = element(document, "div", "")?;
    row.set_class_name("check");
    let input: HtmlInputElement = element(document, "input", "")?;
    input.set_type("checkbox");
    input.set_id(id);
    input.set_checked(checked);
    input.set_title(help);
    let l: web_sys::HtmlLabelElement = element(document, "label", "")?;
    l.set_html_for(id);
    l.set_text_content(Some(label));
    l.set_title(help);
    row.append_child(&input)?;
    row.append_child(&l)?;
    Ok((row, input))
}
