//! The index's schema: which field is searched, filtered, counted or sorted,
//! and the tokenizer that makes "élection" find "Election".

use anyhow::{bail, Context};
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, INDEXED, STORED, STRING,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer,
};
use tantivy::Index;

/// Tokenizers are not persisted in the index: every open registers this one.
pub(crate) const FOLDED_TOKENIZER: &str = "tamis_folded";

/// Tokens longer than this are base64 runs, hashes or garbage, never words a
/// reader searches for; dropping them keeps the term dictionary small.
const LONGEST_TOKEN_BYTES: usize = 40;

/// Field names. The full-text ones are what users type before a colon.
pub(crate) const ID: &str = "id";
pub(crate) const SUBJECT: &str = "subject";
pub(crate) const BODY: &str = "body";
/// The start of the body, stored (not indexed) for snippets.
pub(crate) const BODY_PREFIX: &str = "body_prefix";
pub(crate) const FROM: &str = "from";
pub(crate) const TO: &str = "to";
pub(crate) const ATTACHMENT: &str = "attachment";
pub(crate) const MESSAGE_ID: &str = "message_id";
pub(crate) const VERDICT: &str = "verdict";
pub(crate) const SENDER_DOMAIN: &str = "sender_domain";
pub(crate) const MONTH: &str = "month";
pub(crate) const HAS_ATTACHMENT: &str = "has_attachment";
pub(crate) const ATTACHMENT_TYPE: &str = "attachment_type";
pub(crate) const DATE_UNIX: &str = "date_unix";
/// What a document of the index is: `message` or `document` (a file found
/// on its own). Ids are unique per kind only.
pub(crate) const KIND: &str = "kind";
/// `kind:id`, unique across kinds: what a re-indexed document replaces.
pub(crate) const KEY: &str = "key";

/// The `month` value of a message without a usable Date header.
pub const UNDATED_MONTH: &str = "undated";

/// The index on disk was built by another tamis version: its fields mean
/// something else. A writer rebuilds it from the case database.
#[derive(Debug)]
pub struct OtherSchema;

impl std::fmt::Display for OtherSchema {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(
            "the search index was built with a different schema (another tamis version); \
             the next `tamis ingest` into the case rebuilds it from the case database",
        )
    }
}

impl std::error::Error for OtherSchema {}

/// Handles on every field, resolved once at open.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Fields {
    pub id: Field,
    pub subject: Field,
    pub body: Field,
    pub body_prefix: Field,
    pub from: Field,
    pub to: Field,
    pub attachment: Field,
    pub message_id: Field,
    pub verdict: Field,
    pub sender_domain: Field,
    pub month: Field,
    pub has_attachment: Field,
    pub attachment_type: Field,
    pub date_unix: Field,
    pub kind: Field,
    pub key: Field,
}

impl Fields {
    /// The fields a query without `field:` searches.
    pub fn default_search_fields(&self) -> Vec<Field> {
        vec![self.subject, self.body, self.from, self.to, self.attachment]
    }
}

/// Full-text: folded tokens with positions (quoted phrases need them).
fn folded_text(stored: bool) -> TextOptions {
    let indexing = TextFieldIndexing::default()
        .set_tokenizer(FOLDED_TOKENIZER)
        .set_index_option(IndexRecordOption::WithFreqsAndPositions);
    let options = TextOptions::default().set_indexing_options(indexing);
    if stored {
        options.set_stored()
    } else {
        options
    }
}

/// Only the subject and the body's start are stored: they are what snippets
/// are cut from. Everything else is displayed from the case database, so
/// storing it here would only grow the index.
pub(crate) fn build_schema() -> Schema {
    let mut builder = Schema::builder();
    builder.add_i64_field(ID, INDEXED | FAST | STORED);
    builder.add_text_field(SUBJECT, folded_text(true));
    builder.add_text_field(BODY, folded_text(false));
    builder.add_text_field(BODY_PREFIX, STORED);
    builder.add_text_field(FROM, folded_text(false));
    builder.add_text_field(TO, folded_text(false));
    builder.add_text_field(ATTACHMENT, folded_text(false));
    builder.add_text_field(MESSAGE_ID, folded_text(false));
    // Exact keywords: filtered through the inverted index, counted through
    // their fast-field columns.
    for keyword in [
        VERDICT,
        SENDER_DOMAIN,
        MONTH,
        HAS_ATTACHMENT,
        ATTACHMENT_TYPE,
        KIND,
    ] {
        builder.add_text_field(keyword, STRING | FAST);
    }
    builder.add_i64_field(DATE_UNIX, FAST);
    builder.add_text_field(KEY, STRING);
    builder.build()
}

pub(crate) fn register_tokenizer(index: &Index) {
    let analyzer = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(LONGEST_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build();
    index.tokenizers().register(FOLDED_TOKENIZER, analyzer);
}

/// Resolves the fields, refusing an index built with another schema (an
/// older tamis): its fields would mean something else.
pub(crate) fn resolve_fields(index: &Index) -> anyhow::Result<Fields> {
    let schema = index.schema();
    if schema != build_schema() {
        bail!(OtherSchema);
    }
    let field = |name: &str| {
        schema
            .get_field(name)
            .with_context(|| format!("search index has no field {name}"))
    };
    Ok(Fields {
        id: field(ID)?,
        subject: field(SUBJECT)?,
        body: field(BODY)?,
        body_prefix: field(BODY_PREFIX)?,
        from: field(FROM)?,
        to: field(TO)?,
        attachment: field(ATTACHMENT)?,
        message_id: field(MESSAGE_ID)?,
        verdict: field(VERDICT)?,
        sender_domain: field(SENDER_DOMAIN)?,
        month: field(MONTH)?,
        has_attachment: field(HAS_ATTACHMENT)?,
        attachment_type: field(ATTACHMENT_TYPE)?,
        date_unix: field(DATE_UNIX)?,
        kind: field(KIND)?,
        key: field(KEY)?,
    })
}

/// `YYYY-MM` in UTC, or [`UNDATED_MONTH`] when there is no date or it lies
/// outside what a calendar can show (a forged Date header can say anything).
pub fn month_of(date_unix: Option<i64>) -> String {
    date_unix
        .and_then(|seconds| tantivy::time::OffsetDateTime::from_unix_timestamp(seconds).ok())
        .map(|date| format!("{:04}-{:02}", date.year(), u8::from(date.month())))
        .unwrap_or_else(|| UNDATED_MONTH.to_string())
}

/// Keyword values are compared exactly, so both sides are normalized the same way.
pub fn normalize_keyword(value: &str) -> String {
    value.trim().to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_is_utc_calendar_month() {
        // 2017-05-05T23:30:00Z: still May in UTC whatever the local zone.
        assert_eq!(month_of(Some(1_494_027_000)), "2017-05");
        assert_eq!(month_of(Some(0)), "1970-01");
        assert_eq!(month_of(Some(-1)), "1969-12");
        assert_eq!(month_of(None), UNDATED_MONTH);
        assert_eq!(month_of(Some(i64::MAX)), UNDATED_MONTH);
    }

    #[test]
    fn folded_tokenizer_folds_case_and_accents() {
        let index = Index::create_in_ram(build_schema());
        register_tokenizer(&index);
        let mut analyzer = index.tokenizers().get(FOLDED_TOKENIZER).unwrap();
        let mut stream = analyzer.token_stream("L'Élection à Paris");
        let mut tokens = Vec::new();
        while let Some(token) = stream.next() {
            tokens.push(token.text.clone());
        }
        assert_eq!(tokens, ["l", "election", "a", "paris"]);
    }
}
