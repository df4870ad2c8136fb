//! Guards the phase response curve (issue 13): the limit cycle (period, phase origin at the
//! maximum of the first variable), the adjoint PRC against the radial isochron clock's closed
//! form Z(t) = (−sin ωt, cos ωt)/ω within 1e-5, the normalisation Z·f = 1 along the Van der Pol
//! and Goodwin cycles within 1e-8 (and that a wrong Z fails that check), the direct PRC against
//! ε·Z within 2% of its range with a mismatch that shrinks with ε, its sign convention (an
//! advance is positive) against the clock's exact finite-kick shift, the refusals (centres,
//! chaotic systems, equilibria, over-budget requests, inadmissible kicks), and the `prc`
//! command's contract. If it fails, the PRC the page draws and the CLI prints is wrong, or the
//! lab draws a PRC where there is no asymptotic phase.

use crate::cli::cli;
use lyapunov_lens::dynamics::limit_cycle::{locate_limit_cycle, CycleErrorKind, LimitCycle};
use lyapunov_lens::measures::direct_prc::{direct_cost, direct_prc, kick_shift, wrap_phase};
use lyapunov_lens::measures::phase_response::{adjoint_prc, PhaseResponse};
use lyapunov_lens::systems::catalogue::SystemKind;
use lyapunov_lens::systems::goodwin::Goodwin;
use lyapunov_lens::systems::radial_clock::RadialClock;
use lyapunov_lens::systems::system::System;
use lyapunov_lens::systems::van_der_pol::VanDerPol;
use std::f64::consts::PI;

/// The cycle and its adjoint PRC at `points` phases.
fn prc_of(system: &dyn System, initial: &[f64], points: usize) -> (LimitCycle, PhaseResponse) {
    let cycle = locate_limit_cycle(system, initial, points).expect("a limit cycle");
    let prc = adjoint_prc(system, &cycle, points).expect("an adjoint PRC");
    (cycle, prc)
}

/// max |Z·f − 1| over the given phases, with f evaluated here from the system.
fn normalisation_deviation(system: &dyn System, states: &[Vec<f64>], z: &[Vec<f64>]) -> f64 {
    let mut f = vec![0.0; system.dim()];
    states
        .iter()
        .zip(z)
        .map(|(x, z)| {
            system.vector_field(x, &mut f);
            (z.iter().zip(&f).map(|(a, b)| a * b).sum::<f64>() - 1.0).abs()
        })
        .fold(0.0, f64::max)
}

#[test]
fn radial_clock_adjoint_prc_matches_the_closed_form() {
    // Phase reference: t = 0 at the maximum of x, the point (1, 0) of the unit circle.
    for omega in [1.0, 2.5] {
        let clock = RadialClock { omega };
        let (cycle, prc) = prc_of(&clock, &[0.3, -0.2], 64);
        let period = 2.0 * PI / omega;
        assert!(
            (cycle.period - period).abs() < 1e-9,
            "period {}",
            cycle.period
        );
        let x0 = cycle.state(0);
        assert!(
            (x0[0] - 1.0).abs() < 1e-9 && x0[1].abs() < 1e-9,
            "origin {x0:?}"
        );
        let error = prc
            .theta
            .iter()
            .zip(&prc.z)
            .map(|(theta, z)| {
                let exact = clock.analytic_prc(theta * period);
                (z[0] - exact[0]).abs().max((z[1] - exact[1]).abs())
            })
            .fold(0.0, f64::max);
        println!("radial clock ω = {omega}: max |Z − Z_exact| = {error:.2e}");
        assert!(error <= 1e-5, "ω = {omega}: max error {error:.3e}");
        // Between grid phases, and past θ = 1, by periodic linear interpolation.
        for theta in [0.3 / 64.0, 0.5, 1.0 + 10.5 / 64.0, -0.25] {
            let exact = clock.analytic_prc(theta * period);
            let z = prc.z_at(theta);
            let between = (z[0] - exact[0]).abs().max((z[1] - exact[1]).abs());
            // Linear interpolation error ≤ (Δθ·T)²·max|Z''|/8 with |Z''| = ω.
            assert!(
                between <= (period / 64.0).powi(2) * omega / 8.0 + 1e-9,
                "θ = {theta}"
            );
        }
    }
}

#[test]
fn normalisation_holds_along_van_der_pol_and_goodwin_cycles() {
    let goodwin = Goodwin::default();
    let cases: [(&dyn System, Vec<f64>); 3] = [
        (&VanDerPol { mu: 1.0 }, vec![0.5, 0.0]),
        (&VanDerPol { mu: 3.0 }, vec![0.5, 0.0]),
        (&goodwin, vec![0.0404, 0.168, 1.573]),
    ];
    for (system, initial) in cases {
        let (cycle, prc) = prc_of(system, &initial, 200);
        let here = normalisation_deviation(system, &prc.states, &prc.z);
        println!(
            "{}: T = {:.6}, max |Z·f − 1| = {here:.2e} at 200 phases, {:.2e} at every step; {} sweeps",
            system.name(),
            cycle.period,
            prc.normalisation_error,
            prc.sweeps
        );
        assert!(here <= 1e-8, "{}: {here:.3e}", system.name());
        assert!(prc.normalisation_error <= 1e-8, "{}", system.name());
        // The origin is the maximum of the first variable: dx₁/dt = 0 there, falling.
        let mut f = vec![0.0; system.dim()];
        system.vector_field(cycle.state(0), &mut f);
        assert!(f[0].abs() < 1e-9, "{}: dx₁/dt = {}", system.name(), f[0]);
        assert!(prc.states.iter().all(|s| s[0] <= cycle.state(0)[0] + 1e-12));
    }
}

#[test]
fn a_wrong_z_fails_the_normalisation_check() {
    let system = VanDerPol::default();
    let (_, prc) = prc_of(&system, &[0.5, 0.0], 100);
    assert!(normalisation_deviation(&system, &prc.states, &prc.z) <= 1e-8);
    // Scaled by 1 + 1e-6: off by 1e-6 everywhere.
    let scaled: Vec<Vec<f64>> = prc
        .z
        .iter()
        .map(|z| z.iter().map(|v| v * (1.0 + 1e-6)).collect())
        .collect();
    assert!(normalisation_deviation(&system, &prc.states, &scaled) > 1e-8);
    // Shifted by one phase step: right shape, wrong place.
    let mut shifted = prc.z.clone();
    shifted.rotate_left(1);
    assert!(normalisation_deviation(&system, &prc.states, &shifted) > 1e-2);
    // f/|f|² has Z·f = 1 by construction: the check alone cannot tell it from Z, which is why
    // the radial clock's closed form and the direct method test the shape.
}

/// max |shift·T − ε·Z_k| over the phases, and the range of ε·Z_k.
fn direct_mismatch(
    system: &dyn System,
    cycle: &LimitCycle,
    prc: &PhaseResponse,
    variable: usize,
    epsilon: f64,
) -> (f64, f64) {
    let points = prc.theta.len();
    let kicks = direct_prc(system, cycle, points, variable, epsilon, 1e-8).expect("kicks settle");
    let predicted: Vec<f64> = prc.z.iter().map(|z| epsilon * z[variable]).collect();
    let range = predicted.iter().copied().fold(f64::MIN, f64::max)
        - predicted.iter().copied().fold(f64::MAX, f64::min);
    let mismatch = kicks
        .iter()
        .zip(&predicted)
        .map(|(k, p)| (k.shift * cycle.period - p).abs())
        .fold(0.0, f64::max);
    (mismatch, range)
}

/// The direct PRC at ε large and small against ε·Z: within 2% of the range at the small ε, and
/// a relative mismatch at least 4 times smaller for 10 times smaller ε (it is second order).
fn check_direct_against_adjoint(
    system: &dyn System,
    initial: &[f64],
    points: usize,
    variable: usize,
    epsilons: [f64; 2],
) {
    let (cycle, prc) = prc_of(system, initial, points);
    let relative: Vec<f64> = epsilons
        .iter()
        .map(|&e| {
            let (mismatch, range) = direct_mismatch(system, &cycle, &prc, variable, e);
            println!(
                "{} variable {variable}, ε = {e:e}: max |Δ − εZ| = {mismatch:.3e} = {:.3}% of the range {range:.3e}",
                system.name(),
                100.0 * mismatch / range
            );
            mismatch / range
        })
        .collect();
    assert!(relative[1] <= 0.02, "{}: {relative:?}", system.name());
    assert!(
        relative[1] < relative[0] / 4.0,
        "{}: {relative:?}",
        system.name()
    );
}

#[test]
fn direct_prc_matches_epsilon_z_for_van_der_pol() {
    for variable in [0, 1] {
        check_direct_against_adjoint(
            &VanDerPol::default(),
            &[0.5, 0.0],
            24,
            variable,
            [1e-2, 1e-3],
        );
    }
}

#[test]
fn direct_prc_matches_epsilon_z_for_goodwin() {
    // The slowest test here: Goodwin's cycle attracts by 0.62 per period of 4400 steps, so
    // each kick is followed for about 25 periods.
    let initial = [0.0404, 0.168, 1.573];
    check_direct_against_adjoint(&Goodwin::default(), &initial, 6, 0, [1e-3, 1e-4]);
}

#[test]
fn direct_prc_sign_and_size_match_the_clocks_exact_finite_kick_shift() {
    // The clock's isochrons are rays: a kick from angle φ to angle φ' shifts the phase by
    // (φ' − φ)/2π periods for any ε. Kicking +y at the maximum of x turns the state forward:
    // an advance, so a positive shift.
    let clock = RadialClock::default();
    let (cycle, _) = prc_of(&clock, &[0.5, 0.0], 16);
    for (variable, epsilon) in [(1, 0.3), (1, -0.2), (0, 0.25)] {
        let kicks = direct_prc(&clock, &cycle, 16, variable, epsilon, 1e-10).unwrap();
        for k in &kicks {
            let x = cycle.state((k.theta * cycle.steps as f64).round() as usize);
            let mut kicked = x.to_vec();
            kicked[variable] += epsilon;
            let exact = wrap_phase(
                (libm::atan2(kicked[1], kicked[0]) - libm::atan2(x[1], x[0])) / (2.0 * PI),
            );
            assert!(
                (k.shift - exact).abs() < 1e-7,
                "θ = {}: {} vs {exact}",
                k.theta,
                k.shift
            );
        }
        if variable == 1 {
            assert_eq!(kicks[0].shift > 0.0, epsilon > 0.0, "advance > 0 at θ = 0");
        }
    }
    // No kick, no shift: the reference events of the stored cycle fall on whole periods.
    let none = kick_shift(&clock, &cycle, 5, &[0.0, 0.0], 1e-10).unwrap();
    assert!(none.shift.abs() < 1e-10, "{}", none.shift);
}

#[test]
fn centres_and_chaotic_systems_and_equilibria_are_refused_with_the_reason() {
    let refused = |kind: SystemKind, overrides: &[(&str, f64)]| {
        let mut values = kind.default_values();
        for (name, v) in overrides {
            let i = kind.parameters().position(|p| p.name == *name).unwrap();
            values[i] = *v;
        }
        let system = kind.build(&values).unwrap();
        locate_limit_cycle(system.as_ref(), &values[kind.rates().len()..], 10)
            .expect_err("no limit cycle")
    };
    for kind in [SystemKind::LotkaVolterra, SystemKind::Pendulum] {
        let e = refused(kind, &[]);
        assert_eq!(e.kind, CycleErrorKind::Centre, "{kind}");
        assert!(
            e.message.contains("closed orbit with another period")
                && e.message.contains("drifts forever"),
            "{kind}: {}",
            e.message
        );
    }
    for kind in [SystemKind::Lorenz, SystemKind::Rossler] {
        let e = refused(kind, &[]);
        assert_eq!(e.kind, CycleErrorKind::NoLimitCycle, "{kind}");
        assert!(e.message.contains("chaotic"), "{kind}: {}", e.message);
    }
    // Goodwin with a shallow repression (n = 4 < 8) spirals into its equilibrium.
    let e = refused(SystemKind::Goodwin, &[("hill_n", 4.0)]);
    assert_eq!(e.kind, CycleErrorKind::NoLimitCycle);
    assert!(e.message.contains("equilibrium"), "{}", e.message);
    // Van der Pol started at its equilibrium never moves.
    let e = refused(SystemKind::VanDerPol, &[("x0", 0.0), ("y0", 0.0)]);
    assert!(e.message.contains("equilibrium"), "{}", e.message);
    // Every catalogue system either has a cycle or is refused with a message.
    for kind in SystemKind::ALL {
        let values = kind.default_values();
        let system = kind.build(&values).unwrap();
        match locate_limit_cycle(system.as_ref(), &values[kind.rates().len()..], 10) {
            Ok(cycle) => assert!(cycle.contraction() < 1.0, "{kind}"),
            Err(e) => assert!(e.message.len() > 40, "{kind}: {}", e.message),
        }
    }
}

#[test]
fn over_budget_and_inadmissible_kicks_are_refused_before_integrating() {
    let goodwin = Goodwin::default();
    let (cycle, _) = prc_of(&goodwin, &[0.0404, 0.168, 1.573], 10);
    let e = direct_cost(&cycle, 100_000, 1e-8).expect_err("over the cap");
    assert_eq!(e.kind, CycleErrorKind::OverBudget);
    assert!(e.message.contains("RK4 steps"), "{}", e.message);
    // mRNA cannot go negative.
    let e = direct_prc(&goodwin, &cycle, 10, 0, -1.0, 1e-8).expect_err("negative mRNA");
    assert_eq!(e.kind, CycleErrorKind::InvalidKick);
    let e = direct_prc(&goodwin, &cycle, 10, 3, 1e-3, 1e-8).expect_err("no fourth variable");
    assert_eq!(e.kind, CycleErrorKind::InvalidKick);
}

#[test]
fn prc_command_prints_json_and_csv_and_refuses_centres() {
    let out = cli(&["prc", "--system", "van-der-pol", "--points", "20"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for key in [
        "period",
        "phase_reference",
        "sign_convention",
        "normalisation_error",
    ] {
        assert!(v.get(key).is_some(), "no {key}");
    }
    assert_eq!(v["points"].as_array().unwrap().len(), 20);
    assert_eq!(v["points"][0]["z"].as_array().unwrap().len(), 2);
    let out = cli(&[
        "prc",
        "--system",
        "van-der-pol",
        "--method",
        "direct",
        "--variable",
        "y",
        "--epsilon",
        "0.01",
        "--points",
        "6",
        "--format",
        "csv",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("theta,t,x,y,shift,shift_time,predicted_shift,periods")
    );
    assert_eq!(lines.count(), 6);
    for (args, needle) in [
        (&["prc", "--system", "lotka-volterra"][..], "drifts forever"),
        (&["prc", "--system", "rossler"][..], "chaotic"),
        (&["prc", "--variable", "w"][..], "--variable"),
        (
            &["prc", "--method", "direct", "--epsilon", "0"][..],
            "--epsilon",
        ),
    ] {
        let out = cli(args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(needle), "{args:?}: {stderr}");
    }
}

#[test]
fn the_phase_response_measure_follows_z_along_the_cycle_and_is_refused_elsewhere() {
    use lyapunov_lens::lab::config::Config;
    use lyapunov_lens::lab::session::Session;
    use lyapunov_lens::measures::measure::Measure;
    use lyapunov_lens::systems::catalogue::SystemKind;
    // Van der Pol after its burn-in: |Z| along the run is periodic with the cycle's period.
    let mut config = Config::for_system(SystemKind::VanDerPol);
    config.measure = Measure::PhaseResponse;
    let s = Session::new(config.clone()).unwrap();
    let z = s.sensitivity();
    assert!(z.iter().all(|v| v.is_finite() && *v > 0.0));
    let period = s.period().unwrap();
    let dt = s.times()[1] - s.times()[0];
    let shift = (period / dt).round() as usize;
    let worst = (0..z.len() - shift)
        .map(|i| (z[i] - z[i + shift]).abs() / z[i])
        .fold(0.0_f64, f64::max);
    assert!(worst < 0.05, "|Z| one period apart differs by {worst}");
    // Off the cycle (no burn-in) it refuses, and says what to do.
    config.burn_in = 0.0;
    let err = Session::new(config).err().unwrap().to_string();
    assert!(err.contains("burn-in"), "{err}");
    // A centre and a chaotic system have no phase response.
    for system in [SystemKind::LotkaVolterra, SystemKind::Lorenz] {
        let err = Measure::PhaseResponse.check(system).unwrap_err();
        assert!(err.contains("limit cycle"), "{system}: {err}");
    }
    assert!(Measure::PhaseResponse.check(SystemKind::Goodwin).is_ok());
}
