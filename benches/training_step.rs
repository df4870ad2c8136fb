//! `cargo bench`: one training step of paper-linear at N = 1000 and 10000, the per-frame metric
//! refresh, the default integration, a new session for every system (trajectory plus its
//! sensitivity measure), the FTLE series, and one self-attention training step at N = 1000
//! (d = 2 and 3, H = 2 and 4, a sweep of windows). Prints medians over repeated samples; compare them with
//! the PyTorch and JAX peers through `make bench`, which runs both in the same session.

use lyapunov_lens::dynamics::rk4::{integrate, uniform_times};
use lyapunov_lens::lab::config::Config;
use lyapunov_lens::lab::session::Session;
use lyapunov_lens::measures::ftle::ftle_series;
use lyapunov_lens::models::attention_model::{AttentionModel, TrainingData};
use lyapunov_lens::models::self_attention::{
    SelfAttention, DEFAULT_HEADS, DEFAULT_WINDOW, MAX_HEADS,
};
use lyapunov_lens::observations::gaussian_noise::add_gaussian_noise;
use lyapunov_lens::systems::catalogue::SystemKind;
use lyapunov_lens::systems::lorenz::Lorenz;
use lyapunov_lens::systems::lotka_volterra::LotkaVolterra;
use lyapunov_lens::systems::system::System;
use lyapunov_lens::training::adam::Adam;
use lyapunov_lens::training::trainer::Trainer;
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
    // LL_BENCH_ONLY=step: only the training step and the converged reading (quick A/B runs).
    let only_step = std::env::var("LL_BENCH_ONLY").is_ok_and(|v| v == "step");
    for n in [1000, 10000] {
        // One Adam step of the paper's model, as the peers time it: loss, gradient, update. The
        // session's own step(k) stops once training has converged (at the defaults within a few
        // hundred steps), so the raw step is timed on the model itself, on the session's data.
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
        let iters = if quick { 1 } else { 2_000_000 / n };
        let step = median_us(samples, iters, || {
            black_box(model.loss_and_gradient(&data, &mut gradient));
            adam.update(model.parameters_mut(), &gradient);
        });
        println!("lyapunov-lens N={n} us/step={step:.2} (loss + gradient + Adam update, median of {samples} samples)");
        let mut session = session;
        let refresh = median_us(samples, if quick { 1 } else { 200_000 / n }, || {
            black_box(session.step(0));
        });
        println!("lyapunov-lens N={n} us/refresh={refresh:.1} (attention + loss + Pearson + Spearman + peak offset, once per frame)");
    }
    if only_step {
        if std::env::var_os("LL_BENCH_SKIP_CONVERGED").is_none() {
            converged_reading(quick, samples);
        }
        return;
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
    // A config change on another system pays for the trajectory and its sensitivity measure.
    for kind in SystemKind::ALL {
        let config = Config::for_system(kind);
        let us = median_us(samples, if quick { 1 } else { 20 }, || {
            black_box(Session::new(config.clone()).unwrap());
        });
        println!(
            "lyapunov-lens new session {kind} (N=1000, measure {}, tau {}) us={us:.1}",
            config.measure, config.tau
        );
    }
    let system = Lorenz::default();
    let traj = integrate(&system, &[1.0, 1.0, 20.0], &uniform_times(20.0, 1000)).unwrap();
    let us = median_us(samples, if quick { 1 } else { 20 }, || {
        black_box(ftle_series(&system, &traj, 0.5).unwrap());
    });
    println!("lyapunov-lens FTLE series Lorenz N=1000 tau=0.5 (propagators + window products) us={us:.1}");
    converged_reading(quick, samples);
    self_attention(quick, samples);
}

/// Time to a converged reading at the defaults (paper-linear, N = 1000 and 10000): from the
/// untrained model to the passed convergence test, the data already drawn, as
/// `peer_scipy_converge.py` times SciPy's BFGS on the same problem. Also says how many optimizer
/// steps and how many loss-and-gradient evaluations that took.
fn converged_reading(quick: bool, samples: usize) {
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
        let setup = session.config().model_setup();
        let lr = session.config().lr;
        let iters = if quick { 1 } else { 20_000 / n };
        for (name, start) in [
            ("reading", Trainer::for_reading as Start),
            ("adam-first", Trainer::new as Start),
        ] {
            let mut trained = None;
            let us = median_us(samples, iters, || {
                let mut model = session.config().model.build(&setup);
                let mut trainer = start(lr, model.as_mut(), &data);
                while !trainer.is_finished() {
                    trainer.work(model.as_mut(), &data);
                }
                trained = Some((trainer.status().clone(), trainer.steps()));
                black_box(&model);
            });
            let (status, steps) = trained.expect("timed at least once");
            println!(
                "lyapunov-lens N={n} us/converged={us:.1} ({name}: {status:?} after {steps} steps; median of {samples} samples)"
            );
        }
    }
}

type Start = fn(f64, &mut dyn AttentionModel, &TrainingData) -> Trainer;

/// Median time of one self-attention training step (loss, gradient and Adam update) at N = 1000
/// on Lotka–Volterra (d = 2) and Lorenz (d = 3) data, at the default window and, for d = 3, a
/// sweep of windows: the cost is one exp per (head, t, s) pair, so it grows like H·N·(2W + 1).
fn self_attention(quick: bool, samples: usize) {
    let n = 1000;
    let lv: (Box<dyn System>, Vec<f64>, f64) =
        (Box::new(LotkaVolterra::default()), vec![10.0, 5.0], 15.0);
    let lorenz: (Box<dyn System>, Vec<f64>, f64) =
        (Box::new(Lorenz::default()), vec![1.0, 1.0, 20.0], 10.0);
    for (system, x0, t_end) in [lv, lorenz] {
        let clean = integrate(system.as_ref(), &x0, &uniform_times(t_end, n))
            .unwrap()
            .states;
        let noisy = add_gaussian_noise(&clean, 2.0, 0);
        let data = TrainingData {
            noisy: &noisy,
            clean: &clean,
        };
        let d = system.dim();
        let mut windows = vec![DEFAULT_WINDOW];
        if d == 3 {
            windows.extend(
                [4, 8, 12, 16, 24, 32]
                    .into_iter()
                    .filter(|&w| w != DEFAULT_WINDOW),
            );
        }
        for window in windows {
            for heads in [DEFAULT_HEADS, MAX_HEADS] {
                let mut model = SelfAttention::new(d, heads, window);
                let mut adam = Adam::new(0.01, model.parameters().len());
                let mut gradient = vec![0.0; model.parameters().len()];
                let us = median_us(samples, if quick { 1 } else { 100 }, || {
                    black_box(model.loss_and_gradient(&data, &mut gradient));
                    adam.update(model.parameters_mut(), &gradient);
                });
                let note = if window == DEFAULT_WINDOW {
                    "default window"
                } else {
                    "window sweep"
                };
                println!(
                "lyapunov-lens self-attention N={n} d={d} H={heads} W={window} us/step={us:.1} ({note}; loss + gradient + Adam, median of {samples} samples)"
            );
            }
        }
    }
}
