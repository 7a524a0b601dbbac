//! One message with everything about it: the message page and the reports.

use anyhow::{Context, Result};
use rusqlite::{Connection, OptionalExtension, Row};
use tamis_findings::{HeaderLine, MessageReport, OriginReport, Verdict};
use tamis_items::{ContentId, Origin};

use crate::address;
use crate::model::{
    AttachmentRow, CorroborationRow, MessageDetail, MessageSummary, RegistryRow, RevisionRow,
    ThreadEntry,
};
use crate::rows::{self, SUMMARY_COLUMNS, SUMMARY_FROM};

/// A thread longer than this is shown as the window of this many entries
/// around the message: subject threading can gather thousands of
/// newsletters into one thread, and the page needs only the neighbourhood.
const THREAD_WINDOW: i64 = 1000;

pub fn detail(conn: &Connection, id: i64) -> Result<Option<MessageDetail>> {
    let found = conn
        .prepare_cached(&format!(
            "SELECT {SUMMARY_COLUMNS}, m.text_body, m.html_body IS NOT NULL, m.headers,
                    m.problems, m.report,
                    (SELECT t.thread_id FROM threads t WHERE t.message = m.id LIMIT 1), m.item_id
             FROM {SUMMARY_FROM} WHERE m.id = ?1"
        ))?
        .query_row([id], |row| {
            Ok((
                rows::summary(row)?,
                row.get::<_, String>(9)?,
                row.get::<_, bool>(10)?,
                row.get::<_, String>(11)?,
                row.get::<_, String>(12)?,
                row.get::<_, String>(13)?,
                row.get::<_, Option<i64>>(14)?,
                row.get::<_, i64>(15)?,
            ))
        })
        .optional()?;
    let Some((summary, text_body, has_html, headers, problems, report, thread_id, item_id)) = found
    else {
        return Ok(None);
    };
    let damaged = || format!("message {id} in the case database is damaged");
    let headers: Vec<HeaderLine> = serde_json::from_str(&headers).with_context(damaged)?;
    let origins = origins(conn, id)?;
    let mut report: MessageReport = serde_json::from_str(&report).with_context(damaged)?;
    report.origins = origins.clone();
    let thread = match thread_id {
        Some(thread_id) => thread(conn, thread_id, id)?,
        None => vec![alone(&summary)],
    };
    Ok(Some(MessageDetail {
        to: recipients(conn, id, "to")?,
        cc: recipients(conn, id, "cc")?,
        headers: headers.into_iter().map(|h| (h.name, h.value)).collect(),
        text_body,
        has_html,
        attachments: attachments(conn, id)?,
        labels: labels(conn, id)?,
        corroborated_by: corroborations(conn, id, Side::Corroborated)?,
        corroborates: corroborations(conn, id, Side::Verified)?,
        registry: registry(conn, item_id)?,
        origins,
        report,
        thread,
        problems: serde_json::from_str(&problems).with_context(damaged)?,
        summary,
    }))
}

/// Messages with any of `verdicts`, in id order, each report with every origin.
pub fn with_verdicts(
    conn: &Connection,
    verdicts: &[Verdict],
) -> Result<Vec<(MessageSummary, MessageReport)>> {
    let words: Vec<&str> = verdicts.iter().map(|v| v.as_str()).collect();
    let mut statement = conn.prepare_cached(&format!(
        "SELECT {SUMMARY_COLUMNS}, m.report FROM {SUMMARY_FROM}
         WHERE m.verdict IN (SELECT value FROM json_each(?1)) ORDER BY m.id"
    ))?;
    let rows = statement.query_map([serde_json::to_string(&words)?], |row| {
        Ok((rows::summary(row)?, row.get::<_, String>(9)?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (summary, report) = row?;
        let mut report: MessageReport = serde_json::from_str(&report)
            .with_context(|| format!("message {} in the case database is damaged", summary.id))?;
        report.origins = origins(conn, summary.id)?;
        out.push((summary, report));
    }
    Ok(out)
}

/// Columns: sha256, filename, content_type, disposition, size, then
/// optionally the document report's JSON.
pub fn attachment_row(row: &Row<'_>) -> rusqlite::Result<AttachmentRow> {
    let document: Option<String> = row.get(5).unwrap_or(None);
    Ok(AttachmentRow {
        sha256: row.get(0)?,
        filename: row.get(1)?,
        content_type: row.get(2)?,
        disposition: row.get(3)?,
        size: row.get::<_, i64>(4)? as u64,
        // A report written by another tamis version that this one cannot
        // read back is left out rather than failing the page.
        document: document.and_then(|json| serde_json::from_str(&json).ok()),
        revisions: Vec::new(),
        registry: None,
    })
}

/// What the registry says of an item, if a registry was used.
pub(crate) fn registry(conn: &Connection, item_id: i64) -> Result<Option<RegistryRow>> {
    Ok(conn
        .prepare_cached("SELECT code, detail FROM registry_matches WHERE item_id = ?1")?
        .query_row([item_id], |row| {
            let detail: String = row.get(1)?;
            Ok(RegistryRow {
                code: row.get(0)?,
                detail: serde_json::from_str(&detail).unwrap_or_default(),
            })
        })
        .optional()?)
}

fn attachments(conn: &Connection, id: i64) -> Result<Vec<AttachmentRow>> {
    let mut statement = conn.prepare_cached(
        "SELECT i.sha256, a.filename, a.content_type, a.disposition, a.size, d.report, a.item_id
         FROM attachments a JOIN items i ON i.id = a.item_id
         LEFT JOIN documents d ON d.item_id = a.item_id
         WHERE a.message_id = ?1 ORDER BY a.position",
    )?;
    let rows = statement.query_map([id], |row| {
        Ok((attachment_row(row)?, row.get::<_, i64>(6)?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (mut attachment, item_id) = row?;
        attachment.revisions = revisions(conn, item_id)?;
        attachment.registry = registry(conn, item_id)?;
        out.push(attachment);
    }
    Ok(out)
}

/// Which side of a corroboration the page's message is on.
enum Side {
    Corroborated,
    Verified,
}

fn corroborations(conn: &Connection, id: i64, side: Side) -> Result<Vec<CorroborationRow>> {
    let (this, other) = match side {
        Side::Corroborated => ("c.message_id", "c.by_message"),
        Side::Verified => ("c.by_message", "c.message_id"),
    };
    let mut statement = conn.prepare_cached(&format!(
        "SELECT {SUMMARY_COLUMNS}, c.how, c.coverage, c.quoted, c.differences, c.attribution
         FROM corroborations c JOIN messages m ON m.id = {other}
         JOIN items i ON i.id = m.item_id
         WHERE {this} = ?1 ORDER BY m.id, c.how LIMIT 100"
    ))?;
    let rows = statement.query_map([id], |row| {
        let differences: String = row.get(12)?;
        Ok(CorroborationRow {
            message: rows::summary(row)?,
            how: row.get(9)?,
            coverage: row.get(10)?,
            quoted: row.get(11)?,
            differences: serde_json::from_str(&differences).unwrap_or_default(),
            attribution: row.get(13)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn labels(conn: &Connection, id: i64) -> Result<Vec<String>> {
    let mut statement = conn
        .prepare_cached("SELECT label FROM message_labels WHERE message_id = ?1 ORDER BY label")?;
    let rows = statement.query_map([id], |row| row.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(crate) fn revisions(conn: &Connection, item_id: i64) -> Result<Vec<RevisionRow>> {
    let mut statement = conn.prepare_cached(
        "SELECT r.number, i.sha256, i.size FROM document_revisions r
         JOIN items i ON i.id = r.revision_item_id
         WHERE r.item_id = ?1 ORDER BY r.number",
    )?;
    let rows = statement.query_map([item_id], |row| {
        Ok(RevisionRow {
            number: row.get(0)?,
            sha256: row.get(1)?,
            size: row.get::<_, i64>(2)? as u64,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Every place the message was found, in dump order, with the hash of the
/// bytes found there.
fn origins(conn: &Connection, id: i64) -> Result<Vec<OriginReport>> {
    let mut statement = conn.prepare_cached(
        "SELECT o.origin, o.location, i.sha256 FROM origins o JOIN items i ON i.id = o.item_id
         WHERE o.message_id = ?1 ORDER BY o.id",
    )?;
    let rows = statement.query_map([id], |row| {
        Ok((
            row.get::<_, String>(0)?,
            row.get::<_, String>(1)?,
            row.get::<_, String>(2)?,
        ))
    })?;
    rows.map(|row| {
        let (origin, location, sha256) = row?;
        let damaged = || format!("an origin of message {id} in the case database is damaged");
        let origin: Origin = serde_json::from_str(&origin).with_context(damaged)?;
        let mut bytes = [0u8; 32];
        hex::decode_to_slice(&sha256, &mut bytes).with_context(damaged)?;
        Ok(OriginReport {
            origin,
            location,
            sha256: ContentId(bytes),
        })
    })
    .collect()
}

fn recipients(conn: &Connection, id: i64, kind: &str) -> Result<Vec<String>> {
    let mut statement = conn.prepare_cached(
        "SELECT name, address FROM recipients WHERE message_id = ?1 AND kind = ?2 ORDER BY position",
    )?;
    let rows = statement.query_map(rusqlite::params![id, kind], |row| {
        Ok(address::display(
            row.get::<_, Option<String>>(0)?.as_deref(),
            row.get::<_, Option<String>>(1)?.as_deref(),
        ))
    })?;
    let shown = rows.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(shown.into_iter().flatten().collect())
}

/// The thread in display order, or the window of it around the message.
fn thread(conn: &Connection, thread_id: i64, message: i64) -> Result<Vec<ThreadEntry>> {
    let position: i64 = conn
        .prepare_cached("SELECT position FROM threads WHERE thread_id = ?1 AND message = ?2")?
        .query_row([thread_id, message], |row| row.get(0))
        .optional()?
        .unwrap_or(0);
    let first = (position - THREAD_WINDOW / 2).max(0);
    let mut statement = conn.prepare_cached(
        "SELECT t.message, t.message_id_header, t.depth, m.subject, m.from_name, m.from_address,
                m.date, m.verdict
         FROM threads t LEFT JOIN messages m ON m.id = t.message
         WHERE t.thread_id = ?1 AND t.position >= ?2 ORDER BY t.position LIMIT ?3",
    )?;
    let rows = statement.query_map([thread_id, first, THREAD_WINDOW], |row| {
        let from_name: Option<String> = row.get(4)?;
        let from_address: Option<String> = row.get(5)?;
        Ok(ThreadEntry {
            id: row.get(0)?,
            message_id: row.get(1)?,
            depth: row.get(2)?,
            subject: row.get(3)?,
            from: address::display(from_name.as_deref(), from_address.as_deref()),
            date: row.get(6)?,
            verdict: row.get(7)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Before the run that added it finishes, a message has no thread yet: it
/// stands alone.
fn alone(summary: &MessageSummary) -> ThreadEntry {
    ThreadEntry {
        id: Some(summary.id),
        message_id: summary.message_id.clone(),
        subject: summary.subject.clone(),
        from: summary.from.clone(),
        date: summary.date.clone(),
        verdict: Some(summary.verdict.clone()),
        depth: 0,
    }
}
