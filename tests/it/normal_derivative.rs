//! ∂V/∂n, the paper's reference measure: the orbit normal, ∂V/∂n = |∇V| on Lotka–Volterra to
//! 1e-12, a hand-computed value, zero at the equilibrium, and V lowest there. If it fails,
//! attention is compared against a wrong steepness of V.

use lyapunov_lens::dynamics::rk4::{integrate, uniform_times};
use lyapunov_lens::measures::normal_derivative::{
    normal_derivative, normal_derivative_along, orbit_normal,
};
use lyapunov_lens::systems::lotka_volterra::LotkaVolterra;
use lyapunov_lens::systems::system::{LyapunovFunction, System};

#[test]
fn orbit_normal_is_f_rotated_clockwise_and_unit() {
    assert_eq!(orbit_normal([3.0, 4.0]), Some([0.8, -0.6]));
    assert_eq!(orbit_normal([0.0, 0.0]), None);
}

#[test]
fn lv_normal_derivative_equals_gradient_norm_to_1e_minus_12() {
    // Jf = xy∇V for Lotka–Volterra, so ∂V/∂n = |∇V| everywhere off the equilibrium.
    for system in [
        LotkaVolterra::default(),
        LotkaVolterra::new(2.3, 0.37, 0.4, 1.7).unwrap(),
    ] {
        let trajectory = integrate(&system, &[10.0, 5.0], &uniform_times(30.0, 2000)).unwrap();
        let dv_dn = normal_derivative_along(&system, &trajectory).unwrap();
        let mut worst = 0.0_f64;
        for (row, d) in trajectory.states.rows().into_iter().zip(&dv_dn) {
            let mut grad = [0.0; 2];
            system.gradient(row.as_slice().unwrap(), &mut grad);
            let norm = grad[0].hypot(grad[1]);
            worst = worst.max((d - norm).abs() / norm);
        }
        assert!(worst <= 1e-12, "max relative deviation {worst:e}");
    }
}

#[test]
fn known_value_at_the_initial_state() {
    // ∇V(10, 5) = (0.75 − 1.5/10, 0.1 − 1/5) = (0.6, −0.1), |∇V| = √0.37.
    let d = normal_derivative(&LotkaVolterra::default(), &[10.0, 5.0]).unwrap();
    assert!((d - 0.37_f64.sqrt()).abs() < 1e-15, "{d}");
}

#[test]
fn zero_at_the_equilibrium_where_the_normal_is_undefined() {
    let system = LotkaVolterra::default();
    assert_eq!(normal_derivative(&system, &system.equilibrium()), Some(0.0));
}

#[test]
fn v_is_lowest_at_the_equilibrium() {
    let system = LotkaVolterra::default();
    let eq = system.equilibrium();
    let v_eq = system.value(&eq);
    for p in [[1.0, 1.0], [10.0, 5.0], [2.0, 12.0], [3.0, 30.0]] {
        assert!(system.value(&p) > v_eq);
    }
    let mut f = [0.0; 2];
    system.vector_field(&eq, &mut f);
    assert_eq!(f, [0.0, 0.0]);
}
