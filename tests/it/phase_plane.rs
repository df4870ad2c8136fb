//! The phase plane: equilibrium types from the trace and determinant, a direction field that
//! points along the flow, and level-set shading that covers exactly where V is finite. If it
//! fails, the phase portrait mislabels or misdraws the dynamics.

use lyapunov_lens::dynamics::phase_plane::{classify, direction_field, equilibrium_type};
use lyapunov_lens::systems::lotka_volterra::LotkaVolterra;

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

#[test]
fn level_sets_cover_the_whole_plane_where_v_is_finite() {
    use lyapunov_lens::dynamics::level_sets::shade_level_sets;
    use lyapunov_lens::systems::pendulum::Pendulum;
    let grey = [238u8, 238, 238, 255];
    let count_grey = |pixels: &[u8]| pixels.chunks_exact(4).filter(|p| *p == grey).count();
    let mut out = Vec::new();
    // The pendulum's H is finite everywhere, negative angles and velocities included.
    let p = Pendulum::default();
    shade_level_sets(&p, (-3.0, 3.0), (-6.0, 6.0), 40, 30, -9.81, 0.0, &mut out);
    assert_eq!(out.len(), 40 * 30 * 4);
    assert_eq!(count_grey(&out), 0);
    // Lotka–Volterra's V has ln x and ln y: the left half of (−10, 10) is outside.
    let lv = LotkaVolterra::default();
    shade_level_sets(&lv, (-10.0, 10.0), (1.0, 20.0), 40, 30, 0.0, 10.0, &mut out);
    assert_eq!(count_grey(&out), 20 * 30);
}
