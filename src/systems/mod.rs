//! The dynamical systems: the [`System`] trait, one file per system holding all of its own facts
//! (rates and initial state as slider specs, run defaults, description, V if it has one), and the
//! [`catalogue`] that names them.

pub mod catalogue;
pub mod goodwin;
pub mod lorenz;
pub mod lotka_volterra;
pub mod pendulum;
pub mod radial_clock;
pub mod rossler;
pub mod system;
pub mod van_der_pol;

pub use catalogue::SystemKind;
pub use system::{LyapunovFunction, ParamSpec, System};
