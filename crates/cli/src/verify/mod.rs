//! `tamis verify`: every unique message under the given paths, with what its
//! signatures prove.

mod collect;
mod pipeline;
mod summary;
mod text;

use anyhow::Result;
use clap::{Args, ValueEnum};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use crate::keyargs::{self, KeyArgs};

#[derive(Args)]
pub struct VerifyArgs {
    /// Files or directories: .eml, mbox, maildir, trees of them, .zip, .tar, .tar.gz (nested).
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    #[command(flatten)]
    keys: KeyArgs,
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
    let keys = args.keys.load()?;
    let jobs = keyargs::jobs(args.jobs);

    let collected = pipeline::run(&args.paths, &keys.sources, jobs)?;
    keys.keep_dns_answers()?;
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
