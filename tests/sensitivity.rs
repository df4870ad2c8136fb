//! The along-trajectory sensitivity measures: the FTLE series (window products of one-interval
//! propagators) against direct integration and analytic values, and the normal growth against
//! its closed form on a linear spiral.

use lyapunov_lens::ftle::{ftle, ftle_series};
use lyapunov_lens::goodwin::Goodwin;
use lyapunov_lens::lorenz::Lorenz;
use lyapunov_lens::lotka_volterra::LotkaVolterra;
use lyapunov_lens::rk4::{integrate, uniform_times, Trajectory};
use lyapunov_lens::sensitivity::{normal_growth_series, Measure};
use lyapunov_lens::system::System;
use lyapunov_lens::systems::SystemKind;
use lyapunov_lens::van_der_pol::VanDerPol;

/// dx/dt = A·x for a fixed 2×2 matrix A.
struct Linear([f64; 4]);
impl System for Linear {
    fn name(&self) -> &'static str {
        "linear"
    }
    fn dim(&self) -> usize {
        2
    }
    fn state_names(&self) -> &'static [&'static str] {
        &["u", "v"]
    }
    fn vector_field(&self, s: &[f64], out: &mut [f64]) {
        out[0] = self.0[0] * s[0] + self.0[1] * s[1];
        out[1] = self.0[2] * s[0] + self.0[3] * s[1];
    }
    fn jacobian(&self, _: &[f64], out: &mut [f64]) {
        out.copy_from_slice(&self.0);
    }
}

fn trajectory(system: &dyn System, start: &[f64], t_end: f64, n: usize) -> Trajectory {
    integrate(system, start, &uniform_times(t_end, n)).unwrap()
}

#[test]
fn ftle_series_of_linear_systems_equals_the_analytic_value_at_every_sample() {
    // Diagonal: FTLE = 0.3 for every τ and every point.
    let system = Linear([0.3, 0.0, 0.0, -0.5]);
    let traj = trajectory(&system, &[1.0, 2.0], 5.0, 101);
    for tau in [0.05, 0.5, 2.0] {
        let series = ftle_series(&system, &traj, tau).unwrap();
        let worst = series.iter().fold(0.0_f64, |m, f| m.max((f - 0.3).abs()));
        assert!(worst < 1e-9, "τ = {tau}: off by {worst:e}");
    }
    // Shear: σ_max(Φ(τ)) = (τ + √(τ² + 4))/2, with τ = 20 sampling intervals exactly.
    let system = Linear([0.0, 1.0, 0.0, 0.0]);
    let traj = trajectory(&system, &[0.0, 1.0], 5.0, 101);
    let series = ftle_series(&system, &traj, 1.0).unwrap();
    let expected = ((1.0 + 5.0_f64.sqrt()) / 2.0).ln();
    for (i, f) in series.iter().enumerate() {
        assert!((f - expected).abs() < 1e-9, "sample {i}: {f} vs {expected}");
    }
}

#[test]
fn ftle_series_matches_direct_integration_from_each_sample() {
    // τ a whole number of sampling intervals, so both compute Φ over the same span.
    // (system, start, t_end, N, τ)
    type Case<'a> = (&'a dyn System, Vec<f64>, f64, usize, f64);
    let cases: [Case; 3] = [
        (&Lorenz::default(), vec![1.0, 1.0, 20.0], 10.0, 501, 0.5),
        (
            &Goodwin::default(),
            vec![0.0404, 0.168, 1.573],
            100.0,
            201,
            5.0,
        ),
        (&LotkaVolterra::default(), vec![10.0, 5.0], 15.0, 301, 1.0),
    ];
    for (system, start, t_end, n, tau) in cases {
        let traj = trajectory(system, &start, t_end, n);
        let series = ftle_series(system, &traj, tau).unwrap();
        let mut worst = 0.0_f64;
        for i in (0..n).step_by(37) {
            let row = traj.states.row(i).to_vec();
            let direct = ftle(system, &row, tau).unwrap();
            worst = worst.max((series[i] - direct).abs() / direct.abs().max(1e-3));
        }
        println!(
            "{}: FTLE series vs direct, worst relative difference {worst:.2e}",
            system.name()
        );
        assert!(worst < 1e-6, "{}: {worst:e}", system.name());
    }
}

#[test]
fn normal_growth_on_a_damped_spiral_is_minus_the_damping_rate() {
    // x' = −εx − ωy, y' = ωx − εy: Φ(τ) = e^{−ετ} R(ωτ), and the orbit normal turns with R, so
    // n(t+τ)·Φ n(t) = e^{−ετ} and the growth rate is −ε everywhere.
    let (eps, omega) = (0.2, 1.5);
    let system = Linear([-eps, -omega, omega, -eps]);
    let traj = trajectory(&system, &[3.0, 0.0], 6.0, 301);
    for tau in [0.2, 1.0, 3.0] {
        let growth = normal_growth_series(&system, &traj, tau).unwrap();
        let worst = growth.iter().fold(0.0_f64, |m, g| m.max((g + eps).abs()));
        assert!(worst < 1e-8, "τ = {tau}: off by {worst:e}");
    }
}

#[test]
fn a_wrong_normal_growth_would_be_caught() {
    // The same check fails for an undamped centre, where the growth is 0, not −ε.
    let system = Linear([0.0, -1.5, 1.5, 0.0]);
    let traj = trajectory(&system, &[3.0, 0.0], 6.0, 301);
    let growth = normal_growth_series(&system, &traj, 1.0).unwrap();
    assert!(growth.iter().all(|g| g.abs() < 1e-8));
    assert!(growth.iter().all(|g| (g + 0.2).abs() > 0.1));
}

#[test]
fn van_der_pol_kicks_shrink_on_average_toward_its_attracting_limit_cycle() {
    // On the limit cycle, the normal growth averaged over one period is the cycle's (negative)
    // Floquet exponent; over long horizons every sample sees the attraction.
    let system = VanDerPol::default();
    let settled = trajectory(&system, &[0.5, 0.0], 40.0, 2)
        .states
        .row(1)
        .to_vec();
    let traj = trajectory(&system, &settled, 20.0, 1001);
    let growth = normal_growth_series(&system, &traj, 13.3).unwrap();
    let mean = growth.iter().sum::<f64>() / growth.len() as f64;
    println!("Van der Pol normal growth over two periods, mean {mean:.4}");
    assert!(mean < -0.5, "{mean}");
}

#[test]
fn every_system_has_a_finite_default_measure_and_the_right_measures() {
    for kind in SystemKind::ALL {
        let values = kind.default_values();
        let system = kind.build(&values).unwrap();
        let start = &values[kind.rates().len()..];
        let d = kind.run_defaults();
        let traj = trajectory(system.as_ref(), start, d.t_end, 400);
        for measure in Measure::available(kind) {
            let series = measure.along(system.as_ref(), &traj, d.tau).unwrap();
            assert!(
                series.iter().all(|v| v.is_finite()),
                "{kind} {measure}: non-finite values"
            );
        }
        assert_eq!(
            Measure::NormalDerivative.check(kind).is_ok(),
            kind.has_lyapunov()
        );
        assert_eq!(Measure::NormalGrowth.check(kind).is_ok(), kind.dim() == 2);
        assert!(Measure::Ftle.check(kind).is_ok());
    }
}
