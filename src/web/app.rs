//! The exported object, [`App`]: mounts the lab into an element, runs the animation loop, answers
//! the JavaScript API, and the entry point that mounts it into `#app` when the page loads (and
//! exposes it as `window.lyapunovLens`).

use super::events::{self, Listener};
use super::message_bridge;
use super::page::Page;
use super::state::{session_for_link, Lab};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, MessageEvent};

type FrameCallback = Rc<RefCell<Option<Closure<dyn FnMut(f64)>>>>;

/// The lab, mounted into one element. The page's only exported object.
#[wasm_bindgen]
pub struct App {
    lab: Rc<RefCell<Lab>>,
    /// Whether the animation loop runs; it ends at the next frame once this is false.
    running: Rc<Cell<bool>>,
    _listeners: Vec<Listener>,
    /// The `postMessage` side of the JavaScript API.
    _messages: Closure<dyn FnMut(MessageEvent)>,
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
        let linked = session_for_link(&hash)?;
        let (state, session) = (linked.state, linked.session);
        // The page is built for the link's setting: the session may still be computing it, on
        // a stand-in of another system (see `session_for_link`).
        let page = Page::build(&document, &root, &state.config, state.steps_per_frame)?;
        let lab = Rc::new(RefCell::new(Lab::new(
            document, root, session, page, &state,
        )));
        lab.borrow_mut()
            .open(&state, hash, &linked.notices, linked.pending);
        let listeners = events::wire(&lab, &window)?;
        let messages = message_bridge::listen(&lab, &window)?;
        Ok(App {
            lab,
            running: Rc::new(Cell::new(false)),
            _listeners: listeners,
            _messages: messages,
        })
    }

    /// Starts the animation loop: each frame applies pending changes, trains, and redraws.
    pub fn start(&self) {
        if self.running.replace(true) {
            return;
        }
        let lab = self.lab.clone();
        let running = self.running.clone();
        let callback: FrameCallback = Rc::new(RefCell::new(None));
        let again = callback.clone();
        *callback.borrow_mut() = Some(Closure::new(move |stamp: f64| {
            if !running.get() {
                return;
            }
            lab.borrow_mut().frame(stamp);
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
        self.running.set(false);
    }

    /// Runs one frame now, with `now_ms` as its timestamp (for tests and benchmarks).
    pub fn tick(&self, now_ms: f64) {
        self.lab.borrow_mut().frame(now_ms);
    }

    /// The settings a link carries, as one object by the link's keys (`system`, `sigma`, …;
    /// numbers as numbers, `playing` and `big` as booleans).
    #[wasm_bindgen(js_name = getState)]
    pub fn get_state(&self) -> Result<JsValue, JsError> {
        self.call("getState", &[])
    }

    /// Applies some settings (an object with the keys of `getState`) at once, checked as a link
    /// is; throws with the reasons, changing nothing, when any is refused. Returns the new state.
    #[wasm_bindgen(js_name = setState)]
    pub fn set_state(&self, changes: JsValue) -> Result<JsValue, JsError> {
        self.call("setState", &[changes])
    }

    /// The current reading: the verdict, whether it has settled, the step, the loss, ρ and the
    /// interval over noise draws (see the README).
    pub fn report(&self) -> Result<JsValue, JsError> {
        self.call("report", &[])
    }

    /// Plays training (as the Play button).
    pub fn play(&self) -> Result<(), JsError> {
        self.call("play", &[]).map(|_| ())
    }

    /// Pauses training.
    pub fn pause(&self) -> Result<(), JsError> {
        self.call("pause", &[]).map(|_| ())
    }

    fn call(&self, method: &str, args: &[JsValue]) -> Result<JsValue, JsError> {
        message_bridge::call(&self.lab, method, args).map_err(|e| JsError::new(&e))
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
        // The page's JavaScript API; the page owns the lab for its lifetime.
        if let Some(window) = web_sys::window() {
            js_sys::Reflect::set(&window, &JsValue::from_str("lyapunovLens"), &app.into())?;
        }
    }
    Ok(())
}
