//! Experiments on trained sessions: the [`perturbation`] check, the growth of kicks at every
//! sample by attention decile ([`kick_response`]), the [`sweep`] and
//! [`cross_system`] grids (one shared [`grid`] runner, summary and CSV), the [`sharding`] of a
//! run's grids across machines, the [`findings`] report, [`report`] rows for the CLI and exports,
//! and `figures` (native only).

pub mod cross_system;
#[cfg(not(target_arch = "wasm32"))]
pub mod figures;
pub mod findings;
pub mod grid;
pub mod kick_response;
pub mod paper_study;
pub mod perturbation;
pub mod recovery_study;
pub mod report;
pub mod sharding;
pub mod sweep;
