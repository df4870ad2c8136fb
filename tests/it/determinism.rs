//! Native side of the determinism check: the native run must reproduce the committed fixture
//! bit for bit (`tests/wasm_session.rs` checks the wasm run against the same file). If it fails,
//! the numbers changed: the CLI, the page and FINDINGS.md no longer agree with earlier runs.
//! After an intended numerical change, regenerate it with
//! `LL_BLESS=1 cargo test --test it determinism` and say why in the commit.

use crate::common::*;

#[test]
fn native_run_matches_the_committed_fixture() {
    let computed: Vec<Golden> = golden_configs().iter().map(golden).collect();
    if std::env::var_os("LL_BLESS").is_some() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/determinism.json"
        );
        std::fs::write(
            path,
            serde_json::to_string_pretty(&computed).unwrap() + "\n",
        )
        .unwrap();
        return;
    }
    assert_eq!(
        computed,
        fixture(),
        "native numbers changed; see this file's header"
    );
}

#[test]
fn the_fingerprint_sees_a_single_bit() {
    let a = [1.0, 2.0, 3.0];
    let b = [1.0, f64::from_bits(2.0_f64.to_bits() ^ 1), 3.0];
    assert_ne!(fingerprint(&a), fingerprint(&b));
}
