//! The page's whole state in the URL hash, for links a teacher can hand out:
//! `#alpha=1&beta=0.1&…&sigma=2&seed=0&lr=0.01&steps_per_frame=20&model=paper-linear&playing=1`,
//! plus `preset=ID`, `hide=sigma,lr` (controls to hide) and `big=1` (large text).
//!
//! Parsing never fails. A malformed value falls back to its default, an out-of-range one is
//! clamped to the slider's range, and an unknown key is ignored; each is reported in a notice,
//! and the rest of the hash still applies. Numbers are written in shortest round-trip form, so
//! a link restores the exact state: the same seed, the same data, the same numbers after the
//! same steps.

use crate::config::{self, Config, STEPS_PER_FRAME};
use crate::model::ModelKind;
use crate::presets;

/// Everything the page shows that a link can carry.
#[derive(Debug, Clone, PartialEq)]
pub struct PageState {
    pub config: Config,
    pub steps_per_frame: usize,
    pub playing: bool,
    pub preset: Option<&'static str>,
    /// Controls hidden from students, by name.
    pub hidden: Vec<String>,
    /// Large-text mode for projectors.
    pub big: bool,
}

impl Default for PageState {
    fn default() -> Self {
        PageState {
            config: Config::default(),
            steps_per_frame: STEPS_PER_FRAME.default as usize,
            playing: true,
            preset: None,
            hidden: Vec::new(),
            big: false,
        }
    }
}

/// Names `hide=` accepts: every control's id.
pub fn control_names() -> Vec<&'static str> {
    config::parameters()
        .map(|p| p.name)
        .chain(["steps_per_frame", "model"])
        .collect()
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'%' && i + 2 < bytes.len())
            .then(|| {
                std::str::from_utf8(&bytes[i + 1..i + 3])
                    .ok()
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
            })
            .flatten();
        match (escaped, bytes[i]) {
            (Some(b), _) => {
                out.push(b);
                i += 3;
            }
            (None, b'+') => {
                out.push(b' ');
                i += 1;
            }
            (None, b) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Parses a hash (with or without the leading `#`) into a state, with one notice per value that
/// was changed or ignored.
pub fn parse_hash(hash: &str) -> (PageState, Vec<String>) {
    let mut state = PageState::default();
    let mut notices = Vec::new();
    let pairs: Vec<(String, String)> = hash
        .trim_start_matches('#')
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect();
    // A preset sets every control first; explicit keys then override it.
    if let Some((_, id)) = pairs.iter().find(|(k, _)| k == "preset") {
        match presets::find(id) {
            Some(p) => {
                let (config, spf) = p.settings();
                state.config = config;
                state.steps_per_frame = spf;
                state.preset = Some(p.id);
            }
            None => notices.push(format!("preset '{id}' does not exist; no preset applied")),
        }
    }
    for (key, value) in &pairs {
        let key = key.as_str();
        match key {
            "preset" => {}
            "model" => match value.parse::<ModelKind>() {
                Ok(m) => state.config.model = m,
                Err(e) => notices.push(format!("model: {e}; using {}", state.config.model)),
            },
            "playing" | "big" => {
                let flag = match value.as_str() {
                    "1" | "true" | "yes" | "" => Some(true),
                    "0" | "false" | "no" => Some(false),
                    _ => None,
                };
                let target = if key == "playing" {
                    &mut state.playing
                } else {
                    &mut state.big
                };
                match flag {
                    Some(f) => *target = f,
                    None => notices.push(format!(
                        "{key}: '{value}' is not 1 or 0; using {}",
                        u8::from(*target)
                    )),
                }
            }
            "hide" => {
                let known = control_names();
                for name in value.split(',').map(str::trim).filter(|n| !n.is_empty()) {
                    if known.contains(&name) {
                        state.hidden.push(name.to_string());
                    } else {
                        notices.push(format!("hide: there is no control '{name}'"));
                    }
                }
            }
            _ => {
                let spec = if key == STEPS_PER_FRAME.name {
                    Some(&STEPS_PER_FRAME)
                } else {
                    config::parameter(key)
                };
                let Some(spec) = spec else {
                    notices.push(format!("unknown setting '{key}' ignored"));
                    continue;
                };
                let current = if key == STEPS_PER_FRAME.name {
                    state.steps_per_frame as f64
                } else {
                    state.config.get(key).unwrap_or(spec.default)
                };
                let value = match value.trim().parse::<f64>() {
                    Ok(v) if v.is_finite() => {
                        let clamped = v.clamp(spec.min, spec.max);
                        if clamped != v {
                            notices.push(format!(
                                "{key}: {} is outside {}–{}; using {clamped}",
                                value.trim(),
                                spec.min,
                                spec.max
                            ));
                        }
                        clamped
                    }
                    _ => {
                        notices.push(format!("{key}: '{value}' is not a number; using {current}"));
                        current
                    }
                };
                if key == STEPS_PER_FRAME.name {
                    state.steps_per_frame = value.round() as usize;
                } else {
                    // Every name here is a known numeric parameter with a finite value.
                    let _ = state.config.set(key, value);
                }
            }
        }
    }
    (state, notices)
}

/// The hash for a state, every control by name, in a fixed order.
pub fn to_hash(state: &PageState) -> String {
    let c = &state.config;
    let mut parts: Vec<String> = config::parameters()
        .map(|p| format!("{}={}", p.name, c.get(p.name).unwrap_or(p.default)))
        .collect();
    parts.push(format!("steps_per_frame={}", state.steps_per_frame));
    parts.push(format!("model={}", c.model));
    if let Some(p) = state.preset {
        parts.push(format!("preset={p}"));
    }
    parts.push(format!("playing={}", u8::from(state.playing)));
    if !state.hidden.is_empty() {
        parts.push(format!("hide={}", state.hidden.join(",")));
    }
    if state.big {
        parts.push("big=1".into());
    }
    format!("#{}", parts.join("&"))
}
