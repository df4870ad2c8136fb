//! The page for keyboard, screen-reader and listening users: live text descriptions of the
//! canvases and their per-system captions, the keyboard cursor along the orbit, the audio trace,
//! and the reduced-motion preference. The words come from the science core
//! (`lab::canvas_descriptions`, `lab::readout_text`, `lab::audio_trace_score`); this layer only
//! places them and keeps them current.

pub mod audio_trace;
pub mod keyboard_cursor;
pub mod live_descriptions;
pub mod motion_preference;

use super::plots::Plots;
use crate::measures::measure::Measure;
use crate::systems::catalogue::SystemKind;
use audio_trace::AudioTrace;
use keyboard_cursor::KeyboardCursor;
use live_descriptions::LiveDescriptions;
use wasm_bindgen::prelude::*;
use web_sys::{Document, HtmlElement};

/// The accessibility parts of the page, attached to the plots once they are in their figures.
pub struct Accessibility {
    pub descriptions: LiveDescriptions,
    pub cursor: KeyboardCursor,
    pub audio: AudioTrace,
    /// The user asked for reduced motion (`prefers-reduced-motion: reduce`) when the page loaded.
    pub reduced_motion: bool,
    /// When the hot layers were last drawn (ms), to space redraws under reduced motion.
    pub last_hot_ms: f64,
    /// The system and measure "What am I looking at?" explains now.
    pub explained: Option<(SystemKind, Measure)>,
}

impl Accessibility {
    /// Attaches to `plots` (already inside their figures, under `figures`).
    pub fn attach(
        document: &Document,
        figures: &HtmlElement,
        plots: &Plots,
    ) -> Result<Self, JsValue> {
        let descriptions = LiveDescriptions::attach(document, plots)?;
        let cursor = KeyboardCursor::new(document, figures, plots)?;
        let audio = AudioTrace::new(document, plots)?;
        Ok(Accessibility {
            descriptions,
            cursor,
            audio,
            reduced_motion: motion_preference::prefers_reduced_motion(),
            last_hot_ms: f64::NEG_INFINITY,
            explained: None,
        })
    }
}
