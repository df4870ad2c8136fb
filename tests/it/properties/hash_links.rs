//! Links: any hash (arbitrary unicode, `&`/`=` soup, repeated keys, huge or non-finite numbers,
//! very long values) parses without a panic, with a non-empty notice for each thing it changed
//! or ignored; the state it gives links back to itself exactly; and a valid state round-trips
//! through `to_hash` exactly, the data keys included.

use super::{cases, hostile_number};
use lyapunov_lens::lab::config::{Config, STEPS_PER_FRAME};
use lyapunov_lens::lab::presets::PRESETS;
use lyapunov_lens::lab::url_state::{
    control_names, data_keys, parse_data_keys, parse_hash, to_hash, LinkedData, LinkedFit,
    PageState,
};
use lyapunov_lens::measures::measure::{Measure, MeasureAt};
use lyapunov_lens::models::kind::ModelKind;
use lyapunov_lens::observations::noise_model::NoiseModel;
use lyapunov_lens::systems::catalogue::SystemKind;
use proptest::prelude::*;

/// Parameters that hold whole numbers (the rest are reals).
const INTEGER_PARAMETERS: [&str; 5] = ["n", "seed", "heads", "window", "steps_per_frame"];

/// Every key a hash may carry, and some it may not.
fn keys() -> Vec<String> {
    let mut keys: Vec<String> = control_names().into_iter().map(String::from).collect();
    keys.extend(
        [
            "preset", "data", "fit", "playing", "big", "hide", "", "=", "#", "%", "x0 ", "SIGMA",
        ]
        .map(String::from),
    );
    keys
}

/// Every named value a hash key takes, and near misses.
fn names() -> Vec<String> {
    let mut names: Vec<String> = SystemKind::ALL.iter().map(|k| k.to_string()).collect();
    names.extend(ModelKind::ALL.iter().map(|k| k.to_string()));
    names.extend(Measure::ALL.iter().map(|k| k.to_string()));
    names.extend(MeasureAt::ALL.iter().map(|k| k.to_string()));
    names.extend(NoiseModel::ALL.iter().map(|k| k.to_string()));
    names.extend(LinkedData::ALL.iter().map(|k| k.to_string()));
    names.extend(PRESETS.iter().map(|p| p.id.to_string()));
    names.extend(
        [
            "1",
            "0",
            "true",
            "no",
            "attention",
            "0,2",
            "2,0",
            "1,1",
            "0,9",
            "-1,0",
            "Lorenz",
        ]
        .map(String::from),
    );
    names
}

/// One value: a number, a name, a list of controls to hide, percent escapes, or anything.
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => hostile_number(),
        3 => prop::sample::select(names()),
        1 => prop::sample::subsequence(keys(), 0..6).prop_map(|k| k.join(",")),
        1 => "(%[0-9a-fA-F]{2}|%[g-z]{0,2}|\\+|[a-z0-9,]){0,12}",
        1 => any::<String>(),
        1 => Just("9".repeat(20_000)),
    ]
}

/// A hash of `key=value` pairs (keys repeat), or `&`/`=` soup, or any string at all.
fn hostile_hash() -> impl Strategy<Value = String> {
    let pairs = prop::collection::vec((prop::sample::select(keys()), value()), 0..24);
    prop_oneof![
        4 => (any::<bool>(), pairs).prop_map(|(sharp, pairs)| {
            let body: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={v}")).collect();
            format!("{}{}", if sharp { "#" } else { "" }, body.join("&"))
        }),
        1 => "[#&=%+,.a-z_0-9 -]{0,300}",
        1 => any::<String>(),
    ]
}

/// A value from a parameter's slider range (whole numbers for the counts).
fn in_range(name: &'static str, min: f64, max: f64) -> BoxedStrategy<f64> {
    if INTEGER_PARAMETERS.contains(&name) {
        (min as u64..=max as u64).prop_map(|v| v as f64).boxed()
    } else {
        prop_oneof![Just(min), Just(max), min..=max].boxed()
    }
}

/// A state the page can be in: every control within its range and valid for the system, or a
/// preset's own setting with its name.
fn valid_state() -> impl Strategy<Value = PageState> {
    prop::sample::select(SystemKind::ALL.to_vec()).prop_flat_map(|system| {
        let config = Config::for_system(system);
        let values: Vec<BoxedStrategy<(&'static str, f64)>> = config
            .parameters()
            .map(|p| {
                in_range(p.name, p.min, p.max)
                    .prop_map(move |v| (p.name, v))
                    .boxed()
            })
            .collect();
        let models: Vec<ModelKind> = ModelKind::available(system).collect();
        let measures: Vec<Measure> = Measure::ALL
            .into_iter()
            .filter(|m| m.check(system).is_ok())
            .collect();
        let noises: Vec<NoiseModel> = NoiseModel::ALL
            .into_iter()
            .filter(|m| m.check(system).is_ok())
            .collect();
        let presets: Vec<Option<&'static str>> = PRESETS
            .iter()
            .filter(|p| p.system == system)
            .map(|p| Some(p.id))
            .chain([None])
            .collect();
        let dim = system.dim();
        let choices = (
            prop::sample::select(models),
            prop::sample::select(measures),
            prop::sample::select(MeasureAt::ALL.to_vec()),
            prop::sample::select(noises),
            prop::sample::select(presets),
        );
        let page = (
            in_range("steps_per_frame", STEPS_PER_FRAME.min, STEPS_PER_FRAME.max),
            any::<bool>(),
            any::<bool>(),
            prop::sample::subsequence(control_names(), 0..4),
            (0..dim, 1..dim),
            0..=4_usize,
        );
        (values, choices, page).prop_map(move |(values, choices, page)| {
            let mut config = Config::for_system(system);
            for (name, v) in values {
                config
                    .set(name, v)
                    .expect("a finite value of a known parameter");
            }
            (
                config.model,
                config.measure,
                config.measure_at,
                config.noise,
            ) = (choices.0, choices.1, choices.2, choices.3);
            // σ's slider range depends on the system and the noise model: the drawn σ, as a
            // fraction of the run parameters' 0–10, is put on that range.
            let (lo, hi, _) = lyapunov_lens::lab::run_parameters::sigma_range(system, config.noise);
            config.sigma = lo + (hi - lo) * (config.sigma / 10.0).clamp(0.0, 1.0);
            let (spf, playing, big, hidden, (x, step), head) = page;
            // A preset is named only while the setting is the preset's own.
            let (config, spf) = match choices.4.and_then(lyapunov_lens::lab::presets::find) {
                Some(preset) => preset.settings(),
                None => (config, spf as usize),
            };
            PageState {
                config,
                steps_per_frame: spf,
                playing,
                preset: choices.4,
                hidden: hidden.into_iter().map(String::from).collect(),
                big,
                projection: (x, (x + step) % dim),
                head,
            }
        })
    })
}

proptest! {
    #![proptest_config(cases())]

    #[test]
    fn any_hash_parses_with_a_message_for_each_change(hash in hostile_hash()) {
        let (state, notices) = parse_hash(&hash);
        for notice in &notices {
            prop_assert!(!notice.trim().is_empty(), "an empty notice among {notices:?}");
        }
        let (data, fit, data_notices) = parse_data_keys(&hash);
        for notice in &data_notices {
            prop_assert!(!notice.trim().is_empty(), "an empty notice among {data_notices:?}");
        }
        // What the page then writes in the address bar opens the same page, with no notice.
        let link = to_hash(&state) + &data_keys(data, fit);
        let (back, again) = parse_hash(&link);
        prop_assert!(again.is_empty(), "{link} gives notices {again:?}");
        prop_assert_eq!(&back, &state, "{}", link);
        prop_assert_eq!(to_hash(&back), to_hash(&state));
        prop_assert_eq!(parse_data_keys(&link), (data, fit, vec![]), "{}", link);
    }

    #[test]
    fn a_valid_state_round_trips_exactly(
        state in valid_state(),
        data in prop::sample::select(LinkedData::ALL.to_vec()),
        fit in prop::sample::select(vec![LinkedFit::None, LinkedFit::Plain, LinkedFit::Attention]),
    ) {
        let link = to_hash(&state) + &data_keys(data, fit);
        let (back, notices) = parse_hash(&link);
        prop_assert!(notices.is_empty(), "{link} gives notices {notices:?}");
        prop_assert_eq!(back, state, "{}", link);
        let fit = if data == LinkedData::Simulated { LinkedFit::None } else { fit };
        prop_assert_eq!(parse_data_keys(&link), (data, fit, vec![]), "{}", link);
    }
}
