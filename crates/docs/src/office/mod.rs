//! Office documents: OOXML (docx, xlsx, pptx), ODF, legacy OLE2.

mod codepage;
mod dates;
pub mod odf;
pub mod ole2;
pub mod ooxml;
mod package;
mod ppt_text;
mod xls_text;
mod xml;

use crate::{DocumentReport, Metadata, Options};

/// Text gathered for search across a document's parts, bounded: once the
/// bound is passed the rest of the document is parsed for its metadata
/// only, and no more text is copied.
pub(crate) struct TextSink {
    buf: String,
    limit: usize,
}

impl TextSink {
    pub(crate) fn new(options: &Options) -> Self {
        TextSink {
            buf: String::new(),
            limit: options.max_text_bytes,
        }
    }

    pub(crate) fn full(&self) -> bool {
        self.buf.len() > self.limit
    }

    pub(crate) fn push(&mut self, piece: &str) {
        if !self.full() {
            self.buf.push_str(piece);
        }
    }

    /// Hands the text to the report (which cuts it at the bound on a
    /// character boundary and says so); nothing when there is no text.
    pub(crate) fn finish(self, report: &mut DocumentReport, options: &Options) {
        let text = self.buf.trim_end();
        if !text.trim_start().is_empty() {
            report.push_text(text, options);
        }
        // Readers stop pushing once the sink is full: the text is cut even
        // when what was kept, trimmed, happens to fit.
        if self.full() {
            report.text_truncated = true;
        }
    }
}

pub(crate) fn add_language(metadata: &mut Metadata, tag: &str) {
    if !tag.is_empty() && !metadata.languages.iter().any(|l| l == tag) {
        metadata.languages.push(tag.to_owned());
    }
}

/// A little-endian `u16` at `at`, `None` past the end: the binary Office
/// formats (property sets, BIFF and PowerPoint records) are read with
/// these, never with an index that could panic.
pub(crate) fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(
        b.get(at..at.checked_add(2)?)?.try_into().ok()?,
    ))
}

/// A little-endian `u32` at `at`, `None` past the end.
pub(crate) fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(
        b.get(at..at.checked_add(4)?)?.try_into().ok()?,
    ))
}
