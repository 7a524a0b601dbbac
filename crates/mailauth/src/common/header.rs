//! Splitting a message into raw header fields and body, bounded.

/// Longest header field (with its folded continuation lines) we accept.
/// RFC 5322 allows 998 octets a line; real mail has folded fields of a few
/// KiB (long To: lists). A field beyond this is hostile or broken.
pub const MAX_FIELD_BYTES: usize = 1 << 20;
/// Most header fields we accept in one message.
pub const MAX_FIELDS: usize = 10_000;

/// One header field exactly as in the message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HeaderField<'a> {
    /// Field name as written (no trailing whitespace or colon).
    pub name: &'a [u8],
    /// Everything after the colon up to, not including, the CRLF that ends
    /// the field; continuation lines included with their CRLFs.
    pub value: &'a [u8],
    /// The whole field: name, colon, value (no final CRLF).
    pub raw: &'a [u8],
    /// Byte offset of the field's first byte in the message.
    pub offset: usize,
}

impl HeaderField<'_> {
    pub fn name_is(&self, name: &str) -> bool {
        self.name.eq_ignore_ascii_case(name.as_bytes())
    }
}

/// A message split at the first empty line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SplitMessage<'a> {
    pub headers: Vec<HeaderField<'a>>,
    /// Bytes after the empty line that ends the header (may be empty).
    pub body: &'a [u8],
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum HeaderError {
    #[error("header field at offset {offset} is longer than {limit} bytes")]
    FieldTooLong { offset: usize, limit: usize },
    #[error("more than {limit} header fields")]
    TooManyFields { limit: usize },
    #[error("line at offset {offset} is neither a header field nor a continuation")]
    NotAHeader { offset: usize },
}

/// Split `message` (CRLF line endings) into header fields and body.
pub fn split_message(message: &[u8]) -> Result<SplitMessage<'_>, HeaderError> {
    let _ = message;
    todo!()
}
