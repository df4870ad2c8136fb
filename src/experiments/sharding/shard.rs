//! One shard of a run: `K/N`, the K-th of N. The run's cells are numbered in order over all its
//! grids (a sweep's cells, then the next grid's), and shard K runs the cells i with
//! i mod N = K − 1. Taking every N-th cell rather than a contiguous block balances the load: the
//! grids are ordered by model, system and noise level, whose runs differ in cost many times
//! over, and a block would give one shard all the slow ones. A cell's seed is part of the cell
//! ([`GridSpec::grid`](crate::experiments::grid::GridSpec::grid)), so it does not depend on the
//! shard that runs it.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The K-th of N shards, 1 ≤ K ≤ N; written `K/N`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Shard {
    index: usize,
    count: usize,
}

impl Shard {
    /// Shard `index` of `count`, or why there is none.
    pub fn new(index: usize, count: usize) -> Result<Shard, String> {
        if count == 0 {
            return Err("N in K/N must be at least 1, got 0".into());
        }
        if index == 0 || index > count {
            return Err(format!(
                "K in K/N must be between 1 and N = {count}, got {index}"
            ));
        }
        Ok(Shard { index, count })
    }

    /// K, from 1.
    pub fn index(self) -> usize {
        self.index
    }

    /// N.
    pub fn count(self) -> usize {
        self.count
    }

    /// Whether the cell at `position` in the run's cell order (from 0, over all its grids) is
    /// this shard's.
    pub fn owns(self, position: usize) -> bool {
        position % self.count == self.index - 1
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl FromStr for Shard {
    type Err = String;

    fn from_str(s: &str) -> Result<Shard, String> {
        let (k, n) = s.split_once('/').ok_or_else(|| {
            format!("expected K/N, e.g. 2/8 for the second of 8 shards, got '{s}'")
        })?;
        let whole = |part: &str, name: &str| {
            part.parse::<usize>()
                .map_err(|_| format!("{name} in K/N must be a whole number, got '{part}'"))
        };
        Shard::new(whole(k, "K")?, whole(n, "N")?)
    }
}

impl TryFrom<String> for Shard {
    type Error = String;

    fn try_from(s: String) -> Result<Shard, String> {
        s.parse()
    }
}

impl From<Shard> for String {
    fn from(shard: Shard) -> String {
        shard.to_string()
    }
}
