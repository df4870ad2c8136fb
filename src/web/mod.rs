//! The browser edge (wasm32 only): binds the DOM, owns the animation loop, draws.
//! All numbers come from [`crate::lab::session::Session`]; nothing here computes science.
//!
//! The exported surface is one object, [`App`]: `new(root_id)`, `start()`, `stop()` and `tick(t)`,
//! and the JavaScript API `getState()`, `setState(changes)`, `report()`, `play()` and `pause()`
//! (also by `postMessage`: `message_bridge`). The page's App is `window.lyapunovLens`.
//!
//! By job:
//! - `app`: the exported object, the animation loop and the entry point;
//! - `page`: the page skeleton (building the DOM), from `elements`, `explanations`, `notice`,
//!   the `panels` (controls, tools, stats) and the `plots`;
//! - `events`: the event listeners;
//! - `state`: the lab behind the page: the frame loop, settings, links and presets, export and
//!   import, the pointer on the phase portrait, "Kick the clock";
//! - `clock_text`: the words of "Kick the clock" (the phase response explained, and computed
//!   sentences about the run);
//! - `file_io`: downloads and uploads without a server;
//! - `message_bridge`: the JavaScript API's values and its `postMessage` side.
//! - `accessibility`: live canvas descriptions, the keyboard cursor, the audio trace and the
//!   reduced-motion preference.

mod accessibility;
mod app;
mod clock_text;
mod elements;
mod events;
mod explanations;
mod file_io;
mod message_bridge;
mod notice;
mod page;
mod panels;
mod plots;
mod state;

pub use app::{start, App};
