//! `tamis export`: a case in another system's format. `opensearch-bulk`
//! writes NDJSON bulk files and the index's mapping, for the Elasticsearch
//! or OpenSearch cluster an investigative platform runs; the case's messages
//! and documents become searchable there with their verdicts and findings.

use anyhow::{bail, Context, Result};
use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde_json::{json, Value};
use std::fs::File;
use std::io::{BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use tamis_case::CaseReader;

#[derive(Args)]
pub struct ExportArgs {
    /// The case directory (built by `tamis ingest`).
    #[arg(long, value_name = "DIR")]
    case: PathBuf,
    #[arg(long, value_enum)]
    format: ExportFormat,
    /// The directory to write into (created when missing).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Replace the files of an earlier export in --out.
    #[arg(long)]
    force: bool,
    /// The index to load into [default: `tamis-` and the case directory's
    /// name, made a valid index name].
    #[arg(long, value_name = "NAME")]
    index: Option<String>,
    /// Largest bulk file, in MiB (fractions allowed). A cluster refuses a
    /// request over its http.max_content_length, 100 MiB by default.
    #[arg(long, value_name = "N", default_value_t = 50.0)]
    chunk_mb: f64,
}

#[derive(Clone, Copy, ValueEnum)]
enum ExportFormat {
    /// NDJSON for the `_bulk` API of Elasticsearch or OpenSearch, with
    /// `mapping.json` for creating the index.
    OpensearchBulk,
}

const MAPPING: &str = "mapping.json";
const MANIFEST: &str = "manifest.json";
const README: &str = "README.txt";
const MEBIBYTE: f64 = 1024.0 * 1024.0;

/// Keyword values longer than this many characters are kept in the record
/// but not indexed: Lucene refuses a whole record with a term over 32,766
/// bytes, and a hostile file name or subject can be that long.
const KEYWORD_IGNORE_ABOVE: u32 = 8191;

pub fn run(args: ExportArgs) -> Result<ExitCode> {
    // The one format yet: a second one makes this a match that cannot be forgotten.
    let ExportFormat::OpensearchBulk = args.format;
    if !args.chunk_mb.is_finite() || args.chunk_mb <= 0.0 {
        bail!(
            "--chunk-mb must be a positive number of MiB, not {}",
            args.chunk_mb
        );
    }
    let chunk_bytes = (args.chunk_mb * MEBIBYTE) as u64;
    let reader = CaseReader::open(&args.case)?;
    let case_dir = args
        .case
        .canonicalize()
        .with_context(|| format!("cannot resolve {}", args.case.display()))?;
    let index = match args.index {
        Some(name) => {
            check_index_name(&name)?;
            name
        }
        None => default_index_name(&case_dir),
    };
    prepare_out_dir(&args.out, args.force)?;

    write_json(&args.out.join(MAPPING), &mapping())?;
    let mut bulk = BulkFiles::new(&args.out, &index, chunk_bytes);
    let progress = records_bar();
    let totals = reader.export(
        |totals| progress.set_length(totals.messages + totals.documents),
        |record| {
            progress.set_message(record.kind);
            bulk.add(&record.id, &record.fields)?;
            progress.inc(1);
            Ok(())
        },
    )?;
    progress.finish_and_clear();
    let files = bulk.finish()?;
    if files.iter().any(|file| file.bytes > chunk_bytes) {
        eprintln!(
            "tamis: some records are larger than --chunk-mb on their own: each is in a bulk file \
             of its own, over the size asked for (see {MANIFEST})"
        );
    }

    let manifest = json!({
        "format": "opensearch-bulk",
        "tamis_version": env!("CARGO_PKG_VERSION"),
        "case": case_dir.display().to_string(),
        "index": index,
        "counts": { "message": totals.messages, "document": totals.documents },
        "chunk_bytes": chunk_bytes,
        "mapping": MAPPING,
        "files": files.iter().map(|file| json!({
            "name": file.name,
            "records": file.records,
            "bytes": file.bytes,
        })).collect::<Vec<_>>(),
        "load": load_commands(&index, &files),
    });
    write_json(&args.out.join(MANIFEST), &manifest)?;
    std::fs::write(
        args.out.join(README),
        readme(&index, &case_dir, totals.messages, totals.documents, &files),
    )
    .with_context(|| format!("cannot write {}", args.out.join(README).display()))?;
    eprintln!(
        "tamis: exported {} messages and {} documents of {} to {} ({} bulk files for the index {index})",
        totals.messages,
        totals.documents,
        case_dir.display(),
        args.out.display(),
        files.len(),
    );
    Ok(ExitCode::SUCCESS)
}

/// `tamis-` and the case directory's name, within OpenSearch's rules for
/// index names: lowercase, none of `\ / * ? " < > | , # :` or spaces, at
/// most 255 bytes.
fn default_index_name(case_dir: &Path) -> String {
    let name = case_dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut index = String::from("tamis-");
    for c in name.chars().flat_map(char::to_lowercase) {
        let keep = c.is_ascii_alphanumeric() || c == '_' || c == '.';
        let next = if keep { c } else { '-' };
        if next == '-' && index.ends_with('-') {
            continue;
        }
        index.push(next);
    }
    let index = index.trim_end_matches('-');
    let index = if index == "tamis" {
        "tamis-case"
    } else {
        index
    };
    index.chars().take(255).collect()
}

fn check_index_name(name: &str) -> Result<()> {
    const FORBIDDEN: &[char] = &['\\', '/', '*', '?', '"', '<', '>', '|', ' ', ',', '#', ':'];
    let problem = if name.is_empty() {
        Some("it is empty")
    } else if name.len() > 255 {
        Some("it is longer than 255 bytes")
    } else if name != name.to_lowercase() {
        Some("it has uppercase letters")
    } else if name.starts_with(['-', '_', '+']) {
        Some("it starts with -, _ or +")
    } else if name == "." || name == ".." {
        Some("it is . or ..")
    } else if name.contains(FORBIDDEN) {
        Some(r#"it contains one of \ / * ? " < > | , # : or a space"#)
    } else {
        None
    };
    match problem {
        Some(problem) => bail!("--index {name:?} is not a valid index name: {problem}"),
        None => Ok(()),
    }
}

fn is_bulk_file(name: &str) -> bool {
    name.starts_with("bulk-") && name.ends_with(".ndjson")
}

/// Create `out`, or make room in it: an earlier export is only replaced
/// with --force, and then its bulk files all go, so that none of a larger
/// earlier export is left to be loaded with the new one.
fn prepare_out_dir(out: &Path, force: bool) -> Result<()> {
    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    let mut earlier = Vec::new();
    for entry in std::fs::read_dir(out).with_context(|| format!("cannot read {}", out.display()))? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if is_bulk_file(&name) || [MAPPING, MANIFEST, README].contains(&name.as_str()) {
            earlier.push(entry.path());
        }
    }
    if earlier.is_empty() {
        return Ok(());
    }
    if !force {
        bail!(
            "{} already holds an export ({} and {} other files); pass --force to replace it",
            out.display(),
            earlier[0].display(),
            earlier.len() - 1
        );
    }
    for path in earlier {
        std::fs::remove_file(&path).with_context(|| format!("cannot remove {}", path.display()))?;
    }
    Ok(())
}

fn write_json(path: &Path, value: &Value) -> Result<()> {
    let mut text = serde_json::to_string_pretty(value)?;
    text.push('\n');
    std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
}

/// A count of records on stderr, hidden unless stderr is a terminal.
fn records_bar() -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
    if !std::io::stderr().is_terminal() {
        bar.set_draw_target(ProgressDrawTarget::hidden());
    }
    bar.set_style(
        ProgressStyle::with_template("{spinner} {pos}/{len} records ({per_sec}, ETA {eta}) {msg}")
            .expect("static progress template"),
    );
    bar
}

/// One bulk file written.
struct BulkFile {
    name: String,
    records: u64,
    bytes: u64,
}

/// Bulk files of at most `limit` bytes each, cut between records: a record
/// larger than the limit gets a file of its own rather than being refused
/// or split (a split record is two invalid lines).
struct BulkFiles<'a> {
    dir: &'a Path,
    index: &'a str,
    limit: u64,
    open: Option<BufWriter<File>>,
    written: Vec<BulkFile>,
    pair: Vec<u8>,
}

impl<'a> BulkFiles<'a> {
    fn new(dir: &'a Path, index: &'a str, limit: u64) -> Self {
        BulkFiles {
            dir,
            index,
            limit,
            open: None,
            written: Vec::new(),
            pair: Vec::new(),
        }
    }

    fn add(&mut self, id: &str, fields: &Value) -> Result<()> {
        self.pair.clear();
        let action = json!({ "index": { "_index": self.index, "_id": id } });
        serde_json::to_writer(&mut self.pair, &action)?;
        self.pair.push(b'\n');
        serde_json::to_writer(&mut self.pair, fields)?;
        // The bulk API requires every line, the last one too, to end with a newline.
        self.pair.push(b'\n');
        let pair_bytes = self.pair.len() as u64;
        let full = self
            .written
            .last()
            .is_some_and(|file| file.records > 0 && file.bytes + pair_bytes > self.limit);
        if self.open.is_none() || full {
            self.start_file()?;
        }
        let (Some(writer), Some(file)) = (self.open.as_mut(), self.written.last_mut()) else {
            unreachable!("a bulk file was just opened");
        };
        writer
            .write_all(&self.pair)
            .with_context(|| format!("cannot write {}", self.dir.join(&file.name).display()))?;
        file.records += 1;
        file.bytes += pair_bytes;
        Ok(())
    }

    fn start_file(&mut self) -> Result<()> {
        self.close()?;
        let name = format!("bulk-{:04}.ndjson", self.written.len() + 1);
        let path = self.dir.join(&name);
        let file =
            File::create(&path).with_context(|| format!("cannot create {}", path.display()))?;
        self.open = Some(BufWriter::new(file));
        self.written.push(BulkFile {
            name,
            records: 0,
            bytes: 0,
        });
        Ok(())
    }

    fn close(&mut self) -> Result<()> {
        if let Some(writer) = self.open.take() {
            let file = writer.into_inner().map_err(|e| e.into_error())?;
            file.sync_all()?;
        }
        Ok(())
    }

    fn finish(mut self) -> Result<Vec<BulkFile>> {
        self.close()?;
        Ok(self.written)
    }
}

/// The body of `PUT /<index>`: analyzers for French and English text and
/// for accent-blind matching, and every field of the records, declared so
/// the cluster guesses none (`dynamic: strict` refuses a record with a
/// field this mapping lacks rather than indexing it under a guessed type).
fn mapping() -> Value {
    let keyword = json!({ "type": "keyword", "ignore_above": KEYWORD_IGNORE_ABOVE });
    let long = json!({ "type": "long" });
    let date = json!({ "type": "date", "format": "strict_date_optional_time" });
    let address = json!({
        "type": "keyword", "normalizer": "address", "ignore_above": KEYWORD_IGNORE_ABOVE,
    });
    // Names of people, files and places: matched whole, or word by word
    // without accents or case.
    let name = json!({
        "type": "keyword",
        "ignore_above": KEYWORD_IGNORE_ABOVE,
        "fields": { "folded": { "type": "text", "analyzer": "folded" } },
    });
    let prose = json!({
        "type": "text",
        "fields": {
            "fr": { "type": "text", "analyzer": "tamis_french" },
            "en": { "type": "text", "analyzer": "tamis_english" },
            "folded": { "type": "text", "analyzer": "folded" },
        },
    });
    let english = json!({ "type": "text", "analyzer": "tamis_english" });
    let mut short_prose = prose.clone();
    short_prose["fields"]["keyword"] = keyword.clone();
    let evidence = json!({ "type": "object", "enabled": false });
    let fields = [
        ("kind", &keyword),
        ("sha256", &keyword),
        ("origins", &name),
        ("registry", &keyword),
        ("body", &prose),
        ("evidence", &evidence),
        // Messages.
        ("message_number", &long),
        ("message_id", &keyword),
        ("copy_sha256s", &keyword),
        ("subject", &short_prose),
        ("from", &name),
        ("from_name", &name),
        ("from_address", &address),
        ("sender_domain", &address),
        ("to", &name),
        ("to_addresses", &address),
        ("cc", &name),
        ("cc_addresses", &address),
        ("date", &date),
        ("verdict", &keyword),
        ("verdict_reason", &english),
        ("reason_codes", &keyword),
        ("repairs", &keyword),
        ("dkim_domains", &address),
        ("arc_chain", &keyword),
        ("thread_id", &long),
        ("labels", &name),
        ("attachment_names", &name),
        ("attachment_sha256s", &keyword),
        ("attachment_types", &keyword),
        ("attachment_findings", &keyword),
        ("corroborated_by", &long),
        ("corroborates", &long),
        // Documents.
        ("size", &long),
        ("names", &name),
        ("attached_to", &long),
        ("attached_to_count", &long),
        ("content_types", &keyword),
        ("document_type", &keyword),
        ("title", &short_prose),
        ("author", &name),
        ("last_modified_by", &name),
        ("application", &name),
        ("created", &date),
        ("modified", &date),
        ("findings", &keyword),
        ("collection_findings", &keyword),
        ("revision_sha256s", &keyword),
    ];
    let properties: serde_json::Map<String, Value> = fields
        .into_iter()
        .map(|(field, mapping)| (field.to_owned(), mapping.clone()))
        .collect();
    json!({
        "settings": {
            "analysis": {
                "analyzer": {
                    "tamis_french": { "type": "french" },
                    "tamis_english": { "type": "english" },
                    "folded": {
                        "type": "custom",
                        "tokenizer": "standard",
                        "filter": ["lowercase", "asciifolding"],
                    },
                },
                "normalizer": {
                    "address": { "type": "custom", "filter": ["lowercase", "asciifolding"] },
                },
            },
        },
        "mappings": { "dynamic": "strict", "properties": properties },
    })
}

fn load_commands(index: &str, files: &[BulkFile]) -> Vec<String> {
    let mut commands = vec![format!(
        "curl -fsS -XPUT \"$OPENSEARCH/{index}\" -H 'Content-Type: application/json' \
         --data-binary @{MAPPING}"
    )];
    commands.extend(files.iter().map(|file| {
        format!(
            "curl -fsS -XPOST \"$OPENSEARCH/_bulk\" -H 'Content-Type: application/x-ndjson' \
             --data-binary @{} | grep -q '\"errors\":false'",
            file.name
        )
    }));
    commands
}

fn readme(
    index: &str,
    case_dir: &Path,
    messages: u64,
    documents: u64,
    files: &[BulkFile],
) -> String {
    let commands = load_commands(index, files);
    let first_file = files.first().map_or("bulk-0001.ndjson", |f| &f.name);
    format!(
        "tamis {version}: export of the case {case}\n\
         for the Elasticsearch / OpenSearch index {index}.\n\
         \n\
         {messages} messages (kind: message, _id message:<number>) and {documents} documents\n\
         (kind: document, _id document:<sha256>) in {count} bulk files; counts per file\n\
         in {MANIFEST}.\n\
         \n\
         Load it (OPENSEARCH is the cluster's address, e.g. http://localhost:9200):\n\
         \n\
         1. Create the index with its analyzers and mapping:\n\
         \n\
         \x20  {create}\n\
         \n\
         2. Send each bulk file, in order (each is under the cluster's request size\n\
         \x20  limit, http.max_content_length, when --chunk-mb was below it):\n\
         \n\
         \x20  curl -XPOST \"$OPENSEARCH/_bulk\" -H 'Content-Type: application/x-ndjson' \\\n\
         \x20       --data-binary @{first_file}\n\
         \n\
         \x20  or all of them, stopping at the first file with a refused record:\n\
         \n\
         \x20  for f in bulk-*.ndjson; do {each} || {{ echo \"$f\"; break; }}; done\n\
         \n\
         Loading again replaces records by _id: it never doubles them.\n\
         The evidence field holds tamis's full report on each record; it is stored,\n\
         not searched.\n",
        version = env!("CARGO_PKG_VERSION"),
        case = case_dir.display(),
        count = files.len(),
        create = commands[0],
        each = "curl -fsS -XPOST \"$OPENSEARCH/_bulk\" -H 'Content-Type: application/x-ndjson' \
                --data-binary @\"$f\" | grep -q '\"errors\":false'",
    )
}
