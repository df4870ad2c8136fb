//! What is computed from a vector field alone: trajectories ([`rk4`], a slice at a time with
//! [`resumable_integration`]), periods
//! ([`orbit_period`]), phase-plane aids ([`phase_plane`]), level sets of V ([`level_sets`]),
//! and limit cycles ([`limit_cycle`]: the transient onto them in [`cycle_transient`], their
//! Floquet linear algebra in [`floquet`], Newton on the period in [`shooting`], their phase reference event in [`phase_event`], and
//! why there may be none in [`cycle_error`]).

pub mod cycle_error;
pub mod cycle_transient;
pub mod floquet;
pub mod level_sets;
pub mod limit_cycle;
pub mod orbit_period;
pub mod phase_event;
pub mod phase_plane;
pub mod resumable_integration;
pub mod rk4;
pub mod shooting;
