//! RFC 6376 section 3.2 tag=value lists (DKIM-Signature, key records, ARC).

use std::borrow::Cow;

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TagError {
    #[error("tag {0:?} appears more than once")]
    Duplicate(String),
    #[error("malformed tag list near {0:?}")]
    Syntax(String),
}

fn is_fws(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

/// RFC 6376 tag-name: ALPHA *ALNUMPUNC, where ALNUMPUNC is ALPHA / DIGIT / "_".
fn is_tag_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Parse a tag list into `(name, value)` pairs in order. Whitespace (including
/// folding) around names and values is removed; a trailing `;` is allowed.
/// Values keep inner whitespace; callers strip it where the tag's grammar says
/// (e.g. `b=`, `bh=`, `p=` are base64 with FWS allowed anywhere).
///
/// Empty segments (`a=1;;b=2`) are skipped rather than refused: signers and
/// key publishers have produced them, and they carry no meaning.
pub fn parse_tag_list(text: &str) -> Result<Vec<(&str, &str)>, TagError> {
    let mut tags: Vec<(&str, &str)> = Vec::new();
    for segment in text.split(';') {
        let segment = segment.trim_matches(is_fws);
        if segment.is_empty() {
            continue;
        }
        let Some((name, value)) = segment.split_once('=') else {
            return Err(TagError::Syntax(preview(segment)));
        };
        let name = name.trim_matches(is_fws);
        if !is_tag_name(name) {
            return Err(TagError::Syntax(preview(segment)));
        }
        if tags.iter().any(|(n, _)| *n == name) {
            return Err(TagError::Duplicate(name.to_owned()));
        }
        tags.push((name, value.trim_matches(is_fws)));
    }
    Ok(tags)
}

/// Error messages quote the offending text, but never a hostile megabyte of it.
fn preview(segment: &str) -> String {
    const MAX: usize = 60;
    match segment.char_indices().nth(MAX) {
        Some((i, _)) => format!("{}…", &segment[..i]),
        None => segment.to_owned(),
    }
}

/// Remove all folding whitespace, as base64 tag values (`b=`, `bh=`, `p=`)
/// allow it anywhere.
pub fn strip_fws(value: &str) -> String {
    without_fws(value).into_owned()
}

/// [`strip_fws`], borrowing when there is nothing to strip, and byte by
/// byte: collecting every `b=` and `p=` value char by char into a new string
/// was 3 % of a run.
fn without_fws(value: &str) -> Cow<'_, str> {
    if !value.bytes().any(is_fws_byte) {
        return Cow::Borrowed(value);
    }
    let mut kept = String::with_capacity(value.len());
    for run in value.split(is_fws) {
        kept.push_str(run);
    }
    Cow::Owned(kept)
}

fn is_fws_byte(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

/// Decode a base64 tag value (`b=`, `bh=`, `p=`): folding whitespace
/// anywhere is removed, and missing padding is tolerated since publishers and
/// signers have truncated it.
pub fn decode_base64(value: &str) -> Result<Vec<u8>, base64::DecodeError> {
    use base64::Engine;
    const ENGINE: base64::engine::GeneralPurpose = base64::engine::GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        base64::engine::GeneralPurposeConfig::new()
            .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent)
            .with_decode_allow_trailing_bits(true),
    );
    ENGINE.decode(&*without_fws(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs<'a>(list: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
        list.to_vec()
    }

    #[test]
    fn whitespace_and_folding_around_names_and_values_is_removed() {
        let parsed = parse_tag_list(" v=1;\r\n\ta = rsa-sha256 ;h=From : To; ").unwrap();
        assert_eq!(
            parsed,
            pairs(&[("v", "1"), ("a", "rsa-sha256"), ("h", "From : To")])
        );
    }

    #[test]
    fn empty_values_and_trailing_semicolon_are_allowed() {
        assert_eq!(parse_tag_list("p=;").unwrap(), pairs(&[("p", "")]));
        assert_eq!(parse_tag_list("").unwrap(), vec![]);
    }

    #[test]
    fn duplicate_tag_is_an_error() {
        assert_eq!(
            parse_tag_list("a=1; b=2; a=3"),
            Err(TagError::Duplicate("a".into()))
        );
    }

    #[test]
    fn tag_names_are_case_sensitive() {
        assert_eq!(parse_tag_list("a=1; A=2").unwrap().len(), 2);
    }

    #[test]
    fn segment_without_equals_or_with_bad_name_is_an_error() {
        assert!(matches!(
            parse_tag_list("a=1; junk"),
            Err(TagError::Syntax(_))
        ));
        assert!(matches!(parse_tag_list("1a=1"), Err(TagError::Syntax(_))));
        assert!(matches!(parse_tag_list("=1"), Err(TagError::Syntax(_))));
    }

    #[test]
    fn value_may_contain_equals_signs() {
        assert_eq!(parse_tag_list("b=abc==").unwrap(), pairs(&[("b", "abc==")]));
    }
}
