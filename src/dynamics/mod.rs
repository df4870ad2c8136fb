//! What is computed from a vector field alone: trajectories ([`rk4`]), periods
//! ([`orbit_period`]), phase-plane aids ([`phase_plane`]), level sets of V ([`level_sets`]),
//! and limit cycles ([`limit_cycle`]) with their Floquet linear algebra ([`floquet`]) and phase
//! reference event ([`phase_event`]).

pub mod floquet;
pub mod level_sets;
pub mod limit_cycle;
pub mod orbit_period;
pub mod phase_event;
pub mod phase_plane;
pub mod rk4;
