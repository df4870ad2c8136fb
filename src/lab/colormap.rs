//! The attention colormap: viridis, a perceptually uniform, colour-blind-safe sequential map
//! (matplotlib's table, via `colorous`). Attention is quantised into [`LEVELS`] colours, so that
//! a frame sets each fill colour once rather than once per point.

use crate::analysis::metrics::flat_to_rounding;

/// Number of quantised colours used to draw attention.
pub const LEVELS: usize = 64;

/// Viridis at t ∈ [0, 1] (clamped; NaN maps to 0).
pub fn viridis(t: f64) -> [u8; 3] {
    let t = if t.is_nan() { 0.0 } else { t.clamp(0.0, 1.0) };
    let c = colorous::VIRIDIS.eval_continuous(t);
    [c.r, c.g, c.b]
}

/// The quantised level of t ∈ [0, 1]: 0 ..= LEVELS − 1.
pub fn level(t: f64) -> usize {
    if t.is_nan() {
        return 0;
    }
    ((t.clamp(0.0, 1.0) * LEVELS as f64) as usize).min(LEVELS - 1)
}

/// The colour of each level (its centre on the map).
pub fn level_colors() -> [[u8; 3]; LEVELS] {
    std::array::from_fn(|i| viridis((i as f64 + 0.5) / LEVELS as f64))
}

/// `#rrggbb`.
pub fn css_hex([r, g, b]: [u8; 3]) -> String {
    format!("#{r:02x}{g:02x}{b:02x}")
}

/// Min–max normalisation of `values` into [0, 1] (all 0.5 when constant, also when the values
/// differ by rounding only: stretching rounding errors onto the whole range would draw a curve
/// that means nothing), into `out`.
pub fn normalise_min_max(values: &[f64], out: &mut Vec<f64>) -> (f64, f64) {
    let min = values.iter().copied().fold(f64::INFINITY, f64::min);
    let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    out.clear();
    let span = max - min;
    if span > 0.0 && span.is_finite() && flat_to_rounding(values).is_none() {
        out.extend(values.iter().map(|v| (v - min) / span));
    } else {
        out.extend(values.iter().map(|_| 0.5));
    }
    (min, max)
}
