//! The σ slider fits each system (issue 14): its default and every preset's σ are positions of
//! the slider, inside its range, and the range is on the scale of the system's states (Goodwin's
//! σ = 0.02 once sat at 0 on a 0–10 slider in steps of 0.05).

use lyapunov_lens::lab::presets::PRESETS;
use lyapunov_lens::lab::run_parameters::{run_parameter, sigma_range, SIGMA_MAX_PER_DEFAULT};
use lyapunov_lens::observations::noise_model::NoiseModel;
use lyapunov_lens::systems::catalogue::SystemKind;

/// Whether `value` is within `min..=max` and a whole number of steps above `min`.
fn on_grid(value: f64, (min, max, step): (f64, f64, f64)) -> bool {
    let k = (value - min) / step;
    value >= min && value <= max && (k - k.round()).abs() < 1e-9
}

#[test]
fn every_systems_default_sigma_is_a_position_of_its_slider_on_the_systems_scale() {
    for system in SystemKind::ALL {
        let default = system.run_defaults().sigma;
        let range = sigma_range(system, NoiseModel::Gaussian);
        let (min, max, step) = range;
        assert!(
            on_grid(default, range),
            "{system}: default σ {default} is not on the slider {range:?}"
        );
        assert_eq!(min, 0.0, "{system}: σ = 0 (no noise) must be reachable");
        // Room to explore: at least twice the default, and at least 50 positions.
        assert!(
            max >= 2.0 * default,
            "{system}: max {max} < 2 × σ {default}"
        );
        assert!(
            max / step >= 50.0,
            "{system}: only {} positions",
            max / step
        );
        assert!(max <= SIGMA_MAX_PER_DEFAULT * default * (1.0 + 1e-12));
        // The state's scale: the largest bound of its initial-state sliders.
        let scale = system
            .initial_state()
            .iter()
            .map(|p| p.min.abs().max(p.max.abs()))
            .fold(0.0, f64::max);
        assert!(
            max <= 0.5 * scale,
            "{system}: σ's max {max} is beyond half the state's scale {scale}"
        );
    }
}

#[test]
fn every_presets_sigma_is_a_position_of_its_systems_slider() {
    for preset in &PRESETS {
        let (config, _) = preset.settings();
        let range = sigma_range(config.system, config.noise);
        assert!(
            on_grid(config.sigma, range),
            "preset {}: σ {} is not on the slider {range:?}",
            preset.id,
            config.sigma
        );
    }
}

/// Where a slider's thumb sits for `value`: the nearest step within the range.
fn thumb(value: f64, (min, max, step): (f64, f64, f64)) -> f64 {
    (min + ((value - min) / step).round() * step).clamp(min, max)
}

/// Every other default a system sets is in its slider's range, with the thumb within 1% of it
/// (Lorenz's β = 8/3 sits at 2.67; the slider keeps the exact value until moved).
#[test]
fn every_systems_defaults_sit_on_their_sliders() {
    let near = |value: f64, range| (thumb(value, range) - value).abs() <= 0.01 * value.abs();
    for system in SystemKind::ALL {
        for spec in system.parameters() {
            let range = (spec.min, spec.max, spec.step);
            assert!(
                near(spec.default, range),
                "{system}: {} = {} sits at {} on its slider {range:?}",
                spec.name,
                spec.default,
                thumb(spec.default, range)
            );
        }
        let d = system.run_defaults();
        for (name, value) in [("t_end", d.t_end), ("tau", d.tau), ("burn_in", d.burn_in)] {
            let spec = run_parameter(name).expect("a run parameter");
            let range = (spec.min, spec.max, spec.step);
            assert!(
                near(value, range),
                "{system}: default {name} = {value} sits at {} on its slider {range:?}",
                thumb(value, range)
            );
        }
    }
}
