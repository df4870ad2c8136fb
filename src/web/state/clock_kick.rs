//! "Kick the clock" behind the page (issue 13): the limit cycle and its adjoint PRC for the
//! setting on screen, computed once per setting, when the panel is open, a bounded unit at a
//! time spread over frames ([`CycleRun`], then [`AdjointRun`]) within [`CLOCK_BUDGET_MS`] of
//! each, with the progress in the panel's status; and the kicks at a chosen phase (one per
//! deliberate action, followed over frames the same way: `clock_kicking`). Per frame, when
//! nothing was asked for, this only compares the setting with the one computed for (no
//! allocation).
//!
//! The cycle is located from the setting's initial state on a grid of [`POINTS`] phases, as
//! `lyapunov-lens prc` does by default, so the period and Z equal the CLI's.

use super::clock_kicking::Kicking;
use super::{now_ms, Lab};
use crate::dynamics::limit_cycle::{locate_limit_cycle, CycleRun, LimitCycle};
use crate::measures::measure::Measure;
use crate::measures::phase_response::{AdjointRun, PhaseResponse};
use crate::systems::catalogue::SystemKind;
use crate::web::clock_text::{kick_text, num, prc_summary, prediction_text, KickRecord};
use crate::web::panels::clock_panel::ClockPanel;

/// Phases on the PRC's grid (the CLI's default for the adjoint method).
pub(super) const POINTS: usize = 100;
/// Most milliseconds of a frame spent on the clock's work (the cycle, the adjoint, a kick)...
pub const CLOCK_BUDGET_MS: f64 = 12.0;
/// ...and no later than this after the frame started (a frame that computed a change or
/// trained leaves the clock less).
const CLOCK_FRAME_MS: f64 = 30.0;
/// The clock is read every this many units of the clock's work (each well under a millisecond).
const CLOCK_EVERY_UNITS: u32 = 4;

/// The cycle and its PRC for one setting, with what the panel needs of the system.
pub struct Computed {
    pub cycle: LimitCycle,
    pub prc: PhaseResponse,
    pub names: Vec<String>,
    /// Each variable's range on the cycle (ε is a share of it).
    pub ranges: Vec<f64>,
}

/// Where the computation for the setting on screen is.
pub(super) enum Stage {
    /// Not started (the panel is closed).
    Idle,
    /// The system has no limit cycle (the panel says why).
    Refused,
    /// The cycle is being located (from the next armed frame: `None` until then).
    Locating(Option<Box<CycleRun>>),
    /// The adjoint is being integrated on the located cycle.
    Adjoint(Box<LimitCycle>, Box<AdjointRun>),
    Ready(Box<Computed>),
    /// The computation failed (the panel says why).
    Failed,
}

/// The panel and its state.
pub struct ClockKick {
    pub panel: ClockPanel,
    /// The setting computed for: the system and its rates and initial state.
    pub(super) system: Option<SystemKind>,
    pub(super) values: Vec<f64>,
    pub(super) stage: Stage,
    /// The status of the waiting work has been on screen for a frame: do it in this one.
    pub(super) armed: bool,
    /// A kick at the chosen phase was asked for.
    pub(super) pending_kick: bool,
    /// The kick in progress.
    pub(super) kicking: Option<Box<Kicking>>,
    /// Milliseconds spent on the stage in progress, over every frame.
    pub(super) stage_ms: f64,
    /// Whether the measure was the phase response at the last frame (opening the panel when it
    /// becomes so).
    pub(super) was_prc: bool,
    pub(super) open: bool,
    pub(super) last: Option<KickRecord>,
}

impl ClockKick {
    pub fn new(panel: ClockPanel) -> Self {
        ClockKick {
            panel,
            system: None,
            values: Vec::new(),
            stage: Stage::Idle,
            armed: false,
            pending_kick: false,
            kicking: None,
            stage_ms: 0.0,
            was_prc: false,
            open: false,
            last: None,
        }
    }

    pub(super) fn computed(&self) -> Option<&Computed> {
        match &self.stage {
            Stage::Ready(c) => Some(c),
            _ => None,
        }
    }

    /// Starts the staged computation (its status shows this frame, the work starts next).
    pub(super) fn start(&mut self) {
        self.stage = Stage::Locating(None);
        self.stage_ms = 0.0;
        self.kicking = None;
        self.armed = false;
        self.panel.set_status(
            "computing",
            "Locating the limit cycle (integrating onto it, then Newton on the period)…",
        );
    }
}

/// The range of variable `k` over the cycle.
fn variable_range(cycle: &LimitCycle, k: usize) -> f64 {
    let values = (0..=cycle.steps).map(|i| cycle.state(i)[k]);
    values.clone().fold(f64::MIN, f64::max) - values.fold(f64::MAX, f64::min)
}

impl Lab {
    /// Each frame (started at `frame_start`): follow the setting, then, once the status of
    /// what was asked for has been painted, this frame's share of the work waiting.
    pub(super) fn work_clock(&mut self, frame_start: f64) {
        self.follow_clock_setting();
        let clock = &mut self.clock;
        let waiting = matches!(clock.stage, Stage::Locating(_) | Stage::Adjoint(..))
            || clock.kicking.is_some()
            || (clock.pending_kick && clock.computed().is_some());
        if !(clock.open && waiting) {
            return;
        }
        if !clock.armed {
            clock.armed = true;
            return;
        }
        let deadline = (now_ms() + CLOCK_BUDGET_MS).min(frame_start + CLOCK_FRAME_MS);
        let mut units = 0u32;
        let mut out_of_time = || {
            units += 1;
            units.is_multiple_of(CLOCK_EVERY_UNITS) && now_ms() >= deadline
        };
        match std::mem::replace(&mut clock.stage, Stage::Idle) {
            Stage::Locating(run) => self.locate_cycle(run, &mut out_of_time),
            Stage::Adjoint(cycle, run) => self.integrate_adjoint(*cycle, run, &mut out_of_time),
            other => {
                clock.stage = other;
                self.work_kick(&mut out_of_time);
            }
        }
    }

    /// A new setting (system, rates or initial state) starts the panel over; the measure
    /// becoming the phase response opens it.
    pub(super) fn follow_clock_setting(&mut self) {
        let config = self.session.config();
        let prc = config.measure == Measure::PhaseResponse;
        if prc != self.clock.was_prc {
            self.clock.was_prc = prc;
            if prc {
                self.clock.panel.details.set_open(true); // its toggle event starts the work
            }
        }
        let clock = &self.clock;
        if clock.system == Some(config.system) && clock.values == config.system_values() {
            return;
        }
        let system = config.system;
        let values = config.system_values().to_vec();
        let clock = &mut self.clock;
        clock.system = Some(system);
        clock.values = values;
        clock.pending_kick = false;
        clock.kicking = None;
        clock.last = None;
        clock.panel.prc.dots.clear();
        clock.panel.orbit.show(None);
        clock.panel.clear_readings();
        let names: Vec<String> = system.state_names().iter().map(|s| s.to_string()).collect();
        clock.panel.set_variables(&self.document, &names);
        if system.has_limit_cycle() {
            clock.stage = Stage::Idle;
            clock.panel.set_enabled(None);
            clock
                .panel
                .prc
                .show_empty("The PRC is computed when this panel is open.");
            clock.panel.set_status("idle", "");
            clock.panel.run_text.set_text_content(Some(
                "Open \"Kick the clock\" (below the plots) to compute the phase response of this cycle.",
            ));
            if clock.open {
                clock.start();
            }
        } else {
            let values = &clock.values[system.rates().len()..];
            let why = locate_limit_cycle(self.session.system(), values, POINTS)
                .err()
                .map_or_else(|| format!("{system} has no limit cycle"), |e| e.message);
            self.clock_refused(why);
        }
        self.draw_clock();
    }

    /// No PRC for this system: everything disabled, with the reason.
    fn clock_refused(&mut self, why: String) {
        let panel = &mut self.clock.panel;
        panel.set_enabled(Some(&why));
        panel
            .prc
            .show_empty("No phase response curve for this system (see why above).");
        let system = self.session.config().system;
        panel.set_status(
            "disabled",
            &format!("Not available for {system}: it has no limit cycle (why: above)."),
        );
        panel
            .run_text
            .set_text_content(Some(&format!("No phase response for this system: {why}.")));
        self.clock.stage = Stage::Refused;
    }

    /// Stage 1: the limit cycle from the setting's initial state, this frame's share.
    fn locate_cycle(&mut self, run: Option<Box<CycleRun>>, out_of_time: &mut dyn FnMut() -> bool) {
        let t0 = now_ms();
        let system = self.session.system();
        let mut run = match run {
            Some(run) => run,
            None => {
                let initial = &self.clock.values[self.session.config().system.rates().len()..];
                match CycleRun::new(system, initial, POINTS) {
                    Ok(run) => Box::new(run),
                    Err(e) => return self.clock_failed(e.message),
                }
            }
        };
        let done = run.work(system, out_of_time);
        self.clock.stage_ms += now_ms() - t0;
        let panel = &self.clock.panel;
        if !done {
            panel.set_status(
                "computing",
                &format!(
                    "Locating the limit cycle (integrating onto it, then Newton on the period): {:.0}%…",
                    100.0 * run.progress()
                ),
            );
            self.clock.stage = Stage::Locating(Some(run));
            return;
        }
        let ms = std::mem::take(&mut self.clock.stage_ms);
        let _ = panel
            .details
            .set_attribute("data-cycle-ms", &format!("{ms:.1}"));
        let located = run
            .finish(system)
            .and_then(|cycle| AdjointRun::new(system, &cycle, POINTS).map(|a| (cycle, a)));
        match located {
            Ok((cycle, adjoint)) => {
                panel.set_status(
                    "computing",
                    &format!(
                        "Cycle located: T = {} ({ms:.0} ms). Computing Z by the adjoint method…",
                        num(cycle.period, 5)
                    ),
                );
                self.clock.stage = Stage::Adjoint(Box::new(cycle), Box::new(adjoint));
            }
            Err(e) => self.clock_failed(e.message),
        }
    }

    /// Stage 2: the adjoint PRC on the located cycle, this frame's share.
    fn integrate_adjoint(
        &mut self,
        cycle: LimitCycle,
        mut run: Box<AdjointRun>,
        out_of_time: &mut dyn FnMut() -> bool,
    ) {
        let t0 = now_ms();
        let system = self.session.system();
        let done = run.work(system, &cycle, out_of_time);
        self.clock.stage_ms += now_ms() - t0;
        if !done {
            self.clock.panel.set_status(
                "computing",
                &format!(
                    "Cycle located: T = {}. Computing Z by the adjoint method: {:.0}%…",
                    num(cycle.period, 5),
                    100.0 * run.progress(&cycle)
                ),
            );
            self.clock.stage = Stage::Adjoint(Box::new(cycle), run);
            return;
        }
        let t0 = now_ms();
        let prc = run.finish(system, &cycle);
        let ms = std::mem::take(&mut self.clock.stage_ms) + now_ms() - t0;
        let _ = self
            .clock
            .panel
            .details
            .set_attribute("data-prc-ms", &format!("{ms:.1}"));
        match prc {
            Ok(prc) => {
                let names = system.state_names();
                let computed = Computed {
                    names: names.iter().map(|s| s.to_string()).collect(),
                    ranges: (0..cycle.dim).map(|k| variable_range(&cycle, k)).collect(),
                    cycle,
                    prc,
                };
                self.clock.stage = Stage::Ready(Box::new(computed));
                self.show_prc();
            }
            Err(e) => self.clock_failed(e.message),
        }
    }

    fn clock_failed(&mut self, why: String) {
        let panel = &mut self.clock.panel;
        panel
            .prc
            .show_empty("No phase response curve (see why above).");
        panel.set_status("failed", &format!("No phase response: {why}."));
        panel
            .run_text
            .set_text_content(Some(&format!("No phase response: {why}.")));
        panel.set_enabled(Some(&why));
        self.clock.stage = Stage::Failed;
        self.draw_clock();
    }

    /// The PRC of the chosen variable: the curve, the summary, the data attributes and the
    /// prediction at the chosen phase.
    pub(super) fn show_prc(&mut self) {
        let clock = &mut self.clock;
        let Some(c) = (match &clock.stage {
            Stage::Ready(c) => Some(c),
            _ => None,
        }) else {
            return;
        };
        let k = clock.panel.variable_index().min(c.cycle.dim - 1);
        clock.panel.prc.show(&c.prc, k, &c.names[k]);
        let summary = prc_summary(&c.cycle, &c.prc, k, &c.names);
        clock.panel.summary.set_text_content(Some(&summary));
        let mut run = summary;
        if let Some(last) = &clock.last {
            run.push(' ');
            run.push_str(&kick_text(last));
        }
        clock.panel.run_text.set_text_content(Some(&run));
        let hot = &clock.panel.prc.canvas.hot;
        let _ = hot.set_attribute("data-period", &c.cycle.period.to_string());
        let _ = hot.set_attribute("data-points", &POINTS.to_string());
        let _ = hot.set_attribute("data-variable", &k.to_string());
        clock.panel.show_readout(Some(
            clock.panel.sign() * clock.panel.fraction() * c.ranges[k],
        ));
        self.select_phase(self.clock.panel.prc.selected);
        self.draw_clock();
    }

    /// Chooses phase index `j`: the slider's value, the data attributes and the prediction.
    pub(super) fn select_phase(&mut self, j: usize) {
        let panel = &mut self.clock.panel;
        panel.prc.selected = j % POINTS;
        let Stage::Ready(c) = &self.clock.stage else {
            return;
        };
        let j = panel.prc.selected;
        let k = panel.variable_index().min(c.cycle.dim - 1);
        let epsilon = panel.sign() * panel.fraction() * c.ranges[k];
        let z = &c.prc.z[j];
        let hot = &panel.prc.canvas.hot;
        let list = |v: &[f64]| v.iter().map(f64::to_string).collect::<Vec<_>>().join(",");
        let _ = hot.set_attribute("data-theta", &c.prc.theta[j].to_string());
        let _ = hot.set_attribute("data-z", &list(z));
        let _ = hot.set_attribute("data-z-per-phase", &list(&c.prc.z_per_phase(j)));
        let _ = hot.set_attribute("data-epsilon", &epsilon.to_string());
        panel.prc.describe_selection();
        panel.prc.draw_hot();
        let text = prediction_text(c.prc.theta[j], z[k] / c.prc.period, epsilon, &c.names[k]);
        panel.set_status(
            "ready",
            &format!(
                "T = {} time units; the PRC took {} ms in this browser. {text}",
                num(c.cycle.period, 5),
                clock_ms(&panel.details)
            ),
        );
    }

    /// Redraws both plots of the panel (cold and hot).
    pub(super) fn draw_clock(&mut self) {
        let panel = &mut self.clock.panel;
        if let Err(e) = panel.prc.draw_cold() {
            self.notice.show(&format!("Drawing failed: {e}"));
        }
        panel.prc.draw_hot();
        panel.orbit.redraw();
    }
}

/// The PRC's cost in this browser: locating the cycle plus the adjoint (ms, from the panel's
/// data attributes).
fn clock_ms(details: &web_sys::HtmlDetailsElement) -> String {
    let read = |name: &str| {
        details
            .get_attribute(name)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    format!("{:.0}", read("data-cycle-ms") + read("data-prc-ms"))
}
