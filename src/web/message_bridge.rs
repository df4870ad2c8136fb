//! The page's JavaScript API (`getState`, `setState`, `report`, `play`, `pause`) as plain JS
//! values through serde-wasm-bindgen, called on the exported `App` or by `postMessage`.
//!
//! A message is `{type: 'lyapunov-lens', id, method, args}`; the reply, posted to the sender
//! (`event.source`) at its origin, is `{type: 'lyapunov-lens', id, ok: true, result}` or
//! `{type: 'lyapunov-lens', id, ok: false, error}`. Messages of any other `type` are not ours and
//! are left alone; ours from an origin the link does not allow (`origins=`, and the lab's own)
//! are ignored, with a console warning. Everything else is checked: a bad message gets an error
//! reply, never a panic.

use super::state::Lab;
use crate::lab::link_object::LinkValue;
use serde::Serialize;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{MessageEvent, Window};

/// The `type` of every message the lab answers, and of its replies.
pub const MESSAGE_TYPE: &str = "lyapunov-lens";

/// The methods, as `postMessage` names them.
pub const METHODS: [&str; 5] = ["getState", "setState", "report", "play", "pause"];

/// Plain JS objects (not `Map`s) for maps, numbers for 64-bit integers.
fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, String> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| format!("could not convert the answer: {e}"))
}

/// The settings as one object, by key.
fn state_object(state: Vec<(String, LinkValue)>) -> Result<JsValue, String> {
    let map: serde_json::Map<String, serde_json::Value> = state
        .into_iter()
        .map(|(k, v)| {
            let v = match v {
                LinkValue::Flag(b) => serde_json::Value::Bool(b),
                LinkValue::Number(x) => serde_json::Number::from_f64(x)
                    .map_or(serde_json::Value::Null, serde_json::Value::Number),
                LinkValue::Text(s) => serde_json::Value::String(s),
            };
            (k, v)
        })
        .collect();
    to_js(&map)
}

/// `setState`'s argument: an object of settings.
fn changes_from(value: &JsValue) -> Result<Vec<(String, LinkValue)>, String> {
    let json: serde_json::Value = serde_wasm_bindgen::from_value(value.clone())
        .map_err(|e| format!("setState takes an object of settings ({e})"))?;
    let serde_json::Value::Object(map) = json else {
        return Err("setState takes an object of settings, e.g. {sigma: 0.5}".into());
    };
    map.iter()
        .map(|(k, v)| LinkValue::from_json(k, v).map(|v| (k.clone(), v)))
        .collect()
}

/// Runs API `method` with `args` on the lab.
pub fn call(lab: &RefCell<Lab>, method: &str, args: &[JsValue]) -> Result<JsValue, String> {
    let mut lab = lab
        .try_borrow_mut()
        .map_err(|_| "the lab is busy; try again".to_string())?;
    match method {
        "getState" => state_object(lab.api_state()),
        "setState" => {
            let arg = args
                .first()
                .ok_or("setState takes an object of settings, e.g. {sigma: 0.5}")?;
            let changes = changes_from(arg)?;
            state_object(lab.api_set_state(&changes)?)
        }
        "report" => to_js(&lab.api_report()),
        "play" | "pause" => {
            lab.api_play(method == "play")?;
            Ok(JsValue::UNDEFINED)
        }
        other => Err(format!(
            "no method '{}': the methods are {}",
            other.chars().take(40).collect::<String>(),
            METHODS.join(", ")
        )),
    }
}

fn get(object: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(object, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// The reply to a message with `id`.
fn reply(id: &JsValue, outcome: Result<JsValue, String>) -> Result<JsValue, JsValue> {
    let object = js_sys::Object::new();
    let set = |k: &str, v: &JsValue| js_sys::Reflect::set(&object, &JsValue::from_str(k), v);
    set("type", &JsValue::from_str(MESSAGE_TYPE))?;
    set("id", id)?;
    match outcome {
        Ok(result) => {
            set("ok", &JsValue::TRUE)?;
            set("result", &result)?;
        }
        Err(error) => {
            set("ok", &JsValue::FALSE)?;
            set("error", &JsValue::from_str(&error))?;
        }
    }
    Ok(object.into())
}

/// Answers one message event (see the module's description).
fn answer(lab: &RefCell<Lab>, own_origin: &str, event: &MessageEvent) -> Result<(), JsValue> {
    let data = event.data();
    if !data.is_object() || get(&data, "type").as_string().as_deref() != Some(MESSAGE_TYPE) {
        return Ok(()); // not a message for the lab
    }
    let origin = event.origin();
    let allowed = lab
        .try_borrow()
        .is_ok_and(|l| l.embedding().allows(&origin, own_origin));
    if !allowed {
        web_sys::console::warn_1(&JsValue::from_str(&format!(
            "lyapunov-lens: a message from {} was ignored: the link's origins= does not allow it",
            origin.chars().take(100).collect::<String>()
        )));
        return Ok(());
    }
    let Some(source) = event.source() else {
        return Ok(()); // nobody to answer
    };
    let id = get(&data, "id");
    // An id is echoed back: a string or a number, else null.
    let id = if id.as_string().is_some() || id.as_f64().is_some() {
        id
    } else {
        JsValue::NULL
    };
    let outcome = match get(&data, "method").as_string() {
        None => Err(format!(
            "a message needs a method: one of {}",
            METHODS.join(", ")
        )),
        Some(method) => {
            let args = get(&data, "args");
            if args.is_undefined() || args.is_null() {
                call(lab, &method, &[])
            } else if js_sys::Array::is_array(&args) {
                let args: Vec<JsValue> = js_sys::Array::from(&args).iter().collect();
                call(lab, &method, &args)
            } else {
                Err("args must be an array, e.g. [{sigma: 0.5}]".into())
            }
        }
    };
    let message = reply(&id, outcome)?;
    // The source is a window (an iframe's parent, an opener) or a port; both have postMessage.
    let post = js_sys::Reflect::get(&source, &JsValue::from_str("postMessage"))?;
    let post: js_sys::Function = post.dyn_into()?;
    if source.is_instance_of::<web_sys::MessagePort>() {
        post.call1(&source, &message)?;
    } else {
        post.call2(&source, &message, &JsValue::from_str(&origin))?;
    }
    Ok(())
}

/// Listens for API messages on `window`; the listener lives as long as the returned closure.
pub fn listen(
    lab: &Rc<RefCell<Lab>>,
    window: &Window,
) -> Result<Closure<dyn FnMut(MessageEvent)>, JsValue> {
    let own_origin = window.location().origin()?;
    let lab = lab.clone();
    let closure: Closure<dyn FnMut(MessageEvent)> = Closure::new(move |event: MessageEvent| {
        if let Err(e) = answer(&lab, &own_origin, &event) {
            web_sys::console::warn_2(
                &JsValue::from_str("lyapunov-lens: a message could not be answered:"),
                &e,
            );
        }
    });
    window.add_event_listener_with_callback("message", closure.as_ref().unchecked_ref())?;
    Ok(closure)
}
