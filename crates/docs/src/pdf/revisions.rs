//! Revisions by our own scan of the bytes for `startxref <offset> %%EOF`.
//!
//! Why not ask the PDF library: a parser resolves the document to its final
//! state (every later cross-reference section overrides the earlier ones)
//! and gives no account of the states it walked through, nor of where each
//! ended. An incremental update appends its objects, cross-reference section
//! and trailer after the previous `%%EOF`, so the file cut after each
//! revision's `%%EOF` line *is* the document as it was then. This scan needs
//! no parser, so it still reports on files the parser refuses.

use memchr::memmem;

/// Every byte the PDF syntax counts as white space (ISO 32000-1, 7.2.2).
pub(crate) fn is_white(byte: u8) -> bool {
    matches!(byte, b'\0' | b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

/// One `%%EOF` that closes a revision.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Marker {
    /// 1 for the original, counting up.
    pub number: u32,
    /// Where `%%EOF` starts.
    pub eof: usize,
    /// Just past the `%%EOF` line: `bytes[..end]` is the revision.
    pub end: usize,
    /// The `startxref` value: where this revision's cross-reference data is.
    pub startxref: u64,
}

#[derive(Debug, Default)]
pub(crate) struct Scan {
    /// Revisions found, exact however many there are.
    pub count: u32,
    /// The first markers (up to the listing bound) and always the last
    /// two, which the analysis of the last update needs: a 100 MB file of
    /// `startxref 1 %%EOF` must not cost a vector of millions.
    pub kept: Vec<Marker>,
    /// Bytes after the last `%%EOF` line.
    pub tail: usize,
    /// Those bytes hold objects or a cross-reference section: an update
    /// that was cut before its `%%EOF` (a truncated file).
    pub unfinished_tail: bool,
}

impl Scan {
    pub fn last(&self) -> Option<&Marker> {
        self.kept.last()
    }

    /// The revision before the last, when there is one.
    pub fn before_last(&self) -> Option<&Marker> {
        let n = self.kept.len();
        (n >= 2 && self.kept[n - 2].number + 1 == self.kept[n - 1].number)
            .then(|| &self.kept[n - 2])
    }
}

/// `%PDF-1.7` → `1.7`, from the header in the first KB (where detection
/// found it; some writers put junk before it).
pub(crate) fn header_version(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(1024)];
    let at = memmem::find(head, b"%PDF-")? + 5;
    let version: String = head[at..]
        .iter()
        .take(8)
        .take_while(|b| b.is_ascii_digit() || **b == b'.')
        .map(|&b| b as char)
        .collect();
    (!version.is_empty()).then_some(version)
}

/// Finds the revisions of `bytes`, keeping the first `keep_first` markers
/// (and the last two) by position. Linear in the file: one pass for the
/// markers, one for the `stream` keywords, each step bounded.
pub(crate) fn scan(bytes: &[u8], keep_first: usize) -> Scan {
    let mut out = Scan::default();
    let mut streams = StreamKeywords::new(bytes);
    let mut last_two: [Option<Marker>; 2] = [None, None];
    for eof in memmem::find_iter(bytes, b"%%EOF") {
        let Some(startxref) = startxref_before(bytes, eof) else {
            continue;
        };
        // A linearized file's first-page trailer ends `startxref 0 %%EOF`
        // (ISO 32000-1, F.3.2): not an edit, and no real cross-reference
        // section sits at offset 0, where the header is.
        if startxref == 0 {
            continue;
        }
        // An uncompressed PDF embedded in a stream has its own markers.
        if streams.inside_stream(eof) {
            continue;
        }
        out.count = out.count.saturating_add(1);
        let marker = Marker {
            number: out.count,
            eof,
            end: end_of_line(bytes, eof + 5),
            startxref,
        };
        if out.kept.len() < keep_first {
            out.kept.push(marker);
        }
        last_two = [last_two[1], Some(marker)];
    }
    for marker in last_two.into_iter().flatten() {
        if out
            .kept
            .last()
            .is_none_or(|kept| kept.number < marker.number)
        {
            out.kept.push(marker);
        }
    }
    let tail_start = out.kept.last().map_or(0, |m| m.end);
    let tail = &bytes[tail_start.min(bytes.len())..];
    out.tail = tail.len();
    out.unfinished_tail = [&b" obj"[..], b"xref", b"trailer", b"startxref"]
        .iter()
        .any(|word| memmem::find(tail, word).is_some());
    out
}

/// The offset of `startxref <offset>` right before the `%%EOF` at `eof`,
/// with any white space (CR, LF, spaces, NULs) around the number. Looks back
/// a bounded distance so a run of markers costs linear time.
fn startxref_before(bytes: &[u8], eof: usize) -> Option<u64> {
    const MAX_GAP: usize = 64;
    let mut i = eof;
    let skip_white = |i: &mut usize| {
        let stop = i.saturating_sub(MAX_GAP);
        while *i > stop && is_white(bytes[*i - 1]) {
            *i -= 1;
        }
    };
    skip_white(&mut i);
    let digits_end = i;
    while i > 0 && digits_end - i < 20 && bytes[i - 1].is_ascii_digit() {
        i -= 1;
    }
    if i == digits_end {
        return None;
    }
    let digits = &bytes[i..digits_end];
    let white_end = i;
    skip_white(&mut i);
    if i == white_end || i < 9 || &bytes[i - 9..i] != b"startxref" {
        return None;
    }
    Some(digits.iter().fold(0u64, |n, d| {
        n.saturating_mul(10).saturating_add(u64::from(d - b'0'))
    }))
}

/// Past `%%EOF`: spaces or tabs that some writers leave, then one end of
/// line (CR, LF or CRLF). Nothing else is eaten: what follows belongs to
/// the next revision.
fn end_of_line(bytes: &[u8], mut i: usize) -> usize {
    let start = i;
    while i < bytes.len() && i - start < 64 && matches!(bytes[i], b' ' | b'\t') {
        i += 1;
    }
    match bytes.get(i) {
        Some(b'\r') if bytes.get(i + 1) == Some(&b'\n') => i + 2,
        Some(b'\r' | b'\n') => i + 1,
        _ => start,
    }
}

/// Walks the `stream` / `endstream` keywords alongside the markers, to tell
/// a marker inside stream data from one between objects. A marker counts as
/// inside only when a `stream` opened before it and an `endstream` closes
/// after it, so an unclosed stream (a damaged file) does not hide the
/// markers after it.
struct StreamKeywords<'a> {
    bytes: &'a [u8],
    hits: std::iter::Peekable<memmem::FindIter<'a, 'static>>,
    /// Whether the last keyword before the current position opened a stream.
    open: bool,
}

impl<'a> StreamKeywords<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        StreamKeywords {
            bytes,
            hits: memmem::find_iter(bytes, b"stream").peekable(),
            open: false,
        }
    }

    fn is_end(&self, at: usize) -> bool {
        at >= 3 && &self.bytes[at - 3..at] == b"end"
    }

    fn inside_stream(&mut self, pos: usize) -> bool {
        while let Some(&at) = self.hits.peek() {
            if at > pos {
                break;
            }
            self.open = !self.is_end(at);
            self.hits.next();
        }
        match self.hits.peek() {
            Some(&next) => self.open && self.is_end(next),
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tolerates_line_ends_and_spaces() {
        let file = b"%PDF-1.4\nx\nstartxref\r\n12\r\n%%EOF\r\nmore\nstartxref 40 %%EOF  \n\0\0";
        let scan = scan(file, 10);
        assert_eq!(scan.count, 2);
        assert_eq!(scan.kept[0].startxref, 12);
        assert_eq!(&file[..scan.kept[0].end], &file[..33]);
        assert!(file[..scan.kept[0].end].ends_with(b"%%EOF\r\n"));
        assert!(file[..scan.kept[1].end].ends_with(b"%%EOF  \n"));
        assert_eq!(scan.tail, 2);
        assert!(!scan.unfinished_tail);
    }

    #[test]
    fn skips_markers_without_startxref_and_linearization() {
        let file = b"%PDF-1.4\n%%EOF\nstartxref\n0\n%%EOF\nstartxref\n9\n%%EOF\n";
        assert_eq!(scan(file, 10).count, 1);
    }

    #[test]
    fn skips_markers_inside_streams() {
        let file = b"%PDF-1.4\n1 0 obj<</Length 30>>stream\nstartxref\n5\n%%EOF\nendstream endobj\nstartxref\n9\n%%EOF\n";
        let scan = scan(file, 10);
        assert_eq!(scan.count, 1);
        assert_eq!(scan.kept[0].startxref, 9);
    }

    #[test]
    fn keeps_first_and_last_two() {
        let mut file = b"%PDF-1.4\n".to_vec();
        for i in 1..=50 {
            file.extend_from_slice(format!("startxref\n{i}\n%%EOF\n").as_bytes());
        }
        let scan = scan(&file, 5);
        assert_eq!(scan.count, 50);
        let numbers: Vec<u32> = scan.kept.iter().map(|m| m.number).collect();
        assert_eq!(numbers, [1, 2, 3, 4, 5, 49, 50]);
        assert_eq!(scan.before_last().map(|m| m.number), Some(49));
    }

    #[test]
    fn unfinished_update_is_seen() {
        let file = b"%PDF-1.4\nstartxref\n9\n%%EOF\n3 0 obj\n<</A 1";
        let scan = scan(file, 10);
        assert_eq!(scan.count, 1);
        assert!(scan.unfinished_tail);
    }

    #[test]
    fn version() {
        assert_eq!(header_version(b"junk%PDF-1.7\n").as_deref(), Some("1.7"));
        assert_eq!(header_version(b"nothing"), None);
    }
}
