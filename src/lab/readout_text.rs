//! The read-out of one sample of the run: its time, observed and clean state, attention and the
//! sensitivity measure. The mouse tooltip on the phase portrait and the keyboard cursor (on the
//! phase portrait and the time plot) show this same text; the cursor's live region reads it.

use crate::lab::session::Session;
use crate::number_text::{fixed, readable};

/// Sample `i` of `session` in words, one fact per line, with `attention` the attention shown
/// (the model's, or one head's); `None` when `i` is not a sample.
///
/// "sample 12 of 1000, t = 0.165", then per coordinate "prey x: observed 9.861, clean 10.211",
/// then "attention × N = 1.00412" and "∂V/∂n = 0.2530".
pub fn sample_readout(session: &Session, i: usize, attention: &[f64]) -> Option<String> {
    let times = session.times();
    let (obs, clean) = (session.observations(), session.clean());
    if i >= times.len() || i >= attention.len() || i >= obs.nrows() {
        return None;
    }
    let n = attention.len();
    let mut text = format!("sample {} of {n}, t = {}", i + 1, fixed(times[i], 3));
    for (c, name) in session.system().state_names().iter().enumerate() {
        text.push_str(&format!(
            "\n{name}: observed {}, clean {}",
            fixed(obs[[i, c]], 3),
            fixed(clean[[i, c]], 3)
        ));
    }
    text.push_str(&format!(
        "\nattention × N = {}",
        fixed(attention[i] * n as f64, 5)
    ));
    let measure = session.config().measure;
    let value = session.sensitivity().get(i).copied().unwrap_or(f64::NAN);
    text.push_str(&format!("\n{} = {}", measure.symbol(), readable(value, 4)));
    Some(text)
}

/// Where a keyboard cursor over `n` samples goes from `at` (none yet: it starts at the first
/// sample, or at the last for End) on `key`: ArrowRight/ArrowUp and ArrowLeft/ArrowDown move one
/// sample, PageUp/PageDown a tenth of the run, Home and End to the ends. `None`: not a cursor key
/// (or no samples).
pub fn cursor_step(at: Option<usize>, n: usize, key: &str) -> Option<usize> {
    if n == 0 {
        return None;
    }
    let last = n - 1;
    let tenth = (n / 10).max(1);
    let from = at.map(|i| i.min(last));
    let next = match (key, from) {
        ("Home", _) => 0,
        ("End", _) => last,
        ("ArrowRight" | "ArrowUp" | "ArrowLeft" | "ArrowDown" | "PageUp" | "PageDown", None) => 0,
        ("ArrowRight" | "ArrowUp", Some(i)) => (i + 1).min(last),
        ("ArrowLeft" | "ArrowDown", Some(i)) => i.saturating_sub(1),
        ("PageUp", Some(i)) => (i + tenth).min(last),
        ("PageDown", Some(i)) => i.saturating_sub(tenth),
        _ => return None,
    };
    Some(next)
}
