//! Links and presets: the page state a URL hash carries (config, pace, play, preset, hidden
//! controls, large text, projection and head), reading it when the page opens or the hash is
//! edited, writing it back as things change, and presets with their commentary.

use super::Lab;
use crate::lab::config::Config;
use crate::lab::presets;
use crate::lab::session::Session;
use crate::lab::session_change::SessionChange;
use crate::lab::url_state::{control_names, parse_hash, PageState};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::HtmlElement;

/// Text scale in large-text mode.
const BIG_TEXT_SCALE: f64 = 1.4;

/// Milliseconds of the link's own setting computed while the page opens; a setting that takes
/// longer (a long orbit, its FTLE) is finished over the first frames (see `pending_change`).
/// With the stand-in's millisecond and the page's own building, the opening stays well inside
/// a 50 ms frame.
const OPEN_BUDGET_MS: f64 = 20.0;

/// The page state a link's `hash` describes, notices about what in it was changed, a session,
/// and the change that is still to be computed over frames, if any. The session starts on the
/// linked system's defaults and takes the link's config as a change ([`Session::prepare`]),
/// which is applied at once when it takes less than [`OPEN_BUDGET_MS`]: an expensive link never
/// freezes the page while it opens. A 3-D system's defaults alone take 17–40 ms natively (its
/// FTLE, Goodwin's Hill functions) and up to 90 ms in a browser, so a link to one starts on a
/// stand-in, Lotka–Volterra's defaults (about a millisecond), and if its setting is not done
/// within the budget the page draws nothing until it is (`Lab::open`). A config the session
/// cannot use falls back to the defaults, keeping the teacher's hide, large-text and play
/// choices.
pub fn session_for_link(hash: &str) -> Result<LinkedSession, String> {
    let (mut state, mut notices) = parse_hash(hash);
    let start = super::now_ms();
    let linked_system = state.config.system;
    let base = if linked_system.dim() > 2 {
        Config::default()
    } else {
        Config::for_system(linked_system)
    };
    let linked = Session::new(base).and_then(|mut session| {
        let mut change = session.prepare(state.config.clone())?;
        let done = change.work(&mut || super::now_ms() - start > OPEN_BUDGET_MS);
        if done {
            session.apply(change)?;
            Ok((session, None))
        } else {
            Ok((session, Some(change)))
        }
    });
    let (session, pending) = match linked {
        Ok(linked) => linked,
        Err(e) => {
            notices.push(format!(
                "the linked settings could not be used ({e}); showing the defaults"
            ));
            // The whole view falls back with the config (a 3-D projection on a 2-D default
            // would not exist); the teacher's hide/big/playing choices are kept.
            state = PageState {
                playing: state.playing,
                hidden: state.hidden,
                big: state.big,
                ..PageState::default()
            };
            (
                Session::new(state.config.clone()).map_err(|e| e.to_string())?,
                None,
            )
        }
    };
    Ok(LinkedSession {
        state,
        notices,
        session,
        pending,
    })
}

/// What [`session_for_link`] gives.
pub struct LinkedSession {
    pub state: PageState,
    pub notices: Vec<String>,
    pub session: Session,
    /// The link's config, still to be computed over the first frames (on a stand-in when
    /// `session` is of another system).
    pub pending: Option<SessionChange>,
}

/// The notice for settings a link asked for that were changed.
fn changed_settings_notice(notices: &[String]) -> String {
    format!(
        "Some settings in the link were changed: {}.",
        notices.join("; ")
    )
}

impl Lab {
    /// Shows the page as its link described it: `state`, read from `hash`, with `notices` about
    /// what in it was changed. The session already has the state's config, or is computing it
    /// (`pending`; a session of another system is a stand-in, drawn only once it is applied).
    pub fn open(
        &mut self,
        state: &PageState,
        hash: String,
        notices: &[String],
        pending: Option<SessionChange>,
    ) {
        let stand_in = self.session.config().system != state.config.system;
        self.apply_page_state(state);
        self.requests.controls_changed = false; // the session has (or is computing) this config
        if let Some(change) = pending {
            self.begin_change(change, true, stand_in);
        }
        self.fit_to_session();
        if !self.opening_on_stand_in() {
            // On a stand-in the projection waits for the link's system (`controls_applied`).
            self.link.linked_projection = None;
        }
        let mut notices = notices.to_vec();
        notices.extend(self.open_data(&hash));
        notices.extend(self.open_embedding(&hash));
        let paused = self.pause_for_reduced_motion(&hash);
        self.forget_experiments(); // says why there is no normal kick on a 3-D system
        self.link.last_hash = hash;
        self.dirty.hash = false;
        if !notices.is_empty() {
            self.notice.show(&changed_settings_notice(&notices));
            self.dirty.hash = true; // show the corrected state in the address bar
        } else if let Some(why) = paused {
            self.notice.show(why);
        }
    }

    /// Applies a whole page state (from a link, a preset or a hash edit).
    pub(super) fn apply_page_state(&mut self, state: &PageState) {
        self.plots.phase.projection = state.projection;
        self.link.linked_projection = Some(state.projection);
        self.dirty.phase_cold = true; // the projection, the head or the text size may differ
        self.tools.fit_system(state.config.system);
        self.view.head = state.head;
        self.controls.show(
            &self.document,
            &state.config,
            state.steps_per_frame,
            state.projection,
            state.head,
        );
        self.requests.controls_changed = true;
        self.set_playing(state.playing);
        self.link.preset = state.preset;
        self.tools.preset.set_value(state.preset.unwrap_or(""));
        self.show_commentary();
        self.link.hidden = state.hidden.clone();
        self.apply_hidden();
        self.set_big(state.big);
        self.dirty.hash = true;
    }

    /// The commentary of the preset the page is named by, hidden when it is named by none.
    pub(super) fn show_commentary(&self) {
        let commentary = &self.tools.commentary;
        match self.link.preset.and_then(presets::find) {
            Some(p) => {
                commentary.set_text_content(Some(&format!("{}: {}", p.title, p.commentary)));
                commentary.set_hidden(false);
            }
            None => commentary.set_hidden(true),
        }
    }

    /// The preset select changed: applies preset `id` (keeping play, hidden controls and text
    /// size), or just forgets the preset for "(custom)".
    pub fn choose_preset(&mut self, id: &str) {
        let Some(p) = presets::find(id) else {
            self.link.preset = None;
            self.show_commentary();
            return;
        };
        let (config, spf) = p.settings();
        let config_projection = config.system.run_defaults().projection;
        let state = PageState {
            config,
            steps_per_frame: spf,
            playing: self.training.playing,
            preset: Some(p.id),
            hidden: self.link.hidden.clone(),
            big: self.view.big,
            projection: config_projection,
            head: 0,
        };
        self.apply_page_state(&state);
    }

    /// Hides the rows of the controls named in the link's hidden list (teacher links) and shows
    /// the rest.
    pub(super) fn apply_hidden(&self) {
        let dim = self.session.config().system.dim();
        for name in control_names() {
            // The projection choice only exists for 3-D systems.
            let hidden = self.link.hidden.iter().any(|h| h == name);
            let hide = hidden || (name == "projection" && dim < 3);
            if let Some(row) = self
                .document
                .get_element_by_id(name)
                .and_then(|e| e.parent_element())
            {
                if let Some(row) = row.dyn_ref::<HtmlElement>() {
                    row.set_hidden(hide);
                }
            }
        }
    }

    /// Large text on or off: the page's class, the button's state and the plots' text scale.
    fn set_big(&mut self, big: bool) {
        self.view.big = big;
        let _ = self.root.class_list().toggle_with_force("big", big);
        let _ = self
            .tools
            .big_text
            .set_attribute("aria-pressed", if big { "true" } else { "false" });
        let scale = if big { BIG_TEXT_SCALE } else { 1.0 };
        for canvas in self.plots.canvases_mut() {
            canvas.text_scale = scale;
        }
        self.plots.ensemble.text_scale = scale;
        self.dirty.resize = true;
        self.dirty.hash = true;
    }

    /// The Large text button.
    pub fn toggle_big(&mut self) {
        let big = !self.view.big;
        self.set_big(big);
    }

    pub(super) fn page_state(&self) -> PageState {
        PageState {
            config: self.linked_config(),
            steps_per_frame: self.training.steps_per_frame,
            playing: self.training.playing,
            preset: self.link.preset,
            hidden: self.link.hidden.clone(),
            big: self.view.big,
            projection: self.plots.phase.projection,
            head: self.view.head,
        }
    }

    /// Writes the page state into the address bar (replacing the history entry) if it changed.
    pub(super) fn write_hash(&mut self) {
        self.dirty.hash = false;
        let hash = self.full_hash();
        if hash == self.link.last_hash {
            return;
        }
        if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
            if history
                .replace_state_with_url(&JsValue::NULL, "", Some(&hash))
                .is_ok()
            {
                self.link.last_hash = hash;
            }
        }
    }

    /// The user edited the hash by hand (or followed a link on the same page).
    pub fn hash_changed(&mut self) {
        let hash = web_sys::window()
            .and_then(|w| w.location().hash().ok())
            .unwrap_or_default();
        if hash == self.link.last_hash {
            return;
        }
        let (state, mut notices) = parse_hash(&hash);
        self.apply_page_state(&state);
        notices.extend(self.open_data(&hash));
        notices.extend(self.open_embedding(&hash));
        self.link.last_hash = hash;
        if !notices.is_empty() {
            self.notice.show(&changed_settings_notice(&notices));
        }
    }
}
