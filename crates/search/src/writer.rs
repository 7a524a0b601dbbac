//! Turning a [`SearchDoc`] into an index document, and the commit payload
//! that carries the watermark.

use crate::schema::{month_of, normalize_keyword, Fields};
use crate::{DocKind, SearchDoc, Watermark};
use anyhow::Context;
use tantivy::TantivyDocument;

/// Bodies are stored only to cut snippets from. Beyond this many bytes the
/// stored copy is truncated (the whole body is still indexed and searched):
/// a match that deep shows the subject or the body's start instead, and the
/// index does not carry a second copy of every huge message.
pub(crate) const STORED_BODY_BYTES: usize = 32 * 1024;

/// The commit payload names what it holds, so a later version can add to
/// it: `tamis-watermark:MESSAGES documents:ORIGIN`.
const WATERMARK_PREFIX: &str = "tamis-watermark:";
const DOCUMENTS_WATERMARK: &str = " documents:";

/// Unique across kinds, unlike the id.
pub(crate) fn key_of(doc: &SearchDoc) -> String {
    format!("{}:{}", doc.kind.as_str(), doc.id)
}

pub(crate) fn to_document(fields: &Fields, doc: &SearchDoc) -> TantivyDocument {
    let mut out = TantivyDocument::new();
    out.add_i64(fields.id, doc.id);
    out.add_text(fields.key, key_of(doc));
    out.add_text(fields.kind, doc.kind.as_str());
    out.add_text(fields.subject, &doc.subject);
    out.add_text(fields.body, &doc.body);
    out.add_text(fields.body_prefix, stored_body_prefix(&doc.body));
    out.add_text(fields.from, &doc.from);
    out.add_text(fields.to, &doc.to);
    out.add_text(fields.attachment, &doc.attachment_names);
    out.add_text(fields.message_id, &doc.message_id);
    add_keyword(&mut out, fields.verdict, &doc.verdict);
    add_keyword(&mut out, fields.sender_domain, &doc.sender_domain);
    // A document's date is what its metadata claims, not when it was sent:
    // it sorts with the messages but stays out of the "month sent" facet,
    // as "with attachments" says nothing about a document.
    if doc.kind == DocKind::Message {
        out.add_text(fields.month, month_of(doc.date_unix));
        let has_attachment = if doc.has_attachment { "yes" } else { "no" };
        out.add_text(fields.has_attachment, has_attachment);
    }
    for attachment_type in doc.attachment_type_values() {
        out.add_text(fields.attachment_type, attachment_type);
    }
    if let Some(date) = doc.date_unix {
        out.add_i64(fields.date_unix, date);
    }
    out
}

/// What is stored of a body for snippets; see [`STORED_BODY_BYTES`].
pub(crate) fn stored_body_prefix(body: &str) -> &str {
    &body[..body.floor_char_boundary(STORED_BODY_BYTES)]
}

/// An empty keyword is no value at all: it would show as a blank facet.
fn add_keyword(out: &mut TantivyDocument, field: tantivy::schema::Field, value: &str) {
    let value = normalize_keyword(value);
    if !value.is_empty() {
        out.add_text(field, value);
    }
}

pub(crate) fn encode_watermark(watermark: Watermark) -> String {
    format!(
        "{WATERMARK_PREFIX}{}{DOCUMENTS_WATERMARK}{}",
        watermark.messages, watermark.documents
    )
}

/// `None` payload: an index never committed through [`encode_watermark`].
/// A payload without documents (tamis before documents were indexed)
/// holds none of them.
pub(crate) fn decode_watermark(payload: Option<&str>) -> anyhow::Result<Watermark> {
    let Some(payload) = payload else {
        return Ok(Watermark::default());
    };
    let parse = || -> Option<Watermark> {
        let rest = payload.strip_prefix(WATERMARK_PREFIX)?;
        let (messages, documents) = match rest.split_once(DOCUMENTS_WATERMARK) {
            Some((messages, documents)) => (messages, documents.parse().ok()?),
            None => (rest, 0),
        };
        Some(Watermark {
            messages: messages.parse().ok()?,
            documents,
        })
    };
    parse().with_context(|| format!("search index commit payload {payload:?} is not a watermark"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn watermark_round_trips_and_rejects_foreign_payloads() {
        let both = Watermark {
            messages: 42,
            documents: 7,
        };
        assert_eq!(
            decode_watermark(Some(&encode_watermark(both))).unwrap(),
            both
        );
        let older = decode_watermark(Some("tamis-watermark:42")).unwrap();
        assert_eq!(
            older,
            Watermark {
                messages: 42,
                documents: 0
            }
        );
        assert_eq!(decode_watermark(None).unwrap(), Watermark::default());
        assert!(decode_watermark(Some("42")).is_err());
        assert!(decode_watermark(Some("tamis-watermark:42 documents:x")).is_err());
    }

    #[test]
    fn stored_body_is_cut_on_a_char_boundary() {
        let body = "é".repeat(STORED_BODY_BYTES); // 2 bytes each
        let stored = stored_body_prefix(&body);
        assert!(stored.len() <= STORED_BODY_BYTES);
        assert!(stored.len() > STORED_BODY_BYTES - 2);
        assert_eq!(stored_body_prefix("short"), "short");
    }
}
