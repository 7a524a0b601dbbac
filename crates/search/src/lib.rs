//! The case's full-text index (tantivy), derived from the case database and
//! rebuildable from it at any time.
//!
//! - [`SearchIndex::add`] then [`SearchIndex::commit`] with a watermark (the
//!   highest case message id indexed), stored atomically with the commit:
//!   after a crash, reindex the ids above [`SearchIndex::watermark`].
//! - [`SearchIndex::search`]: free text (case and accents folded), facet
//!   filters, facet counts, date or relevance order, escaped snippets.
//!
//! Files: `schema` (fields, tokenizer), `writer` (documents, watermark),
//! `query` (text and filters), `facets`, `snippets`, `search` (one search).

mod facets;
mod query;
mod schema;
mod search;
mod snippets;
mod writer;

use anyhow::{bail, Context};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;
use tantivy::directory::MmapDirectory;
use tantivy::query::QueryParser;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

pub use query::{folded_tokens, parse_user_text, UserText};
pub use schema::{month_of, normalize_keyword, OtherSchema, UNDATED_MONTH};
pub use snippets::unmarked_snippet;
/// The grammar's types, for engines that translate [`UserText::ast`].
pub use tantivy::query_grammar;

/// The most hits one page may hold; larger limits are cut to this.
pub const MAX_LIMIT: usize = 200;

/// Hits per page when a request does not say.
pub const DEFAULT_LIMIT: usize = 20;

/// Enough for the indexing threads to build large segments (fewer merges)
/// while staying modest beside the case database's own writer.
const WRITER_MEMORY_BYTES: usize = 64 * 1024 * 1024;

/// What an indexed document is in the case.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DocKind {
    /// A message; its id is the case's message id.
    #[default]
    Message,
    /// A document found on its own in the dump (not attached to a
    /// message); its id is the case's item id. Attachments are searched
    /// with their message instead.
    Document,
}

impl DocKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DocKind::Message => "message",
            DocKind::Document => "document",
        }
    }

    pub(crate) fn parse(value: &str) -> Option<Self> {
        match value {
            "message" => Some(DocKind::Message),
            "document" => Some(DocKind::Document),
            _ => None,
        }
    }
}

/// One message, or one document found on its own, as the index sees it.
/// A document fills the message fields it has an equivalent for: its
/// title (or file name) as subject, its text as body, its author and last
/// editor as `from`, its file name as attachment name, its claimed
/// modification date as date.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct SearchDoc {
    #[serde(default)]
    pub kind: DocKind,
    /// The message's id (or the document's item id) in the case database.
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

impl SearchDoc {
    /// The document's attachment types as the `attachment_type` facet
    /// counts them: normalized, each once (facet counts are messages, not
    /// attachments).
    pub fn attachment_type_values(&self) -> Vec<String> {
        let mut types: Vec<String> = self
            .attachment_types
            .iter()
            .map(|t| schema::normalize_keyword(t))
            .filter(|t| !t.is_empty())
            .collect();
        types.sort();
        types.dedup();
        types
    }
}

/// A search: free text (tantivy query syntax: words, "quoted phrases",
/// `field:word` for subject, body, from, to, attachment, message_id, and
/// the exact values of verdict and domain; `cc:`/`bcc:` search `to`; words
/// are ANDed; `OR`, `-word`, `NOT word`, parentheses work; case and accents
/// are ignored) plus facet filters (every filter must hold; values within
/// one filter are ORed). Text that is not valid syntax is searched as well
/// as it can be and explained in [`Hits::warnings`], never an error.
///
/// Fields missing from a deserialized query take their defaults (limit
/// [`DEFAULT_LIMIT`]).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct Query {
    pub text: String,
    pub verdict: Vec<String>,
    pub sender_domain: Vec<String>,
    /// `YYYY-MM` (UTC), or [`UNDATED_MONTH`].
    pub month: Vec<String>,
    pub has_attachment: Option<bool>,
    pub attachment_type: Vec<String>,
    /// `message`, `document`: ORed like the other filters.
    pub kind: Vec<String>,
    /// Without text, `Relevance` means `Newest` (every score would be equal).
    pub sort: Sort,
    pub offset: usize,
    /// At most [`MAX_LIMIT`]; 0 returns the total and facets only.
    pub limit: usize,
}

impl Default for Query {
    fn default() -> Self {
        Query {
            text: String::new(),
            verdict: Vec::new(),
            sender_domain: Vec::new(),
            month: Vec::new(),
            has_attachment: None,
            attachment_type: Vec::new(),
            kind: Vec::new(),
            sort: Sort::default(),
            offset: 0,
            limit: DEFAULT_LIMIT,
        }
    }
}

impl Query {
    /// The `has_attachment` filter as the facet's values (`yes`, `no`).
    pub fn has_attachment_values(&self) -> Vec<String> {
        self.has_attachment
            .map(|yes| vec![if yes { "yes" } else { "no" }.to_string()])
            .unwrap_or_default()
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Sort {
    /// BM25, subject words weighing double.
    #[default]
    Relevance,
    /// By Date header; undated messages last.
    Newest,
    /// By Date header; undated messages last.
    Oldest,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Hits {
    pub total: u64,
    pub hits: Vec<Hit>,
    /// `verdict`, `sender_domain`, `month`, `has_attachment` (`yes`/`no`),
    /// `attachment_type`, `kind` → (value, matching messages or documents), most first (ties by
    /// value). Each facet is counted over the matches of the text and every
    /// filter except its own, so the other values of a filtered facet still
    /// show. `sender_domain` and `attachment_type` keep their top 20; a
    /// selected value is always listed (0 if it matches nothing).
    pub facets: BTreeMap<String, Vec<(String, u64)>>,
    /// How the text was read when it was not plain: unknown `field:`
    /// prefixes, syntax that could not be parsed (the rest still ran).
    #[serde(default)]
    pub warnings: Vec<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Hit {
    #[serde(default)]
    pub kind: DocKind,
    /// A message id or, for a document, an item id (see [`DocKind`]).
    pub id: i64,
    /// BM25 for relevance order; 0 for date orders.
    pub score: f32,
    /// HTML-escaped fragment, matched words wrapped in `<mark>`.
    pub snippet: String,
}

/// How far the index has caught up with the case database, committed
/// atomically with its documents. Both sequences only grow, so what lies
/// above them is exactly what the index lacks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Watermark {
    /// The highest message id indexed.
    pub messages: i64,
    /// The highest origin id (a place in the dump where a file was found)
    /// whose document is indexed.
    pub documents: i64,
}

/// The index directory of one case. Send + Sync: one instance can serve
/// concurrent searches.
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    parser: QueryParser,
    fields: schema::Fields,
    /// `None` when opened read-only.
    writer: Option<IndexWriter<TantivyDocument>>,
}

impl SearchIndex {
    /// Open the index in `dir`, creating it if absent, or rebuilding it
    /// empty when another tamis version built it with other fields (the
    /// case database refills it: the index is derived). Takes tantivy's
    /// writer lock: one writer per index, across processes.
    pub fn open_or_rebuild(dir: &Path) -> anyhow::Result<Self> {
        match Self::open_or_create(dir) {
            Err(error) if error.chain().any(|cause| cause.is::<OtherSchema>()) => {
                tracing::info!(
                    "the search index {} was built by another tamis version: rebuilding it",
                    dir.display()
                );
                std::fs::remove_dir_all(dir)
                    .with_context(|| format!("removing the old search index {}", dir.display()))?;
                Self::open_or_create(dir)
            }
            other => other,
        }
    }

    /// Open the index in `dir`, creating it if absent. Takes tantivy's
    /// writer lock: one writer per index, across processes.
    pub fn open_or_create(dir: &Path) -> anyhow::Result<Self> {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("creating search index directory {}", dir.display()))?;
        let directory = MmapDirectory::open(dir)
            .with_context(|| format!("opening search index {}", dir.display()))?;
        let index = if Index::exists(&directory)? {
            Index::open(directory)
        } else {
            Index::create(directory, schema::build_schema(), Default::default())
        }
        .with_context(|| format!("opening search index {}", dir.display()))?;
        // Checked before the writer exists: a writer cleans up files it
        // does not know, which must never happen in someone else's index.
        let checked = Checked::new(index, dir)?;
        let writer = checked
            .index
            .writer(WRITER_MEMORY_BYTES)
            .with_context(|| format!("locking search index {} for writing", dir.display()))?;
        // This process is the only writer: it reloads right after each commit.
        checked.into_search_index(Some(writer), ReloadPolicy::Manual, dir)
    }

    /// Open for searching only. Sees the commits of a concurrent writer
    /// (another process ingesting) shortly after they land.
    pub fn open_read_only(dir: &Path) -> anyhow::Result<Self> {
        let directory = MmapDirectory::open(dir)
            .with_context(|| format!("no search index at {}", dir.display()))?;
        if !Index::exists(&directory)? {
            bail!(
                "no search index at {} (ingest into the case first)",
                dir.display()
            );
        }
        let index = Index::open(directory)
            .with_context(|| format!("opening search index {}", dir.display()))?;
        Checked::new(index, dir)?.into_search_index(None, ReloadPolicy::OnCommitWithDelay, dir)
    }

    /// Add (or replace, by kind and id) documents. Invisible until [`commit`](Self::commit).
    pub fn add(&mut self, docs: &[SearchDoc]) -> anyhow::Result<()> {
        let fields = self.fields;
        let writer = self.writer_mut()?;
        for doc in docs {
            // Deletes apply to documents added before them, so a message
            // indexed again (a resumed ingest) replaces its older copy,
            // committed or not.
            writer.delete_term(Term::from_field_text(fields.key, &writer::key_of(doc)));
            writer.add_document(writer::to_document(&fields, doc))?;
        }
        Ok(())
    }

    /// Make added documents durable and visible, recording `watermark`
    /// (how far the index now reaches) atomically with them.
    pub fn commit(&mut self, watermark: Watermark) -> anyhow::Result<()> {
        let writer = self.writer_mut()?;
        let mut prepared = writer.prepare_commit()?;
        prepared.set_payload(&writer::encode_watermark(watermark));
        prepared.commit().context("committing the search index")?;
        self.reader.reload()?;
        Ok(())
    }

    /// The watermark of the last commit on disk (zeros for a new index).
    /// For a read-only index this follows a concurrent writer's commits.
    pub fn watermark(&self) -> Watermark {
        self.index
            .load_metas()
            .ok()
            .and_then(|meta| writer::decode_watermark(meta.payload.as_deref()).ok())
            .unwrap_or_default()
    }

    /// Messages and documents searchable now.
    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    pub fn search(&self, query: &Query) -> anyhow::Result<Hits> {
        search::run(&self.reader.searcher(), &self.parser, self.fields, query)
    }

    /// Finish writing: wait for background segment merges, so the index on
    /// disk is compact (dropping the index instead leaves them undone, which
    /// loses nothing committed). Uncommitted documents are discarded.
    pub fn close(self) -> anyhow::Result<()> {
        if let Some(writer) = self.writer {
            writer
                .wait_merging_threads()
                .context("finishing search index merges")?;
        }
        Ok(())
    }

    fn writer_mut(&mut self) -> anyhow::Result<&mut IndexWriter<TantivyDocument>> {
        self.writer
            .as_mut()
            .context("the search index was opened read-only")
    }
}

/// An opened index known to be ours: our schema, our tokenizer registered,
/// a commit payload that is a watermark.
struct Checked {
    index: Index,
    fields: schema::Fields,
}

impl Checked {
    fn new(index: Index, dir: &Path) -> anyhow::Result<Self> {
        let fields = schema::resolve_fields(&index)
            .with_context(|| format!("search index {}", dir.display()))?;
        // Refuse a foreign payload now rather than report a wrong watermark later.
        writer::decode_watermark(index.load_metas()?.payload.as_deref())
            .with_context(|| format!("search index {}", dir.display()))?;
        // Tokenizers are not stored in the index: without this, indexing
        // and query parsing would fail on the unknown tokenizer name.
        schema::register_tokenizer(&index);
        Ok(Checked { index, fields })
    }

    fn into_search_index(
        self,
        writer: Option<IndexWriter<TantivyDocument>>,
        reload: ReloadPolicy,
        dir: &Path,
    ) -> anyhow::Result<SearchIndex> {
        let reader = self
            .index
            .reader_builder()
            .reload_policy(reload)
            .try_into()
            .with_context(|| format!("reading search index {}", dir.display()))?;
        let parser = query::text_parser(&self.index, &self.fields);
        Ok(SearchIndex {
            index: self.index,
            reader,
            parser,
            fields: self.fields,
            writer,
        })
    }
}
