//! The browser edge (wasm32 only): binds the DOM, owns the animation loop, draws.
//! All numbers come from [`crate::session::Session`]; nothing here computes science.

use crate::config::Config;
use crate::session::Session;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

const STEPS_PER_FRAME: usize = 20;

/// The animation-frame closure, which re-requests itself.
type FrameCallback = Rc<RefCell<Option<Closure<dyn FnMut()>>>>;

struct Lab {
    session: Session,
    stats: web_sys::HtmlElement,
}

impl Lab {
    fn frame(&mut self) {
        self.session.step(STEPS_PER_FRAME);
        let m = self.session.metrics();
        let fmt = |v: Option<f64>| v.map_or("–".to_string(), |v| format!("{v:+.3}"));
        let text = format!(
            "epoch {} · loss {:.4} · Pearson r {} · Spearman ρ {} · peak offset {} periods · ESS {:.1}",
            self.session.steps(),
            m.loss,
            fmt(m.pearson),
            fmt(m.spearman),
            fmt(m.peak_offset_periods),
            m.ess
        );
        self.stats.set_text_content(Some(&text));
        let _ = self
            .stats
            .set_attribute("data-epoch", &self.session.steps().to_string());
    }
}

/// The page's one exported object.
#[wasm_bindgen]
pub struct App {
    lab: Rc<RefCell<Lab>>,
}

#[wasm_bindgen]
impl App {
    /// Mounts the lab into the element with id `root_id`.
    #[wasm_bindgen(constructor)]
    pub fn new(root_id: &str) -> Result<App, JsValue> {
        console_error_panic_hook::set_once();
        let document = web_sys::window()
            .and_then(|w| w.document())
            .ok_or("no document")?;
        let root = document
            .get_element_by_id(root_id)
            .ok_or_else(|| format!("no element #{root_id}"))?;
        let stats: web_sys::HtmlElement = document.create_element("p")?.dyn_into()?;
        stats.set_id("stats");
        root.append_child(&stats)?;
        let session = Session::new(Config::default()).map_err(|e| e.to_string())?;
        Ok(App {
            lab: Rc::new(RefCell::new(Lab { session, stats })),
        })
    }

    /// Starts training, a few steps per animation frame.
    pub fn start(&self) {
        let lab = self.lab.clone();
        let callback: FrameCallback = Rc::new(RefCell::new(None));
        let again = callback.clone();
        *callback.borrow_mut() = Some(Closure::new(move || {
            lab.borrow_mut().frame();
            request_frame(again.borrow().as_ref().unwrap());
        }));
        request_frame(callback.borrow().as_ref().unwrap());
    }
}

fn request_frame(f: &Closure<dyn FnMut()>) {
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
