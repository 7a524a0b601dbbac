//! The header bytes a DKIM-style signature covers (RFC 6376 sections 3.7
//! and 5.4.2): DKIM-Signature, ARC-Message-Signature and ARC-Seal all end
//! their input the same way, and the first two select headers by `h=`.

use super::canon::{canonicalize_header, without_b_value, Canon};
use super::header::HeaderField;
use std::collections::HashMap;

/// Positions of each header name (lower-cased), top to bottom, built once per
/// message so that a long hostile `h=` costs one map lookup per name.
pub struct HeaderIndex<'h, 'm> {
    fields: &'h [HeaderField<'m>],
    by_name: HashMap<Vec<u8>, Vec<usize>>,
}

impl<'h, 'm> HeaderIndex<'h, 'm> {
    pub fn new(fields: &'h [HeaderField<'m>]) -> Self {
        let mut by_name: HashMap<Vec<u8>, Vec<usize>> = HashMap::new();
        for (i, field) in fields.iter().enumerate() {
            by_name
                .entry(field.name.to_ascii_lowercase())
                .or_default()
                .push(i);
        }
        HeaderIndex { fields, by_name }
    }

    pub fn fields(&self) -> &'h [HeaderField<'m>] {
        self.fields
    }

    /// Indexes into [`Self::fields`] of the fields named `name` (any case),
    /// top to bottom.
    pub fn positions(&self, name: &str) -> &[usize] {
        let found = if name.bytes().any(|b| b.is_ascii_uppercase()) {
            self.by_name.get(name.to_ascii_lowercase().as_bytes())
        } else {
            self.by_name.get(name.as_bytes())
        };
        found.map_or(&[], Vec::as_slice)
    }

    /// Append the fields named by `names` (`h=`, any case), each name taking
    /// the next instance from the bottom of the header up; a name with no
    /// instance left contributes nothing.
    pub fn append_signed_headers(&self, names: &[String], canon: Canon, out: &mut Vec<u8>) {
        // Instances taken so far, per name; a name is known by the index of
        // its first field, which no other name shares.
        let mut used: HashMap<usize, usize> = HashMap::new();
        for name in names {
            let positions = self.positions(name);
            let Some(&first) = positions.first() else {
                continue;
            };
            let taken = used.entry(first).or_insert(0);
            if *taken < positions.len() {
                let field = &self.fields[positions[positions.len() - 1 - *taken]];
                canonicalize_header(canon, field, out);
                *taken += 1;
            }
        }
    }
}

/// [`HeaderIndex::append_signed_headers`] for a caller that signs one
/// selection of `headers` only.
pub fn append_signed_headers(
    headers: &[HeaderField<'_>],
    names: &[String],
    canon: Canon,
    out: &mut Vec<u8>,
) {
    HeaderIndex::new(headers).append_signed_headers(names, canon, out);
}

/// Append the signature field itself, its `b=` value emptied and without the
/// final CRLF, as the last input of its own hash.
pub fn append_own_field(canon: Canon, field: &HeaderField<'_>, out: &mut Vec<u8>) {
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
