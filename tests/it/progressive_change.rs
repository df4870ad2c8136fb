//! A session change computed a slice at a time (`Session::prepare`, `SessionChange::work`,
//! `Session::apply`) gives the same bits as `set_config` in one go, however it is sliced; the
//! session keeps its previous state until the change is applied; a failing change leaves it
//! untouched; a change prepared before the session changed is recomputed.

use lyapunov_lens::lab::config::Config;
use lyapunov_lens::lab::session::Session;
use lyapunov_lens::systems::catalogue::SystemKind;

/// Applies `to` to a session of `from` in slices of `units` units of work (0: in one go, by
/// `set_config`); returns the session and how many slices the work took.
fn changed(from: &Config, to: &Config, units: usize) -> (Session, usize) {
    let mut session = Session::new(from.clone()).unwrap();
    if units == 0 {
        session.set_config(to.clone()).unwrap();
        return (session, 1);
    }
    let before = session.sensitivity().to_vec();
    let mut change = session.prepare(to.clone()).unwrap();
    let mut slices = 0;
    loop {
        slices += 1;
        let mut left = units;
        let done = change.work(&mut || {
            left -= 1;
            left == 0
        });
        // Nothing reaches the session before it is applied.
        assert_eq!(session.sensitivity(), &before[..]);
        if done {
            break;
        }
        assert!(change.progress() < 1.0);
    }
    assert!(change.is_quick());
    session.apply(change).unwrap();
    (session, slices)
}

fn same_bits(a: &Session, b: &Session) {
    assert_eq!(a.config(), b.config());
    assert_eq!(a.trajectory(), b.trajectory());
    assert_eq!(a.observations(), b.observations());
    let bits = |s: &[f64]| s.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(a.sensitivity()), bits(b.sensitivity()));
    assert_eq!(bits(a.attention()), bits(b.attention()));
    assert_eq!(a.period().map(f64::to_bits), b.period().map(f64::to_bits));
}

#[test]
fn a_sliced_change_equals_one_in_one_go() {
    let cases = [
        // A longer Lorenz orbit: a new trajectory and its FTLE.
        (
            Config::for_system(SystemKind::Lorenz).with("n", 200.0),
            Config::for_system(SystemKind::Lorenz)
                .with("n", 200.0)
                .with("t_end", 24.0),
        ),
        // A new measure on the same trajectory (normal growth along Van der Pol).
        (
            Config::for_system(SystemKind::VanDerPol).with("n", 200.0),
            {
                let mut c = Config::for_system(SystemKind::VanDerPol).with("n", 200.0);
                c.measure = "normal-growth".parse().unwrap();
                c
            },
        ),
        // Lotka–Volterra's ∂V/∂n over a longer window.
        (
            Config::for_system(SystemKind::LotkaVolterra),
            Config::for_system(SystemKind::LotkaVolterra).with("t_end", 40.0),
        ),
    ];
    for (from, to) in cases {
        let (whole, _) = changed(&from, &to, 0);
        for units in [1, 7, 100_000] {
            let (sliced, slices) = changed(&from, &to, units);
            same_bits(&whole, &sliced);
            if units == 1 {
                assert!(slices > 100, "{} in {slices} slices of one unit", to.system);
            }
        }
    }
}

#[test]
fn a_failing_change_leaves_the_session_untouched() {
    let from = Config::for_system(SystemKind::LotkaVolterra);
    let mut session = Session::new(from.clone()).unwrap();
    let before = session.sensitivity().to_vec();
    // Stiff rates: valid, but the populations fall below the smallest positive f64 on the way,
    // which only the integration finds.
    let to = from.clone().with("gamma", 108_074.0);
    let mut change = session.prepare(to).unwrap();
    while !change.work(&mut || true) {}
    let message = session.apply(change).unwrap_err().to_string();
    assert!(message.contains("integration failed"), "{message}");
    assert_eq!(session.config(), &from);
    assert_eq!(session.sensitivity(), &before[..]);
}

#[test]
fn a_change_prepared_before_another_is_recomputed() {
    let from = Config::for_system(SystemKind::VanDerPol);
    let mut session = Session::new(from.clone()).unwrap();
    let stale = session.prepare(from.clone().with("t_end", 30.0)).unwrap();
    session.set_config(from.clone().with("mu", 2.0)).unwrap();
    session.apply(stale).unwrap();
    let mut direct = Session::new(from.clone().with("mu", 2.0)).unwrap();
    direct.set_config(from.with("t_end", 30.0)).unwrap();
    same_bits(&session, &direct);
}

/// The page opens a link on its system's defaults and takes the link's config as a change:
/// the session equals one built on the link's config directly.
#[test]
fn a_link_taken_as_a_change_equals_the_link_built_directly() {
    let links = [
        Config::for_system(SystemKind::LotkaVolterra).with("sigma", 0.0),
        Config::for_system(SystemKind::LotkaVolterra).with("lr", 0.003),
        Config::for_system(SystemKind::Pendulum)
            .with("theta0", 3.0)
            .with("seed", 4.0),
        Config::for_system(SystemKind::VanDerPol).with("mu", 2.5),
        Config::for_system(SystemKind::Goodwin).with("n", 300.0),
    ];
    for link in links {
        let direct = Session::new(link.clone()).unwrap();
        let mut opened = Session::new(Config::for_system(link.system)).unwrap();
        opened.set_config(link).unwrap();
        same_bits(&direct, &opened);
        assert_eq!(direct.parameters(), opened.parameters());
    }
}
