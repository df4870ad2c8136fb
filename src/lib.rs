//! lyapunov-lens: what does an attention model learn about a dynamical system?
//!
//! A lab for arXiv 2505.06503 ("Attention Mechanisms in Dynamical Systems: A Case Study with
//! Predator-Prey Models"). The science core (everything but `web`) is pure Rust with no web
//! dependencies: it compiles and tests natively, drives the CLI, and runs unchanged in wasm32.
//!
//! The folders, lowest layer first (each imports only from the ones above it):
//! - [`naming`]: one macro for the kinds spelled as CLI flags, URL values and JSON keys;
//! - [`number_text`]: how numbers are written for people (the true minus sign everywhere);
//! - [`systems`]: the vector fields, one file per system with all of its facts, and the catalogue;
//! - [`dynamics`]: integration, periods, phase-plane aids and level sets;
//! - [`measures`]: the sensitivity measures attention is compared against (∂V/∂n, FTLE, …);
//! - [`models`]: the attention-model trait, each model and the registry of kinds;
//! - [`training`]: Adam, the L-BFGS finish, the convergence test and the schedule;
//! - [`observations`]: noise and imported data;
//! - [`analysis`]: alignment metrics, summary statistics and the verdict;
//! - [`estimation`]: fitting a system's rates, initial state and noise scales to data;
//! - [`lab`]: the configuration, the session state machine, presets, links and the colormap;
//! - [`experiments`]: perturbation, sweeps (and their shards), findings, figures and reports;
//! - `web` (wasm32 only): the page.
//!
//! Pipeline: [`lab::config::Config`] → [`dynamics::rk4::integrate`] a system of
//! [`systems::catalogue::SystemKind`] → a [`measures::measure::Measure`] along the orbit →
//! [`observations::gaussian_noise`] → train an [`models::attention_model::AttentionModel`] with
//! [`training::adam::Adam`] → [`analysis::metrics`]. [`lab::session::Session`] holds it all and
//! recomputes only what a change needs.

pub mod analysis;
pub mod dynamics;
pub mod estimation;
pub mod experiments;
pub mod lab;
pub mod measures;
pub mod models;
pub mod naming;
pub mod number_text;
pub mod observations;
pub mod systems;
pub mod training;
pub mod work_units;

#[cfg(target_arch = "wasm32")]
pub mod web;
