//! Canonicalization (RFC 6376 section 3.4), shared by DKIM and ARC.

use super::header::HeaderField;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Canon {
    Simple,
    Relaxed,
}

/// Append the canonical form of one header field to `out`, ending in CRLF.
pub fn canonicalize_header(canon: Canon, field: &HeaderField<'_>, out: &mut Vec<u8>) {
    let _ = (canon, field, out);
    todo!()
}

/// The raw header field with the value of its `b=` tag removed (the tag
/// itself stays, as `b=`), as the signature header enters its own hash.
pub fn without_b_value(raw_field: &[u8]) -> Vec<u8> {
    let _ = raw_field;
    todo!()
}

/// The canonical form of a body (RFC 6376 3.4.3 / 3.4.4).
pub fn canonicalize_body(canon: Canon, body: &[u8]) -> Vec<u8> {
    let _ = (canon, body);
    todo!()
}
