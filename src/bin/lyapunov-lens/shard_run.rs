//! A shard's run: its cells of each of the run's grids (numbered one after another), run on
//! all cores, then written as one shard file for `merge`.

use crate::error::{failed, CliError};
use crate::output::{write_json, write_output};
use crate::parallel_grid::run_cells;
use crate::shard_args::typed_command;
use lyapunov_lens::experiments::grid::GridSpec;
use lyapunov_lens::experiments::sharding::grid_part::GridPart;
use lyapunov_lens::experiments::sharding::shard::Shard;
use lyapunov_lens::experiments::sharding::shard_file::ShardFile;
use std::path::PathBuf;

pub struct ShardRun {
    shard: Shard,
    /// The position in the run's cell order of the next grid's first cell.
    next_cell: usize,
    parts: Vec<GridPart>,
}

impl ShardRun {
    pub fn new(shard: Shard) -> ShardRun {
        ShardRun {
            shard,
            next_cell: 0,
            parts: Vec::new(),
        }
    }

    /// Runs this shard's cells of the grid `spec`, named `grid` in the file.
    pub fn run<S>(&mut self, grid: &str, spec: &S) -> Result<(), CliError>
    where
        S: GridSpec + Sync,
        S::Cell: Sync,
        S::Row: Send,
    {
        let cells = spec.grid().len();
        let owned = GridPart::owned_cells(self.shard, self.next_cell, cells);
        let runs = run_cells(spec, &owned)?;
        self.parts
            .push(GridPart::new(grid, spec, self.next_cell, runs).map_err(failed)?);
        self.next_cell += cells;
        Ok(())
    }

    /// Writes the shard file to `out` (standard output without it).
    pub fn write(self, out: Option<&PathBuf>) -> Result<(), CliError> {
        let file = ShardFile::new(typed_command(), self.shard, self.parts);
        write_output(out, |w| write_json(w, &file))
            .map_err(|e| failed(format!("cannot write the shard: {e}")))?;
        if let Some(path) = out {
            eprintln!("wrote shard {} to {}", self.shard, path.display());
        }
        Ok(())
    }
}
