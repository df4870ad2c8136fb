//! Building the page's DOM: typed elements, buttons, fieldsets and labelled control rows.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, HtmlElement, HtmlLabelElement};

/// A new `tag` element cast to `T`, with `class` if not empty.
pub fn element<T: JsCast>(document: &Document, tag: &str, class: &str) -> Result<T, JsValue> {
    let e = document.create_element(tag)?;
    if !class.is_empty() {
        e.set_class_name(class);
    }
    e.dyn_into::<T>()
        .map_err(|_| JsValue::from_str("wrong element type"))
}

/// A `type="button"` button with an id, a label and a tooltip.
pub fn button(
    document: &Document,
    id: &str,
    text: &str,
    title: &str,
) -> Result<HtmlElement, JsValue> {
    let b: HtmlElement = element(document, "button", "")?;
    b.set_id(id);
    b.set_text_content(Some(text));
    b.set_title(title);
    b.set_attribute("type", "button")?;
    Ok(b)
}

/// A fieldset with a legend.
pub fn fieldset(document: &Document, title: &str) -> Result<HtmlElement, JsValue> {
    let f: HtmlElement = element(document, "fieldset", "")?;
    let legend: HtmlElement = element(document, "legend", "")?;
    legend.set_text_content(Some(title));
    f.append_child(&legend)?;
    Ok(f)
}

/// A control row (`class="control"`) holding a label for the control with id `for_id`; the
/// caller appends the control itself.
pub fn labelled_row(
    document: &Document,
    for_id: &str,
    label: &str,
    help: &str,
) -> Result<HtmlElement, JsValue> {
    let row: HtmlElement = element(document, "div", "control")?;
    let l: HtmlLabelElement = element(document, "label", "")?;
    l.set_html_for(for_id);
    l.set_text_content(Some(label));
    l.set_title(help);
    row.append_child(&l)?;
    Ok(row)
}

/// Disables `b` with `reason` (its tooltip, and the text of `why`, its description), or enables
/// it with the tooltip `title`.
pub fn disable_with_reason(b: &HtmlElement, why: &HtmlElement, reason: Option<&str>, title: &str) {
    let _ = b.toggle_attribute_with_force("disabled", reason.is_some());
    b.set_title(reason.unwrap_or(title));
    let _ = b.set_attribute("data-disabled-why", reason.unwrap_or(""));
    why.set_text_content(reason);
    why.set_hidden(reason.is_none());
}

/// A hidden hint that describes `target` (for a disabled control's reason).
pub fn reason_hint(document: &Document, target: &HtmlElement) -> Result<HtmlElement, JsValue> {
    let why: HtmlElement = element(document, "p", "hint why")?;
    let id = format!("{}-why", target.id());
    why.set_id(&id);
    why.set_hidden(true);
    target.set_attribute("aria-describedby", &id)?;
    Ok(why)
}

/// Disables `input` with `reason` (the tooltip of the input and its label, and the description
/// `why_id`, a visible hint the caller fills with the reason), or enables it with its help
/// `title` and no description.
pub fn disable_input_with_reason(
    input: &web_sys::HtmlInputElement,
    reason: Option<&str>,
    title: &str,
    why_id: &str,
) {
    input.set_disabled(reason.is_some());
    let shown = reason.unwrap_or(title);
    input.set_title(shown);
    let label = input
        .parent_element()
        .and_then(|row| row.query_selector("label").ok().flatten());
    if let Some(label) = label {
        let _ = label.set_attribute("title", shown);
    }
    let _ = input.set_attribute("data-disabled-why", reason.unwrap_or(""));
    let _ = match reason {
        Some(_) => input.set_attribute("aria-describedby", why_id),
        None => input.remove_attribute("aria-describedby"),
    };
}
