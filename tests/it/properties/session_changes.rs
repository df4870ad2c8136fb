//! Sessions: any config builds a session or is refused with a message (the validation's own
//! when it fails validation); a refused change of config (a few controls moved, to any value)
//! or import leaves the session exactly as it was, and an accepted change gives the session a
//! fresh build would; a session's table exports and imports back to the same data, and its
//! config to the same config.

use super::configs::{change, config, valid_config, CHEAP};
use super::{cases, session_cases};
use lyapunov_lens::experiments::report::write_points_csv;
use lyapunov_lens::lab::config::Config;
use lyapunov_lens::lab::session::{Session, SessionError};
use lyapunov_lens::observations::csv_import::{parse_observations_csv, ImportedSeries};
use ndarray::Array2;
use proptest::prelude::*;

/// Everything a session shows, bit for bit (NaN included), as text.
fn snapshot(s: &Session) -> String {
    let all = |a: &Array2<f64>| a.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
    let bits = |v: &[f64]| v.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
    format!(
        "{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}",
        s.config(),
        s.source(),
        bits(s.times()),
        all(s.clean()),
        all(s.observations()),
        s.dv_dn().map(bits),
        bits(s.sensitivity()),
        bits(s.attention()),
        bits(s.parameters()),
        s.steps(),
        s.metrics(),
        s.training_status(),
        s.loss_history(),
        s.period().map(f64::to_bits),
    )
}

/// A refusal says why.
fn check_refusal(e: &SessionError) -> Result<(), TestCaseError> {
    prop_assert!(!e.to_string().trim().is_empty(), "{e:?}");
    Ok(())
}

/// A session's clean and observed side, bit for bit: what a change must leave as a fresh build.
fn data(s: &Session) -> String {
    let all = |a: &Array2<f64>| a.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
    let bits = |v: &[f64]| v.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
    format!(
        "{:?}\n{:?}\n{:?}\n{:?}",
        all(s.clean()),
        all(s.observations()),
        bits(s.sensitivity()),
        s.period().map(f64::to_bits),
    )
}

/// A started session (some training done), or `None` when its config cannot start one.
fn started(config: Config, steps: usize) -> Option<Session> {
    let mut s = Session::new(config).ok()?;
    s.step(steps);
    Some(s)
}

/// A small series for a 2-D system: time steps from 1e-3 to 2 and now and then a 1e12 gap;
/// values mostly positive (a valid start for Lotka–Volterra), some not.
fn series() -> impl Strategy<Value = ImportedSeries> {
    let step = prop_oneof![10 => 1e-3..2.0_f64, 1 => Just(1e12)];
    let value = prop_oneof![8 => 0.1..50.0_f64, 1 => -50.0..50.0_f64, 1 => Just(1e308)];
    prop::collection::vec((step, value.clone(), value), 2..30).prop_map(|rows| {
        let mut text = String::from("t,prey,predator\n");
        let mut t = 0.0;
        for (dt, x, y) in rows {
            text += &format!("{t},{x},{y}\n");
            t += dt;
        }
        parse_observations_csv(&text).expect("a well-formed table")
    })
}

proptest! {
    #![proptest_config(cases())]

    #[test]
    fn any_config_builds_a_session_or_says_why(config in config(CHEAP), steps in 0..4_usize) {
        let valid = config.validate();
        match Session::new(config.clone()) {
            Ok(mut s) => {
                prop_assert!(valid.is_ok(), "built a session of an invalid config: {valid:?}");
                prop_assert_eq!(s.observations().dim(), (config.n, config.system.dim()));
                prop_assert_eq!(s.attention().len(), config.n);
                prop_assert!(s.step(steps) <= steps);
            }
            Err(e) => {
                check_refusal(&e)?;
                if let Err(v) = valid {
                    prop_assert_eq!(e, SessionError::Config(v));
                }
            }
        }
    }

}

proptest! {
    #![proptest_config(session_cases())]

    #[test]
    fn a_refused_change_leaves_the_session_as_it_was(
        (start, change) in (valid_config(CHEAP), prop_oneof![valid_config(CHEAP), config(CHEAP)])
            .prop_flat_map(|(start, other)| (Just(start.clone()), change(start, other))),
        steps in 0..4_usize,
    ) {
        let Some(mut s) = started(start, steps) else { return Ok(()) };
        let before = snapshot(&s);
        match s.set_config(change.clone()) {
            Err(e) => {
                check_refusal(&e)?;
                prop_assert_eq!(snapshot(&s), before, "changed by a refused {:?}", e);
            }
            Ok(done) => {
                prop_assert_eq!(s.config(), &change);
                let fresh = Session::new(change);
                prop_assert!(fresh.is_ok(), "accepted as a change, refused fresh: {:?}", fresh.err());
                let fresh = fresh.unwrap();
                prop_assert_eq!(data(&s), data(&fresh), "{:?}", done);
                if done.model {
                    prop_assert_eq!(snapshot(&s), snapshot(&fresh));
                }
            }
        }
    }

    /// A change computed a slice at a time (the page's way: `prepare`, `work` until done with
    /// `units` units per slice, `apply`) gives the bits `set_config` gives in one go, or the
    /// same refusal, and leaves the session untouched until it is applied.
    #[test]
    fn a_sliced_change_equals_one_in_one_go(
        (start, change) in (valid_config(CHEAP), prop_oneof![valid_config(CHEAP), config(CHEAP)])
            .prop_flat_map(|(start, other)| (Just(start.clone()), change(start, other))),
        units in 1..50_usize,
    ) {
        let Some(mut whole) = started(start.clone(), 0) else { return Ok(()) };
        let mut sliced = Session::new(start).unwrap();
        let before = snapshot(&sliced);
        let expected = whole.set_config(change.clone());
        let got = match sliced.prepare(change) {
            Err(e) => Err(e),
            Ok(mut pending) => {
                loop {
                    let mut left = units;
                    let done = pending.work(&mut || {
                        left -= 1;
                        left == 0
                    });
                    prop_assert_eq!(snapshot(&sliced), before.clone(), "changed before applied");
                    if done {
                        break;
                    }
                }
                sliced.apply(pending)
            }
        };
        match (expected, got) {
            (Ok(a), Ok(b)) => {
                prop_assert_eq!(a, b);
                prop_assert_eq!(snapshot(&whole), snapshot(&sliced));
            }
            (Err(a), Err(b)) => {
                prop_assert_eq!(a, b);
                prop_assert_eq!(snapshot(&sliced), before);
            }
            (a, b) => prop_assert!(false, "in one go {:?}, sliced {:?}", a.err(), b.err()),
        }
    }

    #[test]
    fn a_refused_import_leaves_the_session_as_it_was(
        start in valid_config(CHEAP),
        series in series(),
        steps in 0..4_usize,
    ) {
        let Some(mut s) = started(start, steps) else { return Ok(()) };
        let before = snapshot(&s);
        match s.import(series.clone()) {
            Err(e) => {
                check_refusal(&e)?;
                prop_assert_eq!(snapshot(&s), before, "changed by a refused import: {}", e);
            }
            Ok(_) => {
                prop_assert_eq!(s.times(), &series.times[..]);
                prop_assert_eq!(s.observations(), &series.observations);
                prop_assert_eq!(s.attention().len(), series.times.len());
            }
        }
    }

    #[test]
    fn a_session_exports_and_imports_back(
        config in valid_config(CHEAP).prop_filter("2-D", |c| c.system.dim() == 2),
        steps in 0..4_usize,
    ) {
        let json = serde_json::to_string(&config).unwrap();
        let back: Config = serde_json::from_str(&json).map_err(|e| TestCaseError::fail(format!("{e}: {json}")))?;
        prop_assert_eq!(&back, &config, "{}", json);
        let Some(original) = started(config.clone(), steps) else { return Ok(()) };
        let mut csv = Vec::new();
        write_points_csv(&original, &mut csv).unwrap();
        let text = String::from_utf8(csv).unwrap();
        let series = parse_observations_csv(&text).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        let mut s = Session::new(config).unwrap();
        s.import(series).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        prop_assert_eq!(data(&s), data(&original), "{}", text);
        prop_assert_eq!(s.times(), original.times());
    }
}
