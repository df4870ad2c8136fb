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
    // Band index per pixel of the previous row, to draw a thin edge where it changes.
    let mut above = vec![i64::MIN; width];
    let frame = Frame {
        x_range,
        y_range,
        width,
        height,
        v_eq,
        scale,
    };
    // A band of rows per call: in wasm, a long first call runs unoptimised to its end, while
    // later calls run the optimised code compiled meanwhile (the page's first draw).
    for first in (0..height).step_by(ROWS_PER_CALL) {
        shade_rows(
            v,
            &frame,
            first..height.min(first + ROWS_PER_CALL),
            &mut above,
            out,
        );
    }
}

/// Rows shaded per call of [`shade_rows`].
const ROWS_PER_CALL: usize = 16;

/// The picture's geometry and V's scale.
struct Frame {
    x_range: (f64, f64),
    y_range: (f64, f64),
    width: usize,
    height: usize,
    v_eq: f64,
    /// Bands per unit of V.
    scale: f64,
}

/// Shades `rows` (from the top), appending their pixels to `out`.
#[inline(never)]
fn shade_rows(
    v: &dyn LyapunovFunction,
    frame: &Frame,
    rows: std::ops::Range<usize>,
    above: &mut [i64],
    out: &mut Vec<u8>,
) {
    let px =
        |i: usize, n: usize, (lo, hi): (f64, f64)| lo + (hi - lo) * (i as f64 + 0.5) / n as f64;
    for row in rows {
        let y = px(frame.height - 1 - row, frame.height, frame.y_range);
        let mut left = i64::MIN;
        for (col, above_band) in above.iter_mut().enumerate() {
            let x = px(col, frame.width, frame.x_range);
            let state = [x, y];
            let value = v.value(&state);
            // Outside V's domain V is not finite (ln x of x ≤ 0 for Lotka–Volterra); the
            // pendulum's H is finite everywhere.
            let rgb = if !value.is_finite() {
                left = i64::MIN;
                *above_band = i64::MIN;
                OUTSIDE
            } else {
                let band = ((value - frame.v_eq) * frame.scale).floor() as i64;
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
