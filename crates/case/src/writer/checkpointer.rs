//! Checkpoints of the write-ahead log, on a thread of their own.
//!
//! SQLite checkpoints in the committing thread by default: every thousand
//! pages, a commit also copies the log into the database and syncs it,
//! which cost the writer (the pipeline's one serial stage) 2 s of a 13 s
//! ingest. The writer turns that off and nudges this thread after each
//! commit instead; a PASSIVE checkpoint runs beside the writer without
//! blocking it, and SQLite restarts the log once a checkpoint has caught up.

use anyhow::{Context, Result};
use crossbeam_channel::{bounded, Sender, TrySendError};
use rusqlite::Connection;
use std::path::Path;
use std::thread::JoinHandle;

pub struct Checkpointer {
    nudges: Option<Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Checkpointer {
    pub fn start(database: &Path) -> Result<Self> {
        let conn = Connection::open(database)
            .with_context(|| format!("cannot open {}", database.display()))?;
        crate::schema::configure_reader(&conn)?;
        // One pending nudge is enough: a checkpoint copies everything
        // committed before it starts.
        let (nudges, received) = bounded::<()>(1);
        let thread = std::thread::spawn(move || {
            for () in received {
                // A failed checkpoint loses nothing (the log keeps the
                // pages); the next one, or SQLite's own at close, retries.
                let _ = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
            }
        });
        Ok(Checkpointer {
            nudges: Some(nudges),
            thread: Some(thread),
        })
    }

    /// Something was committed: checkpoint when the thread is free.
    pub fn nudge(&self) {
        if let Some(nudges) = &self.nudges {
            match nudges.try_send(()) {
                Ok(()) | Err(TrySendError::Full(())) | Err(TrySendError::Disconnected(())) => {}
            }
        }
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        self.nudges = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
