//! `tamis ingest`: build (or grow) a case from a dump — every item stored
//! with its origins, every message verified and made searchable.

mod pipeline;
mod registry_check;
mod timings;

use anyhow::{Context, Result};
use clap::Args;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;
use tamis_case::{CaseWriter, RunParams};

use crate::keyargs::{self, KeyArgs};

#[derive(Args)]
pub struct IngestArgs {
    /// Files or directories: .eml, mbox, maildir, trees of them, .zip, .tar, .tar.gz (nested).
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// The case directory (created if absent; a second dump appends to it).
    #[arg(long, value_name = "DIR")]
    case: PathBuf,
    #[command(flatten)]
    keys: KeyArgs,
    /// Analysis threads (default: one per core).
    #[arg(long, value_name = "N")]
    jobs: Option<usize>,
    /// The victim's registry (`tamis registry add`): every message,
    /// attachment and file gets a registry finding (identical, altered,
    /// decoy with its recipient, or unknown).
    #[arg(long, value_name = "FILE")]
    registry: Option<PathBuf>,
    /// Print where the time went, stage by stage (reading, verifying,
    /// documents, blobs, database, index…), after the summary.
    #[arg(long)]
    timings: bool,
    /// When the ingest is done, serve the case (as `tamis serve` would).
    #[arg(long)]
    serve: bool,
    /// Address to serve on with --serve.
    #[arg(long, default_value = crate::serve::DEFAULT_ADDR)]
    addr: SocketAddr,
}

pub fn run(args: IngestArgs) -> Result<ExitCode> {
    let started = Instant::now();
    let keys = args.keys.load()?;
    let params = RunParams {
        paths: args.paths.iter().map(|p| p.display().to_string()).collect(),
        key_files: args
            .keys
            .keys
            .iter()
            .map(|p| p.display().to_string())
            .collect(),
        dns: args.keys.dns,
    };
    for path in &args.paths {
        if !path.exists() {
            anyhow::bail!("{}: no such file or directory", path.display());
        }
    }

    let mut writer = CaseWriter::open(&args.case)
        .with_context(|| format!("cannot open the case {}", args.case.display()))?;
    let run_id = writer.begin_run(&params)?;
    let registry = args
        .registry
        .as_deref()
        .map(registry_check::RegistryCheck::open)
        .transpose()?;
    let jobs = keyargs::jobs(args.jobs);
    let clock = timings::StageClock::default();
    pipeline::run(
        &args.paths,
        &keys.sources,
        registry.as_ref(),
        jobs,
        &mut writer,
        &clock,
    )?;
    keys.keep_dns_answers()?;
    let (run, counts) = writer.finish_run()?;
    let writer_timings = writer.timings().clone();
    drop(writer);

    eprintln!(
        "tamis: run {run_id} into {}: {} messages ({} new, {} duplicates), {} attachments, \
         {} other files, {} unreadable, in {:.1} s",
        args.case.display(),
        counts.messages,
        counts.new_messages,
        counts.duplicates,
        counts.attachments,
        counts.files,
        counts.unreadable,
        started.elapsed().as_secs_f64()
    );
    if args.timings {
        eprint!("{}", clock.table(&writer_timings, started.elapsed(), jobs));
    }
    if run.status != "finished" {
        anyhow::bail!("run {run_id} did not finish: {}", run.status);
    }
    if counts.messages + counts.files + counts.attachments == 0 {
        eprintln!("tamis: nothing could be read under the given paths");
        return Ok(ExitCode::from(1));
    }
    if args.serve {
        crate::serve::serve(&args.case, args.addr)?;
    } else {
        eprintln!(
            "tamis: browse it with: tamis serve --case {}",
            args.case.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}
