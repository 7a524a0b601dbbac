//! The key sources every verifying command takes: `--keys FILE`... and `--dns`.

use anyhow::{Context, Result};
use clap::Args;
use std::path::PathBuf;
use tamis_keys::{DnsLookup, KeyFile, KeySources};

#[derive(Args, Clone)]
pub struct KeyArgs {
    /// Key file: TXT records as `dig` prints them, `NAME RECORD` lines, or a
    /// key store made by `tamis keys import`. Repeatable.
    #[arg(long = "keys", value_name = "FILE")]
    pub keys: Vec<PathBuf>,
    /// Also look keys up in live DNS. Off by default: old mail must not be
    /// judged by today's keys unless you ask.
    #[arg(long)]
    pub dns: bool,
}

impl KeyArgs {
    /// Every key source asked for, in the order given; warnings about skipped lines on stderr.
    pub fn load(&self) -> Result<KeySources> {
        let mut sources = KeySources::default();
        for path in &self.keys {
            if tamis_keystore::is_store_file(path) {
                let store = tamis_keystore::KeyStore::open_existing(path)
                    .with_context(|| format!("cannot open the key store {}", path.display()))?;
                sources.push(Box::new(store));
                continue;
            }
            let file = KeyFile::load(path)?;
            for warning in file.warnings() {
                eprintln!("tamis: warning: {warning} (line skipped)");
            }
            sources.push(Box::new(file));
        }
        if self.dns {
            sources.push(Box::new(
                DnsLookup::system().context("cannot set up live DNS lookups (--dns)")?,
            ));
        }
        Ok(sources)
    }
}

/// Analysis threads: as asked, else one per core.
pub fn jobs(asked: Option<usize>) -> usize {
    asked
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1)
}
