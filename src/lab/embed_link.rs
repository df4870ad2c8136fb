//! The keys of a link that embed the lab in another page (an LMS, a course page): `embed=1` (the
//! compact layout for an iframe) and `origins=https://lms.example.edu,https://b.example.org`
//! (the pages that may drive the lab by `postMessage`; without it only the lab's own origin may).
//! They belong to the embedding page, not to the setting: [`parse_hash`](crate::lab::url_state::parse_hash)
//! leaves them to [`parse_embed_keys`], the page writes them back with [`embed_keys`], and the
//! API's `setState` cannot change them.

use crate::lab::link_text::{echo, hash_pairs};

/// The embedding keys.
pub const EMBED_KEYS: [&str; 2] = ["embed", "origins"];

/// Most origins a link may allow (a longer list is cut, with a notice).
pub const MAX_ORIGINS: usize = 8;

/// What a link says about embedding.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EmbedLink {
    /// The compact layout.
    pub embed: bool,
    /// Origins (`scheme://host[:port]`, normalised) allowed to call the API by `postMessage`,
    /// besides the lab's own.
    pub origins: Vec<String>,
}

impl EmbedLink {
    /// Whether a message from `origin` may call the API, on a page served from `own`.
    pub fn allows(&self, origin: &str, own: &str) -> bool {
        origin == own || self.origins.iter().any(|o| o == origin)
    }
}

/// An origin as browsers write `event.origin`: `http` or `https`, a host in lower case, an
/// optional port, nothing else (a trailing `/` is dropped). Anything else is refused, with why.
pub fn parse_origin(text: &str) -> Result<String, String> {
    let text = text.trim();
    let refuse = |why: &str| Err(format!("'{}' is not an origin: {why}", echo(text)));
    let Some((scheme, rest)) = text.split_once("://") else {
        return refuse("it has no scheme:// (write e.g. https://lms.example.edu)");
    };
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "https" && scheme != "http" {
        return refuse("only http and https pages can embed the lab");
    }
    let rest = rest.strip_suffix('/').unwrap_or(rest);
    if rest.contains(['/', '?', '#', '@', '\\', ' ']) {
        return refuse("an origin has no path, query, user or spaces");
    }
    // An IPv6 address is bracketed: [::1]:8080.
    let (host, port) = match rest.find(']') {
        Some(end) if rest.starts_with('[') => match &rest[end + 1..] {
            "" => (&rest[..=end], None),
            tail => match tail.strip_prefix(':') {
                Some(p) => (&rest[..=end], Some(p)),
                None => return refuse("its host is not a name or an address"),
            },
        },
        _ => match rest.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (rest, None),
        },
    };
    let host_ok = if let Some(inner) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        !inner.is_empty()
            && inner
                .chars()
                .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.')
    } else {
        !host.is_empty()
            && host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
    };
    if !host_ok {
        return refuse("its host is not a name or an address");
    }
    let port = match port {
        None => String::new(),
        Some(p) => match p.parse::<u16>() {
            Ok(n) if n > 0 => format!(":{n}"),
            _ => return refuse("its port is not a number 1–65535"),
        },
    };
    Ok(format!("{scheme}://{}{port}", host.to_ascii_lowercase()))
}

/// The embedding keys of a hash, with one notice per value that was refused.
pub fn parse_embed_keys(hash: &str) -> (EmbedLink, Vec<String>) {
    let mut link = EmbedLink::default();
    let mut notices = Vec::new();
    // Repeated keys are reported by parse_hash (these are not data keys).
    let mut ignored = Vec::new();
    for (key, value) in hash_pairs(hash, false, &mut ignored) {
        match key.as_str() {
            "embed" => match value.as_str() {
                "1" | "" => link.embed = true,
                "0" => link.embed = false,
                _ => notices.push(format!("embed: '{}' is not 1 or 0; using 0", echo(&value))),
            },
            "origins" => {
                for text in value.split(',').filter(|t| !t.trim().is_empty()) {
                    match parse_origin(text) {
                        Ok(o) if link.origins.contains(&o) => {}
                        Ok(_) if link.origins.len() == MAX_ORIGINS => {
                            notices.push(format!(
                                "origins: at most {MAX_ORIGINS} are allowed; '{}' is not",
                                echo(text.trim())
                            ));
                        }
                        Ok(o) => link.origins.push(o),
                        Err(e) => notices.push(format!("origins: {e}; it is not allowed")),
                    }
                }
            }
            _ => {}
        }
    }
    (link, notices)
}

/// The embedding keys to append to a page's hash: `&embed=1&origins=…`, nothing for a page that
/// is not embedded.
pub fn embed_keys(link: &EmbedLink) -> String {
    let mut keys = String::new();
    if link.embed {
        keys.push_str("&embed=1");
    }
    if !link.origins.is_empty() {
        keys.push_str("&origins=");
        keys.push_str(&link.origins.join(","));
    }
    keys
}
