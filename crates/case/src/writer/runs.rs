//! Run rows: starting, resuming, saving progress, finishing.
//!
//! A run's counts cannot be recomputed from the rows it wrote (an origin
//! already recorded by an earlier run is not written again), so the writer
//! counts as records arrive and saves the counts, with how many records they
//! cover, in the same transaction as each batch. A resumed run replays the
//! dump from the start: records the saved counts already cover are redone
//! (a no-op on rows) without being counted again.

use anyhow::Result;
use rusqlite::{params, Connection, OptionalExtension};
use std::collections::BTreeMap;

use crate::record::{RunCounts, RunParams};
use crate::time;

/// The run the writer is in.
#[derive(Debug)]
pub struct ActiveRun {
    pub id: i64,
    pub counts: RunCounts,
    /// Records handed to the writer since `begin_run`.
    pub received: u64,
    /// Records of this run committed before it was resumed: the first this
    /// many records received are already counted.
    pub counted_before: u64,
}

impl ActiveRun {
    /// Whether the record just received is new to the counts.
    pub fn counts_latest(&self) -> bool {
        self.received > self.counted_before
    }

    /// Records the counts now cover.
    fn records_done(&self) -> u64 {
        self.received.max(self.counted_before)
    }
}

const TAMIS_VERSION: &str = env!("CARGO_PKG_VERSION");

/// Resume the last run if it never finished and was asked the same thing;
/// otherwise start a new one (and mark an unfinished one interrupted, so
/// that it does not look as if it were still running).
pub fn begin(conn: &Connection, params: &RunParams) -> Result<ActiveRun> {
    let paths = serde_json::to_string(&params.paths)?;
    let key_files = serde_json::to_string(&params.key_files)?;
    let last = conn
        .query_row(
            "SELECT id, paths, key_files, dns, counts, records_done FROM runs
             WHERE status = 'running' ORDER BY id DESC LIMIT 1",
            [],
            |row| {
                Ok((
                    row.get::<_, i64>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, String>(2)?,
                    row.get::<_, bool>(3)?,
                    row.get::<_, String>(4)?,
                    row.get::<_, i64>(5)?,
                ))
            },
        )
        .optional()?;
    if let Some((id, last_paths, last_key_files, dns, counts, records_done)) = last {
        if last_paths == paths && last_key_files == key_files && dns == params.dns {
            let counts: BTreeMap<String, u64> = serde_json::from_str(&counts)?;
            return Ok(ActiveRun {
                id,
                counts: RunCounts::from_map(&counts),
                received: 0,
                counted_before: records_done as u64,
            });
        }
    }
    conn.execute(
        "UPDATE runs SET status = 'interrupted' WHERE status = 'running'",
        [],
    )?;
    conn.execute(
        "INSERT INTO runs (started_at, paths, key_files, dns, tamis_version, status, counts, records_done)
         VALUES (?1, ?2, ?3, ?4, ?5, 'running', ?6, 0)",
        params![
            time::now_rfc3339(),
            paths,
            key_files,
            params.dns,
            TAMIS_VERSION,
            serde_json::to_string(&RunCounts::default().to_map())?
        ],
    )?;
    Ok(ActiveRun {
        id: conn.last_insert_rowid(),
        counts: RunCounts::default(),
        received: 0,
        counted_before: 0,
    })
}

/// Save the counts; called inside each batch's transaction.
pub fn save_progress(conn: &Connection, run: &ActiveRun) -> Result<()> {
    conn.prepare_cached("UPDATE runs SET counts = ?1, records_done = ?2 WHERE id = ?3")?
        .execute(params![
            serde_json::to_string(&run.counts.to_map())?,
            run.records_done() as i64,
            run.id
        ])?;
    Ok(())
}

pub fn finish(conn: &Connection, run: &ActiveRun) -> Result<()> {
    conn.execute(
        "UPDATE runs SET status = 'finished', finished_at = ?1, counts = ?2, records_done = ?3
         WHERE id = ?4",
        params![
            time::now_rfc3339(),
            serde_json::to_string(&run.counts.to_map())?,
            run.records_done() as i64,
            run.id
        ],
    )?;
    Ok(())
}
