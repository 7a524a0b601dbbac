//! `tamis inspect`: what each document's own metadata says (crates/docs),
//! for loose files, files inside archives, and the attachments of every
//! message found.

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use indicatif::ProgressBar;
use rayon::prelude::*;
use serde::Serialize;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::Ordering;
use std::sync::mpsc::SyncSender;
use tamis_docs::collection::{collection_findings, CollectionParams, Member};
use tamis_docs::{DocumentReport, Kind, Options};
use tamis_items::{ItemKind, SourceEvent};
use tamis_sources::{Limits, Walker};

use crate::progress;

#[derive(Args)]
pub struct InspectArgs {
    /// Files or directories; archives are opened and messages' attachments read.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// When the leak became public (YYYY-MM-DD or ISO 8601): documents
    /// dated after it are flagged.
    #[arg(long, value_name = "DATE")]
    leak_date: Option<String>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Text,
    Jsonl,
}

/// One document found: where, and what it says.
#[derive(Serialize)]
struct Inspected {
    location: String,
    sha256: String,
    #[serde(flatten)]
    report: DocumentReport,
}

pub fn run(args: InspectArgs) -> Result<ExitCode> {
    for path in &args.paths {
        anyhow::ensure!(
            path.exists(),
            "{}: no such file or directory",
            path.display()
        );
    }
    let options = Options {
        leak_date: args
            .leak_date
            .as_deref()
            .map(|d| {
                tamis_keystore::parse_date(d, false)
                    .with_context(|| format!("--leak-date {d:?} is not a date"))
            })
            .transpose()?,
        ..Options::default()
    };
    let bar = progress::bar_over(&args.paths);
    let (sender, chunks) = std::sync::mpsc::sync_channel::<Vec<Found>>(1);
    let walker = {
        let paths = args.paths.clone();
        let bar = bar.clone();
        std::thread::spawn(move || walk(&paths, &bar, sender))
    };

    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    // What the findings across documents need: every report, its text left
    // out, so memory grows with the metadata and not with the corpus.
    let mut read: Vec<(String, DocumentReport)> = Vec::new();
    let mut findings_on_them = 0;
    for chunk in chunks {
        let inspected: Vec<Inspected> = chunk
            .into_par_iter()
            .map(|found| Inspected {
                sha256: tamis_items::ContentId::of(&found.bytes).to_string(),
                report: tamis_docs::inspect(&found.bytes, found.name.as_deref(), &options),
                location: found.location,
            })
            .filter(|d| d.report.kind != Kind::Unknown)
            .collect();
        for mut document in inspected {
            match args.format {
                Format::Jsonl => {
                    serde_json::to_writer(&mut out, &document)?;
                    writeln!(out)?;
                }
                Format::Text => bar.suspend(|| write_text(&mut out, &document))?,
            }
            findings_on_them += document.report.findings.len();
            document.report.text = None;
            read.push((document.location, document.report));
        }
    }
    walker
        .join()
        .map_err(|_| anyhow::anyhow!("the walking thread panicked"))?;
    bar.finish_and_clear();

    let members: Vec<Member<'_>> = read
        .iter()
        .map(|(location, report)| Member {
            name: location.clone(),
            report,
        })
        .collect();
    let across = collection_findings(&members, &CollectionParams::default());
    match args.format {
        Format::Jsonl => {
            serde_json::to_writer(&mut out, &serde_json::json!({ "collection": across }))?;
            writeln!(out)?;
        }
        Format::Text => {
            if !across.is_empty() {
                writeln!(out, "Across the {} documents:", read.len())?;
                for finding in &across {
                    writeln!(
                        out,
                        "  {}: {} ({} documents)",
                        finding.finding.code,
                        finding.finding.detail,
                        finding.members.len()
                    )?;
                }
            }
        }
    }
    out.flush()?;
    eprintln!(
        "tamis: {} documents inspected, {} findings on them, {} across them",
        read.len(),
        findings_on_them,
        across.len()
    );
    Ok(if read.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// A document found, before it is read.
struct Found {
    location: String,
    /// The file name, for formats told apart by extension.
    name: Option<String>,
    bytes: Vec<u8>,
}

/// Documents travel from the walker in chunks: enough to keep every core
/// busy, few enough bytes that memory stays flat however large the corpus.
const CHUNK_DOCUMENTS: usize = 256;
const CHUNK_BYTES: usize = 64 << 20;

/// Every document under `paths`, in dump order, sent in chunks: loose
/// files and archive entries, and the attachments of every message.
fn walk(paths: &[PathBuf], bar: &ProgressBar, chunks: SyncSender<Vec<Found>>) {
    let mut chunk = Vec::new();
    let mut bytes = 0;
    let mut push = |found: Found, chunk: &mut Vec<Found>| {
        bytes += found.bytes.len();
        chunk.push(found);
        if chunk.len() >= CHUNK_DOCUMENTS || bytes >= CHUNK_BYTES {
            bytes = 0;
            // The receiver is gone only when printing failed: stop quietly,
            // the error is reported there.
            chunks.send(std::mem::take(chunk)).is_ok()
        } else {
            true
        }
    };
    let mut going = true;
    let walker = Walker::new(Limits::default());
    let consumed = walker.progress();
    walker.walk(paths, &mut |event| {
        let SourceEvent::Item(item) = event else {
            return;
        };
        if !going {
            return;
        }
        bar.set_position(consumed.load(Ordering::Relaxed));
        let location = item.origin.to_string();
        if item.kind == ItemKind::File {
            let name = location.rsplit(['/', '!']).next().map(str::to_owned);
            let found = Found {
                location,
                name,
                bytes: item.bytes,
            };
            going = push(found, &mut chunk);
            return;
        }
        for (i, attachment) in tamis_content::extract(&item.bytes)
            .attachments
            .into_iter()
            .enumerate()
        {
            let shown = attachment
                .filename
                .clone()
                .unwrap_or_else(|| format!("attachment {}", i + 1));
            let found = Found {
                location: format!("{location} → {shown}"),
                name: attachment.filename,
                bytes: attachment.bytes,
            };
            going = going && push(found, &mut chunk);
        }
    });
    if going && !chunk.is_empty() {
        let _ = chunks.send(chunk);
    }
}

fn write_text(out: &mut impl Write, d: &Inspected) -> std::io::Result<()> {
    let r = &d.report;
    let m = &r.metadata;
    writeln!(out, "{} ({:?}, {} bytes)", d.location, r.kind, r.size)?;
    let fields = [
        ("author", m.author.clone()),
        ("last modified by", m.last_modified_by.clone()),
        ("created", m.created.map(tamis_docs::format_time)),
        ("modified", m.modified.map(tamis_docs::format_time)),
        ("application", m.application.clone()),
        ("version", m.app_version.clone()),
        ("producer", m.producer.clone()),
        ("company", m.company.clone()),
        ("camera", m.camera_model.clone()),
        ("taken", m.taken.map(tamis_docs::format_time)),
    ];
    for (name, value) in fields {
        if let Some(value) = value {
            writeln!(out, "  {name}: {value}")?;
        }
    }
    if let Some(pdf) = &r.pdf {
        writeln!(out, "  PDF revisions: {}", pdf.revisions)?;
    }
    for finding in &r.findings {
        writeln!(out, "  FINDING {}: {}", finding.code, finding.detail)?;
    }
    for problem in &r.problems {
        writeln!(out, "  PROBLEM {}: {}", problem.code, problem.detail)?;
    }
    Ok(())
}
