//! The browser edge (wasm32 only): binds the DOM, owns the animation loop, draws.
//! All numbers come from [`crate::lab::session::Session`]; nothing here computes science.
//!
//! The exported surface is one object, [`App`]: `new(root_id)`, `start()`, `stop()` and `tick(t)`.

mod controls;
mod elements;
mod explanations;
mod file_io;
mod layered_canvas;
mod loss_plot;
mod perturbation_plot;
mod phase_portrait;
mod sensitivity_plot;
mod stats_panel;
mod tools_panel;

use crate::experiments::perturbation::{attention_perturbation, perturb_at};
use crate::experiments::report::{run_report, write_points_csv};
use crate::lab::presets;
use crate::lab::session::Session;
use crate::lab::url_state::{parse_hash, projection_fits, to_hash, PageState};
use crate::observations::csv_import::parse_observations_csv;
use crate::observations::gaussian_noise::fresh_seed;
use controls::Controls;
use elements::element;
use loss_plot::LossPlot;
use perturbation_plot::PerturbationPlot;
use phase_portrait::PhasePortrait;
use sensitivity_plot::SensitivityPlot;
use stats_panel::{FrameTiming, StatsPanel};
use std::cell::RefCell;
use std::rc::Rc;
use tools_panel::ToolsPanel;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Event, HtmlElement, HtmlInputElement, KeyboardEvent, MouseEvent};

/// Stats are rewritten at most this often (ms): readable, and no DOM churn every frame.
const STATS_INTERVAL_MS: f64 = 200.0;
/// The URL hash is rewritten at most this often (ms) while controls move.
const HASH_INTERVAL_MS: f64 = 300.0;
/// Most milliseconds of training per animation frame (the rest is drawing and the browser).
const TRAIN_BUDGET_MS: f64 = 10.0;
/// Text scale in large-text mode.
const BIG_TEXT_SCALE: f64 = 1.4;
/// Run controls that do not apply to imported data (they shape the simulation); the system's
/// initial-state sliders do not apply either.
const SIMULATION_ONLY: [&str; 4] = ["sigma", "seed", "n", "t_end"];

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

struct Lab {
    document: Document,
    root: HtmlElement,
    session: Session,
    steps_per_frame: usize,
    playing: bool,
    running: bool,
    queued_steps: usize,
    controls_changed: bool,
    reset_requested: bool,
    dirty: Dirty,
    controls: Controls,
    tools: ToolsPanel,
    phase: PhasePortrait,
    fig5: SensitivityPlot,
    loss: LossPlot,
    perturbation: PerturbationPlot,
    stats: StatsPanel,
    notice: HtmlElement,
    notice_text: HtmlElement,
    notice_action: HtmlElement,
    tooltip: HtmlElement,
    timing: FrameTiming,
    last_stats_ms: f64,
    /// Page state a link carries beyond the config.
    preset: Option<&'static str>,
    hidden: Vec<String>,
    big: bool,
    /// The self-attention head colouring the portrait (0: all heads).
    head: usize,
    /// That head's attention, when one head is chosen; reused every frame.
    head_attention: Vec<f64>,
    /// Measured cost of one optimizer step (ms, smoothed), which caps the steps per frame.
    ms_per_step: f64,
    /// The projection a link or preset asked for, kept until its config has been applied (a
    /// system switch would otherwise reset the projection to the system's default).
    linked_projection: Option<(usize, usize)>,
    last_hash_ms: f64,
    last_hash: String,
}

/// The attention the portrait shows: head `head`'s (computed into `head_attention` when drawing),
/// or the model's when `head` is 0 or that buffer does not match the data yet.
fn shown_attention<'a>(head: usize, head_attention: &'a [f64], session: &'a Session) -> &'a [f64] {
    if head > 0 && head_attention.len() == session.attention().len() {
        head_attention
    } else {
        session.attention()
    }
}

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

impl Lab {
    fn frame(&mut self, stamp_ms: f64) {
        let start = now_ms();
        if std::mem::take(&mut self.controls_changed) {
            self.apply_controls();
            self.dirty.stats_now = true;
        }
        if std::mem::take(&mut self.reset_requested) {
            self.session.reset_model();
            self.dirty.loss_cold = true;
            self.dirty.hot = true;
            self.dirty.stats_now = true;
        }
        if self.queued_steps > 0 {
            self.dirty.stats_now = true;
        }
        if std::mem::take(&mut self.dirty.resize) {
            for canvas in [
                &mut self.phase.canvas,
                &mut self.fig5.canvas,
                &mut self.loss.canvas,
                &mut self.perturbation.canvas,
            ] {
                canvas.fit();
            }
            self.dirty.phase_cold = true;
            self.dirty.fig5_cold = true;
            self.dirty.loss_cold = true;
            self.perturbation.redraw();
        }
        // Steps asked for with the Step button (or the S key) all run: a deliberate action.
        // While playing, training takes at most TRAIN_BUDGET_MS of the frame, from the measured
        // cost of a step, so slow models (self-attention costs ~100× paper-linear) keep the
        // page responsive; an unknown cost (new model or data) is measured with one step first.
        let queued = std::mem::take(&mut self.queued_steps);
        let mut taken = self.timed_step(queued);
        if self.playing && self.session.diverged().is_none() {
            let mut left = self.steps_per_frame;
            if self.ms_per_step == 0.0 {
                taken += self.timed_step(1);
                left -= 1;
            }
            let cap = ((TRAIN_BUDGET_MS / self.ms_per_step.max(1e-6)).floor() as usize).max(1);
            taken += self.timed_step(left.min(cap));
        }
        let run = queued + usize::from(self.playing);
        if run > 0 {
            self.dirty.hot = true;
            self.dirty.stats = true;
        }
        if let Some(why) = self.session.diverged().map(str::to_owned) {
            if self.playing || run > 0 {
                self.set_playing(false);
                self.show_notice_with_action(
                    &format!("Training paused: {why}. Lower the learning rate, or reset the model to start again from uniform attention."),
                    "Reset model",
                );
            }
        }
        self.draw();
        let due = stamp_ms - self.last_stats_ms >= STATS_INTERVAL_MS;
        if std::mem::take(&mut self.dirty.stats_now) || (self.dirty.stats && (!self.playing || due))
        {
            let (fps, frame_ms, steps_per_second) = self.timing.summary();
            self.stats
                .update(&self.session, fps, frame_ms, steps_per_second);
            let attention = shown_attention(self.head, &self.head_attention, &self.session);
            self.phase.update_labels(attention);
            self.last_stats_ms = stamp_ms;
            self.dirty.stats = false;
        }
        if self.dirty.hash && stamp_ms - self.last_hash_ms >= HASH_INTERVAL_MS {
            self.write_hash();
            self.last_hash_ms = stamp_ms;
        }
        self.timing.record(stamp_ms, now_ms() - start, taken as u64);
    }

    /// Runs `k` optimizer steps, updating the measured cost of one; returns how many ran.
    fn timed_step(&mut self, k: usize) -> usize {
        if k == 0 {
            return 0;
        }
        let t0 = now_ms();
        let done = self.session.step(k);
        if done > 0 {
            let per_step = (now_ms() - t0) / done as f64;
            // Up at once (a slower model, a larger N), down smoothly.
            self.ms_per_step = if self.ms_per_step > 0.0 && per_step < self.ms_per_step {
                0.8 * self.ms_per_step + 0.2 * per_step
            } else {
                per_step
            };
        }
        done
    }

    fn draw(&mut self) {
        let mut errors = Vec::new();
        if self.head > 0 && (self.dirty.hot || self.dirty.phase_cold) {
            self.session
                .head_attention(self.head, &mut self.head_attention);
        }
        if std::mem::take(&mut self.dirty.phase_cold) {
            self.phase.head = self.head;
            let attention = shown_attention(self.head, &self.head_attention, &self.session);
            self.phase.update_labels(attention);
            errors.extend(self.phase.draw_cold(&self.session).err());
            self.dirty.hot = true;
        }
        if std::mem::take(&mut self.dirty.fig5_cold) {
            errors.extend(self.fig5.draw_cold(&self.session).err());
            self.dirty.hot = true;
        }
        if std::mem::take(&mut self.dirty.loss_cold)
            || (self.dirty.hot && self.loss.needs_cold(&self.session))
        {
            errors.extend(self.loss.draw_cold(&self.session).err());
            self.dirty.hot = true;
        }
        if std::mem::take(&mut self.dirty.hot) {
            let attention = shown_attention(self.head, &self.head_attention, &self.session);
            self.phase.draw_hot(&self.session, attention);
            // The right-hand plot shows what the metrics measure: all heads together.
            self.fig5.draw_hot(&self.session, self.session.attention());
            self.loss.draw_hot(&self.session);
        }
        if let Some(e) = errors.first() {
            self.show_notice(&format!("Drawing failed: {e}"));
        }
    }

    /// Marks which layers a session change invalidated.
    fn recomputed(&mut self, done: crate::lab::session::Recomputed) {
        self.dirty.phase_cold |= done.trajectory || done.observations;
        self.dirty.fig5_cold |= done.trajectory || done.observations || done.measure;
        self.dirty.loss_cold |= done.model;
        if done.model || done.trajectory {
            self.ms_per_step = 0.0; // re-measure: the cost of a step may have changed
        }
        self.dirty.hot = true;
        self.dirty.stats_now = true;
        self.dirty.hash = true;
    }

    /// Applies the controls to the session; a rejected change puts the controls back.
    fn apply_controls(&mut self) {
        let before = self.session.config().system;
        let result = self
            .controls
            .read(self.session.config())
            .and_then(|(config, spf)| {
                self.steps_per_frame = spf;
                self.session.set_config(config).map_err(|e| e.to_string())
            });
        match result {
            Ok(done) => {
                if self.head > self.session.heads() {
                    self.head = 0; // that head no longer exists: show all
                    self.dirty.phase_cold = true;
                }
                let system = self.session.config().system;
                let linked = self.linked_projection.take();
                let switched = system != before;
                if switched {
                    // New axes for the new system: the link's projection if it came with one,
                    // else the system's default.
                    self.phase.projection = linked
                        .filter(|&p| projection_fits(p, system.dim()))
                        .unwrap_or(system.run_defaults().projection);
                    self.phase.hovered = None;
                }
                // Rebuilds the system's sliders and options when the system changed.
                self.show_controls();
                if switched {
                    self.set_imported_mode(matches!(
                        self.session.source(),
                        crate::lab::session::DataSource::Imported(_)
                    ));
                    self.apply_hidden();
                }
                self.recomputed(done);
                if self.notice_action.hidden() {
                    self.hide_notice();
                }
            }
            Err(message) => {
                self.show_notice(&format!(
                    "That setting was not applied: {message}. The previous settings are kept."
                ));
                // The view must fit the session's system, whatever the rejected link asked for.
                self.linked_projection = None;
                if !projection_fits(self.phase.projection, self.session.dim()) {
                    self.phase.projection = self.session.config().system.run_defaults().projection;
                    self.dirty.phase_cold = true;
                }
                self.show_controls();
            }
        }
    }

    /// Moves the controls to the session's config and the page's view settings.
    fn show_controls(&mut self) {
        self.tools.fit_system(self.session.config().system);
        self.controls.show(
            &self.document,
            self.session.config(),
            self.steps_per_frame,
            self.phase.projection,
            self.head,
        );
    }

    /// The projection or head select changed: a view change, the session is untouched.
    fn view_changed(&mut self) {
        let projection = self.controls.projection();
        if projection != self.phase.projection {
            self.phase.projection = projection;
            self.phase.hovered = None;
            self.dirty.phase_cold = true;
        }
        let head = self.controls.head();
        if head != self.head {
            self.head = head;
            self.dirty.phase_cold = true;
        }
        self.dirty.hot = true;
        self.dirty.hash = true;
    }

    fn show_notice(&self, text: &str) {
        self.notice_text.set_text_content(Some(text));
        self.notice_action.set_hidden(true);
        self.notice.set_hidden(false);
    }

    fn show_notice_with_action(&self, text: &str, action: &str) {
        self.show_notice(text);
        self.notice_action.set_text_content(Some(action));
        self.notice_action.set_hidden(false);
    }

    fn hide_notice(&self) {
        self.notice.set_hidden(true);
    }

    fn set_playing(&mut self, playing: bool) {
        self.playing = playing;
        self.controls.set_playing(playing);
        self.dirty.stats_now = true;
        self.dirty.hash = true;
    }

    fn toggle_play(&mut self) {
        if self.session.diverged().is_some() && !self.playing {
            self.show_notice_with_action(
                "Training diverged. Lower the learning rate or reset the model, then play.",
                "Reset model",
            );
            return;
        }
        self.set_playing(!self.playing);
    }

    fn new_noise(&mut self) {
        if let Some(seed) = self.controls.slider("seed") {
            let next = loop {
                let s = (fresh_seed() % 1000) as f64;
                if s != seed.value() {
                    break s;
                }
            };
            seed.set_value(next);
        }
        self.user_changed_controls();
    }

    /// A control moved by hand: apply it next frame; the state no longer is a preset.
    fn user_changed_controls(&mut self) {
        self.controls_changed = true;
        if self.preset.take().is_some() {
            self.tools.preset.set_value("");
        }
    }

    /// Applies a whole page state (from a link, a preset or a hash edit).
    fn apply_page_state(&mut self, state: &PageState) {
        self.phase.projection = state.projection;
        self.linked_projection = Some(state.projection);
        self.dirty.phase_cold = true; // the projection, the head or the text size may differ
        self.tools.fit_system(state.config.system);
        self.head = state.head;
        self.controls.show(
            &self.document,
            &state.config,
            state.steps_per_frame,
            state.projection,
            state.head,
        );
        self.controls_changed = true;
        self.set_playing(state.playing);
        self.preset = state.preset;
        self.tools.preset.set_value(state.preset.unwrap_or(""));
        self.show_commentary();
        self.hidden = state.hidden.clone();
        self.apply_hidden();
        self.set_big(state.big);
        self.dirty.hash = true;
    }

    fn show_commentary(&self) {
        match self.preset.and_then(presets::find) {
            Some(p) => {
                self.tools
                    .commentary
                    .set_text_content(Some(&format!("{}: {}", p.title, p.commentary)));
                self.tools.commentary.set_hidden(false);
            }
            None => self.tools.commentary.set_hidden(true),
        }
    }

    fn choose_preset(&mut self, id: &str) {
        let Some(p) = presets::find(id) else {
            self.preset = None;
            self.show_commentary();
            return;
        };
        let (config, spf) = p.settings();
        let config_projection = config.system.run_defaults().projection;
        let state = PageState {
            config,
            steps_per_frame: spf,
            playing: self.playing,
            preset: Some(p.id),
            hidden: self.hidden.clone(),
            big: self.big,
            projection: config_projection,
            head: 0,
        };
        self.apply_page_state(&state);
    }

    /// Hides the rows of the controls named in `self.hidden` (teacher links) and shows the rest.
    fn apply_hidden(&self) {
        let dim = self.session.config().system.dim();
        for name in crate::lab::url_state::control_names() {
            // The projection choice only exists for 3-D systems.
            let hide = self.hidden.iter().any(|h| h == name) || (name == "projection" && dim < 3);
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

    fn set_big(&mut self, big: bool) {
        self.big = big;
        let _ = self.root.class_list().toggle_with_force("big", big);
        let _ = self
            .tools
            .big_text
            .set_attribute("aria-pressed", if big { "true" } else { "false" });
        let scale = if big { BIG_TEXT_SCALE } else { 1.0 };
        for canvas in [
            &mut self.phase.canvas,
            &mut self.fig5.canvas,
            &mut self.loss.canvas,
            &mut self.perturbation.canvas,
        ] {
            canvas.text_scale = scale;
        }
        self.dirty.resize = true;
        self.dirty.hash = true;
    }

    fn page_state(&self) -> PageState {
        PageState {
            config: self.session.config().clone(),
            steps_per_frame: self.steps_per_frame,
            playing: self.playing,
            preset: self.preset,
            hidden: self.hidden.clone(),
            big: self.big,
            projection: self.phase.projection,
            head: self.head,
        }
    }

    fn write_hash(&mut self) {
        self.dirty.hash = false;
        let hash = to_hash(&self.page_state());
        if hash == self.last_hash {
            return;
        }
        if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
            if history
                .replace_state_with_url(&JsValue::NULL, "", Some(&hash))
                .is_ok()
            {
                self.last_hash = hash;
            }
        }
    }

    /// The user edited the hash by hand (or followed a link on the same page).
    fn hash_changed(&mut self) {
        let hash = web_sys::window()
            .and_then(|w| w.location().hash().ok())
            .unwrap_or_default();
        if hash == self.last_hash {
            return;
        }
        let (state, notices) = parse_hash(&hash);
        self.apply_page_state(&state);
        self.last_hash = hash;
        if !notices.is_empty() {
            self.show_notice(&format!(
                "Some settings in the link were changed: {}.",
                notices.join("; ")
            ));
        }
    }

    /// The perturbation horizon: the slider's number of measured periods (of t_end when the
    /// period is unknown).
    fn horizon(&self) -> f64 {
        self.session.period().unwrap_or(self.session.config().t_end) * self.tools.horizon_periods()
    }

    fn perturb(&mut self) {
        let result =
            attention_perturbation(&self.session, self.tools.epsilon(), Some(self.horizon()));
        self.perturbation.show(result);
    }

    /// A click on the phase portrait: set the initial condition there, or kick the nearest point.
    fn phase_click(&mut self, event: &MouseEvent) {
        let (cx, cy) = (event.offset_x() as f64, event.offset_y() as f64);
        if self.tools.click_sets_initial.checked() {
            let Some((x, y)) = self.phase.data_at(cx, cy) else {
                return;
            };
            let initial = self.session.config().system.initial_state();
            let (px, py) = self.phase.axes(self.session.dim());
            for (spec, v) in [(&initial[px], x), (&initial[py], y)] {
                if let Some(s) = self.controls.slider(spec.name) {
                    let snapped = (v / spec.step).round() * spec.step;
                    s.set_value(snapped.clamp(spec.min, spec.max));
                }
            }
            self.user_changed_controls();
            return;
        }
        if let Some(i) = self.phase.nearest(&self.session, cx, cy) {
            let n = self.session.attention().len();
            self.perturbation.show_clicked(
                perturb_at(&self.session, i, self.tools.epsilon(), self.horizon()),
                n,
            );
        }
    }

    fn aids_changed(&mut self) {
        self.phase.aids.direction_field = self.tools.direction_field.checked();
        self.phase.aids.nullclines = self.tools.nullclines.checked();
        self.phase.aids.equilibrium = self.tools.equilibrium.checked();
        self.dirty.phase_cold = true;
    }

    fn export(&self, what: &str) {
        let result = match what {
            "csv" => {
                let mut bytes = Vec::new();
                write_points_csv(&self.session, &mut bytes)
                    .map_err(|e| JsValue::from_str(&e.to_string()))
                    .and_then(|_| {
                        file_io::download_text(
                            &self.document,
                            &String::from_utf8_lossy(&bytes),
                            "lyapunov-lens-points.csv",
                            "text/csv",
                        )
                    })
            }
            "json" => serde_json::to_string(&run_report(&self.session))
                .map_err(|e| JsValue::from_str(&e.to_string()))
                .and_then(|text| {
                    file_io::download_text(
                        &self.document,
                        &text,
                        "lyapunov-lens-run.json",
                        "application/json",
                    )
                }),
            "png-phase" => file_io::download_png(
                &self.document,
                &[&self.phase.canvas],
                "lyapunov-lens-phase-portrait.png",
            ),
            "png-fig5" => file_io::download_png(
                &self.document,
                &[&self.fig5.canvas],
                "lyapunov-lens-normal-derivative.png",
            ),
            _ => file_io::download_png(
                &self.document,
                &[&self.phase.canvas, &self.fig5.canvas, &self.loss.canvas],
                "lyapunov-lens-figure.png",
            ),
        };
        if let Err(e) = result {
            self.show_notice(&format!("Export failed: {e:?}"));
        }
    }

    /// Trains on an uploaded file's observations, or says why not and keeps the current data.
    fn import_text(&mut self, name: &str, text: Result<String, String>) {
        let parsed = text.and_then(|t| parse_observations_csv(&t).map_err(|e| e.to_string()));
        let result = parsed.and_then(|series| {
            let description = series.description.clone();
            self.session
                .import(series)
                .map(|done| (done, description))
                .map_err(|e| e.to_string())
        });
        match result {
            Ok((done, description)) => {
                self.recomputed(done);
                self.set_imported_mode(true);
                self.show_notice(&format!(
                    "Imported {name}: {description}. The target and {} use the current {} parameters.",
                    self.session.config().measure.symbol(),
                    self.session.config().system
                ));
            }
            Err(e) => self.show_notice(&format!(
                "Could not import {name}: {e}. The previous data are kept."
            )),
        }
        self.tools.import_csv.set_value("");
    }

    fn clear_import(&mut self) {
        match self.session.clear_import() {
            Ok(done) => {
                self.recomputed(done);
                self.set_imported_mode(false);
                self.hide_notice();
            }
            Err(e) => self.show_notice(&format!("Could not return to simulated data: {e}")),
        }
    }

    /// With imported data, the simulation's controls do not apply: disable them.
    fn set_imported_mode(&self, imported: bool) {
        let initial = self.session.config().system.initial_state().iter();
        for name in SIMULATION_ONLY.into_iter().chain(initial.map(|p| p.name)) {
            if let Some(s) = self.controls.slider(name) {
                s.input.set_disabled(imported);
            }
        }
        self.tools.clear_import.set_hidden(!imported);
    }

    fn hover(&mut self, event: &MouseEvent) {
        let index = self.phase.nearest(
            &self.session,
            event.offset_x() as f64,
            event.offset_y() as f64,
        );
        if index != self.phase.hovered {
            self.phase.hovered = index;
            self.dirty.hot = true;
        }
        match index {
            Some(i) => {
                let (obs, clean) = (self.session.observations(), self.session.clean());
                let n = self.session.attention().len() as f64;
                let names = self.session.system().state_names();
                let mut text = format!("t = {:.3}", self.session.times()[i]);
                for (c, name) in names.iter().enumerate() {
                    text.push_str(&format!(
                        "\n{name}: observed {:.3}, clean {:.3}",
                        obs[[i, c]],
                        clean[[i, c]]
                    ));
                }
                text.push_str(&format!(
                    "\nattention × N = {:.5}",
                    shown_attention(self.head, &self.head_attention, &self.session)[i] * n
                ));
                let measure = self.session.config().measure;
                text.push_str(&format!(
                    "\n{} = {:.4}",
                    measure.symbol(),
                    self.session.sensitivity()[i]
                ));
                self.tooltip.set_text_content(Some(&text));
                let style = self.tooltip.style();
                let _ = style.set_property("left", &format!("{}px", event.offset_x() + 14));
                let _ = style.set_property("top", &format!("{}px", event.offset_y() + 14));
                self.tooltip.set_hidden(false);
            }
            None => self.tooltip.set_hidden(true),
        }
    }
}

type Listener = Closure<dyn FnMut(Event)>;
/// What an event does to the lab.
type Handler = Box<dyn FnMut(&mut Lab, Event)>;
type FrameCallback = Rc<RefCell<Option<Closure<dyn FnMut(f64)>>>>;

/// The lab, mounted into one element. The page's only exported object.
#[wasm_bindgen]
pub struct App {
    lab: Rc<RefCell<Lab>>,
    _listeners: Vec<Listener>,
}

fn figure(
    document: &Document,
    plot: &HtmlElement,
    caption: &str,
) -> Result<web_sys::Node, JsValue> {
    let fig: HtmlElement = element(document, "figure", "")?;
    fig.append_child(plot)?;
    let cap: HtmlElement = element(document, "figcaption", "")?;
    cap.set_text_content(Some(caption));
    fig.append_child(&cap)?;
    Ok(fig.into())
}

#[wasm_bindgen]
impl App {
    /// Builds the lab inside the element with id `root_id`, in the state the URL hash describes
    /// (the defaults when there is none).
    #[wasm_bindgen(constructor)]
    pub fn new(root_id: &str) -> Result<App, JsValue> {
        console_error_panic_hook::set_once();
        let window = web_sys::window().ok_or("no window")?;
        let document = window.document().ok_or("no document")?;
        let root: HtmlElement = document
            .get_element_by_id(root_id)
            .ok_or_else(|| format!("no element #{root_id}"))?
            .dyn_into()?;
        root.set_inner_html("");

        let hash = window.location().hash().unwrap_or_default();
        let (mut state, mut notices) = parse_hash(&hash);
        let session = match Session::new(state.config.clone()) {
            Ok(s) => s,
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
                Session::new(state.config.clone()).map_err(|e| e.to_string())?
            }
        };

        let header: HtmlElement = element(&document, "header", "")?;
        header.set_inner_html(
            "<h1>lyapunov-lens</h1><p class=\"tagline\">An attention model learns from noisy data of a dynamical system. \
             Does it attend where the Lyapunov function V is flat, as \
             <a href=\"https://arxiv.org/abs/2505.06503\">arXiv 2505.06503</a> claims for predator–prey cycles? \
             And where there is no V, where the dynamics are predictable? The lab measures it live.</p>",
        );
        root.append_child(&header)?;
        let explain: HtmlElement = element(&document, "details", "explain")?;
        explain.set_id("explain");
        explain.set_inner_html(explanations::HTML);
        root.append_child(&explain)?;

        let layout: HtmlElement = element(&document, "div", "layout")?;
        let controls = Controls::new(&document, session.config(), state.steps_per_frame)?;
        let tools = ToolsPanel::new(&document, &controls.panel)?;
        layout.append_child(&controls.panel)?;

        let figures: HtmlElement = element(&document, "section", "figures")?;
        figures.set_attribute("aria-label", "Figures")?;
        let stats = StatsPanel::new(&document)?;
        figures.append_child(&stats.verdict)?;
        let one_draw: HtmlElement = element(&document, "p", "hint")?;
        one_draw.set_text_content(Some(
            "This verdict is for one noise draw. Press New noise to see whether it holds for others.",
        ));
        figures.append_child(&one_draw)?;
        figures.append_child(&stats.stats)?;

        let notice: HtmlElement = element(&document, "div", "notice")?;
        notice.set_id("notice");
        notice.set_attribute("role", "alert")?;
        notice.set_hidden(true);
        let notice_text: HtmlElement = element(&document, "span", "")?;
        let notice_action: HtmlElement = element(&document, "button", "")?;
        notice_action.set_id("notice-action");
        notice_action.set_attribute("type", "button")?;
        notice_action.set_hidden(true);
        let dismiss: HtmlElement = element(&document, "button", "dismiss")?;
        dismiss.set_text_content(Some("×"));
        dismiss.set_attribute("aria-label", "Dismiss")?;
        dismiss.set_attribute("type", "button")?;
        notice.append_child(&notice_text)?;
        notice.append_child(&notice_action)?;
        notice.append_child(&dismiss)?;
        figures.append_child(&notice)?;

        let phase = PhasePortrait::new(&document)?;
        let fig5 = SensitivityPlot::new(&document)?;
        let loss = LossPlot::new(&document)?;
        let perturbation = PerturbationPlot::new(&document)?;
        let tooltip: HtmlElement = element(&document, "div", "tooltip")?;
        tooltip.set_hidden(true);
        phase.canvas.wrapper.append_child(&tooltip)?;
        let row: HtmlElement = element(&document, "div", "plots")?;
        row.append_child(&figure(
            &document,
            &phase.canvas.wrapper,
            "Phase portrait. Dots: noisy observations, coloured by attention. Line: the clean orbit. Bands (where a conserved V exists): level sets of V. Hover a dot for its numbers; click one (2-D systems) to kick the orbit there.",
        )?)?;
        row.append_child(&figure(
            &document,
            &fig5.canvas.wrapper,
            "Attention and the chosen sensitivity measure along the orbit (the paper's Figure 5 uses ∂V/∂n). If the claim holds, attention peaks where the measure dips.",
        )?)?;
        figures.append_child(&row)?;
        let row: HtmlElement = element(&document, "div", "plots")?;
        row.append_child(&figure(
            &document,
            &loss.canvas.wrapper,
            "Training loss: mean over t of ‖r_t − x_t‖².",
        )?)?;
        let pert_fig = figure(
            &document,
            &perturbation.canvas.wrapper,
            "Perturbation experiment: how far a kicked orbit drifts from the unkicked one, at the highest- (vermillion) and lowest-attention (green) points.",
        )?;
        pert_fig.append_child(&perturbation.result)?;
        row.append_child(&pert_fig)?;
        figures.append_child(&row)?;
        layout.append_child(&figures)?;
        root.append_child(&layout)?;

        let lab = Rc::new(RefCell::new(Lab {
            document: document.clone(),
            root: root.clone(),
            session,
            steps_per_frame: state.steps_per_frame,
            playing: state.playing,
            running: false,
            queued_steps: 0,
            controls_changed: false,
            reset_requested: false,
            dirty: Dirty {
                resize: true,
                stats: true,
                stats_now: true,
                ..Dirty::default()
            },
            controls,
            tools,
            phase,
            fig5,
            loss,
            perturbation,
            stats,
            notice,
            notice_text,
            notice_action,
            tooltip,
            timing: FrameTiming::default(),
            last_stats_ms: f64::NEG_INFINITY,
            preset: None,
            hidden: Vec::new(),
            big: false,
            head: 0,
            head_attention: Vec::new(),
            ms_per_step: 0.0,
            linked_projection: None,
            last_hash_ms: f64::NEG_INFINITY,
            last_hash: hash.clone(),
        }));
        {
            let mut l = lab.borrow_mut();
            l.apply_page_state(&state);
            l.controls_changed = false; // the session already has this config
            l.linked_projection = None;
            l.last_hash = hash;
            l.dirty.hash = false;
            if !notices.is_empty() {
                l.show_notice(&format!(
                    "Some settings in the link were changed: {}.",
                    notices.join("; ")
                ));
                l.dirty.hash = true; // show the corrected state in the address bar
            }
        }

        let mut listeners = Vec::new();
        let mut listen =
            |target: &web_sys::EventTarget, kind: &str, f: Handler| -> Result<(), JsValue> {
                let lab = lab.clone();
                let mut f = f;
                let closure: Listener = Closure::new(move |e: Event| {
                    if let Ok(mut lab) = lab.try_borrow_mut() {
                        f(&mut lab, e);
                    }
                });
                target.add_event_listener_with_callback(kind, closure.as_ref().unchecked_ref())?;
                listeners.push(closure);
                Ok(())
            };
        {
            let l = lab.borrow();
            // One delegated listener: the system's sliders are rebuilt when the system changes.
            listen(
                &l.controls.panel,
                "input",
                Box::new(|lab, e| {
                    let id = e
                        .target()
                        .and_then(|t| t.dyn_into::<HtmlElement>().ok())
                        .map(|el| el.id())
                        .unwrap_or_default();
                    if let Some(s) = lab.controls.slider(&id) {
                        s.user_moved();
                        s.show(s.value());
                        lab.user_changed_controls();
                    }
                }),
            )?;
            for select in [&l.controls.model, &l.controls.system, &l.controls.measure] {
                listen(
                    select,
                    "change",
                    Box::new(|lab, _| lab.user_changed_controls()),
                )?;
            }
            for select in [&l.controls.projection, &l.controls.head] {
                listen(select, "change", Box::new(|lab, _| lab.view_changed()))?;
            }
            listen(
                &l.controls.play,
                "click",
                Box::new(|lab, _| lab.toggle_play()),
            )?;
            listen(
                &l.controls.step,
                "click",
                Box::new(|lab, _| lab.queued_steps += lab.steps_per_frame),
            )?;
            listen(
                &l.controls.reset,
                "click",
                Box::new(|lab, _| lab.reset_requested = true),
            )?;
            listen(
                &l.controls.new_noise,
                "click",
                Box::new(|lab, _| lab.new_noise()),
            )?;
            listen(&dismiss, "click", Box::new(|lab, _| lab.hide_notice()))?;
            listen(
                &l.notice_action,
                "click",
                Box::new(|lab, _| {
                    lab.reset_requested = true;
                    lab.hide_notice();
                }),
            )?;
            listen(
                &l.tools.preset,
                "change",
                Box::new(|lab, _| {
                    let id = lab.tools.preset.value();
                    lab.choose_preset(&id);
                }),
            )?;
            for input in [&l.tools.epsilon, &l.tools.horizon] {
                listen(input, "input", Box::new(|lab, _| lab.tools.show_readouts()))?;
            }
            listen(&l.tools.perturb, "click", Box::new(|lab, _| lab.perturb()))?;
            for input in [
                &l.tools.direction_field,
                &l.tools.nullclines,
                &l.tools.equilibrium,
            ] {
                listen(input, "change", Box::new(|lab, _| lab.aids_changed()))?;
            }
            for (button, what) in [
                (&l.tools.export_png, "png"),
                (&l.tools.export_png_phase, "png-phase"),
                (&l.tools.export_png_fig5, "png-fig5"),
                (&l.tools.export_csv, "csv"),
                (&l.tools.export_json, "json"),
            ] {
                listen(button, "click", Box::new(move |lab, _| lab.export(what)))?;
            }
            listen(
                &l.tools.clear_import,
                "click",
                Box::new(|lab, _| lab.clear_import()),
            )?;
            listen(
                &l.tools.big_text,
                "click",
                Box::new(|lab, _| {
                    let big = !lab.big;
                    lab.set_big(big);
                }),
            )?;
            listen(
                &l.phase.canvas.hot,
                "mousemove",
                Box::new(|lab, e| {
                    if let Some(m) = e.dyn_ref::<MouseEvent>() {
                        lab.hover(m);
                    }
                }),
            )?;
            listen(
                &l.phase.canvas.hot,
                "click",
                Box::new(|lab, e| {
                    if let Some(m) = e.dyn_ref::<MouseEvent>() {
                        lab.phase_click(m);
                    }
                }),
            )?;
            listen(
                &l.phase.canvas.hot,
                "mouseleave",
                Box::new(|lab, _| {
                    lab.phase.hovered = None;
                    lab.tooltip.set_hidden(true);
                    lab.dirty.hot = true;
                }),
            )?;
            listen(
                &window,
                "resize",
                Box::new(|lab, _| lab.dirty.resize = true),
            )?;
            listen(&window, "hashchange", Box::new(|lab, _| lab.hash_changed()))?;
            listen(
                &window,
                "keydown",
                Box::new(|lab, e| {
                    let Some(k) = e.dyn_ref::<KeyboardEvent>() else {
                        return;
                    };
                    if k.ctrl_key() || k.meta_key() || k.alt_key() {
                        return;
                    }
                    let tag = e
                        .target()
                        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                        .map(|el| el.tag_name());
                    if matches!(
                        tag.as_deref(),
                        Some("INPUT" | "SELECT" | "TEXTAREA" | "BUTTON" | "SUMMARY")
                    ) {
                        return; // the focused control handles its own keys
                    }
                    match k.key().as_str() {
                        " " => {
                            e.prevent_default();
                            lab.toggle_play();
                        }
                        "s" | "S" => lab.queued_steps += lab.steps_per_frame,
                        "r" | "R" => lab.reset_requested = true,
                        _ => {}
                    }
                }),
            )?;
        }
        // The file input reads asynchronously, so its handler keeps its own handle on the lab.
        {
            let input: HtmlInputElement = lab.borrow().tools.import_csv.clone();
            let lab_for_file = lab.clone();
            let reader_input = input.clone();
            let closure: Listener = Closure::new(move |_e: Event| {
                let lab = lab_for_file.clone();
                let started = file_io::read_chosen_file(&reader_input, move |name, text| {
                    if let Ok(mut lab) = lab.try_borrow_mut() {
                        lab.import_text(&name, text);
                    }
                });
                if let Err(e) = started {
                    if let Ok(lab) = lab_for_file.try_borrow() {
                        lab.show_notice(&format!("Could not read the file: {e:?}"));
                    }
                }
            });
            input.add_event_listener_with_callback("change", closure.as_ref().unchecked_ref())?;
            listeners.push(closure);
        }
        Ok(App {
            lab,
            _listeners: listeners,
        })
    }

    /// Starts the animation loop: each frame applies pending changes, trains, and redraws.
    pub fn start(&self) {
        {
            let mut lab = self.lab.borrow_mut();
            if lab.running {
                return;
            }
            lab.running = true;
        }
        let lab = self.lab.clone();
        let callback: FrameCallback = Rc::new(RefCell::new(None));
        let again = callback.clone();
        *callback.borrow_mut() = Some(Closure::new(move |stamp: f64| {
            let mut l = lab.borrow_mut();
            if !l.running {
                return;
            }
            l.frame(stamp);
            drop(l);
            if let Some(f) = again.borrow().as_ref() {
                request_frame(f);
            }
        }));
        if let Some(f) = callback.borrow().as_ref() {
            request_frame(f);
        }
        std::mem::forget(callback); // lives as long as the loop; the loop stops via `running`
    }

    /// Stops the animation loop after the current frame.
    pub fn stop(&self) {
        self.lab.borrow_mut().running = false;
    }

    /// Runs one frame now, with `now_ms` as its timestamp (for tests and benchmarks).
    pub fn tick(&self, now_ms: f64) {
        self.lab.borrow_mut().frame(now_ms);
    }
}

fn request_frame(f: &Closure<dyn FnMut(f64)>) {
    if let Some(w) = web_sys::window() {
        let _ = w.request_animation_frame(f.as_ref().unchecked_ref());
    }
}

/// Entry point when the page loads: mounts into `#app` if the page has one (test pages do not).
#[wasm_bindgen(start)]
pub fn start() -> Result<(), JsValue> {
    let has_app = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("app"))
        .is_some();
    if has_app {
        let app = App::new("app")?;
        app.start();
        std::mem::forget(app); // the page owns the lab for its lifetime
    }
    Ok(())
}
