//! Splitting a message into raw header fields and body, bounded.

use super::canon::{Body, LineEnds};

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
    /// How `body`'s lines end: CRLF from [`split_message`]; a caller that
    /// converted only the header of an LF-stored message to CRLF sets the
    /// stored body here with [`LineEnds::Lf`].
    pub body_line_ends: LineEnds,
}

impl<'a> SplitMessage<'a> {
    /// The body, with how its lines end.
    pub fn stored_body(&self) -> Body<'a> {
        Body {
            bytes: self.body,
            line_ends: self.body_line_ends,
        }
    }
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

/// One physical line: `content` excludes its terminator, `next` is where the
/// following line starts. A bare LF ends a line too, so that damaged mail
/// still splits into fields instead of one giant field.
struct Line {
    start: usize,
    content_end: usize,
    next: usize,
}

fn line_at(message: &[u8], start: usize) -> Line {
    match memchr::memchr(b'\n', &message[start..]) {
        Some(i) => {
            let lf = start + i;
            let content_end = if lf > start && message[lf - 1] == b'\r' {
                lf - 1
            } else {
                lf
            };
            Line {
                start,
                content_end,
                next: lf + 1,
            }
        }
        None => Line {
            start,
            content_end: message.len(),
            next: message.len(),
        },
    }
}

fn is_wsp(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

/// RFC 5322 ftext, plus tolerance for whitespace between name and colon
/// (obs-optional), which old mail has.
fn field_name(line: &[u8]) -> Option<&[u8]> {
    let colon = memchr::memchr(b':', line)?;
    let mut name = &line[..colon];
    while let [rest @ .., last] = name {
        if !is_wsp(*last) {
            break;
        }
        name = rest;
    }
    if name.is_empty() || !name.iter().all(|&b| (33..=126).contains(&b) && b != b':') {
        return None;
    }
    Some(name)
}

/// Split `message` (CRLF line endings) into header fields and body.
///
/// A message without an empty line is all header and has an empty body.
/// Each byte is looked at a bounded number of times, so hostile input costs
/// linear time.
pub fn split_message(message: &[u8]) -> Result<SplitMessage<'_>, HeaderError> {
    let mut headers: Vec<HeaderField<'_>> = Vec::new();
    let mut pos = 0;
    let mut current: Option<Pending<'_>> = None;

    let body_start = loop {
        if pos >= message.len() {
            break message.len();
        }
        let line = line_at(message, pos);
        if line.content_end == line.start {
            break line.next;
        }
        let first = message[line.start];
        if is_wsp(first) {
            match current.as_mut() {
                Some(field) => {
                    if line.content_end - field.start > MAX_FIELD_BYTES {
                        return Err(HeaderError::FieldTooLong {
                            offset: field.start,
                            limit: MAX_FIELD_BYTES,
                        });
                    }
                    field.end = line.content_end;
                }
                None => return Err(HeaderError::NotAHeader { offset: pos }),
            }
        } else {
            if let Some(done) = current.take() {
                push_field(message, &mut headers, done)?;
            }
            let content = &message[line.start..line.content_end];
            let name = field_name(content).ok_or(HeaderError::NotAHeader { offset: pos })?;
            if content.len() > MAX_FIELD_BYTES {
                return Err(HeaderError::FieldTooLong {
                    offset: pos,
                    limit: MAX_FIELD_BYTES,
                });
            }
            let colon = memchr::memchr(b':', content).unwrap_or(name.len());
            current = Some(Pending {
                start: line.start,
                name,
                value_start: line.start + colon + 1,
                end: line.content_end,
            });
        }
        pos = line.next;
    };
    if let Some(done) = current.take() {
        push_field(message, &mut headers, done)?;
    }
    Ok(SplitMessage {
        headers,
        body: &message[body_start.min(message.len())..],
        body_line_ends: LineEnds::Crlf,
    })
}

/// Where [`split_message`] starts the body of `message`: after its first
/// empty line (a bare LF ends a line here too), or at its end. Lets a caller
/// convert only the header of an LF-stored message to CRLF.
pub fn body_start(message: &[u8]) -> usize {
    let mut pos = 0;
    while pos < message.len() {
        let line = line_at(message, pos);
        if line.content_end == line.start {
            return line.next;
        }
        pos = line.next;
    }
    message.len()
}

/// A field whose continuation lines are still being collected.
struct Pending<'a> {
    start: usize,
    name: &'a [u8],
    value_start: usize,
    end: usize,
}

fn push_field<'a>(
    message: &'a [u8],
    headers: &mut Vec<HeaderField<'a>>,
    Pending {
        start,
        name,
        value_start,
        end,
    }: Pending<'a>,
) -> Result<(), HeaderError> {
    if headers.len() >= MAX_FIELDS {
        return Err(HeaderError::TooManyFields { limit: MAX_FIELDS });
    }
    headers.push(HeaderField {
        name,
        value: &message[value_start..end],
        raw: &message[start..end],
        offset: start,
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folded_fields_keep_their_continuation_lines() {
        let m = b"From: a\r\nSubject: one\r\n two\r\n\r\nbody\r\n";
        let s = split_message(m).unwrap();
        assert_eq!(s.headers.len(), 2);
        assert_eq!(s.headers[1].name, b"Subject");
        assert_eq!(s.headers[1].value, b" one\r\n two");
        assert_eq!(s.headers[1].raw, b"Subject: one\r\n two");
        assert_eq!(s.headers[1].offset, 9);
        assert_eq!(s.body, b"body\r\n");
    }

    #[test]
    fn message_without_empty_line_has_empty_body() {
        let s = split_message(b"From: a\r\nTo: b").unwrap();
        assert_eq!(s.headers.len(), 2);
        assert_eq!(s.headers[1].raw, b"To: b");
        assert!(s.body.is_empty());
        let s = split_message(b"From: a\r\n\r\n").unwrap();
        assert!(s.body.is_empty());
    }

    #[test]
    fn body_start_is_where_split_message_puts_the_body() {
        for m in [
            &b"From: a\r\nSubject: one\r\n two\r\n\r\nbody\r\n"[..],
            b"From: a\nSubject: b\n\nbody\n\nmore\n",
            b"From: a\n\r\nbody",
            b"\nbody",
            b"\r\nbody",
            b"From: a\r\nTo: b",
            b"",
        ] {
            let body = split_message(m).unwrap().body;
            assert_eq!(
                &m[body_start(m)..],
                body,
                "{:?}",
                String::from_utf8_lossy(m)
            );
        }
    }

    #[test]
    fn whitespace_before_colon_is_not_part_of_the_name() {
        let s = split_message(b"Subject  : x\r\n\r\n").unwrap();
        assert_eq!(s.headers[0].name, b"Subject");
        assert_eq!(s.headers[0].value, b" x");
    }

    #[test]
    fn lines_that_are_not_fields_are_errors() {
        assert_eq!(
            split_message(b" leading continuation\r\n"),
            Err(HeaderError::NotAHeader { offset: 0 })
        );
        assert_eq!(
            split_message(b"From: a\r\nno colon here\r\n"),
            Err(HeaderError::NotAHeader { offset: 9 })
        );
    }

    #[test]
    fn oversized_fields_and_field_counts_are_refused() {
        let mut m = b"X: ".to_vec();
        m.extend(std::iter::repeat_n(b'a', MAX_FIELD_BYTES));
        assert!(matches!(
            split_message(&m),
            Err(HeaderError::FieldTooLong { .. })
        ));
        let mut folded = b"X: a".to_vec();
        for _ in 0..(MAX_FIELD_BYTES / 4) {
            folded.extend_from_slice(b"\r\n a");
        }
        assert!(matches!(
            split_message(&folded),
            Err(HeaderError::FieldTooLong { .. })
        ));
        let many = b"X: a\r\n".repeat(MAX_FIELDS + 1);
        assert_eq!(
            split_message(&many),
            Err(HeaderError::TooManyFields { limit: MAX_FIELDS })
        );
    }
}
