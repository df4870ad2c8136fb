//! The softmaxes' numerators: e^(x − max) over a slice, with an exp of our own that is
//! deterministic (the same bits natively and in wasm32, unlike the platform's `f64::exp`) and
//! runs two at a time in SIMD registers.
//!
//! The functions use only IEEE-754 additions, multiplications and comparisons, integer shifts
//! and additions on the bits, and loads from a 128-entry table ([`super::exp2_table`]), all exact
//! or correctly rounded in both targets (Rust never fuses a multiply and an add unless asked), so
//! their bits cannot depend on the platform. The slice passes compute two values at a time as
//! `wide::f64x2` (SSE2 natively, `simd128` in wasm) with exactly the scalar functions'
//! operations, so the pair and the scalar give the same bits (`the_pair_is_the_scalar`).
//!
//! Method (Tang's table-driven exp, as in musl and ARM's optimized-routines): k = 128m + j is the
//! nearest integer to x·128/ln2 (the 1.5·2^52 rounding trick: j and m are read from the bits of
//! the rounded value) and r = x − k·ln2/128, |r| ≤ ln2/256 (Cody–Waite: ln2/128 split in two so
//! that k·hi is exact); then e^x = 2^m · 2^(j/128) · e^r, with 2^(j/128) = T_j(1 + τ_j) from the
//! table, e^r − 1 by its Taylor polynomial of degree 5 (truncation below 6e−19 relative on
//! |r| ≤ 0.0028), and 2^m added to T_j's exponent bits. The result is T + T·(τ + (e^r − 1)), one
//! rounding away from exact.
//!
//! - [`exp_of_nonpositive`] takes x in natural units: within 1 ulp of `libm::exp` over 2 million
//!   points of [−708, 0] (`within_one_ulp_of_libm`). The self-attention model uses it.
//! - [`exp2_of_nonpositive`] takes y = x·128/ln2 ([`SCORE_SCALE`]) and returns 2^(y/128): k is y
//!   rounded and r = (y − k)·ln2/128, with y − k exact, so the multiplication by 128/ln2 and the
//!   Cody–Waite split are gone (three operations of about 25 a pair). The paper's model scales its
//!   weights by 128/ln2 so that its scores come in these units. Within 1 ulp of `libm::exp2`
//!   (`exp2_within_one_ulp_of_libm`).
//!
//! The degree-13 polynomial on |r| ≤ ln2/2 used before this needed about 45 vector operations a
//! pair of values (`perf`: 65% of a training step at N = 1000).

use crate::models::exp2_table::{SHIFTED_TABLE, TABLE_BITS, TABLE_SIZE};
use wide::{f64x2, u64x2};

/// 1.5·2^52: adding it rounds a double of magnitude below 2^51 to an integer, which then sits in
/// the low bits of the sum's significand (two's complement, offset by 2^51).
const ROUNDING: f64 = 6_755_399_441_055_744.0;
/// 128/ln2.
const SCALED_LOG2_E: f64 = std::f64::consts::LOG2_E * TABLE_SIZE as f64;
/// ln2/128 = LN2_HI/128 + LN2_LO/128, the high part with 32 significant bits, so that k·hi is
/// exact for |k| < 2^21 (here |k| ≤ 130 740).
const LN2_HI: f64 = f64::from_bits(0x3fe6_2e42_fee0_0000) / TABLE_SIZE as f64;
const LN2_LO: f64 = f64::from_bits(0x3dea_39ef_3579_3c76) / TABLE_SIZE as f64;
/// Below this e^x is taken as 0: e^−708 ≈ 3.3e−308 is still normal, and m ≥ −1022.
const FLUSH: f64 = -708.0;
/// 1/i! for i = 2..5.
const C2: f64 = 0.5;
const C3: f64 = 1.0 / 6.0;
const C4: f64 = 1.0 / 24.0;
const C5: f64 = 1.0 / 120.0;

/// 2^(k/128)·e^r from the bits of `rounded` (k + 1.5·2^52, k = 128m + j) and |r| ≤ ln2/256:
/// T_j·2^m + T_j·2^m·(τ_j + (e^r − 1)). The arithmetic shared by both reductions.
#[inline(always)]
fn from_table(rounded: f64, r: f64) -> f64 {
    let bits = rounded.to_bits();
    let [t, tau] = SHIFTED_TABLE[(bits as usize) & (TABLE_SIZE - 1)];
    let scale = f64::from_bits(t.wrapping_add(bits << (52 - TABLE_BITS)));
    let r2 = r * r;
    let q = (C2 + C3 * r) + (C4 + C5 * r) * r2;
    scale + scale * (f64::from_bits(tau) + (r + r2 * q))
}

/// [`from_table`] for two lanes, with the same operations in the same order (so the same bits),
/// the table loads done a lane at a time.
#[inline(always)]
fn from_table_pair(rounded: f64x2, r: f64x2) -> f64x2 {
    let bits: u64x2 = wide::bytemuck::cast(rounded);
    let [b0, b1] = bits.to_array();
    let ([t0, tau0], [t1, tau1]) = (
        SHIFTED_TABLE[(b0 as usize) & (TABLE_SIZE - 1)],
        SHIFTED_TABLE[(b1 as usize) & (TABLE_SIZE - 1)],
    );
    let scale: f64x2 = wide::bytemuck::cast(u64x2::new([t0, t1]) + (bits << (52 - TABLE_BITS)));
    let tau: f64x2 = wide::bytemuck::cast(u64x2::new([tau0, tau1]));
    let r2 = r * r;
    let q =
        (f64x2::splat(C2) + f64x2::splat(C3) * r) + (f64x2::splat(C4) + f64x2::splat(C5) * r) * r2;
    scale + scale * (tau + (r + r2 * q))
}

/// e^x for x ≤ 0 (the softmax's x − max), deterministic across platforms, within 1 ulp of the
/// correctly rounded value; results below e^−708 (near the smallest normal double, 2^−1022) are
/// 0, so no subnormal reaches the data passes (each subnormal operation costs about 100 normal
/// ones on x86); NaN gives NaN, −∞ gives 0. Not for x > 709 (2^m would overflow its exponent
/// field).
#[inline(always)]
pub fn exp_of_nonpositive(x: f64) -> f64 {
    // No clamp: below −708 (or for −∞) what follows computes garbage, NaN included, with the
    // table index still in range, and the final comparison replaces it by 0. A NaN x fails the
    // comparison and stays NaN.
    let rounded = x * SCALED_LOG2_E + ROUNDING;
    let k = rounded - ROUNDING;
    let e = from_table(rounded, (x - k * LN2_HI) - k * LN2_LO);
    if x < FLUSH {
        0.0
    } else {
        e
    }
}

/// [`exp_of_nonpositive`] of two values at once: the same bits.
#[inline(always)]
fn exp_pair(x: f64x2) -> f64x2 {
    let rounded = x * f64x2::splat(SCALED_LOG2_E) + f64x2::splat(ROUNDING);
    let k = rounded - f64x2::splat(ROUNDING);
    let r = (x - k * f64x2::splat(LN2_HI)) - k * f64x2::splat(LN2_LO);
    let e = from_table_pair(rounded, r);
    x.simd_lt(f64x2::splat(FLUSH))
        .bitselect(f64x2::splat(0.0), e)
}

/// The unit of [`exp2_of_nonpositive`]'s argument: a value y in these units is y·ln2/128 in
/// natural units, so a score scaled by 128/ln2 ([`SCORE_SCALE`]) needs no multiplication and no
/// Cody–Waite split before the table.
pub const SCORE_SCALE: f64 = SCALED_LOG2_E;
/// ln2/128 rounded: r = f·(ln2/128) with |f| ≤ 1/2, so its relative error of 1e−16 is 3e−19
/// absolute.
const LN2_OVER_TABLE: f64 = std::f64::consts::LN_2 / TABLE_SIZE as f64;
/// −708·128/ln2 in these units, below which the result is 0 (as [`FLUSH`]).
const FLUSH_SCALED: f64 = -130_740.0;

/// 2^(y/128) = e^(y·ln2/128) for y ≤ 0: the softmax numerator of a score difference in units of
/// ln2/128. k = round(y) and f = y − k (exact: y and k are within 1/2 of each other, so Sterbenz's
/// lemma applies), r = f·ln2/128; then as [`exp_of_nonpositive`], to which it is equal within
/// 1 ulp at y = x·128/ln2 when that product is exact (`exp2_is_exp_in_other_units`). Results
/// below 2^−1021.4 are 0; NaN gives NaN, −∞ gives 0.
#[inline(always)]
pub fn exp2_of_nonpositive(y: f64) -> f64 {
    let rounded = y + ROUNDING;
    let k = rounded - ROUNDING;
    let e = from_table(rounded, (y - k) * LN2_OVER_TABLE);
    if y < FLUSH_SCALED {
        0.0
    } else {
        e
    }
}

/// [`exp2_of_nonpositive`] of two values at once: the same bits.
#[inline(always)]
fn exp2_pair(y: f64x2) -> f64x2 {
    let rounded = y + f64x2::splat(ROUNDING);
    let k = rounded - f64x2::splat(ROUNDING);
    let e = from_table_pair(rounded, (y - k) * f64x2::splat(LN2_OVER_TABLE));
    y.simd_lt(f64x2::splat(FLUSH_SCALED))
        .bitselect(f64x2::splat(0.0), e)
}

/// Lanes of the sums below: four running sums, combined at the end in a fixed order, so the
/// additions pipeline and vectorise and the result does not depend on the platform.
pub const LANES: usize = 4;

/// `one(x − shift)` for every x in `values`, in place, four values at a time as two pairs
/// (`pair`, the same bits as `one`); returns their sum, value i in lane i mod 4 and the lanes
/// added as (l0 + l1) + (l2 + l3).
#[inline(always)]
fn shifted_in_place(
    values: &mut [f64],
    shift: f64,
    pair: impl Fn(f64x2) -> f64x2,
    one: impl Fn(f64) -> f64,
) -> f64 {
    let s = f64x2::splat(shift);
    let (mut low, mut high) = (f64x2::splat(0.0), f64x2::splat(0.0));
    let mut chunks = values.chunks_exact_mut(LANES);
    for chunk in &mut chunks {
        let e0 = pair(f64x2::new([chunk[0], chunk[1]]) - s);
        let e1 = pair(f64x2::new([chunk[2], chunk[3]]) - s);
        low += e0;
        high += e1;
        chunk[..2].copy_from_slice(&e0.to_array());
        chunk[2..].copy_from_slice(&e1.to_array());
    }
    let ([l0, l1], [l2, l3]) = (low.to_array(), high.to_array());
    let mut lanes = [l0, l1, l2, l3];
    for (lane, v) in lanes.iter_mut().zip(chunks.into_remainder()) {
        *v = one(*v - shift);
        *lane += *v;
    }
    (lanes[0] + lanes[1]) + (lanes[2] + lanes[3])
}

/// e^(x − shift) for every x in `values`, in place, where no x exceeds `shift` (it is their
/// maximum); returns their sum (summed in [`LANES`] lanes: value i goes to lane i mod 4, and the
/// lanes are added as (l0 + l1) + (l2 + l3)).
pub fn exp_shifted_in_place(values: &mut [f64], shift: f64) -> f64 {
    shifted_in_place(values, shift, exp_pair, exp_of_nonpositive)
}

/// As [`exp_shifted_in_place`] for values in units of ln2/128 ([`SCORE_SCALE`]): 2^((y − shift)/128)
/// for every y, in place; returns their sum in the same lanes.
pub fn exp2_shifted_in_place(values: &mut [f64], shift: f64) -> f64 {
    shifted_in_place(values, shift, exp2_pair, exp2_of_nonpositive)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Distance in units in the last place between two finite doubles of the same sign.
    fn ulps(a: f64, b: f64) -> u64 {
        (a.to_bits() as i64 - b.to_bits() as i64).unsigned_abs()
    }

    #[test]
    fn within_one_ulp_of_libm() {
        let mut worst = (0, 0.0);
        for i in 0..=2_000_000 {
            let x = -708.0 * i as f64 / 2_000_000.0;
            let d = ulps(exp_of_nonpositive(x), libm::exp(x));
            if d > worst.0 {
                worst = (d, x);
            }
        }
        assert!(worst.0 <= 1, "{} ulp at x = {}", worst.0, worst.1);
        for x in [
            0.0, -0.0, -1e-300, -0.0027, -0.00271, -0.0108, -0.0109, -0.346, -0.347, -1.0, -707.99,
            1.0, 709.0,
        ] {
            assert!(ulps(exp_of_nonpositive(x), libm::exp(x)) <= 1, "x = {x}");
        }
    }

    #[test]
    fn the_split_of_ln2() {
        assert_eq!(
            (LN2_HI + LN2_LO) * TABLE_SIZE as f64,
            std::f64::consts::LN_2
        );
        assert!(
            LN2_HI.to_bits().trailing_zeros() >= 21,
            "32 significant bits"
        );
        // k·LN2_HI is exact for every k the clamp allows.
        let k = (FLUSH * SCALED_LOG2_E).round();
        assert_eq!((k * LN2_HI) / k, LN2_HI);
    }

    /// The pair and the scalar: the same bits, on points spread over [−720, 0] and the edges.
    #[test]
    fn the_pair_is_the_scalar() {
        let mut xs: Vec<f64> = (0..200_001)
            .map(|i| -720.0 * i as f64 / 200_000.0)
            .collect();
        xs.extend([
            f64::NAN,
            f64::NEG_INFINITY,
            -0.0,
            -708.0,
            -708.0001,
            -1e-310,
        ]);
        for pair in xs.chunks(2) {
            let (a, b) = (pair[0], *pair.get(1).unwrap_or(&0.0));
            let [ea, eb] = exp_pair(f64x2::new([a, b])).to_array();
            for (x, e) in [(a, ea), (b, eb)] {
                assert_eq!(e.to_bits(), exp_of_nonpositive(x).to_bits(), "x = {x}");
            }
            let (a, b) = (a * SCORE_SCALE, b * SCORE_SCALE);
            let [ea, eb] = exp2_pair(f64x2::new([a, b])).to_array();
            for (y, e) in [(a, ea), (b, eb)] {
                assert_eq!(e.to_bits(), exp2_of_nonpositive(y).to_bits(), "y = {y}");
            }
        }
    }

    /// 2^(y/128) against `libm::exp2` (y/128 is exact), over the whole range and at the edges.
    #[test]
    fn exp2_within_one_ulp_of_libm() {
        let mut worst = (0, 0.0);
        for i in 0..=2_000_000 {
            let y = FLUSH_SCALED * i as f64 / 2_000_000.0;
            let d = ulps(exp2_of_nonpositive(y), libm::exp2(y / 128.0));
            if d > worst.0 {
                worst = (d, y);
            }
        }
        assert!(worst.0 <= 1, "{} ulp at y = {}", worst.0, worst.1);
        for y in [
            0.0, -0.0, -1e-300, -0.5, -0.5000001, -1.0, -127.5, -128.0, -130_739.9,
        ] {
            assert!(
                ulps(exp2_of_nonpositive(y), libm::exp2(y / 128.0)) <= 1,
                "y = {y}"
            );
        }
        assert_eq!(exp2_of_nonpositive(0.0), 1.0);
        assert_eq!(exp2_of_nonpositive(-128.0), 0.5);
        assert_eq!(exp2_of_nonpositive(f64::NEG_INFINITY), 0.0);
        assert_eq!(exp2_of_nonpositive(-130_741.0), 0.0);
        assert!(exp2_of_nonpositive(FLUSH_SCALED) >= f64::MIN_POSITIVE);
        assert!(exp2_of_nonpositive(f64::NAN).is_nan());
    }

    /// The two units agree: e^x and 2^(x·128/ln2 / 128) within 2 ulp where |x| ≤ 1 (the rounding
    /// of x·128/ln2 moves the argument by up to 1.1e−16 relative).
    #[test]
    fn exp2_is_exp_in_other_units() {
        for i in 0..=100_000 {
            let x = -(i as f64) / 100_000.0;
            let (e, e2) = (exp_of_nonpositive(x), exp2_of_nonpositive(x * SCORE_SCALE));
            assert!(ulps(e, e2) <= 2, "x = {x}: {e} vs {e2}");
        }
    }

    #[test]
    fn the_edges() {
        assert_eq!(exp_of_nonpositive(0.0), 1.0);
        assert_eq!(exp_of_nonpositive(f64::NEG_INFINITY), 0.0);
        assert_eq!(exp_of_nonpositive(-708.01), 0.0);
        assert_eq!(exp_of_nonpositive(-1e300), 0.0);
        assert!(exp_of_nonpositive(-708.0) >= f64::MIN_POSITIVE);
        assert!(exp_of_nonpositive(f64::NAN).is_nan());
        // A NaN score reaches the sum, where the trainer sees it.
        let mut values = [0.0, f64::NAN, -1.0];
        assert!(exp_shifted_in_place(&mut values, 0.0).is_nan());
    }

    #[test]
    fn the_lane_sum_is_the_declared_order() {
        let mut values: Vec<f64> = (0..11).map(|i| 0.5 - 0.37 * i as f64).collect();
        let expected: Vec<f64> = values.iter().map(|v| exp_of_nonpositive(v - 0.5)).collect();
        let sum = exp_shifted_in_place(&mut values, 0.5);
        assert_eq!(values, expected);
        let lane = |l: usize| expected.iter().skip(l).step_by(LANES).sum::<f64>();
        assert_eq!(
            sum.to_bits(),
            ((lane(0) + lane(1)) + (lane(2) + lane(3))).to_bits()
        );
    }
}
