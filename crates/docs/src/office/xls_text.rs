//! Text of legacy Excel workbooks (MS-XLS): BIFF8 (Excel 97 and later)
//! and BIFF5/7 (Excel 5 and 95). Sheet names (BOUNDSHEET), the shared
//! strings table (SST and its CONTINUE records) and strings written in the
//! cells themselves (LABEL, RSTRING), in the order the stream holds them:
//! sheet names, then the shared strings, then cell strings sheet by sheet.
//! Numbers, formulas and formatting are not read.
//!
//! Our own walk, not calamine: calamine builds whole sheets (cells,
//! numbers, formulas) in memory, where search needs only the strings,
//! bounded and streamed into the text as they are found.

use super::codepage;
use super::{u16_at, u32_at, TextSink};
use crate::{DocumentReport, Options};

const BOF: u16 = 0x0809;
const EOF: u16 = 0x000A;
const FILEPASS: u16 = 0x002F;
const CODEPAGE: u16 = 0x0042;
const BOUNDSHEET: u16 = 0x0085;
const SST: u16 = 0x00FC;
const CONTINUE: u16 = 0x003C;
const LABEL: u16 = 0x0204;
const RSTRING: u16 = 0x00D6;

/// Records looked at. A record takes at least 4 bytes, so the stream's
/// own bound already bounds the walk; this one keeps a 64 MB stream of
/// empty records from costing more than a large real workbook.
const MAX_RECORDS: usize = 4 << 20;

/// A record's type and body.
struct Record<'a> {
    kind: u16,
    data: &'a [u8],
}

/// Why the walk stopped short: a problem code and its words.
type Stop = (&'static str, String);

/// The record at `pos`: `Ok(None)` at the end of the stream, `Err` when
/// its header or its declared length runs past the end.
fn record_at(book: &[u8], pos: usize) -> Result<Option<Record<'_>>, Stop> {
    if pos >= book.len() {
        return Ok(None);
    }
    let (Some(kind), Some(len)) = (u16_at(book, pos), u16_at(book, pos + 2)) else {
        return Err((
            "truncated",
            format!("workbook stream: a record header is cut at offset {pos}"),
        ));
    };
    let start = pos + 4;
    match book.get(start..start + usize::from(len)) {
        Some(data) => Ok(Some(Record { kind, data })),
        None => Err((
            "truncated",
            format!(
                "workbook stream: record 0x{kind:04X} at offset {pos} declares {len} bytes, {} remain",
                book.len() - start.min(book.len())
            ),
        )),
    }
}

/// BIFF8 strings are UTF-16 code units, stored whole or (compressed) as
/// their low bytes only; BIFF5 strings are bytes in the workbook's code
/// page.
#[derive(Clone, Copy, PartialEq)]
enum Biff {
    Five,
    Eight,
}

/// The workbook stream's strings, into the report's text.
pub(crate) fn read(book: &[u8], options: &Options, report: &mut DocumentReport) {
    let mut sink = TextSink::new(options);
    let stopped = walk(book, &mut sink);
    sink.finish(report, options);
    if let Err((code, detail)) = stopped {
        report.problem(code, detail);
    }
}

fn walk(book: &[u8], sink: &mut TextSink) -> Result<(), Stop> {
    let mut pos = 0usize;
    let mut biff = None;
    // BIFF5 strings' code page (CODEPAGE record); Windows Western unless
    // the workbook says otherwise.
    let mut cp = 1252u16;
    // Substreams open (a chart's BOF..EOF may sit inside a sheet's).
    let mut depth = 0usize;
    for _ in 0..MAX_RECORDS {
        if sink.full() {
            return Ok(());
        }
        // Between substreams only a BOF may come: what follows the last
        // one's EOF is padding, not records.
        if depth == 0 && pos > 0 && u16_at(book, pos) != Some(BOF) {
            return Ok(());
        }
        let Some(record) = record_at(book, pos)? else {
            return Ok(());
        };
        let mut next = pos + 4 + record.data.len();
        if record.kind == BOF {
            // This BOF (0x0809) is BIFF5's and later's: 0x0500 says BIFF5
            // or 7, anything else (0x0600) BIFF8.
            biff.get_or_insert(if u16_at(record.data, 0) == Some(0x0500) {
                Biff::Five
            } else {
                Biff::Eight
            });
            depth += 1;
            pos = next;
            continue;
        }
        let Some(biff) = biff.filter(|_| depth > 0) else {
            return Err((
                "malformed",
                "workbook stream does not begin with a BOF record; its text is not read".into(),
            ));
        };
        match record.kind {
            EOF => depth -= 1,
            // The rest is encrypted; ole2.rs says so.
            FILEPASS => return Ok(()),
            CODEPAGE => cp = u16_at(record.data, 0).unwrap_or(cp),
            BOUNDSHEET => {
                let name = match biff {
                    Biff::Eight => short_unicode(record.data.get(6..).unwrap_or_default()),
                    Biff::Five => byte_string(record.data.get(6..).unwrap_or_default(), cp, 1),
                };
                push_line(sink, &name);
            }
            LABEL | RSTRING => {
                let body = record.data.get(6..).unwrap_or_default();
                let text = match biff {
                    Biff::Eight => unicode(body),
                    Biff::Five => byte_string(body, cp, 2),
                };
                push_line(sink, &text);
            }
            SST => {
                let mut segments = vec![record.data];
                let mut cut = None;
                loop {
                    match record_at(book, next) {
                        Ok(Some(r)) if r.kind == CONTINUE => {
                            segments.push(r.data);
                            next += 4 + r.data.len();
                        }
                        Ok(_) => break,
                        Err(stop) => {
                            cut = Some(stop);
                            break;
                        }
                    }
                }
                let read = shared_strings(&segments, sink);
                if let Some(stop) = cut {
                    return Err(stop);
                }
                read?;
            }
            _ => {}
        }
        pos = next;
    }
    Err((
        "too-large",
        format!("workbook stream: more than {MAX_RECORDS} records; the rest is not read for text"),
    ))
}

fn push_line(sink: &mut TextSink, text: &str) {
    if !text.trim().is_empty() {
        sink.push(text);
        sink.push("\n");
    }
}

/// UTF-16 code units, or (compressed) their low bytes: Latin-1.
fn push_units(units: &mut Vec<u16>, bytes: &[u8], high_byte: bool) {
    if high_byte {
        units.extend(
            bytes
                .chunks_exact(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]])),
        );
    } else {
        units.extend(bytes.iter().map(|&b| u16::from(b)));
    }
}

fn from_units(units: &[u16]) -> String {
    char::decode_utf16(units.iter().copied())
        .map(|r| r.unwrap_or('\u{FFFD}'))
        .collect()
}

/// Characters of a BIFF8 string starting at `at` (after its count and
/// flags): as many as `body` holds, up to `count`.
fn chars(body: &[u8], at: usize, count: usize, high_byte: bool) -> String {
    let width = if high_byte { 2 } else { 1 };
    let end = at.saturating_add(count * width).min(body.len());
    let mut units = Vec::new();
    push_units(&mut units, body.get(at..end).unwrap_or_default(), high_byte);
    from_units(&units)
}

/// ShortXLUnicodeString (MS-XLS 2.5.240): an 8-bit count, flags, chars.
fn short_unicode(body: &[u8]) -> String {
    let (Some(&count), Some(&flags)) = (body.first(), body.get(1)) else {
        return String::new();
    };
    chars(body, 2, usize::from(count), flags & 1 != 0)
}

/// XLUnicodeString (MS-XLS 2.5.294): a 16-bit count, flags, chars.
fn unicode(body: &[u8]) -> String {
    let (Some(count), Some(&flags)) = (u16_at(body, 0), body.get(2)) else {
        return String::new();
    };
    chars(body, 3, usize::from(count), flags & 1 != 0)
}

/// A BIFF5 string: a count of `count_width` bytes, then bytes in `cp`.
fn byte_string(body: &[u8], cp: u16, count_width: usize) -> String {
    let count = match count_width {
        1 => body.first().map(|&c| usize::from(c)),
        _ => u16_at(body, 0).map(usize::from),
    };
    let Some(count) = count else {
        return String::new();
    };
    let end = count_width.saturating_add(count).min(body.len());
    body.get(count_width..end)
        .unwrap_or_default()
        .iter()
        .map(|&b| codepage::byte_char(cp, b))
        .collect()
}

/// The SST's body and its CONTINUE records' bodies, read as one run of
/// bytes, except where a string's characters cross into a CONTINUE: there
/// the record begins with a fresh flags byte saying whether the rest of the
/// characters are compressed (MS-XLS 2.5.293).
struct Segments<'a> {
    parts: &'a [&'a [u8]],
    part: usize,
    pos: usize,
}

impl<'a> Segments<'a> {
    fn at_end(&mut self) -> bool {
        while self.part < self.parts.len() && self.pos >= self.parts[self.part].len() {
            self.part += 1;
            self.pos = 0;
        }
        self.part >= self.parts.len()
    }

    fn byte(&mut self) -> Option<u8> {
        if self.at_end() {
            return None;
        }
        let b = self.parts[self.part][self.pos];
        self.pos += 1;
        Some(b)
    }

    fn u16(&mut self) -> Option<u16> {
        Some(u16::from_le_bytes([self.byte()?, self.byte()?]))
    }

    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes([
            self.byte()?,
            self.byte()?,
            self.byte()?,
            self.byte()?,
        ]))
    }

    /// Skips `n` bytes (formatting runs, phonetic data), across records.
    fn skip(&mut self, mut n: usize) -> Option<()> {
        while n > 0 {
            if self.at_end() {
                return None;
            }
            let here = (self.parts[self.part].len() - self.pos).min(n);
            self.pos += here;
            n -= here;
        }
        Some(())
    }

    /// `count` characters into `units`; `None` if the records end first
    /// (what was read is in `units`).
    fn chars(&mut self, count: usize, mut high_byte: bool, units: &mut Vec<u16>) -> Option<()> {
        let mut left = count;
        while left > 0 {
            let part = self.parts.get(self.part)?;
            let width = if high_byte { 2 } else { 1 };
            let take = (part.len().saturating_sub(self.pos) / width).min(left);
            push_units(units, &part[self.pos..self.pos + take * width], high_byte);
            self.pos += take * width;
            left -= take;
            if left > 0 {
                // The characters go on in the next CONTINUE, after its
                // own flags byte.
                self.part += 1;
                self.pos = 0;
                high_byte = self.byte_here()? & 1 != 0;
            }
        }
        Some(())
    }

    /// The first byte of the current record, without moving to another.
    fn byte_here(&mut self) -> Option<u8> {
        let b = *self.parts.get(self.part)?.get(self.pos)?;
        self.pos += 1;
        Some(b)
    }
}

/// The shared strings (SST: two counts, then XLUnicodeRichExtendedString
/// after XLUnicodeRichExtendedString), each on a line.
fn shared_strings(parts: &[&[u8]], sink: &mut TextSink) -> Result<(), Stop> {
    let Some(unique) = parts.first().and_then(|sst| u32_at(sst, 4)) else {
        return Err((
            "malformed",
            "workbook stream: shared strings table without its counts".into(),
        ));
    };
    let mut seg = Segments {
        parts,
        part: 0,
        pos: 8,
    };
    let mut units = Vec::new();
    for index in 0..unique {
        if sink.full() {
            return Ok(());
        }
        if seg.at_end() {
            return Err((
                "malformed",
                format!("workbook stream: the shared strings table declares {unique} strings and holds {index}"),
            ));
        }
        units.clear();
        let read = shared_string(&mut seg, &mut units);
        push_line(sink, &from_units(&units));
        if read.is_none() {
            return Err((
                "truncated",
                format!(
                    "workbook stream: the shared strings table ends inside string {} of {unique}",
                    index + 1
                ),
            ));
        }
    }
    Ok(())
}

/// One XLUnicodeRichExtendedString: count, flags, [runs count], [phonetic
/// size], characters, runs, phonetic data.
fn shared_string(seg: &mut Segments<'_>, units: &mut Vec<u16>) -> Option<()> {
    let count = seg.u16()?;
    let flags = seg.byte()?;
    let runs = if flags & 0x08 != 0 { seg.u16()? } else { 0 };
    let extended = if flags & 0x04 != 0 { seg.u32()? } else { 0 };
    seg.chars(usize::from(count), flags & 1 != 0, units)?;
    seg.skip(usize::from(runs) * 4)?;
    seg.skip(extended as usize)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Kind;

    fn record(kind: u16, data: &[u8]) -> Vec<u8> {
        let mut out = kind.to_le_bytes().to_vec();
        out.extend((data.len() as u16).to_le_bytes());
        out.extend(data);
        out
    }

    fn bof(version: u16, kind: u16) -> Vec<u8> {
        let mut data = version.to_le_bytes().to_vec();
        data.extend(kind.to_le_bytes());
        data.extend([0; 12]);
        record(BOF, &data)
    }

    fn text(book: &[u8], options: &Options) -> DocumentReport {
        let mut report = DocumentReport::new(Kind::Ole2, book.len() as u64);
        read(book, options, &mut report);
        report
    }

    fn utf16(s: &str) -> Vec<u8> {
        s.encode_utf16().flat_map(u16::to_le_bytes).collect()
    }

    /// A BIFF8 workbook: a sheet named in Cyrillic, a shared strings table
    /// whose strings cross two CONTINUE records (one switching from
    /// compressed to UTF-16 half way, one with formatting runs and
    /// phonetic data spilling over), and a LABEL cell.
    fn biff8() -> Vec<u8> {
        let mut book = bof(0x0600, 0x0005);
        let mut sheet = vec![0, 0, 0, 0, 0, 0, 4, 1];
        sheet.extend(utf16("Лист"));
        book.extend(record(BOUNDSHEET, &sheet));

        // String 1: "Café" compressed. String 2: "Résumé Москва", rich (2
        // runs) and extended (6 bytes): 7 chars compressed in the SST,
        // the other 6 in UTF-16 in the first CONTINUE. String 3: "Thé",
        // starting in the second CONTINUE.
        let mut sst = 3u32.to_le_bytes().to_vec();
        sst.extend(3u32.to_le_bytes());
        sst.extend([4, 0, 0]);
        sst.extend(b"Caf\xE9");
        sst.extend([13, 0, 0x0C]);
        sst.extend(2u16.to_le_bytes());
        sst.extend(6u32.to_le_bytes());
        sst.extend(b"R\xE9sum\xE9 ");
        let mut first = vec![1];
        first.extend(utf16("Москва"));
        first.extend([1, 0, 2, 0, 3, 0, 4, 0]);
        first.extend([9, 9, 9]);
        let mut second = vec![9, 9, 9];
        second.extend([3, 0, 0]);
        second.extend(b"Th\xE9");
        book.extend(record(SST, &sst));
        book.extend(record(CONTINUE, &first));
        book.extend(record(CONTINUE, &second));
        book.extend(record(EOF, &[]));
        book.extend(bof(0x0600, 0x0010));
        let mut label = vec![0, 0, 1, 0, 15, 0];
        label.extend(4u16.to_le_bytes());
        label.push(1);
        label.extend(utf16("Итог"));
        book.extend(record(LABEL, &label));
        book.extend(record(EOF, &[]));
        book
    }

    #[test]
    fn biff8_strings_across_continue_records() {
        let r = text(&biff8(), &Options::default());
        assert!(r.problems.is_empty(), "{:?}", r.problems);
        assert_eq!(
            r.text.as_deref(),
            Some("Лист\nCafé\nRésumé Москва\nThé\nИтог")
        );
    }

    #[test]
    fn biff5_strings_in_the_workbook_code_page() {
        let mut book = bof(0x0500, 0x0005);
        book.extend(record(CODEPAGE, &1251u16.to_le_bytes()));
        let mut sheet = vec![0, 0, 0, 0, 0, 0, 4];
        sheet.extend([0xCB, 0xE8, 0xF1, 0xF2]);
        book.extend(record(BOUNDSHEET, &sheet));
        book.extend(record(EOF, &[]));
        book.extend(bof(0x0500, 0x0010));
        let mut label = vec![0, 0, 0, 0, 15, 0, 5, 0];
        label.extend([0xCC, 0xEE, 0xF1, 0xEA, 0xE2]);
        book.extend(record(LABEL, &label));
        book.extend(record(EOF, &[]));
        let r = text(&book, &Options::default());
        assert!(r.problems.is_empty(), "{:?}", r.problems);
        assert_eq!(r.text.as_deref(), Some("Лист\nМоскв"));
    }

    #[test]
    fn cut_records_keep_the_text_before_them() {
        let book = biff8();
        // Cut inside the second CONTINUE (62 bytes from the end with the
        // sheet after it): its declared length runs past the end; the
        // strings before it are kept.
        let cut = book.len() - 57;
        let r = text(&book[..cut], &Options::default());
        assert_eq!(r.problems.len(), 1, "{:?}", r.problems);
        assert_eq!(r.problems[0].code, "truncated");
        assert_eq!(r.text.as_deref(), Some("Лист\nCafé\nRésumé Москва"));

        // A shared strings table that declares more strings than it holds.
        let mut forged = book.clone();
        let at = forged
            .windows(2)
            .position(|w| w == SST.to_le_bytes())
            .unwrap()
            + 8;
        forged[at..at + 4].copy_from_slice(&9u32.to_le_bytes());
        let r = text(&forged, &Options::default());
        assert_eq!(r.problems.len(), 1, "{:?}", r.problems);
        assert_eq!(r.problems[0].code, "malformed");
        assert!(r.text.unwrap().contains("Thé"));
    }

    #[test]
    fn the_text_bound_stops_the_walk() {
        let options = Options {
            max_text_bytes: 12,
            ..Options::default()
        };
        let r = text(&biff8(), &options);
        assert!(r.text_truncated);
        assert_eq!(r.text.as_deref(), Some("Лист\nCaf"));
    }

    #[test]
    fn not_a_workbook_and_encrypted_ones() {
        let r = text(&record(LABEL, b"abc"), &Options::default());
        assert_eq!(r.problems[0].code, "malformed");
        assert_eq!(r.text, None);
        // FILEPASS: what follows is encrypted, not text.
        let mut book = bof(0x0600, 0x0005);
        book.extend(record(FILEPASS, &[1, 0, 1, 0]));
        book.extend(record(
            LABEL,
            &[0, 0, 0, 0, 0, 0, 3, 0, 0, b'a', b'b', b'c'],
        ));
        let r = text(&book, &Options::default());
        assert!(r.problems.is_empty());
        assert_eq!(r.text, None);
        // Padding after the last EOF is not read as records.
        let mut padded = biff8();
        padded.extend([0xFF; 7]);
        let r = text(&padded, &Options::default());
        assert!(r.problems.is_empty(), "{:?}", r.problems);
    }

    #[test]
    fn every_cut_and_flip_is_bounded() {
        let book = biff8();
        for cut in 0..book.len() {
            text(&book[..cut], &Options::default());
        }
        for at in 0..book.len() {
            for mask in [0x01, 0x80, 0xFF] {
                let mut bytes = book.clone();
                bytes[at] ^= mask;
                text(&bytes, &Options::default());
            }
        }
    }
}
