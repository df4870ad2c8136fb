//! Where and how a command writes: the `--format` choice and `--out` (a file) or standard
//! output, buffered.

use clap::ValueEnum;
use std::io::Write;
use std::path::PathBuf;

#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    /// JSON.
    Json,
    /// CSV with a header row.
    Csv,
}

/// Runs `body` on a buffered writer to `path`, or to standard output when there is none.
pub fn write_output(
    path: Option<&PathBuf>,
    body: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    match path {
        Some(p) => {
            let mut file = std::io::BufWriter::new(std::fs::File::create(p)?);
            body(&mut file)?;
            file.flush()
        }
        None => {
            let stdout = std::io::stdout();
            let mut lock = std::io::BufWriter::new(stdout.lock());
            body(&mut lock)?;
            lock.flush()
        }
    }
}

/// `value` as JSON on one line.
pub fn write_json(w: &mut dyn Write, value: &impl serde::Serialize) -> std::io::Result<()> {
    serde_json::to_writer(&mut *w, value).map_err(std::io::Error::other)?;
    writeln!(w)
}

/// `value` as indented JSON.
pub fn write_json_pretty(w: &mut dyn Write, value: &impl serde::Serialize) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *w, value).map_err(std::io::Error::other)?;
    writeln!(w)
}
