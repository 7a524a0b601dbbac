//! A part's bytes with only its Content-Transfer-Encoding undone.
//!
//! mail-parser hands text parts over as UTF-8 strings already converted from
//! their charset (with undecodable bytes replaced), and nested messages as
//! parsed structures. An attachment must be the file the sender attached,
//! byte for byte (its hash deduplicates it across a case, a reader downloads
//! it), so for those parts the body is cut from the original bytes at the
//! offsets mail-parser found and decoded again with the decoders mail-parser
//! used on it (its slice decoders are stricter about quoted-printable).

use mail_parser::parsers::MessageStream;
use mail_parser::{Encoding, MessagePart};

/// The part's body as sent, transfer encoding removed; `None` when the
/// offsets do not fall inside the message or the encoding does not decode.
pub(crate) fn body_bytes(part: &MessagePart<'_>, raw: &[u8]) -> Option<Vec<u8>> {
    let encoded = raw.get(part.offset_body as usize..part.offset_end as usize)?;
    // No boundary: the slice already ends where the part does.
    let (end, decoded) = match part.encoding {
        Encoding::None => return Some(encoded.to_vec()),
        Encoding::Base64 => MessageStream::new(encoded).decode_base64_mime(b""),
        Encoding::QuotedPrintable => MessageStream::new(encoded).decode_quoted_printable_mime(b""),
    };
    (end != usize::MAX).then(|| decoded.into_owned())
}
