//! The catalogue of systems and the sensitivity measures: FTLE and the largest Lyapunov exponent
//! against analytic and published values, every hand-written Jacobian against finite
//! differences, each system's known behaviour (conserved energy, limit cycle, sustained or damped
//! oscillation, bounded chaos), the FTLE series and the normal growth along a trajectory, and
//! which measures each system offers. If it fails, a system or a measure that attention is
//! compared against is wrong.

use lyapunov_lens::dynamics::orbit_period::measure_period;
use lyapunov_lens::dynamics::rk4::{integrate, uniform_times, Trajectory};
use lyapunov_lens::measures::ftle::{
    ftle, ftle_series, largest_lyapunov_exponent, largest_singular_value,
};
use lyapunov_lens::measures::measure::Measure;
use lyapunov_lens::measures::normal_growth::normal_growth_series;
use lyapunov_lens::systems::catalogue::SystemKind;
use lyapunov_lens::systems::goodwin::Goodwin;
use lyapunov_lens::systems::lorenz::Lorenz;
use lyapunov_lens::systems::lotka_volterra::LotkaVolterra;
use lyapunov_lens::systems::pendulum::Pendulum;
use lyapunov_lens::systems::rossler::Rossler;
use lyapunov_lens::systems::system::{LyapunovFunction, System};
use lyapunov_lens::systems::van_der_pol::VanDerPol;

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

#[test]
fn ftle_of_linear_systems_equals_the_analytic_value() {
    // Diagonal: Φ = diag(e^{0.3τ}, e^{−0.5τ}), so FTLE = 0.3 for every τ.
    for tau in [0.5, 2.0, 10.0] {
        let f = ftle(&Linear([0.3, 0.0, 0.0, -0.5]), &[1.0, 2.0], tau).unwrap();
        assert!((f - 0.3).abs() < 1e-9, "τ = {tau}: {f}");
    }
    // Shear: Φ = [[1, τ], [0, 1]], σ_max = (τ + √(τ² + 4))/2.
    for tau in [0.5, 3.0] {
        let f = ftle(&Linear([0.0, 1.0, 0.0, 0.0]), &[0.0, 0.0], tau).unwrap();
        let expected = ((tau + (tau * tau + 4.0_f64).sqrt()) / 2.0).ln() / tau;
        assert!((f - expected).abs() < 1e-9, "τ = {tau}: {f} vs {expected}");
    }
    // A centre (rotation) neither grows nor shrinks: FTLE = 0.
    let f = ftle(&Linear([0.0, 1.0, -1.0, 0.0]), &[1.0, 0.0], 7.0).unwrap();
    assert!(f.abs() < 1e-9, "{f}");
}

#[test]
fn singular_values_of_known_matrices() {
    assert!((largest_singular_value(&[3.0, 0.0, 0.0, 4.0], 2) - 4.0).abs() < 1e-12);
    assert!(
        (largest_singular_value(&[1.0, 1.0, 0.0, 1.0], 2) - (1.0 + 5f64.sqrt()) / 2.0).abs()
            < 1e-12
    );
    let m = [2.0, 0.0, 0.0, 0.0, -5.0, 0.0, 0.0, 0.0, 1.0];
    assert!((largest_singular_value(&m, 3) - 5.0).abs() < 1e-12);
}

#[test]
fn lorenz_largest_lyapunov_exponent_is_0_906_within_5_percent() {
    let lambda =
        largest_lyapunov_exponent(&Lorenz::default(), &[1.0, 1.0, 1.0], 20.0, 400.0, 1.0).unwrap();
    println!("Lorenz largest Lyapunov exponent (Benettin, 400 time units): {lambda:.4}");
    assert!((lambda / 0.9056 - 1.0).abs() < 0.05, "{lambda}");
}

#[test]
fn lorenz_ftle_averaged_over_a_long_run_approaches_it_too() {
    // FTLE over a long horizon τ converges to the largest exponent; average a few starts on
    // the attractor to smooth the finite-τ fluctuations.
    let system = Lorenz::default();
    let on_attractor = integrate(&system, &[1.0, 1.0, 1.0], &uniform_times(60.0, 7)).unwrap();
    let starts: Vec<Vec<f64>> = on_attractor
        .states
        .rows()
        .into_iter()
        .skip(1)
        .map(|r| r.to_vec())
        .collect();
    let mean = starts
        .iter()
        .map(|s| ftle(&system, s, 60.0).unwrap())
        .sum::<f64>()
        / starts.len() as f64;
    println!(
        "Lorenz FTLE, τ = 60, mean of {} starts: {mean:.4}",
        starts.len()
    );
    assert!((mean / 0.9056 - 1.0).abs() < 0.05, "{mean}");
}

/// Every hand-written Jacobian against central differences of the vector field.
fn check_jacobian(system: &dyn System, state: &[f64]) {
    let d = system.dim();
    let mut analytic = vec![0.0; d * d];
    system.jacobian(state, &mut analytic);
    for c in 0..d {
        let h = 1e-6 * state[c].abs().max(1.0);
        let (mut plus, mut minus) = (state.to_vec(), state.to_vec());
        plus[c] += h;
        minus[c] -= h;
        let (mut fp, mut fm) = (vec![0.0; d], vec![0.0; d]);
        system.vector_field(&plus, &mut fp);
        system.vector_field(&minus, &mut fm);
        for r in 0..d {
            let numeric = (fp[r] - fm[r]) / (2.0 * h);
            let scale = analytic[r * d + c].abs().max(1.0);
            assert!(
                (numeric - analytic[r * d + c]).abs() < 1e-6 * scale,
                "{}: ∂f{r}/∂x{c} = {} vs {numeric}",
                system.name(),
                analytic[r * d + c]
            );
        }
    }
}

#[test]
fn every_jacobian_matches_finite_differences() {
    check_jacobian(&LotkaVolterra::default(), &[10.0, 5.0]);
    check_jacobian(&Pendulum::default(), &[0.7, -0.3]);
    check_jacobian(&VanDerPol::default(), &[1.3, -0.4]);
    check_jacobian(&Goodwin::default(), &[0.4, 3.0, 1.1]);
    check_jacobian(&Lorenz::default(), &[1.0, -2.0, 20.0]);
    check_jacobian(&Rossler::default(), &[2.0, -1.0, 0.5]);
}

#[test]
fn pendulum_conserves_energy_and_swings_with_the_small_angle_period() {
    let p = Pendulum::default();
    let traj = integrate(&p, &[1.0, 0.0], &uniform_times(20.0, 2001)).unwrap();
    let h0 = p.value(&[1.0, 0.0]);
    let drift = traj
        .states
        .rows()
        .into_iter()
        .map(|r| (p.value(r.as_slice().unwrap()) - h0).abs())
        .fold(0.0, f64::max);
    assert!(drift < 1e-9 * h0.abs(), "energy drift {drift:e}");
    let small = measure_period(&p, &[0.01, 0.0], 3.0).unwrap();
    let expected = 2.0 * std::f64::consts::PI * (p.length / p.g).sqrt();
    assert!(
        (small / expected - 1.0).abs() < 1e-4,
        "{small} vs {expected}"
    );
}

#[test]
fn van_der_pol_settles_on_a_limit_cycle_of_amplitude_about_2() {
    let v = VanDerPol::default();
    for start in [[0.1, 0.0], [4.0, 0.0]] {
        let traj = integrate(&v, &start, &uniform_times(60.0, 6001)).unwrap();
        let late_max = traj
            .states
            .rows()
            .into_iter()
            .skip(4000)
            .map(|r| r[0].abs())
            .fold(0.0, f64::max);
        assert!(
            (late_max - 2.0).abs() < 0.05,
            "from {start:?}: amplitude {late_max}"
        );
    }
}

#[test]
fn goodwin_oscillates_at_its_defaults_and_not_with_shallow_repression() {
    let amplitude = |g: &Goodwin| {
        let traj = integrate(g, &[0.1, 0.2, 2.5], &uniform_times(2000.0, 4001)).unwrap();
        let late: Vec<f64> = traj
            .states
            .rows()
            .into_iter()
            .skip(3000)
            .map(|r| r[2])
            .collect();
        late.iter().copied().fold(f64::NEG_INFINITY, f64::max)
            - late.iter().copied().fold(f64::INFINITY, f64::min)
    };
    let sustained = amplitude(&Goodwin::default());
    let damped = amplitude(&Goodwin {
        n: 4.0,
        ..Goodwin::default()
    });
    println!("Goodwin late amplitude of Z: n = 10: {sustained:.4}, n = 4: {damped:.2e}");
    assert!(sustained > 0.1, "{sustained}");
    assert!(damped < 1e-3, "{damped}");
}

#[test]
fn the_chaotic_systems_stay_bounded() {
    for (system, start, bound) in [
        (&Lorenz::default() as &dyn System, [1.0, 1.0, 1.0], 60.0),
        (&Rossler::default(), [1.0, 1.0, 0.0], 40.0),
    ] {
        let traj = integrate(system, &start, &uniform_times(200.0, 2001)).unwrap();
        let max = traj.states.iter().fold(0.0_f64, |m, v| m.max(v.abs()));
        assert!(max < bound, "{}: |state| reached {max}", system.name());
    }
}

// The along-trajectory sensitivity measures: the FTLE series (window products of one-interval
// propagators) against direct integration and analytic values, and the normal growth against
// its closed form on a linear spiral.

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
        // The window starts after the system's burn-in, as in the lab.
        let config = lyapunov_lens::lab::config::Config::for_system(kind);
        let start = lyapunov_lens::lab::clean_data::window_start(system.as_ref(), &config).unwrap();
        let d = kind.run_defaults();
        let traj = trajectory(system.as_ref(), &start, d.t_end, 400);
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

#[test]
fn lotka_volterra_normal_growth_is_the_log_ratio_of_grad_v() {
    // The identity FINDINGS.md relies on to count normal growth only where there is no V: for
    // Lotka–Volterra, growth_i = ln(|∇V(x_i)|/|∇V(x_j)|)/(t_j − t_i), with t_j the first sample
    // at least τ after t_i (the window the series uses; the orbit is periodic and continued).
    let system = LotkaVolterra::default();
    let traj = trajectory(&system, &[10.0, 5.0], 15.0, 301);
    let tau = 1.0;
    let growth = normal_growth_series(&system, &traj, tau).unwrap();
    let grad_norm = |s: &[f64]| {
        let mut g = [0.0; 2];
        system.lyapunov().unwrap().gradient(s, &mut g);
        g[0].hypot(g[1])
    };
    let dt = traj.times[1] - traj.times[0];
    let k = (tau / dt - 1e-9).ceil() as usize;
    let mut worst = 0.0_f64;
    for (i, g) in growth.iter().enumerate().take(traj.len() - k) {
        let (a, b) = (traj.states.row(i).to_vec(), traj.states.row(i + k).to_vec());
        let want = (grad_norm(&a) / grad_norm(&b)).ln() / (traj.times[i + k] - traj.times[i]);
        worst = worst.max((g - want).abs() / want.abs().max(1e-3));
    }
    assert!(
        worst < 1e-6,
        "normal growth vs ln|∇V| ratio: worst relative gap {worst:e}"
    );
}
