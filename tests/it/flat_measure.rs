//! A measure constant along the run up to rounding (issue 14, item 5): on an orbit sitting at an
//! equilibrium (Van der Pol or Lorenz at the origin) FTLE varies by about 1e-14, pure rounding.
//! It must read as "cannot be measured", with the reason, like ∂V/∂n at the Lotka–Volterra
//! equilibrium (exactly constant), in the session's verdict and the CLI's, and be drawn flat,
//! not stretched onto the whole 0–1 range. If it fails, the page and the CLI give a verdict on
//! rounding errors.

use super::cli::cli;
use lyapunov_lens::analysis::metrics::{flat_to_rounding, ROUNDING_SPREAD};
use lyapunov_lens::lab::colormap::normalise_min_max;
use lyapunov_lens::lab::config::Config;
use lyapunov_lens::lab::session::Session;
use lyapunov_lens::systems::catalogue::SystemKind;

/// A session on `system` started at `state` (by parameter name), trained a few steps.
fn session_at(system: SystemKind, state: &[(&str, f64)]) -> Session {
    let mut config = Config::for_system(system);
    for (name, value) in state {
        config.set(name, *value).unwrap();
    }
    let mut s = Session::new(config).unwrap();
    s.step(30);
    s
}

#[test]
fn ftle_at_an_equilibrium_cannot_be_measured() {
    for (system, state) in [
        (SystemKind::VanDerPol, vec![("x0", 0.0), ("y0", 0.0)]),
        (
            SystemKind::Lorenz,
            vec![("x0", 0.0), ("y0", 0.0), ("z0", 0.0)],
        ),
    ] {
        let s = session_at(system, &state);
        let values = s.sensitivity();
        let flat = flat_to_rounding(values).unwrap_or_else(|| panic!("{system}: not flat"));
        // Rounding, not exactly constant: the case the page used to stretch onto 0–1.
        assert!(flat.spread() > 0.0, "{system}: exactly constant");
        assert!(flat.spread() <= ROUNDING_SPREAD * flat.scale());
        let m = s.metrics();
        assert_eq!(m.measure_flat, Some(flat), "{system}");
        assert_eq!((m.pearson, m.spearman, m.peak_offset), (None, None, None));
        let verdict = s.verdict(None);
        assert!(
            verdict.starts_with("no alignment can be measured: FTLE cannot be measured along this run: its values differ by at most")
                && verdict.contains("which is rounding error"),
            "{system}: {verdict}"
        );
        // Drawn flat, not stretched.
        let mut out = Vec::new();
        normalise_min_max(values, &mut out);
        assert!(out.iter().all(|v| *v == 0.5), "{system}: stretched");
    }
}

#[test]
fn dv_dn_at_the_lotka_volterra_equilibrium_is_exactly_constant() {
    // The equilibrium (γ/δ, α/β) = (2, 10) at the default rates.
    let s = session_at(SystemKind::LotkaVolterra, &[("x0", 2.0), ("y0", 10.0)]);
    let flat = s.metrics().measure_flat.expect("flat");
    assert_eq!(flat.spread(), 0.0);
    assert_eq!(
        s.verdict(None),
        "no alignment can be measured: ∂V/∂n cannot be measured along this run: it is 0 at every point"
    );
}

#[test]
fn a_measure_that_varies_is_measured() {
    for system in [
        SystemKind::LotkaVolterra,
        SystemKind::VanDerPol,
        SystemKind::Lorenz,
    ] {
        let s = session_at(system, &[]);
        assert_eq!(s.metrics().measure_flat, None, "{system}");
        assert!(s.metrics().pearson.is_some(), "{system}");
    }
    // Just above rounding still counts as a variation; at rounding level it does not.
    assert!(flat_to_rounding(&[1.0, 1.0 + 1e-9]).is_none());
    assert!(flat_to_rounding(&[1.0, 1.0 + 1e-14, f64::NAN]).is_some());
    assert!(flat_to_rounding(&[0.0, 0.0]).is_some());
    assert!(flat_to_rounding(&[0.0, 1e-300]).is_none());
    assert!(flat_to_rounding(&[3.0]).is_none());
    let mut out = Vec::new();
    normalise_min_max(&[1.0, 1.0 + 1e-9, 1.0], &mut out);
    assert_eq!(out, vec![0.0, 1.0, 0.0]);
}

#[test]
fn the_cli_says_so_too() {
    let out = cli(&[
        "run",
        "--system",
        "van-der-pol",
        "--x0",
        "0",
        "--y0",
        "0",
        "--steps",
        "5",
        "--no-ensemble",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let verdict = v["verdict"].as_str().unwrap();
    assert!(
        verdict.starts_with("no alignment can be measured: FTLE cannot be measured"),
        "{verdict}"
    );
    assert!(v["metrics"]["measure_flat"]["low"].is_f64());
    assert!(v["metrics"]["pearson"].is_null());
}
