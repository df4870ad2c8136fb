//! The browser edge (wasm32 only): binds the DOM, owns the animation loop, draws.
//! All numbers come from [`crate::session::Session`]; nothing here computes science.
//!
//! The exported surface is one object, [`App`]: `new(root_id)`, `start()`, `stop()` and `tick(t)`.

mod controls;
mod layered_canvas;
mod loss_plot;
mod normal_derivative_plot;
mod phase_portrait;
mod stats_panel;

use crate::config::Config;
use crate::gaussian_noise::fresh_seed;
use crate::session::Session;
use controls::Controls;
use loss_plot::LossPlot;
use normal_derivative_plot::NormalDerivativePlot;
use phase_portrait::PhasePortrait;
use stats_panel::{FrameTiming, StatsPanel};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Event, HtmlElement, KeyboardEvent, MouseEvent};

/// Stats are rewritten at most this often (ms): readable, and no DOM churn every frame.
const STATS_INTERVAL_MS: f64 = 200.0;

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
}

struct Lab {
    session: Session,
    steps_per_frame: usize,
    playing: bool,
    running: bool,
    queued_steps: usize,
    controls_changed: bool,
    reset_requested: bool,
    dirty: Dirty,
    controls: Controls,
    phase: PhasePortrait,
    fig5: NormalDerivativePlot,
    loss: LossPlot,
    stats: StatsPanel,
    notice: HtmlElement,
    notice_text: HtmlElement,
    tooltip: HtmlElement,
    timing: FrameTiming,
    last_stats_ms: f64,
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
            ] {
                canvas.fit();
            }
            self.dirty.phase_cold = true;
            self.dirty.fig5_cold = true;
            self.dirty.loss_cold = true;
        }
        let wanted = std::mem::take(&mut self.queued_steps)
            + if self.playing {
                self.steps_per_frame
            } else {
                0
            };
        let taken = if wanted > 0 {
            self.session.step(wanted)
        } else {
            0
        };
        if taken > 0 || wanted > 0 {
            self.dirty.hot = true;
            self.dirty.stats = true;
        }
        if self.session.diverged().is_some() && self.playing {
            self.playing = false;
            self.controls.set_playing(false);
            self.dirty.stats = true;
        }
        self.draw();
        let due = stamp_ms - self.last_stats_ms >= STATS_INTERVAL_MS;
        if std::mem::take(&mut self.dirty.stats_now) || (self.dirty.stats && (!self.playing || due))
        {
            let (fps, frame_ms, steps_per_second) = self.timing.summary();
            self.stats
                .update(&self.session, fps, frame_ms, steps_per_second);
            self.phase.update_labels(&self.session);
            self.last_stats_ms = stamp_ms;
            self.dirty.stats = false;
        }
        self.timing.record(stamp_ms, now_ms() - start, taken as u64);
    }

    fn draw(&mut self) {
        let mut errors = Vec::new();
        if std::mem::take(&mut self.dirty.phase_cold) {
            self.phase.update_labels(&self.session);
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
            self.phase.draw_hot(&self.session);
            self.fig5.draw_hot(&self.session);
            self.loss.draw_hot(&self.session);
        }
        if let Some(e) = errors.first() {
            self.show_notice(&format!("Drawing failed: {e}"));
        }
    }

    /// Applies the controls to the session; a rejected change puts the controls back.
    fn apply_controls(&mut self) {
        let result = self
            .controls
            .read(self.session.config())
            .and_then(|(config, spf)| {
                self.steps_per_frame = spf;
                self.session.set_config(config).map_err(|e| e.to_string())
            });
        match result {
            Ok(done) => {
                self.dirty.phase_cold |= done.trajectory || done.observations;
                self.dirty.fig5_cold |= done.trajectory;
                self.dirty.loss_cold |= done.model;
                self.dirty.hot = true;
                self.dirty.stats = true;
                self.hide_notice();
            }
            Err(message) => {
                self.show_notice(&format!(
                    "That setting was not applied: {message}. The previous settings are kept."
                ));
                self.controls
                    .show(self.session.config(), self.steps_per_frame);
            }
        }
    }

    fn show_notice(&self, text: &str) {
        self.notice_text.set_text_content(Some(text));
        self.notice.set_hidden(false);
    }

    fn hide_notice(&self) {
        self.notice.set_hidden(true);
    }

    fn set_playing(&mut self, playing: bool) {
        self.playing = playing;
        self.controls.set_playing(playing);
        self.dirty.stats_now = true;
    }

    fn toggle_play(&mut self) {
        if self.session.diverged().is_some() && !self.playing {
            self.show_notice(
                "Training diverged. Lower the learning rate or press Reset model, then play.",
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
        self.controls_changed = true;
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
                let dvdn = self
                    .session
                    .dv_dn()
                    .map_or("–".into(), |d| format!("{:.4}", d[i]));
                let text = format!(
                    "t = {:.3}\nobserved x̃ = {:.3}, ỹ = {:.3}\nclean x = {:.3}, y = {:.3}\nattention × N = {:.5}\n∂V/∂n = {dvdn}",
                    self.session.times()[i],
                    obs[[i, 0]],
                    obs[[i, 1]],
                    clean[[i, 0]],
                    clean[[i, 1]],
                    self.session.attention()[i] * n,
                );
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

fn element<T: JsCast>(document: &Document, tag: &str, class: &str) -> Result<T, JsValue> {
    let e = document.create_element(tag)?;
    if !class.is_empty() {
        e.set_class_name(class);
    }
    e.dyn_into::<T>()
        .map_err(|_| JsValue::from_str("wrong element type"))
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
    /// Builds the lab inside the element with id `root_id`, at the default settings.
    #[wasm_bindgen(constructor)]
    pub fn new(root_id: &str) -> Result<App, JsValue> {
        console_error_panic_hook::set_once();
        let window = web_sys::window().ok_or("no window")?;
        let document = window.document().ok_or("no document")?;
        let root = document
            .get_element_by_id(root_id)
            .ok_or_else(|| format!("no element #{root_id}"))?;
        root.set_inner_html("");

        let config = Config::default();
        let steps_per_frame = controls::STEPS_PER_FRAME.default as usize;
        let session = Session::new(config.clone()).map_err(|e| e.to_string())?;

        let header: HtmlElement = element(&document, "header", "")?;
        header.set_inner_html(
            "<h1>lyapunov-lens</h1><p class=\"tagline\">An attention model learns from noisy predator–prey data. \
             Does it attend where the Lyapunov function V is flat, as \
             <a href=\"https://arxiv.org/abs/2505.06503\">arXiv 2505.06503</a> claims? The lab measures it live.</p>",
        );
        root.append_child(&header)?;

        let layout: HtmlElement = element(&document, "div", "layout")?;
        let controls = Controls::new(&document, &config, steps_per_frame)?;
        layout.append_child(&controls.panel)?;

        let figures: HtmlElement = element(&document, "section", "figures")?;
        figures.set_attribute("aria-label", "Figures")?;
        let stats = StatsPanel::new(&document)?;
        figures.append_child(&stats.verdict)?;
        figures.append_child(&stats.stats)?;

        let notice: HtmlElement = element(&document, "div", "notice")?;
        notice.set_id("notice");
        notice.set_attribute("role", "alert")?;
        notice.set_hidden(true);
        let notice_text: HtmlElement = element(&document, "span", "")?;
        let dismiss: HtmlElement = element(&document, "button", "dismiss")?;
        dismiss.set_text_content(Some("×"));
        dismiss.set_attribute("aria-label", "Dismiss")?;
        dismiss.set_attribute("type", "button")?;
        notice.append_child(&notice_text)?;
        notice.append_child(&dismiss)?;
        figures.append_child(&notice)?;

        let phase = PhasePortrait::new(&document)?;
        let fig5 = NormalDerivativePlot::new(&document)?;
        let loss = LossPlot::new(&document)?;
        let tooltip: HtmlElement = element(&document, "div", "tooltip")?;
        tooltip.set_hidden(true);
        phase.canvas.wrapper.append_child(&tooltip)?;
        let row: HtmlElement = element(&document, "div", "plots")?;
        row.append_child(&figure(
            &document,
            &phase.canvas.wrapper,
            "Phase portrait. Dots: noisy observations, coloured by attention. Line: the clean orbit. Bands: level sets of V. Hover a dot for its numbers.",
        )?)?;
        row.append_child(&figure(
            &document,
            &fig5.canvas.wrapper,
            "Attention and ∂V/∂n along the orbit (the paper's Figure 5). If the claim holds, attention peaks where ∂V/∂n dips.",
        )?)?;
        figures.append_child(&row)?;
        figures.append_child(&figure(
            &document,
            &loss.canvas.wrapper,
            "Training loss: mean over t of ‖r_t − x_t‖².",
        )?)?;
        layout.append_child(&figures)?;
        root.append_child(&layout)?;

        let lab = Rc::new(RefCell::new(Lab {
            session,
            steps_per_frame,
            playing: true,
            running: false,
            queued_steps: 0,
            controls_changed: false,
            reset_requested: false,
            dirty: Dirty {
                resize: true,
                stats: true,
                ..Dirty::default()
            },
            controls,
            phase,
            fig5,
            loss,
            stats,
            notice,
            notice_text,
            tooltip,
            timing: FrameTiming::default(),
            last_stats_ms: f64::NEG_INFINITY,
        }));

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
            for slider in &l.controls.sliders {
                let name = slider.spec.name;
                listen(
                    &slider.input,
                    "input",
                    Box::new(move |lab, _| {
                        if let Some(s) = lab.controls.slider(name) {
                            s.show(s.value());
                        }
                        lab.controls_changed = true;
                    }),
                )?;
            }
            listen(
                &l.controls.model,
                "change",
                Box::new(|lab, _| lab.controls_changed = true),
            )?;
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
                        Some("INPUT" | "SELECT" | "TEXTAREA" | "BUTTON")
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
