//! Bytes of a file as a stream: gzip recognised by its magic bytes, read
//! progress counted on the file's own (compressed) bytes, the head kept for
//! detection, and lines cut into bounded batches.

use memchr::memchr;
use std::fs::File;
use std::io::{self, Cursor, Read};
use std::path::Path;

/// A line (or CSV record) longer than this is skipped as malformed rather
/// than held: no tweet or page comes near it, a runaway quote or a binary
/// file would grow without end.
pub(crate) const MAX_LINE: usize = 16 * 1024 * 1024;

/// How much of the head detection may look at: enough for a CSV header.
const HEAD_MAX: usize = 1024 * 1024;

const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// Counts bytes read from the file and tells `progress` every MiB.
struct Counting<'p, R> {
    inner: R,
    read: u64,
    reported: u64,
    progress: &'p (dyn Fn(u64) + Sync),
}

impl<R: Read> Read for Counting<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        if n == 0 || self.read - self.reported >= 1 << 20 {
            self.reported = self.read;
            (self.progress)(self.read);
        }
        Ok(n)
    }
}

/// An open file: its decoded head (for detection), then the whole decoded
/// stream from the start.
pub(crate) struct Opened<'p> {
    pub gzip: bool,
    pub head: Vec<u8>,
    pub stream: Box<dyn Read + Send + 'p>,
}

pub(crate) fn open<'p>(path: &Path, progress: &'p (dyn Fn(u64) + Sync)) -> io::Result<Opened<'p>> {
    let mut file = Counting {
        inner: File::open(path)?,
        read: 0,
        reported: 0,
        progress,
    };
    let mut magic = Vec::with_capacity(2);
    (&mut file).take(2).read_to_end(&mut magic)?;
    let gzip = magic == GZIP_MAGIC;
    let raw = Cursor::new(magic).chain(file);
    let mut stream: Box<dyn Read + Send + 'p> = if gzip {
        // Multi-member: `cat a.gz b.gz` is a valid gzip file and a common
        // way collections are joined.
        Box::new(flate2::read::MultiGzDecoder::new(raw))
    } else {
        Box::new(raw)
    };
    let head = read_head(&mut stream)?;
    Ok(Opened {
        gzip,
        head: head.clone(),
        stream: Box::new(Cursor::new(head).chain(stream)),
    })
}

/// The first line (up to [`HEAD_MAX`]) and whatever came with it.
fn read_head(stream: &mut impl Read) -> io::Result<Vec<u8>> {
    let mut head = Vec::new();
    let mut chunk = [0u8; 16 * 1024];
    while head.len() < HEAD_MAX {
        let n = stream.read(&mut chunk)?;
        if n == 0 {
            break;
        }
        let seen = head.len();
        head.extend_from_slice(&chunk[..n]);
        if memchr(b'\n', &head[seen..]).is_some() {
            break;
        }
    }
    Ok(head)
}

/// One line of a batch: `buf[start..end]`, without its newline.
#[derive(Clone, Copy, Debug)]
pub(crate) struct LineSpan {
    pub start: usize,
    pub end: usize,
    /// 1-based, in the decoded text.
    pub number: u64,
    /// Over [`MAX_LINE`]: its bytes were dropped (`start == end`).
    pub too_long: bool,
}

/// Several megabytes of whole lines, cut once and handed to parsers
/// together so they can run in parallel.
#[derive(Default)]
pub(crate) struct Batch {
    pub buf: Vec<u8>,
    pub lines: Vec<LineSpan>,
}

impl Batch {
    pub fn line(&self, span: &LineSpan) -> &[u8] {
        self.buf.get(span.start..span.end).unwrap_or_default()
    }
}

/// Cuts a stream into batches of whole lines, never holding more than one
/// line over the batch size, and skips lines over [`MAX_LINE`].
pub(crate) struct Lines<R> {
    inner: R,
    /// The start of a line the previous batch could not finish.
    carry: Vec<u8>,
    next_number: u64,
    /// Inside a line over the limit, dropping bytes until its end.
    skipping: bool,
    eof: bool,
    batch_size: usize,
    max_line: usize,
}

impl<R: Read> Lines<R> {
    pub fn new(inner: R) -> Self {
        Self::with_limits(inner, 4 << 20, MAX_LINE)
    }

    pub fn with_limits(inner: R, batch_size: usize, max_line: usize) -> Self {
        Lines {
            inner,
            carry: Vec::new(),
            next_number: 1,
            skipping: false,
            eof: false,
            batch_size,
            max_line,
        }
    }

    /// Fills `batch` with the next lines; an empty batch means the end.
    pub fn fill(&mut self, batch: &mut Batch) -> io::Result<()> {
        const READ: usize = 256 * 1024;
        batch.lines.clear();
        batch.buf.clear();
        std::mem::swap(&mut batch.buf, &mut self.carry);
        let buf = &mut batch.buf;
        let mut line_start = 0;
        let mut scan = 0;
        loop {
            while let Some(at) = memchr(b'\n', &buf[scan..]) {
                let end = scan + at;
                if self.skipping {
                    self.skipping = false;
                } else {
                    batch.lines.push(LineSpan {
                        start: line_start,
                        end,
                        number: self.next_number,
                        too_long: false,
                    });
                }
                self.next_number += 1;
                line_start = end + 1;
                scan = line_start;
            }
            scan = buf.len();
            if !self.skipping && buf.len() - line_start > self.max_line {
                batch.lines.push(LineSpan {
                    start: line_start,
                    end: line_start,
                    number: self.next_number,
                    too_long: true,
                });
                self.skipping = true;
            }
            if self.skipping {
                buf.truncate(line_start);
                scan = line_start;
            }
            if self.eof {
                if line_start < buf.len() {
                    batch.lines.push(LineSpan {
                        start: line_start,
                        end: buf.len(),
                        number: self.next_number,
                        too_long: false,
                    });
                    self.next_number += 1;
                    line_start = buf.len();
                } else if self.skipping {
                    self.skipping = false;
                    self.next_number += 1;
                }
                break;
            }
            if line_start >= self.batch_size {
                break;
            }
            let filled = buf.len();
            buf.resize(filled + READ, 0);
            match self.inner.read(&mut buf[filled..]) {
                Ok(n) => {
                    buf.truncate(filled + n);
                    self.eof = n == 0;
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => buf.truncate(filled),
                Err(e) => {
                    buf.truncate(filled);
                    return Err(e);
                }
            }
        }
        self.carry.clear();
        self.carry.extend_from_slice(&buf[line_start..]);
        buf.truncate(line_start);
        Ok(())
    }

    /// The number the next line would get: after the end, lines read + 1.
    pub fn next_number(&self) -> u64 {
        self.next_number
    }
}

/// Feeds a CSV parser from a stream while refusing to let one record
/// grow past [`MAX_LINE`]: the CSV reader only stops at a record's end, so
/// the bound has to sit below it. The reader resets `in_record` after each
/// record; past the bound, reads fail and the caller skips to the next
/// line and starts a new CSV reader there.
pub(crate) struct Bounded<R> {
    inner: R,
    pub in_record: usize,
    pub limit: usize,
    /// Newlines handed to the CSV reader: a restart needs the line number.
    pub newlines: u64,
    pub over: bool,
}

impl<R: io::BufRead> Bounded<R> {
    pub fn new(inner: R, limit: usize) -> Self {
        Bounded {
            inner,
            in_record: 0,
            limit,
            newlines: 0,
            over: false,
        }
    }

    /// Drops bytes up to and including the next newline.
    pub fn skip_line(&mut self) -> io::Result<()> {
        loop {
            let buf = self.inner.fill_buf()?;
            if buf.is_empty() {
                return Ok(());
            }
            if let Some(at) = memchr(b'\n', buf) {
                self.inner.consume(at + 1);
                self.newlines += 1;
                return Ok(());
            }
            let n = buf.len();
            self.inner.consume(n);
        }
    }
}

impl<R: io::BufRead> Read for Bounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let room = self.limit.saturating_sub(self.in_record);
        if room == 0 {
            self.over = true;
            return Err(io::Error::other("record over the size limit"));
        }
        let take = buf.len().min(room);
        let n = self.inner.read(&mut buf[..take])?;
        self.in_record += n;
        self.newlines += memchr::memchr_iter(b'\n', &buf[..n]).count() as u64;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all_lines(data: &[u8], batch: usize, max: usize) -> Vec<(u64, String, bool)> {
        let mut lines = Lines::with_limits(data, batch, max);
        let mut out = Vec::new();
        let mut b = Batch::default();
        loop {
            lines.fill(&mut b).unwrap();
            if b.lines.is_empty() {
                break;
            }
            for span in &b.lines {
                out.push((
                    span.number,
                    String::from_utf8_lossy(b.line(span)).into_owned(),
                    span.too_long,
                ));
            }
        }
        out
    }

    #[test]
    fn lines_are_cut_and_numbered() {
        let got = all_lines(b"a\nbb\n\nccc", 2, 100);
        assert_eq!(
            got,
            vec![
                (1, "a".into(), false),
                (2, "bb".into(), false),
                (3, String::new(), false),
                (4, "ccc".into(), false),
            ]
        );
        assert_eq!(all_lines(b"", 2, 100), vec![]);
        assert_eq!(all_lines(b"x\n", 1, 100), vec![(1, "x".into(), false)]);
    }

    #[test]
    fn long_lines_are_skipped_not_held() {
        let mut data = b"ok\n".to_vec();
        data.extend(std::iter::repeat_n(b'x', 1_000_000));
        data.extend(b"\nafter\n");
        data.extend(std::iter::repeat_n(b'y', 1_000_000));
        let got = all_lines(&data, 10, 1000);
        assert_eq!(
            got,
            vec![
                (1, "ok".into(), false),
                (2, String::new(), true),
                (3, "after".into(), false),
                (4, String::new(), true),
            ]
        );
    }

    #[test]
    fn bounded_refuses_past_its_limit() {
        let mut b = Bounded::new(&b"abcdef\nghi\n"[..], 4);
        let mut buf = [0u8; 3];
        assert_eq!(b.read(&mut buf).unwrap(), 3);
        assert_eq!(b.read(&mut buf).unwrap(), 1);
        assert!(b.read(&mut buf).is_err());
        assert!(b.over);
        b.skip_line().unwrap();
        b.in_record = 0;
        assert_eq!(b.read(&mut buf).unwrap(), 3);
        assert_eq!(&buf, b"ghi");
        assert_eq!(b.newlines, 1);
    }
}
