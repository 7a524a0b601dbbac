//! Does the last incremental update change only metadata?
//!
//! An update that rewrites the Info dictionary or the XMP stream and
//! nothing else is how a document's author or dates are changed after the
//! fact while every page stays as it was. We read the objects written in
//! the last revision's bytes (between the previous `%%EOF` line and the
//! last `%%EOF`) and accept only: the Info dictionary, the catalog's
//! metadata stream, the catalog itself when it changed nothing but its
//! `/Metadata` entry, and the cross-reference data.

use super::document::{self, catalog, info_dict, reference, Budget};
use super::revisions::{is_white, Scan};
use crate::Options;
use lopdf::{Document, Object, ObjectId};
use memchr::memmem;
use std::collections::{BTreeMap, BTreeSet};

/// Before/after pairs shown at most (a rewritten Info of 500 entries is
/// not 1,000 lines of evidence).
const MAX_CHANGES: usize = 20;

#[derive(Debug)]
pub(crate) struct MetadataOnly {
    pub revision: u32,
    /// Bytes of the last update, `start..end`.
    pub range: (usize, usize),
    /// `2 0 (Info dictionary)`, …
    pub objects: Vec<String>,
    /// `PDF Info /Author before` → value, `… after` → value.
    pub changes: BTreeMap<String, String>,
}

pub(crate) fn metadata_only(
    bytes: &[u8],
    scan: &Scan,
    doc: &Document,
    options: &Options,
    budget: &mut Budget,
) -> Option<MetadataOnly> {
    let (last, previous) = (scan.last()?, scan.before_last()?);
    let start = previous.end.min(last.eof);
    let section = &bytes[start..last.eof];
    let headers = object_headers(section, options.max_entries);
    // An update's cross-reference stream is usually not in the table it
    // carries, so the parser never loads it: it is known by its bytes.
    let xref_streams: BTreeSet<ObjectId> = headers
        .iter()
        .filter(|h| h.xref_stream)
        .map(|h| h.id)
        .collect();
    let written: Vec<ObjectId> = headers.iter().map(|h| h.id).collect();
    if written.is_empty() || freed_in_table(section, options.max_entries) {
        return None;
    }
    // Objects the update put in an object stream count as written too.
    let mut changed: BTreeSet<ObjectId> = written.iter().copied().collect();
    for (&number, entry) in &doc.reference_table.entries {
        if let lopdf::xref::XrefEntry::Compressed { container, .. } = entry {
            if written.contains(&(*container, 0)) {
                changed.insert((number, 0));
            }
        }
    }
    let info_id = reference(&doc.trailer, b"Info");
    let metadata_id = catalog(doc).and_then(|c| reference(c, b"Metadata"));
    let root_id = reference(&doc.trailer, b"Root");
    let mut objects = Vec::new();
    let mut catalog_touched = false;
    let mut metadata_seen = false;
    for id in &changed {
        let what = if xref_streams.contains(id) {
            continue;
        } else if Some(*id) == info_id {
            metadata_seen = true;
            "Info dictionary"
        } else if Some(*id) == metadata_id {
            metadata_seen = true;
            "XMP metadata stream"
        } else if Some(*id) == root_id {
            catalog_touched = true;
            "catalog"
        } else {
            match doc.objects.get(id) {
                Some(Object::Stream(s)) if s.dict.has_type(b"XRef") => continue,
                Some(Object::Stream(s)) if s.dict.has_type(b"ObjStm") => continue,
                // Anything else (a page, a content stream, a font, an
                // object the parser could not read) is a change of content.
                _ => return None,
            }
        };
        objects.push(format!("{} {} ({what})", id.0, id.1));
    }
    if !metadata_seen {
        return None;
    }
    let before = document::load(&bytes[..previous.end], options, budget).ok();
    if catalog_touched {
        let before = before.as_ref()?;
        let strip = |doc: &Document| {
            catalog(doc).map(|c| {
                let mut c = c.clone();
                c.remove(b"Metadata");
                c
            })
        };
        let (old, new) = (strip(before)?, strip(doc)?);
        if old != new {
            return None;
        }
    }
    let changes = before
        .map(|before| differences(&before, doc, options, budget))
        .unwrap_or_default();
    Some(MetadataOnly {
        revision: last.number,
        range: (start, last.eof),
        objects,
        changes,
    })
}

/// The Info and XMP values that differ between two states.
fn differences(
    before: &Document,
    after: &Document,
    options: &Options,
    budget: &mut Budget,
) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut pairs =
        |prefix: &str, old: &BTreeMap<String, String>, new: &BTreeMap<String, String>| {
            let keys: BTreeSet<&String> = old.keys().chain(new.keys()).collect();
            for key in keys {
                let (a, b) = (old.get(key), new.get(key));
                if a != b && out.len() < 2 * MAX_CHANGES {
                    let absent = || "(absent)".to_owned();
                    out.insert(
                        format!("{prefix}{key} before"),
                        a.cloned().unwrap_or_else(absent),
                    );
                    out.insert(
                        format!("{prefix}{key} after"),
                        b.cloned().unwrap_or_else(absent),
                    );
                }
            }
        };
    if info_dict(before).is_some() || info_dict(after).is_some() {
        pairs(
            "PDF Info /",
            &document::info(before, options.max_entries),
            &document::info(after, options.max_entries),
        );
    }
    let xmp = |doc: &Document, budget: &mut Budget| {
        document::xmp(doc, budget)
            .ok()
            .flatten()
            .map(|x| x.fields)
            .unwrap_or_default()
    };
    let (old, new) = (xmp(before, budget), xmp(after, budget));
    pairs("XMP ", &old, &new);
    out
}

struct Header {
    id: ObjectId,
    /// Its dictionary says `/Type /XRef`.
    xref_stream: bool,
}

/// `N G obj` headers in `section`, skipping stream data (where those bytes
/// could occur by chance).
fn object_headers(section: &[u8], max: usize) -> Vec<Header> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(found) = memmem::find(&section[from..], b"obj") {
        let at = from + found;
        from = at + 3;
        if at >= 3 && &section[at - 3..at] == b"end" {
            continue;
        }
        let Some(id) = header_before(section, at) else {
            continue;
        };
        // Skip to this object's end, over its stream data if it has some.
        let rest = &section[from..];
        let end = memmem::find(rest, b"endobj");
        let stream = memmem::find(rest, b"stream");
        let dict_end = match (stream, end) {
            (Some(s), Some(e)) => s.min(e),
            (Some(x), None) | (None, Some(x)) => x,
            (None, None) => rest.len(),
        };
        out.push(Header {
            id,
            xref_stream: stream.is_some() && says_xref(&rest[..dict_end]),
        });
        if out.len() >= max {
            break;
        }
        match (stream, end) {
            (Some(s), Some(e)) if s < e => {
                if let Some(es) = memmem::find(&rest[s..], b"endstream") {
                    from += s + es + 9;
                }
            }
            (_, Some(e)) => from += e + 6,
            _ => {}
        }
    }
    out
}

/// `/Type /XRef` in a dictionary's bytes (not `/XRefStm`, a hybrid
/// trailer's key).
fn says_xref(dict: &[u8]) -> bool {
    memmem::find_iter(dict, b"/Type").any(|at| {
        let rest = &dict[at + 5..];
        let start = rest
            .iter()
            .position(|b| !is_white(*b))
            .unwrap_or(rest.len());
        let value = &rest[start..];
        value.starts_with(b"/XRef") && !value.get(5).is_some_and(u8::is_ascii_alphanumeric)
    })
}

/// Reads `num gen` backwards from the `obj` at `at`.
fn header_before(section: &[u8], at: usize) -> Option<ObjectId> {
    let mut i = at;
    let number = |i: &mut usize| -> Option<u64> {
        let end = *i;
        while *i > 0 && end - *i < 10 && section[*i - 1].is_ascii_digit() {
            *i -= 1;
        }
        (*i < end).then(|| {
            section[*i..end]
                .iter()
                .fold(0u64, |n, d| n * 10 + u64::from(d - b'0'))
        })
    };
    let white = |i: &mut usize| {
        let end = *i;
        while *i > 0 && end - *i < 16 && is_white(section[*i - 1]) {
            *i -= 1;
        }
        *i < end
    };
    white(&mut i);
    let generation = number(&mut i)?;
    if !white(&mut i) {
        return None;
    }
    let num = number(&mut i)?;
    if i > 0 && !is_white(section[i - 1]) && !b"<>[]()/%".contains(&section[i - 1]) {
        return None;
    }
    Some((u32::try_from(num).ok()?, u16::try_from(generation).ok()?))
}

/// Whether a classic cross-reference table in `section` frees an object
/// (a deletion is a change of content). Cross-reference streams are not
/// read for this: their free entries stay unseen.
fn freed_in_table(section: &[u8], max: usize) -> bool {
    let mut from = 0;
    while let Some(found) = memmem::find(&section[from..], b"xref") {
        let at = from + found;
        from = at + 4;
        if at >= 5 && &section[at - 5..at] == b"start" {
            continue;
        }
        let mut tokens = section[from..]
            .split(|b| is_white(*b))
            .filter(|t| !t.is_empty())
            .take(3 * max + 64);
        // Subsections `first count`, then `count` entries of three tokens;
        // anything else (`trailer`) ends the table.
        while let (Some(first), Some(count)) = (tokens.next(), tokens.next()) {
            let (Some(first), Some(count)) = (number(first), number(count)) else {
                break;
            };
            for k in 0..count.min(max as u64) {
                let (Some(_offset), Some(_gen), Some(kind)) =
                    (tokens.next(), tokens.next(), tokens.next())
                else {
                    return false;
                };
                if kind == b"f" && first.saturating_add(k) != 0 {
                    return true;
                }
            }
        }
    }
    false
}

fn number(token: &[u8]) -> Option<u64> {
    (!token.is_empty() && token.len() <= 19 && token.iter().all(u8::is_ascii_digit))
        .then(|| token.iter().fold(0u64, |n, d| n * 10 + u64::from(d - b'0')))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_skip_streams_and_endobj() {
        let section = b"\n12 0 obj\n<</A 1>>\nendobj\n13 0 obj<</Length 9>>stream\n1 0 obj\nendstream\nendobj\n";
        let ids: Vec<ObjectId> = object_headers(section, 100).iter().map(|h| h.id).collect();
        assert_eq!(ids, vec![(12, 0), (13, 0)]);
        let xref = b"\n9 0 obj<</Type/XRef /Index[2 1]/Length 3>>stream\nabc\nendstream\nendobj\n";
        assert!(object_headers(xref, 100)[0].xref_stream);
        assert!(!says_xref(b"<</Type /XRefStm>>"));
    }

    #[test]
    fn freed_entries() {
        let keeps = b"xref\n0 1\n0000000000 65535 f \n12 1\n0000000100 00000 n \ntrailer";
        assert!(!freed_in_table(keeps, 100));
        let frees = b"xref\n0 1\n0000000000 65535 f \n5 1\n0000000000 00001 f \ntrailer";
        assert!(freed_in_table(frees, 100));
        assert!(!freed_in_table(b"startxref\n123\n", 100));
    }
}
