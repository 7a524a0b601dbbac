//! Documents as the search page and the document page show them.

use anyhow::Result;
use rusqlite::{Connection, OptionalExtension};
use std::collections::HashMap;

use crate::model::{DocumentDetail, DocumentSummary};
use crate::rows::{self, SUMMARY_COLUMNS, SUMMARY_FROM};
use crate::{place, time};

/// How many places and messages the document page lists.
const LISTED: i64 = 100;

/// Summaries of the documents (item ids) found on their own, in one query.
pub fn summaries(conn: &Connection, ids: &[i64]) -> Result<HashMap<i64, DocumentSummary>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let mut statement = conn.prepare_cached(
        "SELECT d.item_id, i.sha256,
                (SELECT min(o.location) FROM origins o
                 WHERE o.item_id = d.item_id AND o.found_as = 'file'),
                d.kind, json_extract(d.report, '$.metadata.title'), d.author,
                d.last_modified_by, coalesce(d.modified, d.created),
                (SELECT json_group_array(f.code) FROM
                    (SELECT code FROM document_findings WHERE item_id = d.item_id
                     ORDER BY position) f)
         FROM documents d JOIN items i ON i.id = d.item_id
         WHERE d.item_id IN (SELECT value FROM json_each(?1))",
    )?;
    let rows = statement.query_map([serde_json::to_string(ids)?], |row| {
        let location: Option<String> = row.get(2)?;
        let location = location.unwrap_or_default();
        let findings: String = row.get(8)?;
        Ok((
            row.get::<_, i64>(0)?,
            DocumentSummary {
                sha256: row.get(1)?,
                name: place::file_name(&location).to_owned(),
                location,
                kind: row.get(3)?,
                title: row.get(4)?,
                author: row.get(5)?,
                last_modified_by: row.get(6)?,
                modified: row.get::<_, Option<i64>>(7)?.map(time::format_utc),
                findings: serde_json::from_str(&findings).unwrap_or_default(),
            },
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The document page: what the analyzer read, where the document was
/// found, which messages carry it. `None` when no document of the case has
/// this SHA-256 (lowercase hex, checked by the caller).
pub fn detail(conn: &Connection, sha256: &str) -> Result<Option<DocumentDetail>> {
    let found = conn
        .prepare_cached(
            "SELECT d.item_id, i.size, d.report FROM documents d JOIN items i ON i.id = d.item_id
             WHERE i.sha256 = ?1",
        )?
        .query_row([sha256], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, i64>(1)?,
                row.get::<_, String>(2)?,
            ))
        })
        .optional()?;
    let Some((item_id, size, report)) = found else {
        return Ok(None);
    };
    // A report this tamis cannot read back is no document page.
    let Ok(document) = serde_json::from_str(&report) else {
        return Ok(None);
    };
    let locations: Vec<String> = conn
        .prepare_cached(
            "SELECT location FROM origins WHERE item_id = ?1 AND found_as = 'file'
             ORDER BY id LIMIT ?2",
        )?
        .query_map(rusqlite::params![item_id, LISTED], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let messages = conn
        .prepare_cached(&format!(
            "SELECT {SUMMARY_COLUMNS} FROM {SUMMARY_FROM}
             WHERE m.id IN (SELECT message_id FROM attachments WHERE item_id = ?1)
             ORDER BY m.id LIMIT ?2"
        ))?
        .query_map(rusqlite::params![item_id, LISTED], rows::summary)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let attached_as: Option<String> = conn
        .prepare_cached(
            "SELECT filename FROM attachments WHERE item_id = ?1 AND filename IS NOT NULL
             ORDER BY message_id, position LIMIT 1",
        )?
        .query_row([item_id], |row| row.get(0))
        .optional()?;
    let name = locations
        .first()
        .map(|location| place::file_name(location).to_owned())
        .or(attached_as)
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| "document".to_owned());
    Ok(Some(DocumentDetail {
        sha256: sha256.to_owned(),
        size: size as u64,
        name,
        locations,
        messages,
        document,
        revisions: super::message::revisions(conn, item_id)?,
        collection_findings: super::overview::collection_findings(conn, Some(item_id))?,
        registry: super::message::registry(conn, item_id)?,
    }))
}
