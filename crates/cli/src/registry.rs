//! `tamis registry`: the victim's registry of genuine files and planted
//! decoys (crates/registry). `add` fingerprints files and mails (and the
//! mails' attachments), `decoys` writes watermarked per-recipient copies of
//! a decoy and registers each, `show` says what a registry holds.

use anyhow::{bail, Context, Result};
use clap::{Args, Subcommand, ValueEnum};
use rayon::prelude::*;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use tamis_items::{ItemKind, SourceEvent};
use tamis_registry::decoys;
use tamis_registry::fingerprint;
use tamis_registry::store::{EntryKind, NewEntry, Registry};
use tamis_sources::{Limits, Walker};

#[derive(Args)]
pub struct RegistryArgs {
    #[command(subcommand)]
    command: RegistryCommand,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Text,
    Json,
}

#[derive(Subcommand)]
enum RegistryCommand {
    /// Fingerprint the organisation's own files and mails (exact hash, and
    /// MinHash and TLSH of their text so edited copies are found) into a
    /// registry file, created if absent.
    Add {
        #[arg(long, value_name = "FILE")]
        registry: PathBuf,
        /// Files, mails or directories of genuine items (repeatable).
        #[arg(long, value_name = "PATH")]
        genuine: Vec<PathBuf>,
        /// Decoys planted without a per-recipient watermark (repeatable).
        #[arg(long, value_name = "PATH")]
        decoy: Vec<PathBuf>,
        /// Keep each item's extracted text in the registry, so a leaked
        /// copy's changes can be shown word by word. The registry then is
        /// as sensitive as the documents: leave it out for a registry you
        /// share.
        #[arg(long)]
        with_text: bool,
    },
    /// Write one watermarked copy of a decoy per recipient (under
    /// OUT/RECIPIENT/, same file name for all) and register each copy with
    /// its recipient.
    Decoys {
        #[arg(long, value_name = "FILE")]
        registry: PathBuf,
        /// The decoy: docx, xlsx, pdf, txt or eml.
        #[arg(long, value_name = "DOC")]
        template: PathBuf,
        /// A file with one recipient per line, or recipients separated by commas.
        #[arg(long, value_name = "LIST")]
        recipients: String,
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        #[arg(long)]
        with_text: bool,
    },
    /// What a registry holds: counts by kind, format and recipient.
    Show {
        #[arg(long, value_name = "FILE")]
        registry: PathBuf,
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
}

pub fn run(args: RegistryArgs) -> Result<ExitCode> {
    match args.command {
        RegistryCommand::Add {
            registry,
            genuine,
            decoy,
            with_text,
        } => add(&registry, &genuine, &decoy, with_text),
        RegistryCommand::Decoys {
            registry,
            template,
            recipients,
            out,
            with_text,
        } => make_decoys(&registry, &template, &recipients, &out, with_text),
        RegistryCommand::Show { registry, format } => show(&registry, format),
    }
}

/// One thing to register: where it is, its bytes, and the name that tells
/// its format.
struct Found {
    path: String,
    name: Option<String>,
    bytes: Vec<u8>,
}

/// Registered in chunks: enough to keep every core fingerprinting, few
/// enough bytes that memory stays flat on a whole file server.
const CHUNK: usize = 512;

fn add(
    registry: &Path,
    genuine: &[PathBuf],
    decoy: &[PathBuf],
    with_text: bool,
) -> Result<ExitCode> {
    if genuine.is_empty() && decoy.is_empty() {
        bail!("nothing to add: give --genuine PATH or --decoy PATH");
    }
    for path in genuine.iter().chain(decoy) {
        anyhow::ensure!(
            path.exists(),
            "{}: no such file or directory",
            path.display()
        );
    }
    let mut store = Registry::create_or_open(registry)
        .with_context(|| format!("cannot open the registry {}", registry.display()))?;
    let now = unix_now();
    let mut added = 0u64;
    let mut known = 0u64;
    let mut unreadable = 0u64;
    for (kind, paths) in [(EntryKind::Genuine, genuine), (EntryKind::Decoy, decoy)] {
        let mut chunk: Vec<Found> = Vec::new();
        let mut flush = |chunk: &mut Vec<Found>| -> Result<()> {
            let entries: Vec<NewEntry> = std::mem::take(chunk)
                .into_par_iter()
                .map(|found| entry(found, kind, None, with_text, now))
                .collect();
            for done in store.add_many(&entries)? {
                if done.inserted {
                    added += 1;
                } else {
                    known += 1;
                }
            }
            Ok(())
        };
        let mut failed: Option<anyhow::Error> = None;
        Walker::new(Limits::default()).walk(paths, &mut |event| {
            if failed.is_some() {
                return;
            }
            match event {
                SourceEvent::Item(item) => {
                    let location = item.origin.to_string();
                    if item.kind != ItemKind::File {
                        // A mail's attachments may leak on their own.
                        for attachment in tamis_content::extract(&item.bytes).attachments {
                            let shown = attachment.filename.clone().unwrap_or_default();
                            chunk.push(Found {
                                path: format!("{location} → {shown}"),
                                name: attachment.filename,
                                bytes: attachment.bytes,
                            });
                        }
                    }
                    let name = location.rsplit(['/', '!']).next().map(str::to_owned);
                    chunk.push(Found {
                        path: location,
                        name,
                        bytes: item.bytes,
                    });
                    if chunk.len() >= CHUNK {
                        if let Err(error) = flush(&mut chunk) {
                            failed = Some(error);
                        }
                    }
                }
                SourceEvent::Unreadable(u) => {
                    unreadable += 1;
                    eprintln!(
                        "tamis: not registered: {} [{}] {}",
                        u.origin, u.code, u.reason
                    );
                }
                SourceEvent::Store(_) => {}
            }
        });
        if let Some(error) = failed {
            return Err(error);
        }
        flush(&mut chunk)?;
    }
    let stats = store.stats()?;
    eprintln!(
        "tamis: {added} entries added, {known} already registered, {unreadable} unreadable; \
         the registry holds {} entries ({} genuine, {} decoys)",
        stats.entries, stats.genuine, stats.decoys
    );
    Ok(ExitCode::SUCCESS)
}

fn entry(
    found: Found,
    kind: EntryKind,
    recipient: Option<&str>,
    with_text: bool,
    now: i64,
) -> NewEntry {
    let text = fingerprint::text_of(&found.bytes, found.name.as_deref());
    let format = fingerprint::format_of(&found.bytes, found.name.as_deref());
    NewEntry {
        path: found.path,
        kind,
        recipient: recipient.map(str::to_owned),
        watermark: None,
        watermark_key: None,
        fingerprint: fingerprint::with_text(&found.bytes, &format, text.as_deref()),
        text: if with_text { text } else { None },
        registered_at: now,
    }
}

fn make_decoys(
    registry: &Path,
    template: &Path,
    recipients: &str,
    out: &Path,
    with_text: bool,
) -> Result<ExitCode> {
    let bytes = std::fs::read(template)
        .with_context(|| format!("cannot read the template {}", template.display()))?;
    let recipients = recipient_list(recipients)?;
    let name = template
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .context("the template has no file name")?;
    let copies = decoys::make(&bytes, &name, &recipients)
        .with_context(|| format!("cannot make decoys of {}", template.display()))?;
    let mut store = Registry::create_or_open(registry)
        .with_context(|| format!("cannot open the registry {}", registry.display()))?;
    let now = unix_now();
    let mut out_text = std::io::stdout().lock();
    for copy in copies {
        let dir = out.join(folder_for(&copy.recipient));
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("cannot create {}", dir.display()))?;
        let path = dir.join(&copy.file_name);
        std::fs::write(&path, &copy.bytes)
            .with_context(|| format!("cannot write {}", path.display()))?;
        let mut entry = entry(
            Found {
                path: path.display().to_string(),
                name: Some(copy.file_name.clone()),
                bytes: copy.bytes,
            },
            EntryKind::Decoy,
            Some(&copy.recipient),
            with_text,
            now,
        );
        entry.watermark = Some(copy.mark.0);
        entry.watermark_key = Some(serde_json::to_string(&copy.key)?);
        store.add(&entry)?;
        let skipped: Vec<String> = copy
            .skipped
            .iter()
            .map(|(carrier, why)| format!("{carrier} ({why})"))
            .collect();
        writeln!(
            out_text,
            "{}\t{}\tmark {}\tcarriers: {}{}",
            copy.recipient,
            path.display(),
            copy.mark,
            copy.carriers.join(", "),
            if skipped.is_empty() {
                String::new()
            } else {
                format!("; not used: {}", skipped.join(", "))
            }
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

/// A file of one recipient per line, or a comma-separated list.
fn recipient_list(list: &str) -> Result<Vec<String>> {
    let text = if Path::new(list).is_file() {
        std::fs::read_to_string(list).with_context(|| format!("cannot read {list}"))?
    } else {
        list.replace(',', "\n")
    };
    let recipients: Vec<String> = text
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(str::to_owned)
        .collect();
    if recipients.is_empty() {
        bail!("no recipient in {list:?}");
    }
    Ok(recipients)
}

/// A folder name for a recipient: letters, digits, `@ . _ -` kept, the
/// rest replaced, so no recipient string can name a path outside OUT.
fn folder_for(recipient: &str) -> String {
    let safe: String = recipient
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '@' | '.' | '_' | '-') {
                c
            } else {
                '_'
            }
        })
        .collect();
    match safe.trim_matches('.') {
        "" => "_".to_owned(),
        trimmed => trimmed.to_owned(),
    }
}

fn show(registry: &Path, format: Format) -> Result<ExitCode> {
    let store = Registry::open_read_only(registry)
        .with_context(|| format!("cannot open the registry {}", registry.display()))?;
    let stats = store.stats()?;
    let mut out = std::io::stdout().lock();
    if format == Format::Json {
        serde_json::to_writer_pretty(&mut out, &stats)?;
        writeln!(out)?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(out, "{}", registry.display())?;
    writeln!(
        out,
        "  {} entries: {} genuine, {} decoys for {} recipients",
        stats.entries, stats.genuine, stats.decoys, stats.recipients
    )?;
    writeln!(
        out,
        "  {} with a text fingerprint (MinHash), {} with TLSH, {} with their text kept",
        stats.with_minhash, stats.with_tlsh, stats.with_text
    )?;
    for (format, count) in &stats.formats {
        writeln!(out, "    {format:<10} {count:>8}")?;
    }
    if let (Some(first), Some(last)) = (stats.first_registered, stats.last_registered) {
        writeln!(
            out,
            "  registered {} to {}",
            tamis_calendar::format_time(first),
            tamis_calendar::format_time(last)
        )?;
    }
    writeln!(
        out,
        "  scheme {} (schema {}), LSH {} bands of {} rows",
        stats.fingerprint_scheme, stats.schema_version, stats.lsh_bands, stats.lsh_rows
    )?;
    Ok(ExitCode::SUCCESS)
}

fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recipient_folders_never_leave_the_output_directory() {
        assert_eq!(
            folder_for("jean.dupont@en-marche.fr"),
            "jean.dupont@en-marche.fr"
        );
        assert_eq!(folder_for("../../etc"), "_.._etc");
        assert_eq!(folder_for(".."), "_");
        assert_eq!(folder_for("/abs/path"), "_abs_path");
        assert_eq!(folder_for("Équipe Lyon"), "Équipe_Lyon");
    }
}
