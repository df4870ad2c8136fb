//! The panels around the plots: the control panel (buttons, selects and sliders), the classroom
//! tools below it, the stats line with the verdict, the training status line, and the "Kick the
//! clock" panel below the plots; on a phone the control panel is a drawer, and "Record a
//! clip" records the figure as a video.

pub mod clock_panel;
pub mod controls;
pub mod controls_drawer;
pub mod data_controls;
pub mod data_panel;
pub mod fit_panel;
pub mod record_clip;
pub mod selects;
pub mod slider;
pub mod stats;
pub mod status_line;
pub mod tool_inputs;
pub mod tools;
