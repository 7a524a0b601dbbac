//! The case's full-text index (tantivy), derived from the case database and
//! rebuildable from it at any time. Skeleton: see the issue-3 design notes.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// One message as the index sees it.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct SearchDoc {
    /// The message's id in the case database.
    pub id: i64,
    pub subject: String,
    /// Plain-text body (or the HTML body's text), plus attachment text later.
    pub body: String,
    /// `Name <address>` of the sender(s).
    pub from: String,
    /// `Name <address>` of To, Cc and Bcc recipients.
    pub to: String,
    pub attachment_names: String,
    pub message_id: String,
    /// Verdict word.
    pub verdict: String,
    /// Lowercased domain of the first From address.
    pub sender_domain: String,
    /// Seconds since the epoch, from the Date header.
    pub date_unix: Option<i64>,
    pub has_attachment: bool,
    /// Lowercased `type/subtype` of each attachment.
    pub attachment_types: Vec<String>,
}

/// A search: free text (tantivy query syntax: words, "quoted phrases",
/// `field:word` for subject, body, from, to, attachment, message_id) plus
/// facet filters (every filter must hold; values within one filter are ORed).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Query {
    pub text: String,
    pub verdict: Vec<String>,
    pub sender_domain: Vec<String>,
    /// `YYYY-MM`.
    pub month: Vec<String>,
    pub has_attachment: Option<bool>,
    pub attachment_type: Vec<String>,
    pub sort: Sort,
    pub offset: usize,
    pub limit: usize,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Sort {
    #[default]
    Relevance,
    Newest,
    Oldest,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Hits {
    pub total: u64,
    pub hits: Vec<Hit>,
    /// `verdict`, `sender_domain`, `month`, `has_attachment`, `attachment_type`
    /// → (value, matching messages), most first.
    pub facets: BTreeMap<String, Vec<(String, u64)>>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Hit {
    pub id: i64,
    pub score: f32,
    /// HTML-escaped fragment, matched words wrapped in `<mark>`.
    pub snippet: String,
}

pub struct SearchIndex {
    _private: (),
}

impl SearchIndex {
    /// Open the index in `dir`, creating it if absent.
    pub fn open_or_create(_dir: &Path) -> anyhow::Result<Self> {
        todo!()
    }
    /// Open for searching only.
    pub fn open_read_only(_dir: &Path) -> anyhow::Result<Self> {
        todo!()
    }
    /// Add (or replace, by id) documents. Invisible until [`commit`](Self::commit).
    pub fn add(&mut self, _docs: &[SearchDoc]) -> anyhow::Result<()> {
        todo!()
    }
    /// Make added documents durable and visible, recording `watermark` (the
    /// highest case message id now indexed) atomically with them.
    pub fn commit(&mut self, _watermark: i64) -> anyhow::Result<()> {
        todo!()
    }
    /// The watermark of the last commit (0 for a new index).
    pub fn watermark(&self) -> i64 {
        todo!()
    }
    pub fn search(&self, _query: &Query) -> anyhow::Result<Hits> {
        todo!()
    }
}
