//! JSON lines (API v1.1 tweets, API v2 pages or flattened v2 tweets): the
//! pieces both APIs share, and the reading loop.
//!
//! One thread reads and decompresses and cuts batches of lines; lines are
//! parsed in parallel (rayon) and the drafts taken into the dataset in
//! input order. Which API a file holds is decided by its first line that
//! is a tweet or a page; lines before it are notices or malformed.

use super::sink::{present, Parsed, Sink, Want};
use super::source::{Batch, LineSpan, Lines, MAX_LINE};
use super::{twitter_v1, twitter_v2};
use rayon::prelude::*;
use serde::de::{self, Deserializer, IgnoredAny, Visitor};
use serde::Deserialize;
use std::borrow::Cow;
use std::fmt;
use std::io::Read;
use std::sync::mpsc;

/// A JSON string, borrowed from the line unless it holds escapes.
/// (serde's own `Cow` never borrows once wrapped in an `Option`.)
pub(crate) struct Str<'a>(pub Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for Str<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct StrVisitor;
        impl<'de> Visitor<'de> for StrVisitor {
            type Value = Str<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Str(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Str(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(Str(Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(StrVisitor)
    }
}

impl std::ops::Deref for Str<'_> {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

/// Parses one line. A line of valid UTF-8 (nearly all) is checked once as
/// a whole, which is faster than serde_json checking every string it
/// reads; other lines go byte-wise, so invalid UTF-8 in a field nobody
/// reads does not lose the post.
pub(crate) fn from_line<'a, T: Deserialize<'a>>(line: &'a [u8]) -> serde_json::Result<T> {
    match std::str::from_utf8(line) {
        Ok(text) => serde_json::from_str(text),
        Err(_) => serde_json::from_slice(line),
    }
}

/// The text of an optional string, `None` when absent or blank.
pub(crate) fn text(value: Option<Str<'_>>) -> Option<Cow<'_, str>> {
    present(value.map(|s| s.0))
}

/// Borrows an optional string without consuming it.
pub(crate) fn text_ref<'a>(value: &Option<Str<'a>>) -> Option<Cow<'a, str>> {
    present(value.as_ref().map(|s| s.0.clone()))
}

/// An `id` written as a number (the API) or a string (some re-exports).
pub(crate) enum Id<'a> {
    Number(u64),
    Text(Cow<'a, str>),
}

impl<'a> Id<'a> {
    pub fn into_text(self) -> Cow<'a, str> {
        match self {
            Id::Number(n) => Cow::Owned(n.to_string()),
            Id::Text(t) => t,
        }
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Id<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct IdVisitor;
        impl<'de> Visitor<'de> for IdVisitor {
            type Value = Id<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an id, as a number or a string")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                Ok(Id::Number(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                u64::try_from(v)
                    .map(Id::Number)
                    .map_err(|_| E::custom("negative id"))
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Id::Text(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Id::Text(Cow::Owned(v.to_owned())))
            }
        }
        deserializer.deserialize_any(IdVisitor)
    }
}

/// Hashtags and URLs, as both APIs write them.
#[derive(Deserialize)]
pub(crate) struct Entities<'a> {
    #[serde(borrow)]
    pub hashtags: Option<Vec<Tag<'a>>>,
    #[serde(borrow)]
    pub urls: Option<Vec<Url<'a>>>,
}

/// v1.1 names a hashtag `text`, v2 `tag`.
#[derive(Deserialize)]
pub(crate) struct Tag<'a> {
    #[serde(borrow)]
    text: Option<Str<'a>>,
    #[serde(borrow)]
    tag: Option<Str<'a>>,
}

impl<'a> Tag<'a> {
    fn name(&self) -> Option<&Str<'a>> {
        self.text.as_ref().or(self.tag.as_ref())
    }
}

#[derive(Deserialize)]
pub(crate) struct Url<'a> {
    #[serde(borrow)]
    expanded_url: Option<Str<'a>>,
    #[serde(borrow)]
    url: Option<Str<'a>>,
}

impl<'a> Entities<'a> {
    pub fn tags(&self) -> impl Iterator<Item = &str> {
        self.hashtags
            .iter()
            .flatten()
            .filter_map(|t| t.name().map(|s| &**s))
    }

    pub fn normalised_tags(&self) -> Vec<Cow<'a, str>> {
        use super::text::normalise_tag;
        self.hashtags
            .iter()
            .flatten()
            .filter_map(|t| match &t.name()?.0 {
                Cow::Borrowed(b) => Some(normalise_tag(b)),
                Cow::Owned(o) => Some(Cow::Owned(normalise_tag(o).into_owned())),
            })
            .collect()
    }

    /// Expanded URLs, normalised; the t.co link only when the expansion is
    /// missing (it still identifies the link within one collection).
    pub fn normalised_urls(&self) -> Vec<Cow<'a, str>> {
        use super::text::normalise_url;
        self.urls
            .iter()
            .flatten()
            .filter_map(|u| {
                [&u.expanded_url, &u.url]
                    .into_iter()
                    .flatten()
                    .find(|s| !s.trim().is_empty())
            })
            .map(|u| match &u.0 {
                Cow::Borrowed(b) => normalise_url(b),
                Cow::Owned(o) => Cow::Owned(normalise_url(o).into_owned()),
            })
            .collect()
    }
}

/// Which JSON a file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    V1,
    V2Page,
    /// One v2 tweet per line, its author and referenced tweets embedded
    /// (`twarc2 flatten`).
    V2Flat,
}

/// Just enough of a line to tell the APIs apart.
#[derive(Deserialize)]
struct Probe {
    data: Option<IgnoredAny>,
    user: Option<IgnoredAny>,
    author_id: Option<IgnoredAny>,
}

fn probe(line: &[u8]) -> Result<Option<Mode>, String> {
    let probe: Probe = from_line(line).map_err(|e| format!("not JSON: {e}"))?;
    Ok(if probe.data.is_some() {
        Some(Mode::V2Page)
    } else if probe.user.is_some() {
        Some(Mode::V1)
    } else if probe.author_id.is_some() {
        Some(Mode::V2Flat)
    } else {
        None
    })
}

fn trim(line: &[u8]) -> &[u8] {
    let line = line.strip_prefix(b"\xef\xbb\xbf").unwrap_or(line);
    line.trim_ascii()
}

fn parse_line<'b>(mode: Mode, batch: &'b Batch, span: &LineSpan, want: &Want) -> Parsed<'b> {
    if span.too_long {
        return Parsed::Bad(format!("line longer than {} MiB", MAX_LINE >> 20));
    }
    let line = trim(batch.line(span));
    if line.is_empty() {
        return Parsed::Blank;
    }
    match mode {
        Mode::V1 => twitter_v1::parse(line, want),
        Mode::V2Page => twitter_v2::parse_page(line, want),
        Mode::V2Flat => twitter_v2::parse_flat(line, want),
    }
}

/// How a JSON file's reading ended.
pub(crate) struct End {
    /// `None` when no line was a tweet or a page.
    pub mode: Option<Mode>,
    /// Reading stopped early: the line it stopped at and why.
    pub error: Option<(u64, std::io::Error)>,
}

/// One batch's lines, parsed in parallel, deciding the file's JSON kind on
/// the way (lines before the first tweet or page are probed one by one).
fn parse_batch<'b>(
    batch: &'b Batch,
    mode: &mut Option<Mode>,
    want: &Want,
) -> Vec<(u64, Parsed<'b>)> {
    let mut out = Vec::with_capacity(batch.lines.len());
    let mut first = 0;
    if mode.is_none() {
        first = batch.lines.len();
        for (i, span) in batch.lines.iter().enumerate() {
            let line = trim(batch.line(span));
            if span.too_long || line.is_empty() {
                out.push((span.number, parse_line(Mode::V1, batch, span, want)));
                continue;
            }
            match probe(line) {
                Ok(Some(found)) => {
                    *mode = Some(found);
                    first = i;
                    break;
                }
                Ok(None) => out.push((span.number, Parsed::NotPost)),
                Err(reason) => out.push((span.number, Parsed::Bad(reason))),
            }
        }
    }
    if let Some(mode) = *mode {
        let rest = batch.lines.get(first..).unwrap_or_default();
        out.par_extend(
            rest.par_iter()
                .with_min_len(32)
                .map(|span| (span.number, parse_line(mode, batch, span, want))),
        );
    }
    out
}

fn merge(sink: &mut Sink<'_>, parsed: Vec<(u64, Parsed<'_>)>) {
    for (line, parsed) in parsed {
        sink.take(line, parsed);
    }
}

type Message = Result<Batch, (u64, std::io::Error)>;

fn receive(
    full: &mpsc::Receiver<Message>,
    error: &mut Option<(u64, std::io::Error)>,
) -> Option<Batch> {
    match full.recv() {
        Ok(Ok(batch)) => Some(batch),
        Ok(Err(stop)) => {
            *error = Some(stop);
            None
        }
        Err(mpsc::RecvError) => None,
    }
}

pub(crate) fn read(stream: Box<dyn Read + Send + '_>, sink: &mut Sink<'_>) -> End {
    let want = sink.want;
    let mut mode = None;
    let mut error = None;
    std::thread::scope(|scope| {
        let (full_tx, full_rx) = mpsc::sync_channel::<Message>(2);
        let (empty_tx, empty_rx) = mpsc::channel::<Batch>();
        scope.spawn(move || {
            let mut lines = Lines::new(stream);
            loop {
                let mut batch = empty_rx.try_recv().unwrap_or_default();
                let sent = match lines.fill(&mut batch) {
                    Ok(()) if batch.lines.is_empty() => break,
                    Ok(()) => full_tx.send(Ok(batch)),
                    Err(e) => {
                        // The lines cut before the failure are whole: keep them.
                        if !batch.lines.is_empty() && full_tx.send(Ok(batch)).is_err() {
                            break;
                        }
                        let _ = full_tx.send(Err((lines.next_number(), e)));
                        break;
                    }
                };
                if sent.is_err() {
                    break;
                }
            }
        });
        // Taking a batch into the dataset is sequential; it runs while the
        // next batch is parsed. Two batches alternate (`a`, `b`) so each
        // one's parsed lines can borrow it until they are taken in.
        let Some(mut a) = receive(&full_rx, &mut error) else {
            return;
        };
        let mut b;
        let mut parsed_a = parse_batch(&a, &mut mode, want);
        loop {
            match receive(&full_rx, &mut error) {
                Some(next) => b = next,
                None => {
                    merge(sink, parsed_a);
                    break;
                }
            }
            let (parsed_b, ()) = rayon::join(
                || parse_batch(&b, &mut mode, want),
                || merge(sink, parsed_a),
            );
            let _ = empty_tx.send(std::mem::take(&mut a));
            match receive(&full_rx, &mut error) {
                Some(next) => a = next,
                None => {
                    merge(sink, parsed_b);
                    break;
                }
            }
            let (parsed, ()) = rayon::join(
                || parse_batch(&a, &mut mode, want),
                || merge(sink, parsed_b),
            );
            parsed_a = parsed;
            let _ = empty_tx.send(std::mem::take(&mut b));
        }
    });
    End { mode, error }
}
