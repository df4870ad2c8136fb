//! The lab's side of the page's JavaScript API (`getState`, `setState`, `report`, `play`,
//! `pause`, on the exported `App` and by `postMessage`), and the embedding link (`embed=1`, the
//! compact layout; `origins=`, who may call the API by message). The state is the link's
//! settings ([`crate::lab::link_object`]); a change goes through the same checks as a link and is
//! refused whole, with the link's own messages, or applied at once.

use super::Lab;
use crate::analysis::intervals::Interval;
use crate::lab::embed_link::{embed_keys, parse_embed_keys, EmbedLink};
use crate::lab::link_object::{apply_changes, link_object, LinkValue};
use crate::lab::seed_ensemble::ENSEMBLE_SEEDS;
use crate::lab::url_state::{data_keys, parse_hash, to_hash};
use crate::web::panels::status_line::describe;
use serde::Serialize;

/// The current reading, as `report()` returns it.
#[derive(Serialize)]
pub struct Report {
    /// The verdict as the page shows it.
    pub verdict: String,
    /// Whether the verdict has settled: training finished and the ensemble over noise draws
    /// read (it will not change until the setting does).
    pub settled: bool,
    /// Whether it may still change (the opposite of `settled`).
    pub provisional: bool,
    /// Whether this draw's training has converged.
    pub converged: bool,
    /// Whether the measure varies along the run (false: it is constant, up to rounding, and no
    /// alignment can be measured).
    pub measurable: bool,
    /// The training status (adam, finishing, testing, converged, stalled, diverged) and its words.
    pub status: &'static str,
    pub status_text: String,
    /// Optimizer steps taken, and the training loss.
    pub step: u64,
    pub loss: f64,
    /// The measure attention is compared with.
    pub measure: &'static str,
    /// The alignment statistic of this draw: Spearman ρ (and Pearson r) between attention and
    /// the measure (null when undefined).
    pub rho: Option<f64>,
    pub pearson: Option<f64>,
    /// The 95% interval (BCa bootstrap) of the mean ρ over the noise draws, once every draw is
    /// read (null before, and without an ensemble).
    pub rho_interval: Option<Interval>,
    /// The ensemble over noise draws, once read.
    pub ensemble: Option<EnsembleReport>,
}

/// What the ensemble over noise draws says.
#[derive(Serialize)]
pub struct EnsembleReport {
    pub seeds_read: usize,
    pub seeds: usize,
    /// Draws with ρ below and above zero, and the sign test's two-sided p-value.
    pub rho_below_zero: usize,
    pub rho_above_zero: usize,
    pub p_value: f64,
    /// The share of draws with ρ < 0 and its Clopper–Pearson interval.
    pub share_below_zero: Option<Interval>,
}

impl Lab {
    /// Reads the embedding keys of `hash` (the page opened, or its hash was edited): the compact
    /// layout and the allow-list. Returns notices about what in them was refused.
    pub(super) fn open_embedding(&mut self, hash: &str) -> Vec<String> {
        let (embed, notices) = parse_embed_keys(hash);
        let _ = self
            .root
            .class_list()
            .toggle_with_force("embed", embed.embed);
        self.link.embed = embed;
        notices
    }

    /// The embedding keys the link carries.
    pub fn embedding(&self) -> &EmbedLink {
        &self.link.embed
    }

    /// The hash of the current state (without the embedding keys).
    pub(super) fn setting_hash(&self) -> String {
        to_hash(&self.page_state()) + &data_keys(self.fit.choice, self.fit.linked_fit())
    }

    /// The hash the address bar should show: the setting's and the embedding keys.
    pub(super) fn full_hash(&self) -> String {
        self.setting_hash() + &embed_keys(&self.link.embed)
    }

    /// `getState()`: the link's settings, by key.
    pub fn api_state(&self) -> Vec<(String, LinkValue)> {
        link_object(&self.setting_hash())
    }

    /// `setState(changes)`: applies `changes` (keys of the link) at once, or refuses them whole
    /// with the link's messages, leaving the state as it was. Returns the new state.
    pub fn api_set_state(
        &mut self,
        changes: &[(String, LinkValue)],
    ) -> Result<Vec<(String, LinkValue)>, String> {
        let current = self.setting_hash();
        let hash = apply_changes(&current, changes)?;
        if hash != current {
            let (state, _) = parse_hash(&hash);
            self.apply_page_state(&state);
            let notices = self.open_data(&hash);
            // Applied now, not at the next frame, so that getState() reads the new state.
            self.requests.controls_changed = false;
            self.apply_controls();
            self.dirty.stats_now = true;
            if !notices.is_empty() {
                self.notice.show(&notices.join("; "));
            }
        }
        Ok(self.api_state())
    }

    /// `play()` and `pause()`: as the Play button (a diverged model does not play).
    pub fn api_play(&mut self, playing: bool) -> Result<(), String> {
        if playing && !self.training.playing && self.session.diverged().is_some() {
            return Err(
                "training diverged: lower the learning rate or reset the model, then play".into(),
            );
        }
        self.set_playing(playing);
        Ok(())
    }

    /// `report()`: the current reading.
    pub fn api_report(&mut self) -> Report {
        let verdict = self.verdict_line();
        let settled = self.verdict_settled();
        let session = &self.session;
        let m = session.metrics();
        let (status, status_text) = describe(session.training_status(), session.steps());
        let ensemble = self
            .background
            .evidence()
            .map(|(e, read)| (e.clone(), read));
        let total = ENSEMBLE_SEEDS as usize;
        let complete = ensemble.as_ref().is_some_and(|(_, read)| *read == total);
        Report {
            verdict,
            settled,
            provisional: !settled,
            converged: session.training_status().is_converged(),
            measurable: m.measure_flat.is_none(),
            status,
            status_text,
            step: session.steps(),
            loss: m.loss,
            measure: session.config().measure.symbol(),
            rho: m.spearman,
            pearson: m.pearson,
            rho_interval: ensemble
                .as_ref()
                .filter(|_| complete)
                .and_then(|(e, _)| e.mean),
            ensemble: ensemble.map(|(e, read)| EnsembleReport {
                seeds_read: read,
                seeds: total,
                rho_below_zero: e.negative,
                rho_above_zero: e.positive,
                p_value: e.p_value,
                share_below_zero: e.share_negative,
            }),
        }
    }
}
