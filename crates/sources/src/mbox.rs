//! Cutting an mbox into messages, streaming.
//!
//! A separator is a line starting `From ` at the start of the stream or right
//! after an empty line (mboxo and mboxrd agree on that; they differ only in
//! how body lines are escaped, which is left alone: items are the bytes as
//! stored, and un-escaping is the analyzers' reported repair). The separator
//! line is not part of the message, and the one empty line the writer put
//! before the next separator is dropped.
//!
//! The stream is read in large blocks and searched for `\nFrom ` rather than
//! walked line by line, and each message is copied out of the block once, at
//! its final size: looking at every line and growing each message line by
//! line was a third of the walking thread's time. A message over the item
//! limit stops being kept the moment it crosses it, so memory stays bounded
//! by the limit whatever the lines look like.

use std::io::{self, Read};

use memchr::{memchr, memmem};

/// Bytes asked of the reader at a time.
const READ: usize = 256 * 1024;
/// A message is handed on once its next separator line has been read to its
/// end, or this far when it is longer: a message is complete only when the
/// separator after it is (see [`split`]).
const SEPARATOR_SEEN: u64 = 64 * 1024;

/// One message cut from the mbox; `offset` is where its `From ` line starts.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Cut {
    Message { offset: u64, bytes: Vec<u8> },
    TooLarge { offset: u64, len: u64 },
    Empty { offset: u64 },
}

/// A separator line: where it starts, and the length of the empty line
/// before it (which ends the previous message, and is not part of it).
struct Separator {
    offset: u64,
    empty_line: u64,
}

/// Bytes kept before the first offset a caller still needs: whether a line
/// is empty is told by the bytes before its LF.
const HISTORY: u64 = 8;

/// A window on the stream: `buf[..filled]` holds its bytes from offset
/// `base` on. `buf` stays initialised to its full length, so reading into
/// it never clears memory first.
struct Window<'r> {
    reader: &'r mut dyn Read,
    buf: Vec<u8>,
    filled: usize,
    base: u64,
    eof: bool,
}

impl Window<'_> {
    fn end(&self) -> u64 {
        self.base + self.filled as u64
    }

    fn at(&self, offset: u64) -> u8 {
        self.buf[(offset - self.base) as usize]
    }

    /// The bytes from `offset` to the end of what has been read.
    fn from(&self, offset: u64) -> &[u8] {
        &self.buf[(offset - self.base) as usize..self.filled]
    }

    /// Reads more, no longer keeping what comes more than [`HISTORY`]
    /// bytes before `keep` (an offset). Returns false at the end of the
    /// stream.
    fn more(&mut self, keep: u64) -> io::Result<bool> {
        if self.eof {
            return Ok(false);
        }
        if self.buf.len() - self.filled < READ {
            let drop =
                (keep.saturating_sub(HISTORY).saturating_sub(self.base) as usize).min(self.filled);
            self.buf.copy_within(drop..self.filled, 0);
            self.filled -= drop;
            self.base += drop as u64;
            if self.buf.len() > 4 * READ && self.filled <= READ {
                // A large message is gone: give its room back.
                self.buf.truncate(2 * READ);
                self.buf.shrink_to_fit();
            }
            if self.buf.len() - self.filled < READ {
                self.buf.resize(self.filled + READ, 0);
            }
        }
        let read = loop {
            match self.reader.read(&mut self.buf[self.filled..]) {
                Ok(n) => break n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        };
        self.filled += read;
        self.eof = read == 0;
        Ok(!self.eof)
    }

    /// Length of the line ending at the LF at `lf` if that line is empty
    /// (`\n` or `\r\n` at a line start), else 0.
    fn empty_line_ending_at(&self, lf: u64) -> u64 {
        let line_start = |at: u64| at == 0 || self.at(at - 1) == b'\n';
        if line_start(lf) {
            1
        } else if self.at(lf - 1) == b'\r' && line_start(lf - 1) {
            2
        } else {
            0
        }
    }

    /// The next separator line starting at or after `from` (a line start),
    /// or `None` at the end of the stream. The bytes from `message` on are
    /// kept until there are more than `keep_limit` of them; then `message`
    /// becomes `None`.
    fn next_separator(
        &mut self,
        from: u64,
        message: &mut Option<u64>,
        keep_limit: u64,
    ) -> io::Result<Option<Separator>> {
        if from == 0 {
            while self.filled < 5 && self.more(0)? {}
            if self.from(0).starts_with(b"From ") {
                return Ok(Some(Separator {
                    offset: 0,
                    empty_line: 0,
                }));
            }
        }
        // `\nFrom ` at `lf` is a separator at `lf + 1` after an empty line.
        let mut search = from.max(1) - 1;
        loop {
            match memmem::find(self.from(search), b"\nFrom ") {
                Some(at) => {
                    let lf = search + at as u64;
                    let empty_line = self.empty_line_ending_at(lf);
                    if empty_line > 0 {
                        return Ok(Some(Separator {
                            offset: lf + 1,
                            empty_line,
                        }));
                    }
                    search = lf + 1;
                }
                None => {
                    // The last five bytes may begin a match the next read ends.
                    search = search.max(self.end().saturating_sub(5));
                    if message.is_some_and(|start| self.end() - start > keep_limit) {
                        *message = None;
                    }
                    if !self.more(message.unwrap_or(search))? {
                        return Ok(None);
                    }
                }
            }
        }
    }

    /// Where the line starting at `start` ends (after its LF); `None` when
    /// the stream ends first.
    fn line_end(&mut self, start: u64) -> io::Result<Option<u64>> {
        let mut search = start;
        loop {
            if let Some(at) = memchr(b'\n', self.from(search)) {
                return Ok(Some(search + at as u64 + 1));
            }
            search = self.end();
            if !self.more(search)? {
                return Ok(None);
            }
        }
    }

    /// Reads the line starting at `start` to its LF, or [`SEPARATOR_SEEN`]
    /// bytes of it, or to the end of the stream, keeping what comes from
    /// `keep` on.
    fn see_line(&mut self, start: u64, keep: u64) -> io::Result<()> {
        while self.end() - start < SEPARATOR_SEEN && memchr(b'\n', self.from(start)).is_none() {
            if !self.more(keep)? {
                break;
            }
        }
        Ok(())
    }
}

/// Splits `reader` and hands every message to `on` as soon as it ends.
/// An error leaves the message being read unreported: it is incomplete, and
/// a message counts as ended only once the separator line after it has been
/// read (to its end, or its first 64 KiB).
pub(crate) fn split(
    reader: &mut dyn Read,
    max_item_bytes: u64,
    on: &mut dyn FnMut(Cut),
) -> io::Result<()> {
    let mut window = Window {
        reader,
        buf: vec![0; 2 * READ],
        filled: 0,
        base: 0,
        eof: false,
    };
    // Until what was read of a message is longer than the limit by more than
    // the empty line that will be stripped and the start of the separator
    // after it (`\r\n` and `\nFrom`), it may still fit.
    let keep_limit = max_item_bytes.saturating_add(7);
    let mut separator = window.next_separator(0, &mut None, keep_limit)?;
    while let Some(Separator { offset, .. }) = separator {
        let Some(start) = window.line_end(offset)? else {
            on(Cut::Empty { offset });
            break;
        };
        let mut kept = Some(start);
        let next = window.next_separator(start, &mut kept, keep_limit)?;
        let end = match &next {
            Some(next) => {
                window.see_line(next.offset, kept.unwrap_or(next.offset))?;
                next.offset - next.empty_line
            }
            None => {
                let end = window.end();
                let last_empty = if end > start && window.at(end - 1) == b'\n' {
                    window.empty_line_ending_at(end - 1)
                } else {
                    0
                };
                end - last_empty
            }
        };
        let len = end.saturating_sub(start);
        on(if len > max_item_bytes || kept.is_none() {
            Cut::TooLarge { offset, len }
        } else if len == 0 {
            Cut::Empty { offset }
        } else {
            let at = (start - window.base) as usize;
            Cut::Message {
                offset,
                bytes: window.buf[at..at + len as usize].to_vec(),
            }
        });
        separator = next;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads at most `chunk` bytes at a time, so that lines and separators
    /// straddle reads.
    struct Trickle<'a> {
        input: &'a [u8],
        chunk: usize,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.chunk.min(buf.len()).min(self.input.len());
            buf[..n].copy_from_slice(&self.input[..n]);
            self.input = &self.input[n..];
            Ok(n)
        }
    }

    fn cuts_read_by(input: &[u8], max: u64, chunk: usize) -> Vec<Cut> {
        let mut out = Vec::new();
        let mut reader = Trickle { input, chunk };
        split(&mut reader, max, &mut |c| out.push(c)).unwrap();
        out
    }

    fn cuts(input: &[u8], max: u64) -> Vec<Cut> {
        cuts_read_by(input, max, 3)
    }

    /// The line-by-line splitter tamis used before, kept as the oracle the
    /// block splitter is checked against.
    mod previous {
        use super::super::Cut;
        use memchr::memchr;
        use std::io::{self, BufRead};

        const PIECE: usize = 64 * 1024;

        struct Pending {
            offset: u64,
            bytes: Vec<u8>,
            len: u64,
            kept: bool,
        }

        /// Splits `reader` and hands every message to `on` as soon as it ends.
        /// An error leaves the message being read unreported: it is incomplete.
        pub(super) fn split(
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
                let starts_message = at_line_start
                    && piece.starts_with(b"From ")
                    && (pos == 0 || empty_line_before > 0);
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
    }

    /// Fails with an error once `fail_at` bytes have been read.
    struct Failing<'a> {
        input: &'a [u8],
        chunk: usize,
        fail_at: usize,
        read: usize,
    }

    impl Read for Failing<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if self.read >= self.fail_at {
                return Err(io::Error::other("damaged"));
            }
            let n = self
                .chunk
                .min(buf.len())
                .min(self.input.len() - self.read)
                .min(self.fail_at - self.read);
            buf[..n].copy_from_slice(&self.input[self.read..self.read + n]);
            self.read += n;
            Ok(n)
        }
    }

    #[test]
    fn large_mboxes_cut_as_the_line_by_line_splitter_cuts_them() {
        // Messages around and over the read size, so the window compacts,
        // grows and shrinks, with separators straddling every read.
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut input = Vec::new();
        for i in 0..40 {
            input
                .extend_from_slice(format!("From sender{i} Mon Jan  1 00:00:00 2018\n").as_bytes());
            let len = match next() % 4 {
                0 => (next() % 100) as usize,
                1 => (next() % 20_000) as usize,
                2 => READ - 50 + (next() % 100) as usize,
                _ => (next() % (3 * READ as u64)) as usize,
            };
            let line = if i % 3 == 0 {
                &b"a line\r\n"[..]
            } else {
                b"a line, longer than that\n"
            };
            input.extend(line.iter().copied().cycle().take(len));
            input.extend_from_slice(if i % 5 == 0 { b"\r\n\r\n" } else { b"\n\n" });
        }
        for (max, chunk) in [
            (1 << 30, 7),
            (10, 4096),
            (30_000, 100_000),
            (READ as u64, 1 << 20),
            (1 << 30, 4096),
        ] {
            let mut expected = Vec::new();
            let mut reader = io::BufReader::with_capacity(chunk, &input[..]);
            previous::split(&mut reader, max, &mut |c| expected.push(c)).unwrap();
            let got = cuts_read_by(&input, max, chunk);
            assert_eq!(got.len(), expected.len(), "max {max} chunk {chunk}");
            assert!(got == expected, "max {max} chunk {chunk}");
        }
    }

    #[test]
    fn cuts_are_those_of_the_line_by_line_splitter() {
        const TOKENS: &[&[u8]] = &[
            b"From ",
            b"From x\n",
            b"\n",
            b"\r\n",
            b"\r",
            b"x",
            b"Subject: y\n",
            b">From ",
            b"\n\nFrom a\n",
            b"\r\n\r\nFrom b\r\n",
            b"\n\n",
            b" ",
        ];
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for round in 0..30_000 {
            let tokens = (next() % 24) as usize;
            let input: Vec<u8> = (0..tokens)
                .flat_map(|_| {
                    TOKENS[(next() % TOKENS.len() as u64) as usize]
                        .iter()
                        .copied()
                })
                .collect();
            let max = [0, 1, 3, 8, 30, 1000][(next() % 6) as usize];
            let chunk = 1 + (next() % 9) as usize;
            let mut expected = Vec::new();
            let mut reader = io::BufReader::with_capacity(chunk, &input[..]);
            previous::split(&mut reader, max, &mut |c| expected.push(c)).unwrap();
            assert_eq!(
                cuts_read_by(&input, max, chunk),
                expected,
                "round {round}: {:?} max {max}",
                String::from_utf8_lossy(&input)
            );
            // Damage: what was handed on before the error is the same.
            let fail_at = (next() as usize) % (input.len() + 1);
            let mut expected = Vec::new();
            let mut reader = io::BufReader::with_capacity(
                chunk,
                Failing {
                    input: &input,
                    chunk,
                    fail_at,
                    read: 0,
                },
            );
            let old = previous::split(&mut reader, max, &mut |c| expected.push(c));
            let mut got = Vec::new();
            let mut reader = Failing {
                input: &input,
                chunk,
                fail_at,
                read: 0,
            };
            let new = split(&mut reader, max, &mut |c| got.push(c));
            assert_eq!(old.is_ok(), new.is_ok(), "round {round}");
            assert_eq!(
                got,
                expected,
                "round {round}, failing at {fail_at}: {:?}",
                String::from_utf8_lossy(&input)
            );
        }
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
