//! Keeping the search index caught up with the database.
//!
//! The database is the system of record; the index is derived from it. The
//! index remembers, atomically with its documents, how far it reaches (its
//! watermark): the highest message id it holds, and the highest origin id
//! (a place a file was found) whose document it holds. Both are numbered
//! in ingest order, so what lies above the watermark is exactly what the
//! index lacks, whatever happened before: a crash between a database
//! commit and an index commit is healed by the next writer that opens the
//! case.
//!
//! Files: `messages` (a message with its recipients, attachment names and
//! attachments' text), `documents` (documents found on their own).

mod documents;
mod messages;

use anyhow::Result;
use rusqlite::Connection;
use tamis_search::{SearchIndex, Watermark};

/// Rows read from the database per round trip…
const CHUNK: usize = 1000;
/// …or fewer, when their text reaches this size: memory stays bounded
/// when bodies and documents are large.
const CHUNK_BYTES: usize = 32 << 20;

/// Index commits are costly (tantivy writes and syncs segment files), so
/// documents are added after every database batch but committed only this
/// often, and at the end of a run.
const COMMIT_EVERY: usize = 5000;

/// The writer's handle on the index.
pub struct IndexFeeder {
    index: SearchIndex,
    /// How far the documents handed to the index reach (committed or not).
    added_upto: Watermark,
    /// How far the index has committed.
    committed_upto: Watermark,
    /// Documents handed to the index since its last commit.
    uncommitted: usize,
}

impl IndexFeeder {
    pub fn new(index: SearchIndex) -> Self {
        let watermark = index.watermark();
        IndexFeeder {
            index,
            added_upto: watermark,
            committed_upto: watermark,
            uncommitted: 0,
        }
    }

    /// Hand the index every committed message and document found on its
    /// own that it does not have yet, and commit when enough have piled up.
    /// Call only between database transactions: the connection sees its
    /// own uncommitted rows.
    pub fn feed(&mut self, conn: &Connection) -> Result<()> {
        loop {
            let docs = messages::after(conn, self.added_upto.messages)?;
            let Some(last) = docs.last() else { break };
            let last = last.id;
            self.index.add(&docs)?;
            self.added_upto.messages = last;
            self.added(docs.len())?;
        }
        loop {
            let (docs, last_origin) = documents::after(conn, self.added_upto.documents)?;
            let Some(last_origin) = last_origin else {
                break;
            };
            self.index.add(&docs)?;
            self.added_upto.documents = last_origin;
            self.added(docs.len())?;
        }
        Ok(())
    }

    fn added(&mut self, count: usize) -> Result<()> {
        self.uncommitted += count;
        if self.uncommitted >= COMMIT_EVERY {
            self.commit()?;
        }
        Ok(())
    }

    /// Feed everything and make it durable and visible.
    pub fn catch_up(&mut self, conn: &Connection) -> Result<()> {
        self.feed(conn)?;
        if self.added_upto != self.committed_upto {
            self.commit()?;
        }
        Ok(())
    }

    fn commit(&mut self) -> Result<()> {
        self.index.commit(self.added_upto)?;
        self.committed_upto = self.added_upto;
        self.uncommitted = 0;
        Ok(())
    }
}
