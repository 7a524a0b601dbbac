//! Every message and every document of a case, one at a time, for exports
//! to other systems (`tamis export`). Streaming keeps memory flat on cases
//! of 100,000 messages: one row and its few related rows are held at once.
//! Everything is read in one read transaction, so the records and the
//! totals come from the same state of the case even while an ingest writes.

use anyhow::{Context, Result};
use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;
use std::collections::HashMap;
use tamis_findings::MessageReport;

use super::CaseReader;
use crate::{address, place, time};

/// How many names, places and messages one document lists: a logo attached
/// to 50,000 messages must not become a 50,000-entry record.
const LISTED: i64 = 1000;

/// Seconds since 1970 of 0001-01-01 and of 9999-12-31T23:59:59: outside
/// them a date cannot be written with four year digits, and search
/// engines refuse the whole record for it.
const FOUR_DIGIT_YEARS: std::ops::RangeInclusive<i64> = -62_135_596_800..=253_402_300_799;

/// How many records [`CaseReader::export`] will hand over.
#[derive(Clone, Copy, Debug, Default)]
pub struct ExportTotals {
    pub messages: u64,
    pub documents: u64,
}

/// One message or one document, ready to be written out.
pub struct ExportRecord {
    /// `message` or `document`.
    pub kind: &'static str,
    /// Unique and stable within the case: `message:<number>` or
    /// `document:<sha256>`.
    pub id: String,
    /// The record's fields (see [`ExportedMessage`], [`ExportedDocument`]).
    pub fields: serde_json::Value,
}

/// A message as exported.
#[derive(Serialize)]
struct ExportedMessage {
    kind: &'static str,
    /// The case's own number for it (the UI's `/messages/<number>`).
    message_number: i64,
    message_id: Option<String>,
    /// SHA-256 of the bytes that were verified (its first copy's).
    sha256: String,
    /// SHA-256 of every copy found (re-exports differ in bytes).
    copy_sha256s: Vec<String>,
    subject: Option<String>,
    from: Option<String>,
    from_name: Option<String>,
    from_address: Option<String>,
    sender_domain: Option<String>,
    to: Vec<String>,
    to_addresses: Vec<String>,
    cc: Vec<String>,
    cc_addresses: Vec<String>,
    /// RFC 3339 with the sender's offset; absent when undated or out of range.
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<String>,
    verdict: String,
    verdict_reason: String,
    /// The signatures' outcomes and the caveats on their keys, in protocol terms.
    reason_codes: Vec<String>,
    /// Exporter damage undone before verifying.
    repairs: Vec<String>,
    dkim_domains: Vec<String>,
    arc_chain: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    thread_id: Option<i64>,
    labels: Vec<String>,
    /// Every place a copy was found.
    origins: Vec<String>,
    attachment_names: Vec<String>,
    attachment_sha256s: Vec<String>,
    attachment_types: Vec<String>,
    /// Finding codes of its attachments, each once.
    attachment_findings: Vec<String>,
    /// Verified messages that quote, forward or attach this one.
    corroborated_by: Vec<i64>,
    /// Messages this one, verified, vouches for.
    corroborates: Vec<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    registry: Option<String>,
    body: String,
    /// The whole authenticity report, as `tamis verify --format jsonl` prints it.
    evidence: MessageReport,
}

/// A document (an attachment or a file found on its own) as exported.
#[derive(Serialize)]
struct ExportedDocument {
    kind: &'static str,
    sha256: String,
    size: i64,
    /// Names it was attached under and file names it was found under.
    names: Vec<String>,
    /// Places it was found on its own.
    origins: Vec<String>,
    /// Numbers of the messages it is attached to (the first [`LISTED`]).
    attached_to: Vec<i64>,
    attached_to_count: i64,
    content_types: Vec<String>,
    /// pdf, ooxml, odf, ole2, jpeg…; absent when the analyzer does not read it.
    #[serde(skip_serializing_if = "Option::is_none")]
    document_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    author: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_modified_by: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    application: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    created: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    modified: Option<String>,
    findings: Vec<String>,
    collection_findings: Vec<String>,
    revision_sha256s: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    registry: Option<String>,
    body: String,
    /// What the document analyzer read (text left out), when it read it.
    #[serde(skip_serializing_if = "Option::is_none")]
    evidence: Option<serde_json::Value>,
}

impl CaseReader {
    /// Hand every message (in number order), then every document (in the
    /// order first met), to `each`; `totals` is told first how many there
    /// will be. An error from `each` stops the export and is returned.
    pub fn export(
        &self,
        totals: impl FnOnce(ExportTotals),
        mut each: impl FnMut(ExportRecord) -> Result<()>,
    ) -> Result<ExportTotals> {
        let conn = self.pool.get()?;
        conn.execute_batch("BEGIN")?;
        let result = export_in_snapshot(&conn, totals, &mut each);
        // A read transaction: ending it cannot lose anything, and the
        // connection must go back to the pool without one open.
        let ended = conn.execute_batch("COMMIT");
        let counted = result?;
        ended?;
        Ok(counted)
    }
}

fn export_in_snapshot(
    conn: &Connection,
    totals: impl FnOnce(ExportTotals),
    each: &mut impl FnMut(ExportRecord) -> Result<()>,
) -> Result<ExportTotals> {
    let count =
        |sql: &str| -> Result<u64> { Ok(conn.query_row(sql, [], |r| r.get::<_, i64>(0))? as u64) };
    totals(ExportTotals {
        messages: count("SELECT count(*) FROM messages")?,
        documents: count(&format!("SELECT count(*) FROM items i WHERE {IS_DOCUMENT}"))?,
    });
    let mut counted = ExportTotals::default();
    let mut statement = conn.prepare(
        "SELECT m.id, m.message_id, i.sha256, m.subject, m.from_name, m.from_address,
                m.sender_domain, m.date, m.date_unix, m.verdict, m.reason,
                (SELECT t.thread_id FROM threads t WHERE t.message = m.id LIMIT 1),
                m.item_id, m.text_body, m.report
         FROM messages m JOIN items i ON i.id = m.item_id ORDER BY m.id",
    )?;
    let mut rows = statement.query([])?;
    while let Some(row) = rows.next()? {
        let id: i64 = row.get(0)?;
        let report: String = row.get(14)?;
        let evidence: MessageReport = serde_json::from_str(&report)
            .with_context(|| format!("message {id} in the case database is damaged"))?;
        let from_name: Option<String> = row.get(4)?;
        let from_address: Option<String> = row.get(5)?;
        let (to, to_addresses) = recipients(conn, id, "to")?;
        let (cc, cc_addresses) = recipients(conn, id, "cc")?;
        let (copy_sha256s, origins) = message_origins(conn, id)?;
        let (attachment_names, attachment_sha256s, attachment_types) = attachments(conn, id)?;
        let date_unix: Option<i64> = row.get(8)?;
        let message = ExportedMessage {
            kind: "message",
            message_number: id,
            message_id: row.get(1)?,
            sha256: row.get(2)?,
            copy_sha256s,
            subject: row.get(3)?,
            from: address::display(from_name.as_deref(), from_address.as_deref()),
            from_name,
            from_address,
            sender_domain: row.get(6)?,
            to,
            to_addresses,
            cc,
            cc_addresses,
            date: row
                .get::<_, Option<String>>(7)?
                .filter(|_| date_unix.is_some_and(|unix| FOUR_DIGIT_YEARS.contains(&unix))),
            verdict: row.get(9)?,
            verdict_reason: row.get(10)?,
            reason_codes: reason_codes(&evidence),
            repairs: evidence.repairs.iter().map(|r| r.code.clone()).collect(),
            dkim_domains: strings(
                conn,
                "SELECT domain FROM signatures WHERE message_id = ?1 AND domain IS NOT NULL
                 GROUP BY lower(domain) ORDER BY min(position)",
                id,
            )?,
            arc_chain: evidence.arc.chain.clone(),
            thread_id: row.get(11)?,
            labels: strings(
                conn,
                "SELECT label FROM message_labels WHERE message_id = ?1 ORDER BY label",
                id,
            )?,
            origins,
            attachment_names,
            attachment_sha256s,
            attachment_types,
            attachment_findings: strings(
                conn,
                "SELECT f.code FROM attachments a JOIN document_findings f ON f.item_id = a.item_id
                 WHERE a.message_id = ?1 GROUP BY f.code ORDER BY min(a.position), min(f.position)",
                id,
            )?,
            corroborated_by: numbers(
                conn,
                "SELECT DISTINCT by_message FROM corroborations WHERE message_id = ?1
                 ORDER BY by_message",
                id,
            )?,
            corroborates: numbers(
                conn,
                "SELECT DISTINCT message_id FROM corroborations WHERE by_message = ?1
                 ORDER BY message_id",
                id,
            )?,
            registry: registry_code(conn, row.get(12)?)?,
            body: row.get(13)?,
            evidence,
        };
        each(ExportRecord {
            kind: "message",
            id: format!("message:{id}"),
            fields: serde_json::to_value(&message)?,
        })?;
        counted.messages += 1;
    }
    drop(rows);
    drop(statement);

    let collection = collection_codes(conn)?;
    let mut statement = conn.prepare(&format!(
        "SELECT i.id, i.sha256, i.size, d.kind, json_extract(d.report, '$.metadata.title'),
                d.author, d.last_modified_by, d.application, d.created, d.modified,
                d.report, d.text
         FROM items i LEFT JOIN documents d ON d.item_id = i.id
         WHERE {IS_DOCUMENT} ORDER BY i.id"
    ))?;
    let mut rows = statement.query([])?;
    while let Some(row) = rows.next()? {
        let item_id: i64 = row.get(0)?;
        let sha256: String = row.get(1)?;
        let origins = strings(
            conn,
            &format!(
                "SELECT location FROM origins WHERE item_id = ?1 AND found_as = 'file'
                 ORDER BY id LIMIT {LISTED}"
            ),
            item_id,
        )?;
        let mut names = strings(
            conn,
            &format!(
                "SELECT filename FROM attachments WHERE item_id = ?1 AND filename IS NOT NULL
                 GROUP BY filename ORDER BY min(message_id), min(position) LIMIT {LISTED}"
            ),
            item_id,
        )?;
        for origin in &origins {
            let name = place::file_name(origin);
            if !name.is_empty() && !names.iter().any(|known| known == name) {
                names.push(name.to_owned());
            }
        }
        let date = |unix: Option<i64>| {
            unix.filter(|unix| FOUR_DIGIT_YEARS.contains(unix))
                .map(time::format_utc)
        };
        // A report written by another tamis version that this one cannot
        // read back is still exported as the JSON it is.
        let evidence = row
            .get::<_, Option<String>>(10)?
            .and_then(|json| serde_json::from_str(&json).ok());
        let document = ExportedDocument {
            kind: "document",
            size: row.get(2)?,
            names,
            origins,
            attached_to: numbers(
                conn,
                &format!(
                    "SELECT DISTINCT message_id FROM attachments WHERE item_id = ?1
                     ORDER BY message_id LIMIT {LISTED}"
                ),
                item_id,
            )?,
            attached_to_count: conn
                .prepare_cached(
                    "SELECT count(DISTINCT message_id) FROM attachments WHERE item_id = ?1",
                )?
                .query_row([item_id], |r| r.get(0))?,
            content_types: strings(
                conn,
                "SELECT content_type FROM attachments WHERE item_id = ?1
                 GROUP BY content_type ORDER BY min(message_id)",
                item_id,
            )?,
            document_type: row.get(3)?,
            title: row.get(4)?,
            author: row.get(5)?,
            last_modified_by: row.get(6)?,
            application: row.get(7)?,
            created: date(row.get(8)?),
            modified: date(row.get(9)?),
            findings: strings(
                conn,
                "SELECT code FROM document_findings WHERE item_id = ?1 ORDER BY position",
                item_id,
            )?,
            collection_findings: collection.get(&item_id).cloned().unwrap_or_default(),
            revision_sha256s: strings(
                conn,
                "SELECT i.sha256 FROM document_revisions r JOIN items i ON i.id = r.revision_item_id
                 WHERE r.item_id = ?1 ORDER BY r.number",
                item_id,
            )?,
            registry: registry_code(conn, item_id)?,
            body: row.get::<_, Option<String>>(11)?.unwrap_or_default(),
            evidence,
            sha256,
        };
        each(ExportRecord {
            kind: "document",
            id: format!("document:{}", document.sha256),
            fields: serde_json::to_value(&document)?,
        })?;
        counted.documents += 1;
    }
    Ok(counted)
}

/// An item is a document when it was attached to a message or found on its
/// own as a file; earlier revisions are listed by the document they precede.
const IS_DOCUMENT: &str = "(EXISTS (SELECT 1 FROM attachments a WHERE a.item_id = i.id)
     OR EXISTS (SELECT 1 FROM origins o WHERE o.found_as = 'file' AND o.item_id = i.id))";

fn reason_codes(report: &MessageReport) -> Vec<String> {
    let mut codes: Vec<String> = Vec::new();
    let found = report.signatures.iter().flat_map(|signature| {
        std::iter::once(&signature.outcome)
            .chain(signature.key_caveats.iter().map(|caveat| &caveat.code))
    });
    for code in found {
        if !code.is_empty() && !codes.contains(code) {
            codes.push(code.clone());
        }
    }
    codes
}

/// Each recipient of `kind` as shown (`Name <address>`), and the bare
/// addresses.
fn recipients(conn: &Connection, id: i64, kind: &str) -> Result<(Vec<String>, Vec<String>)> {
    let mut statement = conn.prepare_cached(
        "SELECT name, address FROM recipients WHERE message_id = ?1 AND kind = ?2
         ORDER BY position",
    )?;
    let mut rows = statement.query(rusqlite::params![id, kind])?;
    let (mut shown, mut addresses) = (Vec::new(), Vec::new());
    while let Some(row) = rows.next()? {
        let name: Option<String> = row.get(0)?;
        let address: Option<String> = row.get(1)?;
        shown.extend(address::display(name.as_deref(), address.as_deref()));
        addresses.extend(
            address
                .map(|a| a.trim().to_owned())
                .filter(|a| !a.is_empty()),
        );
    }
    Ok((shown, addresses))
}

/// The SHA-256 of each distinct copy, and every place one was found.
fn message_origins(conn: &Connection, id: i64) -> Result<(Vec<String>, Vec<String>)> {
    let mut statement = conn.prepare_cached(
        "SELECT o.location, i.sha256 FROM origins o JOIN items i ON i.id = o.item_id
         WHERE o.message_id = ?1 ORDER BY o.id",
    )?;
    let mut rows = statement.query([id])?;
    let (mut sha256s, mut locations) = (Vec::<String>::new(), Vec::new());
    while let Some(row) = rows.next()? {
        locations.push(row.get(0)?);
        let sha256: String = row.get(1)?;
        if !sha256s.contains(&sha256) {
            sha256s.push(sha256);
        }
    }
    Ok((sha256s, locations))
}

/// Names, SHA-256s and content types of a message's attachments; names and
/// types each once.
fn attachments(conn: &Connection, id: i64) -> Result<(Vec<String>, Vec<String>, Vec<String>)> {
    let mut statement = conn.prepare_cached(
        "SELECT a.filename, i.sha256, a.content_type FROM attachments a
         JOIN items i ON i.id = a.item_id WHERE a.message_id = ?1 ORDER BY a.position",
    )?;
    let mut rows = statement.query([id])?;
    let (mut names, mut sha256s, mut types) = (Vec::new(), Vec::new(), Vec::new());
    while let Some(row) = rows.next()? {
        let name: Option<String> = row.get(0)?;
        let sha256: String = row.get(1)?;
        let content_type: String = row.get(2)?;
        for (value, list) in [
            (name, &mut names),
            (Some(sha256), &mut sha256s),
            (Some(content_type), &mut types),
        ] {
            if let Some(value) = value.filter(|v| !v.is_empty()) {
                if !list.contains(&value) {
                    list.push(value);
                }
            }
        }
    }
    Ok((names, sha256s, types))
}

fn registry_code(conn: &Connection, item_id: i64) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT code FROM registry_matches WHERE item_id = ?1")?
        .query_row([item_id], |row| row.get(0))
        .optional()?)
}

/// The codes of the findings across documents, by item: read once, since
/// looking each document up would scan every finding's item list per
/// document.
fn collection_codes(conn: &Connection) -> Result<HashMap<i64, Vec<String>>> {
    let mut statement = conn.prepare(
        "SELECT j.value, c.code FROM collection_findings c, json_each(c.items) j
         ORDER BY c.id",
    )?;
    let mut rows = statement.query([])?;
    let mut codes: HashMap<i64, Vec<String>> = HashMap::new();
    while let Some(row) = rows.next()? {
        let Ok(item_id) = row.get::<_, i64>(0) else {
            continue;
        };
        let code: String = row.get(1)?;
        let list = codes.entry(item_id).or_default();
        if !list.contains(&code) {
            list.push(code);
        }
    }
    Ok(codes)
}

fn strings(conn: &Connection, sql: &str, id: i64) -> Result<Vec<String>> {
    let mut statement = conn.prepare_cached(sql)?;
    let rows = statement.query_map([id], |row| row.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn numbers(conn: &Connection, sql: &str, id: i64) -> Result<Vec<i64>> {
    let mut statement = conn.prepare_cached(sql)?;
    let rows = statement.query_map([id], |row| row.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
