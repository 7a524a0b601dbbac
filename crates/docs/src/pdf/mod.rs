//! PDF: revisions by our own `startxref` / `%%EOF` scan, Info and XMP,
//! trailer IDs, layers, active content, fonts, text.
//!
//! Two readers of one file. The revision scan ([`revisions`]) works on the
//! bytes and needs no parser, so it reports on files nothing else can
//! open. Everything else is read from the final state as lopdf loads it
//! ([`document`]), under the bounds of [`Options`]: lopdf decompresses
//! object and cross-reference streams itself, under the per-stream limit we
//! give it, and everything else (content, XMP, fonts' Unicode maps) is
//! decompressed by us, each stream and the document's total bounded.
//!
//! Findings: `pdf-revisions`, `pdf-metadata-only-update`, `pdf-layers`,
//! `pdf-active-content`, and, when the Info dictionary and the XMP packet
//! disagree, `dates-inconsistent` (on a date) or `metadata-disagrees` (on
//! the author, title, creator tool or producer); the other date rules are
//! the format-free ones of `findings.rs`. The fonts the pages use
//! ([`fonts`]) feed its `anachronism` rule.

mod active;
mod dates;
mod document;
mod fonts;
mod revisions;
mod strings;
mod text;
mod update;
mod xmp;

use crate::{DocumentReport, Finding, Options, PdfFacts, Revision};
use document::Budget;
use lopdf::Document;
use revisions::Scan;
use std::collections::BTreeMap;

/// Info keys with a meaning of their own; the others are custom properties.
const STANDARD_INFO: [&str; 9] = [
    "Title",
    "Author",
    "Subject",
    "Keywords",
    "Creator",
    "Producer",
    "CreationDate",
    "ModDate",
    "Trapped",
];

pub fn read(bytes: &[u8], options: &Options, report: &mut DocumentReport) {
    let scan = revisions::scan(bytes, options.max_revisions);
    let mut facts = PdfFacts {
        version: revisions::header_version(bytes),
        revisions: scan.count,
        ..PdfFacts::default()
    };
    report_revisions(&scan, bytes.len(), options, report);
    // Kept as it is if the parser below fails on a hostile file.
    report.pdf = Some(facts.clone());

    let mut budget = Budget::new(options);
    let doc = match document::load(bytes, options, &mut budget) {
        Ok(doc) => doc,
        Err(failure) => {
            // A file lopdf refuses may still say it is encrypted.
            if encrypt_in_last_trailer(bytes, &scan) {
                facts.encrypted = true;
                report.problem(
                    "encrypted",
                    "the document is encrypted and its objects could not be read",
                );
            }
            report.problem(failure.code, failure.detail);
            report.pdf = Some(facts);
            return;
        }
    };
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        read_document(bytes, &scan, &doc, options, &mut budget, &mut facts, report)
    }));
    if outcome.is_err() {
        report.problem(
            "malformed",
            "the PDF parser failed part way; what was read before is kept",
        );
    }
    report.pdf = Some(facts);
}

fn read_document(
    bytes: &[u8],
    scan: &Scan,
    doc: &Document,
    options: &Options,
    budget: &mut Budget,
    facts: &mut PdfFacts,
    report: &mut DocumentReport,
) {
    // lopdf opens a file encrypted with an empty user password (owner
    // restrictions only) and leaves the rest undecrypted, with no objects.
    let decrypted = doc.encryption_state.is_some();
    let locked = !decrypted && doc.trailer.has(b"Encrypt");
    facts.encrypted = decrypted || locked;
    if locked {
        report.problem(
            "encrypted",
            "encrypted with a user password: the Info dictionary, XMP, layers, active content and text \
             cannot be read; the revisions and trailer IDs are reported",
        );
    } else if decrypted {
        report.problem(
            "encrypted",
            "encrypted with an empty user password (restrictions only): read after decryption",
        );
    }
    if let Some(recovery) = doc.xref_recovery {
        report.problem(
            "malformed",
            format!("the cross-reference data was damaged and had to be repaired ({recovery:?})"),
        );
    }
    report.metadata.document_ids = document::ids(doc);
    if !report.metadata.document_ids.is_empty() {
        report.metadata.raw.insert(
            "PDF trailer /ID".into(),
            report.metadata.document_ids.join(" "),
        );
    }
    if locked {
        return;
    }

    facts.info = document::info(doc, options.max_entries);
    for (key, value) in &facts.info {
        report
            .metadata
            .raw
            .insert(format!("PDF Info /{key}"), value.clone());
    }
    match document::xmp(doc, budget) {
        Ok(Some(packet)) => {
            if let Some(error) = packet.error {
                report.problem("malformed", error);
            }
            facts.xmp = packet.fields;
        }
        Ok(None) => {}
        Err((code, why)) => report.problem(code, why),
    }
    for (key, value) in &facts.xmp {
        report
            .metadata
            .raw
            .insert(format!("XMP {key}"), value.clone());
    }
    fill_metadata(facts, document::language(doc), report);
    report.findings.extend(info_xmp_disagreement(facts));

    let layers = active::layers(doc, options.max_entries);
    facts.layers = layers.names.clone();
    if !layers.names.is_empty() {
        report.findings.push(layers_finding(&layers));
    }
    let found = active::active(doc, options.max_entries);
    facts.javascript = !found.javascript.is_empty();
    facts.embedded_files = found.embedded_files.clone();
    facts.forms = found.form.is_some();
    if found.skipped_objects > 0 {
        report.problem(
            "too-large",
            format!(
                "{} objects past the first {} were not searched for JavaScript or embedded files",
                found.skipped_objects, options.max_entries
            ),
        );
    }
    if let Some(finding) = active_finding(&found) {
        report.findings.push(finding);
    }

    if let Some(update) = update::metadata_only(bytes, scan, doc, options, budget) {
        facts.metadata_only_last_update = true;
        report.findings.push(metadata_only_finding(update));
    }

    fonts::read(doc, options, report);
    text::extract(doc, options, budget, report);
}

/// `report.revisions` (at most `max_revisions`: the first ones, where the
/// original is, and the last), `pdf-revisions`, and the problems the scan
/// sees.
fn report_revisions(scan: &Scan, size: usize, options: &Options, report: &mut DocumentReport) {
    let last_number = scan.last().map_or(0, |m| m.number);
    let mut listed: Vec<Revision> = scan
        .kept
        .iter()
        .filter(|m| (m.number as usize) < options.max_revisions || m.number == last_number)
        .map(|m| Revision {
            number: m.number,
            end: m.end as u64,
        })
        .collect();
    if listed.len() > options.max_revisions {
        listed.drain(..listed.len() - options.max_revisions);
    }
    // The last revision is the file itself, trailing bytes and all, unless
    // those bytes are an update cut short (then the last whole state ends
    // at its marker).
    if let Some(last) = listed.last_mut() {
        if last.number == last_number && !scan.unfinished_tail {
            last.end = size as u64;
        }
    }
    if scan.count == 0 {
        report.problem(
            "truncated",
            "no `startxref … %%EOF` end marker: the file is cut short or is not a whole PDF",
        );
    } else if scan.unfinished_tail {
        report.problem(
            "truncated",
            format!(
                "{} bytes after the last %%EOF hold an update that was cut before its end; \
                 the last whole revision is reported",
                scan.tail
            ),
        );
    }
    if scan.count > 1 {
        let ends: Vec<String> = listed.iter().map(|r| r.end.to_string()).collect();
        let mut evidence = BTreeMap::from([
            ("revisions".to_owned(), scan.count.to_string()),
            ("ends".to_owned(), ends.join(", ")),
        ]);
        if listed.len() < scan.count as usize {
            evidence.insert(
                "listed".into(),
                format!(
                    "{} of {} (revision numbers {})",
                    listed.len(),
                    scan.count,
                    numbers(&listed)
                ),
            );
        }
        report.findings.push(Finding {
            code: "pdf-revisions".into(),
            detail: format!(
                "{} revisions: the file was saved {} time{} as incremental updates after it was first \
                 written; each earlier state is the file cut at its end offset, and opens as it was",
                scan.count,
                scan.count - 1,
                if scan.count == 2 { "" } else { "s" }
            ),
            evidence,
        });
    }
    report.revisions = listed;
}

fn numbers(listed: &[Revision]) -> String {
    match (listed.first(), listed.len()) {
        (None, _) => String::new(),
        (Some(first), 1) => first.number.to_string(),
        (Some(first), n) => {
            let before_last = listed[n - 2].number;
            let last = listed[n - 1].number;
            format!("{}–{before_last}, {last}", first.number)
        }
    }
}

/// Whether the trailer of the last revision (between its `startxref`
/// target and its `%%EOF`, or the file's last 4 KB) names `/Encrypt`.
fn encrypt_in_last_trailer(bytes: &[u8], scan: &Scan) -> bool {
    let end = scan.last().map_or(bytes.len(), |m| m.eof);
    let start = scan
        .last()
        .and_then(|m| usize::try_from(m.startxref).ok())
        .filter(|&s| s < end)
        .unwrap_or(end.saturating_sub(4096));
    memchr::memmem::find(&bytes[start..end], b"/Encrypt").is_some()
}

/// The common fields: the Info dictionary first (what most readers show),
/// the XMP packet where Info is silent.
fn fill_metadata(facts: &PdfFacts, language: Option<String>, report: &mut DocumentReport) {
    let info = |key: &str| {
        facts
            .info
            .get(key)
            .filter(|v| !v.trim().is_empty())
            .cloned()
    };
    let xmp = |key: &str| facts.xmp.get(key).filter(|v| !v.trim().is_empty()).cloned();
    let m = &mut report.metadata;
    m.title = info("Title").or_else(|| xmp("dc:title"));
    m.subject = info("Subject").or_else(|| xmp("dc:description"));
    m.author = info("Author").or_else(|| xmp("dc:creator"));
    m.application = info("Creator").or_else(|| xmp("xmp:CreatorTool"));
    m.producer = info("Producer").or_else(|| xmp("pdf:Producer"));
    m.created = info("CreationDate")
        .and_then(|d| dates::parse_pdf(&d))
        .or_else(|| xmp("xmp:CreateDate").and_then(|d| dates::parse_xmp(&d)))
        .map(|w| w.unix());
    m.modified = info("ModDate")
        .and_then(|d| dates::parse_pdf(&d))
        .or_else(|| xmp("xmp:ModifyDate").and_then(|d| dates::parse_xmp(&d)))
        .map(|w| w.unix());
    for lang in language.into_iter().chain(xmp("dc:language")) {
        if !m.languages.contains(&lang) {
            m.languages.push(lang);
        }
    }
    for (key, value) in &facts.info {
        if !STANDARD_INFO.contains(&key.as_str()) {
            m.custom.insert(key.clone(), value.clone());
        }
    }
}

/// Where Info and XMP, both present, disagree: `dates-inconsistent` for
/// the creation or modification date, `metadata-disagrees` for the
/// author, title, creator tool or producer. Either says one was edited
/// without the other (an editor that rewrites Info alone, a hand edit).
fn info_xmp_disagreement(facts: &PdfFacts) -> Vec<Finding> {
    let mut dates = Disagreement::default();
    for (info_key, xmp_key, what) in [
        ("CreationDate", "xmp:CreateDate", "creation date"),
        ("ModDate", "xmp:ModifyDate", "modification date"),
    ] {
        let (Some(a), Some(b)) = (facts.info.get(info_key), facts.xmp.get(xmp_key)) else {
            continue;
        };
        let (Some(da), Some(db)) = (dates::parse_pdf(a), dates::parse_xmp(b)) else {
            continue;
        };
        if !da.agrees_with(&db) {
            dates.add(what, info_key, a, xmp_key, b);
        }
    }
    let mut named = Disagreement::default();
    for (info_key, xmp_key, what, same) in [
        (
            "Author",
            "dc:creator",
            "author",
            same_names as fn(&str, &str) -> bool,
        ),
        ("Title", "dc:title", "title", same_text),
        ("Creator", "xmp:CreatorTool", "creator tool", same_text),
        ("Producer", "pdf:Producer", "producer", same_text),
    ] {
        let (Some(a), Some(b)) = (facts.info.get(info_key), facts.xmp.get(xmp_key)) else {
            continue;
        };
        // An empty value on one side says nothing either way.
        if normalize(a).is_empty() || normalize(b).is_empty() {
            continue;
        }
        if !same(a, b) {
            named.add(what, info_key, a, xmp_key, b);
        }
    }
    [
        dates.finding("dates-inconsistent"),
        named.finding("metadata-disagrees"),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// The fields on which Info and XMP disagree, with both values.
#[derive(Default)]
struct Disagreement {
    fields: Vec<&'static str>,
    evidence: BTreeMap<String, String>,
}

impl Disagreement {
    fn add(&mut self, what: &'static str, info_key: &str, a: &str, xmp_key: &str, b: &str) {
        self.fields.push(what);
        self.evidence
            .insert(format!("PDF Info /{info_key}"), a.to_owned());
        self.evidence.insert(format!("XMP {xmp_key}"), b.to_owned());
    }

    fn finding(mut self, code: &str) -> Option<Finding> {
        if self.fields.is_empty() {
            return None;
        }
        let fields = self.fields.join(", ");
        self.evidence.insert("fields".into(), fields.clone());
        Some(Finding {
            code: code.into(),
            detail: format!(
                "the Info dictionary and the XMP metadata disagree on the {fields}: one was edited without the other"
            ),
            evidence: self.evidence,
        })
    }
}

/// A value as compared: lower case, letters and digits only, every other
/// run of characters one space (`Word  2016®` is `word 2016`).
fn normalize(value: &str) -> String {
    value
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// One text in Info, one in XMP, where XMP may hold a list (`dc:title` is
/// a language alternative, joined `A; B` as we read it): the same when
/// Info's is the whole or one of the items.
fn same_text(info: &str, xmp: &str) -> bool {
    let info = normalize(info);
    info == normalize(xmp) || xmp.split("; ").any(|item| normalize(item) == info)
}

/// The same set of names, whatever the separators and case.
fn same_names(info: &str, xmp: &str) -> bool {
    names(info) == names(xmp)
}

/// A list of names as a set, whatever the separators and case: `A; B`
/// (XMP's list as we join it) is `a, b` in Info.
fn names(list: &str) -> Vec<String> {
    let mut out: Vec<String> = list
        .split([';', ','])
        .map(normalize)
        .filter(|n| !n.is_empty())
        .collect();
    out.sort();
    out.dedup();
    out
}

fn layers_finding(layers: &active::Layers) -> Finding {
    let mut evidence = BTreeMap::from([
        ("count".to_owned(), layers.names.len().to_string()),
        ("layers".to_owned(), layers.names.join("; ")),
    ]);
    let mut detail = format!(
        "{} optional content group{} (layers): {}",
        layers.names.len(),
        if layers.names.len() == 1 { "" } else { "s" },
        layers.names.join(", ")
    );
    if !layers.hidden.is_empty() {
        evidence.insert("hidden when opened".into(), layers.hidden.join("; "));
        detail.push_str(&format!(
            "; hidden when the document opens: {}",
            layers.hidden.join(", ")
        ));
    }
    detail.push_str(
        ". Content on layers was not flattened into the page: a montage may show its parts",
    );
    Finding {
        code: "pdf-layers".into(),
        detail,
        evidence,
    }
}

fn active_finding(found: &active::Active) -> Option<Finding> {
    let mut evidence = BTreeMap::new();
    let mut kinds = Vec::new();
    if !found.javascript.is_empty() {
        kinds.push("JavaScript".to_owned());
        evidence.insert("javascript".into(), found.javascript.join("; "));
    }
    if !found.embedded_files.is_empty() {
        kinds.push(format!(
            "embedded files ({})",
            found.embedded_files.join(", ")
        ));
        evidence.insert("embedded files".into(), found.embedded_files.join("; "));
    }
    if let Some(form) = &found.form {
        kinds.push("a form".to_owned());
        evidence.insert("form".into(), form.clone());
    }
    if kinds.is_empty() {
        return None;
    }
    Some(Finding {
        code: "pdf-active-content".into(),
        detail: format!("the document holds {}", kinds.join(", ")),
        evidence,
    })
}

fn metadata_only_finding(update: update::MetadataOnly) -> Finding {
    let mut evidence = update.changes;
    evidence.insert("objects".into(), update.objects.join("; "));
    evidence.insert("revision".into(), update.revision.to_string());
    evidence.insert(
        "bytes".into(),
        format!("{}..{}", update.range.0, update.range.1),
    );
    Finding {
        code: "pdf-metadata-only-update".into(),
        detail: format!(
            "the last update (revision {}) changes only metadata ({}): the pages are as before, \
             and the metadata was rewritten after the fact",
            update.revision,
            update.objects.join(", ")
        ),
        evidence,
    }
}
