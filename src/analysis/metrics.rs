//! How well attention lines up with the geometry of V: correlations, peak offset, and spread.

use serde::{Deserialize, Serialize};

/// Whether every value is the same. Checked exactly, because rounding in a mean leaves a constant
/// series a tiny non-zero variance (uniform attention 1/N would then "correlate" at r = −0.0).
pub fn is_constant(values: &[f64]) -> bool {
    values.windows(2).all(|w| w[0] == w[1])
}

/// Relative spread at or below which a measure's values differ by rounding only: 2²⁰ machine
/// epsilons (≈ 2.3e-10) of their size. Integrating and measuring an orbit adds rounding errors of
/// about 1e-14 relative (an orbit sitting at an equilibrium gives FTLE values that differ by
/// that much), far below this; a measure that really varies along an orbit varies by far more
/// (1e-3 relative and up on every system of the catalogue).
pub const ROUNDING_SPREAD: f64 = (1u64 << 20) as f64 * f64::EPSILON;

/// A measure that is constant along a run, up to rounding: its finite values lie in
/// [`low`, `high`], whose width is at most [`ROUNDING_SPREAD`] times their size. A correlation
/// with it would correlate rounding errors.
///
/// [`low`]: FlatMeasure::low
/// [`high`]: FlatMeasure::high
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FlatMeasure {
    pub low: f64,
    pub high: f64,
}

impl FlatMeasure {
    /// max − min of the values.
    pub fn spread(&self) -> f64 {
        self.high - self.low
    }
    /// Their size: the largest |value|.
    pub fn scale(&self) -> f64 {
        self.low.abs().max(self.high.abs())
    }
}

/// Whether the finite `values` are constant up to rounding ([`FlatMeasure`]); `None` when they
/// vary by more, or when fewer than two are finite.
pub fn flat_to_rounding(values: &[f64]) -> Option<FlatMeasure> {
    let (mut lo, mut hi, mut count) = (f64::INFINITY, f64::NEG_INFINITY, 0usize);
    for &v in values.iter().filter(|v| v.is_finite()) {
        lo = lo.min(v);
        hi = hi.max(v);
        count += 1;
    }
    if count < 2 {
        return None;
    }
    let flat = FlatMeasure { low: lo, high: hi };
    (flat.spread() <= ROUNDING_SPREAD * flat.scale()).then_some(flat)
}

/// Pearson's r, or `None` when either series is constant, has fewer than two points, or holds a
/// non-finite value.
pub fn pearson(a: &[f64], b: &[f64]) -> Option<f64> {
    let n = a.len().min(b.len());
    if n < 2 || is_constant(&a[..n]) || is_constant(&b[..n]) {
        return None;
    }
    let mean_a = a[..n].iter().sum::<f64>() / n as f64;
    let mean_b = b[..n].iter().sum::<f64>() / n as f64;
    let (mut sab, mut saa, mut sbb) = (0.0, 0.0, 0.0);
    for (x, y) in a[..n].iter().zip(&b[..n]) {
        let (dx, dy) = (x - mean_a, y - mean_b);
        sab += dx * dy;
        saa += dx * dx;
        sbb += dy * dy;
    }
    let r = sab / (saa * sbb).sqrt();
    (saa > 0.0 && sbb > 0.0 && r.is_finite()).then(|| r.clamp(-1.0, 1.0))
}

/// Ranks 1..=n into `ranks`, ties sharing their average rank. `order` is scratch space.
pub fn average_ranks(values: &[f64], order: &mut Vec<usize>, ranks: &mut Vec<f64>) {
    let n = values.len();
    order.clear();
    order.extend(0..n);
    order.sort_by(|&i, &j| values[i].total_cmp(&values[j]));
    ranks.clear();
    ranks.resize(n, 0.0);
    let mut start = 0;
    while start < n {
        let mut end = start + 1;
        while end < n && values[order[end]] == values[order[start]] {
            end += 1;
        }
        let rank = (start + end + 1) as f64 / 2.0; // mean of ranks start+1 ..= end
        for &i in &order[start..end] {
            ranks[i] = rank;
        }
        start = end;
    }
}

/// Spearman's ρ: Pearson's r of the average ranks.
pub fn spearman(a: &[f64], b: &[f64]) -> Option<f64> {
    let (mut order, mut ra, mut rb) = (Vec::new(), Vec::new(), Vec::new());
    average_ranks(a, &mut order, &mut ra);
    average_ranks(b, &mut order, &mut rb);
    pearson(&ra, &rb)
}

/// Index of the largest value (first one on ties).
pub fn argmax(values: &[f64]) -> Option<usize> {
    (0..values.len()).reduce(|best, i| if values[i] > values[best] { i } else { best })
}

/// Index of the smallest value (first one on ties).
pub fn argmin(values: &[f64]) -> Option<usize> {
    (0..values.len()).reduce(|best, i| if values[i] < values[best] { i } else { best })
}

/// Wraps a time offset into [−P/2, P/2) for a periodic orbit of period P.
pub fn wrap_to_period(offset: f64, period: f64) -> f64 {
    offset - period * (offset / period + 0.5).floor()
}

/// Effective sample size 1/Σa² of normalised weights: N for uniform attention, 1 for a spike.
pub fn effective_sample_size(weights: &[f64]) -> f64 {
    1.0 / weights.iter().map(|a| a * a).sum::<f64>()
}

/// max a / min a, or `None` when some weight underflowed to 0.
pub fn max_over_min(weights: &[f64]) -> Option<f64> {
    let max = weights.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let min = weights.iter().copied().fold(f64::INFINITY, f64::min);
    let ratio = max / min;
    (min > 0.0 && ratio.is_finite()).then_some(ratio)
}

/// Everything the lab reports about one state of training.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    /// Pearson r between attention and ∂V/∂n (negative: attention high where V is flat).
    pub pearson: Option<f64>,
    /// Spearman ρ between attention and ∂V/∂n.
    pub spearman: Option<f64>,
    /// t(argmax attention) − t(argmin ∂V/∂n), wrapped into [−P/2, P/2) when the period P is known;
    /// `None` while attention is exactly uniform.
    pub peak_offset: Option<f64>,
    /// `peak_offset / P`, in [−0.5, 0.5).
    pub peak_offset_periods: Option<f64>,
    /// Measured orbit period P.
    pub period: Option<f64>,
    /// 1/Σa².
    pub ess: f64,
    /// max a / min a.
    pub max_over_min: Option<f64>,
    /// Training loss (mean over t of ‖r_t − x_t‖²).
    pub loss: f64,
    /// Set when the measure is constant along the run up to rounding: then no correlation or
    /// peak offset is computed (they would read rounding errors).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub measure_flat: Option<FlatMeasure>,
}

/// Reusable buffers so that computing metrics every frame does not allocate.
#[derive(Debug, Default)]
pub struct MetricsWorkspace {
    order: Vec<usize>,
    attention_ranks: Vec<f64>,
    /// Ranks of the reference (∂V/∂n), which changes only with the trajectory: computed once
    /// and kept until [`MetricsWorkspace::reference_changed`].
    reference_ranks: Vec<f64>,
    reference_ranked: bool,
    /// Where the reference is undefined (NaN, e.g. ∂V/∂n at an observation outside V's domain),
    /// the points kept: their attention, reference and time.
    kept: (Vec<f64>, Vec<f64>, Vec<f64>),
}

impl MetricsWorkspace {
    /// The reference series will differ from the one last ranked: rank it again next time.
    pub fn reference_changed(&mut self) {
        self.reference_ranked = false;
    }

    /// Metrics of `attention` against `reference` (∂V/∂n, or any sensitivity measure where
    /// "small" is "flat"), both sampled at `times`. Where the reference is not finite, the
    /// correlations and the peak offset use only the points where it is; ESS and max/min always
    /// use every weight.
    pub fn compute(
        &mut self,
        attention: &[f64],
        reference: Option<&[f64]>,
        times: &[f64],
        period: Option<f64>,
        loss: f64,
    ) -> Metrics {
        let Some(reference) = reference.filter(|r| r.iter().any(|v| !v.is_finite())) else {
            return self.compute_all(attention, reference, times, period, loss);
        };
        let mut kept = std::mem::take(&mut self.kept);
        kept.0.clear();
        kept.1.clear();
        kept.2.clear();
        for ((a, r), t) in attention.iter().zip(reference).zip(times) {
            if r.is_finite() {
                kept.0.push(*a);
                kept.1.push(*r);
                kept.2.push(*t);
            }
        }
        // The kept points change with the reference only, but ranking them again is cheap
        // next to refusing to rank at all.
        self.reference_ranked = false;
        let mut m = self.compute_all(&kept.0, Some(&kept.1), &kept.2, period, loss);
        m.ess = effective_sample_size(attention);
        m.max_over_min = max_over_min(attention);
        self.reference_ranked = false;
        self.kept = kept;
        m
    }

    fn compute_all(
        &mut self,
        attention: &[f64],
        reference: Option<&[f64]>,
        times: &[f64],
        period: Option<f64>,
        loss: f64,
    ) -> Metrics {
        let (mut pearson_r, mut spearman_r, mut peak_offset) = (None, None, None);
        let measure_flat = reference.and_then(flat_to_rounding);
        // A constant attention has no peak and correlates with nothing; nor does a measure that
        // is constant up to rounding.
        let reference = reference.filter(|_| measure_flat.is_none());
        if let (Some(reference), false) = (reference, is_constant(attention)) {
            pearson_r = pearson(attention, reference);
            average_ranks(attention, &mut self.order, &mut self.attention_ranks);
            if !self.reference_ranked || self.reference_ranks.len() != reference.len() {
                average_ranks(reference, &mut self.order, &mut self.reference_ranks);
                self.reference_ranked = true;
            }
            spearman_r = pearson(&self.attention_ranks, &self.reference_ranks);
            if let (Some(i), Some(j)) = (argmax(attention), argmin(reference)) {
                let raw = times[i] - times[j];
                peak_offset = Some(period.map_or(raw, |p| wrap_to_period(raw, p)));
            }
        }
        Metrics {
            pearson: pearson_r,
            spearman: spearman_r,
            peak_offset,
            peak_offset_periods: peak_offset.zip(period).map(|(o, p)| o / p),
            period,
            ess: effective_sample_size(attention),
            max_over_min: max_over_min(attention),
            loss,
            measure_flat,
        }
    }
}
