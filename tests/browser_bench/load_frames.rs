//! The worst frames of work spread over frames outside a slider drag (see
//! [`frame_work_at_load_kick_and_prc`]), part of `wasm_bench`.

use super::{choose, click, computing, mount, now, pause, DragLog};
use lyapunov_lens::web::App;
use wasm_bindgen_test::*;

/// Sets the page's URL hash without a `hashchange` event (the next mount reads it).
fn set_link(hash: &str) {
    let window = web_sys::window().unwrap();
    let path = window.location().pathname().unwrap();
    window
        .history()
        .unwrap()
        .replace_state_with_url(
            &wasm_bindgen::JsValue::NULL,
            "",
            Some(&format!("{path}{hash}")),
        )
        .unwrap();
}

/// A data attribute of the element with `id` ("" when absent).
fn data(id: &str, name: &str) -> String {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.get_attribute(name))
        .unwrap_or_default()
}

/// Frames (timed) until `done` or `limit` frames; returns their work (ms), in order. The page's
/// event loop runs between frames (the panel's toggle event, for one), as in a browser.
async fn frames_until(
    log: &mut DragLog,
    app: &App,
    limit: usize,
    done: &dyn Fn() -> bool,
) -> Vec<f64> {
    let mut work = Vec::new();
    while work.len() < limit {
        work.push(log.tick(app));
        pause().await;
        if done() {
            break;
        }
    }
    work
}

/// Prints the count, median and worst of `work` under `label`, with where the worst was.
fn report_frames(label: &str, work: &[f64]) -> f64 {
    let mut sorted = work.to_vec();
    sorted.sort_by(f64::total_cmp);
    let worst = sorted.last().copied().unwrap_or(0.0);
    let at = work.iter().position(|w| *w == worst).unwrap_or(0);
    console_log!(
        "browser {label}: frames={} median_ms={:.2} worst_ms={worst:.2} (frame {at})",
        work.len(),
        sorted.get(sorted.len() / 2).copied().unwrap_or(0.0),
    );
    worst
}

/// The worst frames of work that is spread over frames outside a slider drag: the first frames
/// after opening a heavy link (the mount itself, a task of its own, is printed apart), choosing
/// the phase-response measure on Goodwin and Van der Pol (the measure and the "Kick the clock"
/// panel's PRC), and a kick on Goodwin. Prints numbers; asserts nothing about speed.
#[wasm_bindgen_test]
async fn frame_work_at_load_kick_and_prc() {
    let mut worst_overall = 0.0_f64;
    for link in [
        "#system=lorenz&t_end=300&measure=ftle",
        "#system=goodwin&measure=prc",
        "",
    ] {
        set_link(link);
        let start = now();
        let app = mount("load-root");
        let mount_ms = now() - start;
        let mut log = DragLog::default();
        let work = frames_until(&mut log, &app, 3_000, &|| !computing()).await;
        // And a second's worth of frames after: the clock panel, the ensemble, training.
        let mut after = frames_until(&mut log, &app, 60, &|| false).await;
        let mut all = work.clone();
        all.append(&mut after);
        console_log!(
            "browser load {}: mount {mount_ms:.2} ms; the change took {} frames",
            if link.is_empty() { "(no link)" } else { link },
            work.len()
        );
        worst_overall = worst_overall.max(report_frames("load first frames", &all));
        pause().await;
    }
    set_link("");
    for system in ["goodwin", "van-der-pol"] {
        let app = mount("prc-root");
        let mut log = DragLog::default();
        log.tick(&app);
        choose("system", system);
        frames_until(&mut log, &app, 3_000, &|| !computing()).await;
        frames_until(&mut log, &app, 10, &|| false).await;
        choose("measure", "prc");
        let ready = || !computing() && data("clock-kick", "data-state") == "ready";
        let work = frames_until(&mut log, &app, 3_000, &ready).await;
        console_log!(
            "browser choose prc on {system}: cycle {} ms + adjoint {} ms in the clock panel",
            data("clock-kick", "data-cycle-ms"),
            data("clock-kick", "data-prc-ms")
        );
        worst_overall = worst_overall.max(report_frames(&format!("choose prc {system}"), &work));
        if system == "goodwin" {
            for _ in 0..2 {
                click("kick-clock");
                let kicked = || data("clock-kick", "data-state") != "kicking";
                let mut work = frames_until(&mut log, &app, 3_000, &kicked).await;
                work.extend(frames_until(&mut log, &app, 3, &|| false).await);
                console_log!(
                    "browser kick on goodwin: shift {} in {} ms of work",
                    data("clock-result", "data-shift"),
                    data("clock-kick", "data-kick-ms")
                );
                worst_overall = worst_overall.max(report_frames("kick goodwin", &work));
            }
        }
        pause().await;
    }
    console_log!("browser load/prc/kick worst frame: {worst_overall:.2} ms (budget 50 ms)");
}
