//! The page skeleton: builds the DOM the lab lives in (header, the "What am I looking at?"
//! panel, the control panel with its tools, and the figures: verdict, training status, the
//! ensemble strip, stats, notice, plots and "Kick the clock"). Nothing here listens to events or
//! draws.

use super::accessibility::Accessibility;
use super::elements::element;
use super::explanations;
use super::notice::Notice;
use super::panels::clock_panel::ClockPanel;
use super::panels::controls::Controls;
use super::panels::controls_drawer::ControlsDrawer;
use super::panels::data_panel::DataPanel;
use super::panels::fit_panel::FitPanel;
use super::panels::record_clip::RecordClip;
use super::panels::stats::StatsPanel;
use super::panels::status_line::StatusLine;
use super::panels::tools::ToolsPanel;
use super::plots::Plots;
use crate::lab::config::Config;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, HtmlDetailsElement, HtmlElement};

/// The "What am I looking at?" panel and its computed paragraph.
pub struct Explain {
    pub details: HtmlDetailsElement,
    /// The text of the "Why, for this run" paragraph (`#why-text`).
    pub why: HtmlElement,
}

/// The page's parts that the lab keeps.
pub struct Page {
    pub controls: Controls,
    /// The toggle that makes the control panel a drawer on a phone.
    pub drawer: ControlsDrawer,
    pub tools: ToolsPanel,
    /// "Record a clip", at the end of the control panel.
    pub record: RecordClip,
    pub stats: StatsPanel,
    pub status: StatusLine,
    pub notice: Notice,
    pub plots: Plots,
    pub explain: Explain,
    /// "Kick the clock", below the plots.
    pub clock: ClockPanel,
    /// The data select (in the controls) and the Fit panel (above the plots).
    pub data: DataPanel,
    pub fit: FitPanel,
    /// Canvas descriptions, the keyboard cursor, the audio trace, reduced motion.
    pub access: Accessibility,
}

impl Page {
    /// Builds the page into `root`, with the controls showing `config` and `steps_per_frame`.
    pub fn build(
        document: &Document,
        root: &HtmlElement,
        config: &Config,
        steps_per_frame: usize,
    ) -> Result<Self, JsValue> {
        let explain = append_header(document, root)?;
        let layout: HtmlElement = element(document, "div", "layout")?;
        let controls = Controls::new(document, config, steps_per_frame)?;
        let tools = ToolsPanel::new(document, &controls.panel)?;
        let import_row = tools
            .import_csv
            .parent_element()
            .and_then(|e| e.dyn_into().ok());
        let data = DataPanel::new(document, &controls.panel, import_row)?;
        let record = RecordClip::new(document, &controls.panel)?;
        let drawer = ControlsDrawer::new(document, &controls.panel)?;
        layout.append_child(&drawer.toggle)?;
        layout.append_child(&controls.panel)?;

        let figures: HtmlElement = element(document, "section", "figures")?;
        figures.set_attribute("aria-label", "Figures")?;
        let stats = StatsPanel::new(document)?;
        figures.append_child(&stats.verdict)?;
        figures.append_child(stats.announcer())?;
        let status = StatusLine::new(document)?;
        figures.append_child(&status.element)?;
        let plots = Plots::new(document)?;
        let strip: HtmlElement = element(document, "div", "ensemble")?;
        strip.append_child(&plots.ensemble.canvas)?;
        strip.append_child(&plots.ensemble.summary)?;
        figures.append_child(&strip)?;
        figures.append_child(&stats.stats)?;
        let notice = Notice::new(document)?;
        figures.append_child(&notice.element)?;
        let fit = FitPanel::new(document)?;
        figures.append_child(&fit.section)?;
        append_plot_rows(document, &figures, &plots)?;
        let access = Accessibility::attach(document, &figures, &plots)?;
        let clock = ClockPanel::new(document, &explain)?;
        figures.append_child(&clock.details)?;
        layout.append_child(&figures)?;
        root.append_child(&layout)?;
        Ok(Page {
            controls,
            drawer,
            tools,
            record,
            stats,
            status,
            notice,
            plots,
            explain,
            clock,
            data,
            fit,
            access,
        })
    }
}

/// The header (title and tagline) and the "What am I looking at?" panel, ending with the
/// paragraph computed from the run.
fn append_header(document: &Document, root: &HtmlElement) -> Result<Explain, JsValue> {
    let header: HtmlElement = element(document, "header", "")?;
    header.set_inner_html(
        "<h1>lyapunov-lens</h1><p class=\"tagline\">An attention model learns from noisy data of a dynamical system. \
         Does it attend where the Lyapunov function V is flat, as \
         <a href=\"https://arxiv.org/abs/2505.06503\">arXiv 2505.06503</a> claims for predator–prey cycles? \
         And where there is no V, where the dynamics are predictable? The lab measures it live.</p>",
    );
    root.append_child(&header)?;
    let explain: HtmlDetailsElement = element(document, "details", "explain")?;
    explain.set_id("explain");
    explain.set_inner_html(explanations::HTML);
    let paragraph: HtmlElement = element(document, "p", "")?;
    paragraph.set_id("why");
    paragraph.set_inner_html("<strong>Why, for this run.</strong> ");
    let why: HtmlElement = element(document, "span", "")?;
    why.set_id("why-text");
    paragraph.append_child(&why)?;
    explain.append_child(&paragraph)?;
    root.append_child(&explain)?;
    Ok(Explain {
        details: explain,
        why,
    })
}

/// The plots in two rows of captioned figures: the phase portrait and Figure 5, then the loss
/// and the perturbation experiment (with its result line).
fn append_plot_rows(
    document: &Document,
    figures: &HtmlElement,
    plots: &Plots,
) -> Result<(), JsValue> {
    // The first row comes right after the verdict on a phone (the stylesheet reorders).
    let row: HtmlElement = element(document, "div", "plots plots-main")?;
    row.append_child(&figure(
        document,
        &plots.phase.canvas.wrapper,
        "Phase portrait. Dots: noisy observations, coloured by attention. Line: the clean orbit (pink for real data: the target, or a fit's orbit while it runs). Bands (where a conserved V exists): level sets of V. Hover a dot for its numbers; click one (2-D systems) to kick the orbit there.",
    )?)?;
    row.append_child(&figure(
        document,
        &plots.fig5.canvas.wrapper,
        "Attention and the chosen sensitivity measure along the orbit (the paper's Figure 5 uses ∂V/∂n). If the claim holds, attention peaks where the measure dips.",
    )?)?;
    figures.append_child(&row)?;
    let row: HtmlElement = element(document, "div", "plots")?;
    row.append_child(&figure(
        document,
        &plots.loss.canvas.wrapper,
        "Training loss: mean over t of ‖r_t − x_t‖².",
    )?)?;
    let column: HtmlElement = element(document, "div", "")?;
    let pert_fig = figure(
        document,
        &plots.perturbation.canvas.wrapper,
        "Perturbation experiment: how far a kicked orbit drifts from the unkicked one, at the highest- (vermillion) and lowest-attention (green) points.",
    )?;
    pert_fig.append_child(&plots.perturbation.result)?;
    column.append_child(&pert_fig)?;
    let deciles_fig = figure(
        document,
        &plots.deciles.canvas.wrapper,
        "Kicks at every point, by attention decile: the median log growth of a small kick in each tenth of the points sorted by attention (1 = lowest), one line per horizon. If low attention marked the points where kicks matter most, the lines would fall from left to right.",
    )?;
    deciles_fig.append_child(&plots.deciles.result)?;
    column.append_child(&deciles_fig)?;
    row.append_child(&column)?;
    figures.append_child(&row)?;
    Ok(())
}

/// A figure holding `plot` with `caption` under it.
fn figure(
    document: &Document,
    plot: &HtmlElement,
    caption: &str,
) -> Result<web_sys::Node, JsValue> {
    let fig: HtmlElement = element(document, "figure", "")?;
    fig.append_child(plot)?;
    let cap: HtmlElement = element(document, "figcaption", "")?;
    cap.set_text_content(Some(caption));
    fig.append_child(&cap)?;
    Ok(fig.into())
}
