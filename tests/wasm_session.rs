//! Runs a Session in headless Chromium and checks that the trajectory, the observations, ∂V/∂n
//! and the attention after 100 steps are bit-identical to the native run, through the fixture
//! that `tests/it/determinism.rs` checks natively.
#![cfg(target_arch = "wasm32")]

mod common;
use common::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn wasm_run_is_bit_identical_to_the_native_fixture() {
    let expected = fixture();
    assert_eq!(expected.len(), golden_configs().len());
    for (config, want) in golden_configs().iter().zip(&expected) {
        assert_eq!(
            &golden(config),
            want,
            "wasm and native differ for {config:?}"
        );
    }
}

#[wasm_bindgen_test]
fn a_diverging_learning_rate_is_caught_in_wasm_too() {
    use lyapunov_lens::lab::config::Config;
    use lyapunov_lens::lab::session::Session;
    let mut s = Session::new(Config {
        lr: 1e300,
        ..Config::default()
    })
    .unwrap();
    s.step(20);
    assert!(s.diverged().is_some());
    assert!(s.attention().iter().all(|a| a.is_finite()));
}
