//! Rows for one record. Every insert is keyed on content — an item on its
//! SHA-256, a message on its duplicate key, an origin on (item, place), a
//! finding on (place, code) — so redoing a record that is already in the
//! case changes nothing. That is what makes a killed ingest resumable by
//! simply running it again.

use anyhow::Result;
use rusqlite::{params, Connection, OptionalExtension};
use tamis_docs::DocumentReport;
use tamis_findings::{Address, MessageContent, MessageReport};
use tamis_items::{ContentId, Item, ItemKind, Origin, StoreTally, Unreadable};

use super::blob_queue::BlobQueue;
use crate::address;
use crate::record::RegistryFinding;
use crate::time;

/// Whether a message record brought a message the case did not have.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Added {
    New,
    Known,
}

/// What a finding is about when a duplicate's first copy is missing.
const DUPLICATE_OF_UNREADABLE: &str = "duplicate-of-unreadable";

/// Where one record's rows go.
pub struct Inserter<'a> {
    pub conn: &'a Connection,
    pub blobs: &'a BlobQueue,
    pub run_id: i64,
    /// Time spent handing blobs to the queue, apart from the rows (see `WriterTimings`).
    pub spent_on_blobs: std::cell::Cell<std::time::Duration>,
    /// Whether this record stored an item, a message or a document the
    /// case did not have: what the end-of-run rebuilds read.
    pub stored_new: std::cell::Cell<bool>,
}

impl Inserter<'_> {
    /// A message seen first in this run. If the case already has it (an
    /// earlier run, or the part of this run done before a crash), only the
    /// origin is recorded.
    pub fn message(
        &self,
        key: &[u8; 32],
        item: &Item,
        report: &MessageReport,
        content: &MessageContent,
        documents: &[DocumentReport],
    ) -> Result<Added> {
        // The analyzer already hashed these bytes: the report's id is their
        // SHA-256, and hashing them again here would cost the single writer
        // thread, which every ingest waits on, a pass over every message.
        debug_assert_eq!(report.sha256, ContentId::of(&item.bytes));
        let item_id = self.item_known(&item.bytes, report.sha256, "message")?;
        let (message_id, added) = match self.message_by_key(key)? {
            Some(id) => (id, Added::Known),
            None => (
                self.new_message(key, item_id, report, content, documents)?,
                Added::New,
            ),
        };
        self.origin(item_id, item, Some(message_id))?;
        self.labels(message_id, &content.gmail_labels)?;
        Ok(added)
    }

    /// Gmail labels of a message, added to those its other copies gave.
    fn labels(&self, message_id: i64, labels: &[String]) -> Result<()> {
        let mut insert = self.conn.prepare_cached(
            "INSERT OR IGNORE INTO message_labels (message_id, label) VALUES (?1, ?2)",
        )?;
        for label in labels {
            insert.execute(params![message_id, label])?;
        }
        Ok(())
    }

    /// Another copy of a message. Its bytes become an item of their own when
    /// they differ from the first copy's (a re-export).
    pub fn duplicate(&self, key: &[u8; 32], item: &Item, labels: &[String]) -> Result<()> {
        let item_id = self.item(&item.bytes, "message")?;
        let message_id = self.message_by_key(key)?;
        self.origin(item_id, item, message_id)?;
        if let Some(message_id) = message_id {
            self.labels(message_id, labels)?;
        }
        if message_id.is_none() {
            // The walker collapses copies before analysis, so a copy of a
            // message whose first copy could not be read arrives with no
            // message to join; keep it, and say why it stands alone.
            self.finding(
                &item.origin,
                DUPLICATE_OF_UNREADABLE,
                "another copy of a message whose first copy could not be read; \
                 its bytes are kept in the case",
            )?;
        }
        Ok(())
    }

    pub fn file(&self, item: &Item, document: &DocumentReport) -> Result<()> {
        let item_id = self.item(&item.bytes, "file")?;
        self.document(item_id, &item.bytes, document)?;
        self.origin(item_id, item, None)
    }

    /// What the document analyzer read in the item, once per item; its
    /// earlier revisions become items of their own.
    fn document(&self, item_id: i64, bytes: &[u8], document: &DocumentReport) -> Result<()> {
        if document.kind == tamis_docs::Kind::Unknown {
            return Ok(());
        }
        // The text goes in its own column, not twice.
        let json = document.to_json_without_text()?;
        let m = &document.metadata;
        let added = self
            .conn
            .prepare_cached(
                "INSERT OR IGNORE INTO documents (item_id, kind, author, last_modified_by,
                    created, modified, application, report, text)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?
            .execute(params![
                item_id,
                serde_json::to_value(document.kind)?
                    .as_str()
                    .unwrap_or("unknown"),
                m.author,
                m.last_modified_by,
                m.created,
                m.modified,
                m.application,
                json,
                document.text
            ])?;
        if added == 0 {
            return Ok(());
        }
        self.stored_new.set(true);
        for (position, finding) in document.findings.iter().enumerate() {
            self.conn
                .prepare_cached(
                    "INSERT INTO document_findings (item_id, position, code, detail, evidence)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                )?
                .execute(params![
                    item_id,
                    position as i64,
                    finding.code,
                    finding.detail,
                    serde_json::to_string(&finding.evidence)?
                ])?;
        }
        // The last revision is the document itself.
        let earlier = document.revisions.len().saturating_sub(1);
        for revision in &document.revisions[..earlier] {
            let Some(prefix) = usize::try_from(revision.end)
                .ok()
                .and_then(|end| bytes.get(..end))
            else {
                continue;
            };
            let revision_item = self.item(prefix, "revision")?;
            self.conn
                .prepare_cached(
                    "INSERT OR IGNORE INTO document_revisions (item_id, number, revision_item_id)
                     VALUES (?1, ?2, ?3)",
                )?
                .execute(params![item_id, revision.number, revision_item])?;
        }
        Ok(())
    }

    pub fn unreadable(&self, unreadable: &Unreadable) -> Result<()> {
        self.finding(&unreadable.origin, &unreadable.code, &unreadable.reason)
    }

    /// The registry's word on items already stored (by their SHA-256); the
    /// latest run's word replaces an earlier one (the registry may have
    /// grown).
    pub fn registry(&self, findings: &[RegistryFinding]) -> Result<()> {
        let mut insert = self.conn.prepare_cached(
            "INSERT OR REPLACE INTO registry_matches (item_id, code, detail, run_id)
             SELECT id, ?2, ?3, ?4 FROM items WHERE sha256 = ?1",
        )?;
        for finding in findings {
            insert.execute(params![
                finding.sha256,
                finding.code,
                serde_json::to_string(&finding.detail)?,
                self.run_id
            ])?;
        }
        Ok(())
    }

    /// A store read again (a later run, a resumed one) replaces its
    /// accounting: the latest reading is the one that holds.
    pub fn store(&self, tally: &StoreTally) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT OR REPLACE INTO mail_stores
                    (location, origin, format, claimed, read, failed, folders, run_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(params![
                tally.origin.to_string(),
                serde_json::to_string(&tally.origin)?,
                tally.format,
                tally.claimed.map(|n| n as i64),
                tally.read as i64,
                tally.failed as i64,
                tally.folders as i64,
                self.run_id
            ])?;
        Ok(())
    }

    pub fn unreadable_message(&self, item: &Item, unreadable: &Unreadable) -> Result<()> {
        let item_id = self.item(&item.bytes, "message")?;
        self.origin(item_id, item, None)?;
        self.unreadable(unreadable)
    }

    /// The item holding `bytes`, stored if new. The blob is queued here and
    /// on disk before the batch commits (see `BlobQueue`), so a committed
    /// row always has its bytes.
    fn item(&self, bytes: &[u8], kind: &str) -> Result<i64> {
        self.item_known(bytes, ContentId::of(bytes), kind)
    }

    /// [`item`](Self::item), for bytes whose SHA-256 the caller already has.
    fn item_known(&self, bytes: &[u8], id: ContentId, kind: &str) -> Result<i64> {
        let sha256 = id.to_hex();
        let existing = self
            .conn
            .prepare_cached("SELECT id FROM items WHERE sha256 = ?1")?
            .query_row([&sha256], |row| row.get(0))
            .optional()?;
        if let Some(id) = existing {
            return Ok(id);
        }
        let started = std::time::Instant::now();
        self.blobs.put(sha256.clone(), bytes.to_vec());
        self.spent_on_blobs
            .set(self.spent_on_blobs.get() + started.elapsed());
        self.stored_new.set(true);
        self.conn
            .prepare_cached(
                "INSERT INTO items (sha256, size, kind, first_run) VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![sha256, bytes.len() as i64, kind, self.run_id])?;
        Ok(self.conn.last_insert_rowid())
    }

    fn origin(&self, item_id: i64, item: &Item, message_id: Option<i64>) -> Result<()> {
        let found_as = match item.kind {
            ItemKind::Message => "message",
            ItemKind::MboxMessage => "mbox-message",
            ItemKind::File => "file",
            ItemKind::RebuiltMessage => "rebuilt-message",
        };
        self.conn
            .prepare_cached(
                "INSERT OR IGNORE INTO origins (item_id, location, origin, found_as, message_id, run_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![
                item_id,
                item.origin.to_string(),
                serde_json::to_string(&item.origin)?,
                found_as,
                message_id,
                self.run_id
            ])?;
        Ok(())
    }

    fn finding(&self, origin: &Origin, code: &str, reason: &str) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT OR IGNORE INTO findings (run_id, location, origin, code, reason)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![
                self.run_id,
                origin.to_string(),
                serde_json::to_string(origin)?,
                code,
                reason
            ])?;
        Ok(())
    }

    fn message_by_key(&self, key: &[u8; 32]) -> Result<Option<i64>> {
        Ok(self
            .conn
            .prepare_cached("SELECT id FROM messages WHERE key = ?1")?
            .query_row([&key[..]], |row| row.get(0))
            .optional()?)
    }

    fn new_message(
        &self,
        key: &[u8; 32],
        item_id: i64,
        report: &MessageReport,
        content: &MessageContent,
        documents: &[DocumentReport],
    ) -> Result<i64> {
        let from = content.from.first();
        let from_address = from.and_then(|a| a.address.as_deref());
        let (date, date_unix) = message_date(report, content);
        self.conn
            .prepare_cached(
                "INSERT INTO messages (key, item_id, message_id, from_name, from_address,
                    sender_domain, subject, date, date_unix, month, verdict, reason, text_body,
                    html_body, in_reply_to, references_, headers, problems, report,
                    attachment_count)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,
                    ?17, ?18, ?19, ?20)",
            )?
            .execute(params![
                &key[..],
                item_id,
                content.message_id.as_ref().or(report.message_id.as_ref()),
                from.and_then(|a| a.name.as_deref()),
                from_address,
                from_address.and_then(address::domain),
                content.subject.as_ref().or(report.subject.as_ref()),
                date,
                date_unix,
                month(date_unix),
                report.verdict.as_str(),
                report.reason,
                content.text_body,
                content.html_body,
                serde_json::to_string(&content.in_reply_to)?,
                serde_json::to_string(&content.references)?,
                serde_json::to_string(&content.headers)?,
                serde_json::to_string(&content.problems)?,
                serde_json::to_string(report)?,
                content.attachments.len() as i64,
            ])?;
        let message_id = self.conn.last_insert_rowid();
        self.stored_new.set(true);
        self.recipients(message_id, content)?;
        self.attachments(message_id, content, documents)?;
        self.signatures(message_id, report)?;
        Ok(message_id)
    }

    fn recipients(&self, message_id: i64, content: &MessageContent) -> Result<()> {
        let kinds: [(&str, &[Address]); 4] = [
            ("to", &content.to),
            ("cc", &content.cc),
            ("bcc", &content.bcc),
            ("reply-to", &content.reply_to),
        ];
        let mut insert = self.conn.prepare_cached(
            "INSERT INTO recipients (message_id, kind, position, name, address)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for (kind, addresses) in kinds {
            for (position, a) in addresses.iter().enumerate() {
                insert.execute(params![
                    message_id,
                    kind,
                    position as i64,
                    a.name,
                    a.address
                ])?;
            }
        }
        Ok(())
    }

    /// Each attachment becomes an item of its own, deduplicated across the
    /// case. An embedded message (`embedded-message`) is stored the same
    /// way, as an attachment item: a later version of the pipeline may feed
    /// it back as a message of its own, with its own verdict.
    fn attachments(
        &self,
        message_id: i64,
        content: &MessageContent,
        documents: &[DocumentReport],
    ) -> Result<()> {
        for (position, attachment) in content.attachments.iter().enumerate() {
            let item_id = self.item(&attachment.bytes, "attachment")?;
            if let Some(document) = documents.get(position) {
                self.document(item_id, &attachment.bytes, document)?;
            }
            self.conn
                .prepare_cached(
                    "INSERT INTO attachments (message_id, position, item_id, filename,
                        content_type, disposition, size)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                )?
                .execute(params![
                    message_id,
                    position as i64,
                    item_id,
                    attachment.filename,
                    attachment.content_type,
                    attachment.disposition,
                    attachment.bytes.len() as i64
                ])?;
        }
        Ok(())
    }

    fn signatures(&self, message_id: i64, report: &MessageReport) -> Result<()> {
        let mut insert = self.conn.prepare_cached(
            "INSERT INTO signatures (message_id, position, domain, selector, algorithm,
                canonicalization, key_bits, key_source, result, outcome, reason,
                unsigned_body_bytes)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        )?;
        for (position, s) in report.signatures.iter().enumerate() {
            insert.execute(params![
                message_id,
                position as i64,
                s.domain,
                s.selector,
                s.algorithm,
                s.canonicalization,
                s.key_bits,
                s.key_source,
                s.result.as_str(),
                s.outcome,
                s.reason,
                i64::try_from(s.unsigned_body_bytes).unwrap_or(i64::MAX),
            ])?;
        }
        Ok(())
    }
}

/// The Date as RFC 3339 (keeping the sender's offset, as the report has it)
/// and as a Unix time. The content analyzer's Unix time wins; the report's
/// RFC 3339 date fills in when the content has none.
fn message_date(report: &MessageReport, content: &MessageContent) -> (Option<String>, Option<i64>) {
    let report_date = report
        .date
        .as_deref()
        .and_then(|d| time::parse_rfc3339(d).map(|unix| (d.to_string(), unix)));
    match (content.date_unix, report_date) {
        (Some(unix), Some((text, parsed))) if parsed == unix => (Some(text), Some(unix)),
        (Some(unix), _) => (Some(time::format_utc(unix)), Some(unix)),
        (None, Some((text, unix))) => (Some(text), Some(unix)),
        (None, None) => (None, None),
    }
}

/// The month a timeline puts the message in: the search index's own
/// definition, so that the overview's timeline and the search's month facet
/// always agree.
fn month(date_unix: Option<i64>) -> Option<String> {
    Some(tamis_search::month_of(date_unix)).filter(|m| m != tamis_search::UNDATED_MONTH)
}
