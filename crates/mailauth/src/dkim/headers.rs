//! The header side of a signature: what `h=` selects, in what order, and
//! which displayed headers it leaves unvouched for.

use super::UncoveredHeader;
use crate::common::canon::{canonicalize_header, without_b_value, Canon};
use crate::common::header::HeaderField;
use std::collections::HashMap;

/// Headers a mail client shows; an unsigned one can mislead a reader.
const DISPLAYED: [&str; 7] = ["From", "To", "Cc", "Subject", "Date", "Reply-To", "Sender"];
const UNCOVERED_VALUE_BYTES: usize = 1024;

/// Positions of each header name (lower-cased), top to bottom, built once per
/// message so that a long hostile `h=` costs one map lookup per name.
pub(super) struct HeaderIndex<'h, 'm> {
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

    fn positions(&self, name: &str) -> &[usize] {
        self.by_name
            .get(name.to_ascii_lowercase().as_bytes())
            .map_or(&[], Vec::as_slice)
    }

    /// RFC 6376 5.4.2: each name in `h=` takes the next instance from the
    /// bottom; a name listed more often than it occurs adds nothing. The
    /// signature field goes last, without its `b=` value or final CRLF.
    pub fn hash_input(
        &self,
        signed: &[String],
        canon: Canon,
        signature: &HeaderField<'_>,
    ) -> Vec<u8> {
        let mut out = Vec::new();
        let mut used: HashMap<String, usize> = HashMap::new();
        for name in signed {
            let lower = name.to_ascii_lowercase();
            let positions = self.positions(&lower);
            let taken = used.entry(lower).or_insert(0);
            if *taken < positions.len() {
                let field = &self.fields[positions[positions.len() - 1 - *taken]];
                canonicalize_header(canon, field, &mut out);
                *taken += 1;
            }
        }
        let stripped = without_b_value(signature.raw);
        let colon = signature.raw.len() - signature.value.len();
        let field = HeaderField {
            name: signature.name,
            value: &stripped[colon..],
            raw: &stripped,
            offset: signature.offset,
        };
        canonicalize_header(canon, &field, &mut out);
        out.truncate(out.len() - 2);
        out
    }

    /// Displayed headers above the bottom-most instances `h=` signs, and
    /// displayed headers `h=` does not name at all, in message order.
    pub fn uncovered(&self, signed: &[String]) -> Vec<UncoveredHeader> {
        let mut found: Vec<(usize, UncoveredHeader)> = Vec::new();
        for name in DISPLAYED {
            let positions = self.positions(name);
            let listed = signed
                .iter()
                .filter(|h| h.eq_ignore_ascii_case(name))
                .count();
            let reason = if listed == 0 {
                "not-in-h"
            } else {
                "extra-instance"
            };
            let unsigned = positions.len().saturating_sub(listed);
            for &i in &positions[..unsigned] {
                let field = &self.fields[i];
                found.push((
                    i,
                    UncoveredHeader {
                        name: String::from_utf8_lossy(field.name).into_owned(),
                        value: displayed_value(field.value),
                        reason: reason.to_owned(),
                    },
                ));
            }
        }
        found.sort_by_key(|(i, _)| *i);
        found.into_iter().map(|(_, h)| h).collect()
    }
}

fn displayed_value(value: &[u8]) -> String {
    let mut unfolded: Vec<u8> = value
        .iter()
        .copied()
        .filter(|&b| b != b'\r' && b != b'\n')
        .take(UNCOVERED_VALUE_BYTES)
        .collect();
    let start = unfolded
        .iter()
        .take_while(|b| b.is_ascii_whitespace())
        .count();
    unfolded.drain(..start);
    String::from_utf8_lossy(&unfolded).trim_end().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::common::header::split_message;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn instances_are_taken_bottom_up_and_surplus_names_add_nothing() {
        let m = b"X: 1\r\nFrom: a\r\nX: 2\r\nDKIM-Signature: b=abc; d=e\r\n\r\n";
        let split = split_message(m).unwrap();
        let index = HeaderIndex::new(&split.headers);
        let input = index.hash_input(
            &names(&["x", "from", "X", "x"]),
            Canon::Simple,
            &split.headers[3],
        );
        assert_eq!(
            input,
            b"X: 2\r\nFrom: a\r\nX: 1\r\nDKIM-Signature: b=; d=e".to_vec()
        );
    }

    #[test]
    fn extra_from_above_the_signed_one_is_reported() {
        let m = b"From: forged\r\nFrom: real\r\nSubject: s\r\nTo: t\r\n\r\n";
        let split = split_message(m).unwrap();
        let uncovered = HeaderIndex::new(&split.headers).uncovered(&names(&["from", "to"]));
        assert_eq!(uncovered.len(), 2);
        assert_eq!(
            (uncovered[0].value.as_str(), uncovered[0].reason.as_str()),
            ("forged", "extra-instance")
        );
        assert_eq!(
            (uncovered[1].name.as_str(), uncovered[1].reason.as_str()),
            ("Subject", "not-in-h")
        );
    }
}
