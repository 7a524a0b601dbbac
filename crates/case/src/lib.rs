//! The case store: the one writer of a case directory, and the readers that
//! presentation uses. Skeleton: see the issue-3 design notes.
//!
//! A case directory holds `case.sqlite` (the system of record), `blobs/`
//! (every distinct item's exact bytes, named by SHA-256) and `index/` (the
//! tantivy index, derived from the database and caught up on open).

pub mod model;

use std::path::{Path, PathBuf};
use tamis_findings::{MessageContent, MessageReport, OriginReport, Verdict};
use tamis_items::{Item, Unreadable};

pub use model::*;

/// What one ingest run was asked to do. A run that was killed is resumed
/// (same row, same id) when the next run has the same parameters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunParams {
    pub paths: Vec<String>,
    pub key_files: Vec<String>,
    pub dns: bool,
}

/// What the ingest pipeline hands the writer, in dump order.
pub enum IngestRecord {
    /// A message seen for the first time in this run, analyzed. It may
    /// already be in the case from an earlier run: then only its origin is added.
    Message {
        /// `tamis_mail::MessageKey` bytes: equal for the same message re-exported.
        key: [u8; 32],
        item: Item,
        report: Box<MessageReport>,
        content: Box<MessageContent>,
    },
    /// Another copy of a message already handed over in this run (same key).
    /// Its bytes are kept too when they differ (a re-export).
    Duplicate { key: [u8; 32], item: Item },
    /// A file that is not a message.
    File { item: Item },
    Unreadable(Unreadable),
}

/// Counts of one run.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RunCounts {
    pub messages: u64,
    pub new_messages: u64,
    pub duplicates: u64,
    pub attachments: u64,
    pub files: u64,
    pub unreadable: u64,
}

/// The only writer of a case.
pub struct CaseWriter {
    _dir: PathBuf,
}

impl CaseWriter {
    /// Open the case in `dir`, creating it if absent. Takes an exclusive lock:
    /// a second writer on the same case fails with a clear error.
    pub fn open(_dir: &Path) -> anyhow::Result<Self> {
        todo!()
    }
    /// Start a run, or resume the last run if it was never finished and had the same parameters.
    pub fn begin_run(&mut self, _params: &RunParams) -> anyhow::Result<i64> {
        todo!()
    }
    /// Record one thing found by the pipeline. Writes are batched in
    /// transactions; a crash loses at most the uncommitted batch, which the
    /// next run redoes.
    pub fn add(&mut self, _record: IngestRecord) -> anyhow::Result<()> {
        todo!()
    }
    /// Commit, rebuild threads, bring the search index up to date, and mark the run finished.
    pub fn finish_run(&mut self) -> anyhow::Result<(RunRow, RunCounts)> {
        todo!()
    }
}

/// Read-only access to a case, shareable between threads (`Send + Sync`).
pub struct CaseReader {
    _dir: PathBuf,
}

impl CaseReader {
    /// Open an existing case read-only; a clear error if `dir` is not a case.
    pub fn open(_dir: &Path) -> anyhow::Result<Self> {
        todo!()
    }
    pub fn overview(&self) -> anyhow::Result<Overview> {
        todo!()
    }
    pub fn message(&self, _id: i64) -> anyhow::Result<Option<MessageDetail>> {
        todo!()
    }
    /// The message's HTML body as the sender wrote it (unsanitized: the caller sanitizes).
    pub fn message_html(&self, _id: i64) -> anyhow::Result<Option<String>> {
        todo!()
    }
    /// The exact bytes of the message's first origin.
    pub fn raw(&self, _id: i64) -> anyhow::Result<Option<Vec<u8>>> {
        todo!()
    }
    /// An attachment's row and decoded bytes, by SHA-256 hex.
    pub fn attachment(&self, _sha256: &str) -> anyhow::Result<Option<(AttachmentRow, Vec<u8>)>> {
        todo!()
    }
    pub fn search(&self, _query: &tamis_search::Query) -> anyhow::Result<SearchPage> {
        todo!()
    }
    pub fn runs(&self) -> anyhow::Result<Vec<RunRow>> {
        todo!()
    }
    /// Messages with any of these verdicts, in id order, with their evidence (for reports).
    pub fn messages_with_verdicts(
        &self,
        _verdicts: &[Verdict],
    ) -> anyhow::Result<Vec<(MessageSummary, MessageReport)>> {
        todo!()
    }
}

#[allow(dead_code)]
fn _uses(_: OriginReport) {}
