//! The file a shard writes, and the checks `merge` makes of the N files before it uses them.
//! One JSON object: `format` (always `lyapunov-lens shard`), the `version` of lyapunov-lens that
//! wrote it, the `command` it is a shard of (the single run's arguments, without `--shard` and
//! `--shard-out`), its `fingerprint`, `shard` (`K/N`) and `grids`, one [`GridPart`] per grid of
//! the run, each with the spec and this shard's rows.

use crate::experiments::grid::GridSpec;
use crate::experiments::sharding::grid_part::GridPart;
use crate::experiments::sharding::shard::Shard;
use serde::{Deserialize, Serialize};

/// What every shard file says it is.
pub const FORMAT: &str = "lyapunov-lens shard";

/// The version of lyapunov-lens, written into every shard and required by `merge`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// One shard's file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShardFile {
    pub format: String,
    pub version: String,
    /// The arguments of the single run this is a shard of (the program name left out).
    pub command: Vec<String>,
    /// FNV-1a (64-bit, hex) of the version, the command and every grid's name, spec, size and
    /// columns: the same for every shard of one run.
    pub fingerprint: String,
    pub shard: Shard,
    pub grids: Vec<GridPart>,
}

impl ShardFile {
    /// Shard `shard` of the run `command`, with its part of each grid.
    pub fn new(command: Vec<String>, shard: Shard, grids: Vec<GridPart>) -> ShardFile {
        let mut file = ShardFile {
            format: FORMAT.to_string(),
            version: VERSION.to_string(),
            command,
            fingerprint: String::new(),
            shard,
            grids,
        };
        file.fingerprint = file.computed_fingerprint();
        file
    }

    /// The fingerprint of the file's run, computed from its contents.
    pub fn computed_fingerprint(&self) -> String {
        let grids: Vec<_> = self
            .grids
            .iter()
            .map(|g| (&g.grid, &g.spec, g.cells, g.first_cell, &g.columns))
            .collect();
        let text =
            serde_json::to_string(&(&self.version, &self.command, grids)).unwrap_or_default();
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for byte in text.bytes() {
            h = (h ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
        format!("{h:016x}")
    }
}

/// The N files of one run, checked: each a shard file of this version, all of one run, each
/// shard exactly once. Held in shard order.
#[derive(Debug)]
pub struct ShardSet {
    files: Vec<ShardFile>,
}

impl ShardSet {
    /// `files`, each with the name it was read from (for the messages), checked.
    pub fn new(files: Vec<(String, ShardFile)>) -> Result<ShardSet, String> {
        let Some((first_name, first)) = files.first() else {
            return Err("no shard files given".into());
        };
        for (name, file) in &files {
            ShardSet::check_one(name, file)?;
            if file.fingerprint != first.fingerprint {
                let how = if file.command == first.command {
                    "the same arguments but other grids".to_string()
                } else {
                    format!(
                        "`{}` against `{}`",
                        file.command.join(" "),
                        first.command.join(" ")
                    )
                };
                return Err(format!(
                    "{name} is from a different run than {first_name} (fingerprint {} against {}): {how}",
                    file.fingerprint, first.fingerprint
                ));
            }
            if file.shard.count() != first.shard.count() {
                return Err(format!(
                    "{name} is shard {} but {first_name} is shard {}: the shards of one run share N",
                    file.shard, first.shard
                ));
            }
        }
        let n = first.shard.count();
        let mut seen: Vec<Option<&str>> = vec![None; n];
        for (name, file) in &files {
            if let Some(other) = seen[file.shard.index() - 1].replace(name.as_str()) {
                return Err(format!(
                    "shard {} is given twice: {other} and {name}",
                    file.shard
                ));
            }
        }
        let missing: Vec<String> = (1..=n)
            .filter(|k| seen[k - 1].is_none())
            .map(|k| format!("{k}/{n}"))
            .collect();
        if !missing.is_empty() {
            return Err(format!(
                "missing shard{} {}: merge needs all {n} shards of the run",
                if missing.len() == 1 { "" } else { "s" },
                missing.join(", ")
            ));
        }
        let mut files: Vec<ShardFile> = files.into_iter().map(|(_, f)| f).collect();
        files.sort_by_key(|f| f.shard.index());
        Ok(ShardSet { files })
    }

    /// A file's own checks: its format, version and fingerprint.
    fn check_one(name: &str, file: &ShardFile) -> Result<(), String> {
        if file.format != FORMAT {
            return Err(format!(
                "{name} is not a lyapunov-lens shard file (its format is '{}')",
                file.format
            ));
        }
        if file.version != VERSION {
            return Err(format!(
                "{name} was written by lyapunov-lens {}, and this is {VERSION}: merge with the version that ran the shards",
                file.version
            ));
        }
        if file.fingerprint != file.computed_fingerprint() {
            return Err(format!(
                "{name}: its fingerprint does not match its contents (was it edited?)"
            ));
        }
        Ok(())
    }

    /// The arguments of the single run the shards are of.
    pub fn command(&self) -> &[String] {
        &self.files[0].command
    }

    /// Every row of the grid named `grid`, of spec `spec`, in grid order.
    pub fn rows<S: GridSpec>(&self, grid: &str, spec: &S) -> Result<Vec<S::Row>, String> {
        let parts: Vec<&GridPart> = self
            .files
            .iter()
            .flat_map(|f| f.grids.iter().filter(|g| g.grid == grid))
            .collect();
        if parts.is_empty() {
            return Err(format!("the shards have no {grid} grid"));
        }
        GridPart::merge(&parts, spec)
    }
}
