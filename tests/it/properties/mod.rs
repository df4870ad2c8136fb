//! Property tests: random and hostile inputs to everything a visitor or a file can hand the lab
//! (a link's hash, a CSV file, a config, a change of config, an import), checked for what must
//! hold whatever the input: no panic, every refusal a message, exact round trips, a refused
//! change that leaves the session as it was, and every operation's work estimate under its cap.
//! If it fails, some input freezes, crashes or silently corrupts the page; proptest prints the
//! shrunk (smallest failing) input.
//!
//! Each property runs [`DEFAULT_CASES`] cases in `cargo test` (half as many where a case builds
//! several sessions), 15 to 30 s in debug on 2 cores; `PROPTEST_CASES=N` runs N each (`make fuzz` runs
//! many more, in release), and `PROPTEST_RNG_SEED=S` replays one seed. No regression files are
//! written: a case a property found becomes a named test.

mod configs;
mod csv_files;
mod hash_links;
mod session_changes;
mod work_caps;

use proptest::prelude::*;
use proptest::test_runner::Config as ProptestConfig;

/// Cases per property in `cargo test`: enough to catch the common failures, cheap in debug.
pub const DEFAULT_CASES: u32 = 64;

/// [`DEFAULT_CASES`] unless `PROPTEST_CASES` is set; no failure-persistence files.
pub fn cases() -> ProptestConfig {
    cases_or(DEFAULT_CASES)
}

/// Half of [`DEFAULT_CASES`], or a tenth of `PROPTEST_CASES` when it is set (`make fuzz`): for
/// properties that build and train two or three sessions per case (about 0.2 s in debug; a
/// limit cycle takes longest), which at the parsers' case count would run for an hour.
pub fn session_cases() -> ProptestConfig {
    let mut config = cases_or(DEFAULT_CASES / 2);
    if std::env::var_os("PROPTEST_CASES").is_some() {
        config.cases = (config.cases / 10).max(DEFAULT_CASES / 2);
    }
    config
}

fn cases_or(default: u32) -> ProptestConfig {
    let mut config = ProptestConfig {
        failure_persistence: None,
        ..ProptestConfig::default()
    };
    if std::env::var_os("PROPTEST_CASES").is_none() {
        // In `cargo test` (and so in CI) the cases are the same every run: a failure reproduces,
        // and CI cannot turn red on a draw. `make fuzz` draws fresh cases each run.
        config.cases = default;
        config.rng_seed = proptest::test_runner::RngSeed::Fixed(0x1ab_1e55);
    }
    // The config strategies filter for valid configs (about one in ten passes): proptest's fixed
    // limits on rejections (65536 local, 1024 global) would abort `make fuzz` partway.
    config.max_local_rejects = config
        .max_local_rejects
        .max(config.cases.saturating_mul(100));
    config.max_global_rejects = config
        .max_global_rejects
        .max(config.cases.saturating_mul(10));
    config
}

/// Number-like text that parsers mishandle: NaN and infinities in their spellings, overflow and
/// underflow, signed zeros, long digit runs, exponents, stray signs, commas and spaces, and
/// any finite or non-finite f64 written out.
pub fn hostile_number() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "NaN",
            "nan",
            "inf",
            "-inf",
            "+inf",
            "infinity",
            "-Infinity",
            "1e308",
            "-1e308",
            "1.8e308",
            "1e999",
            "-1e999",
            "1e-400",
            "4.9e-324",
            "0",
            "-0",
            "+0",
            "0.0",
            "",
            " ",
            "-",
            "+",
            ".",
            "e",
            "1e",
            "1,5",
            "1 5",
            "0x10",
            "1_000",
            "١٢",
            "½",
            "１２",
        ])
        .prop_map(str::to_string),
        any::<f64>().prop_map(|v| v.to_string()),
        any::<i64>().prop_map(|v| v.to_string()),
        "[0-9]{300,400}",
        "-?[0-9]{0,3}\\.?[0-9]{0,3}([eE][-+]?[0-9]{1,4})?",
    ]
}
