//! What is computed from a vector field alone: trajectories ([`rk4`]), periods
//! ([`orbit_period`]), phase-plane aids ([`phase_plane`]) and level sets of V ([`level_sets`]).

pub mod level_sets;
pub mod orbit_period;
pub mod phase_plane;
pub mod rk4;
