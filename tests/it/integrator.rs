//! The integrator against the bars at the defaults: max abs error ≤ 1e-6 against an
//! independent high-accuracy reference, and relative drift of the conserved V ≤ 1e-9. If it
//! fails, every trajectory (and so every measure and training target) is inaccurate.

use lyapunov_lens::dynamics::rk4::{integrate, uniform_times};
use lyapunov_lens::systems::lotka_volterra::LotkaVolterra;
use lyapunov_lens::systems::system::{LyapunovFunction, System};

/// An independent reference, written here and not shared with the library: classical RK4 at
/// a fixed tiny step h and at h/2, Richardson-extrapolated ((16·y_{h/2} − y_h)/15), which
/// cancels the h⁴ term and leaves an error far below 1e-10 at h = 1.5e-4.
fn reference(
    system: &LotkaVolterra,
    initial: [f64; 2],
    times: &[f64],
    h_target: f64,
) -> Vec<[f64; 2]> {
    fn f(s: &LotkaVolterra, z: [f64; 2]) -> [f64; 2] {
        [
            s.alpha * z[0] - s.beta * z[0] * z[1],
            s.delta * z[0] * z[1] - s.gamma * z[1],
        ]
    }
    fn rk4(s: &LotkaVolterra, mut z: [f64; 2], dt: f64, m: usize) -> [f64; 2] {
        let h = dt / m as f64;
        for _ in 0..m {
            let k1 = f(s, z);
            let k2 = f(s, [z[0] + 0.5 * h * k1[0], z[1] + 0.5 * h * k1[1]]);
            let k3 = f(s, [z[0] + 0.5 * h * k2[0], z[1] + 0.5 * h * k2[1]]);
            let k4 = f(s, [z[0] + h * k3[0], z[1] + h * k3[1]]);
            for i in 0..2 {
                z[i] += h / 6.0 * (k1[i] + 2.0 * k2[i] + 2.0 * k3[i] + k4[i]);
            }
        }
        z
    }
    let mut coarse = initial;
    let mut fine = initial;
    let mut out = vec![initial];
    for w in times.windows(2) {
        let dt = w[1] - w[0];
        let m = (dt / h_target).ceil() as usize;
        coarse = rk4(system, coarse, dt, m);
        fine = rk4(system, fine, dt, 2 * m);
        out.push([
            (16.0 * fine[0] - coarse[0]) / 15.0,
            (16.0 * fine[1] - coarse[1]) / 15.0,
        ]);
    }
    out
}

#[test]
fn max_abs_error_at_defaults_is_below_1e_minus_6() {
    let system = LotkaVolterra::default();
    let times = uniform_times(15.0, 1000);
    let trajectory = integrate(&system, &[10.0, 5.0], &times).unwrap();
    let reference = reference(&system, [10.0, 5.0], &times, 1.5e-4);
    let max_err = trajectory
        .states
        .rows()
        .into_iter()
        .zip(&reference)
        .flat_map(|(row, r)| [(row[0] - r[0]).abs(), (row[1] - r[1]).abs()])
        .fold(0.0, f64::max);
    println!("max abs error vs Richardson RK4 reference: {max_err:.3e}");
    assert!(max_err <= 1e-6, "max abs error {max_err:e} exceeds 1e-6");
}

#[test]
fn reference_is_itself_converged() {
    // The reference must be far more accurate than the bar it checks against.
    let system = LotkaVolterra::default();
    let times = uniform_times(15.0, 101);
    let a = reference(&system, [10.0, 5.0], &times, 1.5e-4);
    let b = reference(&system, [10.0, 5.0], &times, 0.75e-4);
    let diff = a
        .iter()
        .zip(&b)
        .flat_map(|(p, q)| [(p[0] - q[0]).abs(), (p[1] - q[1]).abs()])
        .fold(0.0, f64::max);
    assert!(diff < 1e-9, "reference not converged: {diff:e}");
}

#[test]
fn v_drift_at_defaults_is_below_1e_minus_9() {
    let system = LotkaVolterra::default();
    let times = uniform_times(15.0, 1000);
    let trajectory = integrate(&system, &[10.0, 5.0], &times).unwrap();
    let v0 = system.value(&[10.0, 5.0]);
    let drift = trajectory
        .states
        .rows()
        .into_iter()
        .map(|row| ((system.value(row.as_slice().unwrap()) - v0) / v0).abs())
        .fold(0.0, f64::max);
    println!("max relative drift of V: {drift:.3e}");
    assert!(drift <= 1e-9, "relative V drift {drift:e} exceeds 1e-9");
}

#[test]
fn v_is_conserved_across_the_slider_box() {
    // Corners of the explorable range, including orbits that come close to extinction.
    for (alpha, beta, gamma, delta, x0, y0) in [
        (3.0, 0.02, 0.2, 2.0, 60.0, 0.5),
        (0.2, 0.5, 3.0, 0.05, 0.5, 60.0),
        (3.0, 0.5, 3.0, 2.0, 60.0, 60.0),
        (1.0, 0.1, 1.5, 0.75, 2.0, 2.0),
    ] {
        let system = LotkaVolterra::new(alpha, beta, gamma, delta).unwrap();
        let times = uniform_times(60.0, 1000);
        let trajectory = integrate(&system, &[x0, y0], &times).unwrap();
        let v0 = system.value(&[x0, y0]);
        let last = trajectory.states.row(999);
        let drift = ((system.value(last.as_slice().unwrap()) - v0) / v0).abs();
        assert!(
            drift < 1e-6,
            "V drift {drift:e} at {:?}",
            (alpha, beta, gamma, delta, x0, y0)
        );
    }
}

#[test]
fn the_equilibrium_stays_put() {
    let system = LotkaVolterra::default();
    let eq = system.equilibrium();
    let trajectory = integrate(&system, &eq, &uniform_times(15.0, 50)).unwrap();
    for row in trajectory.states.rows() {
        assert!((row[0] - eq[0]).abs() < 1e-12 && (row[1] - eq[1]).abs() < 1e-12);
    }
}

#[test]
fn a_non_positive_initial_state_is_an_error_not_a_nan() {
    let system = LotkaVolterra::default();
    let err = integrate(&system, &[0.0, 5.0], &uniform_times(15.0, 10)).unwrap_err();
    assert!(err.message.contains("prey x"), "{}", err.message);
    let err = integrate(&system, &[f64::NAN, 5.0], &uniform_times(15.0, 10)).unwrap_err();
    assert!(err.message.contains("non-finite"), "{}", err.message);
}

/// dx/dt = x²: blows up at t = 1/x0.
struct Riccati;
impl System for Riccati {
    fn name(&self) -> &'static str {
        "riccati"
    }
    fn dim(&self) -> usize {
        1
    }
    fn state_names(&self) -> &'static [&'static str] {
        &["x"]
    }
    fn vector_field(&self, s: &[f64], out: &mut [f64]) {
        out[0] = s[0] * s[0];
    }
    fn jacobian(&self, s: &[f64], out: &mut [f64]) {
        out[0] = 2.0 * s[0];
    }
}

#[test]
fn a_blow_up_is_an_error_with_a_message() {
    let err = integrate(&Riccati, &[1.0], &uniform_times(2.0, 11)).unwrap_err();
    assert!(err.t <= 1.0 + 1e-9, "blow-up reported at t = {}", err.t);
    assert!(err.to_string().contains("integration failed"), "{err}");
}

#[test]
fn uneven_times_are_accepted_and_decreasing_times_rejected() {
    let system = LotkaVolterra::default();
    let ok = integrate(&system, &[10.0, 5.0], &[0.0, 0.1, 0.1, 2.5, 2.6]).unwrap();
    assert_eq!(ok.states.row(1), ok.states.row(2));
    let err = integrate(&system, &[10.0, 5.0], &[0.0, 1.0, 0.5]).unwrap_err();
    assert!(err.message.contains("non-decreasing"));
}
