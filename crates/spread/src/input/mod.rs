//! Files → [`Dataset`]: formats detected by content, gzip allowed, read as
//! a stream; a malformed line is counted with its line number and the read
//! goes on.
//!
//! Formats (each module says which fields it reads and how):
//! - [`Format::TwitterV1`]: API v1.1 tweets, one JSON object per line;
//! - [`Format::TwitterV2`]: API v2 pages as twarc2 writes them (or its
//!   flattened tweets), one per line;
//! - [`Format::TwarcCsv`]: twarc-csv's CSV;
//! - [`Format::IoArchiveCsv`]: the information-operations archives' CSV;
//! - [`Format::SharesCsv`]: account, shared object, time.
//!
//! A file is JSON when its first character is `{`, else CSV recognised by
//! its header; gzip by its magic bytes, whatever the file is called.
//! Lines (and CSV records) over [`MAX_RECORD_BYTES`] are malformed and
//! skipped, never held. Every file is streamed: memory grows with the
//! dataset, not with the file.
//!
//! Shared conventions: hashtags are lower-cased without `#`; URLs are
//! normalised ([`text::normalise_url`]); a language is kept as the source
//! writes it, `und` (undetermined) included, and only a missing or blank
//! one is "no language". A retweet's text, hashtags and URLs are its
//! original's when the record carries the original. A post is a retweet if
//! it shares a post, else a quote if it quotes one, else a reply if it
//! answers one, else an original.

mod archive;
mod json;
mod shares;
mod sink;
mod source;
mod tabular;
pub mod text;
pub mod time;
mod twarc_csv;
mod twitter_v1;
mod twitter_v2;

use crate::Dataset;
use archive::Archive;
use serde::Serialize;
use shares::Shares;
use sink::{PostIds, Sink, Want};
use std::path::{Path, PathBuf};
use tabular::{Columns, Layout};
use twarc_csv::TwarcCsv;

/// The longest line or CSV record read; longer ones are malformed.
pub const MAX_RECORD_BYTES: usize = source::MAX_LINE;

/// The formats `tamis spread` reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// Twitter API v1.1 tweets, one JSON object per line.
    TwitterV1,
    /// Twitter API v2 responses as twarc2 writes them, one page per line,
    /// or its flattened tweets (`twarc2 flatten`), one per line.
    TwitterV2,
    /// twarc-csv's flattened CSV.
    TwarcCsv,
    /// The platforms' information-operations archive CSV.
    IoArchiveCsv,
    /// A plain shares table: account, shared object, time.
    SharesCsv,
}

/// Which posts to keep.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    /// Keep posts carrying this hashtag (case-insensitive, `#` optional),
    /// and retweets and quotes of posts carrying it when the record
    /// carries the original (v1.1 embeds it, v2 pages include it).
    pub hashtag: Option<String>,
    /// Unix seconds, inclusive.
    pub since: Option<i64>,
    pub until: Option<i64>,
}

/// A line (or record) that could not be read, or where reading stopped.
#[derive(Clone, Debug, Serialize)]
pub struct Malformed {
    /// 1-based line of the file (of the decompressed text for gzip).
    pub line: u64,
    pub reason: String,
}

/// What was read from one file.
#[derive(Clone, Debug, Serialize)]
pub struct FileReport {
    pub path: String,
    pub format: Format,
    pub gzip: bool,
    /// Lines or CSV records read (blank lines not counted; a v2 page is
    /// one line holding many posts).
    pub records: u64,
    /// Posts taken in (after the filter, without duplicates).
    pub posts: u64,
    /// Posts left out by the filter.
    pub filtered_out: u64,
    /// Posts already taken in (same numeric id), here or in an earlier file.
    pub duplicates: u64,
    /// Valid lines that hold no post: streaming notices (`delete`,
    /// `limit`…), v2 pages with no `data`.
    pub not_posts: u64,
    /// Malformed lines or records; in a v2 page, each tweet that could not
    /// be read counts at the page's line.
    pub malformed: u64,
    /// The first malformed lines (at most [`MAX_MALFORMED_LISTED`]).
    pub malformed_lines: Vec<Malformed>,
    /// Where and why the file stopped being readable before its end (a
    /// truncated or corrupt gzip stream, an I/O error); what came before
    /// is kept.
    pub read_error: Option<Malformed>,
}

pub const MAX_MALFORMED_LISTED: usize = 100;

/// What was read from every file.
#[derive(Clone, Debug, Serialize)]
pub struct InputReport {
    pub files: Vec<FileReport>,
    pub posts: u64,
    /// Accounts known: the authors of posts, and the authors of the posts
    /// they retweet or quote when the record names them (who may have
    /// posted nothing in the collection).
    pub accounts: u64,
    /// Posts seen more than once (same id), counted once.
    pub duplicates: u64,
    /// Malformed lines over all files.
    pub malformed: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: {reason}")]
    Unrecognised { path: String, reason: String },
}

/// Reads every file into one dataset, then sorts it by time.
/// `progress` is called with bytes read so far over all files (compressed
/// bytes for gzip).
///
/// A file that cannot be opened or whose format is not recognised stops
/// the read with an error; malformed lines and a stream that breaks off
/// (a truncated gzip) are reported in the file's [`FileReport`] and the
/// read goes on.
pub fn read_all(
    paths: &[PathBuf],
    filter: &Filter,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<(Dataset, InputReport), InputError> {
    let want = Want::new(filter);
    let mut dataset = Dataset::default();
    let mut ids = PostIds::new(0);
    let mut files = Vec::with_capacity(paths.len());
    let mut done = 0u64;
    for path in paths {
        let so_far = done;
        let file_progress = move |bytes: u64| progress(so_far + bytes);
        let (report, bytes) = read_one(path, &want, &mut dataset, &mut ids, &file_progress)?;
        done += bytes;
        files.push(report);
    }
    ids.resolve(&mut dataset);
    dataset.finish();
    let report = InputReport {
        posts: dataset.posts.len() as u64,
        accounts: dataset.accounts.len() as u64,
        duplicates: dataset.duplicates,
        malformed: files.iter().map(|f| f.malformed).sum(),
        files,
    };
    Ok((dataset, report))
}

/// Reads one file into `dataset` (left in input order: call
/// [`Dataset::finish`] once every file is in).
///
/// `Post::object` is set for the posts of this file that some post read so
/// far shares; a post of an earlier file that this one shares is not
/// marked. [`read_all`] marks across all its files.
pub fn read_file(
    path: &Path,
    filter: &Filter,
    dataset: &mut Dataset,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<FileReport, InputError> {
    let want = Want::new(filter);
    let mut ids = PostIds::new(dataset.posts.len());
    let (report, _) = read_one(path, &want, dataset, &mut ids, progress)?;
    ids.resolve(dataset);
    Ok(report)
}

/// What the head of a file says it is.
enum Detected {
    Json,
    Csv(Box<dyn Layout + Sync>, Format, usize),
}

fn detect(head: &[u8]) -> Result<Detected, String> {
    let start = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    match start.iter().find(|b| !b.is_ascii_whitespace()) {
        None => return Err("empty".into()),
        Some(b'{') => return Ok(Detected::Json),
        Some(b'[') => {
            return Err("a JSON array: tamis reads one JSON object per line \
                        (`jq -c '.[]'` converts)"
                .into())
        }
        Some(_) => {}
    }
    let columns = Columns::from_head(head)
        .ok_or("neither JSON lines nor a CSV header with at least two columns")?;
    let width = columns.len();
    if let Some(layout) = Archive::detect(&columns) {
        return Ok(Detected::Csv(Box::new(layout), Format::IoArchiveCsv, width));
    }
    if let Some(layout) = TwarcCsv::detect(&columns) {
        return Ok(Detected::Csv(Box::new(layout), Format::TwarcCsv, width));
    }
    if let Some(layout) = Shares::detect(&columns) {
        return Ok(Detected::Csv(Box::new(layout), Format::SharesCsv, width));
    }
    Err(format!(
        "a CSV header tamis does not know: an information-operations archive has \
         tweetid, userid and tweet_time; twarc-csv has id, created_at, author_id and \
         author.* columns; a shares table has an account column ({}), a shared-object \
         column ({}) and a time column ({})",
        shares::ACCOUNT.join("/"),
        shares::OBJECT.join("/"),
        shares::TIME.join("/"),
    ))
}

/// Reads one file; returns its report and how many of its bytes were read.
fn read_one(
    path: &Path,
    want: &Want,
    dataset: &mut Dataset,
    ids: &mut PostIds,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<(FileReport, u64), InputError> {
    let shown = path.display().to_string();
    let io_error = |source| InputError::Io {
        path: shown.clone(),
        source,
    };
    let bytes = std::fs::metadata(path).map_err(io_error)?.len();
    let opened = source::open(path, progress).map_err(io_error)?;
    let detected = detect(&opened.head).map_err(|reason| InputError::Unrecognised {
        path: shown.clone(),
        reason,
    })?;
    let mut report = FileReport {
        path: shown.clone(),
        format: Format::TwitterV1,
        gzip: opened.gzip,
        records: 0,
        posts: 0,
        filtered_out: 0,
        duplicates: 0,
        not_posts: 0,
        malformed: 0,
        malformed_lines: Vec::new(),
        read_error: None,
    };
    let mut sink = Sink {
        dataset,
        want,
        report: &mut report,
        ids,
    };
    let stopped = match detected {
        Detected::Json => {
            let end = json::read(opened.stream, &mut sink);
            match end.mode {
                Some(json::Mode::V1) => sink.report.format = Format::TwitterV1,
                Some(json::Mode::V2Page | json::Mode::V2Flat) => {
                    sink.report.format = Format::TwitterV2
                }
                // Only streaming notices: a v1.1 stream that carried no tweet.
                None if sink.report.not_posts > 0 => sink.report.format = Format::TwitterV1,
                None => {
                    let why = match &end.error {
                        Some((line, e)) => format!("reading stopped at line {line}: {e}"),
                        None => format!(
                            "no line is a tweet or a v2 page ({} malformed; one JSON object \
                             per line is expected)",
                            sink.report.malformed
                        ),
                    };
                    return Err(InputError::Unrecognised {
                        path: shown,
                        reason: why,
                    });
                }
            }
            end.error
        }
        Detected::Csv(layout, format, width) => {
            sink.report.format = format;
            tabular::read(opened.stream, layout.as_ref(), width, &mut sink)
        }
    };
    report.read_error = stopped.map(|(line, e)| Malformed {
        line,
        reason: format!("reading stopped: {e}"),
    });
    Ok((report, bytes))
}
