//! Read-only access to a case, for presentation (the web UI and its JSON
//! API, reports). Readers never take the writer's lock: SQLite's WAL mode
//! lets them read while an ingest writes, each query seeing the last
//! committed batch.

mod document;
mod export;
mod message;
mod overview;
mod pool;
mod search;

use anyhow::{bail, Context, Result};
use rusqlite::OptionalExtension;
use std::path::Path;
use std::sync::{Arc, Mutex};
use tamis_findings::{MessageReport, Verdict};
use tamis_search::SearchIndex;

use crate::blobs::{is_sha256_hex, BlobStore};
use crate::layout::CaseLayout;
use crate::model::{
    AttachmentRow, DocumentDetail, MessageDetail, MessageSummary, Overview, RunRow, SearchPage,
};
use crate::{rows, schema};
use pool::Pool;

pub(crate) use pool::open_read_only;

/// Read-only access to a case, shareable between threads (`Send + Sync`).
pub struct CaseReader {
    layout: CaseLayout,
    pool: Pool,
    blobs: BlobStore,
    /// Opened on the first search, so that a case whose index is missing or
    /// damaged still shows everything but search.
    index: Mutex<Option<Arc<SearchIndex>>>,
    overview: overview::OverviewCache,
}

impl CaseReader {
    /// Open an existing case read-only; a clear error if `dir` is not a case.
    pub fn open(dir: &Path) -> Result<Self> {
        let layout = CaseLayout::new(dir);
        if !layout.database().is_file() {
            bail!(
                "{} is not a tamis case (it has no case.sqlite); build one with \
                 `tamis ingest PATH... --case {}`",
                dir.display(),
                dir.display()
            );
        }
        let pool = Pool::new(layout.database());
        schema::check_version(&*pool.get()?)
            .with_context(|| format!("cannot read the case {}", dir.display()))?;
        Ok(CaseReader {
            blobs: BlobStore::new(layout.blobs()),
            layout,
            pool,
            index: Mutex::new(None),
            overview: overview::OverviewCache::default(),
        })
    }

    pub fn overview(&self) -> Result<Overview> {
        let conn = self.pool.get()?;
        let mut overview = self.overview.get(&conn)?;
        overview.document_findings = overview::document_findings(&conn)?;
        overview.loose_documents = overview::loose_documents(&conn)?;
        overview.spread_report = self.layout.spread_report().exists();
        Ok(overview)
    }

    /// Everything the message page shows; `None` when there is no such message.
    pub fn message(&self, id: i64) -> Result<Option<MessageDetail>> {
        message::detail(&*self.pool.get()?, id)
    }

    /// The message's HTML body as the sender wrote it (unsanitized: the caller sanitizes).
    pub fn message_html(&self, id: i64) -> Result<Option<String>> {
        Ok(self
            .pool
            .get()?
            .prepare_cached("SELECT html_body FROM messages WHERE id = ?1")?
            .query_row([id], |row| row.get::<_, Option<String>>(0))
            .optional()?
            .flatten())
    }

    /// The exact bytes of the message's first origin.
    pub fn raw(&self, id: i64) -> Result<Option<Vec<u8>>> {
        let sha256: Option<String> = self
            .pool
            .get()?
            .prepare_cached(
                "SELECT i.sha256 FROM messages m JOIN items i ON i.id = m.item_id WHERE m.id = ?1",
            )?
            .query_row([id], |row| row.get(0))
            .optional()?;
        sha256.map(|sha256| self.blobs.get(&sha256)).transpose()
    }

    /// An attachment's row and decoded bytes, by SHA-256 hex. `None` when no
    /// attachment has that hash, or when `sha256` is not 64 hex digits (it
    /// is checked before anything touches the file system). When the same
    /// file is attached to several messages, the row is its first
    /// attachment's (file name as that sender gave it).
    pub fn attachment(&self, sha256: &str) -> Result<Option<(AttachmentRow, Vec<u8>)>> {
        let sha256 = sha256.to_ascii_lowercase();
        if !is_sha256_hex(&sha256) {
            return Ok(None);
        }
        let conn = self.pool.get()?;
        let row = conn
            .prepare_cached(
                "SELECT i.sha256, a.filename, a.content_type, a.disposition, a.size
                 FROM items i JOIN attachments a ON a.item_id = i.id
                 WHERE i.sha256 = ?1 ORDER BY a.message_id, a.position LIMIT 1",
            )?
            .query_row([&sha256], message::attachment_row)
            .optional()?;
        // An earlier revision of an attachment is served like it, named
        // after it, so a reader can open what the document said before.
        let row = match row {
            Some(row) => Some(row),
            None => conn
                .prepare_cached(
                    "SELECT i.sha256,
                            coalesce(a.filename, 'document') || ' (revision ' || r.number || ')',
                            a.content_type, a.disposition, i.size
                     FROM items i JOIN document_revisions r ON r.revision_item_id = i.id
                     JOIN attachments a ON a.item_id = r.item_id
                     WHERE i.sha256 = ?1 ORDER BY a.message_id, a.position LIMIT 1",
                )?
                .query_row([&sha256], message::attachment_row)
                .optional()?,
        };
        // A document found on its own, or an earlier revision of one, is
        // served the same way, named after the place it was found.
        let row = match row {
            Some(row) => Some(row),
            None => conn
                .prepare_cached(
                    "SELECT i.sha256,
                            o.location || coalesce(' (revision ' || (SELECT r.number
                                FROM document_revisions r WHERE r.revision_item_id = i.id
                                LIMIT 1) || ')', ''),
                            'application/octet-stream', 'file', i.size
                     FROM items i JOIN origins o ON o.item_id = coalesce(
                         (SELECT r.item_id FROM document_revisions r WHERE r.revision_item_id = i.id),
                         i.id)
                     WHERE i.sha256 = ?1 AND o.found_as = 'file'
                     ORDER BY o.location LIMIT 1",
                )?
                .query_row([&sha256], message::attachment_row)
                .optional()?
                .map(|mut row| {
                    // The last part of the place: a file name, never a path.
                    let place = row.filename.take().unwrap_or_default();
                    let name = crate::place::file_name(&place);
                    row.filename = Some(if name.is_empty() { "document" } else { name }.to_owned());
                    row
                }),
        };
        drop(conn);
        let Some(row) = row else { return Ok(None) };
        let bytes = self.blobs.get(&sha256)?;
        Ok(Some((row, bytes)))
    }

    /// The document with this SHA-256 (found on its own or attached), with
    /// where it was found; `None` when the case has no such document.
    pub fn document(&self, sha256: &str) -> Result<Option<DocumentDetail>> {
        let sha256 = sha256.to_ascii_lowercase();
        if !is_sha256_hex(&sha256) {
            return Ok(None);
        }
        document::detail(&*self.pool.get()?, &sha256)
    }

    pub fn search(&self, query: &tamis_search::Query) -> Result<SearchPage> {
        let index = self.index()?;
        search::search(&index, &*self.pool.get()?, query)
    }

    pub fn runs(&self) -> Result<Vec<RunRow>> {
        rows::runs(&*self.pool.get()?)
    }

    /// Messages with any of these verdicts, in id order, with their evidence
    /// (for reports). Each report lists every origin of its message.
    pub fn messages_with_verdicts(
        &self,
        verdicts: &[Verdict],
    ) -> Result<Vec<(MessageSummary, MessageReport)>> {
        message::with_verdicts(&*self.pool.get()?, verdicts)
    }

    /// Problems with the case, in words; empty when it is sound. Runs
    /// SQLite's integrity and foreign-key checks, then reads every blob and
    /// checks its SHA-256 against its name (so it takes as long as reading
    /// the whole case once). Meant for a case no ingest is writing: a
    /// running ingest has blobs whose rows are not committed yet.
    pub fn check(&self) -> Result<Vec<String>> {
        crate::check::check(&*self.pool.get()?, &self.blobs)
    }

    /// The amplification report attached by `tamis spread --case`, if any.
    pub fn spread_report(&self) -> Result<Option<Vec<u8>>> {
        crate::spread::read_spread_report(&self.layout)
    }

    /// The case directory.
    pub fn dir(&self) -> &Path {
        self.layout.dir()
    }

    fn index(&self) -> Result<Arc<SearchIndex>> {
        let mut slot = self.index.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(index) = slot.as_ref() {
            return Ok(index.clone());
        }
        let index = Arc::new(
            SearchIndex::open_read_only(&self.layout.index()).with_context(|| {
                format!(
                    "cannot open the search index {}: the next `tamis ingest` into this case \
                     rebuilds it from the database (delete the directory first if it is damaged)",
                    self.layout.index().display()
                )
            })?,
        );
        *slot = Some(index.clone());
        Ok(index)
    }
}
