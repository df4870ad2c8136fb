//! A plot as two stacked canvases: a cold layer (axes, ticks, labels, static backgrounds) drawn by
//! plotters-canvas only when its inputs change, and a hot layer (points, curves) drawn with raw
//! Canvas 2D every frame. Both are sized in device pixels (CSS size × devicePixelRatio).

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use std::ops::Range;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, Document, HtmlCanvasElement, HtmlElement};

pub const FONT: &str = "system-ui, sans-serif";
/// The least height of a plot in CSS pixels, whatever its aspect (a wide loss plot on a phone
/// would otherwise be 90 px tall).
const MIN_CSS_HEIGHT: f64 = 180.0;
/// The axes' margins in CSS pixels at text scale 1, beside and above/below the data (the
/// right margin adds each plot's own).
const MARGINS_X_CSS: f64 = 6.0 + 58.0 + 6.0;
const MARGINS_Y_CSS: f64 = 10.0 + 42.0 + 4.0;

/// The message of a JavaScript error (an `Error`'s `message`, or the value as text), on one
/// line and without the stack trace `{:?}` of a `JsValue` would show the user.
pub fn js_error_text(e: &JsValue) -> String {
    let text = e
        .dyn_ref::<js_sys::Error>()
        .map(|err| String::from(err.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "an error in the browser".to_string());
    text.lines().next().unwrap_or_default().to_string()
}

/// Where the data lands on the canvas, in device pixels.
#[derive(Debug, Clone, PartialEq)]
pub struct PlotArea {
    pub px: Range<i32>,
    pub py: Range<i32>,
    pub x: Range<f64>,
    pub y: Range<f64>,
}

impl PlotArea {
    pub fn to_px(&self, x: f64, y: f64) -> (f64, f64) {
        let fx = (x - self.x.start) / (self.x.end - self.x.start);
        let fy = (y - self.y.start) / (self.y.end - self.y.start);
        (
            self.px.start as f64 + fx * (self.px.end - self.px.start) as f64,
            self.py.end as f64 - fy * (self.py.end - self.py.start) as f64,
        )
    }
    /// The data point under a device-pixel position, if it is inside the plotting area.
    pub fn to_data(&self, px: f64, py: f64) -> Option<(f64, f64)> {
        let fx = (px - self.px.start as f64) / self.width();
        let fy = (self.py.end as f64 - py) / self.height();
        let inside = (0.0..=1.0).contains(&fx) && (0.0..=1.0).contains(&fy);
        inside.then_some((
            self.x.start + fx * (self.x.end - self.x.start),
            self.y.start + fy * (self.y.end - self.y.start),
        ))
    }
    pub fn width(&self) -> f64 {
        (self.px.end - self.px.start) as f64
    }
    pub fn height(&self) -> f64 {
        (self.py.end - self.py.start) as f64
    }
}

pub struct LayeredCanvas {
    pub wrapper: HtmlElement,
    pub cold: HtmlCanvasElement,
    pub hot: HtmlCanvasElement,
    pub hot_ctx: CanvasRenderingContext2d,
    /// Height as a fraction of width.
    aspect: f64,
    /// devicePixelRatio at the last resize.
    pub dpr: f64,
    /// 1 normally, larger in large-text mode.
    pub text_scale: f64,
}

impl LayeredCanvas {
    /// A wrapper holding a cold canvas under a hot canvas with id `id`.
    pub fn new(document: &Document, id: &str, aspect: f64, label: &str) -> Result<Self, JsValue> {
        let wrapper: HtmlElement = document.create_element("div")?.dyn_into()?;
        wrapper.set_class_name("plot");
        let cold: HtmlCanvasElement = document.create_element("canvas")?.dyn_into()?;
        cold.set_class_name("cold");
        cold.set_attribute("aria-hidden", "true")?;
        let hot: HtmlCanvasElement = document.create_element("canvas")?.dyn_into()?;
        hot.set_id(id);
        hot.set_class_name("hot");
        hot.set_attribute("role", "img")?;
        hot.set_attribute("aria-label", label)?;
        wrapper.append_child(&cold)?;
        wrapper.append_child(&hot)?;
        let hot_ctx = context(&hot)?;
        Ok(LayeredCanvas {
            wrapper,
            cold,
            hot,
            hot_ctx,
            aspect,
            dpr: 1.0,
            text_scale: 1.0,
        })
    }

    /// Matches the canvases to the wrapper's CSS width and the device pixel ratio. Returns
    /// whether the size changed (the cold layer must then be redrawn).
    pub fn fit(&mut self) -> bool {
        let dpr = web_sys::window()
            .map_or(1.0, |w| w.device_pixel_ratio())
            .max(1.0);
        let css_w = (self.wrapper.client_width() as f64).max(200.0);
        let css_h = (css_w * self.aspect).max(MIN_CSS_HEIGHT).round();
        let (w, h) = ((css_w * dpr).round() as u32, (css_h * dpr).round() as u32);
        if w == self.hot.width() && h == self.hot.height() && dpr == self.dpr {
            return false;
        }
        self.dpr = dpr;
        for canvas in [&self.cold, &self.hot] {
            canvas.set_width(w);
            canvas.set_height(h);
            let style = canvas.style();
            let _ = style.set_property("width", &format!("{css_w}px"));
            let _ = style.set_property("height", &format!("{css_h}px"));
        }
        let _ = self
            .wrapper
            .style()
            .set_property("height", &format!("{css_h}px"));
        true
    }

    pub fn size(&self) -> (f64, f64) {
        (self.hot.width() as f64, self.hot.height() as f64)
    }

    /// Font size in device pixels for a CSS size: scaled by the text scale, less on a canvas too
    /// narrow for the scaled axes (see [`LayeredCanvas::margin_scale`]).
    pub fn font(&self, css_px: f64) -> f64 {
        css_px * self.margin_scale(0.0)
    }

    /// Device pixels per CSS pixel of the axes' margins, labels and text: devicePixelRatio ×
    /// the text scale, reduced so that the margins (`right_margin_css` beyond the usual ones)
    /// never take more than 45% of the canvas's width or half its height: large text on a
    /// narrow phone enlarges the text less instead of leaving no room for the data.
    pub fn margin_scale(&self, right_margin_css: f64) -> f64 {
        let (w, h) = self.size();
        let room_x = 0.45 * w / (MARGINS_X_CSS + right_margin_css);
        let room_y = 0.5 * h / MARGINS_Y_CSS;
        (self.dpr * self.text_scale).min(room_x).min(room_y)
    }

    pub fn clear_hot(&self) {
        let (w, h) = self.size();
        self.hot_ctx.clear_rect(0.0, 0.0, w, h);
    }

    /// Draws axes, ticks, labels and descriptions on the cold layer with plotters and returns the
    /// plotting area. `y_label` formats y tick values (e.g. powers of ten for a log axis).
    pub fn draw_axes(
        &self,
        x: Range<f64>,
        y: Range<f64>,
        x_desc: &str,
        y_desc: &str,
        right_margin_css: f64,
        y_label: &dyn Fn(&f64) -> String,
    ) -> Result<PlotArea, String> {
        let backend =
            CanvasBackend::with_canvas_object(self.cold.clone()).ok_or("no 2D context")?;
        let root: DrawingArea<CanvasBackend, Shift> = backend.into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let dpr = self.margin_scale(right_margin_css);
        let font = (FONT, 13.0 * dpr).into_font();
        let mut chart = ChartBuilder::on(&root)
            .margin_top((10.0 * dpr) as i32)
            .margin_left((6.0 * dpr) as i32)
            .margin_right(((6.0 + right_margin_css) * dpr) as i32)
            .margin_bottom((4.0 * dpr) as i32)
            .x_label_area_size((42.0 * dpr) as i32)
            .y_label_area_size((58.0 * dpr) as i32)
            .build_cartesian_2d(x.clone(), y.clone())
            .map_err(|e| e.to_string())?;
        chart
            .configure_mesh()
            .disable_mesh()
            .x_desc(x_desc)
            .y_desc(y_desc)
            .label_style(font.clone().color(&RGBColor(60, 60, 67)))
            .axis_desc_style(font.color(&RGBColor(30, 30, 35)))
            .y_label_formatter(y_label)
            .x_label_formatter(&|v| {
                // Whole numbers without a trailing ".0" (steps, times like 5, 10, 15).
                if v.fract() == 0.0 && v.abs() < 1e15 {
                    format!("{}", *v as i64)
                } else {
                    // At most 3 decimals, without trailing zeros (0.6, not 0.6000000000000001).
                    let text = format!("{v:.3}");
                    text.trim_end_matches('0').trim_end_matches('.').to_string()
                }
            })
            .x_labels(6)
            .y_labels(6)
            .draw()
            .map_err(|e| e.to_string())?;
        let (px, py) = chart.plotting_area().get_pixel_range();
        root.present().map_err(|e| e.to_string())?;
        Ok(PlotArea { px, py, x, y })
    }

    /// The width the data will get between the axes' margins (device pixels), before drawing.
    pub fn data_width(&self, right_margin_css: f64) -> f64 {
        self.size().0 - (MARGINS_X_CSS + right_margin_css) * self.margin_scale(right_margin_css)
    }

    /// The first of `descs` that fits along the y axis at the axes' font (the canvas's height
    /// less the x axis's margins), or the last: a long axis title would be cut off at both
    /// ends on a short plot.
    pub fn fitting_y_desc<'a>(&self, descs: &[&'a str], right_margin_css: f64) -> &'a str {
        let scale = self.margin_scale(right_margin_css);
        self.first_fitting(descs, self.size().1 - MARGINS_Y_CSS * scale, scale)
    }

    /// The first of `descs` that fits under the x axis (as wide as the data), or the last.
    pub fn fitting_x_desc<'a>(&self, descs: &[&'a str], right_margin_css: f64) -> &'a str {
        let scale = self.margin_scale(right_margin_css);
        self.first_fitting(descs, self.data_width(right_margin_css), scale)
    }

    /// The first of `descs` at most `room` device pixels long at the axes' font (13 CSS px ×
    /// `scale`), or the last.
    fn first_fitting<'a>(&self, descs: &[&'a str], room: f64, scale: f64) -> &'a str {
        let Ok(ctx) = context(&self.cold) else {
            return descs.last().copied().unwrap_or_default();
        };
        ctx.set_font(&format!("{}px {FONT}", 13.0 * scale));
        descs
            .iter()
            .copied()
            .find(|d| ctx.measure_text(d).is_ok_and(|m| m.width() <= room))
            .or_else(|| descs.last().copied())
            .unwrap_or_default()
    }

    /// Writes the plot area into the hot canvas's `data-area` (device pixels x0, x1, y0, y1, then
    /// the data ranges x0, x1, y0, y1), so that tests can map data onto pixels.
    pub fn publish_area(&self, area: &PlotArea) {
        let text = format!(
            "{},{},{},{},{},{},{},{}",
            area.px.start,
            area.px.end,
            area.py.start,
            area.py.end,
            area.x.start,
            area.x.end,
            area.y.start,
            area.y.end
        );
        let _ = self.hot.set_attribute("data-area", &text);
    }

    /// The cold layer's context with text state reset: plotters leaves its own alignment,
    /// baseline and font on the shared context.
    pub fn cold_context(&self) -> Result<CanvasRenderingContext2d, String> {
        let ctx = context(&self.cold).map_err(|e| js_error_text(&e))?;
        ctx.set_text_align("left");
        ctx.set_text_baseline("alphabetic");
        ctx.set_font(&format!("{}px {FONT}", self.font(12.0)));
        ctx.set_line_width(self.dpr);
        Ok(ctx)
    }
}

/// Strokes a line through `points` (data coordinates) in `color`, skipping non-finite points
/// (e.g. log10 of a zero).
pub fn polyline(
    ctx: &CanvasRenderingContext2d,
    area: &PlotArea,
    points: impl IntoIterator<Item = (f64, f64)>,
    color: &str,
) {
    ctx.set_stroke_style_str(color);
    ctx.begin_path();
    let mut started = false;
    for (x, y) in points {
        if !(x.is_finite() && y.is_finite()) {
            continue;
        }
        let (px, py) = area.to_px(x, y);
        if started {
            ctx.line_to(px, py);
        } else {
            ctx.move_to(px, py);
            started = true;
        }
    }
    ctx.stroke();
}

pub fn context(canvas: &HtmlCanvasElement) -> Result<CanvasRenderingContext2d, JsValue> {
    let ctx = canvas
        .get_context("2d")?
        .ok_or_else(|| JsValue::from_str("no 2D context"))?;
    ctx.dyn_into::<CanvasRenderingContext2d>()
        .map_err(JsValue::from)
}

/// Pads a range by `frac` of its width on both sides (a degenerate range gets ±1).
pub fn padded(lo: f64, hi: f64, frac: f64) -> Range<f64> {
    let span = hi - lo;
    if span > 0.0 && span.is_finite() {
        (lo - frac * span)..(hi + frac * span)
    } else {
        (lo - 1.0)..(hi + 1.0)
    }
}
