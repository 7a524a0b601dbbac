//! Assembling the header bytes an ARC signature covers, from the pieces in
//! `common::canon`.
//!
//! Both pieces here are generic DKIM mechanics (RFC 6376 sections 3.7 and
//! 5.4.2); they live in `arc/` only because `common/` does not offer them yet.

use crate::common::canon::{canonicalize_header, without_b_value, Canon};
use crate::common::header::HeaderField;
use std::collections::HashMap;

/// Append the signature field itself, its `b=` value emptied and without the
/// final CRLF, as the last input of its own hash.
pub(super) fn append_own_field(canon: Canon, field: &HeaderField<'_>, out: &mut Vec<u8>) {
    let raw = without_b_value(field.raw);
    // without_b_value keeps everything up to and including the first colon,
    // so the name and value split where the original's did.
    let colon = field.raw.len() - field.value.len() - 1;
    let stripped = HeaderField {
        name: field.name,
        value: &raw[colon + 1..],
        raw: &raw,
        offset: field.offset,
    };
    canonicalize_header(canon, &stripped, out);
    out.truncate(out.len() - 2);
}

/// Append the fields named by `h=` (lower-cased), each name taking the
/// next instance from the bottom of the header up; a name with no instance
/// left contributes nothing (RFC 6376 section 5.4.2).
///
/// Indexing the header once keeps this linear however long `h=` is.
pub(super) fn append_signed_headers(
    headers: &[HeaderField<'_>],
    names: &[String],
    canon: Canon,
    out: &mut Vec<u8>,
) {
    let mut by_name: HashMap<String, Vec<&HeaderField<'_>>> = HashMap::new();
    for field in headers {
        by_name
            .entry(String::from_utf8_lossy(field.name).to_ascii_lowercase())
            .or_default()
            .push(field);
    }
    for name in names {
        if let Some(field) = by_name.get_mut(name).and_then(Vec::pop) {
            canonicalize_header(canon, field, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::common::header::split_message;

    #[test]
    fn own_field_loses_its_b_value_and_final_crlf() {
        let m = b"ARC-Seal: i=1; b=abc\r\n def; cv=none\r\n\r\n";
        let split = split_message(m).unwrap();
        let mut out = Vec::new();
        append_own_field(Canon::Relaxed, &split.headers[0], &mut out);
        assert_eq!(out, b"arc-seal:i=1; b=; cv=none");
    }

    #[test]
    fn repeated_names_take_instances_from_the_bottom_up() {
        let m = b"Received: top\r\nReceived: bottom\r\nFrom: a\r\n\r\n";
        let split = split_message(m).unwrap();
        let mut out = Vec::new();
        let names = ["received", "received", "received", "from"].map(String::from);
        append_signed_headers(&split.headers, &names, Canon::Relaxed, &mut out);
        assert_eq!(out, b"received:bottom\r\nreceived:top\r\nfrom:a\r\n");
    }
}
