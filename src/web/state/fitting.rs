//! Fitting the system to real data in the page: the fit runs a few steps per frame within the
//! frame's training budget (attention training waits meanwhile), its current orbit is drawn as
//! it moves onto the data, and a converged fit becomes the session's target
//! ([`session_on_fit`]): the attention model trains to reconstruct the fitted orbit and the
//! sensitivity measures are taken along it. A fit that cannot start, fails or does not converge
//! says why, and the previous state stays. The data themselves are chosen in `data_choice`.

use super::reweighting::Reweighting;
use super::{now_ms, Lab};
use crate::estimation::fitter::{FitStep, Fitter};
use crate::estimation::problem::{FitData, FitSettings};
use crate::estimation::result::{finish, FitResult};
use crate::lab::config::Config;
use crate::lab::fitted_target::session_on_fit;
use crate::lab::session::Recomputed;
use crate::lab::url_state::{LinkedData, LinkedFit};
use crate::observations::csv_import::{ColumnLayout, ImportedSeries};
use crate::systems::catalogue::SystemKind;
use crate::web::panels::data_panel::DataPanel;
use crate::web::panels::fit_panel::FitPanel;

/// Points of the drawn orbit between the first and the last data time.
const DENSE_POINTS: usize = 241;

/// Observations other than the simulated ones, as the lab analyses them.
pub(super) struct Loaded {
    /// The observations, without clean states.
    pub(super) series: ImportedSeries,
    /// Where they come from, for the page, the fit and the exports.
    pub(super) source: String,
    pub(super) time_label: String,
    /// The prey's and the predator's names in the plots' legends.
    pub(super) names: [String; 2],
}

/// The visitor's file, kept so that another column choice can read it again.
pub(super) struct LoadedFile {
    pub(super) name: String,
    pub(super) text: String,
    pub(super) layout: ColumnLayout,
}

/// What a running fit reported last, for the status line.
#[derive(Clone, Copy)]
enum Progress {
    Screening {
        done: usize,
        of: usize,
    },
    Start {
        start: usize,
        iteration: usize,
        objective: f64,
    },
}

/// A fit in progress, with its timing.
pub(super) struct FitRun {
    pub(super) fitter: Fitter,
    started_ms: f64,
    /// Time spent in the fit's steps (ms), and the frames it ran in.
    compute_ms: f64,
    frames: usize,
    /// Recent cost of one step (ms, a decaying maximum): a step is not started when less than
    /// this is left of the budget.
    ms_per_step: f64,
    /// The longest step and the longest frame's fitting (ms), reported when it finishes.
    max_step_ms: f64,
    max_frame_ms: f64,
    progress: Progress,
}

/// The data the lab analyses, the fit of the system to them, and their panels.
pub struct FitState {
    pub panel: FitPanel,
    pub data: DataPanel,
    pub(super) choice: LinkedData,
    pub(super) loaded: Option<Loaded>,
    pub(super) file: Option<LoadedFile>,
    pub(super) run: Option<FitRun>,
    /// The fit that is the session's target, and its rates and initial state.
    pub(super) result: Option<FitResult>,
    fitted_values: Vec<f64>,
    /// The config before the fit set the rates and the initial state: what a link carries.
    base: Option<Config>,
    /// The drawn orbit: times, and states n × `curve_dim` (buffers reused while fitting).
    pub(super) dense: Vec<f64>,
    pub(super) curve: Vec<f64>,
    pub(super) curve_dim: usize,
    /// The rates and initial state the curve was drawn for.
    pub(super) drawn: Vec<f64>,
    /// The system the Fit panel describes (it is described again when the system changes).
    pub(super) shown_system: Option<SystemKind>,
    /// Why the data cannot be fitted, if they cannot (the fit button says so).
    pub(super) cannot_fit: Option<String>,
    /// Attention-weighted refitting, in progress or done, and whether a link asked for it once
    /// the fit running now has finished.
    pub(super) weighting: Option<Reweighting>,
    pub(super) then_weight: bool,
}

impl FitState {
    pub fn new(panel: FitPanel, data: DataPanel) -> Self {
        FitState {
            panel,
            data,
            choice: LinkedData::Simulated,
            loaded: None,
            file: None,
            run: None,
            result: None,
            fitted_values: Vec::new(),
            base: None,
            dense: Vec::new(),
            curve: Vec::new(),
            curve_dim: 0,
            drawn: Vec::new(),
            shown_system: None,
            cannot_fit: None,
            weighting: None,
            then_weight: false,
        }
    }

    /// The fit a link describes: the weighted one once attention weighting has started, the
    /// plain one while a fit runs or is the session's target.
    pub(super) fn linked_fit(&self) -> LinkedFit {
        match (&self.weighting, self.run.is_some() || self.result.is_some()) {
            (Some(_), _) => LinkedFit::Attention,
            (None, true) if self.then_weight => LinkedFit::Attention,
            (None, true) => LinkedFit::Plain,
            (None, false) => LinkedFit::None,
        }
    }

    /// Forgets the fit and the drawn orbit (new data).
    pub(super) fn forget(&mut self) {
        self.run = None;
        self.then_weight = false;
        self.drop_target();
        self.curve.clear();
        self.drawn.clear();
    }

    /// The fit stops being the session's target.
    fn drop_target(&mut self) {
        self.weighting = None;
        self.result = None;
        self.fitted_values.clear();
        self.base = None;
    }

    /// New data: the times the orbit is drawn at.
    pub(super) fn set_times(&mut self, times: &[f64]) {
        let (t0, t1) = (times[0], times[times.len() - 1]);
        self.dense.clear();
        let last = (DENSE_POINTS - 1) as f64;
        self.dense
            .extend((0..DENSE_POINTS).map(|i| t0 + (t1 - t0) * i as f64 / last));
    }
}

impl Lab {
    /// The session's config, with the rates and initial state from before the fit when a fit
    /// is the target: the state a link describes (the fit is redone from it).
    pub(super) fn linked_config(&self) -> Config {
        // A change being computed is the state the page is in (the link, `getState`).
        let mut config = match &self.pending {
            Some(pending) => pending.change.config().clone(),
            None => self.session.config().clone(),
        };
        if let (Some(base), true) = (&self.fit.base, self.fit.result.is_some()) {
            if base.system == config.system {
                config.system_values = base.system_values.clone();
            }
        }
        config
    }

    /// The fit button: starts a fit of the session's system to the data, or stops a running one.
    pub fn toggle_fit(&mut self) {
        self.fit.weighting = None; // a new fit, or stopping, ends attention weighting
        self.fit.then_weight = false;
        if self.fit.run.take().is_some() {
            self.show_fit_buttons();
            self.fit.panel.show_status(
                "stopped",
                "Stopped. The previous state is kept; press the button to fit again.",
            );
            self.redraw_kept_curve();
            return;
        }
        if let Err(why) = self.start_fit() {
            self.notice
                .show(&format!("Cannot fit: {why}. The previous state is kept."));
            self.fit
                .panel
                .show_status("failed", &format!("Cannot fit: {why}."));
        }
    }

    /// A fitter for the session's system and the loaded data (checks only, no solve yet).
    pub(super) fn fitter(&self) -> Result<Fitter, String> {
        let loaded = self.fit.loaded.as_ref().ok_or("there are no data to fit")?;
        let kind = self.session.config().system;
        let columns = loaded.series.observations.ncols();
        if kind.dim() != columns {
            return Err(format!(
                "{kind} has {} state variables and the data {columns} observed columns: choose a {columns}-D system",
                kind.dim()
            ));
        }
        let data = FitData::from_series(&loaded.series, &loaded.source);
        Fitter::new(FitSettings::new(kind), data).map_err(|e| e.to_string())
    }

    /// Starts fitting: the next frames step it.
    pub(super) fn start_fit(&mut self) -> Result<(), String> {
        let fitter = self.fitter()?;
        let plan = fitter.plan();
        let of = plan.candidates;
        let text = format!(
            "Fitting {}: screening {of} starting points, then {} starts (at most {} solves)…",
            self.session.config().system.title(),
            fitter.problem().settings.starts,
            plan.max_solves
        );
        self.fit.weighting = None;
        self.run_fitter(fitter, text);
        Ok(())
    }

    /// Runs `fitter` over the next frames, saying `text`.
    pub(super) fn run_fitter(&mut self, fitter: Fitter, text: String) {
        let of = fitter.plan().candidates;
        self.fit.run = Some(FitRun {
            fitter,
            started_ms: now_ms(),
            compute_ms: 0.0,
            frames: 0,
            ms_per_step: 0.0,
            max_step_ms: 0.0,
            max_frame_ms: 0.0,
            progress: Progress::Screening { done: 0, of },
        });
        self.fit.drawn.clear();
        self.show_fit_buttons();
        self.fit.panel.show_status("running", &text);
    }

    /// This frame's fitting, within `budget_ms`; returns whether a fit is running (training
    /// then waits).
    pub(super) fn fit_frame(&mut self, budget_ms: f64) -> bool {
        self.check_fit_target();
        let system = self.session.config().system;
        if self.fit.loaded.is_some()
            && self.fit.run.is_none()
            && self.fit.shown_system != Some(system)
        {
            self.show_fit_panel();
        }
        let Some(run) = self.fit.run.as_mut() else {
            self.follow_target();
            self.work_weighting();
            return false;
        };
        let start = now_ms();
        let deadline = start + budget_ms;
        let mut finished = false;
        loop {
            let t0 = now_ms();
            match run.fitter.step() {
                FitStep::Finished => finished = true,
                FitStep::Screened { done, of } => run.progress = Progress::Screening { done, of },
                FitStep::Iterated {
                    start,
                    iteration,
                    objective,
                } => {
                    run.progress = Progress::Start {
                        start,
                        iteration,
                        objective,
                    }
                }
                FitStep::StartFinished(_) => {}
            }
            let now = now_ms();
            // A decaying maximum: steps vary (a trial point far off takes more RK4 substeps).
            run.ms_per_step = (0.9 * run.ms_per_step).max(now - t0);
            run.max_step_ms = run.max_step_ms.max(now - t0);
            if finished || deadline - now < run.ms_per_step {
                break;
            }
        }
        let spent = now_ms() - start;
        run.compute_ms += spent;
        run.max_frame_ms = run.max_frame_ms.max(spent);
        run.frames += 1;
        if finished {
            self.finish_fit();
        } else {
            self.show_progress();
            self.draw_current();
        }
        true
    }

    fn show_progress(&self) {
        let Some(run) = &self.fit.run else { return };
        let starts = run.fitter.problem().settings.starts;
        let text = match run.progress {
            Progress::Screening { done, of } => {
                format!("Fitting: screened {done} of {of} starting points…")
            }
            Progress::Start {
                start,
                iteration,
                objective,
            } => format!(
                "Fitting: start {} of {starts}, iteration {iteration}, −log posterior {objective:.3}…",
                start + 1
            ),
        };
        self.fit.panel.show_status("running", &text);
    }

    /// The fit has run: a converged fit becomes the target; otherwise the previous state stays.
    fn finish_fit(&mut self) {
        let Some(run) = self.fit.run.take() else {
            return;
        };
        let stepped = now_ms();
        let previous = self.fit.fitted_values.clone();
        let weighted = self.fit.weighting.as_ref().is_some_and(|w| w.fitting);
        let solves = run.fitter.solves();
        let outcome = finish(run.fitter).map_err(|e| format!("The fit failed: {e}."));
        let adopted = outcome.and_then(|fit| match fit.converged {
            true => self.adopt_fit(fit),
            false => Err(format!("The fit did not converge ({}).", fit.convergence)),
        });
        // The fit's time: from its start until the estimates are shown.
        let ended = now_ms();
        let wall_ms = ended - run.started_ms;
        let status = &self.fit.panel.status;
        for (key, value) in [
            ("data-ms", format!("{wall_ms:.1}")),
            ("data-compute-ms", format!("{:.1}", run.compute_ms)),
            ("data-finish-ms", format!("{:.1}", ended - stepped)),
            ("data-frames", run.frames.to_string()),
            ("data-started-at", format!("{:.1}", run.started_ms)),
            ("data-ended-at", format!("{ended:.1}")),
            ("data-max-step-ms", format!("{:.2}", run.max_step_ms)),
            ("data-max-frame-ms", format!("{:.2}", run.max_frame_ms)),
            ("data-solves", solves.to_string()),
        ] {
            let _ = status.set_attribute(key, &value);
        }
        match (adopted, weighted) {
            (Ok(()), true) => {
                let text = self.weighted_round_done(&previous).unwrap_or_default();
                let state = if self.weighting_active() {
                    "running"
                } else {
                    "converged"
                };
                self.fit.panel.show_status(state, &text);
            }
            (Ok(()), false) => {
                let text = format!(
                    "Converged in {:.2} s ({solves} solves): the fitted orbit is now the target of attention training, and {} is measured along it.",
                    wall_ms / 1000.0,
                    self.session.config().measure.symbol()
                );
                self.fit.panel.show_status("converged", &text);
                if std::mem::take(&mut self.fit.then_weight) {
                    self.toggle_weighting();
                }
            }
            (Err(why), true) => self.stop_weighting(&why),
            (Err(why), false) => {
                self.notice
                    .show(&format!("{why} The previous state is kept."));
                self.fit.panel.show_status("failed", &why);
                self.redraw_kept_curve();
            }
        }
        self.show_fit_buttons();
    }

    /// Makes `fit` the session's target and shows it.
    fn adopt_fit(&mut self, fit: FitResult) -> Result<(), String> {
        let loaded = self.fit.loaded.as_ref().ok_or("the data are gone")?;
        let base = self.linked_config();
        let session = session_on_fit(&base, &loaded.series, &fit)
            .map_err(|e| format!("The fitted orbit cannot be the target: {e}."))?;
        self.session = session;
        let values = fit.parameter_values();
        self.fit.fitted_values.clone_from(&values);
        self.fit.base = Some(base);
        self.fit.panel.show_result(&self.document, Some(&fit));
        let unweighted = self.fit.weighting.as_ref().map(|w| &w.unweighted);
        self.fit.panel.show_unweighted(&self.document, unweighted);
        if unweighted.is_none() {
            self.fit.panel.show_weighting(None, 0, false, false);
        }
        self.draw_residuals(&fit);
        self.set_curve(fit.system, &values);
        self.fit.result = Some(fit);
        self.session_replaced();
        Ok(())
    }

    /// The session was replaced: everything that shows it follows.
    pub(super) fn session_replaced(&mut self) {
        self.recomputed(Recomputed {
            trajectory: true,
            observations: true,
            model: true,
            measure: true,
        });
        let system = self.session.config().system;
        self.tools.fit_system(system);
        self.controls.show(
            &self.document,
            self.session.config(),
            self.training.steps_per_frame,
            self.plots.phase.projection,
            self.view.head,
        );
        let imported = self.fit.loaded.is_some();
        self.set_imported_mode(imported);
        self.apply_hidden();
    }

    /// A fit that no longer describes the session (the rates changed: a preset, a link, another
    /// system) stops being the target: the data's own target comes back.
    fn check_fit_target(&mut self) {
        if self.fit.result.is_none()
            || self.session.config().system_values() == self.fit.fitted_values.as_slice()
        {
            return;
        }
        let Some(series) = self.fit.loaded.as_ref().map(|l| l.series.clone()) else {
            return;
        };
        self.fit.drop_target();
        self.fit.panel.show_result(&self.document, None);
        self.fit.panel.show_weighting(None, 0, false, false);
        self.show_fit_buttons();
        self.fit.panel.show_status(
            "idle",
            "The rates changed, so the fit no longer describes the data's target. Fit again to make a fit the target.",
        );
        match self.session.import(series) {
            Ok(_) => self.session_replaced(),
            Err(e) => self.notice.show(&format!("The data's target: {e}")),
        }
        if self.fit.run.is_none() {
            self.redraw_kept_curve();
        }
    }
}
