//! CSV files (twarc-csv, information-operations archives, shares tables):
//! the header, typed fields, and the reading loop.
//!
//! Records are read with the `csv` crate (quoted fields may hold commas and
//! newlines). A record over [`MAX_LINE`] is reported and skipped: the
//! reading resumes at the next line, with a fresh parser, since what made
//! it run on (an unbalanced quote, most likely) leaves the old parser's
//! state meaningless.

use super::sink::{Draft, Parsed, Sink, Want};
use super::source::{Bounded, MAX_LINE};
#[cfg(doc)]
use super::text::{normalise_tag, normalise_url};
use csv::ByteRecord;
use std::borrow::Cow;
use std::io::{self, BufReader, Read};

/// A CSV layout: how one record becomes a post.
pub(crate) trait Layout {
    fn draft<'r>(&self, record: &'r ByteRecord, want: &Want) -> Result<Draft<'r>, String>;
}

/// Header names, lower-cased and trimmed, to find columns by name.
pub(crate) struct Columns {
    names: Vec<String>,
}

impl Columns {
    /// The header line in `head`, or `None` when it is not CSV with at
    /// least two columns.
    pub fn from_head(head: &[u8]) -> Option<Self> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(head);
        let mut record = ByteRecord::new();
        if !reader.read_byte_record(&mut record).ok()? || record.len() < 2 {
            return None;
        }
        let names = record
            .iter()
            .map(|name| {
                let name = name.strip_prefix(b"\xef\xbb\xbf").unwrap_or(name);
                String::from_utf8_lossy(name).trim().to_lowercase()
            })
            .collect();
        Some(Columns { names })
    }

    /// The first of `names` the header has.
    pub fn find(&self, names: &[&str]) -> Option<usize> {
        names
            .iter()
            .find_map(|wanted| self.names.iter().position(|n| n == wanted))
    }

    pub fn has(&self, name: &str) -> bool {
        self.find(&[name]).is_some()
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }
}

/// A field's text; `None` when the column is absent or the field blank.
/// Invalid UTF-8 is replaced, not fatal: one bad byte in a tweet's text
/// should not lose the post.
pub(crate) fn field(record: &ByteRecord, column: Option<usize>) -> Option<Cow<'_, str>> {
    let bytes = record.get(column?)?;
    let text = String::from_utf8_lossy(bytes);
    if text.trim().is_empty() {
        None
    } else {
        Some(text)
    }
}

/// A count: `12`, or `12.0` as pandas writes integer columns holding gaps.
pub(crate) fn count(record: &ByteRecord, column: Option<usize>) -> Option<u64> {
    let text = field(record, column)?;
    let text = text.trim();
    text.parse::<u64>().ok().or_else(|| {
        let value: f64 = text.parse().ok()?;
        (0.0..1.8e19).contains(&value).then_some(value as u64)
    })
}

/// `True`/`False` as pandas writes them, `true`/`false`, `1`/`0`.
pub(crate) fn boolean(record: &ByteRecord, column: Option<usize>) -> Option<bool> {
    let text = field(record, column)?;
    match text.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "t" => Some(true),
        "false" | "0" | "no" | "f" => Some(false),
        _ => None,
    }
}

/// A list in one field: a JSON array of strings (twarc-csv) or the
/// archives' `[a, b]` (unquoted, comma-separated).
pub(crate) fn list<'r>(record: &'r ByteRecord, column: Option<usize>) -> Vec<Cow<'r, str>> {
    let Some(text) = field(record, column) else {
        return Vec::new();
    };
    let trimmed = text.trim();
    if let Ok(items) = serde_json::from_str::<Vec<String>>(trimmed) {
        return items.into_iter().map(Cow::Owned).collect();
    }
    let inner = trimmed
        .strip_prefix('[')
        .and_then(|t| t.strip_suffix(']'))
        .unwrap_or(trimmed);
    inner
        .split(',')
        .map(|item| item.trim().trim_matches(['\'', '"']).trim())
        .filter(|item| !item.is_empty())
        .map(|item| Cow::Owned(item.to_owned()))
        .collect()
}

fn builder(has_headers: bool) -> csv::ReaderBuilder {
    let mut builder = csv::ReaderBuilder::new();
    builder
        .has_headers(has_headers)
        .flexible(true)
        .buffer_capacity(64 * 1024);
    builder
}

/// Reads every record into `sink`; returns where and why reading stopped
/// early, if it did.
/// The hashtags and URLs of a CSV post, normalised as every reader
/// normalises them ([`normalise_tag`], [`normalise_url`]).
pub(crate) fn normalised<'r>(
    items: &[Cow<'_, str>],
    normalise: fn(&str) -> Cow<'_, str>,
) -> Vec<Cow<'r, str>> {
    items
        .iter()
        .map(|item| Cow::Owned(normalise(item).into_owned()))
        .collect()
}

pub(crate) fn read(
    stream: Box<dyn Read + Send + '_>,
    layout: &dyn Layout,
    columns: usize,
    sink: &mut Sink<'_>,
) -> Option<(u64, io::Error)> {
    let bounded = Bounded::new(BufReader::with_capacity(256 * 1024, stream), MAX_LINE);
    let mut reader = builder(true).from_reader(bounded);
    // Lines before the current parser's start (it counts from 1).
    let mut base_line = 0;
    let mut record = ByteRecord::new();
    loop {
        let start = base_line + reader.position().line();
        match reader.read_byte_record(&mut record) {
            Ok(false) => return None,
            Ok(true) => {
                reader.get_mut().in_record = 0;
                let line = base_line + record.position().map_or(start, |p| p.line());
                let parsed = if record.len() != columns {
                    Parsed::Bad(format!(
                        "{} fields where the header has {columns}",
                        record.len()
                    ))
                } else {
                    match layout.draft(&record, sink.want) {
                        Ok(draft) => Parsed::One(draft),
                        Err(reason) => Parsed::Bad(reason),
                    }
                };
                sink.take(line, parsed);
            }
            Err(e) if reader.get_ref().over => {
                drop(e);
                sink.report.records += 1;
                sink.malformed(start, format!("record longer than {} MiB", MAX_LINE >> 20));
                let mut inner = reader.into_inner();
                if let Err(e) = inner.skip_line() {
                    return Some((start, e));
                }
                inner.over = false;
                inner.in_record = 0;
                base_line = inner.newlines;
                reader = builder(false).from_reader(inner);
            }
            Err(e) if matches!(e.kind(), csv::ErrorKind::Io(_)) => {
                return Some((start, io::Error::other(e.to_string())));
            }
            Err(e) => {
                sink.report.records += 1;
                sink.malformed(start, e.to_string());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(fields: &[&str]) -> ByteRecord {
        ByteRecord::from(fields.to_vec())
    }

    #[test]
    fn lists_in_both_shapes() {
        let r = record(&[
            r##"["#Brexit", "#PeoplesVote"]"##,
            "[macronleaks, FRANCE]",
            "[]",
            "",
        ]);
        assert_eq!(list(&r, Some(0)), vec!["#Brexit", "#PeoplesVote"]);
        assert_eq!(list(&r, Some(1)), vec!["macronleaks", "FRANCE"]);
        assert!(list(&r, Some(2)).is_empty());
        assert!(list(&r, Some(3)).is_empty());
        assert!(list(&r, None).is_empty());
    }

    #[test]
    fn typed_fields() {
        let r = record(&["12", "12.0", "True", "false", " ", "x"]);
        assert_eq!(count(&r, Some(0)), Some(12));
        assert_eq!(count(&r, Some(1)), Some(12));
        assert_eq!(count(&r, Some(5)), None);
        assert_eq!(boolean(&r, Some(2)), Some(true));
        assert_eq!(boolean(&r, Some(3)), Some(false));
        assert_eq!(field(&r, Some(4)), None);
        assert_eq!(field(&r, Some(9)), None);
    }

    #[test]
    fn header_columns() {
        let c = Columns::from_head(b"\xef\xbb\xbfTweetID, userid ,x\n1,2,3\n").expect("csv");
        assert_eq!(c.find(&["tweetid"]), Some(0));
        assert_eq!(c.find(&["nope", "userid"]), Some(1));
        assert_eq!(c.len(), 3);
        assert!(Columns::from_head(b"just one column\n").is_none());
    }
}
