//! Readers that bound a stream and say whose fault an I/O error is.
//!
//! Containers nest as a stack of readers (a tar entry reads a gzip decoder
//! that reads a file). When a read fails deep in a child, the fault may lie
//! in any layer above it: a truncated gzip makes the tar entry, the mbox in
//! it and the message being cut all fail at once. Each layer wraps its
//! stream in a [`Guarded`] reader that stamps untagged errors with its own
//! layer id, so the error travels up (`?`) to exactly the layer that owns it,
//! which reports it once and lets its parent carry on.

use std::cell::Cell;
use std::error::Error;
use std::fmt;
use std::io::{self, Read, Seek, SeekFrom};
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use crate::codes;

/// Identifies one layer of the reader stack for the duration of a walk.
pub(crate) type LayerId = u64;

/// An I/O error attributed to a layer, with the stable code it is reported under.
#[derive(Debug)]
pub(crate) struct Tagged {
    pub layer: LayerId,
    pub code: &'static str,
    pub detail: String,
}

impl fmt::Display for Tagged {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.detail)
    }
}

impl Error for Tagged {}

pub(crate) fn tagged(layer: LayerId, code: &'static str, detail: String) -> io::Error {
    io::Error::other(Tagged {
        layer,
        code,
        detail,
    })
}

/// Finds the tag in an error, looking through the wrappers that tar and zip
/// put around the errors of the reader they were given.
pub(crate) fn tag_of(error: &io::Error) -> Option<&Tagged> {
    let mut current: Option<&(dyn Error + 'static)> = error.get_ref().map(|e| e as _);
    while let Some(e) = current {
        if let Some(tag) = e.downcast_ref::<Tagged>() {
            return Some(tag);
        }
        current = match e.downcast_ref::<io::Error>() {
            Some(io) => io.get_ref().map(|e| e as _),
            None => e.source(),
        };
    }
    None
}

/// Output caps on a decompressed stream. `None` fields are not enforced.
pub(crate) struct Caps {
    /// Most bytes this one stream may yield; over it is `over_code`.
    pub max_out: Option<(u64, &'static str)>,
    /// Compressed bytes consumed so far (shared with a counter under the
    /// decoder, or fixed to an entry's compressed size) for the ratio check.
    pub compressed_in: Option<Rc<Cell<u64>>>,
    pub max_ratio: u64,
    pub ratio_slack: u64,
    /// Expansion budget left for the whole top-level file, shared by every
    /// decompressor under it.
    pub budget: Option<Rc<Cell<u64>>>,
}

impl Caps {
    pub fn none() -> Self {
        Caps {
            max_out: None,
            compressed_in: None,
            max_ratio: 0,
            ratio_slack: 0,
            budget: None,
        }
    }
}

/// One layer's view of its stream: tags errors, checks an exact declared
/// length (tar entries) and enforces the output caps while reading, so
/// nothing is ever sized from a header.
pub(crate) struct Guarded<R> {
    inner: R,
    layer: LayerId,
    error_code: fn(&io::Error) -> &'static str,
    expect_len: Option<u64>,
    caps: Caps,
    out: u64,
}

impl<R: Read> Guarded<R> {
    pub fn new(inner: R, layer: LayerId, error_code: fn(&io::Error) -> &'static str) -> Self {
        Guarded {
            inner,
            layer,
            error_code,
            expect_len: None,
            caps: Caps::none(),
            out: 0,
        }
    }

    pub fn expect_len(mut self, len: u64) -> Self {
        self.expect_len = Some(len);
        self
    }

    pub fn caps(mut self, caps: Caps) -> Self {
        self.caps = caps;
        self
    }

    pub fn bytes_out(&self) -> u64 {
        self.out
    }

    pub fn get_ref(&self) -> &R {
        &self.inner
    }

    fn check_caps(&self, n: u64) -> io::Result<()> {
        let out = self.out + n;
        if let Some((max, code)) = self.caps.max_out {
            if out > max {
                return Err(tagged(
                    self.layer,
                    code,
                    format!("decompresses to more than {max} bytes"),
                ));
            }
        }
        if let Some(compressed) = &self.caps.compressed_in {
            let allowed = compressed
                .get()
                .saturating_mul(self.caps.max_ratio)
                .saturating_add(self.caps.ratio_slack);
            if out > allowed {
                return Err(tagged(
                    self.layer,
                    codes::ARCHIVE_BOMB,
                    format!(
                        "{out} bytes came out of {} compressed bytes, over the {}:1 ratio cap",
                        compressed.get(),
                        self.caps.max_ratio
                    ),
                ));
            }
        }
        if let Some(budget) = &self.caps.budget {
            if n > budget.get() {
                budget.set(0);
                return Err(tagged(
                    self.layer,
                    codes::ARCHIVE_BOMB,
                    "the top-level file expands past max_archive_expanded_bytes".to_string(),
                ));
            }
            budget.set(budget.get() - n);
        }
        Ok(())
    }
}

impl<R: Read> Read for Guarded<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = match self.inner.read(buf) {
            Ok(n) => n,
            Err(e) if tag_of(&e).is_some() => return Err(e),
            Err(e) => {
                let code = (self.error_code)(&e);
                return Err(tagged(self.layer, code, e.to_string()));
            }
        };
        if n == 0 {
            if let Some(len) = self.expect_len.filter(|&len| self.out < len) {
                return Err(tagged(
                    self.layer,
                    codes::ARCHIVE_TRUNCATED,
                    format!("ends after {} of {len} declared bytes", self.out),
                ));
            }
            return Ok(0);
        }
        self.check_caps(n as u64)?;
        self.out += n as u64;
        Ok(n)
    }
}

/// Seeking is passed through for top-level zips; a guard with a declared
/// length or caps is never seeked, so `out` tracking the position is enough.
impl<R: Read + Seek> Seek for Guarded<R> {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        match self.inner.seek(to) {
            Ok(pos) => {
                self.out = pos;
                Ok(pos)
            }
            Err(e) => {
                let code = (self.error_code)(&e);
                Err(tagged(self.layer, code, e.to_string()))
            }
        }
    }
}

/// Counts the bytes a decompressor pulls from below it, for the ratio check.
pub(crate) struct CountIn<R> {
    pub inner: R,
    pub count: Rc<Cell<u64>>,
}

impl<R: Read> Read for CountIn<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.set(self.count.get() + n as u64);
        Ok(n)
    }
}

impl<R: Seek> Seek for CountIn<R> {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        self.inner.seek(to)
    }
}

/// A top-level file that reports how far it has been read, for the progress
/// counter. Seeks (zip reads its directory at the end first) can make the
/// position jump, so progress is the high-water mark, never past the size.
pub(crate) struct Progress<R> {
    pub inner: R,
    pub pos: u64,
    pub reported: u64,
    pub size: u64,
    pub counter: Arc<AtomicU64>,
}

impl<R> Progress<R> {
    fn advance(&mut self) {
        let mark = self.pos.min(self.size);
        if mark > self.reported {
            self.counter
                .fetch_add(mark - self.reported, Ordering::Relaxed);
            self.reported = mark;
        }
    }

    /// Counts the whole file as consumed, whatever part of it was read.
    pub fn finish(&mut self) {
        self.pos = self.size;
        self.advance();
    }
}

impl<R: Read> Read for Progress<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.pos += n as u64;
        self.advance();
        Ok(n)
    }
}

impl<R: Seek> Seek for Progress<R> {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        self.pos = self.inner.seek(to)?;
        self.advance();
        Ok(self.pos)
    }
}

/// Reads until `buf` is full or the stream ends; returns how much was read.
pub(crate) fn read_up_to(reader: &mut dyn Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match reader.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// Reads at most `max` bytes into memory; `Ok(None)` if the stream is longer.
pub(crate) fn read_capped(reader: &mut dyn Read, max: u64) -> io::Result<Option<Vec<u8>>> {
    read_capped_sized(reader, max, 0)
}

/// [`read_capped`] into room for `expected` bytes (at most `max`): growing
/// the buffer as a file is read cost a copy of every message in maildirs.
pub(crate) fn read_capped_sized(
    reader: &mut dyn Read,
    max: u64,
    expected: u64,
) -> io::Result<Option<Vec<u8>>> {
    let room = usize::try_from(expected.min(max)).unwrap_or(0);
    let mut bytes = Vec::with_capacity(room);
    reader.take(max.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max {
        return Ok(None);
    }
    Ok(Some(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_survive_being_wrapped_by_a_library_error() {
        #[derive(Debug)]
        struct Wrapper(io::Error);
        impl fmt::Display for Wrapper {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "wrapped: {}", self.0)
            }
        }
        impl Error for Wrapper {
            fn source(&self) -> Option<&(dyn Error + 'static)> {
                Some(&self.0)
            }
        }
        let inner = tagged(7, codes::ARCHIVE_TRUNCATED, "short".into());
        let outer = io::Error::other(Wrapper(inner));
        assert_eq!(tag_of(&outer).map(|t| t.layer), Some(7));
    }

    #[test]
    fn exact_length_turns_an_early_end_into_truncation() {
        let mut reader = Guarded::new(&b"abc"[..], 3, |_| codes::READ_ERROR).expect_len(5);
        let mut sink = Vec::new();
        let err = reader.read_to_end(&mut sink).unwrap_err();
        assert_eq!(tag_of(&err).map(|t| t.code), Some(codes::ARCHIVE_TRUNCATED));
    }
}
