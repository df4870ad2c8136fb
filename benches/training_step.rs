//! `cargo bench`: one training step of paper-linear at N = 1000 and 10000, the per-frame metric
//! refresh, and the default integration. Prints medians over repeated samples; compare them with
//! the PyTorch and JAX peers through `make bench`, which runs both in the same session.

use lyapunov_lens::config::Config;
use lyapunov_lens::lotka_volterra::LotkaVolterra;
use lyapunov_lens::rk4::{integrate, uniform_times};
use lyapunov_lens::session::Session;
use std::hint::black_box;
use std::time::Instant;

/// Median over `samples` of the mean time per call of `f`, with `iters` calls per sample.
fn median_us(samples: usize, iters: usize, mut f: impl FnMut()) -> f64 {
    for _ in 0..iters.min(50) {
        f();
    }
    let mut times: Vec<f64> = (0..samples)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..iters {
                f();
            }
            start.elapsed().as_secs_f64() * 1e6 / iters as f64
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[samples / 2]
}

fn main() {
    // `cargo bench` passes --bench; `cargo test --benches` runs once quickly.
    let quick = !std::env::args().any(|a| a == "--bench");
    let samples = if quick { 3 } else { 31 };
    for n in [1000, 10000] {
        // The session's own step: loss, gradient, Adam update, divergence guard and loss history.
        // step(k) ends with one refresh (attention + metrics), so the per-step cost is the
        // difference between step(K) and step(0), divided by K.
        let mut session = Session::new(Config {
            n,
            ..Config::default()
        })
        .unwrap();
        let k = 100;
        let iters = if quick { 1 } else { 200_000 / n };
        let batch = median_us(samples, iters, || {
            black_box(session.step(k));
        });
        let refresh = median_us(samples, iters * 10, || {
            black_box(session.step(0));
        });
        let step = (batch - refresh) / k as f64;
        println!("lyapunov-lens N={n} us/step={step:.2} (median of {samples} samples: (step({k}) {batch:.0} us - step(0) {refresh:.1} us) / {k})");
        println!("lyapunov-lens N={n} us/refresh={refresh:.1} (attention + loss + Pearson + Spearman + peak offset, once per frame)");
        let per_frame = median_us(samples, iters * 5, || {
            black_box(session.step(20));
        });
        println!("lyapunov-lens N={n} us/frame={per_frame:.1} (20 steps + one refresh, the page's default frame)");
    }
    let system = LotkaVolterra::default();
    let times = uniform_times(15.0, 1000);
    let us = median_us(samples, if quick { 1 } else { 200 }, || {
        black_box(integrate(&system, &[10.0, 5.0], &times).unwrap());
    });
    println!("lyapunov-lens integrate defaults (N=1000, t in [0,15]) us={us:.1}");
    let us = median_us(samples, if quick { 1 } else { 50 }, || {
        black_box(Session::new(Config::default()).unwrap());
    });
    println!(
        "lyapunov-lens new session at defaults (integrate + dV/dn + period + noise) us={us:.1}"
    );
}
