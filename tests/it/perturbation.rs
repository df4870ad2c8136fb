//! The perturbation experiment: a kick of ε along the orbit normal changes V by ε·|∇V| to first
//! order, the deviation starts at ε, an equilibrium cannot be kicked, and after training the
//! low/high-attention ratio is finite (an error that says so, not NaN, when a kick leaves the
//! domain). If it fails, the CLI's `perturb` and the page's experiment report wrong numbers.

use lyapunov_lens::experiments::perturbation::{attention_perturbation, perturb_along_normal};
use lyapunov_lens::lab::config::Config;
use lyapunov_lens::lab::session::Session;
use lyapunov_lens::systems::lotka_volterra::LotkaVolterra;

#[test]
fn delta_v_is_epsilon_times_grad_v_to_first_order() {
    let system = LotkaVolterra::default();
    for eps in [1e-2, 1e-3, 1e-4] {
        let kick = perturb_along_normal(&system, [10.0, 5.0], eps, 1.0).unwrap();
        let (dv, first) = (kick.delta_v.unwrap(), kick.delta_v_first_order.unwrap());
        // |∇V(10, 5)| = √0.37; the second-order remainder shrinks like ε².
        assert!((first - eps * 0.37_f64.sqrt()).abs() < 1e-15);
        assert!(
            ((dv - first) / first).abs() < 3.0 * eps,
            "eps {eps}: {dv} vs {first}"
        );
    }
}

#[test]
fn deviation_starts_at_epsilon_and_grows_across_a_period() {
    let system = LotkaVolterra::default();
    let kick = perturb_along_normal(&system, [10.0, 5.0], 0.01, 8.0).unwrap();
    let (times, dev) = (kick.times, kick.deviation);
    assert_eq!(times[0], 0.0);
    assert!(
        (dev[0] - 0.01).abs() < 1e-12,
        "initial deviation {}",
        dev[0]
    );
    assert!(dev.iter().all(|d| d.is_finite()));
}

#[test]
fn an_equilibrium_cannot_be_kicked_along_a_normal() {
    let system = LotkaVolterra::default();
    assert!(perturb_along_normal(&system, system.equilibrium(), 0.1, 1.0).is_err());
}

#[test]
fn experiment_after_training_reports_a_finite_ratio() {
    let mut s = Session::new(Config::default()).unwrap();
    assert!(
        attention_perturbation(&s, 0.1, None).is_err(),
        "uniform attention has no extreme points"
    );
    s.step(300);
    let e = attention_perturbation(&s, 1e-3, None).unwrap();
    assert_eq!(e.horizon, s.period().unwrap());
    let ratio = e.ratio_low_over_high.unwrap();
    assert!(ratio.is_finite() && ratio > 0.0);
    let (high, low) = (e.high_attention.unwrap(), e.low_attention.unwrap());
    assert!(high.attention > low.attention);
    assert!(e.skipped.is_empty());
    assert!(attention_perturbation(&s, -1.0, None).is_err());
    // A kick of 10 pushes a point near the prey axis out of the positive quadrant: that kick is
    // reported and skipped, the other is still made, and nothing aborts or returns NaN.
    let big = attention_perturbation(&s, 10.0, None).unwrap();
    assert!(!big.skipped.is_empty(), "{big:?}");
    let reason = &big.skipped[0].reason;
    assert!(
        reason.contains("ε = 10") && reason.contains("domain"),
        "{reason}"
    );
    assert!(big.ratio_low_over_high.is_none());
}
