//! What a stream holds, decided from its first bytes.
//!
//! Leaks are renamed, re-zipped and stripped of extensions, so content
//! decides; the name is only a tie-breaker for a message too short to show
//! more than one typical header.

/// How many leading bytes detection looks at.
pub(crate) const HEAD_LEN: usize = 8 * 1024;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Format {
    Empty,
    Zip,
    Gzip,
    Tar,
    Mbox,
    Message,
    /// Apple Mail's `.emlx`: a byte-count line, the message, a plist.
    Emlx,
    /// An Outlook PST or OST store (`!BDN`).
    Pst,
    /// An OLE2 file that looks like an Outlook `.msg`. Only a hint: the
    /// container reads any OLE2 file whole and its directory decides.
    OutlookMsg,
    Other,
}

pub(crate) fn sniff(head: &[u8], name_hint: &str) -> Format {
    if head.is_empty() {
        Format::Empty
    } else if head.starts_with(b"!BDN") {
        Format::Pst
    } else if is_outlook_msg(head, name_hint) {
        Format::OutlookMsg
    } else if is_office_package(head) {
        // A docx, xlsx, pptx or odt is a zip, but a document: its metadata
        // and text are read whole by the document analyzer, so it must
        // stay one item rather than be opened into XML parts.
        Format::Other
    } else if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") {
        Format::Zip
    } else if head.starts_with(&[0x1f, 0x8b, 0x08]) {
        Format::Gzip
    } else if is_tar_header(head) {
        Format::Tar
    } else if is_emlx(head, name_hint) {
        Format::Emlx
    } else if is_mbox(head) {
        Format::Mbox
    } else if looks_like_message(head, name_hint) {
        Format::Message
    } else {
        Format::Other
    }
}

/// An OOXML or ODF package, told by the names of its first zip entries:
/// ODF stores `mimetype` first (the standard requires it); Office, python
/// libraries and LibreOffice write `[Content_Types].xml`, `_rels/` or the
/// document's own folder in the first entries.
fn is_office_package(head: &[u8]) -> bool {
    const PACKAGE_NAMES: [&[u8]; 7] = [
        b"mimetype",
        b"[Content_Types].xml",
        b"_rels/",
        b"docProps/",
        b"word/",
        b"xl/",
        b"ppt/",
    ];
    let mut at = 0;
    // Local file headers, one after another, as far as the head reaches.
    for _ in 0..4 {
        let Some(header) = head.get(at..at + 30) else {
            return false;
        };
        if &header[..4] != b"PK\x03\x04" {
            return false;
        }
        let field = |i: usize| usize::from(u16::from_le_bytes([header[i], header[i + 1]]));
        let (name_len, extra_len) = (field(26), field(28));
        let compressed = u32::from_le_bytes([header[18], header[19], header[20], header[21]]);
        let Some(name) = head.get(at + 30..at + 30 + name_len) else {
            return false;
        };
        if PACKAGE_NAMES.iter().any(|known| name.starts_with(known)) {
            return true;
        }
        // Bit 3: sizes follow the data, so the next header cannot be found.
        if header[6] & 0x08 != 0 {
            return false;
        }
        at += 30 + name_len + extra_len + compressed as usize;
    }
    false
}

/// An OLE2 compound file named `.msg`, or whose directory, when it lies
/// in the sniffed head (small files), names MS-OXMSG property streams.
fn is_outlook_msg(head: &[u8], name_hint: &str) -> bool {
    if !head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return false;
    }
    let utf16: Vec<u8> = "__substg1.0_".bytes().flat_map(|b| [b, 0]).collect();
    name_hint.to_ascii_lowercase().ends_with(".msg") || memchr::memmem::find(head, &utf16).is_some()
}

/// A tar starts with a 512-byte header whose checksum adds up; ustar adds a
/// magic, v7 tars have only the checksum.
fn is_tar_header(head: &[u8]) -> bool {
    let Some(block) = head.get(..512) else {
        return false;
    };
    if block.iter().all(|&b| b == 0) {
        return false;
    }
    let field = &block[148..156];
    let digits: Vec<u8> = field
        .iter()
        .copied()
        .skip_while(|b| *b == b' ')
        .take_while(|b| (b'0'..=b'7').contains(b))
        .collect();
    let Ok(Ok(stored)) = std::str::from_utf8(&digits).map(|s| u32::from_str_radix(s, 8)) else {
        return false;
    };
    let sum: u32 = block
        .iter()
        .enumerate()
        .map(|(i, &b)| {
            if (148..156).contains(&i) {
                b' ' as u32
            } else {
                b as u32
            }
        })
        .sum();
    sum == stored
}

/// Apple Mail's `.emlx`: a first line of 1 to 12 digits (space-padded) then
/// LF, and a message header after it; a file named `.emlx` (or
/// `.partial.emlx`) needs only the count line.
fn is_emlx(head: &[u8], name_hint: &str) -> bool {
    let Some((_, rest)) = crate::stores::emlx::count_line(head) else {
        return false;
    };
    name_hint.to_ascii_lowercase().ends_with(".emlx") || looks_like_message(rest, "")
}

/// A `From ` line followed by a header line: prose that happens to start
/// with "From " must stay a file, since cutting it as an mbox would drop
/// its first line.
fn is_mbox(head: &[u8]) -> bool {
    if !head.starts_with(b"From ") {
        return false;
    }
    let mut lines = head.split(|&b| b == b'\n');
    lines.next();
    lines.next().is_some_and(|line| field_name(line).is_some())
}

const TYPICAL_HEADERS: &[&str] = &[
    "from",
    "to",
    "cc",
    "bcc",
    "subject",
    "date",
    "message-id",
    "received",
    "return-path",
    "delivered-to",
    "reply-to",
    "sender",
    "in-reply-to",
    "references",
    "mime-version",
    "content-type",
    "content-transfer-encoding",
    "dkim-signature",
    "arc-seal",
    "authentication-results",
    "thread-topic",
    "thread-index",
];

/// A header-shaped first line, then at least two typical header names in
/// the header block (one suffices for a file named `.eml`). A `.eml` whose
/// header-shaped first line runs past the sniffed head is a message too: a
/// hostile 50 MB header line must be judged (and reported) by the analyzer,
/// not vanish among "other files".
fn looks_like_message(head: &[u8], name_hint: &str) -> bool {
    let named_eml = name_hint.to_ascii_lowercase().ends_with(".eml");
    let mut lines = head.split(|&b| b == b'\n');
    let Some(first) = lines.next() else {
        return false;
    };
    if field_name(first).is_none() {
        return false;
    }
    if named_eml && head.len() >= HEAD_LEN && memchr::memchr(b'\n', head).is_none() {
        return true;
    }
    let mut seen: Vec<&str> = Vec::new();
    for line in std::iter::once(first).chain(lines) {
        if line.is_empty() || line == b"\r" {
            break;
        }
        if let Some(name) = field_name(line) {
            let lower = name.to_ascii_lowercase();
            if let Some(known) = TYPICAL_HEADERS.iter().find(|h| **h == lower) {
                if !seen.contains(known) {
                    seen.push(known);
                }
            }
        }
    }
    let needed = if named_eml { 1 } else { 2 };
    seen.len() >= needed
}

/// The field name of an RFC 5322 header line: printable ASCII except `:`,
/// then `:` (whitespace before the colon is tolerated as obsolete syntax).
fn field_name(line: &[u8]) -> Option<&str> {
    let colon = memchr::memchr(b':', line)?;
    let name = line[..colon].trim_ascii_end();
    if name.is_empty() || !name.iter().all(|&b| (33..=126).contains(&b)) {
        return None;
    }
    std::str::from_utf8(name).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_block_with_typical_names_is_a_message() {
        let crlf = b"Received: from x\r\nFrom: a@b\r\nSubject: hi\r\n\r\nbody";
        assert_eq!(sniff(crlf, "1:2,S"), Format::Message);
        assert_eq!(sniff(b"From: a\nTo: b\n\nx", ""), Format::Message);
    }

    #[test]
    fn one_typical_header_needs_an_eml_name() {
        assert_eq!(sniff(b"Subject: x\n\nbody", "note.txt"), Format::Other);
        assert_eq!(sniff(b"Subject: x\n\nbody", "note.EML"), Format::Message);
    }

    #[test]
    fn yaml_like_text_is_not_a_message() {
        assert_eq!(sniff(b"name: x\nversion: 2\n", "a.eml"), Format::Other);
        assert_eq!(sniff(b"\x00\x01From: a\nTo: b\n", ""), Format::Other);
    }

    #[test]
    fn magic_numbers_win() {
        assert_eq!(sniff(b"PK\x03\x04rest", "a.txt"), Format::Zip);
        // An Office or ODF package is a document, not an archive to open.
        let entry = |name: &[u8]| {
            let mut h = b"PK\x03\x04".to_vec();
            h.extend_from_slice(&[
                20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            ]);
            h.extend_from_slice(&(name.len() as u16).to_le_bytes());
            h.extend_from_slice(&[0, 0]);
            h.extend_from_slice(name);
            h
        };
        assert_eq!(sniff(&entry(b"[Content_Types].xml"), "x"), Format::Other);
        assert_eq!(sniff(&entry(b"mimetype"), "x"), Format::Other);
        let mut two = entry(b"notes.txt");
        two.extend(entry(b"word/document.xml"));
        assert_eq!(sniff(&two, "x"), Format::Other);
        assert_eq!(sniff(&entry(b"inbox/1.eml"), "x"), Format::Zip);
        assert_eq!(sniff(&[0x1f, 0x8b, 8, 0], "a"), Format::Gzip);
        let mbox = b"From a@b Mon Jan  1 00:00:00 2001\nReturn-Path: <a@b>\n";
        assert_eq!(sniff(mbox, "x"), Format::Mbox);
        let prose = b"From the desk of A.\nDear B,\n";
        assert_eq!(sniff(prose, "x.mbox"), Format::Other);
        assert_eq!(sniff(b"", "x.eml"), Format::Empty);
    }

    #[test]
    fn outlook_stores_and_messages() {
        assert_eq!(sniff(b"!BDN\x00\x00\x00\x00SM\x17\x00", "x"), Format::Pst);
        let ole = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0];
        assert_eq!(sniff(&ole, "Mail.MSG"), Format::OutlookMsg);
        // A .doc is an OLE2 file too: only a directory that names MS-OXMSG
        // streams, or the name, makes it look like a message here.
        assert_eq!(sniff(&ole, "report.doc"), Format::Other);
        let mut small_msg = ole.to_vec();
        small_msg.extend("__substg1.0_0037001F".bytes().flat_map(|b| [b, 0]));
        assert_eq!(sniff(&small_msg, "renamed"), Format::OutlookMsg);
    }

    #[test]
    fn emlx_is_a_count_line_then_a_message() {
        let mail = b"1234      \nReceived: from x\nFrom: a@b\nSubject: s\n\nbody\n";
        assert_eq!(sniff(mail, "17.emlx"), Format::Emlx);
        assert_eq!(sniff(mail, "renamed"), Format::Emlx);
        assert_eq!(sniff(b"  88\nFrom: a\nTo: b\n\nx", ""), Format::Emlx);
        // The name alone needs the count line; the count alone needs a message.
        assert_eq!(sniff(b"12\nnot a header\n", "3.partial.emlx"), Format::Emlx);
        assert_eq!(sniff(b"12\nnot a header\n", "numbers.txt"), Format::Other);
        assert_eq!(sniff(b"From: a\nTo: b\n\nx", "1.emlx"), Format::Message);
        assert_eq!(
            sniff(b"1234567890123\nFrom: a\nTo: b\n", "1.emlx"),
            Format::Other
        );
        assert_eq!(
            sniff(b"12\r\nFrom: a\r\nTo: b\r\n", "1.emlx"),
            Format::Other
        );
    }
}
