//! Apple Mail's `.emlx`: one message per file, framed by Mail.
//!
//! The layout, as Mail writes it in `Mailboxes/NAME.mbox/…/Messages/N.emlx`:
//! a first line with the message's length in bytes, in decimal (Mail pads it
//! with spaces to ten characters, other writers do not), then LF; then
//! exactly that many bytes of the RFC 5322 message as Mail received it (with
//! LF line endings: Mail rewrites CRLF to LF, which the analyzers repair and
//! report like any LF store); then an XML property list of Mail's own
//! (flags, dates, remote id, colour).
//!
//! The item is the slice between the two, byte for byte, as an ordinary
//! [`ItemKind::Message`](tamis_items::ItemKind::Message) with the file's own
//! origin: it verifies like an `.eml`. The plist is not read. Its flags and
//! dates say what Mail did with the message, not what the sender signed, so
//! the reader stays minimal and bounded: at most a 32-byte count line, the
//! declared message (never more than `max_item_bytes`) and 64 bytes after
//! it to check that the count ends where the plist starts. The rest of the
//! file is left unread, however large.
//!
//! A count that does not fit the file is reported, never guessed around: a
//! message cut short or run into its plist would fail its signature and
//! look altered, a false forgery. So a file that ends before the declared
//! count is `emlx-truncated`, a count that does not end where the plist
//! starts (or that swallows it) is `emlx-count-mismatch`, a count over
//! `max_item_bytes` is `item-too-large` and a count of 0 is `empty-message`,
//! each with the file's origin, and nothing of that file is analyzed.
//!
//! Partly downloaded messages: Mail stores a message whose attachments it
//! has not fetched as `N.partial.emlx`, the attachments' bodies emptied
//! (their part headers gain `X-Apple-Content-Length`), and each fetched
//! attachment body in `N.PART.emlxpart` next to it. Such a message is no
//! longer the bytes that were sent, and a signature over it fails for that
//! reason alone: a message with an `X-Apple-Content-Length` part header is
//! emitted as a rebuilt message (verdict `rebuilt` when a signature fails,
//! never `body-altered`), whatever its file is called. tamis does not put
//! the parts back. An `.emlxpart` gets no special treatment: it is sniffed
//! like any file (usually a plain file item).

use std::io::{self, Cursor, Read};

use tamis_items::ItemKind;

use crate::codes;
use crate::stream::read_up_to;

/// Longest first line read as a byte count: twelve digits and Mail's
/// padding, with room to spare.
pub(crate) const MAX_COUNT_LINE: usize = 32;
/// Most digits a byte count may have: 12 digits is under 1 TB, well past
/// any item limit, and cannot overflow a `u64`.
const MAX_DIGITS: usize = 12;
/// Bytes read after the message to see where the plist starts.
const TAIL: usize = 64;
/// How Mail's plist begins; an XML declaration, or the doctype or root
/// element of a writer that leaves the declaration out.
const PLIST_STARTS: [&[u8]; 3] = [b"<?xml", b"<!DOCTYPE", b"<plist"];

/// The byte count of an EMLX first line, and the bytes after its LF: 1 to
/// 12 ASCII digits, space-padded on either side, then LF. `None` when
/// `head` does not start with such a line within [`MAX_COUNT_LINE`] bytes.
pub(crate) fn count_line(head: &[u8]) -> Option<(u64, &[u8])> {
    let window = &head[..head.len().min(MAX_COUNT_LINE)];
    let lf = memchr::memchr(b'\n', window)?;
    let line = &head[..lf];
    let start = line.iter().position(|&b| b != b' ')?;
    let end = line.iter().rposition(|&b| b != b' ')? + 1;
    let digits = &line[start..end];
    if digits.len() > MAX_DIGITS || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let count = digits
        .iter()
        .fold(0u64, |n, d| n * 10 + u64::from(d - b'0'));
    Some((count, &head[lf + 1..]))
}

/// What an EMLX file holds: its message, or why it cannot be read (a code
/// from [`codes`] and the detail).
pub(crate) type Outcome = Result<Vec<u8>, (&'static str, String)>;

/// Reads an EMLX from its first byte. `len_hint` is the file's size when
/// known, to size the message buffer without trusting the count. Errors of
/// the underlying stream are returned for the layer that owns them.
/// The header Mail adds to each part whose body it did not keep.
const STRIPPED_PART_HEADER: &[u8] = b"x-apple-content-length:";

/// A message whose attachment bodies Mail emptied is not the message as
/// sent: its signatures can fail for that alone.
pub(crate) fn kind_of(message: &[u8]) -> ItemKind {
    let stripped = message.split(|&b| b == b'\n').any(|line| {
        line.len() >= STRIPPED_PART_HEADER.len()
            && line[..STRIPPED_PART_HEADER.len()].eq_ignore_ascii_case(STRIPPED_PART_HEADER)
    });
    if stripped {
        ItemKind::RebuiltMessage
    } else {
        ItemKind::Message
    }
}

pub(crate) fn read(
    reader: &mut dyn Read,
    max_item_bytes: u64,
    len_hint: Option<u64>,
) -> io::Result<Outcome> {
    let mut first = [0u8; MAX_COUNT_LINE];
    let filled = read_up_to(reader, &mut first)?;
    let Some((count, after)) = count_line(&first[..filled]) else {
        return Ok(Err((
            codes::EMLX_COUNT_MISMATCH,
            "the first line is not an EMLX byte count (1 to 12 digits, then LF)".to_string(),
        )));
    };
    if count > max_item_bytes {
        return Ok(Err((
            codes::ITEM_TOO_LARGE,
            format!(
                "EMLX message of {count} bytes (its declared count), over max_item_bytes \
                 ({max_item_bytes} bytes)"
            ),
        )));
    }
    if count == 0 {
        return Ok(Err((
            codes::EMPTY_MESSAGE,
            "EMLX byte count of 0: no message before the plist".to_string(),
        )));
    }
    let mut rest = Cursor::new(after).chain(reader);
    // Room for what the file can hold, never for what the count claims.
    let room = len_hint.unwrap_or(0).min(count);
    let mut message = Vec::with_capacity(usize::try_from(room).unwrap_or(0));
    let mut limited = (&mut rest).take(count);
    limited.read_to_end(&mut message)?;
    if (message.len() as u64) < count {
        return Ok(Err((
            codes::EMLX_TRUNCATED,
            format!(
                "the first line declares a message of {count} bytes but the file ends {} bytes \
                 into it; a message cut short would look altered, so it was not analyzed",
                message.len()
            ),
        )));
    }
    let mut tail = [0u8; TAIL];
    let filled = read_up_to(&mut rest, &mut tail)?;
    if let Some(problem) = count_problem(&message, &tail[..filled], filled < TAIL) {
        return Ok(Err((
            codes::EMLX_COUNT_MISMATCH,
            format!(
                "the first line declares a message of {count} bytes, but {problem}; a message \
                 cut at the wrong place would look altered, so it was not analyzed"
            ),
        )));
    }
    Ok(Ok(message))
}

/// Why the declared count does not end the message where Mail ends it:
/// the bytes after it must be the plist (after line breaks, which only a
/// count short by the message's trailing line breaks leaves, and which
/// DKIM's body canonicalizations ignore), or nothing; and the message must
/// not end with the plist itself.
fn count_problem(message: &[u8], tail: &[u8], at_end: bool) -> Option<&'static str> {
    let after = match tail.iter().position(|b| !matches!(b, b'\r' | b'\n')) {
        Some(at) => &tail[at..],
        // Only line breaks: the end of the file, or more of them than the
        // window holds before whatever comes next.
        None => &[][..],
    };
    if !after.is_empty() {
        let plist = PLIST_STARTS.iter().any(|start| {
            let n = start.len().min(after.len());
            // A file that ends inside the plist's first word still has
            // its message whole.
            after[..n].eq_ignore_ascii_case(&start[..n]) && (n == start.len() || at_end)
        });
        if !plist {
            return Some("the bytes after it are not the start of Mail's plist");
        }
    } else if message.trim_ascii_end().ends_with(b"</plist>") {
        return Some("the message it delimits ends with Mail's plist");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLIST: &[u8] = b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE plist PUBLIC \
        \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n\
        <plist version=\"1.0\">\n<dict>\n\t<key>flags</key>\n\t<integer>8590195713</integer>\n\
        </dict>\n</plist>\n";

    fn emlx(count_line: &str, message: &[u8], tail: &[u8]) -> Vec<u8> {
        [count_line.as_bytes(), message, tail].concat()
    }

    /// Reads one byte at a time, so no read sees the whole count line.
    struct Trickle<'a>(&'a [u8]);

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = buf.len().min(self.0.len()).min(1);
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    fn read_all(bytes: &[u8], max: u64) -> Outcome {
        let by_block = read(&mut &bytes[..], max, Some(bytes.len() as u64)).unwrap();
        let by_byte = read(&mut Trickle(bytes), max, None).unwrap();
        assert_eq!(by_block, by_byte);
        by_block
    }

    #[test]
    fn count_lines_as_mail_and_others_write_them() {
        assert_eq!(
            count_line(b"622       \nFrom: a"),
            Some((622, &b"From: a"[..]))
        );
        assert_eq!(count_line(b"3685\nX"), Some((3685, &b"X"[..])));
        assert_eq!(count_line(b"   42\n"), Some((42, &b""[..])));
        assert_eq!(
            count_line(b"999999999999\n"),
            Some((999_999_999_999, &b""[..]))
        );
        for bad in [
            &b"1234567890123\n"[..],
            b"\n",
            b"   \n",
            b"12 34\n",
            b"12\r\n",
            b"+12\n",
            b"12",
            b"From: a\n",
            b"                                12\n",
        ] {
            assert_eq!(count_line(bad), None, "{:?}", String::from_utf8_lossy(bad));
        }
    }

    #[test]
    fn the_message_is_the_slice_between_count_and_plist() {
        let message = b"From: a@example.org\nSubject: hi\n\nbody\n";
        let file = emlx(&format!("{:<10}\n", message.len()), message, PLIST);
        assert_eq!(read_all(&file, 1 << 20), Ok(message.to_vec()));
        // No plist, or a message without a final line break.
        let file = emlx(&format!("{}\n", message.len()), message, b"");
        assert_eq!(read_all(&file, 1 << 20), Ok(message.to_vec()));
        let bare = b"From: a@example.org\n\nno final line break";
        let file = emlx(&format!("{}\n", bare.len()), bare, PLIST);
        assert_eq!(read_all(&file, 1 << 20), Ok(bare.to_vec()));
    }

    #[test]
    fn a_count_short_by_trailing_line_breaks_still_reads() {
        let message = b"From: a@example.org\n\nbody\n\n";
        let file = emlx(&format!("{}\n", message.len() - 2), message, PLIST);
        assert_eq!(
            read_all(&file, 1 << 20),
            Ok(message[..message.len() - 2].to_vec())
        );
    }

    #[test]
    fn damaged_counts_are_reported_not_guessed() {
        let message = b"From: a@example.org\n\nbody line\n";
        let code = |file: &[u8], max| read_all(file, max).map_err(|(code, _)| code);
        // Truncated: the file ends inside the message.
        let file = emlx(&format!("{}\n", message.len() + 500), message, b"");
        assert_eq!(code(&file, 1 << 20), Err(codes::EMLX_TRUNCATED));
        // Short by trailing spaces, which a signature does not ignore.
        let spaced = b"From: a@example.org\n\nbody line  ";
        let file = emlx(&format!("{}\n", spaced.len() - 2), spaced, PLIST);
        assert_eq!(code(&file, 1 << 20), Err(codes::EMLX_COUNT_MISMATCH));
        // Short: the count ends inside the body.
        let file = emlx(&format!("{}\n", message.len() - 6), message, PLIST);
        assert_eq!(code(&file, 1 << 20), Err(codes::EMLX_COUNT_MISMATCH));
        // Long: the count runs into the plist, or swallows it whole.
        let file = emlx(&format!("{}\n", message.len() + 10), message, PLIST);
        assert_eq!(code(&file, 1 << 20), Err(codes::EMLX_COUNT_MISMATCH));
        let file = emlx(
            &format!("{}\n", message.len() + PLIST.len()),
            message,
            PLIST,
        );
        assert_eq!(code(&file, 1 << 20), Err(codes::EMLX_COUNT_MISMATCH));
        // Absurd, and empty.
        let file = emlx("999999999999\n", message, PLIST);
        assert_eq!(code(&file, 1 << 20), Err(codes::ITEM_TOO_LARGE));
        let file = emlx(&format!("{}\n", message.len()), message, PLIST);
        assert_eq!(code(&file, 10), Err(codes::ITEM_TOO_LARGE));
        let file = emlx("0\n", b"", PLIST);
        assert_eq!(code(&file, 1 << 20), Err(codes::EMPTY_MESSAGE));
        // Not a count at all.
        assert_eq!(code(b"From: a\n", 1 << 20), Err(codes::EMLX_COUNT_MISMATCH));
    }

    #[test]
    fn a_file_ending_inside_the_plist_keeps_its_message() {
        let message = b"From: a@example.org\n\nbody\n";
        let file = emlx(&format!("{}\n", message.len()), message, b"<?x");
        assert_eq!(read_all(&file, 1 << 20), Ok(message.to_vec()));
        // But a short look-alike inside a longer tail is not a plist.
        let file = emlx(
            &format!("{}\n", message.len()),
            message,
            &[b"<?x".as_slice(), &[b'y'; 100]].concat(),
        );
        assert!(read_all(&file, 1 << 20).is_err());
    }
}
