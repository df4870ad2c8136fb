//! Event wiring: every listener the page needs, each turning one DOM event into a call on the
//! lab. A moved control, Step and Reset are only recorded: the next frame applies them. An event
//! that arrives while the lab is busy is dropped.

use super::file_io;
use super::state::Lab;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{
    Event, EventTarget, HtmlElement, HtmlInputElement, KeyboardEvent, MouseEvent, Window,
};

/// A registered listener; dropping it would detach the handler, so the app keeps them all.
pub type Listener = Closure<dyn FnMut(Event)>;

/// Registers listeners that run their handlers on one lab.
struct Wiring {
    lab: Rc<RefCell<Lab>>,
    listeners: Vec<Listener>,
}

impl Wiring {
    /// Runs `handler` on the lab for every `kind` event on `target`.
    fn listen(
        &mut self,
        target: &EventTarget,
        kind: &str,
        mut handler: impl FnMut(&mut Lab, Event) + 'static,
    ) -> Result<(), JsValue> {
        let lab = self.lab.clone();
        let closure: Listener = Closure::new(move |e: Event| {
            if let Ok(mut lab) = lab.try_borrow_mut() {
                handler(&mut lab, e);
            }
        });
        target.add_event_listener_with_callback(kind, closure.as_ref().unchecked_ref())?;
        self.listeners.push(closure);
        Ok(())
    }
}

/// Wires every listener of the page to `lab`; the listeners live as long as the returned list.
pub fn wire(lab: &Rc<RefCell<Lab>>, window: &Window) -> Result<Vec<Listener>, JsValue> {
    let mut wiring = Wiring {
        lab: lab.clone(),
        listeners: Vec::new(),
    };
    {
        let l = lab.borrow();
        wire_controls(&mut wiring, &l)?;
        wire_notice(&mut wiring, &l)?;
        wire_tools(&mut wiring, &l)?;
        wire_phase_portrait(&mut wiring, &l)?;
        wire_clock(&mut wiring, &l)?;
        wire_fit(&mut wiring, &l)?;
        wiring.listen(&l.explain.details, "toggle", |lab, _| lab.explain_toggled())?;
    }
    wire_window(&mut wiring, window)?;
    wire_file_input(&mut wiring)?;
    Ok(wiring.listeners)
}

/// The control panel: sliders, selects and run buttons.
fn wire_controls(wiring: &mut Wiring, l: &Lab) -> Result<(), JsValue> {
    // One delegated listener: the system's sliders are rebuilt when the system changes.
    wiring.listen(&l.controls.panel, "input", |lab, e| {
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
    })?;
    for select in [
        &l.controls.model,
        &l.controls.system,
        &l.controls.measure,
        &l.controls.measure_at,
    ] {
        wiring.listen(select, "change", |lab, _| lab.user_changed_controls())?;
    }
    wiring.listen(&l.controls.data.noise, "change", |lab, _| {
        lab.noise_changed()
    })?;
    wiring.listen(&l.controls.data.whole_periods, "click", |lab, _| {
        lab.whole_periods();
    })?;
    for select in [&l.controls.projection, &l.controls.head] {
        wiring.listen(select, "change", |lab, _| lab.view_changed())?;
    }
    wiring.listen(&l.controls.play, "click", |lab, _| lab.toggle_play())?;
    wiring.listen(&l.controls.step, "click", |lab, _| lab.queue_step())?;
    wiring.listen(&l.controls.reset, "click", |lab, _| lab.request_reset())?;
    wiring.listen(&l.controls.new_noise, "click", |lab, _| lab.new_noise())?;
    Ok(())
}

/// The notice's dismiss and action buttons.
fn wire_notice(wiring: &mut Wiring, l: &Lab) -> Result<(), JsValue> {
    wiring.listen(&l.notice.dismiss, "click", |lab, _| lab.notice.hide())?;
    wiring.listen(&l.notice.action, "click", |lab, _| {
        lab.request_reset();
        lab.notice.hide();
    })
}

/// The tools panel: presets, the perturbation experiment, phase-plane aids, export, large text.
fn wire_tools(wiring: &mut Wiring, l: &Lab) -> Result<(), JsValue> {
    let tools = &l.tools;
    wiring.listen(&tools.preset, "change", |lab, _| {
        let id = lab.tools.preset.value();
        lab.choose_preset(&id);
    })?;
    for input in [&tools.epsilon, &tools.horizon] {
        wiring.listen(input, "input", |lab, _| lab.tools.show_readouts())?;
    }
    wiring.listen(&tools.perturb, "click", |lab, _| lab.perturb())?;
    wiring.listen(&tools.kick_all, "click", |lab, _| lab.kick_deciles())?;
    for input in [
        &tools.direction_field,
        &tools.nullclines,
        &tools.equilibrium,
    ] {
        wiring.listen(input, "change", |lab, _| lab.aids_changed())?;
    }
    for (button, what) in [
        (&tools.export_png, "png"),
        (&tools.export_png_phase, "png-phase"),
        (&tools.export_png_fig5, "png-fig5"),
        (&tools.export_csv, "csv"),
        (&tools.export_json, "json"),
    ] {
        wiring.listen(button, "click", move |lab, _| lab.export(what))?;
    }
    wiring.listen(&tools.clear_import, "click", |lab, _| lab.clear_import())?;
    wiring.listen(&tools.big_text, "click", |lab, _| lab.toggle_big())?;
    wire_layout(wiring, l)
}

/// The phone's controls drawer (its toggle, and Escape inside it) and "Record a clip".
fn wire_layout(wiring: &mut Wiring, l: &Lab) -> Result<(), JsValue> {
    wiring.listen(&l.drawer.toggle, "click", |lab, _| lab.drawer.toggle())?;
    wiring.listen(&l.controls.panel, "keydown", |lab, e| {
        let escape = e
            .dyn_ref::<KeyboardEvent>()
            .is_some_and(|k| k.key() == "Escape");
        if escape && lab.drawer.escape() {
            e.stop_propagation();
        }
    })?;
    wiring.listen(&l.record.button, "click", |lab, _| lab.toggle_recording())
}

/// The phase portrait's hot layer: hover, click and leave.
fn wire_phase_portrait(wiring: &mut Wiring, l: &Lab) -> Result<(), JsValue> {
    let hot = &l.plots.phase.canvas.hot;
    wiring.listen(hot, "mousemove", |lab, e| {
        if let Some(m) = e.dyn_ref::<MouseEvent>() {
            lab.hover(m);
        }
    })?;
    wiring.listen(hot, "click", |lab, e| {
        if let Some(m) = e.dyn_ref::<MouseEvent>() {
            lab.phase_click(m);
        }
    })?;
    wiring.listen(hot, "mouseleave", |lab, _| lab.pointer_left())?;
    wire_keyboard_cursor(wiring, l)
}

/// The keyboard cursor on the phase portrait and the time plot (keys it uses do not reach the
/// window's shortcuts), and the audio trace's button.
fn wire_keyboard_cursor(wiring: &mut Wiring, l: &Lab) -> Result<(), JsValue> {
    for hot in [&l.plots.phase.canvas.hot, &l.plots.fig5.canvas.hot] {
        wiring.listen(hot, "keydown", |lab, e| {
            if let Some(k) = e.dyn_ref::<KeyboardEvent>() {
                if !(k.ctrl_key() || k.meta_key() || k.alt_key()) && lab.cursor_key(k) {
                    e.prevent_default();
                    e.stop_propagation();
                }
            }
        })?;
    }
    wiring.listen(&l.plots.phase.canvas.hot, "blur", |lab, _| {
        lab.plots.tooltip.set_hidden(true)
    })?;
    wiring.listen(&l.access.audio.button, "click", |lab, _| lab.toggle_audio())
}

/// "Kick the clock": opening the panel, a click or keys on the PRC, the Kick button, and the
/// kick's variable, size and direction. Keys the PRC uses do not reach the window's shortcuts.
fn wire_clock(wiring: &mut Wiring, l: &Lab) -> Result<(), JsValue> {
    let panel = &l.clock.panel;
    wiring.listen(&panel.details, "toggle", |lab, _| lab.clock_toggled())?;
    let curve = &panel.prc.canvas.hot;
    wiring.listen(curve, "click", |lab, e| {
        if let Some(m) = e.dyn_ref::<MouseEvent>() {
            lab.clock_click(m);
        }
    })?;
    wiring.listen(curve, "keydown", |lab, e| {
        if let Some(k) = e.dyn_ref::<KeyboardEvent>() {
            if !(k.ctrl_key() || k.meta_key() || k.alt_key()) && lab.clock_key(k) {
                e.prevent_default();
                e.stop_propagation();
            }
        }
    })?;
    wiring.listen(&panel.kick, "click", |lab, _| lab.queue_clock_kick())?;
    for select in [&panel.variable, &panel.direction] {
        wiring.listen(select, "change", |lab, _| lab.clock_inputs_changed())?;
    }
    wiring.listen(&panel.epsilon, "input", |lab, _| lab.clock_inputs_changed())
}

/// The data select, a file's column choice, and the fit button.
fn wire_fit(wiring: &mut Wiring, l: &Lab) -> Result<(), JsValue> {
    wiring.listen(&l.fit.data.select, "change", |lab, _| lab.choose_data())?;
    for select in &l.fit.data.columns {
        wiring.listen(select, "change", |lab, _| lab.columns_changed())?;
    }
    wiring.listen(&l.fit.panel.start, "click", |lab, _| lab.toggle_fit())?;
    wiring.listen(&l.fit.panel.weight, "click", |lab, _| {
        lab.toggle_weighting()
    })
}

/// The window: resizes, hash edits and the keyboard shortcuts.
fn wire_window(wiring: &mut Wiring, window: &Window) -> Result<(), JsValue> {
    wiring.listen(window, "resize", |lab, _| lab.resized())?;
    wiring.listen(window, "hashchange", |lab, _| lab.hash_changed())?;
    wiring.listen(window, "keydown", key_pressed)
}

/// Space plays or pauses, S steps, R resets, unless a control has the focus or a modifier is
/// held.
fn key_pressed(lab: &mut Lab, e: Event) {
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
        "s" | "S" => lab.queue_step(),
        "r" | "R" => lab.request_reset(),
        _ => {}
    }
}

/// The CSV file input. It reads asynchronously, so its handler keeps its own handle on the lab.
fn wire_file_input(wiring: &mut Wiring) -> Result<(), JsValue> {
    let input: HtmlInputElement = wiring.lab.borrow().tools.import_csv.clone();
    let lab_for_file = wiring.lab.clone();
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
                lab.notice.show(&format!("Could not read the file: {e:?}"));
            }
        }
    });
    input.add_event_listener_with_callback("change", closure.as_ref().unchecked_ref())?;
    wiring.listeners.push(closure);
    Ok(())
}
