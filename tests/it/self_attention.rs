//! The self-attention denoiser: its hand-derived gradient against finite differences (and proof
//! that the check catches a 0.1% error), its attention as distributions, its moving-average
//! start, training below the noise floor, determinism, and a training step that does not
//! allocate. If it fails, the self-attention model trains on a wrong gradient, shows attention
//! that is not a distribution, or is slower or irreproducible.
//!
//! Its counting allocator is the `#[global_allocator]` of the whole `it` binary. It counts per
//! thread, and the test reads a difference within itself, so tests running on other threads (or
//! before and after it on the same one) neither see nor disturb the count.

use crate::common::finite_difference::{gradient_error, lv_data, WrongGradient};
use lyapunov_lens::dynamics::rk4::{integrate, uniform_times};
use lyapunov_lens::models::self_attention::{Layout, SelfAttention, DEFAULT_HEADS, DEFAULT_WINDOW};
use lyapunov_lens::models::{AttentionModel, ModelKind, TrainingData};
use lyapunov_lens::observations::gaussian_noise::{add_gaussian_noise, StandardNormal};
use lyapunov_lens::systems::lorenz::Lorenz;
use lyapunov_lens::training::adam::Adam;
use ndarray::Array2;
use std::alloc::{GlobalAlloc, Layout as AllocLayout, System};
use std::cell::Cell;
use std::ops::Range;

/// Counts this thread's heap allocations, to check that a training step makes none.
struct CountingAllocator;

thread_local! {
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

fn count_allocation() {
    let _ = ALLOCATIONS.try_with(|c| c.set(c.get() + 1));
}

unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: AllocLayout) -> *mut u8 {
        count_allocation();
        System.alloc(layout)
    }
    unsafe fn alloc_zeroed(&self, layout: AllocLayout) -> *mut u8 {
        count_allocation();
        System.alloc_zeroed(layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: AllocLayout, new_size: usize) -> *mut u8 {
        count_allocation();
        System.realloc(ptr, layout, new_size)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: AllocLayout) {
        System.dealloc(ptr, layout)
    }
}

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

fn allocations() -> usize {
    ALLOCATIONS.with(|c| c.get())
}

/// Lorenz from (1, 1, 20) over t ∈ [0, 3]: a d = 3 series with a fast, uneven orbit.
fn lorenz_data(n: usize, sigma: f64) -> (Array2<f64>, Array2<f64>) {
    let clean = integrate(
        &Lorenz::default(),
        &[1.0, 1.0, 20.0],
        &uniform_times(3.0, n),
    )
    .unwrap()
    .states;
    let noisy = add_gaussian_noise(&clean, sigma, 7);
    (noisy, clean)
}

/// The blocks of θ, each checked against its own scale (see [`gradient_error`]).
fn blocks(model: &SelfAttention) -> Vec<Range<usize>> {
    let l = model.layout();
    vec![
        l.w_q.clone(),
        l.w_k.clone(),
        l.w_v.clone(),
        l.w_o.clone(),
        l.bias.clone(),
        l.c.clone(),
    ]
}

/// Adds seeded N(0, 0.4²) noise to every parameter: a generic point, far from the
/// initialisation, where attention is far from uniform and no gradient block is small.
fn perturb(model: &mut SelfAttention, seed: u64) {
    let mut normal = StandardNormal::new(seed);
    for p in model.parameters_mut() {
        *p += 0.4 * normal.sample();
    }
}

#[test]
fn gradient_matches_finite_differences_to_1e_minus_6() {
    type Data = fn(usize, f64) -> (Array2<f64>, Array2<f64>);
    let cases: [(&str, Data, usize, f64); 2] =
        [("lv", lv_data, 2, 0.5), ("lorenz", lorenz_data, 3, 1.0)];
    for (name, data_fn, dim, sigma_noisy) in cases {
        for sigma in [0.0, sigma_noisy] {
            for (n, window) in [(90, 5), (60, 60)] {
                let (noisy, clean) = data_fn(n, sigma);
                let data = TrainingData {
                    noisy: &noisy,
                    clean: &clean,
                };
                for heads in [1, 3] {
                    for perturbed in [false, true] {
                        let mut model = SelfAttention::new(dim, heads, window);
                        if perturbed {
                            perturb(&mut model, 11 + heads as u64);
                        }
                        let blocks = blocks(&model);
                        let err = gradient_error(&mut model, &blocks, &data);
                        assert!(
                            err <= 1e-6,
                            "{name} σ={sigma} N={n} W={window} H={heads} perturbed={perturbed}: relative error {err:e}"
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn the_check_rejects_a_gradient_that_is_wrong_by_a_tenth_of_a_percent() {
    let (noisy, clean) = lv_data(90, 0.5);
    let data = TrainingData {
        noisy: &noisy,
        clean: &clean,
    };
    let build = || {
        let mut model = SelfAttention::new(2, 3, 5);
        perturb(&mut model, 14);
        model
    };
    // The same model and point pass when the gradient is right...
    let mut right = build();
    let blocks = blocks(&right);
    let err = gradient_error(&mut right, &blocks, &data);
    assert!(err <= 1e-6, "the true gradient failed: {err:e}");
    // ...and fail with 0.1% off in a W_Q entry or in a bias entry.
    let layout = right.layout().clone();
    for (what, index) in [
        ("W_Q^1[2][1]", layout.q(1, 2, 1)),
        ("b^0_1", layout.b(0, 1)),
    ] {
        let mut wrong = WrongGradient {
            model: Box::new(build()),
            index,
        };
        let err = gradient_error(&mut wrong, &blocks, &data);
        assert!(err > 1e-6, "0.1% off in {what} passed with error {err:e}");
    }
}

fn assert_distribution(a: &[f64], what: &str) {
    assert!(a.iter().all(|&v| v >= 0.0), "{what}: negative weight");
    let sum = a.iter().sum::<f64>();
    assert!((sum - 1.0).abs() < 1e-12, "{what}: sums to {sum}");
}

#[test]
fn received_attention_and_each_heads_view_are_distributions() {
    for (n, window) in [(90, 5), (60, 60), (1000, DEFAULT_WINDOW)] {
        let (noisy, _) = lv_data(n, 2.0);
        for perturbed in [false, true] {
            let mut model = SelfAttention::new(2, 3, window);
            if perturbed {
                perturb(&mut model, 3);
            }
            let mut a = vec![0.0; n];
            model.attention(&noisy, &mut a);
            assert_distribution(&a, &format!("N={n} W={window} received"));
            let mut mean = vec![0.0; n];
            let mut head = vec![0.0; n];
            for h in 0..model.heads() {
                model.head_attention(&noisy, h, &mut head);
                assert_distribution(&head, &format!("N={n} W={window} head {h}"));
                for (m, v) in mean.iter_mut().zip(&head) {
                    *m += v / model.heads() as f64;
                }
            }
            // The received attention is the mean of the heads' views.
            assert!(a.iter().zip(&mean).all(|(x, y)| (x - y).abs() < 1e-15));
        }
    }
}

/// The mean of x̃_s over the window |s − t| ≤ W, truncated at the ends.
fn moving_average(noisy: &Array2<f64>, window: usize) -> Array2<f64> {
    let n = noisy.nrows();
    let mut ma = Array2::zeros(noisy.dim());
    for t in 0..n {
        let (lo, hi) = (t.saturating_sub(window), (t + window).min(n - 1));
        let rows = noisy.slice(ndarray::s![lo..=hi, ..]);
        ma.row_mut(t)
            .assign(&rows.mean_axis(ndarray::Axis(0)).unwrap());
    }
    ma
}

#[test]
fn the_untrained_model_is_close_to_a_moving_average() {
    let n = 1000;
    let (noisy, clean) = lv_data(n, 2.0);
    let data = TrainingData {
        noisy: &noisy,
        clean: &clean,
    };
    let ma = moving_average(&noisy, DEFAULT_WINDOW);
    // With W_Q = W_K = 0 (and b = 0) attention is exactly uniform over each window, and the
    // reconstruction is exactly the moving average, up to rounding.
    let mut uniform = SelfAttention::new(2, DEFAULT_HEADS, DEFAULT_WINDOW);
    let layout = uniform.layout().clone();
    uniform.parameters_mut()[layout.w_q.start..layout.w_k.end].fill(0.0);
    let r = uniform.reconstruct(&noisy, &[]);
    let scale = noisy.iter().fold(0.0_f64, |m, v| m.max(v.abs()));
    assert!(r
        .iter()
        .zip(&ma)
        .all(|(x, y)| (x - y).abs() < 1e-12 * scale));
    // Its received attention counts the windows that contain each point: 1/N in the interior.
    let mut a = vec![0.0; n];
    uniform.attention(&noisy, &mut a);
    let w = DEFAULT_WINDOW;
    assert!(a[2 * w..n - 2 * w]
        .iter()
        .all(|v| (v - 1.0 / n as f64).abs() < 1e-15));
    // The initial W_Q, W_K are small, so the untrained model is close to that.
    let mut model = SelfAttention::new(2, DEFAULT_HEADS, DEFAULT_WINDOW);
    let r = model.reconstruct(&noisy, &[]);
    let std = noisy.std_axis(ndarray::Axis(0), 0.0);
    for j in 0..2 {
        let dev = (0..n).fold(0.0_f64, |m, t| m.max((r[[t, j]] - ma[[t, j]]).abs()));
        assert!(
            dev < 0.02 * std[j],
            "coordinate {j}: max |r − MA| = {dev}, std {}",
            std[j]
        );
    }
    let (l_model, l_ma) = (model.loss(&data), uniform.loss(&data));
    assert!(
        (l_model - l_ma).abs() < 0.02 * l_ma,
        "untrained {l_model}, moving average {l_ma}"
    );
    // And a good denoiser from step 0 at this N: far below handing back the observations.
    assert!(l_model < 0.2 * raw_loss(&noisy, &clean));
}

/// Mean over t of ‖x̃_t − x_t‖²: the loss of handing back the observations.
fn raw_loss(noisy: &Array2<f64>, clean: &Array2<f64>) -> f64 {
    noisy
        .iter()
        .zip(clean)
        .map(|(a, b)| (a - b) * (a - b))
        .sum::<f64>()
        / noisy.nrows() as f64
}

#[test]
fn training_lowers_the_loss_below_the_untrained_model_and_the_noise() {
    // Measured (raw, untrained, trained) at W = 8: N = 300: (7.93, 17.4, 1.04); N = 1000: (7.67,
    // 0.571, 0.454). At N = 300 the ±W window spans a large part of a Lotka–Volterra peak, so the
    // untrained moving average is biased far above the noise and training gains 17×; at
    // N = 1000 the moving average is already 13× below the noise and training gains ~20%.
    for (n, lr, steps, factor_untrained, factor_raw) in
        [(300, 0.03, 300, 0.1, 0.25), (1000, 0.01, 300, 0.9, 0.1)]
    {
        let (noisy, clean) = lv_data(n, 2.0);
        let data = TrainingData {
            noisy: &noisy,
            clean: &clean,
        };
        let raw = raw_loss(&noisy, &clean);
        let mut model = SelfAttention::new(2, DEFAULT_HEADS, DEFAULT_WINDOW);
        let mut adam = Adam::new(lr, model.parameters().len());
        let mut gradient = vec![0.0; model.parameters().len()];
        let untrained = model.loss(&data);
        for _ in 0..steps {
            model.loss_and_gradient(&data, &mut gradient);
            adam.update(model.parameters_mut(), &gradient);
        }
        let trained = model.loss(&data);
        let msg = format!("N={n}: raw {raw:.3}, untrained {untrained:.3}, trained {trained:.3}");
        assert!(trained < factor_untrained * untrained, "{msg}");
        assert!(trained < factor_raw * raw, "{msg}");
    }
}

#[test]
fn two_models_built_alike_train_bit_identically() {
    type Data = fn(usize, f64) -> (Array2<f64>, Array2<f64>);
    let cases: [(Data, usize, f64); 2] = [(lv_data, 2, 2.0), (lorenz_data, 3, 1.0)];
    for (data_fn, dim, sigma) in cases {
        let (noisy, clean) = data_fn(200, sigma);
        let data = TrainingData {
            noisy: &noisy,
            clean: &clean,
        };
        let run = || {
            let mut model = SelfAttention::new(dim, DEFAULT_HEADS, DEFAULT_WINDOW);
            let mut adam = Adam::new(0.01, model.parameters().len());
            let mut gradient = vec![0.0; model.parameters().len()];
            for _ in 0..10 {
                let loss = model.loss_and_gradient(&data, &mut gradient);
                // The loss-only path gives the same bits.
                assert_eq!(loss.to_bits(), model.loss(&data).to_bits());
                adam.update(model.parameters_mut(), &gradient);
            }
            (model.loss(&data), model.parameters().to_vec())
        };
        let ((l1, p1), (l2, p2)) = (run(), run());
        assert_eq!(l1.to_bits(), l2.to_bits(), "d={dim}");
        assert!(p1.iter().zip(&p2).all(|(a, b)| a.to_bits() == b.to_bits()));
    }
}

#[test]
fn a_training_step_does_not_allocate_after_the_first() {
    let (noisy, clean) = lorenz_data(300, 1.0);
    let data = TrainingData {
        noisy: &noisy,
        clean: &clean,
    };
    let mut model = SelfAttention::new(3, DEFAULT_HEADS, DEFAULT_WINDOW);
    let mut adam = Adam::new(0.01, model.parameters().len());
    let mut gradient = vec![0.0; model.parameters().len()];
    let mut attention = vec![0.0; 300];
    model.loss_and_gradient(&data, &mut gradient);
    adam.update(model.parameters_mut(), &gradient);
    let probe = allocations();
    std::hint::black_box(vec![0u8; 16]);
    assert!(
        allocations() > probe,
        "the allocation counter counts nothing"
    );
    let before = allocations();
    for _ in 0..5 {
        model.loss_and_gradient(&data, &mut gradient);
        adam.update(model.parameters_mut(), &gradient);
    }
    model.attention(&noisy, &mut attention);
    model.head_attention(&noisy, 1, &mut attention);
    model.loss(&data);
    assert_eq!(allocations() - before, 0);
}

#[test]
fn registered_as_self_attention() {
    let kind: ModelKind = "self-attention".parse().unwrap();
    assert_eq!(kind, ModelKind::SelfAttention);
    assert!(ModelKind::ALL.contains(&kind) && kind.is_learned());
    assert_eq!(serde_json::to_string(&kind).unwrap(), "\"self-attention\"");
    let model = kind.build(&lyapunov_lens::lab::config::Config::default().model_setup());
    assert_eq!(model.kind(), kind);
    assert_eq!(
        model.parameters().len(),
        Layout::new(2, DEFAULT_HEADS, DEFAULT_WINDOW).len()
    );
}

#[test]
fn a_session_trains_it_and_shows_its_received_attention() {
    use lyapunov_lens::lab::config::Config;
    use lyapunov_lens::lab::session::Session;
    let mut session = Session::new(Config {
        model: ModelKind::SelfAttention,
        n: 300,
        ..Config::default()
    })
    .unwrap();
    assert_eq!(session.heads(), DEFAULT_HEADS);
    let untrained = session.metrics().loss;
    assert_eq!(session.step(20), 20);
    assert!(session.diverged().is_none());
    assert!(session.metrics().loss < untrained);
    assert_distribution(session.attention(), "session");
}
