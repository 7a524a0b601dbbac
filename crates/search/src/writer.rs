//! Turning a [`SearchDoc`] into an index document, and the commit payload
//! that carries the watermark.

use crate::schema::{month_of, normalize_keyword, Fields};
use crate::SearchDoc;
use anyhow::Context;
use tantivy::TantivyDocument;

/// Bodies are stored only to cut snippets from. Beyond this many bytes the
/// stored copy is truncated (the whole body is still indexed and searched):
/// a match that deep shows the subject or the body's start instead, and the
/// index does not carry a second copy of every huge message.
pub(crate) const STORED_BODY_BYTES: usize = 32 * 1024;

/// The commit payload names what it holds, so a later version can add to it.
const WATERMARK_PREFIX: &str = "tamis-watermark:";

pub(crate) fn to_document(fields: &Fields, doc: &SearchDoc) -> TantivyDocument {
    let mut out = TantivyDocument::new();
    out.add_i64(fields.id, doc.id);
    out.add_text(fields.subject, &doc.subject);
    out.add_text(fields.body, &doc.body);
    out.add_text(fields.body_prefix, stored_body_prefix(&doc.body));
    out.add_text(fields.from, &doc.from);
    out.add_text(fields.to, &doc.to);
    out.add_text(fields.attachment, &doc.attachment_names);
    out.add_text(fields.message_id, &doc.message_id);
    add_keyword(&mut out, fields.verdict, &doc.verdict);
    add_keyword(&mut out, fields.sender_domain, &doc.sender_domain);
    out.add_text(fields.month, month_of(doc.date_unix));
    let has_attachment = if doc.has_attachment { "yes" } else { "no" };
    out.add_text(fields.has_attachment, has_attachment);
    // One value per distinct type: facet counts are messages, not attachments.
    let mut types: Vec<String> = doc
        .attachment_types
        .iter()
        .map(|t| normalize_keyword(t))
        .filter(|t| !t.is_empty())
        .collect();
    types.sort();
    types.dedup();
    for attachment_type in types {
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

pub(crate) fn encode_watermark(watermark: i64) -> String {
    format!("{WATERMARK_PREFIX}{watermark}")
}

/// `None` payload: an index never committed through [`encode_watermark`].
pub(crate) fn decode_watermark(payload: Option<&str>) -> anyhow::Result<i64> {
    let Some(payload) = payload else {
        return Ok(0);
    };
    payload
        .strip_prefix(WATERMARK_PREFIX)
        .and_then(|number| number.parse().ok())
        .with_context(|| format!("search index commit payload {payload:?} is not a watermark"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn watermark_round_trips_and_rejects_foreign_payloads() {
        assert_eq!(decode_watermark(Some(&encode_watermark(42))).unwrap(), 42);
        assert_eq!(decode_watermark(Some(&encode_watermark(-7))).unwrap(), -7);
        assert_eq!(decode_watermark(None).unwrap(), 0);
        assert!(decode_watermark(Some("42")).is_err());
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
