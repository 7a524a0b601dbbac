//! `tamis verify`: every unique message under the given paths, with what its
//! signatures prove.

mod collect;
mod pipeline;
mod summary;
mod text;

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;
use tamis_keys::{DnsLookup, KeyFile, KeySources};

#[derive(Args)]
pub struct VerifyArgs {
    /// Files or directories: .eml, mbox, maildir, trees of them, .zip, .tar, .tar.gz (nested).
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Key file: TXT records as `dig` prints them, or `NAME RECORD` lines. Repeatable.
    #[arg(long = "keys", value_name = "FILE")]
    keys: Vec<PathBuf>,
    /// Also look keys up in live DNS. Off by default: old mail must not be
    /// judged by today's keys unless you ask.
    #[arg(long)]
    dns: bool,
    /// Output: a readable table, or one JSON object per message on stdout.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Analysis threads (default: one per core).
    #[arg(long, value_name = "N")]
    jobs: Option<usize>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Text,
    Jsonl,
}

pub fn run(args: VerifyArgs) -> Result<ExitCode> {
    let started = Instant::now();
    let keys = load_keys(&args)?;
    let jobs = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1);

    let collected = pipeline::run(&args.paths, &keys, jobs)?;
    let summary = collected.summary(started.elapsed());

    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match args.format {
        Format::Jsonl => {
            for line in collected.json_lines()? {
                out.write_all(&line?)?;
            }
            out.flush()?;
            eprintln!("{}", serde_json::to_string(&summary.json())?);
        }
        Format::Text => {
            text::write_table(&mut out, collected.reports()?)?;
            text::write_summary(&mut out, &summary)?;
            out.flush()?;
        }
    }
    Ok(if summary.nothing_read() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn load_keys(args: &VerifyArgs) -> Result<KeySources> {
    let mut sources = KeySources::default();
    for path in &args.keys {
        let file = KeyFile::load(path)?;
        for warning in file.warnings() {
            eprintln!("tamis: warning: {warning} (line skipped)");
        }
        sources.push(Box::new(file));
    }
    if args.dns {
        sources.push(Box::new(
            DnsLookup::system().context("cannot set up live DNS lookups (--dns)")?,
        ));
    }
    Ok(sources)
}
