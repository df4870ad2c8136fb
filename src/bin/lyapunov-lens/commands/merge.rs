//! `lyapunov-lens merge`: the N shard files of one `sweep` or `findings` run (`--shard K/N`)
//! back into that run's output, byte for byte what the single run writes, where it would write
//! it. The files must be all N shards of one run (one fingerprint), written by this version.

use crate::commands::{findings, sweep};
use crate::error::{usage_error, CliError};
use crate::grid_source::GridSource;
use clap::{Args, Parser};
use lyapunov_lens::experiments::sharding::shard_file::{ShardFile, ShardSet};
use std::path::PathBuf;

#[derive(Args)]
pub struct MergeArgs {
    /// The shard files, all N of them, in any order.
    #[arg(required = true, value_name = "SHARD")]
    shards: Vec<PathBuf>,
}

/// The commands a shard can be of, parsed from a shard file's `command`.
#[derive(Parser)]
#[command(name = "lyapunov-lens", no_binary_name = true)]
enum ShardedCommand {
    Sweep(sweep::SweepArgs),
    Findings(findings::FindingsArgs),
}

pub fn execute(args: &MergeArgs) -> Result<(), CliError> {
    let files = args
        .shards
        .iter()
        .map(|path| Ok((path.display().to_string(), read_shard(path)?)))
        .collect::<Result<Vec<_>, CliError>>()?;
    let shards = ShardSet::new(files).map_err(usage_error)?;
    let command = shards.command();
    let parsed = ShardedCommand::try_parse_from(command).map_err(|e| {
        let first = e.to_string();
        usage_error(format!(
            "the shards' command `lyapunov-lens {}` does not parse here: {}",
            command.join(" "),
            first.lines().next().unwrap_or_default()
        ))
    })?;
    let source = GridSource::Shards(&shards);
    match parsed {
        ShardedCommand::Sweep(run) if run.shard.shard.is_none() => sweep::merge(&run, &source),
        ShardedCommand::Findings(run) if run.shard.shard.is_none() => {
            findings::merge(&run, &source, command)
        }
        _ => Err(usage_error(
            "the shards' command is itself a shard's".into(),
        )),
    }
}

/// One shard file, or a usage error naming it.
fn read_shard(path: &PathBuf) -> Result<ShardFile, CliError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| usage_error(format!("cannot read {}: {e}", path.display())))?;
    serde_json::from_str(&text).map_err(|e| {
        usage_error(format!(
            "{} is not a lyapunov-lens shard file: {e}",
            path.display()
        ))
    })
}
