//! `--shard K/N` and `--shard-out FILE`, for the commands whose grids can be split across
//! machines (`sweep`, `findings`), and the single-run command a shard is part of.

use clap::Args;
use lyapunov_lens::experiments::sharding::shard::Shard;
use std::path::PathBuf;

#[derive(Args)]
pub struct ShardArgs {
    /// Run only shard K of N (1 ≤ K ≤ N): the grid cells i with i mod N = K − 1, written with
    /// their rows for `lyapunov-lens merge` instead of the usual output.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<Shard>,
    /// The shard's file (JSON); standard output without it.
    #[arg(long, value_name = "FILE", requires = "shard")]
    pub shard_out: Option<PathBuf>,
}

/// The arguments as typed (the program name left out), without `--shard` and `--shard-out`:
/// the single run this is, or is a shard of.
pub fn typed_command() -> Vec<String> {
    single_run_command(std::env::args().skip(1))
}

/// `args` without `--shard K/N`, `--shard-out FILE` and their `--flag=value` forms.
fn single_run_command(args: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut out = Vec::new();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        if arg == "--shard" || arg == "--shard-out" {
            args.next();
        } else if !(arg.starts_with("--shard=") || arg.starts_with("--shard-out=")) {
            out.push(arg);
        }
    }
    out
}
