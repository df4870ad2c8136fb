//! "Record a clip": records the figure (the phase portrait and the sensitivity plot, side by
//! side) as a WebM video for slides, with `canvas.captureStream` and `MediaRecorder`. Each plot
//! is two stacked canvases, so every frame while recording composes their layers into one
//! offscreen canvas (four `drawImage` calls) and the stream records that canvas. A recording
//! stops at the time limit (counted down on the button) or when Stop is pressed, and the video
//! is offered as a download, `lyapunov-lens-<system>.webm`. Where the browser cannot record
//! WebM the button is disabled with the reason.

use crate::web::elements::{button, disable_with_reason, element, fieldset, reason_hint};
use crate::web::file_io;
use crate::web::plots::layered_canvas::{context, js_error_text, LayeredCanvas};
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{
    Blob, BlobEvent, BlobPropertyBag, CanvasRenderingContext2d, Document, Event, HtmlCanvasElement,
    HtmlElement, MediaRecorder, MediaRecorderOptions, MediaStream, MediaStreamTrack, Url,
};

/// The longest clip, in seconds.
pub const LIMIT_S: f64 = 20.0;
/// Frames per second asked of the stream.
const FPS: f64 = 30.0;
/// The widest video, in pixels (a phone at devicePixelRatio 3 would give 2,300 px).
const MAX_WIDTH: f64 = 1920.0;
/// Pixels between the two plots in the video.
const GAP: f64 = 16.0;
const MIME: &str = "video/webm";
const START_TEXT: &str = "Record a clip";
const START_TITLE: &str =
    "Record the phase portrait and the sensitivity plot as a WebM video (at most 20 s)";

/// One recording under way (or stopped, until the browser has handed over the video).
struct Recording {
    recorder: MediaRecorder,
    stream: MediaStream,
    started_ms: f64,
    /// Stop was pressed or the time ran out.
    stopping: bool,
    /// Set by the stop event once the video has been offered: the recording can be dropped.
    finished: Rc<Cell<bool>>,
    _on_data: Closure<dyn FnMut(BlobEvent)>,
    _on_stop: Closure<dyn FnMut(Event)>,
}

pub struct RecordClip {
    /// `#record-clip`: "Record a clip", or "Stop (N s left)" while recording.
    pub button: HtmlElement,
    /// `#record-status`: what is recorded, then what was saved.
    status: HtmlElement,
    canvas: HtmlCanvasElement,
    ctx: CanvasRenderingContext2d,
    recording: Option<Recording>,
    /// The seconds left last written on the button (rewritten when they change, not per frame).
    shown_seconds: i64,
}

/// Why this browser cannot record a WebM clip, if it cannot.
fn unsupported_reason() -> Option<&'static str> {
    let window = web_sys::window()?;
    let has = |name: &str| js_sys::Reflect::has(&window, &JsValue::from_str(name)).unwrap_or(false);
    if !has("MediaRecorder") {
        return Some("This browser cannot record video (it has no MediaRecorder).");
    }
    let canvas_proto = js_sys::Reflect::get(&window, &JsValue::from_str("HTMLCanvasElement"))
        .and_then(|c| js_sys::Reflect::get(&c, &JsValue::from_str("prototype")))
        .ok()?;
    if !js_sys::Reflect::has(&canvas_proto, &JsValue::from_str("captureStream")).unwrap_or(false) {
        return Some("This browser cannot record a canvas (it has no captureStream).");
    }
    if !MediaRecorder::is_type_supported(MIME) {
        return Some("This browser cannot record WebM video.");
    }
    None
}

impl RecordClip {
    /// The "Record a clip" group, appended to `panel`.
    pub fn new(document: &Document, panel: &HtmlElement) -> Result<Self, JsValue> {
        let group = fieldset(document, "Record a clip")?;
        let button = button(document, "record-clip", START_TEXT, START_TITLE)?;
        button.set_attribute("aria-pressed", "false")?;
        group.append_child(&button)?;
        let why = reason_hint(document, &button)?;
        group.append_child(&why)?;
        let status: HtmlElement = element(document, "p", "hint")?;
        status.set_id("record-status");
        status.set_attribute("role", "status")?;
        status.set_text_content(Some(
            "Records the phase portrait and the sensitivity plot side by side, up to 20 s, as a WebM video to download.",
        ));
        group.append_child(&status)?;
        panel.append_child(&group)?;
        disable_with_reason(&button, &why, unsupported_reason(), START_TITLE);
        let canvas: HtmlCanvasElement = element(document, "canvas", "")?;
        let ctx = context(&canvas)?;
        Ok(RecordClip {
            button,
            status,
            canvas,
            ctx,
            recording: None,
            shown_seconds: -1,
        })
    }

    fn is_recording(&self) -> bool {
        self.recording.as_ref().is_some_and(|r| !r.stopping)
    }

    /// The button was pressed: stop a recording under way, or start one of `plots` at `now_ms`
    /// that will download as `lyapunov-lens-<system>.webm`.
    pub fn toggle(
        &mut self,
        document: &Document,
        plots: [&LayeredCanvas; 2],
        system: &str,
        now_ms: f64,
    ) {
        if self.is_recording() {
            self.stop();
        } else if let Err(e) = self.start(document, plots, system, now_ms) {
            self.status
                .set_text_content(Some(&format!("Recording failed: {}.", js_error_text(&e))));
            self.recording = None;
            self.show_idle();
        }
    }

    fn start(
        &mut self,
        document: &Document,
        plots: [&LayeredCanvas; 2],
        system: &str,
        now_ms: f64,
    ) -> Result<(), JsValue> {
        let width: f64 = plots.iter().map(|p| p.size().0).sum::<f64>() + GAP;
        let height = plots.iter().map(|p| p.size().1).fold(1.0, f64::max);
        let scale = (MAX_WIDTH / width).min(1.0);
        // Even sizes: video encoders want them.
        let even = |v: f64| ((v * scale / 2.0).round() as u32).max(1) * 2;
        self.canvas.set_width(even(width));
        self.canvas.set_height(even(height));
        self.compose(plots);
        let stream = self.canvas.capture_stream_with_frame_request_rate(FPS)?;
        let options = MediaRecorderOptions::new();
        options.set_mime_type(MIME);
        let recorder =
            MediaRecorder::new_with_media_stream_and_media_recorder_options(&stream, &options)?;
        let chunks = js_sys::Array::new();
        let on_data = {
            let chunks = chunks.clone();
            Closure::<dyn FnMut(BlobEvent)>::new(move |e: BlobEvent| {
                if let Some(data) = e.data().filter(|d| d.size() > 0.0) {
                    chunks.push(&data);
                }
            })
        };
        let finished = Rc::new(Cell::new(false));
        let on_stop = {
            let (document, status, finished) =
                (document.clone(), self.status.clone(), finished.clone());
            let filename = format!("lyapunov-lens-{system}.webm");
            Closure::<dyn FnMut(Event)>::new(move |_: Event| {
                let text = match offer_video(&document, &chunks, &filename) {
                    Ok(bytes) => format!(
                        "Saved {filename} ({:.0} kB): the download is in your browser's downloads.",
                        bytes / 1000.0
                    ),
                    Err(e) => format!("Recording failed: {}.", js_error_text(&e)),
                };
                status.set_text_content(Some(&text));
                finished.set(true);
            })
        };
        recorder.set_ondataavailable(Some(on_data.as_ref().unchecked_ref()));
        recorder.set_onstop(Some(on_stop.as_ref().unchecked_ref()));
        recorder.start_with_time_slice(250)?;
        self.recording = Some(Recording {
            recorder,
            stream,
            started_ms: now_ms,
            stopping: false,
            finished,
            _on_data: on_data,
            _on_stop: on_stop,
        });
        self.status.set_text_content(Some(
            "Recording the phase portrait and the sensitivity plot side by side…",
        ));
        let _ = self.button.set_attribute("aria-pressed", "true");
        self.button
            .set_title("Stop recording and download the clip");
        self.shown_seconds = -1;
        self.show_countdown(now_ms);
        Ok(())
    }

    /// Stops the recording; the stop event then offers the video.
    fn stop(&mut self) {
        if let Some(rec) = self.recording.as_mut().filter(|r| !r.stopping) {
            rec.stopping = true;
            let _ = rec.recorder.stop();
            for track in rec.stream.get_tracks().iter() {
                if let Ok(track) = track.dyn_into::<MediaStreamTrack>() {
                    track.stop();
                }
            }
            self.status.set_text_content(Some("Saving the clip…"));
        }
        self.show_idle();
    }

    fn show_idle(&mut self) {
        self.button.set_text_content(Some(START_TEXT));
        self.button.set_title(START_TITLE);
        let _ = self.button.set_attribute("aria-pressed", "false");
        self.shown_seconds = -1;
    }

    /// "Stop (N s left)" when the whole seconds left changed.
    fn show_countdown(&mut self, now_ms: f64) {
        let Some(rec) = &self.recording else { return };
        let left = (LIMIT_S - (now_ms - rec.started_ms) / 1000.0)
            .ceil()
            .max(0.0) as i64;
        if left != self.shown_seconds {
            self.shown_seconds = left;
            self.button
                .set_text_content(Some(&format!("Stop ({left} s left)")));
        }
    }

    /// Once per animation frame, after drawing: while recording, composes the plots into the
    /// recorded canvas, counts down and stops at the time limit; drops a recording whose video
    /// has been offered.
    pub fn frame(&mut self, plots: [&LayeredCanvas; 2], now_ms: f64) {
        let Some(rec) = &self.recording else { return };
        if rec.stopping {
            if rec.finished.get() {
                self.recording = None;
            }
            return;
        }
        if now_ms - rec.started_ms >= LIMIT_S * 1000.0 {
            self.stop();
            return;
        }
        self.compose(plots);
        self.show_countdown(now_ms);
    }

    /// Both layers of each plot onto the recorded canvas, side by side on white.
    fn compose(&self, plots: [&LayeredCanvas; 2]) {
        let (w, h) = (self.canvas.width() as f64, self.canvas.height() as f64);
        let total: f64 = plots.iter().map(|p| p.size().0).sum::<f64>() + GAP;
        let scale = w / total;
        self.ctx.set_fill_style_str("#ffffff");
        self.ctx.fill_rect(0.0, 0.0, w, h);
        let mut x = 0.0;
        for plot in plots {
            let (pw, ph) = plot.size();
            if pw < 1.0 || ph < 1.0 {
                continue;
            }
            for layer in [&plot.cold, &plot.hot] {
                let _ = self.ctx.draw_image_with_html_canvas_element_and_dw_and_dh(
                    layer,
                    x,
                    0.0,
                    pw * scale,
                    ph * scale,
                );
            }
            x += (pw + GAP) * scale;
        }
    }
}

/// Offers the recorded `chunks` as a WebM download named `filename`; returns its size in bytes.
fn offer_video(
    document: &Document,
    chunks: &js_sys::Array,
    filename: &str,
) -> Result<f64, JsValue> {
    let options = BlobPropertyBag::new();
    options.set_type(MIME);
    let blob = Blob::new_with_blob_sequence_and_options(chunks, &options)?;
    if blob.size() == 0.0 {
        return Err(JsValue::from_str("the browser recorded no video"));
    }
    let url = Url::create_object_url_with_blob(&blob)?;
    let result = file_io::download_url(document, &url, filename);
    Url::revoke_object_url(&url)?;
    result.map(|_| blob.size())
}
