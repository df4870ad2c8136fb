//! Every score model's hand-derived gradient against finite differences, proof that the check
//! catches a gradient wrong by 0.1%, their attention as distributions, and the oracle's weights.
//! If it fails, training follows a wrong gradient (or the check has gone blind), and the
//! attention the page shows is not what the model computes.

use crate::common::finite_difference::{gradient_error, lv_data, WrongGradient};
use lyapunov_lens::lab::config::Config;
use lyapunov_lens::models::{AttentionModel, ModelKind, TrainingData};
use lyapunov_lens::systems::lotka_volterra::LotkaVolterra;

/// The shared check with all of θ as one block: a single global scale, the gradient's largest
/// component (at least 1e-3), for these three-parameter models.
fn global_gradient_error(model: &mut dyn AttentionModel, data: &TrainingData) -> f64 {
    let all = 0..model.parameters().len();
    gradient_error(model, &[all], data)
}

const PARAMETER_POINTS: [[f64; 3]; 4] = [
    [0.0, 0.0, 0.0],
    [0.02, -0.03, 0.1],
    [-0.05, 0.04, -1.0],
    [0.1, 0.08, 2.0],
];

/// The learned models whose θ is (w_1, w_2, b) on d = 2 data, which the tests below set to
/// [`PARAMETER_POINTS`]. Self-attention has hundreds of parameters and windowed, not global,
/// attention: its own checks (gradient, rejection of a wrong one, attention) are in
/// `tests/it/self_attention.rs`.
fn score_model(kind: ModelKind) -> bool {
    kind.is_learned() && kind != ModelKind::SelfAttention
}

#[test]
fn every_model_passes_the_gradient_check_to_1e_minus_6() {
    for kind in ModelKind::ALL {
        if !kind.is_learned() {
            assert!(
                kind.build(&Config::default().model_setup())
                    .parameters()
                    .is_empty(),
                "{kind} has parameters"
            );
            continue;
        }
        if !score_model(kind) {
            continue;
        }
        for sigma in [0.0, 0.5, 2.0] {
            let (noisy, clean) = lv_data(300, sigma);
            let data = TrainingData {
                noisy: &noisy,
                clean: &clean,
            };
            for theta in PARAMETER_POINTS {
                let mut model = kind.build(&Config::default().model_setup());
                model.parameters_mut().copy_from_slice(&theta);
                let err = global_gradient_error(model.as_mut(), &data);
                assert!(
                    err <= 1e-6,
                    "{kind} at σ={sigma}, θ={theta:?}: relative error {err:e}"
                );
            }
        }
    }
}

#[test]
fn the_check_rejects_a_gradient_that_is_wrong_by_a_tenth_of_a_percent() {
    let (noisy, clean) = lv_data(300, 2.0);
    let data = TrainingData {
        noisy: &noisy,
        clean: &clean,
    };
    for kind in ModelKind::ALL.into_iter().filter(|&k| score_model(k)) {
        let mut model = WrongGradient {
            model: kind.build(&Config::default().model_setup()),
            index: 1,
        };
        model.parameters_mut().copy_from_slice(&PARAMETER_POINTS[1]);
        let err = global_gradient_error(&mut model, &data);
        assert!(
            err > 1e-6,
            "{kind}: a wrong gradient passed with error {err:e}"
        );
    }
}

#[test]
fn attention_is_a_distribution_and_uniform_at_initialisation() {
    let (noisy, _) = lv_data(500, 2.0);
    for kind in ModelKind::ALL.into_iter().filter(|&k| score_model(k)) {
        let mut model = kind.build(&Config::default().model_setup());
        let mut a = vec![0.0; 500];
        model.attention(&noisy, &mut a);
        assert!(a.iter().all(|&v| (v - 1.0 / 500.0).abs() < 1e-15));
        model.parameters_mut().copy_from_slice(&[0.3, -0.2, 5.0]);
        model.attention(&noisy, &mut a);
        assert!((a.iter().sum::<f64>() - 1.0).abs() < 1e-12 && a.iter().all(|&v| v >= 0.0));
    }
}

#[test]
fn scaled_model_reconstructs_the_data_under_uniform_attention() {
    let (noisy, clean) = lv_data(400, 0.0);
    let mut model = ModelKind::PaperLinear.build(&Config::default().model_setup());
    let mut a = vec![0.0; 400];
    model.attention(&noisy, &mut a);
    let r = model.reconstruct(&noisy, &a);
    assert!(r.iter().zip(&clean).all(|(x, y)| (x - y).abs() < 1e-12));
    // ...so its loss at σ = 0 and θ = 0 is zero up to rounding.
    assert!(
        model.loss(&TrainingData {
            noisy: &noisy,
            clean: &clean
        }) < 1e-20
    );
}

mod oracle {
    use super::*;
    use lyapunov_lens::lab::session::Session;
    use lyapunov_lens::systems::system::LyapunovFunction;

    #[test]
    fn weights_are_inverse_squared_gradient_norms_and_sum_to_one() {
        let (noisy, _) = lv_data(400, 0.5);
        let system = LotkaVolterra::default();
        let mut oracle = ModelKind::OracleInverseVariance.build(&Config::default().model_setup());
        let mut a = vec![0.0; 400];
        oracle.attention(&noisy, &mut a);
        assert!((a.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        let inv = |i: usize| {
            let mut g = [0.0; 2];
            system.gradient(&[noisy[[i, 0]], noisy[[i, 1]]], &mut g);
            1.0 / (g[0] * g[0] + g[1] * g[1])
        };
        for (i, j) in [(0, 1), (17, 250), (99, 398)] {
            assert!(
                (a[i] / a[j] - inv(i) / inv(j)).abs() < 1e-9 * (inv(i) / inv(j)),
                "{i} vs {j}"
            );
        }
    }

    #[test]
    fn training_the_oracle_changes_nothing_and_it_aligns_by_construction() {
        // Without noise the weights are a decreasing function of |∇V| = ∂V/∂n on the orbit itself,
        // so their ranks are exactly reversed (Spearman −1) while Pearson, a linear measure, sees
        // little of this very nonlinear relation.
        let config = Config {
            model: ModelKind::OracleInverseVariance,
            sigma: 0.0,
            ..Config::default()
        };
        let mut s = Session::new(config).unwrap();
        let (before, loss) = (s.attention().to_vec(), s.metrics().loss);
        // Nothing to train: the oracle is at its only point from the start.
        assert_eq!(s.step(50), 0);
        assert!(s.training_status().is_converged());
        assert_eq!(s.attention(), &before[..]);
        assert_eq!(s.metrics().loss, loss);
        let m = s.metrics();
        assert_eq!(m.spearman, Some(-1.0), "{m:?}");
        assert!(m.pearson.unwrap() < 0.0);
        // With noise the weights are taken at the noisy points and the alignment weakens.
        let noisy = Session::new(Config {
            model: ModelKind::OracleInverseVariance,
            sigma: 0.5,
            ..Config::default()
        })
        .unwrap();
        let rho = noisy.metrics().spearman.unwrap();
        assert!(rho < -0.2 && rho > -1.0, "σ = 0.5: ρ = {rho}");
    }
}

/// Largest |analytic − numeric| Hessian entry relative to the largest analytic entry, the
/// numeric Hessian from 4-point central differences of the analytic gradient (step 1e-4 of a
/// parameter's scale), symmetrised. `wrong` multiplies one analytic entry (and its mirror) by
/// a factor, to prove the check can see that.
fn hessian_error(
    model: &mut dyn AttentionModel,
    data: &TrainingData,
    wrong: Option<(usize, f64)>,
) -> f64 {
    let p = model.parameters().len();
    let theta = model.parameters().to_vec();
    let (mut g, mut h) = (vec![0.0; p], vec![0.0; p * p]);
    let loss = model
        .loss_gradient_hessian(data, &mut g, &mut h)
        .expect("the model has an analytic Hessian");
    let mut g_plain = vec![0.0; p];
    assert_eq!(loss, model.loss_and_gradient(data, &mut g_plain));
    assert_eq!(g, g_plain, "the Hessian call's gradient is the gradient's");
    if let Some((k, factor)) = wrong {
        let (i, j) = (k / p, k % p);
        h[i * p + j] *= factor;
        if i != j {
            h[j * p + i] *= factor;
        }
    }
    let mut numeric = vec![0.0; p * p];
    let mut gradient_at = |j: usize, offset: f64| {
        let mut moved = theta.clone();
        moved[j] += offset;
        model.parameters_mut().copy_from_slice(&moved);
        let mut out = vec![0.0; p];
        model.loss_and_gradient(data, &mut out);
        out
    };
    for j in 0..p {
        let step = 1e-4 * theta[j].abs().max(1e-2);
        let (p1, m1) = (gradient_at(j, step), gradient_at(j, -step));
        let (p2, m2) = (gradient_at(j, 2.0 * step), gradient_at(j, -2.0 * step));
        for i in 0..p {
            numeric[i * p + j] = (8.0 * (p1[i] - m1[i]) - (p2[i] - m2[i])) / (12.0 * step);
        }
    }
    model.parameters_mut().copy_from_slice(&theta);
    let scale = h.iter().fold(1e-12_f64, |m, x| m.max(x.abs()));
    (0..p * p)
        .map(|k| {
            let (i, j) = (k / p, k % p);
            let symmetric = 0.5 * (numeric[i * p + j] + numeric[j * p + i]);
            (h[k] - symmetric).abs() / scale
        })
        .fold(0.0, f64::max)
}

#[test]
fn analytic_hessians_match_central_differences_of_the_gradient_to_1e_minus_6() {
    for kind in ModelKind::ALL {
        let mut model = kind.build(&Config::default().model_setup());
        if !model.has_analytic_hessian() {
            continue;
        }
        for sigma in [0.0, 0.5, 2.0] {
            let (noisy, clean) = lv_data(300, sigma);
            let data = TrainingData {
                noisy: &noisy,
                clean: &clean,
            };
            for theta in PARAMETER_POINTS {
                model.parameters_mut().copy_from_slice(&theta);
                let err = hessian_error(model.as_mut(), &data, None);
                assert!(
                    err <= 1e-6,
                    "{kind} at σ={sigma}, θ={theta:?}: relative error {err:e}"
                );
            }
        }
    }
}

#[test]
fn the_hessian_check_rejects_an_entry_wrong_by_a_tenth_of_a_percent() {
    let (noisy, clean) = lv_data(300, 2.0);
    let data = TrainingData {
        noisy: &noisy,
        clean: &clean,
    };
    let mut model = ModelKind::PaperLinear.build(&Config::default().model_setup());
    model.parameters_mut().copy_from_slice(&PARAMETER_POINTS[1]);
    // Entries of the w block: (0,0), (0,1) and (1,1) of the 3×3 Hessian.
    for k in [0, 1, 4] {
        let err = hessian_error(model.as_mut(), &data, Some((k, 1.001)));
        assert!(err > 1e-6, "entry {k} off by 0.1% passed: {err:e}");
    }
}
