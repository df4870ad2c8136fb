//! Shared by the native tests (`tests/it/`) and the wasm determinism test (`tests/wasm_session.rs`).
//!
//! Here: one golden run, fingerprinted bit by bit. Both targets compare against the same
//! committed fixture, so a pass on both proves the native and wasm runs bit-identical.
//! `finite_difference` is the gradient check of the native model tests; no wasm test uses it,
//! so it is compiled natively only (and `tests/it/` is native only), and neither crate has
//! dead code.

#[cfg(not(target_arch = "wasm32"))]
pub mod finite_difference;

use lyapunov_lens::lab::config::Config;
use lyapunov_lens::lab::session::Session;
use serde::{Deserialize, Serialize};

/// FNV-1a over the IEEE-754 bit patterns: any difference in any bit changes it.
pub fn fingerprint<'a>(values: impl IntoIterator<Item = &'a f64>) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for v in values {
        for byte in v.to_bits().to_le_bytes() {
            hash ^= byte as u64;
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}

/// What the fixture records for one configuration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Golden {
    pub config: Config,
    pub steps: usize,
    pub trajectory: String,
    pub observations: String,
    pub dv_dn: String,
    pub attention: String,
    pub parameters: Vec<f64>,
    pub loss: f64,
    /// A few raw values, to see how far apart two runs are when the fingerprints differ.
    pub first_observation: Vec<f64>,
    pub last_state: Vec<f64>,
}

/// The configurations pinned by the fixture: the defaults, and a second one with other
/// parameters, noise and seed.
pub fn golden_configs() -> Vec<Config> {
    vec![
        Config::default(),
        (Config {
            n: 731,
            sigma: 0.5,
            seed: 4242,
            lr: 0.03,
            ..Config::default()
        })
        .with("alpha", 1.3)
        .with("gamma", 0.8)
        .with("x0", 4.0)
        .with("y0", 12.0),
    ]
}

pub const GOLDEN_STEPS: usize = 100;

pub fn golden(config: &Config) -> Golden {
    let mut s = Session::new(config.clone()).expect("golden config is valid");
    s.step(GOLDEN_STEPS);
    let last = s.clean().nrows() - 1;
    Golden {
        config: config.clone(),
        steps: GOLDEN_STEPS,
        trajectory: fingerprint(s.clean().iter()),
        observations: fingerprint(s.observations().iter()),
        dv_dn: fingerprint(s.dv_dn().unwrap()),
        attention: fingerprint(s.attention()),
        parameters: s.parameters().to_vec(),
        loss: s.metrics().loss,
        first_observation: s.observations().row(0).to_vec(),
        last_state: s.clean().row(last).to_vec(),
    }
}

pub const FIXTURE: &str = include_str!("../fixtures/determinism.json");

pub fn fixture() -> Vec<Golden> {
    serde_json::from_str(FIXTURE).expect("tests/fixtures/determinism.json parses")
}
