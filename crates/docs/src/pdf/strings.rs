//! PDF text strings (ISO 32000-2, 7.9.2.2) and the small helpers that read
//! values out of lopdf objects without failing.

use lopdf::{Document, Object};

/// A text string: UTF-16BE after a `FE FF` mark, UTF-8 after `EF BB BF`,
/// PDFDocEncoding otherwise. Never fails: a leak holds broken writers, and
/// a value half-read is evidence still (invalid sequences become U+FFFD).
pub(crate) fn decode_text(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]))
            .collect();
        return String::from_utf16_lossy(&units);
    }
    // Little-endian is not allowed, but some Windows writers produce it.
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        return String::from_utf16_lossy(&units);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return String::from_utf8_lossy(rest).into_owned();
    }
    bytes.iter().map(|&b| pdf_doc_char(b)).collect()
}

/// PDFDocEncoding (ISO 32000-2, Annex D.2): Latin-1 but for 0x18–0x1F and
/// 0x80–0x9F, which hold typographic characters, and a few undefined codes.
fn pdf_doc_char(byte: u8) -> char {
    const LOW: [char; 8] = ['˘', 'ˇ', 'ˆ', '˙', '˝', '˛', '˚', '˜'];
    const HIGH: [char; 32] = [
        '•', '†', '‡', '…', '—', '–', 'ƒ', '⁄', '‹', '›', '−', '‰', '„', '“', '”', '‘', '’', '‚',
        '™', 'ﬁ', 'ﬂ', 'Ł', 'Œ', 'Š', 'Ÿ', 'Ž', 'ı', 'ł', 'œ', 'š', 'ž', '\u{FFFD}',
    ];
    match byte {
        0x18..=0x1F => LOW[usize::from(byte - 0x18)],
        0x80..=0x9F => HIGH[usize::from(byte - 0x80)],
        0xA0 => '€',
        0x7F | 0xAD => '\u{FFFD}',
        _ => char::from(byte),
    }
}

/// Follows references (a bounded number of hops: a loop of references is
/// a hostile file, not an infinite walk).
pub(crate) fn resolve<'a>(doc: &'a Document, mut object: &'a Object) -> Option<&'a Object> {
    for _ in 0..32 {
        match object {
            Object::Reference(id) => object = doc.objects.get(id)?,
            _ => return Some(object),
        }
    }
    None
}

/// A value as a reader would see it: strings decoded, names without the
/// slash, numbers as written; containers are not values.
pub(crate) fn value_text(doc: &Document, object: &Object) -> Option<String> {
    match resolve(doc, object)? {
        Object::String(bytes, _) => Some(decode_text(bytes)),
        Object::Name(name) => Some(String::from_utf8_lossy(name).into_owned()),
        Object::Integer(i) => Some(i.to_string()),
        Object::Real(r) => Some(r.to_string()),
        Object::Boolean(b) => Some(b.to_string()),
        _ => None,
    }
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_strings() {
        assert_eq!(decode_text(b"Alice"), "Alice");
        assert_eq!(decode_text(b"\xFE\xFF\x04\x20\x04\x3E"), "Ро");
        assert_eq!(decode_text(b"\xEF\xBB\xBFcaf\xC3\xA9"), "café");
        assert_eq!(decode_text(b"\x8Dquoted\x8E \xA0\x93"), "“quoted” €ﬁ");
        assert_eq!(decode_text(b"caf\xE9"), "café");
        // An odd byte after UTF-16 units is dropped, not a failure.
        assert_eq!(decode_text(b"\xFE\xFF\x00A\x00"), "A");
    }
}
