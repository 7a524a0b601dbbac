//! The final state through lopdf: loading under our bounds, and what the
//! trailer, the Info dictionary and the catalog's XMP stream say.

use super::strings::{hex, resolve, value_text};
use super::xmp::{self, Xmp};
use crate::Options;
use lopdf::{DecompressError, Dictionary, Document, Error, LoadOptions, Object, ObjectId};
use memchr::memmem;
use std::collections::BTreeMap;

/// What may still be decompressed for this document, in bytes.
///
/// lopdf decompresses object streams and cross-reference streams itself
/// while loading, each under one per-stream limit, and tells nobody how
/// much it inflated. So a load is charged for the most it can inflate:
/// every `/ObjStm` or `/XRef` in the file (counted in the raw bytes, where
/// those dictionaries always stand uncompressed) at the per-stream limit,
/// twice (lenient loading may read the file a second time, rebuilding the
/// cross-reference table). Everything decompressed after loading (content,
/// XMP, fonts' Unicode maps) is decoded by us under `limit()` and charged
/// what it really took.
#[derive(Debug)]
pub(crate) struct Budget {
    part: u64,
    remaining: u64,
}

impl Budget {
    pub fn new(options: &Options) -> Self {
        Budget {
            part: options.max_part_bytes,
            remaining: options.max_total_bytes,
        }
    }

    /// The most the next stream may decompress to.
    pub fn limit(&self) -> usize {
        usize::try_from(self.part.min(self.remaining)).unwrap_or(usize::MAX)
    }

    pub fn charge(&mut self, bytes: usize) {
        self.remaining = self.remaining.saturating_sub(bytes as u64);
    }

    pub fn exhausted(&self) -> bool {
        self.remaining == 0
    }

    /// The per-stream limit for loading `bytes`: its object and
    /// cross-reference streams, over two passes, get at most half of what
    /// remains, charged now.
    fn for_load(&mut self, bytes: &[u8]) -> usize {
        let streams = (memmem::find_iter(bytes, b"/ObjStm").count()
            + memmem::find_iter(bytes, b"/XRef").count())
        .max(1) as u64;
        let share = self.remaining / 2;
        let per_stream = self.part.min(share / (2 * streams));
        self.charge(usize::try_from(per_stream * 2 * streams).unwrap_or(usize::MAX));
        usize::try_from(per_stream).unwrap_or(usize::MAX)
    }
}

/// A lopdf error as a problem: its code and words. lopdf's message for a
/// decompression error hides which one, so the inner error is spelled out.
pub(crate) fn describe(e: &Error, what: &str) -> (&'static str, String) {
    match e {
        Error::Decompress(DecompressError::MemoryLimitExceeded { limit }) => (
            "too-large",
            format!("{what} decompresses to more than {limit} bytes"),
        ),
        Error::Decompress(inner) => (
            "malformed",
            format!("{what} could not be decompressed: {inner}"),
        ),
        e => ("malformed", format!("{what}: {e}")),
    }
}

/// Why lopdf could not give the final state.
#[derive(Debug)]
pub(crate) struct LoadFailure {
    pub code: &'static str,
    pub detail: String,
}

/// Loads `bytes` (the whole file, or an earlier revision of it) leniently:
/// lopdf repairs what it can, and a leak's files need repairs.
pub(crate) fn load(
    bytes: &[u8],
    options: &Options,
    budget: &mut Budget,
) -> Result<Document, LoadFailure> {
    // lopdf keeps every object, stream bytes included, in memory: a file
    // larger than all we would decompress for it is not loaded at all.
    if bytes.len() as u64 > options.max_total_bytes {
        return Err(LoadFailure {
            code: "too-large",
            detail: format!(
                "{} bytes is more than the {} bytes a document may take; objects, metadata and text were not read",
                bytes.len(),
                options.max_total_bytes
            ),
        });
    }
    let per_stream = budget.for_load(bytes);
    let load_options = LoadOptions {
        max_decompressed_size: Some(per_stream),
        ..LoadOptions::default()
    };
    let loaded = std::panic::catch_unwind(|| Document::load_mem_with_options(bytes, load_options));
    match loaded {
        Ok(Ok(doc)) => Ok(doc),
        Ok(Err(e @ Error::Decompress(_))) => {
            let (code, detail) = describe(&e, "an object or cross-reference stream");
            Err(LoadFailure { code, detail })
        }
        Ok(Err(e)) => Err(LoadFailure {
            code: "malformed",
            detail: format!("the PDF objects could not be read: {e}"),
        }),
        Err(_) => Err(LoadFailure {
            code: "malformed",
            detail: "the PDF parser failed on this file".into(),
        }),
    }
}

pub(crate) fn catalog(doc: &Document) -> Option<&Dictionary> {
    let root = doc.trailer.get(b"Root").ok()?;
    resolve(doc, root)?.as_dict().ok()
}

/// The id an entry refers to, when it is a reference.
pub(crate) fn reference(dict: &Dictionary, key: &[u8]) -> Option<ObjectId> {
    dict.get(key).ok()?.as_reference().ok()
}

pub(crate) fn info_dict(doc: &Document) -> Option<&Dictionary> {
    resolve(doc, doc.trailer.get(b"Info").ok()?)?.as_dict().ok()
}

/// The Info dictionary's entries, name (without the slash) → value; at
/// most `max` of them.
pub(crate) fn info(doc: &Document, max: usize) -> BTreeMap<String, String> {
    let Some(dict) = info_dict(doc) else {
        return BTreeMap::new();
    };
    dict.iter()
        .filter_map(|(key, value)| {
            let value = value_text(doc, value)?;
            Some((String::from_utf8_lossy(key).into_owned(), value))
        })
        .take(max)
        .collect()
}

/// The trailer's two document IDs, in hex.
pub(crate) fn ids(doc: &Document) -> Vec<String> {
    let Some(Object::Array(items)) = doc.trailer.get(b"ID").ok().and_then(|o| resolve(doc, o))
    else {
        return Vec::new();
    };
    items
        .iter()
        .take(2)
        .filter_map(|item| match resolve(doc, item)? {
            Object::String(bytes, _) => Some(hex(bytes)),
            _ => None,
        })
        .collect()
}

/// The catalog's `/Metadata` stream, parsed; `Err` says why it was not (a
/// problem's code and words).
pub(crate) fn xmp(
    doc: &Document,
    budget: &mut Budget,
) -> Result<Option<Xmp>, (&'static str, String)> {
    let Some(entry) = catalog(doc).and_then(|c| c.get(b"Metadata").ok()) else {
        return Ok(None);
    };
    let Some(Object::Stream(stream)) = resolve(doc, entry) else {
        return Err((
            "malformed",
            "the catalog's /Metadata is not a stream".into(),
        ));
    };
    let packet = stream
        .get_plain_content_with_limit(budget.limit())
        .map_err(|e| describe(&e, "the XMP metadata stream"))?;
    budget.charge(packet.len());
    Ok(Some(xmp::parse(&packet)))
}

/// The catalog's `/Lang`.
pub(crate) fn language(doc: &Document) -> Option<String> {
    catalog(doc)
        .and_then(|c| c.get(b"Lang").ok())
        .and_then(|lang| value_text(doc, lang))
        .filter(|lang| !lang.trim().is_empty())
}
