//! `tamis inspect`: what each document's own metadata says (crates/docs),
//! for loose files, files inside archives, and the attachments of every
//! message found.

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use rayon::prelude::*;
use serde::Serialize;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
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
    let documents = collect(&args.paths);
    bar.finish_and_clear();
    let inspected: Vec<Inspected> = documents
        .into_par_iter()
        .map(|(location, name, bytes)| Inspected {
            location,
            sha256: tamis_items::ContentId::of(&bytes).to_string(),
            report: tamis_docs::inspect(&bytes, name.as_deref(), &options),
        })
        .filter(|d| d.report.kind != Kind::Unknown)
        .collect();
    let members: Vec<Member<'_>> = inspected
        .iter()
        .map(|d| Member {
            name: d.location.clone(),
            report: &d.report,
        })
        .collect();
    let across = collection_findings(&members, &CollectionParams::default());

    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match args.format {
        Format::Jsonl => {
            for document in &inspected {
                serde_json::to_writer(&mut out, document)?;
                writeln!(out)?;
            }
            serde_json::to_writer(&mut out, &serde_json::json!({ "collection": across }))?;
            writeln!(out)?;
        }
        Format::Text => {
            for document in &inspected {
                write_text(&mut out, document)?;
            }
            if !across.is_empty() {
                writeln!(out, "Across the {} documents:", inspected.len())?;
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
        inspected.len(),
        inspected
            .iter()
            .map(|d| d.report.findings.len())
            .sum::<usize>(),
        across.len()
    );
    Ok(if inspected.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Every document under `paths`, in dump order: loose files and archive
/// entries, and the attachments of every message.
fn collect(paths: &[PathBuf]) -> Vec<(String, Option<String>, Vec<u8>)> {
    let mut documents = Vec::new();
    Walker::new(Limits::default()).walk(paths, &mut |event| {
        let SourceEvent::Item(item) = event else {
            return;
        };
        let location = item.origin.to_string();
        if item.kind == ItemKind::File {
            let name = location.rsplit(['/', '!']).next().map(str::to_owned);
            documents.push((location, name, item.bytes));
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
            documents.push((
                format!("{location} → {shown}"),
                attachment.filename,
                attachment.bytes,
            ));
        }
    });
    documents
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
