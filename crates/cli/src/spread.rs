//! `tamis spread`: how a leak is pushed on social media (crates/spread).

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;
use tamis_spread::report::SpreadReport;
use tamis_spread::{coordination, input, measure, report};

use crate::progress;

#[derive(Args)]
pub struct SpreadArgs {
    /// Collections: Twitter API v1.1 or v2 (twarc2) JSON lines, twarc-csv,
    /// information-operations archive CSV, or a shares table; gzip allowed.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// Keep only posts carrying this hashtag (with or without `#`), and
    /// retweets of such posts.
    #[arg(long, value_name = "TAG")]
    hashtag: Option<String>,
    /// Keep posts from this time on (YYYY-MM-DD, ISO 8601, Unix seconds).
    #[arg(long, value_name = "T")]
    since: Option<String>,
    /// Keep posts up to this time (a bare date means its whole day).
    #[arg(long, value_name = "T")]
    until: Option<String>,
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// Also write the self-contained HTML report here.
    #[arg(long, value_name = "FILE.html")]
    report: Option<PathBuf>,
    /// Attach the HTML report to this case: `tamis serve` links it from the overview.
    #[arg(long, value_name = "DIR")]
    case: Option<PathBuf>,
    /// Two shares of one object count as coordinated within this many seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 10)]
    window: i64,
    /// A pair of accounts is coordinated from this many co-shares on.
    #[arg(long, value_name = "N", default_value_t = 2)]
    min_co_shares: u32,
    /// Accounts listed in each top table.
    #[arg(long, value_name = "N", default_value_t = 10)]
    top: usize,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Text,
    Json,
}

pub fn run(args: SpreadArgs) -> Result<ExitCode> {
    let started = Instant::now();
    let filter = input::Filter {
        // The input's filter normalises it (case, a leading `#`).
        hashtag: args.hashtag.clone(),
        since: time_arg("--since", args.since.as_deref(), false)?,
        until: time_arg("--until", args.until.as_deref(), true)?,
    };
    let bar = progress::bar_over(&args.files);
    let (dataset, input_report) = input::read_all(&args.files, &filter, &|bytes| {
        bar.set_position(bytes);
    })?;
    bar.finish_and_clear();
    let read_seconds = started.elapsed().as_secs_f64();

    let measurements = measure::measure(
        &dataset,
        &measure::Params {
            top_n: args.top,
            ..measure::Params::default()
        },
    );
    let coordination = coordination::coordination(
        &dataset,
        &coordination::Params {
            window_seconds: args.window,
            min_co_shares: args.min_co_shares,
            ..coordination::Params::default()
        },
    );
    let spread = SpreadReport {
        input: input_report,
        measurements,
        coordination,
    };
    let html = (args.report.is_some() || args.case.is_some()).then(|| report::html(&spread));
    if let (Some(path), Some(html)) = (&args.report, &html) {
        std::fs::write(path, html).with_context(|| format!("cannot write {}", path.display()))?;
    }
    if let (Some(dir), Some(html)) = (&args.case, &html) {
        tamis_case::attach_spread_report(dir, html.as_bytes())?;
    }

    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match args.format {
        Format::Json => {
            serde_json::to_writer(&mut out, &spread)?;
            writeln!(out)?;
        }
        Format::Text => out.write_all(report::text(&spread).as_bytes())?,
    }
    out.flush()?;
    eprintln!(
        "tamis: {} posts by {} accounts from {} files ({} malformed lines), read in {:.1} s, \
         analysed in {:.1} s",
        spread.input.posts,
        spread.input.accounts,
        spread.input.files.len(),
        spread.input.files.iter().map(|f| f.malformed).sum::<u64>(),
        read_seconds,
        started.elapsed().as_secs_f64() - read_seconds
    );
    Ok(if spread.input.posts == 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn time_arg(flag: &str, text: Option<&str>, end_of_day: bool) -> Result<Option<i64>> {
    text.map(|text| {
        tamis_keystore::parse_date(text, end_of_day).with_context(|| {
            format!("{flag} {text:?} is not a time (YYYY-MM-DD, ISO 8601 or Unix seconds)")
        })
    })
    .transpose()
}
