//! The training status line (`#training-status`): where the schedule is (Adam, the L-BFGS
//! finish, the convergence test, converged, stalled or diverged), in words and as `data-*`
//! attributes for tests: `data-status`, `data-converged`, `data-step` (optimizer steps) and
//! `data-converged-step`.

use crate::lab::session::Session;
use crate::training::trainer::{Status, ADAM_STEPS};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, HtmlElement};

/// The status as a short name and a sentence, for a run at `steps` optimizer steps.
pub fn describe(status: &Status, steps: u64) -> (&'static str, String) {
    match status {
        Status::Adam => ("adam", format!("Adam, step {steps} of {ADAM_STEPS}")),
        Status::Finishing => ("finishing", format!("finishing (L-BFGS), step {steps}")),
        Status::Testing(done, total) => (
            "testing",
            format!(
                "testing convergence (column {} of {total}), step {steps}",
                (*done).clamp(1, (*total).max(1))
            ),
        ),
        Status::Converged { step } => ("converged", format!("converged at step {step}")),
        Status::Stalled(why) => ("stalled", format!("stalled: {why}")),
        Status::Diverged(why) => (
            "diverged",
            // The trainer's reason starts "training diverged at step k: …".
            match why.strip_prefix("training diverged ") {
                Some(rest) => format!("diverged {rest}"),
                None => format!("diverged: {why}"),
            },
        ),
    }
}

/// The status line element and the text it shows.
pub struct StatusLine {
    pub element: HtmlElement,
    shown: String,
}

impl StatusLine {
    pub fn new(document: &Document) -> Result<Self, JsValue> {
        let element: HtmlElement = document.create_element("p")?.dyn_into()?;
        element.set_id("training-status");
        // The settled verdict is announced (see the stats panel); every step would be noise.
        element.set_attribute("aria-live", "off")?;
        Ok(StatusLine {
            element,
            shown: String::new(),
        })
    }

    /// Shows where `session`'s training is; the DOM is touched only when the text changes.
    pub fn update(&mut self, session: &Session) {
        let status = session.training_status();
        let (kind, mut text) = describe(status, session.steps());
        match status {
            Status::Converged { .. } => {
                if let Some(c) = session.trainer().certificate() {
                    text.push_str(&format!(
                        " (gradient norm {}, predicted further decrease {} of the loss)",
                        sci(c.gradient_norm),
                        sci(c.relative_decrement)
                    ));
                }
            }
            Status::Stalled(_) | Status::Diverged(_) => {}
            _ => text.push_str(": still training, the reading below is provisional"),
        }
        let text = format!("Training: {text}.");
        if text == self.shown {
            return;
        }
        let set = |k: &str, v: &str| {
            let _ = self.element.set_attribute(k, v);
        };
        set("data-status", kind);
        set("data-converged", &status.is_converged().to_string());
        set("data-step", &session.steps().to_string());
        let converged_at = match status {
            Status::Converged { step } => step.to_string(),
            _ => String::new(),
        };
        set("data-converged-step", &converged_at);
        self.element.set_text_content(Some(&text));
        self.shown = text;
    }
}

impl StatusLine {
    /// Shows that a new setting is being computed over frames: what and how far (the plots
    /// keep the previous setting until it is done).
    pub fn computing(&mut self, doing: &str, progress: f64, nothing_drawn_yet: bool) {
        let until = if nothing_drawn_yet {
            "the plots appear once it is done"
        } else {
            "the plots show the previous setting until then"
        };
        let text = format!(
            "Computing {doing} for the new setting: {:.0}% ({until}).",
            100.0 * progress.clamp(0.0, 1.0)
        );
        if text == self.shown {
            return;
        }
        let _ = self.element.set_attribute("data-status", "computing");
        self.element.set_text_content(Some(&text));
        self.shown = text;
    }
}

/// A small positive number in scientific notation with a true minus sign: 3.9e−6.
fn sci(v: f64) -> String {
    crate::number_text::sci(v, 1)
}
