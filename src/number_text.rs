//! How the page writes numbers: one formatter, with the true minus sign (U+2212) everywhere, so
//! that the verdict, the stats line, the tooltips, the read-outs and the canvas descriptions all
//! read "−0.43", never "-0.43" (a screen reader may skip a hyphen, and the two look different).

/// The true minus sign.
pub const MINUS: char = '−';

/// `text` with every ASCII hyphen-minus replaced by the true minus sign (for formatted numbers
/// only: it would also replace a hyphen in a word).
pub fn true_minus(text: String) -> String {
    if text.contains('-') {
        text.replace('-', "−")
    } else {
        text
    }
}

/// `v` with `digits` decimals: "−0.430", "12.500".
pub fn fixed(v: f64, digits: usize) -> String {
    true_minus(format!("{v:.digits$}"))
}

/// `v` with `digits` decimals and its sign always written: "+0.43", "−0.43".
pub fn signed(v: f64, digits: usize) -> String {
    true_minus(format!("{v:+.digits$}"))
}

/// `v` in scientific notation with `digits` decimals: "8.202e−4".
pub fn sci(v: f64, digits: usize) -> String {
    true_minus(format!("{v:.digits$e}"))
}

/// `v` with `digits` decimals when that shows it well, else in scientific notation (very large,
/// or small but not zero): for values of unknown scale such as a measure or a loss.
pub fn readable(v: f64, digits: usize) -> String {
    if !v.is_finite() {
        return if v.is_nan() {
            "undefined".into()
        } else if v > 0.0 {
            "∞".into()
        } else {
            "−∞".into()
        };
    }
    if v != 0.0 && (v.abs() >= 1e5 || v.abs() < 10f64.powi(-(digits as i32))) {
        sci(v, 2)
    } else {
        fixed(v, digits)
    }
}
