//! The embedding link and the settings as an object (issue 14, embedding): `embed=1` and
//! `origins=` are read apart from the setting, normalised, refused with a reason when malformed,
//! and written back; the API's state is the link's keys with numbers and flags typed; a change
//! is checked as a link is and refused whole, and `setState(getState())` is the identity. If it
//! fails, an embedding page gets a wrong allow-list, or the API changes the state on bad input.

use lyapunov_lens::lab::embed_link::{embed_keys, parse_embed_keys, parse_origin, EmbedLink};
use lyapunov_lens::lab::link_object::{apply_changes, link_object, LinkValue};
use lyapunov_lens::lab::url_state::{parse_hash, to_hash, PageState};

#[test]
fn origins_are_normalised_or_refused() {
    for (text, want) in [
        ("https://lms.example.edu", "https://lms.example.edu"),
        ("HTTPS://LMS.Example.edu/", "https://lms.example.edu"),
        ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
        ("http://[::1]:3000", "http://[::1]:3000"),
    ] {
        assert_eq!(parse_origin(text).as_deref(), Ok(want), "{text}");
    }
    for text in [
        "lms.example.edu",
        "javascript://x",
        "https://a.edu/course",
        "https://user@a.edu",
        "https://a.edu:99999",
        "https://a.edu:0",
        "https://",
        "https://a b.edu",
        "*",
        "null",
    ] {
        let e = parse_origin(text).unwrap_err();
        assert!(e.contains("is not an origin"), "{text}: {e}");
    }
}

#[test]
fn embed_keys_are_read_apart_and_written_back() {
    let hash =
        "#system=lorenz&embed=1&origins=https://a.edu,https://A.edu/,ftp://x,https://b.org:8443";
    let (link, notices) = parse_embed_keys(hash);
    assert_eq!(
        link,
        EmbedLink {
            embed: true,
            origins: vec!["https://a.edu".into(), "https://b.org:8443".into()]
        }
    );
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert!(notices[0].contains("only http and https"), "{notices:?}");
    // The setting's parser leaves them alone: no "unknown setting" notice.
    let (_, notices) = parse_hash(hash);
    assert!(notices.is_empty(), "{notices:?}");
    assert_eq!(
        embed_keys(&link),
        "&embed=1&origins=https://a.edu,https://b.org:8443"
    );
    assert_eq!(embed_keys(&EmbedLink::default()), "");
    assert!(link.allows("https://a.edu", "http://127.0.0.1:1"));
    assert!(link.allows("http://127.0.0.1:1", "http://127.0.0.1:1"));
    assert!(!link.allows("https://evil.example", "http://127.0.0.1:1"));
    let (bad, notices) = parse_embed_keys("#embed=yes");
    assert!(!bad.embed);
    assert_eq!(
        notices,
        vec!["embed: 'yes' is not 1 or 0; using 0".to_string()]
    );
}

#[test]
fn the_state_object_types_the_link_and_round_trips() {
    let hash = to_hash(&PageState::default()) + "&embed=1&origins=https://a.edu";
    let object = link_object(&hash);
    let get = |k: &str| {
        object
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
    };
    assert_eq!(
        get("system"),
        Some(LinkValue::Text("lotka-volterra".into()))
    );
    assert_eq!(get("sigma"), Some(LinkValue::Number(2.0)));
    assert_eq!(get("lr"), Some(LinkValue::Number(0.01)));
    assert_eq!(get("playing"), Some(LinkValue::Flag(true)));
    assert_eq!(get("embed"), None);
    assert_eq!(get("origins"), None);
    // setState(getState()) gives the same hash (the embedding keys are the page's own).
    let plain = to_hash(&PageState::default());
    assert_eq!(apply_changes(&plain, &object), Ok(plain.clone()));
}

#[test]
fn a_change_is_checked_as_a_link_and_refused_whole() {
    let current = to_hash(&PageState::default());
    let change = |pairs: &[(&str, LinkValue)]| {
        let pairs: Vec<(String, LinkValue)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect();
        apply_changes(&current, &pairs)
    };
    let ok = change(&[
        ("sigma", LinkValue::Number(0.5)),
        ("playing", LinkValue::Flag(false)),
    ])
    .unwrap();
    let (state, notices) = parse_hash(&ok);
    assert!(notices.is_empty());
    assert_eq!((state.config.sigma, state.playing), (0.5, false));
    for (pairs, reason) in [
        (
            vec![("sigma", LinkValue::Number(1e9))],
            "sigma: 1000000000 is outside",
        ),
        (vec![("seed", LinkValue::Number(1.5))], "not a whole number"),
        (
            vec![("bogus", LinkValue::Number(1.0))],
            "unknown setting 'bogus'",
        ),
        (
            vec![("system", LinkValue::Text("weather".into()))],
            "system:",
        ),
        (
            vec![("origins", LinkValue::Text("https://evil.example".into()))],
            "origins belongs to the embedding page",
        ),
        (
            vec![("sigma", LinkValue::Flag(true))],
            "true or false is only for",
        ),
        (
            vec![("playing", LinkValue::Text("yes".into()))],
            "playing: 'yes' is not 1 or 0",
        ),
        (
            vec![
                ("sigma", LinkValue::Number(0.5)),
                ("alpha", LinkValue::Text("x&y=1".into())),
            ],
            "alpha: 'x&y=1' is not a number",
        ),
    ] {
        let pairs: Vec<(&str, LinkValue)> = pairs;
        let e = change(&pairs).unwrap_err();
        assert!(
            e.starts_with("the change was refused, nothing was changed: "),
            "{e}"
        );
        assert!(e.contains(reason), "{reason}: {e}");
    }
    // A new system starts from its own defaults, keeping the view keys.
    let lorenz = change(&[
        ("system", LinkValue::Text("lorenz".into())),
        ("rho", LinkValue::Number(20.0)),
    ])
    .unwrap();
    let (state, notices) = parse_hash(&lorenz);
    assert!(notices.is_empty(), "{notices:?}");
    assert_eq!(state.config.get("rho"), Some(20.0));
    assert!(state.playing);
    // A JSON null, array or object is refused by name.
    let e = LinkValue::from_json("sigma", &serde_json::json!(null)).unwrap_err();
    assert_eq!(
        e,
        "sigma: a value must be a number, a string or a boolean, not null"
    );
    assert_eq!(
        LinkValue::from_json("n", &serde_json::json!(500)),
        Ok(LinkValue::Number(500.0))
    );
}
