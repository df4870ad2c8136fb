//! A kick of "Kick the clock" in progress: the kicked state followed until its phase settles
//! ([`KickRun`], the core's `kick_shift` a bounded number of steps at a time), then the kicked
//! and unkicked oscillations for the plot, both spread over frames within the clock's share of a
//! frame, with the progress in the panel's status. A new kick asked for meanwhile replaces it.

use super::clock_kick::{Stage, POINTS};
use super::{now_ms, Lab};
use crate::dynamics::limit_cycle::LimitCycle;
use crate::dynamics::rk4::Rk4;
use crate::measures::direct_prc::{KickShift, DEFAULT_TOLERANCE};
use crate::measures::kick_run::KickRun;
use crate::systems::system::System;
use crate::web::clock_text::{kick_text, KickRecord};
use crate::web::panels::clock_panel::ClockPanel;
use crate::web::plots::kick_orbit_plot::KickOrbit;
use crate::work_units::in_units;

/// Periods of the kicked and unkicked oscillation shown.
const SHOWN_PERIODS: usize = 5;
/// Most samples per curve of the oscillation plot.
const ORBIT_SAMPLES: usize = 1500;
/// RK4 steps of the shown oscillation per unit of work.
const ORBIT_CHUNK: usize = 256;

/// The kick asked for, and where its computation is.
pub(super) struct Kicking {
    j: usize,
    variable: usize,
    epsilon: f64,
    index: usize,
    kick: Vec<f64>,
    /// Milliseconds of computation so far, over every frame.
    ms: f64,
    phase: Phase,
}

enum Phase {
    Following(Box<KickRun>),
    /// Between the two (never seen outside `work_kick`).
    Followed,
    Drawing(KickShift, OrbitRun),
}

/// The first variable along the cycle and after the kick, from the cycle's θ = 0 over
/// [`SHOWN_PERIODS`] periods, with the cycle's own RK4 step (the integration the kick's run
/// makes), thinned to at most [`ORBIT_SAMPLES`] samples, a chunk of steps at a time.
struct OrbitRun {
    step: usize,
    total: usize,
    stride: usize,
    rk4: Rk4,
    x: Vec<f64>,
    times: Vec<f64>,
    unkicked: Vec<f64>,
    kicked: Vec<f64>,
}

impl OrbitRun {
    fn new(cycle: &LimitCycle, index: usize, kick: &[f64]) -> Self {
        let total = SHOWN_PERIODS * cycle.steps;
        let stride = total.div_ceil(ORBIT_SAMPLES).max(1);
        let capacity = total / stride + 2;
        OrbitRun {
            step: 0,
            total,
            stride,
            rk4: Rk4::new(cycle.dim),
            x: cycle
                .state(index)
                .iter()
                .zip(kick)
                .map(|(a, b)| a + b)
                .collect(),
            times: Vec::with_capacity(capacity),
            unkicked: Vec::with_capacity(capacity),
            kicked: Vec::with_capacity(capacity),
        }
    }

    /// Works until done or `out_of_time`; returns whether it is done.
    fn work<S: System + ?Sized>(
        &mut self,
        system: &S,
        cycle: &LimitCycle,
        index: usize,
        out_of_time: &mut dyn FnMut() -> bool,
    ) -> bool {
        let h = cycle.step();
        let pending = |run: &Self| run.step <= run.total;
        in_units(self, pending, out_of_time, |run| {
            for s in run.step..=run.total.min(run.step + ORBIT_CHUNK - 1) {
                if s > index {
                    run.rk4.step(system, &mut run.x, h);
                }
                if s % run.stride == 0 || s == index {
                    let on_cycle = cycle.state(s % cycle.steps)[0];
                    run.times.push(s as f64 * h);
                    run.unkicked.push(on_cycle);
                    run.kicked.push(if s < index { on_cycle } else { run.x[0] });
                }
                run.step = s + 1;
            }
        })
    }

    fn progress(&self) -> f64 {
        self.step as f64 / (self.total + 1) as f64
    }
}

impl Lab {
    /// The kick asked for, if any, replaces the one in progress; then this frame's share of it.
    pub(super) fn work_kick(&mut self, out_of_time: &mut dyn FnMut() -> bool) {
        if std::mem::take(&mut self.clock.pending_kick) {
            self.clock.kicking = self.start_kick();
        }
        let Some(mut kicking) = self.clock.kicking.take() else {
            return;
        };
        let Stage::Ready(c) = &self.clock.stage else {
            return;
        };
        let system = self.session.system();
        let t0 = now_ms();
        let done = loop {
            match &mut kicking.phase {
                Phase::Following(run) => {
                    if !run.work(system, out_of_time) {
                        break false;
                    }
                    let Phase::Following(run) =
                        std::mem::replace(&mut kicking.phase, Phase::Followed)
                    else {
                        unreachable!("matched above")
                    };
                    match run.finish(system) {
                        Ok(shift) => {
                            let orbit = OrbitRun::new(&c.cycle, kicking.index, &kicking.kick);
                            kicking.phase = Phase::Drawing(shift, orbit);
                        }
                        Err(e) => {
                            let theta = c.prc.theta[kicking.j];
                            kick_refused(&mut self.clock.panel, theta, &e.message);
                            return;
                        }
                    }
                }
                Phase::Followed => unreachable!("left above"),
                Phase::Drawing(_, orbit) => {
                    break orbit.work(system, &c.cycle, kicking.index, out_of_time);
                }
            }
        };
        kicking.ms += now_ms() - t0;
        if done {
            self.kicked(*kicking);
            return;
        }
        let (share, events) = match &kicking.phase {
            Phase::Following(run) => (0.9 * run.progress(), run.events()),
            Phase::Drawing(shift, orbit) => (0.9 + 0.1 * orbit.progress(), shift.estimates.len()),
            Phase::Followed => (0.9, 0),
        };
        self.clock.panel.set_status(
            "kicking",
            &format!(
                "Kicking at θ = {:.2} and following the orbit until its phase settles: {events} reference events so far, {:.0}%…",
                c.prc.theta[kicking.j],
                100.0 * share
            ),
        );
        self.clock.kicking = Some(kicking);
    }

    /// The kick at the chosen phase, set up (or refused, with the reason on the page).
    fn start_kick(&mut self) -> Option<Box<Kicking>> {
        let Stage::Ready(c) = &self.clock.stage else {
            return None;
        };
        let panel = &self.clock.panel;
        let (j, k) = (
            panel.prc.selected,
            panel.variable_index().min(c.cycle.dim - 1),
        );
        let epsilon = panel.sign() * panel.fraction() * c.ranges[k];
        let index = j * c.cycle.steps / POINTS;
        let mut kick = vec![0.0; c.cycle.dim];
        kick[k] = epsilon;
        let t0 = now_ms();
        let system = self.session.system();
        match KickRun::new(system, &c.cycle, index, &kick, DEFAULT_TOLERANCE) {
            Ok(run) => Some(Box::new(Kicking {
                j,
                variable: k,
                epsilon,
                index,
                kick,
                ms: now_ms() - t0,
                phase: Phase::Following(Box::new(run)),
            })),
            Err(e) => {
                kick_refused(&mut self.clock.panel, c.prc.theta[j], &e.message);
                None
            }
        }
    }

    /// The kick is measured and its oscillations computed: show them.
    fn kicked(&mut self, kicking: Kicking) {
        let clock = &mut self.clock;
        let Stage::Ready(c) = &clock.stage else {
            return;
        };
        let Phase::Drawing(shift, orbit) = kicking.phase else {
            return;
        };
        let (j, k, epsilon) = (kicking.j, kicking.variable, kicking.epsilon);
        let panel = &mut clock.panel;
        let _ = panel
            .details
            .set_attribute("data-kick-ms", &format!("{:.1}", kicking.ms));
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
        panel.orbit.show(Some(KickOrbit {
            times: orbit.times,
            unkicked: orbit.unkicked,
            kicked: orbit.kicked,
            kick_time: kicking.index as f64 * c.cycle.step(),
            period: c.cycle.period,
            shift: shift.shift,
            name: c.names[0].clone(),
        }));
        panel.prc.dots.push((record.theta, record.shift / epsilon));
        show_kick(panel, &record, kicking.ms);
        clock.last = Some(record);
        self.show_prc();
    }
}

/// The kick at θ could not be measured: the reason, and no orbit.
fn kick_refused(panel: &mut ClockPanel, theta: f64, why: &str) {
    panel.result.set_text_content(Some(&format!(
        "No shift measured at θ = {theta:.2}: {why}."
    )));
    let _ = panel.result.set_attribute("data-shift", "");
    let _ = panel.result.set_attribute("data-theta", &theta.to_string());
    panel.set_status("ready", "The kick could not be followed (see below).");
    panel.orbit.show(None);
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
