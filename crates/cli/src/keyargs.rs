//! The key sources every verifying command takes: `--keys FILE`... and `--dns`.

use anyhow::{Context, Result};
use clap::Args;
use std::path::PathBuf;
use std::sync::Arc;
use tamis_keys::{DnsLookup, KeyFile, KeySources};
use tamis_keystore::KeyStore;

#[derive(Args, Clone)]
pub struct KeyArgs {
    /// Key file: TXT records as `dig` prints them, `NAME RECORD` lines, or a
    /// key store made by `tamis keys import`. Repeatable.
    #[arg(long = "keys", value_name = "FILE")]
    pub keys: Vec<PathBuf>,
    /// Also look keys up in live DNS. Off by default: old mail must not be
    /// judged by today's keys unless you ask. With a key store among
    /// `--keys`, the answers are written to it with their time.
    #[arg(long)]
    pub dns: bool,
}

/// The key sources of a run, with handles on the live DNS source and the
/// first key store, so DNS answers can be kept once the run is over.
pub struct LoadedKeys {
    pub sources: KeySources,
    dns: Option<Arc<DnsLookup>>,
    store: Option<Arc<KeyStore>>,
}

impl LoadedKeys {
    /// Writes every record live DNS returned into the first key store
    /// given, so the next run is reproducible offline; says so on stderr.
    pub fn keep_dns_answers(&self) -> Result<()> {
        let Some(dns) = &self.dns else { return Ok(()) };
        let answers = dns.answers();
        let Some(store) = &self.store else {
            if !answers.is_empty() {
                eprintln!(
                    "tamis: {} live DNS records were used but not kept: give a key store \
                     (`--keys FILE.sqlite`, made by `tamis keys import`) to record them",
                    answers.len()
                );
            }
            return Ok(());
        };
        for answer in &answers {
            store
                .add_dns_record(
                    &answer.name,
                    &answer.record,
                    dns.server(),
                    answer.looked_up_at,
                )
                .with_context(|| format!("cannot record a DNS answer in {}", store.label()))?;
        }
        if !answers.is_empty() {
            eprintln!(
                "tamis: {} live DNS records written to the key store {}",
                answers.len(),
                store.label()
            );
        }
        Ok(())
    }
}

impl KeyArgs {
    /// Every key source asked for, in the order given; warnings about skipped lines on stderr.
    pub fn load(&self) -> Result<LoadedKeys> {
        let mut sources = KeySources::default();
        let mut first_store = None;
        for path in &self.keys {
            if tamis_keystore::is_store_file(path) {
                let store =
                    Arc::new(KeyStore::open_existing(path).with_context(|| {
                        format!("cannot open the key store {}", path.display())
                    })?);
                first_store.get_or_insert_with(|| Arc::clone(&store));
                sources.push(Box::new(store));
                continue;
            }
            let file = KeyFile::load(path)?;
            for warning in file.warnings() {
                eprintln!("tamis: warning: {warning} (line skipped)");
            }
            sources.push(Box::new(file));
        }
        let mut dns = None;
        if self.dns {
            let lookup =
                Arc::new(DnsLookup::system().context("cannot set up live DNS lookups (--dns)")?);
            sources.push(Box::new(Arc::clone(&lookup)));
            dns = Some(lookup);
        }
        Ok(LoadedKeys {
            sources,
            dns,
            store: first_store,
        })
    }
}

/// Analysis threads: as asked, else one per core.
pub fn jobs(asked: Option<usize>) -> usize {
    asked
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1)
}
