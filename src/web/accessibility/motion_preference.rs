//! `prefers-reduced-motion`. When the user's system asks for reduced motion, the page opens
//! paused (unless its link says `playing=1`), says so in the notice, and while training plays it
//! redraws the plots at most every [`REDUCED_MOTION_REDRAW_MS`] instead of every frame; the
//! style sheet drops transitions and smooth scrolling.

/// The plots' hot layers are redrawn at most this often (ms) under reduced motion.
pub const REDUCED_MOTION_REDRAW_MS: f64 = 500.0;

/// Whether the user's system asks for reduced motion.
pub fn prefers_reduced_motion() -> bool {
    web_sys::window()
        .and_then(|w| {
            w.match_media("(prefers-reduced-motion: reduce)")
                .ok()
                .flatten()
        })
        .is_some_and(|m| m.matches())
}

/// Whether the link `hash` says whether to play (a `playing` key): then it is obeyed.
pub fn link_says_playing(hash: &str) -> bool {
    hash.trim_start_matches('#')
        .split('&')
        .any(|pair| pair.split('=').next() == Some("playing"))
}
