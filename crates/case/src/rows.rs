//! Database rows as the API's shapes, shared by the writer (which returns
//! its run) and the readers.

use anyhow::{Context, Result};
use rusqlite::{Connection, Row};
use std::collections::BTreeMap;

use crate::address;
use crate::model::{MessageSummary, RunRow};

/// The columns [`summary`] reads, for `SELECT {SUMMARY_COLUMNS} FROM {SUMMARY_FROM} …`.
pub const SUMMARY_COLUMNS: &str = "m.id, i.sha256, m.message_id, m.from_name, m.from_address, \
                                   m.subject, m.date, m.verdict, m.attachment_count";
pub const SUMMARY_FROM: &str = "messages m JOIN items i ON i.id = m.item_id";

pub fn summary(row: &Row<'_>) -> rusqlite::Result<MessageSummary> {
    let from_name: Option<String> = row.get(3)?;
    let from_address: Option<String> = row.get(4)?;
    Ok(MessageSummary {
        id: row.get(0)?,
        sha256: row.get(1)?,
        message_id: row.get(2)?,
        from: address::display(from_name.as_deref(), from_address.as_deref()),
        subject: row.get(5)?,
        date: row.get(6)?,
        verdict: row.get(7)?,
        attachments: row.get::<_, i64>(8)? as u64,
    })
}

const RUN_COLUMNS: &str =
    "id, started_at, finished_at, paths, key_files, dns, tamis_version, status, counts";

/// Every run, oldest first.
pub fn runs(conn: &Connection) -> Result<Vec<RunRow>> {
    let mut statement =
        conn.prepare_cached(&format!("SELECT {RUN_COLUMNS} FROM runs ORDER BY id"))?;
    let rows = statement.query_map([], raw_run)?;
    rows.map(|row| run_from_raw(row?)).collect()
}

pub fn run(conn: &Connection, id: i64) -> Result<RunRow> {
    let raw = conn.query_row(
        &format!("SELECT {RUN_COLUMNS} FROM runs WHERE id = ?1"),
        [id],
        raw_run,
    )?;
    run_from_raw(raw)
}

type RawRun = (
    i64,
    String,
    Option<String>,
    String,
    String,
    bool,
    String,
    String,
    String,
);

fn raw_run(row: &Row<'_>) -> rusqlite::Result<RawRun> {
    Ok((
        row.get(0)?,
        row.get(1)?,
        row.get(2)?,
        row.get(3)?,
        row.get(4)?,
        row.get(5)?,
        row.get(6)?,
        row.get(7)?,
        row.get(8)?,
    ))
}

fn run_from_raw(raw: RawRun) -> Result<RunRow> {
    let (id, started_at, finished_at, paths, key_files, dns, tamis_version, status, counts) = raw;
    let damaged = || format!("run {id} in the case database is damaged");
    Ok(RunRow {
        id,
        started_at,
        finished_at,
        paths: serde_json::from_str(&paths).with_context(damaged)?,
        key_files: serde_json::from_str(&key_files).with_context(damaged)?,
        dns,
        tamis_version,
        status,
        counts: serde_json::from_str::<BTreeMap<String, u64>>(&counts).with_context(damaged)?,
    })
}
