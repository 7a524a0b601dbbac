//! The case at a glance. Every figure is one aggregate query served by an
//! index of `schema.sql` (verdict, sender domain, month with verdict, From,
//! recipient address): about 40 ms on a case of 100,000 messages, most of
//! it counting recipients. The result is kept until the case changes, so
//! the page costs that once per ingest batch rather than once per visit.

use anyhow::Result;
use rusqlite::{Connection, OptionalExtension, Row};
use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;
use tamis_findings::Verdict;

use crate::address;
use crate::model::{
    CollectionFindingRow, Count, DocumentRef, LooseDocumentRow, MailStoreRow, Overview,
    TimelineBucket, UnreadableRow, VerdictCount,
};
use crate::rows;

/// Length of the top-N lists.
const TOP: i64 = 25;
/// Unreadable items listed (all are counted).
const UNREADABLE_LISTED: i64 = 500;

/// The last overview computed, and the [`version`] of the case it shows.
#[derive(Default)]
pub struct OverviewCache {
    slot: Mutex<Option<(String, Overview)>>,
}

impl OverviewCache {
    pub fn get(&self, conn: &Connection) -> Result<Overview> {
        // One read transaction, so that the version and the figures come
        // from the same snapshot even while a writer commits.
        conn.execute_batch("BEGIN")?;
        let computed = self.get_in_snapshot(conn);
        conn.execute_batch("COMMIT")?;
        computed
    }

    fn get_in_snapshot(&self, conn: &Connection) -> Result<Overview> {
        let version = version(conn)?;
        if let Some((cached_version, cached)) =
            &*self.slot.lock().unwrap_or_else(|p| p.into_inner())
        {
            if *cached_version == version {
                return Ok(cached.clone());
            }
        }
        let fresh = overview(conn)?;
        *self.slot.lock().unwrap_or_else(|p| p.into_inner()) = Some((version, fresh.clone()));
        Ok(fresh)
    }
}

/// Changes whenever anything an overview shows changes: every row it counts
/// is in a table whose highest id grows with each insert (attachments and
/// recipients come only with new messages), and runs change status and
/// progress.
fn version(conn: &Connection) -> Result<String> {
    let parts = conn
        .prepare_cached(
            "SELECT (SELECT max(id) FROM messages), (SELECT max(id) FROM origins),
                    (SELECT max(id) FROM items), (SELECT max(id) FROM findings),
                    (SELECT group_concat(id || ':' || status || ':' || records_done) FROM runs)",
        )?
        .query_row([], |row| {
            Ok((
                row.get::<_, Option<i64>>(0)?,
                row.get::<_, Option<i64>>(1)?,
                row.get::<_, Option<i64>>(2)?,
                row.get::<_, Option<i64>>(3)?,
                row.get::<_, Option<String>>(4)?,
            ))
        })?;
    Ok(format!("{parts:?}"))
}

pub fn overview(conn: &Connection) -> Result<Overview> {
    let (timeline, undated) = timeline(conn)?;
    Ok(Overview {
        messages: count(conn, "SELECT count(*) FROM messages")?,
        origins: count(
            conn,
            "SELECT count(*) FROM origins WHERE message_id IS NOT NULL",
        )?,
        attachments: count(conn, "SELECT count(DISTINCT item_id) FROM attachments")?,
        files: count(
            conn,
            "SELECT count(DISTINCT item_id) FROM origins WHERE found_as = 'file'",
        )?,
        verdicts: verdicts(conn)?,
        sender_domains: counts(
            conn,
            "SELECT sender_domain, count(*) AS n FROM messages WHERE sender_domain IS NOT NULL
             GROUP BY sender_domain ORDER BY n DESC, sender_domain LIMIT ?1",
        )?,
        timeline,
        undated,
        top_senders: top_addresses(
            conn,
            "SELECT max(from_name), min(from_address), count(*) AS n FROM messages
             WHERE from_address IS NOT NULL
             GROUP BY from_address COLLATE NOCASE ORDER BY n DESC, 2 LIMIT ?1",
        )?,
        top_recipients: top_addresses(
            conn,
            "SELECT max(name), min(address), count(*) AS n FROM recipients
             WHERE address IS NOT NULL AND kind IN ('to', 'cc')
             GROUP BY address COLLATE NOCASE ORDER BY n DESC, 2 LIMIT ?1",
        )?,
        unreadable_total: count(conn, "SELECT count(*) FROM findings")?,
        unreadable: unreadable(conn)?,
        runs: rows::runs(conn)?,
        // Set by the reader, outside the cached part.
        document_findings: Vec::new(),
        loose_documents: Vec::new(),
        // A file beside the database, not a row: the reader sets it.
        spread_report: false,
        mail_stores: mail_stores(conn)?,
        registry: counts(
            conn,
            "SELECT code, count(*) AS n FROM registry_matches GROUP BY code
             ORDER BY n DESC, code LIMIT ?1",
        )?,
        corroborated: count(
            conn,
            "SELECT count(DISTINCT message_id) FROM corroborations",
        )?,
    })
}

fn mail_stores(conn: &Connection) -> Result<Vec<MailStoreRow>> {
    let mut statement = conn.prepare_cached(
        "SELECT location, format, claimed, read, failed, folders FROM mail_stores
         ORDER BY location",
    )?;
    let rows = statement.query_map([], |row| {
        Ok(MailStoreRow {
            location: row.get(0)?,
            format: row.get(1)?,
            claimed: row.get::<_, Option<i64>>(2)?.map(|n| n as u64),
            read: row.get::<_, i64>(3)? as u64,
            failed: row.get::<_, i64>(4)? as u64,
            folders: row.get::<_, i64>(5)? as u64,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn count(conn: &Connection, sql: &str) -> Result<u64> {
    Ok(conn
        .prepare_cached(sql)?
        .query_row([], |row| row.get::<_, i64>(0))? as u64)
}

/// `(key, count)` rows as [`Count`]s.
fn counts(conn: &Connection, sql: &str) -> Result<Vec<Count>> {
    let mut statement = conn.prepare_cached(sql)?;
    let rows = statement.query_map([TOP], |row| {
        Ok(Count {
            key: row.get(0)?,
            count: row.get::<_, i64>(1)? as u64,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Every verdict in DESIGN.md order, zeros included.
fn verdicts(conn: &Connection) -> Result<Vec<VerdictCount>> {
    let mut statement =
        conn.prepare_cached("SELECT verdict, count(*) FROM messages GROUP BY verdict")?;
    let found: HashMap<String, i64> = statement
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Verdict::ALL
        .iter()
        .map(|verdict| VerdictCount {
            verdict: verdict.as_str().to_string(),
            meaning: verdict.meaning().to_string(),
            count: found.get(verdict.as_str()).copied().unwrap_or(0) as u64,
        })
        .collect())
}

/// Messages per month and verdict, and how many have no usable date (no
/// Date header, or one outside the years a calendar can show).
fn timeline(conn: &Connection) -> Result<(Vec<TimelineBucket>, u64)> {
    let mut statement = conn
        .prepare_cached("SELECT month, verdict, count(*) FROM messages GROUP BY month, verdict")?;
    let rows = statement.query_map([], |row| {
        Ok((
            row.get::<_, Option<String>>(0)?,
            row.get::<_, String>(1)?,
            row.get::<_, i64>(2)?,
        ))
    })?;
    let mut months: BTreeMap<String, BTreeMap<String, u64>> = BTreeMap::new();
    let mut undated = 0;
    for row in rows {
        let (month, verdict, n) = row?;
        match month {
            Some(month) => {
                *months.entry(month).or_default().entry(verdict).or_default() += n as u64;
            }
            None => undated += n as u64,
        }
    }
    let buckets = months
        .into_iter()
        .map(|(month, counts)| TimelineBucket { month, counts })
        .collect();
    Ok((buckets, undated))
}

/// `(name, address, count)` rows as `Name <address>` counts.
fn top_addresses(conn: &Connection, sql: &str) -> Result<Vec<Count>> {
    let mut statement = conn.prepare_cached(sql)?;
    let rows = statement.query_map([TOP], |row: &Row<'_>| {
        let name: Option<String> = row.get(0)?;
        let address: Option<String> = row.get(1)?;
        Ok(Count {
            key: address::display(name.as_deref(), address.as_deref()).unwrap_or_default(),
            count: row.get::<_, i64>(2)? as u64,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn unreadable(conn: &Connection) -> Result<Vec<UnreadableRow>> {
    let mut statement =
        conn.prepare_cached("SELECT location, code, reason FROM findings ORDER BY id LIMIT ?1")?;
    let rows = statement.query_map([UNREADABLE_LISTED], |row| {
        Ok(UnreadableRow {
            location: row.get(0)?,
            code: row.get(1)?,
            reason: row.get(2)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Findings across the case's documents, with the documents concerned.
pub fn document_findings(conn: &Connection) -> Result<Vec<CollectionFindingRow>> {
    collection_findings(conn, None)
}

/// The findings across documents, all of them or those concerning one
/// document (an item id).
pub fn collection_findings(
    conn: &Connection,
    concerning: Option<i64>,
) -> Result<Vec<CollectionFindingRow>> {
    let mut statement = conn.prepare_cached(
        "SELECT code, detail, evidence, items FROM collection_findings
         WHERE ?1 IS NULL OR EXISTS (SELECT 1 FROM json_each(items) WHERE value = ?1)
         ORDER BY id",
    )?;
    let rows = statement.query_map([concerning], |row| {
        Ok((
            row.get::<_, String>(0)?,
            row.get::<_, String>(1)?,
            row.get::<_, String>(2)?,
            row.get::<_, String>(3)?,
        ))
    })?;
    let mut name_of = conn.prepare_cached(
        "SELECT i.sha256,
                (SELECT a.filename FROM attachments a WHERE a.item_id = i.id LIMIT 1),
                (SELECT o.location FROM origins o WHERE o.item_id = i.id LIMIT 1)
         FROM items i WHERE i.id = ?1",
    )?;
    let mut out = Vec::new();
    for row in rows {
        let (code, detail, evidence, items) = row?;
        let items: Vec<i64> = serde_json::from_str(&items).unwrap_or_default();
        let mut documents = Vec::new();
        for item in items {
            let found = name_of
                .query_row([item], |r| {
                    Ok(DocumentRef {
                        sha256: r.get(0)?,
                        name: r.get::<_, Option<String>>(1)?.or(r.get(2)?),
                    })
                })
                .optional()?;
            documents.extend(found);
        }
        out.push(CollectionFindingRow {
            code,
            detail,
            evidence: serde_json::from_str(&evidence).unwrap_or_default(),
            documents,
        });
    }
    Ok(out)
}

/// Documents found on their own, those with findings first.
pub fn loose_documents(conn: &Connection) -> Result<Vec<LooseDocumentRow>> {
    let mut statement = conn.prepare_cached(
        "SELECT i.sha256, (SELECT min(o.location) FROM origins o WHERE o.item_id = d.item_id),
                d.report, d.item_id,
                (SELECT count(*) FROM document_findings f WHERE f.item_id = d.item_id) AS n
         FROM documents d JOIN items i ON i.id = d.item_id
         WHERE EXISTS (SELECT 1 FROM origins o WHERE o.item_id = d.item_id AND o.found_as = 'file')
         ORDER BY n > 0 DESC, d.item_id LIMIT 500",
    )?;
    let rows = statement.query_map([], |row| {
        Ok((
            row.get::<_, String>(0)?,
            row.get::<_, Option<String>>(1)?,
            row.get::<_, String>(2)?,
            row.get::<_, i64>(3)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (sha256, location, report, item_id) = row?;
        // A report this tamis cannot read back is left out, not an error.
        let Ok(document) = serde_json::from_str(&report) else {
            continue;
        };
        out.push(LooseDocumentRow {
            sha256,
            location: location.unwrap_or_default(),
            document,
            revisions: crate::reader::message::revisions(conn, item_id)?,
        });
    }
    Ok(out)
}
