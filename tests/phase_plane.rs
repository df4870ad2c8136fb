use lyapunov_lens::lotka_volterra::LotkaVolterra;
use lyapunov_lens::phase_plane::{classify, direction_field, equilibrium_type};

#[test]
fn lotka_volterra_equilibrium_is_a_centre_and_the_origin_a_saddle() {
    let s = LotkaVolterra::default();
    assert_eq!(classify(&s, s.equilibrium()), "a centre");
    assert_eq!(classify(&s, [0.0, 0.0]), "a saddle");
}

#[test]
fn types_from_trace_and_determinant() {
    assert_eq!(equilibrium_type(-3.0, 2.0), "a stable node"); // eigenvalues −1, −2
    assert_eq!(equilibrium_type(2.0, 5.0), "an unstable spiral"); // 1 ± 2i
    assert_eq!(equilibrium_type(-2.0, 5.0), "a stable spiral");
    assert_eq!(equilibrium_type(3.0, 2.0), "an unstable node");
    assert_eq!(equilibrium_type(0.0, 0.0), "degenerate");
}

#[test]
fn the_field_points_along_the_flow() {
    let s = LotkaVolterra::default();
    let field = direction_field(&s, (1.0, 3.0), (9.0, 11.0), 2, 2);
    assert_eq!(field.len(), 4);
    // Below and left of the equilibrium (2, 10): prey grow (y < α/β) and predators fall (x < γ/δ).
    let [_, _, dx, dy] = field[0];
    assert!(dx > 0.0 && dy < 0.0 && ((dx * dx + dy * dy) - 1.0).abs() < 1e-12);
}
