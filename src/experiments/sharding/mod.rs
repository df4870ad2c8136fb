//! Splitting a run's grids across machines: `--shard K/N` runs every N-th cell ([`shard`]),
//! writes its rows in a form that reads back bit for bit ([`grid_part`]), inside a file that
//! names the run it belongs to ([`shard_file`]); `merge` checks that the N files are one run's,
//! complete, and puts the rows back in grid order, so that the summaries, the tables and the
//! report are computed by the same code from the same bits as in a single run. Pure: the CLI
//! runs the cells and reads and writes the files.

pub mod grid_part;
pub mod shard;
pub mod shard_file;
