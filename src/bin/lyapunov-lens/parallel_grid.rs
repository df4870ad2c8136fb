//! The one parallel runner for every grid (`sweep`, `figure --kind sweep`, `findings` and its
//! cross-system table, and their shards): all cores, with a progress bar on standard error.

use crate::error::{failed, CliError};
use indicatif::{ProgressBar, ProgressStyle};
use lyapunov_lens::experiments::grid::{GridReport, GridSpec};
use lyapunov_lens::experiments::sharding::grid_part::CellRuns;
use rayon::prelude::*;

/// Runs every cell of `spec` on all cores with a progress bar on stderr (hidden when stderr is
/// not a terminal). Rows come back in grid order, so the output does not depend on scheduling.
pub fn run_grid<S>(spec: S) -> Result<GridReport<S>, CliError>
where
    S: GridSpec + Sync,
    S::Cell: Sync,
    S::Row: Send,
{
    let all: Vec<usize> = (0..spec.grid().len()).collect();
    let rows: Vec<S::Row> = run_cells(&spec, &all)?
        .into_iter()
        .flat_map(|(_, rows)| rows)
        .collect();
    Ok(GridReport::new(spec, rows))
}

/// Runs the cells of `spec` at `indices` (into [`GridSpec::grid`]) on all cores with a progress
/// bar on stderr: each index with its rows, in the order of `indices`.
pub fn run_cells<S>(spec: &S, indices: &[usize]) -> Result<CellRuns<S::Row>, CliError>
where
    S: GridSpec + Sync,
    S::Cell: Sync,
    S::Row: Send,
{
    let grid = spec.grid();
    let bar = ProgressBar::new(indices.len() as u64);
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} [{bar:40}] {pos}/{len} runs, {elapsed} elapsed, ~{eta} left",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    let rows: Result<CellRuns<S::Row>, String> = indices
        .par_iter()
        .map(|&i| {
            let rows = spec.run_cell(&grid[i]);
            bar.inc(1);
            rows.map(|rows| (i, rows))
        })
        .collect();
    bar.finish();
    rows.map_err(failed)
}
