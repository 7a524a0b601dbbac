//! The unaccented simple vectors, written from the embedded index's own
//! tokens so both engines hold the same words at the same positions.
//!
//! `to_tsvector('tamis_simple', …)` would fold case and accents alike but
//! split differently from tantivy: PostgreSQL's parser keeps
//! `sender@en-marche.fr` or `en-marche` whole as well as in parts, reads
//! URLs and numbers its own way, and leaves no gap where tantivy drops an
//! over-long token. The vector is therefore given as `tsvector` input
//! (quoted lexemes with positions), which PostgreSQL takes as is.

use crate::text::lexeme;
use std::collections::BTreeMap;
use tamis_search::folded_tokens;

/// PostgreSQL's largest position: later words are all stored there, so
/// they still match as words (a phrase that deep may not).
const MAX_POSITION: usize = 16_383;

/// PostgreSQL keeps at most this many positions per lexeme.
const MAX_POSITIONS_PER_LEXEME: usize = 256;

/// A `tsvector` is at most 1 MiB; beyond this much input new words are
/// left out rather than failing the whole document (only bodies of
/// megabytes of distinct words get there).
const MAX_VECTOR_INPUT_BYTES: usize = 768 * 1024;

/// `tsvector` input for `text`, every position weighted `weight` (A for
/// the subject: ranking counts it double, as tantivy's boost does).
pub(crate) fn simple_vector(text: &str, weight: char) -> String {
    let mut lexemes: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    let mut bytes = 0;
    for (position, token) in folded_tokens(text) {
        // tantivy counts from 0, PostgreSQL from 1.
        let position = (position + 1).min(MAX_POSITION);
        if let Some(positions) = lexemes.get_mut(&token) {
            // A position clamped to the last one is already there.
            if positions.len() < MAX_POSITIONS_PER_LEXEME && positions.last() != Some(&position) {
                positions.push(position);
                bytes += 7;
            }
        } else if bytes + token.len() < MAX_VECTOR_INPUT_BYTES {
            bytes += token.len() + 10;
            lexemes.insert(token, vec![position]);
        }
    }
    let mut out = String::with_capacity(bytes);
    for (token, positions) in lexemes {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&lexeme(&token));
        out.push(':');
        let positions: Vec<String> = positions.iter().map(|p| format!("{p}{weight}")).collect();
        out.push_str(&positions.join(","));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folded_words_at_their_positions() {
        assert_eq!(
            simple_vector("L'Élection, l'élection", 'A'),
            "'election':2A,4A 'l':1A,3A"
        );
        assert_eq!(simple_vector("", 'D'), "");
    }
}
