//! Cutting an mbox into messages, streaming.
//!
//! A separator is a line starting `From ` at the start of the stream or right
//! after an empty line (mboxo and mboxrd agree on that; they differ only in
//! how body lines are escaped, which is left alone: items are the bytes as
//! stored, and un-escaping is the analyzers' reported repair). The separator
//! line is not part of the message, and the one empty line the writer put
//! before the next separator is dropped.
//!
//! Lines are read in pieces of at most [`PIECE`] bytes, so a 50 MB line
//! costs no more memory than the message it belongs to, and a message over
//! the item limit stops being kept the moment it crosses it.

use std::io::{self, BufRead};

use memchr::memchr;

const PIECE: usize = 64 * 1024;

/// One message cut from the mbox; `offset` is where its `From ` line starts.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Cut {
    Message { offset: u64, bytes: Vec<u8> },
    TooLarge { offset: u64, len: u64 },
    Empty { offset: u64 },
}

struct Pending {
    offset: u64,
    bytes: Vec<u8>,
    len: u64,
    kept: bool,
}

/// Splits `reader` and hands every message to `on` as soon as it ends.
/// An error leaves the message being read unreported: it is incomplete.
pub(crate) fn split(
    reader: &mut dyn BufRead,
    max_item_bytes: u64,
    on: &mut dyn FnMut(Cut),
) -> io::Result<()> {
    let mut piece = Vec::with_capacity(PIECE);
    let mut pos = 0u64;
    let mut at_line_start = true;
    // Length of the previous line if it was empty ("\n" or "\r\n"), else 0.
    let mut empty_line_before = 0usize;
    let mut in_separator = false;
    let mut current: Option<Pending> = None;
    // Until a message is too large by more than the blank line that is
    // about to be stripped, it may still fit.
    let keep_limit = max_item_bytes.saturating_add(2);

    loop {
        let line_ends = next_piece(reader, &mut piece)?;
        if piece.is_empty() {
            break;
        }
        let starts_message =
            at_line_start && piece.starts_with(b"From ") && (pos == 0 || empty_line_before > 0);
        if starts_message {
            if let Some(done) = current.take() {
                on(finish(done, empty_line_before, max_item_bytes));
            }
            current = Some(Pending {
                offset: pos,
                bytes: Vec::new(),
                len: 0,
                kept: true,
            });
            in_separator = !line_ends;
        } else if in_separator {
            in_separator = !line_ends;
        } else if let Some(message) = current.as_mut() {
            message.len += piece.len() as u64;
            if message.kept && message.len > keep_limit {
                message.kept = false;
                message.bytes = Vec::new();
            }
            if message.kept {
                message.bytes.extend_from_slice(&piece);
            }
        }
        let is_empty_line = at_line_start && (piece == b"\n" || piece == b"\r\n");
        empty_line_before = if is_empty_line && !starts_message {
            piece.len()
        } else {
            0
        };
        at_line_start = line_ends;
        pos += piece.len() as u64;
    }
    if let Some(done) = current {
        on(finish(done, empty_line_before, max_item_bytes));
    }
    Ok(())
}

fn finish(mut message: Pending, trailing_empty_line: usize, max_item_bytes: u64) -> Cut {
    let strip = trailing_empty_line as u64;
    message.len -= strip;
    if message.len > max_item_bytes || !message.kept {
        return Cut::TooLarge {
            offset: message.offset,
            len: message.len,
        };
    }
    message.bytes.truncate(message.len as usize);
    if message.bytes.is_empty() {
        return Cut::Empty {
            offset: message.offset,
        };
    }
    Cut::Message {
        offset: message.offset,
        bytes: message.bytes,
    }
}

/// Reads the rest of the current line into `piece`, up to `PIECE` bytes.
/// Returns whether the piece ends the line (with its `\n`).
fn next_piece(reader: &mut dyn BufRead, piece: &mut Vec<u8>) -> io::Result<bool> {
    piece.clear();
    loop {
        let buf = match reader.fill_buf() {
            Ok(buf) => buf,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if buf.is_empty() {
            return Ok(false);
        }
        let window = &buf[..buf.len().min(PIECE - piece.len())];
        if let Some(i) = memchr(b'\n', window) {
            piece.extend_from_slice(&window[..=i]);
            reader.consume(i + 1);
            return Ok(true);
        }
        let taken = window.len();
        piece.extend_from_slice(window);
        reader.consume(taken);
        if piece.len() == PIECE {
            return Ok(false);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cuts(input: &[u8], max: u64) -> Vec<Cut> {
        let mut out = Vec::new();
        // A tiny buffer so lines and separators straddle refills.
        let mut reader = io::BufReader::with_capacity(3, input);
        split(&mut reader, max, &mut |c| out.push(c)).unwrap();
        out
    }

    #[test]
    fn separators_need_an_empty_line_before_them() {
        let input = b"From a\nX: 1\nFrom b in body\n\nFrom c\r\nY: 2\r\n\r\n";
        assert_eq!(
            cuts(input, 1000),
            vec![
                Cut::Message {
                    offset: 0,
                    bytes: b"X: 1\nFrom b in body\n".to_vec()
                },
                Cut::Message {
                    offset: 28,
                    bytes: b"Y: 2\r\n".to_vec()
                },
            ]
        );
    }

    #[test]
    fn only_one_empty_line_is_stripped() {
        let input = b"From a\nX: 1\n\n\n\nFrom b\nZ\n";
        let got = cuts(input, 1000);
        assert_eq!(
            got[0],
            Cut::Message {
                offset: 0,
                bytes: b"X: 1\n\n\n".to_vec()
            }
        );
        assert_eq!(
            got[1],
            Cut::Message {
                offset: 15,
                bytes: b"Z\n".to_vec()
            }
        );
    }

    #[test]
    fn too_large_and_empty_messages_are_cut_not_kept() {
        let input = b"From a\n0123456789\n\nFrom b\n\nFrom c\nok\n";
        assert_eq!(
            cuts(input, 5),
            vec![
                Cut::TooLarge { offset: 0, len: 11 },
                Cut::Empty { offset: 19 },
                Cut::Message {
                    offset: 27,
                    bytes: b"ok\n".to_vec()
                },
            ]
        );
    }
}
