//! What the case store hands to presentation (web UI, JSON API, reports).
//! These shapes are the JSON API's schema: add fields, do not rename them.

use serde::{Deserialize, Serialize};
use tamis_findings::{MessageReport, OriginReport};

/// The case at a glance.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Overview {
    /// Unique messages.
    pub messages: u64,
    /// Places messages were found, duplicates included.
    pub origins: u64,
    /// Unique attachment items (deduplicated by content across the case).
    pub attachments: u64,
    /// Loose files that are not messages (documents, images…).
    pub files: u64,
    /// Every verdict word in DESIGN.md order, zeros included, with its meaning in plain words.
    pub verdicts: Vec<VerdictCount>,
    /// Messages per sender domain, most first (top 25).
    pub sender_domains: Vec<Count>,
    /// Messages per month of their Date header, oldest first, split by verdict.
    pub timeline: Vec<TimelineBucket>,
    /// Messages without a usable Date header (not on the timeline).
    pub undated: u64,
    /// Most frequent From addresses (top 25), `Name <address>` when a name is known.
    pub top_senders: Vec<Count>,
    /// Most frequent To/Cc addresses (top 25).
    pub top_recipients: Vec<Count>,
    /// How many items could not be read, and the first 500 of them.
    pub unreadable_total: u64,
    pub unreadable: Vec<UnreadableRow>,
    pub runs: Vec<RunRow>,
    /// Findings across the case's documents (edit bursts, editors'
    /// scripts, shared lineage).
    pub document_findings: Vec<CollectionFindingRow>,
    /// Documents found on their own (not attached to a message), findings
    /// first, at most 500.
    pub loose_documents: Vec<LooseDocumentRow>,
    /// Whether `tamis spread --case` attached an amplification report
    /// (served at `/spread`).
    pub spread_report: bool,
    /// Mail stores read (PST, OST), each with what it claimed and what was
    /// read: every message accounted for.
    #[serde(default)]
    pub mail_stores: Vec<MailStoreRow>,
    /// Messages that do not prove themselves but that a verified message
    /// quotes, forwards or attaches.
    #[serde(default)]
    pub corroborated: u64,
    /// Items per registry code (`ingest --registry`); empty without a registry.
    #[serde(default)]
    pub registry: Vec<Count>,
}

/// A corroboration seen from one of its two messages: `message` is the
/// other one.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CorroborationRow {
    pub message: MessageSummary,
    /// `quoted`, `forwarded` (inline), `attached`.
    pub how: String,
    /// Share of the corroborated message's own words found in the quote.
    pub coverage: f64,
    /// The quoted span as the verified message has it.
    pub quoted: String,
    /// Word-level differences between the two; empty when they agree.
    pub differences: serde_json::Value,
    /// The verified message's own line introducing the quote ("Le … a
    /// écrit :", a forward header): who it says wrote it, and when.
    pub attribution: Option<String>,
}

/// One mail store's accounting.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct MailStoreRow {
    /// The store file, as origins show it.
    pub location: String,
    /// `pst`, `ost`.
    pub format: String,
    /// Messages its own folder tables list; `None` when they could not be read.
    pub claimed: Option<u64>,
    pub read: u64,
    /// Listed but not read: each is among the unreadable, under its folder
    /// and node id.
    pub failed: u64,
    pub folders: u64,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct VerdictCount {
    pub verdict: String,
    pub meaning: String,
    pub count: u64,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Count {
    pub key: String,
    pub count: u64,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct TimelineBucket {
    /// `YYYY-MM` (UTC).
    pub month: String,
    /// Verdict word → messages; verdicts with zero messages are omitted.
    pub counts: std::collections::BTreeMap<String, u64>,
}

/// An item that could not be read, where it was, and why.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct UnreadableRow {
    pub location: String,
    pub code: String,
    pub reason: String,
}

/// One `tamis ingest` run, so a published figure can be traced to the run that produced it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RunRow {
    pub id: i64,
    /// RFC 3339, UTC.
    pub started_at: String,
    /// `None` while running or when the run was killed and not yet resumed.
    pub finished_at: Option<String>,
    pub paths: Vec<String>,
    pub key_files: Vec<String>,
    pub dns: bool,
    pub tamis_version: String,
    /// `running`, `finished`, or `interrupted` (killed, and a later run
    /// had other parameters so it was not resumed).
    pub status: String,
    /// Counts at the end of the run: `messages`, `new_messages`, `duplicates`,
    /// `attachments`, `files`, `unreadable`.
    pub counts: std::collections::BTreeMap<String, u64>,
}

/// One message in a list (search results, thread, report).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct MessageSummary {
    /// Stable within a case: messages are numbered in ingest order.
    pub id: i64,
    pub sha256: String,
    pub message_id: Option<String>,
    pub from: Option<String>,
    pub subject: Option<String>,
    /// RFC 3339 when the Date header parses.
    pub date: Option<String>,
    pub verdict: String,
    pub attachments: u64,
}

/// Everything the message page shows.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct MessageDetail {
    pub summary: MessageSummary,
    pub to: Vec<String>,
    pub cc: Vec<String>,
    /// Header fields in order, decoded for display.
    pub headers: Vec<(String, String)>,
    pub text_body: String,
    /// Whether an HTML body exists (served sanitized, separately).
    pub has_html: bool,
    pub attachments: Vec<AttachmentRow>,
    /// Every place the message was found, duplicates and re-exports included.
    pub origins: Vec<OriginReport>,
    /// The full authenticity evidence, as `tamis verify --format jsonl` prints it.
    pub report: MessageReport,
    /// The thread this message belongs to (JWZ), in thread order, this message included.
    pub thread: Vec<ThreadEntry>,
    /// Gmail labels (Google Takeout), over every copy of the message.
    #[serde(default)]
    pub labels: Vec<String>,
    /// Verified messages that quote, forward or attach this one: they vouch
    /// for what it said (where they differ, `differences` shows how).
    #[serde(default)]
    pub corroborated_by: Vec<CorroborationRow>,
    /// Messages this one, verified, vouches for by quoting them.
    #[serde(default)]
    pub corroborates: Vec<CorroborationRow>,
    /// What the victim's registry says of the message (`ingest --registry`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registry: Option<RegistryRow>,
    /// Problems met reading the content (caps, bad charsets…).
    pub problems: Vec<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AttachmentRow {
    /// SHA-256 of the attachment's decoded bytes: its item id.
    pub sha256: String,
    pub filename: Option<String>,
    pub content_type: String,
    pub disposition: String,
    pub size: u64,
    /// What the document analyzer read in it: metadata, findings, PDF
    /// facts; absent for a file it does not read (or on a case ingested
    /// before it existed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<tamis_docs::DocumentReport>,
    /// Earlier states of the document (a PDF before each incremental
    /// update), oldest first, each downloadable by its SHA-256.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub revisions: Vec<RevisionRow>,
    /// What the victim's registry says of it (`ingest --registry`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registry: Option<RegistryRow>,
}

/// What the victim's registry says of one item.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RegistryRow {
    /// `registry-identical`, `registry-altered`, `registry-decoy`, `registry-unknown`.
    pub code: String,
    /// The entry matched, the similarity figures, a decoy's recipient and
    /// surviving carriers, and the word-level diff when the registry kept
    /// the original's text.
    pub detail: serde_json::Value,
}

/// An earlier state of a document, stored as an item of its own.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RevisionRow {
    /// 1 = the original.
    pub number: u32,
    pub sha256: String,
    pub size: u64,
}

/// A document found on its own in the dump (not attached to a message),
/// as the document analyzer read it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct LooseDocumentRow {
    /// Its id for `/api/attachments/{sha256}` (download).
    pub sha256: String,
    /// The first place it was found.
    pub location: String,
    pub document: tamis_docs::DocumentReport,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub revisions: Vec<RevisionRow>,
}

/// A document found on its own, as a search hit lists it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DocumentSummary {
    /// Its id for `/api/documents/{sha256}` and `/api/attachments/{sha256}`.
    pub sha256: String,
    /// The file name it was first found under.
    pub name: String,
    /// The first place it was found.
    pub location: String,
    /// pdf, ooxml, odf, ole2, jpeg, …
    pub kind: String,
    pub title: Option<String>,
    pub author: Option<String>,
    pub last_modified_by: Option<String>,
    /// RFC 3339, as the document's metadata claims (modified, else created).
    pub modified: Option<String>,
    /// The codes of its findings, in order.
    pub findings: Vec<String>,
}

/// Everything the document page shows about one document: found on its
/// own, attached to messages, or both.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DocumentDetail {
    pub sha256: String,
    pub size: u64,
    /// A file name it was found under (on its own or as an attachment).
    pub name: String,
    /// Places it was found on its own, in dump order (the first 100).
    pub locations: Vec<String>,
    /// Messages it is attached to, in id order (the first 100).
    pub messages: Vec<MessageSummary>,
    pub document: tamis_docs::DocumentReport,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub revisions: Vec<RevisionRow>,
    /// Findings across documents that concern this one (an edit burst it
    /// belongs to, a lineage it shares).
    #[serde(default)]
    pub collection_findings: Vec<CollectionFindingRow>,
    /// What the victim's registry says of it (`ingest --registry`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registry: Option<RegistryRow>,
}

/// A finding only many documents show, with the attachments concerned.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CollectionFindingRow {
    pub code: String,
    pub detail: String,
    pub evidence: serde_json::Value,
    /// SHA-256 of each document concerned, with a name it was found under.
    pub documents: Vec<DocumentRef>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DocumentRef {
    pub sha256: String,
    pub name: Option<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ThreadEntry {
    /// `None` for a message referenced by the thread but not in the case.
    pub id: Option<i64>,
    pub message_id: Option<String>,
    pub subject: Option<String>,
    pub from: Option<String>,
    pub date: Option<String>,
    pub verdict: Option<String>,
    /// 0 for the root.
    pub depth: u32,
}

/// A page of search results.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SearchPage {
    pub query: String,
    pub total: u64,
    pub offset: u64,
    pub limit: u64,
    pub hits: Vec<SearchHit>,
    /// Facet name (`verdict`, `sender_domain`, `month`, `has_attachment`,
    /// `attachment_type`) → values with their counts over all matches.
    pub facets: std::collections::BTreeMap<String, Vec<Count>>,
    /// How an odd query was read (an unknown `field:`, an unclosed quote),
    /// so the user sees what was searched rather than an error.
    pub warnings: Vec<String>,
    pub took_ms: f64,
}

/// One hit: a message, or a document found on its own (see `kind`).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SearchHit {
    /// `message` or `document`: which of the two fields below is present.
    #[serde(default)]
    pub kind: tamis_search::DocKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<MessageSummary>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<DocumentSummary>,
    /// A fragment of the matching text, HTML-escaped, matched words in `<mark>`.
    pub snippet: String,
    pub score: f32,
}
