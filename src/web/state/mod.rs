//! The lab behind the page: one `Lab` holds the session, the page's parts and the page's own
//! state, and changes them only inside an animation frame or an event handler. Its methods are
//! split by concern:
//! - `frame`: the frame loop (apply what events asked for, train within a time budget, draw,
//!   refresh the stats and the URL hash); `first_frames`: the plots' first draw after load,
//!   a layer per frame;
//! - `settings`: the controls and the session (applying, showing, playing, new noise);
//!   `pending_change`: a change too expensive for one frame, computed over frames;
//! - `links`: the URL hash and presets (the page state a link carries);
//! - `export_import`: downloads and uploaded observations;
//! - `pointer`: the phase portrait under the pointer (tooltip, click to kick), the perturbation
//!   experiments and the phase-plane aids;
//! - `accessible_view`: the canvases' descriptions and captions, the keyboard cursor, the audio
//!   trace and reduced motion;
//! - `background`: the ensemble over noise draws, computed in the frames' spare time, and the
//!   verdict it gives;
//! - `readings`: what the page says about the run beyond the stats (the status line, the
//!   ensemble strip, the settled verdict, the "why" paragraph, the data controls' reasons);
//! - `embed_api`: the JavaScript API's side (state, changes, report, play and pause) and the
//!   embedding keys of the link;
//! - `clock_kick`, `clock_kicking`, `clock_input`: "Kick the clock", the phase response of a
//!   limit cycle, kicks at a phase followed over frames, and the user's side of it;
//! - `data_choice`, `fitting`, `fit_drawing`, `reweighting`, `fit_export`: the data select
//!   (simulated, lynx–hare, a file), fitting the system to real data a few steps per frame, the
//!   fit as the target, attention-weighted refitting, and exports that describe the analysed
//!   data.

mod accessible_view;
mod background;
mod clock_input;
mod clock_kick;
mod clock_kicking;
mod data_choice;
mod embed_api;
mod export_import;
mod first_frames;
mod fit_drawing;
mod fit_export;
mod fitting;
mod frame;
mod links;
mod pending_change;
mod pointer;
mod readings;
mod record_frame;
mod reweighting;
mod settings;

pub use links::session_for_link;

use super::accessibility::Accessibility;
use super::notice::Notice;
use super::page::{Explain, Page};
use super::panels::controls::Controls;
use super::panels::controls_drawer::ControlsDrawer;
use super::panels::record_clip::RecordClip;
use super::panels::stats::{FrameTiming, StatsPanel};
use super::panels::status_line::StatusLine;
use super::panels::tools::ToolsPanel;
use super::plots::Plots;
use crate::experiments::kick_response::KickResponse;
use crate::lab::embed_link::EmbedLink;
use crate::lab::session::Session;
use crate::lab::url_state::PageState;
use background::Background;
use clock_kick::ClockKick;
use fitting::FitState;
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
    /// The ensemble changed (a seed read, a new one): redraw its strip with the stats.
    ensemble: bool,
    /// The "why" paragraph is out of date (a new setting, new data, a reset, or training
    /// converged); it is computed when the explanations are open.
    why: bool,
    /// The plots below the main three (the perturbation and decile plots) need redrawing.
    side_plots: bool,
    /// The next step of the first draw after load (`first_frames`), until it is done.
    first_draw: Option<u8>,
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
    /// Whether training had converged at the end of the last frame (to notice convergence).
    converged: bool,
    /// Whether the "What am I looking at?" panel is open.
    explain_open: bool,
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
    /// The embedding keys (`embed=1`, `origins=`), kept in the hash as the page rewrites it.
    embed: EmbedLink,
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
    /// The control panel as a drawer on a phone.
    pub drawer: ControlsDrawer,
    pub tools: ToolsPanel,
    /// "Record a clip": the figure as a WebM video.
    pub record: RecordClip,
    stats: StatsPanel,
    status: StatusLine,
    pub plots: Plots,
    pub notice: Notice,
    pub explain: Explain,
    view: View,
    link: Link,
    timing: FrameTiming,
    /// When the stats were last rewritten (the frame's timestamp, ms).
    last_stats_ms: f64,
    /// The ensemble over noise draws of the current setting.
    background: Background,
    /// Kick growth at every sample (it depends on the trajectory only), kept for the next
    /// experiment until the trajectory or the horizon changes.
    kicks: Option<KickResponse>,
    /// "Kick the clock": the panel, the cycle and PRC of the setting, the kicks.
    pub clock: ClockKick,
    /// The data the lab analyses and the fit of the system to them, with their panels.
    pub fit: FitState,
    /// A change of setting being computed over frames (a long orbit, its FTLE).
    pending: Option<pending_change::PendingChange>,
    /// Canvas descriptions, the keyboard cursor, the audio trace, reduced motion.
    pub access: Accessibility,
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
                ensemble: true,
                why: true,
                first_draw: Some(0),
                ..Dirty::default()
            },
            controls: page.controls,
            drawer: page.drawer,
            tools: page.tools,
            record: page.record,
            stats: page.stats,
            status: page.status,
            plots: page.plots,
            notice: page.notice,
            explain: page.explain,
            view: View::default(),
            link: Link {
                preset: None,
                hidden: Vec::new(),
                linked_projection: None,
                last_hash: String::new(),
                last_hash_ms: f64::NEG_INFINITY,
                embed: EmbedLink::default(),
            },
            timing: FrameTiming::default(),
            last_stats_ms: f64::NEG_INFINITY,
            background: Background::default(),
            kicks: None,
            clock: ClockKick::new(page.clock),
            fit: FitState::new(page.fit, page.data),
            pending: None,
            access: page.access,
        }
    }
}

/// The page's clock (ms), 0 where there is none.
fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}
