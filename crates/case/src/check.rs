//! Is a case sound? SQLite's own checks, then every blob against its name.

use anyhow::Result;
use rusqlite::Connection;
use std::collections::HashSet;
use tamis_items::ContentId;

use crate::blobs::BlobStore;

pub fn check(conn: &Connection, blobs: &BlobStore) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    let mut integrity = conn.prepare("PRAGMA integrity_check")?;
    for row in integrity.query_map([], |row| row.get::<_, String>(0))? {
        let row = row?;
        if row != "ok" {
            problems.push(format!("database: {row}"));
        }
    }
    let mut foreign_keys = conn.prepare("PRAGMA foreign_key_check")?;
    let dangling = foreign_keys.query_map([], |row| {
        Ok((
            row.get::<_, String>(0)?,
            row.get::<_, Option<i64>>(1)?,
            row.get::<_, String>(2)?,
        ))
    })?;
    for row in dangling {
        let (table, rowid, parent) = row?;
        let rowid = rowid.map_or_else(|| "a row".to_string(), |id| format!("row {id}"));
        problems.push(format!(
            "database: {rowid} of {table} points to a missing {parent} row"
        ));
    }
    problems.extend(check_blobs(conn, blobs)?);
    Ok(problems)
}

/// Every item has its blob, and the blob hashes to its name; every blob
/// belongs to an item.
fn check_blobs(conn: &Connection, blobs: &BlobStore) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    let mut named = HashSet::new();
    let mut items = conn.prepare("SELECT sha256, size FROM items ORDER BY id")?;
    let rows = items.query_map([], |row| {
        Ok((row.get::<_, String>(0)?, row.get::<_, i64>(1)?))
    })?;
    for row in rows {
        let (sha256, size) = row?;
        let path = match blobs.path(&sha256) {
            Ok(path) => path,
            Err(_) => {
                problems.push(format!("item {sha256:?} is not named by a SHA-256"));
                continue;
            }
        };
        match std::fs::read(&path) {
            Err(error) => problems.push(format!("item {sha256}: {} ({error})", path.display())),
            Ok(bytes) if bytes.len() as i64 != size => problems.push(format!(
                "item {sha256}: the blob holds {} bytes, the database says {size}",
                bytes.len()
            )),
            Ok(bytes) if ContentId::of(&bytes).to_hex() != sha256 => problems.push(format!(
                "item {sha256}: the blob's bytes do not hash to its name (damaged on disk)"
            )),
            Ok(_) => {}
        }
        named.insert(path.strip_prefix(blobs.root())?.to_path_buf());
    }
    for file in blobs.list()? {
        if !named.contains(&file) {
            problems.push(format!(
                "blobs/{} belongs to no item (left by a run that was killed and not resumed)",
                file.display()
            ));
        }
    }
    Ok(problems)
}
