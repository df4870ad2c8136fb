//! The native integration tests, one crate (`cargo test --test it`), so the library and its
//! dependencies are linked into one test binary instead of one per file. One module per area;
//! each says at its top what it guards. Filter by module: `cargo test --test it session::`.
//!
//! Native only: the CLI is a native binary, and the wasm runner runs the wasm test crates
//! (`tests/wasm_session.rs`, `tests/wasm_app.rs`, `tests/wasm_bench.rs`), not this one.
//! `self_attention` installs a counting `#[global_allocator]` for the whole binary.
#![cfg(not(target_arch = "wasm32"))]

#[path = "../common/mod.rs"]
mod common;

mod accessible_text;
mod architecture;
mod cli;
mod cross_system;
mod csv_import;
mod determinism;
mod embed_link;
mod estimation;
mod flat_measure;
mod ftle_and_systems;
mod gaussian_noise;
mod gradient_check;
mod honest_stats;
mod integrator;
mod metrics;
mod normal_derivative;
mod perturbation;
mod phase_plane;
mod phase_response;
mod progressive_change;
mod progressive_prc;
mod properties;
mod readings;
mod self_attention;
mod session;
mod shards;
mod sliders;
mod summary_stats;
mod url_state_and_presets;
mod verdict_and_colormap;
