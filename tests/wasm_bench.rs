//! In-browser benchmark: per-frame work and per-step time of the real page, at N = 1000 and
//! N = 5000, and the self-attention step time at N = 1000, in headless Chromium. Prints medians; run with `make bench-browser`
//! (`cargo test --target wasm32-unknown-unknown --release --test wasm_bench -- --nocapture`).
//! It asserts nothing about speed: numbers are for reading, not for passing.
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
/// measures the rest of the frame's work, which is subtracted.
fn self_attention_step_ms(app: &App, clock: &mut f64, samples: usize) -> f64 {
    let steps = 10.0;
    slide("steps_per_frame", "10");
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

/// Median over `samples` of (mean wall time in ms of `frames` consecutive frames, optimizer
/// steps actually run per frame). Counting the steps (from `#stats`, refreshed on every Step
/// click) keeps a stalled or diverged run from passing for a fast one.
fn median_frame(app: &App, clock: &mut f64, samples: usize, frames: usize) -> (f64, f64) {
    let mut times: Vec<(f64, f64)> = (0..samples)
        .map(|_| {
            let steps_before = epoch();
            let start = now();
            for _ in 0..frames {
                *clock += 1000.0 / 60.0;
                app.tick(*clock);
            }
            let ms = (now() - start) / frames as f64;
            click("step"); // forces a stats refresh so data-epoch is current
            *clock += 1000.0 / 60.0;
            app.tick(*clock);
            let per_frame_steps = (epoch() - steps_before) / (frames + 1) as f64;
            (ms, per_frame_steps)
        })
        .collect();
    times.sort_by(|a, b| a.0.total_cmp(&b.0));
    times[samples / 2]
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

#[wasm_bindgen_test]
fn per_frame_and_per_step_timings() {
    let document = web_sys::window().unwrap().document().unwrap();
    let root: HtmlElement = document.create_element("main").unwrap().dyn_into().unwrap();
    root.set_id("bench-root");
    root.style().set_property("width", "1300px").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    let app = App::new("bench-root").unwrap();
    let mut clock = 0.0;
    app.tick(clock);
    for n in ["1000", "5000"] {
        slide("n", n);
        slide("steps_per_frame", "20");
        median_frame(&app, &mut clock, 3, 10); // warm up: cold layers, JIT
        let (frame20, steps20) = median_frame(&app, &mut clock, 15, 10);
        slide("steps_per_frame", "200");
        median_frame(&app, &mut clock, 2, 5);
        let (frame200, steps200) = median_frame(&app, &mut clock, 15, 5);
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
    // one step ≤ 4 ms in the browser).
    slide("n", "1000");
    click("play"); // pause: only Step clicks train from here
    for system in ["lotka-volterra", "lorenz"] {
        choose("system", system);
        // A system switch rebuilds the sliders in the next frame: apply it before the rest.
        clock += 1000.0 / 60.0;
        app.tick(clock);
        slide("n", "1000");
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
