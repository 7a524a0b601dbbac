//! The only writer of a case.
//!
//! Records arrive in dump order and are written at once, inside a
//! transaction that is committed every few hundred records or few
//! megabytes: nothing of the dump is held in memory beyond the record at
//! hand and the open batch's blobs on their way to disk (see
//! [`blob_queue`]), and a crash loses at most the uncommitted batch. Because every row
//! is keyed on content (see [`insert`]) and records are written in dump
//! order, running the same ingest again after a crash redoes the lost batch
//! and ends with the same rows, ids included, as a run that was never
//! interrupted.
//!
//! Dropping a writer without [`CaseWriter::finish_run`] is the same as a
//! crash: the open batch is rolled back and the run stays unfinished, to be
//! resumed by the next `begin_run` with the same parameters.

mod blob_queue;
mod checkpointer;
mod corroboration;
mod derived;
mod documents;
mod insert;
mod runs;
mod threads;
mod timings;

pub use timings::WriterTimings;

use anyhow::{bail, ensure, Context, Result};
use rusqlite::Connection;
use std::fs;
use std::path::Path;
use tamis_search::SearchIndex;

use crate::blobs::BlobStore;
use crate::index::IndexFeeder;
use crate::layout::{CaseLayout, CASE_ENTRIES};
use crate::lock::CaseLock;
use crate::model::RunRow;
use crate::record::{IngestRecord, RunCounts, RunParams};
use crate::{rows, schema};
use blob_queue::BlobQueue;
use checkpointer::Checkpointer;
use insert::{Added, Inserter};
use runs::ActiveRun;
use timings::timed;

/// When a batch is committed: whichever limit is reached first.
#[derive(Clone, Copy, Debug)]
struct BatchLimits {
    records: usize,
    bytes: usize,
}

impl Default for BatchLimits {
    fn default() -> Self {
        // A few hundred records keep a transaction's journal small and the
        // work lost to a crash short; 16 MB bounds it when messages are large.
        BatchLimits {
            records: 500,
            bytes: 16 << 20,
        }
    }
}

/// The batch being written, in an open transaction.
#[derive(Debug, Default)]
struct Batch {
    open: bool,
    records: usize,
    bytes: usize,
    /// Something new was stored: the derived tables are stale (see `derived`).
    stored_new: bool,
}

/// The only writer of a case.
pub struct CaseWriter {
    conn: Connection,
    blobs: BlobStore,
    blob_queue: BlobQueue,
    checkpointer: Checkpointer,
    index: IndexFeeder,
    run: Option<ActiveRun>,
    batch: Batch,
    limits: BatchLimits,
    timings: WriterTimings,
    /// Set when a write failed: the batch was rolled back, so the in-memory
    /// counts no longer match the database and the writer refuses to go on.
    failed: bool,
    /// Declared last so that it is released after the connection and the
    /// index are closed.
    _lock: CaseLock,
}

impl CaseWriter {
    /// Open the case in `dir`, creating it if absent. Takes an exclusive lock:
    /// a second writer on the same case fails with a clear error.
    ///
    /// Opening also repairs what a killed writer left: temporary blob files
    /// are deleted and the search index is caught up with the database.
    pub fn open(dir: &Path) -> Result<Self> {
        refuse_foreign_directory(dir)?;
        fs::create_dir_all(dir)
            .with_context(|| format!("cannot create the case directory {}", dir.display()))?;
        let layout = CaseLayout::new(dir);
        let lock = CaseLock::acquire(&layout.lock(), dir)?;
        let conn = Connection::open(layout.database())
            .with_context(|| format!("cannot open {}", layout.database().display()))?;
        schema::configure_writer(&conn)?;
        schema::create_or_check(&conn)
            .with_context(|| format!("cannot use the case {}", dir.display()))?;
        let blobs = BlobStore::new(layout.blobs());
        fs::create_dir_all(blobs.root())
            .with_context(|| format!("cannot create {}", blobs.root().display()))?;
        blobs.remove_leftovers()?;
        let index = SearchIndex::open_or_rebuild(&layout.index()).with_context(|| {
            format!("cannot open the search index {}", layout.index().display())
        })?;
        let mut index = IndexFeeder::new(index);
        index
            .catch_up(&conn)
            .context("cannot bring the search index up to date")?;
        Ok(CaseWriter {
            conn,
            blob_queue: BlobQueue::new(blobs.clone()),
            checkpointer: Checkpointer::start(&layout.database())?,
            blobs,
            index,
            run: None,
            batch: Batch::default(),
            limits: BatchLimits::default(),
            timings: WriterTimings::default(),
            failed: false,
            _lock: lock,
        })
    }

    /// Commit a batch after this many records or bytes of items, whichever
    /// comes first (defaults: 500 records, 16 MB). Smaller batches lose less
    /// work to a crash and cost more commits.
    pub fn set_batch_limits(&mut self, records: usize, bytes: usize) {
        self.limits = BatchLimits {
            records: records.max(1),
            bytes: bytes.max(1),
        };
    }

    /// Where this writer's time went so far.
    pub fn timings(&self) -> &WriterTimings {
        &self.timings
    }

    /// Start a run, or resume the last run if it was never finished and had the same parameters.
    pub fn begin_run(&mut self, params: &RunParams) -> Result<i64> {
        self.usable()?;
        ensure!(
            self.run.is_none(),
            "a run is already in progress in this writer"
        );
        self.conn.execute_batch("BEGIN IMMEDIATE")?;
        let run = match runs::begin(&self.conn, params) {
            Ok(run) => run,
            Err(error) => {
                let _ = self.conn.execute_batch("ROLLBACK");
                return Err(error);
            }
        };
        self.conn.execute_batch("COMMIT")?;
        let id = run.id;
        self.run = Some(run);
        Ok(id)
    }

    /// Record one thing found by the pipeline. Writes are batched in
    /// transactions; a crash loses at most the uncommitted batch, which the
    /// next run redoes.
    pub fn add(&mut self, record: IngestRecord) -> Result<()> {
        self.usable()?;
        let added = self.write(&record);
        if added.is_err() {
            self.fail();
        }
        added
    }

    /// Commit, rebuild threads, bring the search index up to date, and mark the run finished.
    pub fn finish_run(&mut self) -> Result<(RunRow, RunCounts)> {
        self.usable()?;
        let finished = self.finish();
        if finished.is_err() {
            self.fail();
        }
        finished
    }

    fn write(&mut self, record: &IngestRecord) -> Result<()> {
        let Some(run) = self.run.as_mut() else {
            bail!("add() before begin_run()");
        };
        if !self.batch.open {
            self.conn.execute_batch("BEGIN IMMEDIATE")?;
            self.batch.open = true;
        }
        run.received += 1;
        let started = std::time::Instant::now();
        let rows = Inserter {
            conn: &self.conn,
            blobs: &self.blob_queue,
            run_id: run.id,
            spent_on_blobs: Default::default(),
            stored_new: Default::default(),
        };
        let mut counted = RunCounts::default();
        let bytes = match record {
            IngestRecord::Message {
                key,
                item,
                report,
                content,
                documents,
                registry,
            } => {
                let added = rows.message(key, item, report, content, documents)?;
                rows.registry(registry)?;
                counted.messages = 1;
                counted.new_messages = u64::from(added == Added::New);
                counted.attachments = content.attachments.len() as u64;
                item.bytes.len()
                    + content
                        .attachments
                        .iter()
                        .map(|a| a.bytes.len())
                        .sum::<usize>()
            }
            IngestRecord::Duplicate { key, item, labels } => {
                rows.duplicate(key, item, labels)?;
                counted.duplicates = 1;
                item.bytes.len()
            }
            IngestRecord::File {
                item,
                document,
                registry,
            } => {
                rows.file(item, document)?;
                rows.registry(registry)?;
                counted.files = 1;
                item.bytes.len()
            }
            IngestRecord::Unreadable(unreadable) => {
                rows.unreadable(unreadable)?;
                counted.unreadable = 1;
                0
            }
            IngestRecord::UnreadableMessage { item, unreadable } => {
                rows.unreadable_message(item, unreadable)?;
                counted.unreadable = 1;
                item.bytes.len()
            }
            IngestRecord::Store(tally) => {
                rows.store(tally)?;
                0
            }
        };
        self.batch.stored_new |= rows.stored_new.get();
        let spent_on_blobs = rows.spent_on_blobs.get();
        self.timings.blobs += spent_on_blobs;
        self.timings.rows += started.elapsed().saturating_sub(spent_on_blobs);
        if run.counts_latest() {
            run.counts.add(&counted);
        }
        self.batch.records += 1;
        self.batch.bytes += bytes;
        if self.batch.records >= self.limits.records || self.batch.bytes >= self.limits.bytes {
            self.commit_batch()?;
        }
        Ok(())
    }

    /// Commit the open batch with the run's counts, then hand the index
    /// what was just committed.
    fn commit_batch(&mut self) -> Result<()> {
        if !self.batch.open {
            return Ok(());
        }
        let run = self.run.as_ref().context("a batch is open outside a run")?;
        // Every blob the batch's rows name must be on disk before they commit.
        timed(&mut self.timings.blobs, || self.blob_queue.wait())?;
        timed(&mut self.timings.commits, || {
            runs::save_progress(&self.conn, run)?;
            if self.batch.stored_new {
                derived::mark_stale(&self.conn)?;
            }
            Ok::<_, anyhow::Error>(self.conn.execute_batch("COMMIT")?)
        })?;
        self.batch = Batch::default();
        self.checkpointer.nudge();
        timed(&mut self.timings.index, || self.index.feed(&self.conn))
    }

    fn finish(&mut self) -> Result<(RunRow, RunCounts)> {
        ensure!(self.run.is_some(), "finish_run() without begin_run()");
        self.commit_batch()?;
        let conn = &self.conn;
        if derived::is_stale(conn)? {
            timed(&mut self.timings.threads, || threads::rebuild(conn))
                .context("cannot rebuild the threads")?;
            timed(&mut self.timings.collection, || {
                documents::rebuild_collection_findings(conn)
            })
            .context("cannot compare the case's documents")?;
            timed(&mut self.timings.corroboration, || {
                corroboration::rebuild(conn, &self.blobs)
            })
            .context("cannot find the corroborations between messages")?;
            derived::mark_fresh(conn)?;
        }
        let index = &mut self.index;
        timed(&mut self.timings.index_final, || index.catch_up(conn))
            .context("cannot bring the search index up to date")?;
        // Last, so that a run marked finished has its threads and its index.
        let run = self.run.take().context("the run vanished")?;
        runs::finish(&self.conn, &run)?;
        Ok((rows::run(&self.conn, run.id)?, run.counts))
    }

    fn usable(&self) -> Result<()> {
        ensure!(
            !self.failed,
            "an earlier write to this case failed; run the same ingest again to resume it"
        );
        Ok(())
    }

    fn fail(&mut self) {
        self.failed = true;
        if self.batch.open {
            let _ = self.conn.execute_batch("ROLLBACK");
            self.batch = Batch::default();
        }
    }
}

/// Runs `work` in one immediate transaction: committed when it succeeds,
/// rolled back (and its error returned) when it fails. For the rebuilds a
/// run ends with, which replace a derived table whole.
fn in_transaction(conn: &Connection, work: impl FnOnce() -> Result<()>) -> Result<()> {
    conn.execute_batch("BEGIN IMMEDIATE")?;
    match work() {
        Ok(()) => Ok(conn.execute_batch("COMMIT")?),
        Err(error) => {
            let _ = conn.execute_batch("ROLLBACK");
            Err(error)
        }
    }
}

/// `--case ~/Documents` by mistake must not turn a folder of someone's files
/// into a case: an existing directory is used only if it is empty or
/// already a case (or a case whose creation was interrupted).
fn refuse_foreign_directory(dir: &Path) -> Result<()> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Ok(());
    };
    if dir.join("case.sqlite").exists() {
        return Ok(());
    }
    for entry in entries {
        let name = entry?.file_name();
        if !CASE_ENTRIES.iter().any(|known| name == *known) {
            bail!(
                "{} already exists and holds other files ({}): it is not a tamis case; \
                 give --case a new or empty directory",
                dir.display(),
                name.to_string_lossy()
            );
        }
    }
    Ok(())
}
