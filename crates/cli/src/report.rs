//! `tamis report`: a self-contained report on a case, for an editor.

use anyhow::Result;
use clap::{Args, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args)]
pub struct ReportArgs {
    /// The case directory (built by `tamis ingest`).
    #[arg(long, value_name = "DIR")]
    case: PathBuf,
    #[arg(long, value_enum, default_value_t = ReportFormat::Html)]
    format: ReportFormat,
    /// Write here instead of stdout.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
enum ReportFormat {
    Html,
    Json,
    Md,
}

pub fn run(args: ReportArgs) -> Result<ExitCode> {
    let format = match args.format {
        ReportFormat::Html => tamis_report::Format::Html,
        ReportFormat::Json => tamis_report::Format::Json,
        ReportFormat::Md => tamis_report::Format::Markdown,
    };
    tamis_report::run(&args.case, format, args.out.as_deref())?;
    Ok(ExitCode::SUCCESS)
}
