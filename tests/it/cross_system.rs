//! The cross-system sweep: its grid skips models that do not apply, every trained run is
//! measured against every measure its system has, and the report's table and statements follow.
//! If it fails, the cross-system section of FINDINGS.md is wrong or incomplete.

use lyapunov_lens::experiments::cross_system::{CrossSystemReport, CrossSystemSpec};
use lyapunov_lens::experiments::findings::render_cross;
use lyapunov_lens::experiments::grid::{summarize, GridSpec};
use lyapunov_lens::measures::measure::Measure;
use lyapunov_lens::models::kind::ModelKind;
use lyapunov_lens::systems::catalogue::SystemKind;
use lyapunov_lens::training::budget::Budget;

fn spec() -> CrossSystemSpec {
    CrossSystemSpec {
        systems: vec![SystemKind::LotkaVolterra, SystemKind::Lorenz],
        models: vec![ModelKind::PaperLinear, ModelKind::OracleInverseVariance],
        noise_levels: vec![1.0],
        seeds: vec![0, 1, 2],
        budget: Budget::Steps(40),
        n: 200,
    }
}

fn report() -> CrossSystemReport {
    let spec = spec();
    let rows: Vec<_> = spec
        .grid()
        .iter()
        .flat_map(|cell| spec.run_cell(cell).unwrap())
        .collect();
    let summary = summarize(&spec, &rows);
    CrossSystemReport {
        spec,
        rows,
        summary,
    }
}

#[test]
fn the_grid_skips_inapplicable_models_and_scales_sigma_per_system() {
    let grid = spec().grid();
    // LV: two models × 3 seeds; Lorenz: paper-linear only (no V for the oracle) × 3 seeds.
    assert_eq!(grid.len(), 9);
    assert!(grid
        .iter()
        .all(|(_, c)| c.model.check(c.system).is_ok() && c.validate().is_ok()));
    let lorenz = grid
        .iter()
        .find(|(_, c)| c.system == SystemKind::Lorenz)
        .unwrap();
    assert_eq!(lorenz.1.sigma, SystemKind::Lorenz.run_defaults().sigma);
}

#[test]
fn every_run_is_measured_against_every_measure_of_its_system() {
    let r = report();
    // LV: 6 runs × 3 measures; Lorenz: 3 runs × FTLE.
    assert_eq!(r.rows.len(), 6 * 3 + 3);
    for row in &r.rows {
        assert!(Measure::available(row.system).any(|m| m == row.measure));
        // 40 steps exactly for the learned model; the oracle has nothing to train.
        let want = if row.model == ModelKind::PaperLinear {
            40
        } else {
            0
        };
        assert_eq!(row.steps, want);
    }
    // The same trained attention against different measures: the same spread, other correlations.
    let lv: Vec<_> = r
        .rows
        .iter()
        .filter(|x| {
            x.system == SystemKind::LotkaVolterra
                && x.model == ModelKind::PaperLinear
                && x.seed == 0
        })
        .collect();
    assert_eq!(lv.len(), 3);
    assert!(lv.iter().all(|x| x.max_over_min == lv[0].max_over_min));
    assert_ne!(lv[0].pearson, lv[1].pearson);
    // Deterministic: a second run gives the same numbers.
    assert_eq!(report().rows, r.rows);
}

#[test]
fn the_report_has_one_row_per_cell_and_statements_per_system() {
    let md = render_cross(&report());
    let table_rows = md
        .lines()
        .filter(|l| l.starts_with("| lotka-volterra") || l.starts_with("| lorenz"))
        .count();
    assert_eq!(table_rows, 2 * 3 + 1, "{md}");
    assert!(
        md.contains("- **lotka-volterra**:") && md.contains("- **lorenz**:"),
        "{md}"
    );
    // The primary test's family is every cell of the table.
    assert!(md.contains("Holm-adjusted across all 7 cells"), "{md}");
    // Normal growth repeats ∂V/∂n where V exists: shown, not counted.
    assert_eq!(md.matches("(not counted)").count(), 2, "{md}");
    assert!(!md.contains("| lorenz | `oracle-inverse-variance`"), "{md}");
}
