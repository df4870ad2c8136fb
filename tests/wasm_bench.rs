//! In-browser benchmark: per-frame work and per-step time of the real page, at N = 1000 and
//! N = 5000, the frame work while the ensemble over noise draws runs in the background, and the
//! self-attention step time at N = 1000, in headless Chromium; the worst frame while dragging
//! every slider, and after loading a heavy link, choosing `prc` and kicking the clock. Prints
//! medians and worst frames; run with `make bench-browser` (`cargo test --target
//! wasm32-unknown-unknown --release --test wasm_bench -- --nocapture`). It asserts nothing about
//! speed: numbers are for reading, not for passing.
//!
//! Training converges (paper-linear in about 200 steps) and the ensemble fills what a frame's
//! training budget leaves, so the step timings are taken paused, after the ensemble has
//! finished, on a freshly reset model driven by Step clicks: every step timed is an Adam step.
#![cfg(target_arch = "wasm32")]

use lyapunov_lens::web::App;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Event, HtmlElement, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

fn now() -> f64 {
    web_sys::window().unwrap().performance().unwrap().now()
}

fn slide(id: &str, value: &str) {
    let document = web_sys::window().unwrap().document().unwrap();
    let input: HtmlInputElement = document.get_element_by_id(id).unwrap().dyn_into().unwrap();
    input.set_value(value);
    // Bubbling, like a real slider's: the lab listens on the controls panel.
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    input
        .dispatch_event(&Event::new_with_event_init_dict("input", &init).unwrap())
        .unwrap();
}

fn choose(id: &str, value: &str) {
    let document = web_sys::window().unwrap().document().unwrap();
    let select: web_sys::HtmlSelectElement =
        document.get_element_by_id(id).unwrap().dyn_into().unwrap();
    select.set_value(value);
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    select
        .dispatch_event(&Event::new_with_event_init_dict("change", &init).unwrap())
        .unwrap();
}

/// Median wall time (ms) of one self-attention optimizer step in the page: paused, a Step
/// click runs exactly `steps_per_frame` steps in the next frame; a frame without a click
/// measures the rest of the frame's work, which is subtracted. The model is reset first, so
/// that every step timed is an Adam step (fewer than 200 in all).
fn self_attention_step_ms(app: &App, clock: &mut f64, samples: usize) -> f64 {
    let steps = 10.0;
    slide("steps_per_frame", "10");
    click("reset");
    *clock += 1000.0 / 60.0;
    app.tick(*clock);
    let mut frame = |step: bool| {
        if step {
            click("step");
        }
        *clock += 1000.0 / 60.0;
        let start = now();
        app.tick(*clock);
        now() - start
    };
    frame(true);
    let mut with: Vec<f64> = (0..samples).map(|_| frame(true)).collect();
    let mut without: Vec<f64> = (0..samples).map(|_| frame(false)).collect();
    with.sort_by(f64::total_cmp);
    without.sort_by(f64::total_cmp);
    (with[samples / 2] - without[samples / 2]) / steps
}

fn epoch() -> f64 {
    let document = web_sys::window().unwrap().document().unwrap();
    document
        .get_element_by_id("stats")
        .unwrap()
        .get_attribute("data-epoch")
        .unwrap()
        .parse()
        .unwrap()
}

/// Median over `samples` of (mean wall time in ms of a frame running one Step click's steps,
/// steps actually run per frame), paused, each sample on a freshly reset model for `frames`
/// frames (at most 200 steps in all: Adam steps). Counting the steps (from `#stats`, refreshed
/// on every Step click) keeps a stalled or diverged run from passing for a fast one.
fn median_frame(app: &App, clock: &mut f64, samples: usize, frames: usize) -> (f64, f64) {
    let mut times: Vec<(f64, f64)> = (0..samples)
        .map(|_| {
            click("reset");
            *clock += 1000.0 / 60.0;
            app.tick(*clock);
            let steps_before = epoch();
            let start = now();
            for _ in 0..frames {
                click("step");
                *clock += 1000.0 / 60.0;
                app.tick(*clock);
            }
            let ms = (now() - start) / frames as f64;
            let per_frame_steps = (epoch() - steps_before) / frames as f64;
            (ms, per_frame_steps)
        })
        .collect();
    times.sort_by(|a, b| a.0.total_cmp(&b.0));
    times[samples / 2]
}

/// Runs frames (paused) until the ensemble over noise draws is complete; returns the frames it
/// took and their median and 95th-percentile work (ms): the background's cost per frame.
fn ensemble_frames(app: &App, clock: &mut f64) -> (usize, f64, f64) {
    let document = web_sys::window().unwrap().document().unwrap();
    let strip = document.get_element_by_id("ensemble").unwrap();
    let done = || {
        let get = |k: &str| strip.get_attribute(k).unwrap_or_default();
        !get("data-total").is_empty() && get("data-done") == get("data-total")
    };
    let mut work = Vec::new();
    while !done() && work.len() < 20_000 {
        *clock += 1000.0 / 60.0;
        let start = now();
        app.tick(*clock);
        work.push(now() - start);
    }
    let frames = work.len();
    if !done() {
        let summary = document.get_element_by_id("ensemble-summary").unwrap();
        console_log!(
            "browser the ensemble did not finish: {}",
            summary.text_content().unwrap_or_default()
        );
    }
    work.sort_by(f64::total_cmp);
    let at = |q: f64| work.get(((frames as f64 * q) as usize).min(frames.saturating_sub(1)));
    (
        frames,
        at(0.5).copied().unwrap_or(0.0),
        at(0.95).copied().unwrap_or(0.0),
    )
}

/// A fresh page root `id` (1300 px wide) with the lab mounted in it; roots an earlier test in
/// this page mounted are removed first, so that element ids stay unique.
fn mount(id: &str) -> App {
    let document = web_sys::window().unwrap().document().unwrap();
    let old = document.query_selector_all("main").unwrap();
    for i in 0..old.length() {
        let node = old.item(i).unwrap();
        node.parent_node().unwrap().remove_child(&node).unwrap();
    }
    let root: HtmlElement = document.create_element("main").unwrap().dyn_into().unwrap();
    root.set_id(id);
    root.style().set_property("width", "1300px").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    App::new(id).unwrap()
}

fn click(id: &str) {
    let document = web_sys::window().unwrap().document().unwrap();
    document
        .get_element_by_id(id)
        .unwrap()
        .dyn_into::<HtmlElement>()
        .unwrap()
        .click();
}

/// The model's training step alone (loss, gradient, Adam update) on the session's data, timed
/// exactly as `benches/training_step.rs` times it natively: the wasm-versus-native figure of
/// the issue (the page's own per-step figure below also carries the page's work per step).
#[wasm_bindgen_test]
fn model_step_as_the_native_bench_times_it() {
    use lyapunov_lens::lab::config::Config;
    use lyapunov_lens::lab::session::Session;
    use lyapunov_lens::models::attention_model::TrainingData;
    use lyapunov_lens::training::adam::Adam;
    for n in [1000, 10000] {
        let session = Session::new(Config {
            n,
            ..Config::default()
        })
        .unwrap();
        let data = TrainingData {
            noisy: session.observations(),
            clean: session.clean(),
        };
        let mut model = Config::default()
            .model
            .build(&session.config().model_setup());
        let mut adam = Adam::new(session.config().lr, model.parameters().len());
        let mut gradient = vec![0.0; model.parameters().len()];
        let iters = 2_000_000 / n;
        // Warm-up: V8 compiles the module once quickly, then again optimised, while it runs.
        for _ in 0..5 * iters {
            std::hint::black_box(model.loss_and_gradient(&data, &mut gradient));
            adam.update(model.parameters_mut(), &gradient);
        }
        let mut samples: Vec<f64> = (0..31)
            .map(|_| {
                let start = now();
                for _ in 0..iters {
                    std::hint::black_box(model.loss_and_gradient(&data, &mut gradient));
                    adam.update(model.parameters_mut(), &gradient);
                }
                (now() - start) * 1000.0 / iters as f64
            })
            .collect();
        samples.sort_by(f64::total_cmp);
        console_log!(
            "browser model N={n} us/step={:.2} (loss + gradient + Adam update, median of 31 samples; min {:.2})",
            samples[15],
            samples[0]
        );
    }
}

#[wasm_bindgen_test]
fn per_frame_and_per_step_timings() {
    let app = mount("bench-root");
    let mut clock = 0.0;
    app.tick(clock);
    click("play"); // pause: only Step clicks train from here
    for n in ["1000", "5000"] {
        slide("n", n);
        // Applies N (over a few frames when it is expensive), then starts the ensemble of the
        // new setting.
        for _ in 0..600 {
            clock += 1000.0 / 60.0;
            app.tick(clock);
            if !computing() {
                break;
            }
        }
        let (frames, median, p95) = ensemble_frames(&app, &mut clock);
        console_log!(
            "browser N={n} ensemble of 20 draws: {frames} frames, frame work median {median:.3} ms, p95 {p95:.3} ms"
        );
        slide("steps_per_frame", "20");
        median_frame(&app, &mut clock, 3, 10); // warm up: cold layers, JIT
        let (frame20, steps20) = median_frame(&app, &mut clock, 15, 10);
        slide("steps_per_frame", "200");
        median_frame(&app, &mut clock, 2, 1);
        let (frame200, steps200) = median_frame(&app, &mut clock, 15, 1);
        let step_us = (frame200 - frame20) / (steps200 - steps20) * 1000.0;
        console_log!(
            "browser N={n} frame_ms={frame20:.3} ({steps20:.0} steps/frame) frame_ms={frame200:.3} ({steps200:.0} steps/frame) us/step={step_us:.2}"
        );
        console_log!(
            "browser N={n} frame_ms_without_steps~={:.3}",
            frame20 - steps20 * step_us / 1000.0
        );
    }
    // Self-attention at N = 1000, H = 2 and 4, on a 2-D and a 3-D system (the budget:
    // one step ≤ 4 ms in the browser). At σ = 0 there is no ensemble to share the frames (a
    // step costs the same whatever the noise).
    slide("n", "1000");
    for system in ["lotka-volterra", "lorenz"] {
        choose("system", system);
        // A system switch is computed over frames and rebuilds the sliders when it lands: a
        // control moved before that would be read against the old system's sliders.
        for _ in 0..600 {
            clock += 1000.0 / 60.0;
            app.tick(clock);
            if !computing() {
                break;
            }
        }
        slide("n", "1000");
        slide("sigma", "0");
        choose("model", "self-attention");
        for heads in ["2", "4"] {
            slide("heads", heads);
            clock += 1000.0 / 60.0;
            app.tick(clock);
            let ms = self_attention_step_ms(&app, &mut clock, 11);
            // What the page actually ran, from its own link.
            clock += 400.0;
            app.tick(clock);
            let hash = web_sys::window().unwrap().location().hash().unwrap();
            let setting = |key: &str| {
                hash.split('&')
                    .find_map(|p| p.strip_prefix(&format!("{key}=")).map(str::to_owned))
                    .unwrap_or_default()
            };
            console_log!(
                "browser self-attention system={} model={} N={} H={} W={} ms/step={ms:.3}",
                setting("#system"),
                setting("model"),
                setting("n"),
                setting("heads"),
                setting("window")
            );
            assert_eq!(setting("heads"), heads, "the heads slider did not apply");
        }
    }
}

/// Frame work (ms) while dragging every slider of every system across its range: for each
/// system, each range input of the controls moves through 9 positions from its minimum to its
/// maximum and back to where it was. Every frame is timed: the one that takes the change and,
/// where the change is computed over frames (a long orbit, its FTLE), each frame until the
/// page shows the new setting. Prints the median, p95 and worst frame per system, the slider
/// and value of the worst, and the longest wait for a change to be shown (frames at 60 fps).
/// The budget is 50 ms for any in-range setting.
#[wasm_bindgen_test]
async fn frame_work_while_dragging_every_slider() {
    let document = web_sys::window().unwrap().document().unwrap();
    let app = mount("drag-root");
    let mut log = DragLog::default();
    log.tick(&app);
    let systems = [
        "lotka-volterra",
        "pendulum",
        "van-der-pol",
        "goodwin",
        "lorenz",
        "rossler",
    ];
    let mut worst_overall = 0.0_f64;
    for system in systems {
        log.frames.clear();
        log.longest_wait = (0, String::new());
        choose("system", system);
        log.change(&app, format!("system={system}"));
        let sliders = document.query_selector_all("input[type=range]").unwrap();
        for i in 0..sliders.length() {
            let input: HtmlInputElement = sliders.item(i).unwrap().dyn_into().unwrap();
            if input.disabled() || input.id().is_empty() {
                continue;
            }
            let id = input.id();
            let (min, max) = (input.min().parse::<f64>(), input.max().parse::<f64>());
            let (Ok(min), Ok(max)) = (min, max) else {
                continue;
            };
            let original = input.value();
            for k in 0..=8 {
                let value = min + (max - min) * k as f64 / 8.0;
                slide(&id, &value.to_string());
                log.change(&app, format!("{id}={}", input.value()));
            }
            slide(&id, &original);
            log.change(&app, format!("{id}={original}"));
            pause().await; // let the renderer answer the test runner
        }
        worst_overall = worst_overall.max(log.report(system));
    }
    console_log!(
        "browser drag worst frame over every system: {worst_overall:.2} ms (budget 50 ms)"
    );
}

/// The frames of a drag: (ms, setting) for each, and the longest wait for a change to show.
#[derive(Default)]
struct DragLog {
    clock: f64,
    frames: Vec<(f64, String)>,
    longest_wait: (usize, String),
}

impl DragLog {
    /// Runs one frame at 60 fps; returns its work (ms).
    fn tick(&mut self, app: &App) -> f64 {
        self.clock += 1000.0 / 60.0;
        let start = now();
        app.tick(self.clock);
        now() - start
    }

    /// Times the frame that takes a change and every frame until the page shows it.
    fn change(&mut self, app: &App, setting: String) {
        let mut waited = 0;
        loop {
            let ms = self.tick(app);
            self.frames.push((ms, setting.clone()));
            waited += 1;
            if !computing() || waited >= 10_000 {
                break;
            }
        }
        if waited > self.longest_wait.0 {
            self.longest_wait = (waited, setting);
        }
    }

    /// Prints the system's figures; returns its worst frame (ms).
    fn report(&mut self, system: &str) -> f64 {
        let frames = &mut self.frames;
        frames.sort_by(|a, b| a.0.total_cmp(&b.0));
        let at = |q: f64| frames[((frames.len() as f64 * q) as usize).min(frames.len() - 1)].0;
        let (worst, setting) = frames.last().cloned().unwrap_or_default();
        console_log!(
            "browser drag system={system} frames={} median_ms={:.2} p95_ms={:.2} worst_ms={worst:.2} (at {setting}) longest_wait_frames={} (at {})",
            frames.len(),
            at(0.5),
            at(0.95),
            self.longest_wait.0,
            self.longest_wait.1
        );
        worst
    }
}

/// Whether the page is computing a change over frames (the status line says so).
fn computing() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("training-status"))
        .and_then(|e| e.get_attribute("data-status"))
        .is_some_and(|s| s == "computing")
}

/// Resolves after a zero-delay timer: the page's event loop runs in between.
async fn pause() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Wasm memory over a long run: `frames` frames of playing (training, the ensemble, drawing),
/// with a new σ or a reset every 500 frames; the linear memory's size after
/// a 1,000-frame warm-up and at the end (it only grows, so a leak shows as growth).
#[wasm_bindgen_test]
fn wasm_memory_over_a_long_soak() {
    let frames: usize = option_env!("LL_SOAK_FRAMES")
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let app = mount("soak-root");
    let memory_mib = || {
        let memory: js_sys::WebAssembly::Memory = wasm_bindgen::memory().dyn_into().unwrap();
        let buffer: js_sys::ArrayBuffer = memory.buffer().dyn_into().unwrap();
        buffer.byte_length() as f64 / (1024.0 * 1024.0)
    };
    let mut clock = 0.0;
    let mut after_warmup = 0.0;
    let start = now();
    for frame in 0..frames {
        // Every 500 frames a new setting (σ alternating) or a reset, so that the session, the
        // ensemble and the plots are rebuilt hundreds of times over the soak.
        match frame % 1000 {
            499 => slide("sigma", if frame % 2000 == 499 { "1.5" } else { "2" }),
            999 => click("reset"),
            _ => {}
        }
        clock += 1000.0 / 60.0;
        app.tick(clock);
        if frame == 999 {
            after_warmup = memory_mib();
        }
    }
    let end = memory_mib();
    console_log!(
        "browser soak frames={frames} wasm_memory_mib after 1000 frames {after_warmup:.2}, at the end {end:.2}, growth {:.2} MiB ({:.1} s)",
        end - after_warmup,
        (now() - start) / 1000.0
    );
}

/// The first frames after load, choosing `prc`, a kick of the clock.
#[path = "browser_bench/load_frames.rs"]
mod load_frames;
