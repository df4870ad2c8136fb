//! The lab's state: the [`config`], the [`session`] state machine that recomputes only what a
//! change needs, [`presets`], links ([`url_state`]) and the [`colormap`] shared by page and figures.

pub mod audio_trace_score;
pub mod canvas_descriptions;
pub mod clean_build;
pub mod clean_data;
pub mod colormap;
pub mod config;
pub mod embed_link;
pub mod fitted_target;
pub mod link_object;
pub mod link_text;
pub mod presets;
pub mod readout_text;
pub mod run_parameters;
pub mod seed_ensemble;
pub mod session;
pub mod session_change;
pub mod session_error;
pub mod system_explanation;
pub mod url_state;
