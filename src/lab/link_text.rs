//! The text of a link's hash: its decoded `key=value` pairs (the first of a repeated key wins,
//! with a notice), and values as notices echo them (cut to [`ECHO_CHARS`] characters).

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

/// The decoded `key=value` pairs of a hash, in order, each key once: the first value given wins,
/// and a key given again is reported in `notices` if `data_keys` says whether it is one of
/// [`DATA_KEYS`] (reported by [`parse_data_keys`](crate::lab::url_state::parse_data_keys); the others by [`parse_hash`](crate::lab::url_state::parse_hash)).
pub(crate) fn hash_pairs(
    hash: &str,
    data_keys: bool,
    notices: &mut Vec<String>,
) -> Vec<(String, String)> {
    let all: Vec<(String, String)> = hash
        .trim_start_matches('#')
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect();
    let mut pairs: Vec<(String, String)> = Vec::new();
    for (key, value) in &all {
        if pairs.iter().any(|(k, _)| k == key) {
            continue;
        }
        let times = all.iter().filter(|(k, _)| k == key).count();
        if times > 1 && DATA_KEYS.contains(&key.as_str()) == data_keys {
            let times = if times == 2 {
                "twice".into()
            } else {
                format!("{times} times")
            };
            notices.push(format!(
                "{} given {times}; using the first, '{}'",
                echo(key),
                echo(value)
            ));
        }
        pairs.push((key.clone(), value.clone()));
    }
    pairs
}

/// The longest value a notice echoes: a longer one is cut, with an ellipsis.
pub const ECHO_CHARS: usize = 40;

/// `text` as a notice echoes it: at most [`ECHO_CHARS`] characters, then "…".
pub fn echo(text: &str) -> String {
    match text.char_indices().nth(ECHO_CHARS) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

/// Parses a name (a system, a model, …). Every name is short, so a value cut by [`echo`]
/// parses the same way, and the error quotes at most [`ECHO_CHARS`] characters of it.
pub(crate) fn parse_name<T: std::str::FromStr<Err = String>>(value: &str) -> Result<T, String> {
    echo(value).parse()
}

/// The data keys, which [`parse_data_keys`](crate::lab::url_state::parse_data_keys) reads and [`parse_hash`](crate::lab::url_state::parse_hash) leaves to it.
pub(crate) const DATA_KEYS: [&str; 2] = ["data", "fit"];
