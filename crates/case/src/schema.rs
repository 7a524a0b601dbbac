//! The database schema (`schema.sql`) and the settings every connection uses.

use anyhow::{bail, Context, Result};
use rusqlite::{Connection, OptionalExtension};

/// Bumped whenever `schema.sql` changes in a way an older tamis cannot read.
pub const SCHEMA_VERSION: &str = "2";

/// Older schemas this tamis still reads and writes: version 1 had
/// `messages.thread_id`, which nothing reads any more.
const COMPATIBLE_VERSIONS: [&str; 1] = ["1"];

const SCHEMA_SQL: &str = include_str!("schema.sql");

/// How long a connection waits for another one's lock before failing: the
/// writer holds the database only for the length of one batch.
const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// Settings for the writer's connection. WAL lets readers (`tamis serve`)
/// read while an ingest writes; `synchronous = NORMAL` is durable against the
/// process dying (SIGKILL, OOM, panic) at any point, which is what resumable
/// ingest needs; a power loss may roll back the last batches, which the next
/// run redoes.
pub fn configure_writer(conn: &Connection) -> Result<()> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    // The writer's own checkpoints are off: `writer::checkpointer` runs
    // them on a thread of its own.
    conn.pragma_update(None, "wal_autocheckpoint", 0)?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.set_prepared_statement_cache_capacity(64);
    Ok(())
}

pub fn configure_reader(conn: &Connection) -> Result<()> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.set_prepared_statement_cache_capacity(64);
    Ok(())
}

/// Create the tables of a new case, or check that an existing case has a
/// schema this tamis understands.
pub fn create_or_check(conn: &Connection) -> Result<()> {
    conn.execute_batch(&format!("BEGIN IMMEDIATE;\n{SCHEMA_SQL}\nCOMMIT;"))
        .context("cannot create the case tables")?;
    conn.execute(
        "INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', ?1)",
        [SCHEMA_VERSION],
    )?;
    check_version(conn)
}

/// A clear error when the case was made by a tamis with another schema.
pub fn check_version(conn: &Connection) -> Result<()> {
    let version: Option<String> = conn
        .query_row(
            "SELECT value FROM meta WHERE key = 'schema_version'",
            [],
            |row| row.get(0),
        )
        .optional()
        .context("the case database has no meta table: it was not made by tamis")?;
    match version.as_deref() {
        Some(SCHEMA_VERSION) => Ok(()),
        Some(older) if COMPATIBLE_VERSIONS.contains(&older) => Ok(()),
        Some(other) => bail!(
            "this case has schema version {other}, this tamis reads version {SCHEMA_VERSION}: \
             use the tamis that built it, or rebuild the case with `tamis ingest`"
        ),
        None => bail!("the case database has no schema version: it was not made by tamis"),
    }
}
