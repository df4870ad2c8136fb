//! Where a command's grid rows come from: every cell run here, or the shards' rows read by
//! `merge`. Either way the report is built by [`GridReport::new`] from rows in grid order, so
//! the summaries, tables and figures that follow are the same code on the same bits.

use crate::error::{usage_error, CliError};
use crate::parallel_grid::run_grid;
use lyapunov_lens::experiments::grid::{GridReport, GridSpec};
use lyapunov_lens::experiments::sharding::shard_file::ShardSet;

pub enum GridSource<'a> {
    /// Every cell, run here on all cores.
    Here,
    /// The rows of a complete set of shard files.
    Shards(&'a ShardSet),
}

impl GridSource<'_> {
    /// The report of the grid `spec`, named `grid` in a shard file.
    pub fn report<S>(&self, grid: &str, spec: S) -> Result<GridReport<S>, CliError>
    where
        S: GridSpec + Sync,
        S::Cell: Sync,
        S::Row: Send,
    {
        match self {
            GridSource::Here => run_grid(spec),
            GridSource::Shards(shards) => {
                let rows = shards.rows(grid, &spec).map_err(usage_error)?;
                Ok(GridReport::new(spec, rows))
            }
        }
    }
}
