//! The Fit panel (`#fit`), shown while the lab analyses real data: start or stop fitting the
//! system to the observations, watch the orbit move onto them, then read the estimates with
//! their 95% intervals, the log-likelihood, the starts that agreed, the weak directions and the
//! residuals against time. Every number is also a full-precision `data-*` attribute, for tests.

use crate::estimation::result::FitResult;
use crate::web::elements::{button, disable_with_reason, element, reason_hint};
use crate::web::plots::fit_plots::{FitOrbitPlot, ResidualPlot};
use wasm_bindgen::prelude::*;
use web_sys::{Document, HtmlElement};

/// The weighting button's tooltip when it applies.
const WEIGHT_TITLE: &str = "The paper's open question 2: refit with each residual weighted by N·a_t, the attention the model learned against the current fit; train again and repeat until the fit stops moving (at most 10 rounds), as `lyapunov-lens fit --weights attention`";

/// The fit button's tooltip when it applies.
const FIT_TITLE: &str = "Fit the system's rates, initial state and noise scales to the observations (maximum a posteriori, several starting points); the fitted orbit then becomes the target of attention training";

pub struct FitPanel {
    pub section: HtmlElement,
    /// What is fitted to what (the system, the data's source).
    intro: HtmlElement,
    /// `#fit-start`: starts the fit, or stops it while it runs.
    pub start: HtmlElement,
    start_why: HtmlElement,
    /// `#fit-weight`: starts or stops attention-weighted refitting.
    pub weight: HtmlElement,
    weight_why: HtmlElement,
    /// `#fit-weighting`: what the weighted rounds did (hidden without them).
    weighting: HtmlElement,
    /// `#fit-status`, with `data-state` idle, running, converged, failed or stopped.
    pub status: HtmlElement,
    /// `#fit-estimates`: the table body, one row per parameter.
    estimates: HtmlElement,
    /// `#fit-summary`: log-likelihood, starts, weak directions, convergence.
    summary: HtmlElement,
    pub orbit: FitOrbitPlot,
    pub residuals: ResidualPlot,
    /// The residuals' figure, shown once there is a fit.
    residual_figure: HtmlElement,
}

/// A figure holding `plot` with `caption`, appended to `parent`.
fn figure(
    document: &Document,
    parent: &HtmlElement,
    plot: &HtmlElement,
    caption: &str,
) -> Result<HtmlElement, JsValue> {
    let fig: HtmlElement = element(document, "figure", "")?;
    fig.append_child(plot)?;
    let cap: HtmlElement = element(document, "figcaption", "")?;
    cap.set_text_content(Some(caption));
    fig.append_child(&cap)?;
    parent.append_child(&fig)?;
    Ok(fig)
}

/// The estimates table; returns (table, body).
fn estimates_table(document: &Document) -> Result<(HtmlElement, HtmlElement), JsValue> {
    let table: HtmlElement = element(document, "table", "estimates")?;
    table.set_id("fit-estimates");
    table.set_inner_html(
        "<caption>Estimates with 95% intervals</caption><thead><tr><th scope=\"col\">parameter</th><th scope=\"col\">estimate</th><th scope=\"col\">95% interval</th><th scope=\"col\" id=\"fit-unweighted-head\" hidden>unweighted</th></tr></thead>",
    );
    let body: HtmlElement = element(document, "tbody", "")?;
    table.append_child(&body)?;
    Ok((table, body))
}

impl FitPanel {
    /// The panel, hidden until real data are chosen.
    pub fn new(document: &Document) -> Result<Self, JsValue> {
        let section: HtmlElement = element(document, "section", "fit")?;
        section.set_id("fit");
        section.set_attribute("aria-label", "Fit the system to the data")?;
        section.set_hidden(true);
        let title: HtmlElement = element(document, "h2", "")?;
        title.set_text_content(Some("Fit the system to the data"));
        section.append_child(&title)?;
        let intro: HtmlElement = element(document, "p", "hint")?;
        intro.set_id("fit-intro");
        section.append_child(&intro)?;
        let row: HtmlElement = element(document, "div", "buttons")?;
        let start = button(document, "fit-start", "Fit the system", FIT_TITLE)?;
        start.set_attribute("aria-pressed", "false")?;
        row.append_child(&start)?;
        let weight = button(document, "fit-weight", "Weight by attention", WEIGHT_TITLE)?;
        weight.set_attribute("aria-pressed", "false")?;
        row.append_child(&weight)?;
        let status: HtmlElement = element(document, "p", "")?;
        status.set_id("fit-status");
        status.set_attribute("data-state", "idle")?;
        status.set_attribute("aria-live", "polite")?;
        row.append_child(&status)?;
        section.append_child(&row)?;
        let start_why = reason_hint(document, &start)?;
        section.append_child(&start_why)?;
        let weight_why = reason_hint(document, &weight)?;
        section.append_child(&weight_why)?;

        let grid: HtmlElement = element(document, "div", "fit-grid")?;
        let orbit = FitOrbitPlot::new(document)?;
        figure(
            document,
            &grid,
            &orbit.canvas.wrapper,
            "The observations (dots) against time as given, and the orbit the lab takes as the target (lines): through the first observation with the sliders' rates until the system is fitted. While the fit runs, its orbit moves onto the data.",
        )?;
        let column: HtmlElement = element(document, "div", "")?;
        let (table, estimates) = estimates_table(document)?;
        column.append_child(&table)?;
        let summary: HtmlElement = element(document, "p", "hint")?;
        summary.set_id("fit-summary");
        column.append_child(&summary)?;
        let weighting: HtmlElement = element(document, "p", "hint")?;
        weighting.set_id("fit-weighting");
        weighting.set_hidden(true);
        column.append_child(&weighting)?;
        let residuals = ResidualPlot::new(document)?;
        let residual_figure = figure(
            document,
            &column,
            &residuals.canvas.wrapper,
            "Residuals against time: what the fitted orbit leaves unexplained, on the scale of the noise model.",
        )?;
        residual_figure.set_hidden(true);
        grid.append_child(&column)?;
        section.append_child(&grid)?;
        Ok(FitPanel {
            section,
            intro,
            start,
            start_why,
            weight,
            weight_why,
            weighting,
            status,
            estimates,
            summary,
            orbit,
            residuals,
            residual_figure,
        })
    }

    /// Says what is fitted to what.
    pub fn show_intro(&self, text: &str) {
        self.intro.set_text_content(Some(text));
    }

    /// The fit button: "Stop" while a fit runs; disabled with `why` when the data cannot be
    /// fitted.
    pub fn show_button(&self, running: bool, why: Option<&str>) {
        let text = if running {
            "Stop fitting"
        } else {
            "Fit the system"
        };
        self.start.set_text_content(Some(text));
        let _ = self
            .start
            .set_attribute("aria-pressed", if running { "true" } else { "false" });
        disable_with_reason(&self.start, &self.start_why, why, FIT_TITLE);
    }

    /// The weighting button: "Stop weighting" while the rounds run; disabled with `why`.
    pub fn show_weight_button(&self, running: bool, why: Option<&str>) {
        let text = if running {
            "Stop weighting"
        } else {
            "Weight by attention"
        };
        self.weight.set_text_content(Some(text));
        let _ = self
            .weight
            .set_attribute("aria-pressed", if running { "true" } else { "false" });
        disable_with_reason(&self.weight, &self.weight_why, why, WEIGHT_TITLE);
    }

    /// What the weighted rounds did (`None`: there are none), with the rounds, whether they
    /// are done and whether the fixed point was reached as `data-*`.
    pub fn show_weighting(&self, text: Option<&str>, rounds: usize, done: bool, fixed_point: bool) {
        self.weighting.set_text_content(text);
        self.weighting.set_hidden(text.is_none());
        for (key, value) in [
            ("data-rounds", rounds.to_string()),
            ("data-done", done.to_string()),
            ("data-fixed-point", fixed_point.to_string()),
        ] {
            let _ = self.weighting.set_attribute(key, &value);
        }
    }

    /// Adds the unweighted estimates as a last column (`None`: no such column).
    pub fn show_unweighted(&self, document: &Document, unweighted: Option<&FitResult>) {
        if let Ok(Some(head)) = document.query_selector("#fit-unweighted-head") {
            let _ = head.toggle_attribute_with_force("hidden", unweighted.is_none());
        }
        let Some(fit) = unweighted else { return };
        for e in &fit.estimates {
            let selector = format!("tr[data-name=\"{}\"]", e.name);
            let Ok(Some(row)) = self.estimates.query_selector(&selector) else {
                continue;
            };
            if let Ok(cell) = element::<HtmlElement>(document, "td", "") {
                cell.set_text_content(Some(&significant(e.value)));
                let _ = row.set_attribute("data-unweighted", &e.value.to_string());
                let _ = row.append_child(&cell);
            }
        }
    }

    /// The status line and its state (idle, running, converged, failed, stopped).
    pub fn show_status(&self, state: &str, text: &str) {
        let _ = self.status.set_attribute("data-state", state);
        self.status.set_text_content(Some(text));
    }

    /// Fills the table and the summary from `fit`, or empties them (`None`).
    pub fn show_result(&self, document: &Document, fit: Option<&FitResult>) {
        self.estimates.set_inner_html("");
        self.residual_figure.set_hidden(fit.is_none());
        if let Ok(Some(head)) = document.query_selector("#fit-unweighted-head") {
            let _ = head.toggle_attribute_with_force("hidden", true);
        }
        let Some(fit) = fit else {
            self.summary
                .set_text_content(Some("The estimates appear here once a fit has converged."));
            self.residuals.clear();
            return;
        };
        for e in &fit.estimates {
            let Ok(row) = element::<HtmlElement>(document, "tr", "") else {
                continue;
            };
            for (key, value) in [
                ("data-name", e.name.clone()),
                ("data-value", e.value.to_string()),
                ("data-lower", e.lower.to_string()),
                ("data-upper", e.upper.to_string()),
                ("data-std-error", e.std_error.to_string()),
            ] {
                let _ = row.set_attribute(key, &value);
            }
            let cells = [
                e.label.clone(),
                significant(e.value),
                format!("{} – {}", significant(e.lower), significant(e.upper)),
            ];
            for text in cells {
                if let Ok(cell) = element::<HtmlElement>(document, "td", "") {
                    cell.set_text_content(Some(&text));
                    let _ = row.append_child(&cell);
                }
            }
            let _ = self.estimates.append_child(&row);
        }
        self.show_summary(fit);
    }

    fn show_summary(&self, fit: &FitResult) {
        let s = &self.summary;
        let _ = s.set_attribute("data-log-likelihood", &fit.log_likelihood.to_string());
        let _ = s.set_attribute("data-starts", &fit.starts.len().to_string());
        let _ = s.set_attribute("data-starts-agreeing", &fit.starts_agreeing.to_string());
        let _ = s.set_attribute("data-weak", &fit.weak_directions.len().to_string());
        let weak = if fit.weak_directions.is_empty() {
            "No weak directions: the data pin every parameter down.".to_string()
        } else {
            let names: Vec<&str> = fit
                .weak_directions
                .iter()
                .map(|d| d.description.as_str())
                .collect();
            format!("Weak directions: {}.", names.join("; "))
        };
        s.set_text_content(Some(&format!(
            "log-likelihood {:.3} ({} noise; {}). {} of {} starts reached the same optimum. {weak} {}.",
            fit.log_likelihood,
            fit.noise,
            fit.prior_statement,
            fit.starts_agreeing,
            fit.starts.len(),
            fit.convergence
        )));
    }
}

/// A number with four significant digits, without an exponent for everyday magnitudes.
pub fn significant(v: f64) -> String {
    if !v.is_finite() {
        return if v.is_nan() {
            "–".into()
        } else {
            "∞".into()
        };
    }
    let magnitude = if v == 0.0 {
        0
    } else {
        v.abs().log10().floor() as i32
    };
    if !(-4..6).contains(&magnitude) {
        return crate::number_text::sci(v, 3);
    }
    let decimals = (3 - magnitude).max(0) as usize;
    crate::number_text::fixed(v, decimals)
}
