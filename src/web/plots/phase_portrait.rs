//! The phase portrait: prey x against predator y. Cold layer: axes, the level sets of V as a
//! shaded ImageData field, the clean orbit and the equilibrium. Hot layer: every noisy
//! observation as a dot coloured by its attention (viridis), and the colorbar.

use super::layered_canvas::{
    context, js_error_text, padded, polyline, LayeredCanvas, PlotArea, FONT,
};
use super::phase_aids::{
    draw_direction_field, draw_equilibrium, draw_nullclines, label_nullclines, Aids,
};
use super::plot_labels::{draw_labels, LabelPlacer, PlotLabel};
use crate::dynamics::level_sets::shade_level_sets;
use crate::lab::colormap::{css_hex, level, level_colors, LEVELS};
use crate::lab::session::{DataSource, Session};
use crate::lab::url_state::projection_fits;
use crate::systems::catalogue::SystemKind;
use crate::systems::system::LyapunovFunction;
use std::fmt::Write;
use std::ops::Range;
use wasm_bindgen::prelude::*;
use wasm_bindgen::{Clamped, JsCast};
use web_sys::{CanvasRenderingContext2d, Document, HtmlCanvasElement, ImageData};

/// Right margin (CSS px) that holds the colorbar.
const COLORBAR_MARGIN: f64 = 78.0;
/// The colour bar's range is widened by this share of the attention's span on each side when
/// the attention leaves it, so that it is not rewritten every frame while training spreads it.
const BAR_HEADROOM: f64 = 0.02;
/// The colour bar's range is narrowed to the attention's when that spans less than this share
/// of the bar.
const BAR_SHRINK: f64 = 0.8;

pub struct PhasePortrait {
    pub canvas: LayeredCanvas,
    area: Option<PlotArea>,
    colors: Vec<String>,
    /// Point indices sorted by colour level (counting sort, reused every frame).
    order: Vec<u32>,
    levels: Vec<u8>,
    counts: [usize; LEVELS + 1],
    field: Vec<u8>,
    field_canvas: HtmlCanvasElement,
    /// The attention range the colour bar spans and the colours map (None: uniform, or no
    /// finite attention): it follows the attention shown, rewritten only when that leaves it or
    /// fills too little of it (see [`BAR_HEADROOM`], [`BAR_SHRINK`]).
    bar_range: Option<(f64, f64)>,
    /// Whether the hot canvas's `data-colorbar` holds the labels drawn.
    bar_published: bool,
    /// Colorbar tick labels (attention × N at the ends of the bar), rewritten with the range.
    colorbar_top: String,
    colorbar_bottom: String,
    /// CSS font for the colorbar labels, and for the labels over the data, rebuilt with the
    /// cold layer, with the device pixels per CSS pixel of the colour bar's margin.
    label_font: String,
    aid_font: String,
    aid_font_px: f64,
    bar_scale: f64,
    /// Labels of the phase-plane aids, placed with the cold layer and drawn over the dots.
    labels: Vec<PlotLabel>,
    pub hovered: Option<usize>,
    pub aids: Aids,
    /// The state coordinates on the (x, y) axes.
    pub projection: (usize, usize),
    /// The self-attention head the colours show (0: all heads), for the colorbar's label.
    pub head: usize,
    /// A curve drawn over the dots in [`FIT_COLOR`] (the orbit of a fit to real data, on the
    /// plotted axes); empty for none.
    pub overlay: Vec<(f64, f64)>,
}

/// The colour of the fit's orbit over the portrait (Okabe–Ito reddish purple).
pub const FIT_COLOR: &str = "#cc79a7";

impl PhasePortrait {
    pub fn new(document: &Document) -> Result<Self, JsValue> {
        let canvas = LayeredCanvas::new(
            document,
            "phase-portrait",
            0.78,
            "Phase portrait: noisy observations coloured by attention",
        )?;
        Ok(PhasePortrait {
            canvas,
            area: None,
            colors: level_colors().iter().map(|c| css_hex(*c)).collect(),
            order: Vec::new(),
            levels: Vec::new(),
            counts: [0; LEVELS + 1],
            field: Vec::new(),
            field_canvas: document.create_element("canvas")?.dyn_into()?,
            bar_range: None,
            bar_published: false,
            colorbar_top: String::new(),
            colorbar_bottom: String::new(),
            label_font: String::new(),
            aid_font: String::new(),
            aid_font_px: 12.0,
            bar_scale: 1.0,
            labels: Vec::new(),
            hovered: None,
            aids: Aids::default(),
            projection: (0, 1),
            head: 0,
            overlay: Vec::new(),
        })
    }

    /// Axes, V's level sets, the clean orbit and the equilibrium.
    pub fn draw_cold(&mut self, session: &Session) -> Result<(), String> {
        let clean = session.clean();
        let (px, py) = self.axes(clean.ncols());
        let system = session.system();
        let planar = system.dim() == 2 && self.projection == (0, 1);
        // The equilibrium as a plotted point, when there is one.
        let eq = system.equilibrium_point().map(|e| [e[px], e[py]]);
        let (x, y) = view_ranges(session, (px, py), eq);
        let names = system.state_names();
        let area = self
            .canvas
            .draw_axes(x, y, names[px], names[py], COLORBAR_MARGIN, &|v| {
                format!("{v}")
            })?;
        let ctx = self.canvas.cold_context()?;

        if let (Some(v), true, Some(eq)) = (system.lyapunov(), planar, eq) {
            self.shade_level_sets(&ctx, &area, session, v, eq)?;
        }

        // The clean orbit, unless the overlay draws it smoothly (imported data, sparse times).
        let dpr = self.canvas.dpr;
        ctx.set_line_width(1.25 * dpr);
        if self.overlay.is_empty() {
            polyline(
                &ctx,
                &area,
                clean.rows().into_iter().map(|r| (r[px], r[py])),
                "rgba(40, 40, 48, 0.75)",
            );
        }

        if self.aids.direction_field && planar {
            draw_direction_field(&ctx, &area, system, dpr);
        }
        let lotka_volterra = session.config().system == SystemKind::LotkaVolterra;
        let nullclines = self.aids.nullclines && lotka_volterra && planar;
        self.bar_scale = self.canvas.margin_scale(COLORBAR_MARGIN);
        self.aid_font_px = self.canvas.font(12.0);
        self.aid_font = format!("{}px {FONT}", self.aid_font_px);
        ctx.set_font(&self.aid_font);
        let mut placer = LabelPlacer::new(&ctx, &area, self.aid_font_px);
        if let (true, Some(eq)) = (nullclines, eq) {
            draw_nullclines(&ctx, &area, eq, dpr);
        }
        if let (true, Some(eq)) = (self.aids.equilibrium, eq) {
            draw_equilibrium(&ctx, &area, system, (eq, planar), dpr, &mut placer);
        }
        if let (true, Some(eq)) = (nullclines, eq) {
            label_nullclines(&mut placer, &area, eq, dpr);
        }
        self.labels = placer.placed;
        // The labels' boxes (device pixels) and texts, for tests: "x,y,w,h,text;…".
        let boxes: Vec<String> = self
            .labels
            .iter()
            .map(|l| format!("{},{},{},{},{}", l.x, l.y, l.w, l.h, l.lines.join(" ")))
            .collect();
        let _ = self
            .canvas
            .hot
            .set_attribute("data-labels", &boxes.join(";"));
        self.label_font = format!("{}px {FONT}", 11.0 * self.bar_scale);
        self.draw_colorbar_title(&ctx, &area);
        self.canvas.publish_area(&area);
        self.area = Some(area);
        Ok(())
    }

    /// Level sets of V at about one sample per 2 CSS pixels, scaled up smoothly.
    fn shade_level_sets(
        &mut self,
        ctx: &CanvasRenderingContext2d,
        area: &PlotArea,
        session: &Session,
        v: &dyn LyapunovFunction,
        eq: [f64; 2],
    ) -> Result<(), String> {
        let scale = 2.0 * self.canvas.dpr;
        let (fw, fh) = (
            (area.width() / scale).ceil() as usize,
            (area.height() / scale).ceil() as usize,
        );
        if fw == 0 || fh == 0 {
            // No room on screen (a collapsed or hidden plot): ImageData cannot be empty.
            return Ok(());
        }
        let v_eq = v.value(&eq);
        let start = session.clean().row(0);
        let v_orbit = v.value(start.as_slice().expect("contiguous rows"));
        shade_level_sets(
            v,
            (area.x.start, area.x.end),
            (area.y.start, area.y.end),
            fw,
            fh,
            v_eq,
            v_orbit,
            &mut self.field,
        );
        self.field_canvas.set_width(fw as u32);
        self.field_canvas.set_height(fh as u32);
        let image =
            ImageData::new_with_u8_clamped_array_and_sh(Clamped(&self.field), fw as u32, fh as u32)
                .map_err(|e| js_error_text(&e))?;
        let field_ctx = context(&self.field_canvas).map_err(|e| js_error_text(&e))?;
        field_ctx
            .put_image_data(&image, 0.0, 0.0)
            .map_err(|e| js_error_text(&e))?;
        ctx.set_image_smoothing_enabled(true);
        ctx.draw_image_with_html_canvas_element_and_dw_and_dh(
            &self.field_canvas,
            area.px.start as f64,
            area.py.start as f64,
            area.width(),
            area.height(),
        )
        .map_err(|e| js_error_text(&e))
    }

    /// The colorbar's title, rotated along it, right of its numbers (static: it changes with
    /// the head only).
    fn draw_colorbar_title(&self, ctx: &CanvasRenderingContext2d, area: &PlotArea) {
        let s = self.bar_scale;
        let (bx, _, _, _) = self.colorbar_rect(area);
        ctx.set_fill_style_str("#1e1e23");
        ctx.set_font(&format!("{}px {FONT}", 12.0 * s));
        ctx.save();
        let _ = ctx.translate(bx + 66.0 * s, (area.py.start + area.py.end) as f64 / 2.0);
        let _ = ctx.rotate(-std::f64::consts::FRAC_PI_2);
        ctx.set_text_align("center");
        let label = match self.head {
            0 => "attention × N (1 = uniform)".to_string(),
            h => format!("head {h}: attention × N (1 = uniform)"),
        };
        let _ = ctx.fill_text(&label, 0.0, 0.0);
        ctx.restore();
    }

    /// The projection, or (0, 1) when it does not fit a `dim`-variable state (never an index
    /// out of bounds, whatever a link asked for).
    pub fn axes(&self, dim: usize) -> (usize, usize) {
        if projection_fits(self.projection, dim) {
            self.projection
        } else {
            (0, 1)
        }
    }

    fn colorbar_rect(&self, area: &PlotArea) -> (f64, f64, f64, f64) {
        let s = self.bar_scale;
        let x = area.px.end as f64 + 8.0 * s;
        (x, area.py.start as f64, 12.0 * s, area.height())
    }

    /// Keeps the colour bar's range in step with the attention shown, whose finite values
    /// span `lo..hi` over `n` points: widened (with headroom) when the attention leaves it,
    /// narrowed when the attention fills less than [`BAR_SHRINK`] of it, and then its labels
    /// (attention × N) and the hot canvas's `data-colorbar` rewritten; otherwise untouched.
    fn follow_range(&mut self, lo: f64, hi: f64, n: usize) {
        let wanted = (lo.is_finite() && hi > lo).then_some((lo, hi));
        let keep = match (self.bar_range, wanted) {
            (Some((b_lo, b_hi)), Some((lo, hi))) => {
                lo >= b_lo && hi <= b_hi && hi - lo >= BAR_SHRINK * (b_hi - b_lo)
            }
            (None, None) => !self.colorbar_top.is_empty(),
            _ => false,
        };
        if keep {
            return;
        }
        self.bar_range = wanted.map(|(lo, hi)| {
            let pad = BAR_HEADROOM * (hi - lo);
            (lo - pad, hi + pad)
        });
        self.colorbar_top.clear();
        self.colorbar_bottom.clear();
        let n = n as f64;
        match self.bar_range {
            Some((lo, hi)) => {
                // Enough decimals to tell the ends apart, four at least.
                let digits = (2.0 - ((hi - lo) * n).log10().floor()).clamp(4.0, 9.0) as usize;
                let _ = write!(self.colorbar_top, "{:.*}", digits, hi * n);
                let _ = write!(self.colorbar_bottom, "{:.*}", digits, lo * n);
            }
            None if lo.is_finite() => self.colorbar_top.push_str("uniform"),
            None => self.colorbar_top.push('—'),
        }
        self.bar_published = false;
    }

    /// The observations coloured by `attention` (the session's, or one head's), min–max
    /// normalised onto viridis, plus the colorbar.
    pub fn draw_hot(&mut self, session: &Session, attention: &[f64]) {
        self.canvas.clear_hot();
        if self.area.is_none() {
            return;
        }
        self.order_by_level(attention);
        let Some(area) = &self.area else { return };
        let ctx = &self.canvas.hot_ctx;
        let (cx, cy) = self.axes(session.dim());
        let obs = session.observations();
        let dpr = self.canvas.dpr;
        let n = attention.len();
        let r = if n > 2000 { 1.6 } else { 2.2 } * dpr;
        ctx.save();
        ctx.begin_path();
        ctx.rect(
            area.px.start as f64,
            area.py.start as f64,
            area.width(),
            area.height(),
        );
        ctx.clip();
        for l in 0..LEVELS {
            let (start, end) = (self.counts[l], self.counts[l + 1]);
            if start == end {
                continue;
            }
            ctx.set_fill_style_str(&self.colors[l]);
            ctx.begin_path();
            for &i in &self.order[start..end] {
                let (px, py) = area.to_px(obs[[i as usize, cx]], obs[[i as usize, cy]]);
                ctx.rect(px - r, py - r, 2.0 * r, 2.0 * r);
            }
            ctx.fill();
        }
        if !self.overlay.is_empty() {
            ctx.set_line_width(2.0 * dpr);
            polyline(ctx, area, self.overlay.iter().copied(), FIT_COLOR);
        }
        ctx.set_font(&self.aid_font);
        draw_labels(ctx, &self.labels, self.aid_font_px);
        if let Some(i) = self.hovered.filter(|&i| i < n) {
            let (px, py) = area.to_px(obs[[i, cx]], obs[[i, cy]]);
            ctx.set_stroke_style_str("#000");
            ctx.set_line_width(1.5 * dpr);
            ctx.begin_path();
            let _ = ctx.arc(px, py, r * 2.6, 0.0, std::f64::consts::TAU);
            ctx.stroke();
        }
        ctx.restore();
        // A copy of the area (ranges only, no allocation): the colorbar may update `self`.
        let area = area.clone();
        self.draw_colorbar(&area);
    }

    /// Counting sort of the points by colour level into `order` (level boundaries in `counts`),
    /// so that each level is one fill and high attention is drawn last (on top); the levels
    /// map the colour bar's range, which first follows the attention. Reuses its buffers: no
    /// allocation once they have grown to the data (and none while the bar's range holds).
    fn order_by_level(&mut self, attention: &[f64]) {
        let (lo, hi) = attention
            .iter()
            .filter(|v| v.is_finite())
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
                (lo.min(v), hi.max(v))
            });
        self.follow_range(lo, hi, attention.len());
        let range = self.bar_range;
        self.levels.clear();
        self.levels.extend(attention.iter().map(|&a| match range {
            Some((lo, hi)) if a.is_finite() => level((a - lo) / (hi - lo)) as u8,
            _ => (LEVELS / 2) as u8,
        }));
        self.counts = [0; LEVELS + 1];
        for &l in &self.levels {
            self.counts[l as usize + 1] += 1;
        }
        for i in 0..LEVELS {
            self.counts[i + 1] += self.counts[i];
        }
        self.order.resize(attention.len(), 0);
        let mut next = self.counts;
        for (i, &l) in self.levels.iter().enumerate() {
            self.order[next[l as usize]] = i as u32;
            next[l as usize] += 1;
        }
    }

    /// The colorbar on the hot layer, low attention at the bottom, with its tick labels; the
    /// labels drawn go into the hot canvas's `data-colorbar` ("bottom,top") when they change.
    fn draw_colorbar(&mut self, area: &PlotArea) {
        if !self.bar_published {
            let text = format!("{},{}", self.colorbar_bottom, self.colorbar_top);
            let _ = self.canvas.hot.set_attribute("data-colorbar", &text);
            self.bar_published = true;
        }
        let ctx = &self.canvas.hot_ctx;
        let s = self.bar_scale;
        let (bx, by, bw, bh) = self.colorbar_rect(area);
        let cell = bh / LEVELS as f64;
        for l in 0..LEVELS {
            ctx.set_fill_style_str(&self.colors[l]);
            ctx.fill_rect(bx, by + bh - (l + 1) as f64 * cell, bw, cell + 0.5);
        }
        ctx.set_fill_style_str("#3c3c43");
        ctx.set_font(&self.label_font);
        ctx.set_text_align("left");
        let _ = ctx.fill_text(&self.colorbar_top, bx + bw + 3.0 * s, by + 10.0 * s);
        let _ = ctx.fill_text(&self.colorbar_bottom, bx + bw + 3.0 * s, by + bh);
    }

    /// Where observation `i` is drawn, in CSS pixels of the canvas.
    pub fn point_css(&self, session: &Session, i: usize) -> Option<(f64, f64)> {
        let area = self.area.as_ref()?;
        let obs = session.observations();
        let (ax, ay) = self.axes(obs.ncols());
        if i >= obs.nrows() {
            return None;
        }
        let (px, py) = area.to_px(obs[[i, ax]], obs[[i, ay]]);
        let dpr = self.canvas.dpr;
        Some((px / dpr, py / dpr))
    }

    /// The data point under a position in CSS pixels of the canvas.
    pub fn data_at(&self, css_x: f64, css_y: f64) -> Option<(f64, f64)> {
        let dpr = self.canvas.dpr;
        self.area.as_ref()?.to_data(css_x * dpr, css_y * dpr)
    }

    /// The observation nearest to a point given in CSS pixels of the canvas, within 20 px.
    pub fn nearest(&self, session: &Session, css_x: f64, css_y: f64) -> Option<usize> {
        let area = self.area.as_ref()?;
        let dpr = self.canvas.dpr;
        let (x, y) = (css_x * dpr, css_y * dpr);
        let obs = session.observations();
        let (ax, ay) = self.axes(obs.ncols());
        let mut best = (f64::INFINITY, None);
        for (i, row) in obs.rows().into_iter().enumerate() {
            let (px, py) = area.to_px(row[ax], row[ay]);
            let d = (px - x).powi(2) + (py - y).powi(2);
            if d < best.0 {
                best = (d, Some(i));
            }
        }
        best.1.filter(|_| best.0 <= (20.0 * dpr).powi(2))
    }
}

/// The data ranges the portrait shows on its axes `(px, py)`: the clean orbit ± 3σ (which holds
/// 99.7% of the observations), or for imported data the orbit and the observations, always
/// including the equilibrium `eq` when there is one.
fn view_ranges(
    session: &Session,
    (px, py): (usize, usize),
    eq: Option<[f64; 2]>,
) -> (Range<f64>, Range<f64>) {
    let clean = session.clean();
    let imported = matches!(session.source(), DataSource::Imported(_));
    let sigma = if imported {
        0.0
    } else {
        session.config().sigma
    };
    let obs = session.observations();
    let min_max = |j: usize| {
        let observed = obs.column(j).into_iter().filter(|_| imported);
        clean
            .column(j)
            .into_iter()
            .chain(observed)
            .filter(|v| v.is_finite())
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &x| {
                (lo.min(x), hi.max(x))
            })
    };
    let (x_lo, x_hi) = min_max(px);
    let (y_lo, y_hi) = min_max(py);
    let (ex, ey) = eq.map_or((x_lo, y_lo), |e| (e[0], e[1]));
    let x = padded(
        (x_lo - 3.0 * sigma).min(ex),
        (x_hi + 3.0 * sigma).max(ex),
        0.04,
    );
    let y = padded(
        (y_lo - 3.0 * sigma).min(ey),
        (y_hi + 3.0 * sigma).max(ey),
        0.04,
    );
    (x, y)
}
