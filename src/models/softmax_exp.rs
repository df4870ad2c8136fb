//! The softmaxes' numerators: e^(x − max) over a slice, with `libm::exp` (deterministic: the same
//! bits natively and in wasm32, unlike the platform's `f64::exp`).
//!
//! A hand-written exp (Cody–Waite reduction and a degree-13 Taylor polynomial, within 3e-16 of
//! `libm::exp`) was tried here and measured slower in the training step: 22.3 µs against 14.0 µs
//! at N = 1000 (`LL_BENCH_ONLY=step cargo bench --bench training_step`, alternated runs): its
//! long Horner chain is latency-bound, and the loop did not vectorise. `libm::exp` stays.

/// e^(x − shift) for every x in `values`, in place.
pub fn exp_shifted_in_place(values: &mut [f64], shift: f64) {
    for v in values {
        *v = libm::exp(*v - shift);
    }
}
