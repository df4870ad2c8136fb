//! The one parallel runner for every grid (`sweep`, `figure --kind sweep`, `findings` and its
//! cross-system table): all cores, with a progress bar on standard error.

use crate::error::{failed, CliError};
use indicatif::{ProgressBar, ProgressStyle};
use lyapunov_lens::experiments::grid::{GridReport, GridSpec};
use rayon::prelude::*;

/// Runs every cell of `spec` on all cores with a progress bar on stderr (hidden when stderr is
/// not a terminal). Rows come back in grid order, so the output does not depend on scheduling.
pub fn run_grid<S>(spec: S) -> Result<GridReport<S>, CliError>
where
    S: GridSpec + Sync,
    S::Cell: Sync,
    S::Row: Send,
{
    let grid = spec.grid();
    let bar = ProgressBar::new(grid.len() as u64);
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} [{bar:40}] {pos}/{len} runs, {elapsed} elapsed, ~{eta} left",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    let rows: Result<Vec<Vec<S::Row>>, String> = grid
        .par_iter()
        .map(|cell| {
            let rows = spec.run_cell(cell);
            bar.inc(1);
            rows
        })
        .collect();
    bar.finish();
    let rows = rows.map_err(failed)?.into_iter().flatten().collect();
    Ok(GridReport::new(spec, rows))
}
