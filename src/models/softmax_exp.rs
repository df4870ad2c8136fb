//! The softmaxes' numerators: e^(x − max) over a slice, with an exp of our own that is
//! deterministic (the same bits natively and in wasm32, unlike the platform's `f64::exp`) and
//! vectorises.
//!
//! [`exp_of_nonpositive`] uses only IEEE-754 additions, multiplications and comparisons and one
//! shift of the bits, all exact or correctly rounded in both targets (Rust never fuses a multiply
//! and an add unless asked), so its bits cannot depend on the platform. It has no table and no
//! branch, so the compiler turns a loop of them into SIMD (2 lanes with SSE2 and wasm
//! `simd128`, 4 with AVX2). `libm::exp` (used before) is a scalar function with branches and a
//! table: 42–46% of a training step in `perf`. A first hand-written exp (a Horner chain computed
//! inside the data pass) did not vectorise and was slower; this one runs in a pass of its own
//! over a contiguous slice, with its polynomial evaluated by Estrin's scheme.
//!
//! Method: x = k ln2 + r with k = round(x/ln2) (the 1.5·2^52 rounding trick) and |r| ≤ ln2/2
//! (Cody–Waite: ln2 split in two so that k·ln2_hi is exact); e^r by its Taylor polynomial of
//! degree 13, 1 + r + r²·p(r) (truncation below 5e-18 relative on |r| ≤ 0.347); then
//! e^x = e^r · 2^k, the power of two built from its bits. Against `libm::exp`: within 1 ulp over
//! 2 million points of [−708, 0] (`within_one_ulp_of_libm`).

/// 1.5·2^52: adding it rounds a double of magnitude below 2^51 to an integer.
const ROUNDING: f64 = 6_755_399_441_055_744.0;
const LOG2_E: f64 = std::f64::consts::LOG2_E;
/// ln 2 = LN2_HI + LN2_LO, LN2_HI with 32 significant bits (k·LN2_HI is exact for |k| < 2^21).
const LN2_HI: f64 = f64::from_bits(0x3fe6_2e42_fee0_0000); // 0.693147180369123816
const LN2_LO: f64 = f64::from_bits(0x3dea_39ef_3579_3c76); // 1.9082149292705877e-10
/// Below this e^x is taken as 0: e^−708 ≈ 3.3e−308 is still normal, and k = round(x/ln2) ≥ −1021.
const FLUSH: f64 = -708.0;

/// 1/k! for k = 2..13.
const TAYLOR: [f64; 12] = [
    0.5,
    1.0 / 6.0,
    1.0 / 24.0,
    1.0 / 120.0,
    1.0 / 720.0,
    1.0 / 5_040.0,
    1.0 / 40_320.0,
    1.0 / 362_880.0,
    1.0 / 3_628_800.0,
    1.0 / 39_916_800.0,
    1.0 / 479_001_600.0,
    1.0 / 6_227_020_800.0,
];

/// 2^52 + 1023: adding it to an integer m in [−1022, 1023] gives a double whose low bits are
/// m + 1023, the biased exponent of 2^m.
const EXPONENT_BIAS: f64 = 4_503_599_627_370_496.0 + 1023.0;

/// 2^m for an integer-valued m in [−1022, 1023], built from its bits with one addition and one
/// shift (no integer arithmetic that SSE2 or wasm `simd128` would have to do a lane at a time).
#[inline(always)]
fn power_of_two(m: f64) -> f64 {
    f64::from_bits((m + EXPONENT_BIAS).to_bits() << 52)
}

/// e^x for x ≤ 0 (the softmax's x − max), deterministic across platforms, within 1 ulp of the
/// correctly rounded value; results below e^−708 (near the smallest normal double, 2^−1022) are
/// 0, so no subnormal reaches the data passes (each subnormal operation costs about 100 normal
/// ones on x86); NaN gives NaN, −∞ gives 0. Not for x > 709 (the power of two would overflow
/// its exponent field).
#[inline(always)]
pub fn exp_of_nonpositive(x: f64) -> f64 {
    // A comparison, not f64::max: NaN fails it and stays NaN (and it compiles to one maxpd).
    let clamped = if x < FLUSH { FLUSH } else { x };
    let k = (clamped * LOG2_E + ROUNDING) - ROUNDING;
    let r = (clamped - k * LN2_HI) - k * LN2_LO;
    // Σ_{i=2}^{13} r^(i−2)/i! by Estrin's scheme: pairs, then pairs of pairs, so the chain of
    // dependent operations is 7 deep instead of Horner's 22.
    let (r2, t) = (r * r, &TAYLOR);
    let (r4, pair) = (r2 * r2, |i: usize| t[i] + t[i + 1] * r);
    let quad = |i: usize| pair(i) + pair(i + 2) * r2;
    let p = (quad(0) + quad(4) * r4) + quad(8) * (r4 * r4);
    let e = (1.0 + (r + r2 * p)) * power_of_two(k);
    if x < FLUSH {
        0.0
    } else {
        e
    }
}

/// Lanes of the sums below: four running sums, combined at the end in a fixed order, so the
/// additions pipeline and vectorise and the result does not depend on the platform.
pub const LANES: usize = 4;

/// e^(x − shift) for every x in `values`, in place, where no x exceeds `shift` (it is their
/// maximum); returns their sum (summed in [`LANES`]
/// lanes: value i goes to lane i mod 4, and the lanes are added as (l0 + l1) + (l2 + l3)).
pub fn exp_shifted_in_place(values: &mut [f64], shift: f64) -> f64 {
    for v in values.iter_mut() {
        *v = exp_of_nonpositive(*v - shift);
    }
    lane_sum(values)
}

/// Σ values in [`LANES`] lanes: value i goes to lane i mod 4, the lanes added as
/// (l0 + l1) + (l2 + l3).
pub fn lane_sum(values: &[f64]) -> f64 {
    let mut lanes = [0.0; LANES];
    let mut chunks = values.chunks_exact(LANES);
    for chunk in &mut chunks {
        for (lane, v) in lanes.iter_mut().zip(chunk) {
            *lane += v;
        }
    }
    for (lane, v) in lanes.iter_mut().zip(chunks.remainder()) {
        *lane += v;
    }
    (lanes[0] + lanes[1]) + (lanes[2] + lanes[3])
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
            0.0, -0.0, -1e-300, -0.346, -0.347, -1.0, -707.99, 1.0, 709.0,
        ] {
            assert!(ulps(exp_of_nonpositive(x), libm::exp(x)) <= 1, "x = {x}");
        }
    }

    #[test]
    fn the_split_of_ln2() {
        assert_eq!(LN2_HI + LN2_LO, std::f64::consts::LN_2);
        assert!(
            LN2_HI.to_bits().trailing_zeros() >= 21,
            "32 significant bits"
        );
        // k·LN2_HI is exact for every k the clamp allows.
        let k = (FLUSH * LOG2_E).round();
        assert_eq!((k * LN2_HI) / k, LN2_HI);
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
