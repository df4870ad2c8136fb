//! "Kick the clock" behind the page (issue 13): the limit cycle and its adjoint PRC for the
//! setting on screen, computed once per setting, when the panel is open, in stages spread over
//! frames (locate the cycle, then the adjoint), each after its status has been painted; and the
//! kicks at a chosen phase, measured with the core's `kick_shift` (one per deliberate action,
//! never per frame). Per frame, when nothing was asked for, this only compares the setting
//! with the one computed for (no allocation).
//!
//! The cycle is located from the setting's initial state on a grid of [`POINTS`] phases, as
//! `lyapunov-lens prc` does by default, so the period and Z equal the CLI's.

use super::{now_ms, Lab};
use crate::dynamics::limit_cycle::{locate_limit_cycle, LimitCycle};
use crate::dynamics::rk4::Rk4;
use crate::measures::direct_prc::{kick_shift, DEFAULT_TOLERANCE};
use crate::measures::measure::Measure;
use crate::measures::phase_response::{adjoint_prc, PhaseResponse};
use crate::systems::catalogue::SystemKind;
use crate::systems::system::System;
use crate::web::clock_text::{kick_text, num, prc_summary, prediction_text, KickRecord};
use crate::web::panels::clock_panel::ClockPanel;
use crate::web::plots::kick_orbit_plot::KickOrbit;

/// Phases on the PRC's grid (the CLI's default for the adjoint method).
pub(super) const POINTS: usize = 100;
/// Periods of the kicked and unkicked oscillation shown.
const SHOWN_PERIODS: usize = 5;
/// Most samples per curve of the oscillation plot.
const ORBIT_SAMPLES: usize = 1500;

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
    /// The cycle is located at the next armed frame.
    Locating,
    /// The adjoint is integrated at the next armed frame.
    Adjoint(Box<LimitCycle>),
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
        self.stage = Stage::Locating;
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

/// The first variable along the cycle and after a kick `kick` at grid index `index`, from the
/// cycle's θ = 0 over [`SHOWN_PERIODS`] periods, with the cycle's own RK4 step (the integration
/// `kick_shift` makes), thinned to at most [`ORBIT_SAMPLES`] samples.
fn kicked_orbit<S: System + ?Sized>(
    system: &S,
    cycle: &LimitCycle,
    (index, kick): (usize, &[f64]),
    shift: f64,
    name: &str,
) -> KickOrbit {
    let total = SHOWN_PERIODS * cycle.steps;
    let stride = total.div_ceil(ORBIT_SAMPLES).max(1);
    let h = cycle.step();
    let mut rk4 = Rk4::new(cycle.dim);
    let mut x: Vec<f64> = cycle
        .state(index)
        .iter()
        .zip(kick)
        .map(|(a, b)| a + b)
        .collect();
    let capacity = total / stride + 2;
    let (mut times, mut unkicked, mut kicked) = (
        Vec::with_capacity(capacity),
        Vec::with_capacity(capacity),
        Vec::with_capacity(capacity),
    );
    for s in 0..=total {
        if s > index {
            rk4.step(system, &mut x, h);
        }
        if s % stride == 0 || s == index {
            let on_cycle = cycle.state(s % cycle.steps)[0];
            times.push(s as f64 * h);
            unkicked.push(on_cycle);
            kicked.push(if s < index { on_cycle } else { x[0] });
        }
    }
    KickOrbit {
        times,
        unkicked,
        kicked,
        kick_time: index as f64 * h,
        period: cycle.period,
        shift,
        name: name.to_string(),
    }
}

impl Lab {
    /// Each frame: follow the setting, then do the waiting stage or kick if its status has been
    /// painted.
    pub(super) fn work_clock(&mut self) {
        self.follow_clock_setting();
        let clock = &mut self.clock;
        let waiting = matches!(clock.stage, Stage::Locating | Stage::Adjoint(_))
            || (clock.pending_kick && clock.computed().is_some());
        if !(clock.open && waiting) {
            return;
        }
        if !clock.armed {
            clock.armed = true;
            return;
        }
        clock.armed = false;
        match std::mem::replace(&mut clock.stage, Stage::Idle) {
            Stage::Locating => self.locate_cycle(),
            Stage::Adjoint(cycle) => self.integrate_adjoint(*cycle),
            other => {
                clock.stage = other;
                clock.pending_kick = false;
                self.kick_now();
            }
        }
    }

    /// A new setting (system, rates or initial state) starts the panel over; the measure
    /// becoming the phase response opens it.
    fn follow_clock_setting(&mut self) {
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

    /// Stage 1: the limit cycle from the setting's initial state.
    fn locate_cycle(&mut self) {
        let system = self.session.config().system;
        let initial = &self.clock.values[system.rates().len()..];
        let t0 = now_ms();
        let located = locate_limit_cycle(self.session.system(), initial, POINTS);
        let ms = now_ms() - t0;
        let panel = &self.clock.panel;
        let _ = panel
            .details
            .set_attribute("data-cycle-ms", &format!("{ms:.1}"));
        match located {
            Ok(cycle) => {
                panel.set_status(
                    "computing",
                    &format!(
                        "Cycle located: T = {} ({ms:.0} ms). Computing Z by the adjoint method…",
                        num(cycle.period, 5)
                    ),
                );
                self.clock.stage = Stage::Adjoint(Box::new(cycle));
            }
            Err(e) => self.clock_failed(e.message),
        }
    }

    /// Stage 2: the adjoint PRC on the located cycle.
    fn integrate_adjoint(&mut self, cycle: LimitCycle) {
        let t0 = now_ms();
        let prc = adjoint_prc(self.session.system(), &cycle, POINTS);
        let ms = now_ms() - t0;
        let _ = self
            .clock
            .panel
            .details
            .set_attribute("data-prc-ms", &format!("{ms:.1}"));
        match prc {
            Ok(prc) => {
                let names = self.session.system().state_names();
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

    /// The kick at the chosen phase: the measured shift, the prediction, the oscillations.
    fn kick_now(&mut self) {
        let clock = &mut self.clock;
        let Stage::Ready(c) = &clock.stage else {
            return;
        };
        let panel = &mut clock.panel;
        let (j, k) = (
            panel.prc.selected,
            panel.variable_index().min(c.cycle.dim - 1),
        );
        let epsilon = panel.sign() * panel.fraction() * c.ranges[k];
        let index = j * c.cycle.steps / POINTS;
        let mut kick = vec![0.0; c.cycle.dim];
        kick[k] = epsilon;
        let system = self.session.system();
        let t0 = now_ms();
        let measured = kick_shift(system, &c.cycle, index, &kick, DEFAULT_TOLERANCE);
        let ms = now_ms() - t0;
        let _ = panel
            .details
            .set_attribute("data-kick-ms", &format!("{ms:.1}"));
        let shift = match measured {
            Ok(s) => s,
            Err(e) => {
                panel.result.set_text_content(Some(&format!(
                    "No shift measured at θ = {:.2}: {}.",
                    c.prc.theta[j], e.message
                )));
                let _ = panel.result.set_attribute("data-shift", "");
                let _ = panel
                    .result
                    .set_attribute("data-theta", &c.prc.theta[j].to_string());
                panel.set_status("ready", "The kick could not be followed (see below).");
                panel.orbit.show(None);
                return;
            }
        };
        let record = KickRecord {
            j,
            theta: c.prc.theta[j],
            variable: k,
            name: c.names[k].clone(),
            epsilon,
            fraction: panel.fraction(),
            shift: shift.shift,
            predicted: epsilon * c.prc.z[j][k] / c.prc.period,
            period: c.cycle.period,
            events: shift.estimates.len(),
        };
        let orbit = kicked_orbit(system, &c.cycle, (index, &kick), shift.shift, &c.names[0]);
        panel.orbit.show(Some(orbit));
        panel.prc.dots.push((record.theta, record.shift / epsilon));
        show_kick(panel, &record, ms);
        clock.last = Some(record);
        self.show_prc();
    }
}

/// The result line and its data attributes after a kick.
fn show_kick(panel: &ClockPanel, record: &KickRecord, ms: f64) {
    let result = &panel.result;
    result.set_text_content(Some(&kick_text(record)));
    for (name, value) in [
        ("data-theta", record.theta),
        ("data-epsilon", record.epsilon),
        ("data-shift", record.shift),
        ("data-predicted", record.predicted),
        ("data-events", record.events as f64),
        ("data-ms", ms),
    ] {
        let _ = result.set_attribute(name, &value.to_string());
    }
    let _ = result.set_attribute("data-variable", &record.variable.to_string());
    let kind = if record.shift > 0.0 {
        "advance"
    } else {
        "delay"
    };
    let _ = result.set_attribute("data-kind", kind);
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
