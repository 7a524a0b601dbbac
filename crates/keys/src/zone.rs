//! Key files: TXT records the user passes as `--keys FILE`.
//!
//! One record per line, in either grammar (see [`KeyFile`]). A zone-style
//! record may continue over several lines inside `( )`, as
//! `opendkim-genkey` writes them.

mod line;
mod rdata;

use crate::lookup::normalize_name;
use crate::{KeyLookup, TxtLookup, TxtRecord};
use line::Line;
use std::collections::HashMap;
use std::path::Path;

/// TXT records read from one key file.
///
/// Accepted lines:
/// - `NAME [TTL] [CLASS] TXT "chunk" "chunk"…` as `dig` or a zone file
///   prints them: chunks joined with nothing between, `\"`, `\\`, `\DDD`
///   escapes, `;` comments, `( )` spanning lines. TTL and class are optional,
///   in either order. Other record types (A, MX, SOA…) and `$TTL` are skipped.
/// - `NAME RECORD` (Mail::DKIM's FAKE_DNS.dat): the rest of the line, trimmed,
///   is the record; if it starts with `"` it is read as quoted chunks, so
///   `""` is an empty record. `NAME NXDOMAIN` says the name does not exist,
///   `NAME ~~text~~` that looking it up failed with `text`.
/// - `#` or `;` comments and blank lines.
///
/// Names are case-insensitive and a trailing dot is dropped. A name may
/// appear on many lines (a selector's keys over the years): every record is
/// kept, in file order, with provenance `PATH:LINE`.
///
/// A malformed line does not reject the file: one bad line in a large export
/// should be reported, not block the rest. It is kept in [`KeyFile::warnings`]
/// for the caller to show. Only a file in which no line is usable is an
/// error, since it is most likely not a key file at all.
#[derive(Debug)]
pub struct KeyFile {
    names: HashMap<String, TxtLookup>,
    records: usize,
    warnings: Vec<KeyFileError>,
}

#[derive(Debug, thiserror::Error)]
pub enum KeyFileError {
    #[error("cannot read key file {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}:{line}: {reason}")]
    Syntax {
        path: String,
        line: usize,
        reason: String,
    },
}

/// What one line says about its name, before provenance is attached.
enum Entry {
    Record(String),
    NxDomain,
    Error(String),
}

impl KeyFile {
    /// Read a key file; records get provenance `PATH:LINE`. Malformed lines
    /// are in [`KeyFile::warnings`].
    pub fn load(path: &Path) -> Result<KeyFile, KeyFileError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| KeyFileError::Io {
            path: shown.clone(),
            source,
        })?;
        Self::parse(&text, &shown)
    }

    /// Parse key file text; `source_name` prefixes each record's provenance.
    pub fn parse(text: &str, source_name: &str) -> Result<KeyFile, KeyFileError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut answers: HashMap<String, Vec<TxtLookup>> = HashMap::new();
        let mut records = 0;
        let mut warnings = Vec::new();
        let mut lines = text
            .lines()
            .enumerate()
            .map(|(index, line)| (index + 1, line));
        while let Some((number, line)) = lines.next() {
            let (name, entry) = match entry(line, &mut lines) {
                Ok(Some(found)) => found,
                Ok(None) => continue,
                Err(reason) => {
                    warnings.push(KeyFileError::Syntax {
                        path: source_name.to_owned(),
                        line: number,
                        reason,
                    });
                    continue;
                }
            };
            let source = format!("{source_name}:{number}");
            let answer = match entry {
                Entry::Record(value) => {
                    records += 1;
                    TxtLookup::Found(vec![TxtRecord {
                        value,
                        source,
                        ..TxtRecord::default()
                    }])
                }
                Entry::NxDomain => TxtLookup::NotFound,
                Entry::Error(text) => TxtLookup::Error(format!("{source}: {text}")),
            };
            answers
                .entry(normalize_name(name))
                .or_default()
                .push(answer);
        }
        if answers.is_empty() && !warnings.is_empty() {
            return Err(warnings.swap_remove(0));
        }
        let names = answers
            .into_iter()
            .map(|(name, answers)| (name, TxtLookup::merge(answers)))
            .collect();
        Ok(KeyFile {
            names,
            records,
            warnings,
        })
    }

    /// Lines that could not be read, each naming file and line. The rest of
    /// the file was loaded.
    pub fn warnings(&self) -> &[KeyFileError] {
        &self.warnings
    }

    /// Number of TXT records (NXDOMAIN and error lines are not records).
    pub fn len(&self) -> usize {
        self.records
    }

    pub fn is_empty(&self) -> bool {
        self.records == 0
    }

    /// Every name the file says something about, NXDOMAIN and error lines
    /// included; lower-case, no trailing dot, in no particular order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.names.keys().map(String::as_str)
    }
}

impl KeyLookup for KeyFile {
    fn lookup_txt(&self, name: &str) -> TxtLookup {
        self.names.lookup_txt(&normalize_name(name))
    }
}

/// Reads the entry starting on `first`, taking continuation lines from
/// `more` while a `(` is open.
fn entry<'a>(
    first: &'a str,
    more: &mut impl Iterator<Item = (usize, &'a str)>,
) -> Result<Option<(&'a str, Entry)>, String> {
    let (name, entry) = match line::classify(first)? {
        Line::Ignored => return Ok(None),
        Line::Bare { name, rest } => (name, bare(rest)?),
        Line::Txt { name, rdata } => {
            let mut text = rdata.to_owned();
            let mut lexed = rdata::lex(&text)?;
            while lexed.open_parens > 0 {
                let Some((_, next)) = more.next() else {
                    return Err("'(' not closed before the end of the file".into());
                };
                text.push('\n');
                text.push_str(next);
                lexed = rdata::lex(&text)?;
            }
            (name, Entry::Record(lexed.joined()?))
        }
    };
    Ok(Some((name, entry)))
}

fn bare(rest: &str) -> Result<Entry, String> {
    if rest == "NXDOMAIN" {
        return Ok(Entry::NxDomain);
    }
    if let Some(error) = rest
        .strip_prefix("~~")
        .and_then(|inner| inner.strip_suffix("~~"))
    {
        return Ok(Entry::Error(error.to_owned()));
    }
    if rest.starts_with('"') {
        let lexed = rdata::lex(rest)?;
        if lexed.open_parens != 0 {
            return Err("unbalanced '(' in a one-line record".into());
        }
        return lexed.joined().map(Entry::Record);
    }
    Ok(Entry::Record(rest.to_owned()))
}

#[cfg(test)]
mod tests;
