//! The panels around the plots: the control panel (buttons, selects and sliders), the classroom
//! tools below it, and the stats line with the verdict.

pub mod controls;
pub mod selects;
pub mod slider;
pub mod stats;
pub mod tools;
