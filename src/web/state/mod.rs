//! The lab behind the page: one `Lab` holds the session, the page's parts and the page's own
//! state, and changes them only inside an animation frame or an event handler. Its methods are
//! split by concern:
//! - `frame`: the frame loop (apply what events asked for, train within a time budget, draw,
//!   refresh the stats and the URL hash);
//! - `settings`: the controls and the session (applying, showing, playing, new noise);
//! - `links`: the URL hash and presets (the page state a link carries);
//! - `export_import`: downloads and uploaded observations;
//! - `pointer`: the phase portrait under the pointer (tooltip, click to kick) and its aids.

mod export_import;
mod frame;
mod links;
mod pointer;
mod settings;

pub use links::session_for_link;

use super::notice::Notice;
use super::page::Page;
use super::panels::controls::Controls;
use super::panels::stats::{FrameTiming, StatsPanel};
use super::panels::tools::ToolsPanel;
use super::plots::Plots;
use crate::lab::session::Session;
use crate::lab::url_state::PageState;
use web_sys::{Document, HtmlElement};

/// Which layers need redrawing.
#[derive(Default)]
struct Dirty {
    resize: bool,
    phase_cold: bool,
    fig5_cold: bool,
    loss_cold: bool,
    hot: bool,
    stats: bool,
    /// A deliberate action (control, button, key) happened: refresh the stats this frame
    /// instead of waiting for the next 200 ms tick.
    stats_now: bool,
    /// The state changed since the URL hash was last written.
    hash: bool,
}

/// What events asked for, done at the start of the next frame.
#[derive(Default)]
struct Requests {
    /// Optimizer steps asked for with the Step button or the S key.
    steps: usize,
    /// A control moved: apply the controls to the session.
    controls_changed: bool,
    /// Restart the model from uniform attention.
    reset: bool,
}

/// How training runs.
struct Training {
    playing: bool,
    steps_per_frame: usize,
    /// Measured cost of one optimizer step (ms, smoothed), which caps the steps per frame.
    ms_per_step: f64,
}

/// The page's view settings beyond the plots' own: they leave the session alone.
#[derive(Default)]
struct View {
    /// The self-attention head colouring the portrait (0: all heads).
    head: usize,
    /// That head's attention, when one head is chosen; reused every frame.
    head_attention: Vec<f64>,
    /// Large-text mode.
    big: bool,
}

impl View {
    /// The attention the portrait shows: the chosen head's (computed into `head_attention` when
    /// drawing), or the model's when `head` is 0 or that buffer does not match the data yet.
    fn shown_attention<'a>(&'a self, session: &'a Session) -> &'a [f64] {
        if self.head > 0 && self.head_attention.len() == session.attention().len() {
            &self.head_attention
        } else {
            session.attention()
        }
    }
}

/// Page state a link carries beyond the config and the view, and the hash last written.
struct Link {
    preset: Option<&'static str>,
    /// Controls hidden from students, by name.
    hidden: Vec<String>,
    /// The projection a link or preset asked for, kept until its config has been applied (a
    /// system switch would otherwise reset the projection to the system's default).
    linked_projection: Option<(usize, usize)>,
    /// The hash last written to (or read from) the address bar, and when it was written (ms).
    last_hash: String,
    last_hash_ms: f64,
}

/// The session, the page's parts and the page's own state. Event handlers reach the page's parts
/// (controls, tools, plots, notice) to find their elements; everything else changes through
/// methods.
pub struct Lab {
    document: Document,
    /// The element the lab is mounted in (it carries the `big` class in large-text mode).
    root: HtmlElement,
    session: Session,
    training: Training,
    requests: Requests,
    dirty: Dirty,
    pub controls: Controls,
    pub tools: ToolsPanel,
    stats: StatsPanel,
    pub plots: Plots,
    pub notice: Notice,
    view: View,
    link: Link,
    timing: FrameTiming,
    /// When the stats were last rewritten (the frame's timestamp, ms).
    last_stats_ms: f64,
}

impl Lab {
    /// The lab on a freshly built `page`, training `session` with the pace and play state of
    /// `state` (the rest of `state` is applied by `open`).
    pub fn new(
        document: Document,
        root: HtmlElement,
        session: Session,
        page: Page,
        state: &PageState,
    ) -> Self {
        Lab {
            document,
            root,
            session,
            training: Training {
                playing: state.playing,
                steps_per_frame: state.steps_per_frame,
                ms_per_step: 0.0,
            },
            requests: Requests::default(),
            dirty: Dirty {
                resize: true,
                stats: true,
                stats_now: true,
                ..Dirty::default()
            },
            controls: page.controls,
            tools: page.tools,
            stats: page.stats,
            plots: page.plots,
            notice: page.notice,
            view: View::default(),
            link: Link {
                preset: None,
                hidden: Vec::new(),
                linked_projection: None,
                last_hash: String::new(),
                last_hash_ms: f64::NEG_INFINITY,
            },
            timing: FrameTiming::default(),
            last_stats_ms: f64::NEG_INFINITY,
        }
    }
}

/// The page's clock (ms), 0 where there is none.
fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}
