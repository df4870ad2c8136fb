//! A link's settings as named values, for the page's JavaScript API (`getState`, `setState`):
//! the keys and values of the URL hash ([`crate::lab::url_state`]), with numbers as numbers and
//! the flags `playing` and `big` as booleans. A change is applied to a link's hash and checked
//! exactly as a link is: a value a link would clamp, round or ignore (every notice a link gets)
//! refuses the whole change, with those notices as the reason, so a refused change changes
//! nothing. The embedding keys ([`crate::lab::embed_link`]) belong to the embedding page and
//! cannot be read or changed this way.

use crate::lab::embed_link::EMBED_KEYS;
use crate::lab::link_text::{echo, hash_pairs};
use crate::lab::url_state::{parse_data_keys, parse_hash};
use serde::Serialize;

/// One setting's value.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum LinkValue {
    Flag(bool),
    Number(f64),
    Text(String),
}

/// Keys whose value is 1 or 0, shown as booleans.
const FLAG_KEYS: [&str; 2] = ["playing", "big"];
/// Keys whose value is a name or a list, never a number.
const TEXT_KEYS: [&str; 10] = [
    "system",
    "model",
    "measure",
    "measure_at",
    "noise",
    "projection",
    "hide",
    "preset",
    "data",
    "fit",
];
/// Keys a change of system or preset keeps from the current link (the rest belong to the old
/// system or preset).
const VIEW_KEYS: [&str; 4] = ["playing", "big", "hide", "steps_per_frame"];

impl LinkValue {
    /// A JSON value as a setting: a boolean, a finite number or a string; anything else (null,
    /// an array, an object) is refused, naming `key`.
    pub fn from_json(key: &str, value: &serde_json::Value) -> Result<LinkValue, String> {
        match value {
            serde_json::Value::Bool(b) => Ok(LinkValue::Flag(*b)),
            serde_json::Value::Number(n) => n
                .as_f64()
                .filter(|v| v.is_finite())
                .map(LinkValue::Number)
                .ok_or_else(|| format!("{}: {n} is not a finite number", echo(key))),
            serde_json::Value::String(s) => Ok(LinkValue::Text(s.clone())),
            other => Err(format!(
                "{}: a value must be a number, a string or a boolean, not {}",
                echo(key),
                match other {
                    serde_json::Value::Null => "null",
                    serde_json::Value::Array(_) => "an array",
                    _ => "an object",
                }
            )),
        }
    }

    /// The value as a link writes it.
    fn link_text(&self) -> String {
        match self {
            LinkValue::Flag(b) => u8::from(*b).to_string(),
            LinkValue::Number(v) => v.to_string(),
            LinkValue::Text(s) => s.clone(),
        }
    }
}

/// The settings of `hash` (as the page writes it), by key, in the hash's order, without the
/// embedding keys.
pub fn link_object(hash: &str) -> Vec<(String, LinkValue)> {
    let mut ignored = Vec::new();
    hash_pairs(hash, false, &mut ignored)
        .into_iter()
        .filter(|(k, _)| !EMBED_KEYS.contains(&k.as_str()))
        .map(|(key, text)| {
            let value = if FLAG_KEYS.contains(&key.as_str()) && (text == "1" || text == "0") {
                LinkValue::Flag(text == "1")
            } else if TEXT_KEYS.contains(&key.as_str()) {
                LinkValue::Text(text)
            } else {
                match text.parse::<f64>() {
                    Ok(v) if v.is_finite() => LinkValue::Number(v),
                    _ => LinkValue::Text(text),
                }
            };
            (key, value)
        })
        .collect()
}

/// Percent-encodes what would break a hash's `key=value&…` (keeps letters, digits, `-._~,:`).
fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~,:".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The hash `current` with `changes` applied, checked as a link is: `Err` with every reason
/// when a key is unknown or an embedding key, or a value is one a link would not take as given.
/// A new system or preset starts from its own defaults (keeping play, text size, hidden
/// controls and pace), as a link naming it does.
pub fn apply_changes(current: &str, changes: &[(String, LinkValue)]) -> Result<String, String> {
    let mut refused: Vec<String> = changes
        .iter()
        .filter(|(k, _)| EMBED_KEYS.contains(&k.as_str()))
        .map(|(k, _)| format!("{k} belongs to the embedding page's link and cannot be set"))
        .collect();
    let mut pairs: Vec<(String, String)> = link_object(current)
        .into_iter()
        .map(|(k, v)| (k, v.link_text()))
        .collect();
    let switches = changes.iter().any(|(k, v)| {
        (k == "system" || k == "preset")
            && !pairs.iter().any(|(pk, pv)| pk == k && *pv == v.link_text())
    });
    if switches {
        pairs.retain(|(k, _)| VIEW_KEYS.contains(&k.as_str()));
    }
    for (key, value) in changes {
        if EMBED_KEYS.contains(&key.as_str()) {
            continue;
        }
        if matches!(value, LinkValue::Flag(_)) && !FLAG_KEYS.contains(&key.as_str()) {
            refused.push(format!(
                "{}: true or false is only for {}",
                echo(key),
                FLAG_KEYS.join(" and ")
            ));
            continue;
        }
        let text = value.link_text();
        match pairs.iter_mut().find(|(k, _)| k == key) {
            Some(pair) => pair.1 = text,
            None => pairs.push((key.clone(), text)),
        }
    }
    let hash = format!(
        "#{}",
        pairs
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect::<Vec<_>>()
            .join("&")
    );
    let (state, notices) = parse_hash(&hash);
    refused.extend(notices);
    refused.extend(parse_data_keys(&hash).2);
    if let Err(e) = state.config.validate() {
        refused.push(e.to_string());
    }
    if refused.is_empty() {
        Ok(hash)
    } else {
        Err(format!(
            "the change was refused, nothing was changed: {}",
            refused.join("; ")
        ))
    }
}
