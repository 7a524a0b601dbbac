//! RFC 6376 section 3.2 tag=value lists (DKIM-Signature, key records, ARC).

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TagError {
    #[error("tag {0:?} appears more than once")]
    Duplicate(String),
    #[error("malformed tag list near {0:?}")]
    Syntax(String),
}

/// Parse a tag list into `(name, value)` pairs in order. Whitespace (including
/// folding) around names and values is removed; a trailing `;` is allowed.
/// Values keep inner whitespace; callers strip it where the tag's grammar says
/// (e.g. `b=`, `bh=`, `p=` are base64 with FWS allowed anywhere).
pub fn parse_tag_list(text: &str) -> Result<Vec<(String, String)>, TagError> {
    let _ = text;
    todo!()
}
