//! The score of the audio trace (after Desmos's audio trace): the run played along time, one
//! voice whose pitch follows attention and a second whose pitch follows the sensitivity
//! measure, each min–max normalised onto two octaves. Pure numbers; the page schedules them
//! with Web Audio ahead of time.

/// The attention voice spans two octaves up from this (Hz).
pub const ATTENTION_LOW_HZ: f64 = 330.0;
/// The measure voice spans two octaves up from this (Hz), an octave and a fifth below.
pub const MEASURE_LOW_HZ: f64 = 110.0;
/// Octaves each voice spans.
pub const OCTAVES: f64 = 2.0;
/// How long the trace plays (s), whatever the number of samples.
pub const DURATION_S: f64 = 4.0;
/// At most this many notes per voice (ramps scheduled up front).
pub const MAX_NOTES: usize = 240;

/// One point of the score: when (s from the start) and the two pitches (Hz). A measure that is
/// undefined there (NaN) gives `None`: that voice is silent.
#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    pub at_s: f64,
    pub attention_hz: f64,
    pub measure_hz: Option<f64>,
}

/// The min and max of the finite values.
fn finite_range(values: &[f64]) -> Option<(f64, f64)> {
    let (lo, hi) = values
        .iter()
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), &v| {
            (l.min(v), h.max(v))
        });
    lo.is_finite().then_some((lo, hi))
}

/// `v` onto two octaves above `low_hz`, by its place in `lo..hi` (the middle when flat).
fn pitch(v: f64, (lo, hi): (f64, f64), low_hz: f64) -> f64 {
    let f = if hi > lo { (v - lo) / (hi - lo) } else { 0.5 };
    low_hz * 2f64.powf(OCTAVES * f.clamp(0.0, 1.0))
}

/// The score of `attention` and `measure` (same length: one value per sample, in time order),
/// at most [`MAX_NOTES`] notes evenly spread over the samples and over [`DURATION_S`].
pub fn score(attention: &[f64], measure: &[f64]) -> Vec<Note> {
    let n = attention.len().min(measure.len());
    if n == 0 {
        return Vec::new();
    }
    let (a_range, m_range) = (
        finite_range(&attention[..n]).unwrap_or((0.0, 0.0)),
        finite_range(&measure[..n]),
    );
    let notes = n.min(MAX_NOTES);
    (0..notes)
        .map(|k| {
            let frac = if notes > 1 {
                k as f64 / (notes - 1) as f64
            } else {
                0.0
            };
            let i = ((frac * (n - 1) as f64).round() as usize).min(n - 1);
            Note {
                at_s: frac * DURATION_S,
                attention_hz: pitch(attention[i], a_range, ATTENTION_LOW_HZ),
                measure_hz: match (m_range, measure[i].is_finite()) {
                    (Some(r), true) => Some(pitch(measure[i], r, MEASURE_LOW_HZ)),
                    _ => None,
                },
            }
        })
        .collect()
}
