//! The audio trace (after Desmos's): a button plays the run along time with Web Audio, one voice
//! whose pitch follows attention and a lower one following the sensitivity measure, for a few
//! seconds. Every pitch and volume change is scheduled up front (`setValueAtTime`,
//! `linearRampToValueAtTime`) from `lab::audio_trace_score`, not per frame; Stop ends it at
//! once. Without Web Audio the button is disabled with its reason.

use crate::lab::audio_trace_score::{
    score, Note, ATTENTION_LOW_HZ, DURATION_S, MEASURE_LOW_HZ, OCTAVES,
};
use crate::lab::session::Session;
use crate::number_text::fixed;
use crate::web::elements::{button, disable_with_reason, element};
use crate::web::plots::Plots;
use wasm_bindgen::prelude::*;
use web_sys::{AudioContext, Document, GainNode, HtmlElement, OscillatorNode, OscillatorType};

/// The button's tooltip when Web Audio is there.
const TITLE: &str = "Play the run as sound along time: the higher voice follows attention, the lower voice the sensitivity measure";
/// Loudness of the attention voice and of the measure voice (0..1).
const ATTENTION_GAIN: f32 = 0.12;
const MEASURE_GAIN: f32 = 0.08;
/// Fade in and out (s), and how far ahead playing starts (s).
const FADE_S: f64 = 0.04;
const LEAD_S: f64 = 0.06;

/// One playing trace: its context and voices, and when it ends on the page's clock (ms).
struct Playing {
    context: AudioContext,
    voices: Vec<OscillatorNode>,
    ends_ms: f64,
}

pub struct AudioTrace {
    pub button: HtmlElement,
    status: HtmlElement,
    playing: Option<Playing>,
    supported: bool,
}

/// Whether the browser has Web Audio.
fn has_web_audio() -> bool {
    web_sys::window().is_some_and(|w| {
        js_sys::Reflect::get(&w, &JsValue::from_str("AudioContext")).is_ok_and(|v| v.is_function())
    })
}

/// A voice: an oscillator through a gain to the speakers, its pitch and loudness following
/// `notes` from `t0` (s, on the context's clock).
fn voice(
    context: &AudioContext,
    t0: f64,
    notes: &[Note],
    pitch: impl Fn(&Note) -> Option<f64>,
    loudness: f32,
    kind: OscillatorType,
) -> Result<OscillatorNode, JsValue> {
    let osc = context.create_oscillator()?;
    osc.set_type(kind);
    let gain: GainNode = context.create_gain()?;
    osc.connect_with_audio_node(&gain)?;
    gain.connect_with_audio_node(&context.destination())?;
    let (f, g) = (osc.frequency(), gain.gain());
    let first = notes.iter().find_map(&pitch).unwrap_or(MEASURE_LOW_HZ);
    f.set_value_at_time(first as f32, t0)?;
    g.set_value_at_time(0.0, t0)?;
    let mut last = first;
    // The loudness holds between changes: a change ramps from the previous note's time.
    let (mut level_before, mut before_s) = (0.0_f32, t0);
    for (k, note) in notes.iter().enumerate() {
        let at = t0 + note.at_s.max(FADE_S);
        let level = match pitch(note) {
            Some(hz) => {
                last = hz;
                loudness
            }
            None => 0.0,
        };
        f.linear_ramp_to_value_at_time(last as f32, t0 + note.at_s)?;
        if k == 0 || level != level_before {
            if k > 0 {
                g.linear_ramp_to_value_at_time(level_before, before_s)?;
            }
            g.linear_ramp_to_value_at_time(level, at)?;
            level_before = level;
        }
        before_s = at;
    }
    g.linear_ramp_to_value_at_time(level_before, t0 + DURATION_S)?;
    let end = t0 + DURATION_S;
    g.linear_ramp_to_value_at_time(0.0, end + FADE_S)?;
    osc.start_with_when(t0)?;
    osc.stop_with_when(end + 2.0 * FADE_S)?;
    Ok(osc)
}

impl AudioTrace {
    /// The button and its status line, under the time plot.
    pub fn new(document: &Document, plots: &Plots) -> Result<Self, JsValue> {
        let row: HtmlElement = element(document, "div", "audio-trace")?;
        let button = button(document, "audio-trace", "Play audio trace", TITLE)?;
        button.set_attribute("aria-pressed", "false")?;
        let status: HtmlElement = element(document, "p", "hint")?;
        status.set_id("audio-trace-status");
        button.set_attribute("aria-describedby", "audio-trace-status")?;
        row.append_child(&button)?;
        row.append_child(&status)?;
        match plots.fig5.canvas.wrapper.parent_element() {
            Some(figure) => figure.append_child(&row)?,
            None => plots.fig5.canvas.wrapper.append_child(&row)?,
        };
        let supported = has_web_audio();
        if supported {
            status.set_text_content(Some(&format!(
                "{} s of sound: the higher voice follows attention ({}–{} Hz), the lower one the measure ({}–{} Hz).",
                fixed(DURATION_S, 0),
                fixed(ATTENTION_LOW_HZ, 0),
                fixed(ATTENTION_LOW_HZ * 2f64.powf(OCTAVES), 0),
                fixed(MEASURE_LOW_HZ, 0),
                fixed(MEASURE_LOW_HZ * 2f64.powf(OCTAVES), 0),
            )));
        } else {
            disable_with_reason(
                &button,
                &status,
                Some("No audio trace: this browser has no Web Audio (AudioContext)."),
                TITLE,
            );
        }
        Ok(AudioTrace {
            button,
            status,
            playing: None,
            supported,
        })
    }

    /// The button: plays `session`'s run (attention and its measure), or stops the playing one.
    pub fn toggle(&mut self, session: &Session, now_ms: f64) {
        if self.playing.is_some() {
            self.stop();
            return;
        }
        if !self.supported {
            return;
        }
        match self.play(session, now_ms) {
            Ok(()) => {
                self.button.set_text_content(Some("Stop audio trace"));
                let _ = self.button.set_attribute("aria-pressed", "true");
                let _ = self.button.set_attribute("data-playing", "true");
            }
            Err(e) => {
                self.stop();
                self.status.set_text_content(Some(&format!(
                    "The audio trace could not play: {}.",
                    e.as_string().unwrap_or_else(|| format!("{e:?}"))
                )));
            }
        }
    }

    fn play(&mut self, session: &Session, now_ms: f64) -> Result<(), JsValue> {
        let notes = score(session.attention(), session.sensitivity());
        if notes.is_empty() {
            return Err(JsValue::from_str("there are no samples to play"));
        }
        let context = AudioContext::new()?;
        let t0 = context.current_time() + LEAD_S;
        let attention = voice(
            &context,
            t0,
            &notes,
            |n| Some(n.attention_hz),
            ATTENTION_GAIN,
            OscillatorType::Sine,
        )?;
        let measure = voice(
            &context,
            t0,
            &notes,
            |n| n.measure_hz,
            MEASURE_GAIN,
            OscillatorType::Triangle,
        )?;
        let _ = self
            .button
            .set_attribute("data-notes", &notes.len().to_string());
        self.playing = Some(Playing {
            context,
            voices: vec![attention, measure],
            ends_ms: now_ms + (LEAD_S + DURATION_S + 3.0 * FADE_S) * 1000.0,
        });
        Ok(())
    }

    /// Stops the sound now and puts the button back.
    pub fn stop(&mut self) {
        if let Some(p) = self.playing.take() {
            for v in &p.voices {
                let _ = v.stop();
            }
            let _ = p.context.close();
        }
        self.button.set_text_content(Some("Play audio trace"));
        let _ = self.button.set_attribute("aria-pressed", "false");
        let _ = self.button.set_attribute("data-playing", "false");
    }

    /// Called every frame: puts the button back once the trace has ended.
    pub fn poll(&mut self, now_ms: f64) {
        if self.playing.as_ref().is_some_and(|p| now_ms >= p.ends_ms) {
            self.stop();
        }
    }
}
