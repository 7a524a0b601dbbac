//! Whether the tables a run ends by rebuilding (threads, findings across
//! documents, corroborations) may be out of date.
//!
//! They depend only on the case's items, so a run that stored no new item
//! (the same dump ingested again) need not rebuild them: on 20,000
//! messages that is most of such a run (2 of 3.3 s). The flag is raised in
//! the same transaction as the first new item, and lowered only after every
//! rebuild succeeded, so a crash in between leaves it raised; a case made
//! before the flag existed counts as stale.

use anyhow::Result;
use rusqlite::{Connection, OptionalExtension};

const KEY: &str = "derived_stale";

pub fn mark_stale(conn: &Connection) -> Result<()> {
    conn.prepare_cached("INSERT OR REPLACE INTO meta (key, value) VALUES (?1, '1')")?
        .execute([KEY])?;
    Ok(())
}

pub fn is_stale(conn: &Connection) -> Result<bool> {
    let value: Option<String> = conn
        .query_row("SELECT value FROM meta WHERE key = ?1", [KEY], |row| {
            row.get(0)
        })
        .optional()?;
    Ok(value.as_deref() != Some("0"))
}

pub fn mark_fresh(conn: &Connection) -> Result<()> {
    conn.execute(
        "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, '0')",
        [KEY],
    )?;
    Ok(())
}
