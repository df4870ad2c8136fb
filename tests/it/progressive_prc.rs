//! The limit cycle, its adjoint PRC, the phase-response measure and one kick of the direct PRC,
//! computed a bounded unit at a time (`CycleRun`, `AdjointRun`, `PhaseResponseRun` through
//! `MeasureRun`, `KickRun`) so that the page can spread them over frames: they give the same
//! bits as the one-go functions however the work is sliced (random slice sizes), and the same
//! values as before they were sliced (pinned from the one-go code, which the CLI prints). If it
//! fails, the page's PRC or kick differs from the CLI's, or depends on the frame rate.

use lyapunov_lens::dynamics::limit_cycle::{locate_limit_cycle, CycleRun, LimitCycle};
use lyapunov_lens::dynamics::rk4::integrate;
use lyapunov_lens::measures::direct_prc::kick_shift;
use lyapunov_lens::measures::kick_run::KickRun;
use lyapunov_lens::measures::measure::Measure;
use lyapunov_lens::measures::measure_run::MeasureRun;
use lyapunov_lens::measures::phase_response::{adjoint_prc, AdjointRun, PhaseResponse};
use lyapunov_lens::systems::goodwin::Goodwin;
use lyapunov_lens::systems::system::System;
use lyapunov_lens::systems::van_der_pol::VanDerPol;

/// A small deterministic generator of slice sizes (units of work per slice, 1 to `max`).
struct Slices(u64);

impl Slices {
    fn next(&mut self, max: u64) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (1 + (self.0 >> 33) % max) as usize
    }

    /// An `out_of_time` that stops after a random number of units; counts the slices.
    fn budget(&mut self, max: u64) -> impl FnMut() -> bool {
        let mut left = self.next(max);
        move || {
            left -= 1;
            left == 0
        }
    }
}

fn bits(values: &[f64]) -> Vec<u64> {
    values.iter().map(|v| v.to_bits()).collect()
}

fn same_cycle(a: &LimitCycle, b: &LimitCycle) {
    assert_eq!(a.steps, b.steps);
    assert_eq!(a.period.to_bits(), b.period.to_bits());
    assert_eq!(bits(&a.states), bits(&b.states));
    assert_eq!(bits(&a.monodromy), bits(&b.monodromy));
    assert_eq!(a.transient_returns, b.transient_returns);
    assert_eq!(a.newton_iterations, b.newton_iterations);
}

fn same_prc(a: &PhaseResponse, b: &PhaseResponse) {
    assert_eq!(a.sweeps, b.sweeps);
    assert_eq!(a.sweep_change.to_bits(), b.sweep_change.to_bits());
    assert_eq!(
        a.normalisation_error.to_bits(),
        b.normalisation_error.to_bits()
    );
    for (za, zb) in a.z.iter().zip(&b.z) {
        assert_eq!(bits(za), bits(zb));
    }
}

/// Goodwin and Van der Pol at their defaults, with their initial states.
fn systems() -> Vec<(Box<dyn System>, Vec<f64>)> {
    vec![
        (Box::new(Goodwin::default()), vec![0.0404, 0.168, 1.573]),
        (Box::new(VanDerPol::default()), vec![0.5, 0.0]),
    ]
}

#[test]
fn a_sliced_cycle_and_adjoint_equal_them_in_one_go() {
    let mut slices = Slices(7);
    for (system, initial) in systems() {
        let system = system.as_ref();
        let whole = locate_limit_cycle(system, &initial, 100).unwrap();
        let whole_prc = adjoint_prc(system, &whole, 100).unwrap();
        for max in [1, 5, 40] {
            let mut run = CycleRun::new(system, &initial, 100).unwrap();
            let (mut count, mut progress) = (0, 0.0);
            while !run.work(system, &mut slices.budget(max)) {
                count += 1;
                assert!(run.progress() >= progress && run.progress() < 1.0);
                progress = run.progress();
            }
            let cycle = run.finish(system).unwrap();
            same_cycle(&whole, &cycle);
            if max == 1 {
                assert!(
                    count > 100,
                    "{}: the cycle took {count} slices",
                    system.name()
                );
            }
            let mut adjoint = AdjointRun::new(system, &cycle, 100).unwrap();
            let mut count = 0;
            while !adjoint.work(system, &cycle, &mut slices.budget(max)) {
                count += 1;
                assert!(adjoint.progress(&cycle) < 1.0);
            }
            same_prc(&whole_prc, &adjoint.finish(system, &cycle).unwrap());
            if max == 1 {
                assert!(
                    count > 10,
                    "{}: the adjoint took {count} slices",
                    system.name()
                );
            }
        }
    }
}

#[test]
fn a_sliced_kick_equals_kick_shift_in_one_go() {
    let mut slices = Slices(11);
    for (system, initial) in systems() {
        let system = system.as_ref();
        let cycle = locate_limit_cycle(system, &initial, 20).unwrap();
        for (j, k, epsilon) in [(3, 0, 0.002), (7, 0, -0.002), (12, 1, 0.01)] {
            let index = j * cycle.steps / 20;
            let mut kick = vec![0.0; cycle.dim];
            kick[k] = epsilon;
            let whole = kick_shift(system, &cycle, index, &kick, 1e-8).unwrap();
            for max in [1, 3, 50] {
                let mut run = KickRun::new(system, &cycle, index, &kick, 1e-8).unwrap();
                let mut count = 0;
                while !run.work(system, &mut slices.budget(max)) {
                    count += 1;
                    assert!(run.progress() < 1.0);
                }
                let sliced = run.finish(system).unwrap();
                assert_eq!(sliced.shift.to_bits(), whole.shift.to_bits());
                assert_eq!(bits(&sliced.estimates), bits(&whole.estimates));
                if max == 1 {
                    assert!(
                        count > 20,
                        "{}: the kick took {count} slices",
                        system.name()
                    );
                }
            }
        }
    }
}

#[test]
fn a_sliced_phase_response_measure_equals_it_in_one_go() {
    let mut slices = Slices(3);
    for (system, initial) in systems() {
        let system = system.as_ref();
        // Onto the cycle first (a burn-in), then 400 samples over a few periods.
        let burn = integrate(system, &initial, &[0.0, 400.0]).unwrap();
        let start = burn.states.row(1).to_vec();
        let times: Vec<f64> = (0..400).map(|i| i as f64 * 0.25).collect();
        let trajectory = integrate(system, &start, &times).unwrap();
        let whole = Measure::PhaseResponse
            .along(system, &trajectory, 1.0)
            .unwrap();
        let mut run = MeasureRun::new(Measure::PhaseResponse, system, &trajectory, 1.0);
        let mut count = 0;
        while !run.work(system, &trajectory, &mut slices.budget(4)) {
            count += 1;
        }
        assert!(count > 50, "{}: {count} slices", system.name());
        assert_eq!(
            bits(&run.finish(system, &trajectory).unwrap()),
            bits(&whole)
        );
    }
}

/// The values the one-go code gave before it was sliced (the CLI's `prc --format json` and
/// `prc --method direct --points 20 --epsilon …`, printed with every digit).
#[test]
fn the_sliced_code_gives_the_values_of_the_one_go_code_before_it() {
    let (goodwin, vdp) = (Goodwin::default(), VanDerPol::default());
    let g0 = [0.0404, 0.168, 1.573];
    let cycle = locate_limit_cycle(&goodwin, &g0, 100).unwrap();
    assert_eq!(cycle.period, 39.677914159023565);
    let prc = adjoint_prc(&goodwin, &cycle, 100).unwrap();
    assert_eq!(
        prc.z[30],
        [-154.95824202526813, -93.73887542605407, -8.767824977227958]
    );
    let cycle = locate_limit_cycle(&vdp, &[0.5, 0.0], 100).unwrap();
    assert_eq!(cycle.period, 6.6632868593236525);
    let prc = adjoint_prc(&vdp, &cycle, 100).unwrap();
    assert_eq!(prc.z[30], [-0.7048412102630762, 0.14194640700724634]);
    for (system, initial, j, epsilon, period, shift) in [
        (
            &goodwin as &dyn System,
            &g0[..],
            7,
            0.002,
            39.67791415902297,
            -0.0012384035421959538,
        ),
        (
            &vdp,
            &[0.5, 0.0],
            3,
            0.05,
            6.663286859323664,
            -0.0074694748951520396,
        ),
    ] {
        let cycle = locate_limit_cycle(system, initial, 20).unwrap();
        assert_eq!(cycle.period, period);
        let mut kick = vec![0.0; cycle.dim];
        kick[0] = epsilon;
        let measured = kick_shift(system, &cycle, j * cycle.steps / 20, &kick, 1e-8).unwrap();
        assert_eq!(measured.shift, shift, "{}", system.name());
    }
}
