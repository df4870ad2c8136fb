//! A shaded picture of the level sets of V, for the phase-portrait background: alternating light
//! bands between the levels V_eq + k/4·(V_orbit − V_eq), so the orbit itself lies on the 4th
//! band edge. Points outside V's domain, where V is not finite (x ≤ 0 or y ≤ 0 for
//! Lotka–Volterra), are left grey.

use crate::systems::system::LyapunovFunction;

/// Bands per unit of (V − V_eq)/(V_orbit − V_eq).
pub const BANDS_PER_ORBIT: f64 = 4.0;

const LIGHT: [u8; 3] = [250, 251, 253];
const DARK: [u8; 3] = [232, 238, 246];
const EDGE: [u8; 3] = [205, 215, 230];
const OUTSIDE: [u8; 3] = [238, 238, 238];

/// RGBA pixels, `width`×`height`, row-major with the top row at `y_range.1`, into `out`.
/// `v_eq` is V's minimum (at the equilibrium) and `v_orbit` V on the orbit being shown.
#[allow(clippy::too_many_arguments)]
pub fn shade_level_sets(
    v: &dyn LyapunovFunction,
    x_range: (f64, f64),
    y_range: (f64, f64),
    width: usize,
    height: usize,
    v_eq: f64,
    v_orbit: f64,
    out: &mut Vec<u8>,
) {
    out.clear();
    out.reserve(width * height * 4);
    let scale = BANDS_PER_ORBIT / (v_orbit - v_eq).max(1e-12);
    let px =
        |i: usize, n: usize, (lo, hi): (f64, f64)| lo + (hi - lo) * (i as f64 + 0.5) / n as f64;
    // Band index per pixel of the previous row, to draw a thin edge where it changes.
    let mut above = vec![i64::MIN; width];
    for row in 0..height {
        let y = px(height - 1 - row, height, y_range);
        let mut left = i64::MIN;
        for (col, above_band) in above.iter_mut().enumerate() {
            let x = px(col, width, x_range);
            let state = [x, y];
            let value = v.value(&state);
            // Outside V's domain V is not finite (ln x of x ≤ 0 for Lotka–Volterra); the
            // pendulum's H is finite everywhere.
            let rgb = if !value.is_finite() {
                left = i64::MIN;
                *above_band = i64::MIN;
                OUTSIDE
            } else {
                let band = ((value - v_eq) * scale).floor() as i64;
                let edge = (left != i64::MIN && band != left)
                    || (*above_band != i64::MIN && band != *above_band);
                left = band;
                *above_band = band;
                if edge {
                    EDGE
                } else if band.rem_euclid(2) == 0 {
                    LIGHT
                } else {
                    DARK
                }
            };
            out.extend_from_slice(&[rgb[0], rgb[1], rgb[2], 255]);
        }
    }
}
