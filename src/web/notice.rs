//! The notice above the plots (`#notice`, an alert): one message at a time, with an optional
//! action button (`#notice-action`) and a dismiss button.

use super::elements::element;
use wasm_bindgen::prelude::*;
use web_sys::{Document, HtmlElement};

pub struct Notice {
    /// The whole notice, hidden while there is nothing to say.
    pub element: HtmlElement,
    text: HtmlElement,
    /// The one action a notice can offer (resetting the model), hidden when it offers none.
    pub action: HtmlElement,
    pub dismiss: HtmlElement,
}

impl Notice {
    /// A hidden notice, ready to be appended to the page.
    pub fn new(document: &Document) -> Result<Self, JsValue> {
        let notice: HtmlElement = element(document, "div", "notice")?;
        notice.set_id("notice");
        notice.set_attribute("role", "alert")?;
        notice.set_hidden(true);
        let text: HtmlElement = element(document, "span", "")?;
        let action: HtmlElement = element(document, "button", "")?;
        action.set_id("notice-action");
        action.set_attribute("type", "button")?;
        action.set_hidden(true);
        let dismiss: HtmlElement = element(document, "button", "dismiss")?;
        dismiss.set_text_content(Some("×"));
        dismiss.set_attribute("aria-label", "Dismiss")?;
        dismiss.set_attribute("type", "button")?;
        notice.append_child(&text)?;
        notice.append_child(&action)?;
        notice.append_child(&dismiss)?;
        Ok(Notice {
            element: notice,
            text,
            action,
            dismiss,
        })
    }

    /// Shows `text`, without an action.
    pub fn show(&self, text: &str) {
        self.text.set_text_content(Some(text));
        self.action.set_hidden(true);
        self.element.set_hidden(false);
    }

    /// Shows `text` with an action button labelled `action`.
    pub fn show_with_action(&self, text: &str, action: &str) {
        self.show(text);
        self.action.set_text_content(Some(action));
        self.action.set_hidden(false);
    }

    pub fn hide(&self) {
        self.element.set_hidden(true);
    }

    /// Hides a notice that offers an action (the divergence notice: once the model no longer
    /// diverged, after a reset or a change, its advice is moot).
    pub fn hide_offer(&self) {
        if !self.action.hidden() {
            self.hide();
        }
    }

    /// Whether the notice offers no action (such a notice goes away once a change is applied).
    pub fn has_no_action(&self) -> bool {
        self.action.hidden()
    }
}
