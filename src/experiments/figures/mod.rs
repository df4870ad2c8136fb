//! Publication figures drawn with plotters (native only): SVG or PNG, chosen by the file
//! extension. Text uses an embedded DejaVu Sans, so no system font library is needed.
//! Drawing only: every number comes from a session (`run_figures`), a sweep or a study
//! (`summary_figures`).

/// `render(path, draw)` for a drawing function generic over the backend: Rust closures are not
/// generic, so the same body is instantiated once per backend.
macro_rules! render_with {
    ($path:expr, |$root:ident| $draw:expr) => {
        render($path, |$root| $draw, |$root| $draw)
    };
}

mod run_figures;
mod summary_figures;

pub use run_figures::{fig5, phase};
pub use summary_figures::{kick_deciles, sweep};

use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::Path;
use std::sync::Once;

const FONT_BYTES: &[u8] = include_bytes!("../../../www/fonts/DejaVuSans.ttf");
static REGISTER_FONT: Once = Once::new();

fn register_font() {
    REGISTER_FONT.call_once(|| {
        // The bytes are a valid TrueType font shipped in the repository.
        let _ = plotters::style::register_font("sans-serif", FontStyle::Normal, FONT_BYTES);
    });
}

/// Okabe–Ito orange and blue, as on the page.
pub(super) const ATTENTION: RGBColor = RGBColor(0xe6, 0x9f, 0x00);
pub(super) const DVDN: RGBColor = RGBColor(0x00, 0x72, 0xb2);
pub(super) const SIZE: (u32, u32) = (900, 620);

pub(super) type DrawResult = Result<(), String>;

pub(super) fn err<E: std::fmt::Debug>(e: E) -> String {
    format!("{e:?}")
}

/// Whether `path` names a figure format this module writes (.svg or .png).
pub fn supported(path: &Path) -> bool {
    matches!(
        path.extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref(),
        Some("svg" | "png")
    )
}

/// Draws with `draw` on an SVG or PNG backend, by the extension of `path`.
pub(super) fn render(
    path: &Path,
    draw: impl Fn(DrawingArea<SVGBackend, Shift>) -> DrawResult,
    draw_png: impl Fn(DrawingArea<BitMapBackend, Shift>) -> DrawResult,
) -> DrawResult {
    register_font();
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("svg") => {
            let root = SVGBackend::new(path, SIZE).into_drawing_area();
            draw(root)
        }
        Some("png") => {
            let root = BitMapBackend::new(path, SIZE).into_drawing_area();
            draw_png(root)
        }
        _ => Err(format!(
            "{}: the figure file must end in .svg or .png",
            path.display()
        )),
    }
}

/// The smallest and largest of the finite `values` ([0, 1] when there are none).
pub(super) fn min_max(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (lo, hi) = values
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), v| {
            (l.min(v), h.max(v))
        });
    // Nothing finite to show (no seed converged, say): an empty [0, 1] axis. An infinite range
    // made plotters look for tick marks forever.
    if lo <= hi {
        (lo, hi)
    } else {
        (0.0, 1.0)
    }
}
