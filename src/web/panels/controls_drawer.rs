//! The control panel as a drawer on a phone: a "Controls" button (`#controls-toggle`, with
//! `aria-expanded` and `aria-controls`) fixed at the bottom of the screen opens and closes the
//! panel over the plots, so that the plots come first. On wider screens the stylesheet hides the
//! button and always shows the panel; the state here only matters on narrow screens.

use crate::web::elements::button;
use wasm_bindgen::prelude::*;
use web_sys::{Document, HtmlElement};

/// The id the control panel gets, for the toggle's `aria-controls`.
const PANEL_ID: &str = "controls";

pub struct ControlsDrawer {
    /// The button that opens and closes the drawer (shown on narrow screens only).
    pub toggle: HtmlElement,
    panel: HtmlElement,
}

impl ControlsDrawer {
    /// Makes `panel` a drawer (closed) and returns it with its toggle, which the caller places
    /// right before the panel.
    pub fn new(document: &Document, panel: &HtmlElement) -> Result<Self, JsValue> {
        panel.set_id(PANEL_ID);
        let toggle = button(
            document,
            "controls-toggle",
            "Controls",
            "Show or hide the controls (system, model, noise, training, tools)",
        )?;
        toggle.set_class_name("drawer-toggle");
        toggle.set_attribute("aria-controls", PANEL_ID)?;
        let drawer = ControlsDrawer {
            toggle,
            panel: panel.clone(),
        };
        drawer.set_open(false);
        Ok(drawer)
    }

    pub fn is_open(&self) -> bool {
        self.panel.class_list().contains("open")
    }

    pub fn set_open(&self, open: bool) {
        let _ = self.panel.class_list().toggle_with_force("open", open);
        let _ = self
            .toggle
            .set_attribute("aria-expanded", if open { "true" } else { "false" });
    }

    /// The toggle was pressed.
    pub fn toggle(&self) {
        self.set_open(!self.is_open());
    }

    /// Escape inside the open drawer: close it and give the focus back to its toggle.
    pub fn escape(&self) -> bool {
        // A toggle with no height is hidden: a wide screen, where the panel is no drawer.
        if !self.is_open() || self.toggle.client_height() == 0 {
            return false;
        }
        self.set_open(false);
        let _ = self.toggle.focus();
        true
    }
}
