//! The words the page gives to screen readers and keyboard users, computed natively: the one
//! number formatter (true minus sign), the sample read-out and the keyboard cursor's moves, the
//! canvas captions and descriptions per system and measure, the per-system explanation, and the
//! audio trace's score.

use lyapunov_lens::lab::audio_trace_score::{score, DURATION_S, MAX_NOTES};
use lyapunov_lens::lab::canvas_descriptions::{
    loss_description, phase_caption, phase_description, time_plot_caption, time_plot_description,
};
use lyapunov_lens::lab::config::Config;
use lyapunov_lens::lab::readout_text::{cursor_step, sample_readout};
use lyapunov_lens::lab::session::Session;
use lyapunov_lens::lab::system_explanation::system_paragraphs;
use lyapunov_lens::measures::measure::Measure;
use lyapunov_lens::number_text::{fixed, readable, sci, signed};
use lyapunov_lens::systems::catalogue::SystemKind;

#[test]
fn every_formatter_writes_the_true_minus_sign() {
    assert_eq!(fixed(-0.4321, 2), "−0.43");
    assert_eq!(signed(0.4321, 2), "+0.43");
    assert_eq!(signed(-0.4321, 2), "−0.43");
    assert_eq!(sci(-8.2019e-4, 3), "−8.202e−4");
    assert_eq!(readable(1.5e-7, 3), "1.50e−7");
    assert_eq!(readable(-2.25, 3), "−2.250");
    assert_eq!(readable(f64::NAN, 3), "undefined");
}

#[test]
fn the_verdict_writes_the_true_minus_sign() {
    let mut s = Session::new(Config::default()).unwrap();
    s.step(150);
    let line = s.verdict(None);
    assert!(line.contains("r = "), "{line}");
    assert!(!line.contains('-'), "a hyphen-minus in the verdict: {line}");
}

#[test]
fn the_readout_names_time_state_attention_and_measure() {
    let mut s = Session::new(Config::default()).unwrap();
    s.step(50);
    let text = sample_readout(&s, 11, s.attention()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("sample 12 of 1000, t = "), "{text}");
    assert!(lines[1].starts_with("prey x: observed "), "{text}");
    assert!(lines[3].starts_with("attention × N = "), "{text}");
    assert!(lines[4].starts_with("∂V/∂n = "), "{text}");
    assert!(!text.contains('-'), "{text}");
    assert_eq!(sample_readout(&s, 1000, s.attention()), None);

    let lorenz = Session::new(Config::for_system(SystemKind::Lorenz)).unwrap();
    let text = sample_readout(&lorenz, 0, lorenz.attention()).unwrap();
    assert_eq!(text.lines().count(), 6, "{text}");
    assert!(text.ends_with(&format!("FTLE = {}", readable(lorenz.sensitivity()[0], 4))));
}

#[test]
fn the_keyboard_cursor_moves_by_one_by_a_tenth_and_to_the_ends() {
    assert_eq!(cursor_step(None, 100, "ArrowRight"), Some(0));
    assert_eq!(cursor_step(None, 100, "End"), Some(99));
    assert_eq!(cursor_step(Some(5), 100, "ArrowRight"), Some(6));
    assert_eq!(cursor_step(Some(5), 100, "ArrowLeft"), Some(4));
    assert_eq!(cursor_step(Some(0), 100, "ArrowLeft"), Some(0));
    assert_eq!(cursor_step(Some(99), 100, "ArrowRight"), Some(99));
    assert_eq!(cursor_step(Some(5), 100, "PageUp"), Some(15));
    assert_eq!(cursor_step(Some(95), 100, "PageUp"), Some(99));
    assert_eq!(cursor_step(Some(5), 100, "PageDown"), Some(0));
    assert_eq!(cursor_step(Some(50), 100, "Home"), Some(0));
    assert_eq!(cursor_step(Some(500), 100, "ArrowLeft"), Some(98));
    assert_eq!(cursor_step(Some(5), 100, "a"), None);
    assert_eq!(cursor_step(None, 0, "Home"), None);
}

#[test]
fn captions_speak_of_v_and_kicks_only_where_they_exist() {
    for system in SystemKind::ALL {
        let caption = phase_caption(system, system.run_defaults().projection);
        assert!(caption.contains(system.title()), "{caption}");
        assert_eq!(
            caption.contains("level sets"),
            system.has_lyapunov(),
            "{system}: {caption}"
        );
        assert_eq!(caption.contains("kick"), system.dim() == 2, "{caption}");
        let measure = Measure::default_for(system);
        let caption = time_plot_caption(measure, 1.0);
        assert_eq!(
            caption.contains("∂V/∂n (steepness"),
            system.has_lyapunov(),
            "{caption}"
        );
    }
}

#[test]
fn descriptions_carry_the_runs_key_facts() {
    let mut s = Session::new(Config::default()).unwrap();
    let before = time_plot_description(&s);
    assert!(before.contains("Attention is uniform"), "{before}");
    s.step(200);
    let text = time_plot_description(&s);
    assert!(text.contains("Attention peaks at t = "), "{text}");
    assert!(text.contains("where ∂V/∂n is "), "{text}");
    assert!(text.contains("Spearman ρ = "), "{text}");
    assert!(!text.contains('-'), "{text}");
    let phase = phase_description(&s, s.attention(), (0, 1));
    assert!(phase.contains("Lotka–Volterra"), "{phase}");
    assert!(phase.contains("it is highest at t = "), "{phase}");
    assert!(loss_description(&s).contains("at step 200"));

    let lorenz = Session::new(Config::for_system(SystemKind::Lorenz)).unwrap();
    let text = phase_description(&lorenz, lorenz.attention(), (0, 2));
    assert!(!text.contains("level sets"), "{text}");
    assert!(time_plot_description(&lorenz).contains("FTLE over τ = "));
}

#[test]
fn the_explanation_follows_the_system() {
    let lv = system_paragraphs(SystemKind::LotkaVolterra, Measure::NormalDerivative);
    assert!(lv[0].1.contains("Lotka–Volterra"));
    assert!(lv.iter().any(|(h, _)| *h == "The conserved quantity V."));
    let lorenz = system_paragraphs(SystemKind::Lorenz, Measure::Ftle);
    let all: String = lorenz.iter().map(|(h, p)| format!("{h} {p}")).collect();
    assert!(all.contains("Lorenz"), "{all}");
    assert!(all.contains("chaotic"), "{all}");
    assert!(!all.contains("predator"), "{all}");
    assert!(!all.contains("prey"), "{all}");
    assert!(all.contains("No conserved V."), "{all}");
    assert!(all.contains("FTLE"), "{all}");
}

#[test]
fn the_audio_score_spans_the_run_and_two_octaves() {
    let attention: Vec<f64> = (0..1000).map(|i| i as f64).collect();
    let mut measure: Vec<f64> = (0..1000).map(|i| -(i as f64)).collect();
    measure[0] = f64::NAN;
    let notes = score(&attention, &measure);
    assert_eq!(notes.len(), MAX_NOTES);
    assert_eq!(notes[0].at_s, 0.0);
    assert!((notes.last().unwrap().at_s - DURATION_S).abs() < 1e-12);
    assert!((notes[0].attention_hz - 330.0).abs() < 1e-9);
    assert!((notes.last().unwrap().attention_hz - 1320.0).abs() < 1e-9);
    assert_eq!(notes[0].measure_hz, None);
    assert!((notes.last().unwrap().measure_hz.unwrap() - 110.0).abs() < 1e-9);
    assert!(notes.windows(2).all(|w| w[1].at_s > w[0].at_s));
    assert!(score(&[], &[]).is_empty());
    let flat = score(&[1.0; 5], &[2.0; 5]);
    assert_eq!(flat.len(), 5);
    assert!((flat[0].attention_hz - 660.0).abs() < 1e-9);
}
