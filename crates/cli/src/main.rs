//! `tamis`: one binary, one subcommand per job. This crate only wires the
//! pipeline stages together and presents their results; the work is done in
//! the stage crates (see ARCHITECTURE.md).

mod batches;
mod export;
mod ingest;
mod inspect;
mod keyargs;
mod keys;
mod progress;
mod registry;
mod report;
mod serve;
mod spread;
mod verify;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "tamis",
    version,
    about = "Sieve a leaked dump: prove, item by item, what is genuine and what is forged."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Verify the DKIM and ARC signatures of every unique message under PATH.
    Verify(verify::VerifyArgs),
    /// Build or grow a case: store, verify and index every item under PATH.
    Ingest(ingest::IngestArgs),
    /// Serve a case's web UI and JSON API (loopback unless --addr says otherwise).
    Serve(serve::ServeArgs),
    /// Write a self-contained report on a case (HTML, JSON or Markdown).
    Report(report::ReportArgs),
    /// Build and check a key store: import key files and archives, list, flag untrusted keys.
    Keys(keys::KeysArgs),
    /// Read documents' own metadata (PDF, Office, ODF, images) and the traces of editing in it.
    Inspect(inspect::InspectArgs),
    /// Measure how a leak is pushed on social media: volume, bursts, seed
    /// posts, top accounts, bot-likeness and coordinated groups.
    Spread(spread::SpreadArgs),
    /// The victim's registry of its genuine files and planted decoys:
    /// fingerprint them, make watermarked decoys, show what it holds.
    Registry(registry::RegistryArgs),
    /// Write a case for another system: NDJSON bulk files and a mapping for OpenSearch/Elasticsearch.
    Export(export::ExportArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Verify(args) => verify::run(args),
        Command::Ingest(args) => ingest::run(args),
        Command::Serve(args) => serve::run(args),
        Command::Report(args) => report::run(args),
        Command::Keys(args) => keys::run(args),
        Command::Spread(args) => spread::run(args),
        Command::Inspect(args) => inspect::run(args),
        Command::Registry(args) => registry::run(args),
        Command::Export(args) => export::run(args),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("tamis: {error:#}");
            ExitCode::from(2)
        }
    }
}
