//! A zip package (OOXML, ODF) read under the bounds of [`Options`]: each
//! part decompressed through `take()` to `max_part_bytes`, all parts
//! together to `max_total_bytes`, at most `max_entries` entries listed.
//! Declared sizes are never trusted: a zip bomb declares what it likes.
//!
//! A package whose central directory is missing (a truncated download, a
//! carved file) is read entry by entry from its local headers, so the
//! parts before the cut still give their metadata.

use crate::{DocumentReport, Options};
use std::io::{Cursor, Read};
use zip::result::ZipError;
use zip::ZipArchive;

pub(crate) struct Package<'a> {
    source: Source<'a>,
    max_part: u64,
    /// Decompressed bytes still allowed for this document.
    remaining: u64,
    budget_reported: bool,
}

enum Source<'a> {
    Archive(ZipArchive<Cursor<&'a [u8]>>),
    /// Parts recovered from local headers, in archive order.
    Recovered(Vec<(String, Vec<u8>)>),
}

enum Read1 {
    Data(Vec<u8>),
    TooLarge { cap: u64, by_total: bool },
    Failed(String),
}

/// Reads one entry through a bound: `cap + 1` bytes at most are
/// decompressed, so a part over the cap is known to be over it without
/// inflating the rest.
fn read_capped(entry: &mut impl Read, declared: u64, cap: u64, by_total: bool) -> Read1 {
    // Capacity from the declared size, but never more than the cap nor a
    // MiB up front: the declaration is the attacker's.
    let mut buf = Vec::with_capacity(declared.min(cap).min(1 << 20) as usize);
    if let Err(e) = entry.take(cap).read_to_end(&mut buf) {
        return Read1::Failed(e.to_string());
    }
    if buf.len() as u64 == cap {
        // At the cap: one more byte says whether the part goes on (read
        // apart, so the buffer is not doubled for a single byte).
        match entry.read(&mut [0u8; 1]) {
            Ok(0) => {}
            Ok(_) => return Read1::TooLarge { cap, by_total },
            Err(e) => return Read1::Failed(e.to_string()),
        }
    }
    Read1::Data(buf)
}

impl<'a> Package<'a> {
    /// Opens `bytes` as a zip; a problem (and `None`) when it is none.
    /// `wanted` names the parts worth keeping if the package must be
    /// recovered from its local headers.
    pub(crate) fn open(
        bytes: &'a [u8],
        options: &Options,
        report: &mut DocumentReport,
        wanted: &dyn Fn(&str) -> bool,
    ) -> Option<Package<'a>> {
        let mut package = Package {
            source: Source::Recovered(Vec::new()),
            max_part: options.max_part_bytes,
            remaining: options.max_total_bytes,
            budget_reported: false,
        };
        match ZipArchive::new(Cursor::new(bytes)) {
            Ok(archive) => {
                if archive.len() > options.max_entries {
                    report.problem(
                        "too-large",
                        format!(
                            "{} zip entries, more than the {} looked at; only named parts are read",
                            archive.len(),
                            options.max_entries
                        ),
                    );
                }
                package.source = Source::Archive(archive);
                Some(package)
            }
            Err(e) if bytes.starts_with(b"PK\x03\x04") => {
                let parts = package.recover(bytes, options, wanted);
                // Without the end-of-central-directory record the file
                // was cut short; with it, the directory itself is bad.
                let tail = &bytes[bytes.len().saturating_sub(65_557)..];
                let code = if memchr::memmem::rfind(tail, b"PK\x05\x06").is_none() {
                    "truncated"
                } else {
                    "malformed"
                };
                report.problem(
                    code,
                    format!(
                        "zip central directory unreadable ({e}); {} parts recovered from local headers",
                        parts.len()
                    ),
                );
                package.source = Source::Recovered(parts);
                Some(package)
            }
            Err(e) => {
                report.problem("malformed", format!("not a zip package: {e}"));
                None
            }
        }
    }

    fn recover(
        &mut self,
        bytes: &[u8],
        options: &Options,
        wanted: &dyn Fn(&str) -> bool,
    ) -> Vec<(String, Vec<u8>)> {
        let mut parts = Vec::new();
        let mut cursor = Cursor::new(bytes);
        for _ in 0..options.max_entries {
            let mut entry = match zip::read::read_zipfile_from_stream(&mut cursor) {
                Ok(Some(entry)) => entry,
                // The central directory begins, or the cut / garbage does.
                Ok(None) | Err(_) => break,
            };
            let name = entry.name().to_owned();
            if !wanted(&name) {
                continue;
            }
            let (cap, by_total) = self.cap();
            let declared = entry.size();
            match read_capped(&mut entry, declared, cap, by_total) {
                Read1::Data(data) => {
                    self.remaining -= data.len() as u64;
                    parts.push((name, data));
                }
                // The entry the file was cut in, or one over a bound: the
                // stream position is lost, stop here.
                _ => break,
            }
        }
        parts
    }

    fn cap(&self) -> (u64, bool) {
        if self.remaining < self.max_part {
            (self.remaining, true)
        } else {
            (self.max_part, false)
        }
    }

    /// Entry names, at most `max_entries` of them, in archive order.
    pub(crate) fn names(&self, max_entries: usize) -> Vec<String> {
        match &self.source {
            Source::Archive(a) => a
                .file_names()
                .take(max_entries)
                .map(str::to_owned)
                .collect(),
            Source::Recovered(parts) => parts.iter().map(|(n, _)| n.clone()).collect(),
        }
    }

    /// At most the first `limit` bytes of part `name`, for a part whose
    /// head is all that is wanted (Word's default language sits at the top
    /// of a styles part that can weigh a megabyte).
    pub(crate) fn read_prefix(
        &mut self,
        name: &str,
        limit: u64,
        report: &mut DocumentReport,
    ) -> Option<Vec<u8>> {
        let cap = limit.min(self.remaining);
        let outcome = match &mut self.source {
            Source::Recovered(parts) => {
                let i = parts.iter().position(|(n, _)| n == name)?;
                let mut data = std::mem::take(&mut parts[i].1);
                data.truncate(cap as usize);
                return Some(data);
            }
            Source::Archive(archive) => match archive.by_name(name) {
                Ok(entry) => {
                    let mut data = Vec::with_capacity(entry.size().min(cap) as usize);
                    entry
                        .take(cap)
                        .read_to_end(&mut data)
                        .map(|_| data)
                        .map_err(|e| e.to_string())
                }
                Err(ZipError::FileNotFound) => return None,
                Err(e) => Err(e.to_string()),
            },
        };
        match outcome {
            Ok(data) => {
                self.remaining -= data.len() as u64;
                Some(data)
            }
            Err(e) => {
                report.problem("malformed", format!("{name}: {e}"));
                None
            }
        }
    }

    /// The bytes of part `name`, or `None` (absent, or over a bound, or
    /// unreadable: the last two with a problem in `report`).
    pub(crate) fn read(&mut self, name: &str, report: &mut DocumentReport) -> Option<Vec<u8>> {
        let (cap, by_total) = self.cap();
        let outcome = match &mut self.source {
            Source::Recovered(parts) => {
                let i = parts.iter().position(|(n, _)| n == name)?;
                // Recovered parts were counted when read; hand them out once.
                return Some(std::mem::take(&mut parts[i].1));
            }
            Source::Archive(archive) => match archive.by_name(name) {
                Ok(mut entry) => {
                    let declared = entry.size();
                    read_capped(&mut entry, declared, cap, by_total)
                }
                Err(ZipError::FileNotFound) => return None,
                Err(e) => Read1::Failed(e.to_string()),
            },
        };
        match outcome {
            Read1::Data(data) => {
                self.remaining -= data.len() as u64;
                Some(data)
            }
            Read1::TooLarge { cap, by_total } => {
                if by_total {
                    self.remaining = 0;
                    if !self.budget_reported {
                        self.budget_reported = true;
                        report.problem(
                            "too-large",
                            format!("{name}: the document's decompressed total reached its bound; later parts not read"),
                        );
                    }
                } else {
                    // What was inflated to find out counts against the total.
                    self.remaining = self.remaining.saturating_sub(cap);
                    report.problem(
                        "too-large",
                        format!(
                            "{name} decompresses to more than {cap} bytes (a zip bomb?); not read"
                        ),
                    );
                }
                None
            }
            Read1::Failed(e) => {
                let lower = e.to_ascii_lowercase();
                let code = if lower.contains("password") || lower.contains("encrypt") {
                    "encrypted"
                } else {
                    "malformed"
                };
                report.problem(code, format!("{name}: {e}"));
                None
            }
        }
    }
}
