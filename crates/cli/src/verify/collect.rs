//! The single collector: merges duplicates' origins into their message and
//! keeps memory flat by spilling finished reports to a temporary file.
//!
//! A message's JSON line cannot be written when it is analyzed, because a
//! duplicate found later must still add its origin to it. Holding every
//! report in memory would grow with the dump; holding only an index entry
//! per message (a key, a file offset, extra origins) does not, noticeably.

use anyhow::{Context, Result};
use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, BufReader, Seek, SeekFrom, Write};
use std::time::Duration;
use tamis_findings::{MessageReport, OriginReport, Verdict};
use tamis_items::{StoreTally, Unreadable};
use tamis_mail::MessageKey;

use super::pipeline::Event;
use super::summary::Summary;

/// Buffer of the spill file and of reading it back: the reports of a
/// 20,000-message dump are 40 MB, which 8 KiB writes, and a seek and a read
/// per line reading back, made 45,000 system calls.
const SPILL_BUFFER: usize = 256 << 10;

struct Entry {
    /// Position of the spilled report line; `None` until analyzed.
    spilled_at: Option<u64>,
    seq: u64,
    extra_origins: Vec<OriginReport>,
}

pub struct Collector {
    spill: std::io::BufWriter<std::fs::File>,
    spill_len: u64,
    entries: HashMap<MessageKey, Entry>,
    verdicts: BTreeMap<Verdict, u64>,
    analyzed: u64,
    duplicates: u64,
    other_files: u64,
    unreadable: Vec<Unreadable>,
    stores: Vec<StoreTally>,
}

impl Collector {
    pub fn new() -> Result<Self> {
        let file = tempfile::tempfile().context("cannot create a temporary file for results")?;
        Ok(Collector {
            spill: std::io::BufWriter::with_capacity(SPILL_BUFFER, file),
            spill_len: 0,
            entries: HashMap::new(),
            verdicts: BTreeMap::new(),
            analyzed: 0,
            duplicates: 0,
            other_files: 0,
            unreadable: Vec::new(),
            stores: Vec::new(),
        })
    }

    /// Unique messages analyzed so far. (A duplicate of a message whose
    /// header could not be read leaves an entry with no report behind: the
    /// entries are not a count of messages.)
    pub fn analyzed(&self) -> u64 {
        self.analyzed
    }

    pub fn add(&mut self, event: Event) -> Result<()> {
        match event {
            Event::Analyzed {
                seq,
                key,
                verdict,
                line,
            } => {
                *self.verdicts.entry(verdict).or_default() += 1;
                self.analyzed += 1;
                let line = line?;
                let at = self.spill_len;
                self.spill.write_all(&line)?;
                self.spill.write_all(b"\n")?;
                self.spill_len += line.len() as u64 + 1;
                let entry = self.entries.entry(key).or_insert(Entry {
                    spilled_at: None,
                    seq,
                    extra_origins: Vec::new(),
                });
                entry.spilled_at = Some(at);
                entry.seq = seq;
            }
            Event::Duplicate { key, origin } => {
                self.duplicates += 1;
                // The duplicate may overtake its first copy, which is still
                // being analyzed: keep its origin until the report arrives.
                self.entries
                    .entry(key)
                    .or_insert(Entry {
                        spilled_at: None,
                        seq: u64::MAX,
                        extra_origins: Vec::new(),
                    })
                    .extra_origins
                    .push(origin);
            }
            Event::Unreadable(unreadable) => self.unreadable.push(unreadable),
            Event::OtherFile => self.other_files += 1,
            Event::Store(tally) => self.stores.push(tally),
        }
        Ok(())
    }

    pub fn summary(&self, elapsed: Duration) -> Summary {
        Summary {
            unique_messages: self.analyzed,
            duplicates: self.duplicates,
            verdicts: self.verdicts.clone(),
            other_files: self.other_files,
            unreadable: self.unreadable.clone(),
            stores: self.stores.clone(),
            elapsed,
        }
    }

    /// Every report in dump order, with all its origins, as JSON lines
    /// (each ending in a newline).
    pub fn json_lines(mut self) -> Result<impl Iterator<Item = Result<Vec<u8>>>> {
        self.spill.flush()?;
        let mut file = self
            .spill
            .into_inner()
            .map_err(|e| e.into_error())
            .context("cannot finish the results file")?;
        let mut order: Vec<Entry> = self.entries.into_values().collect();
        order.sort_by_key(|e| e.seq);
        file.seek(SeekFrom::Start(0))?;
        let mut reader = SpillReader {
            reader: BufReader::with_capacity(SPILL_BUFFER, file),
            pos: 0,
        };
        Ok(order.into_iter().filter_map(move |entry| {
            let at = entry.spilled_at?;
            Some(
                reader
                    .line_at(at)
                    .and_then(|line| with_extra_origins(line, &entry.extra_origins)),
            )
        }))
    }

    /// Every report in dump order, with all its origins.
    pub fn reports(self) -> Result<impl Iterator<Item = Result<MessageReport>>> {
        Ok(self
            .json_lines()?
            .map(|line| serde_json::from_slice(&line?).context("results file is damaged")))
    }
}

/// Reads spilled lines back. Reports arrive nearly in dump order, so the
/// next line wanted is mostly the next in the file or close to it: moving
/// within the buffer instead of seeking keeps it.
struct SpillReader {
    reader: BufReader<std::fs::File>,
    /// Offset in the file of the reader's position.
    pos: u64,
}

impl SpillReader {
    fn line_at(&mut self, at: u64) -> Result<Vec<u8>> {
        if at != self.pos {
            self.reader.seek_relative(at as i64 - self.pos as i64)?;
        }
        let mut line = Vec::new();
        self.reader.read_until(b'\n', &mut line)?;
        self.pos = at + line.len() as u64;
        Ok(line)
    }
}

/// Append origins to a spilled line, which ends in `"origins":[…]}` and a
/// newline because `origins` is the report's last field.
fn with_extra_origins(mut line: Vec<u8>, extra: &[OriginReport]) -> Result<Vec<u8>> {
    if extra.is_empty() {
        return Ok(line);
    }
    let damaged = || anyhow::anyhow!("results file is damaged");
    if !line.ends_with(b"]}\n") {
        return Err(damaged());
    }
    line.truncate(line.len() - 3);
    let mut first = line.ends_with(b"[");
    for origin in extra {
        if !first {
            line.push(b',');
        }
        first = false;
        serde_json::to_writer(&mut line, origin)?;
    }
    line.extend_from_slice(b"]}\n");
    Ok(line)
}
