//! lyapunov-lens: what does an attention model learn about a dynamical system?
//!
//! A lab for arXiv 2505.06503 ("Attention Mechanisms in Dynamical Systems: A Case Study with
//! Predator-Prey Models"). The science core (everything but [`web`]) is pure Rust with no web
//! dependencies: it compiles and tests natively, drives the CLI, and runs unchanged in wasm32.
//!
//! Pipeline: [`config::Config`] → [`rk4::integrate`] the [`lotka_volterra::LotkaVolterra`] system →
//! [`normal_derivative`] of V and the [`orbit_period`] → [`gaussian_noise`] observations →
//! train an [`model::AttentionModel`] with [`adam::Adam`] → [`metrics`]. [`session::Session`]
//! holds it all and recomputes only what a change needs.

pub mod adam;
pub mod colormap;
pub mod config;
pub mod cross_system;
pub mod csv_import;
#[cfg(not(target_arch = "wasm32"))]
pub mod figures;
pub mod findings;
pub mod ftle;
pub mod gaussian_noise;
pub mod goodwin;
pub mod level_sets;
pub mod lorenz;
pub mod lotka_volterra;
pub mod metrics;
pub mod model;
pub mod normal_derivative;
pub mod oracle_inverse_variance;
pub mod orbit_period;
pub mod paper_linear;
pub mod pendulum;
pub mod perturbation;
pub mod phase_plane;
pub mod presets;
pub mod report;
pub mod rk4;
pub mod rossler;
pub mod self_attention;
pub mod sensitivity;
pub mod session;
pub mod summary_stats;
pub mod sweep;
pub mod system;
pub mod systems;
pub mod url_state;
pub mod van_der_pol;
pub mod verdict;

#[cfg(target_arch = "wasm32")]
pub mod web;
