//! Document forensics (issue 4): what a document's own metadata says about
//! who made it, with what, when, and how it was edited since.
//!
//! [`inspect`] is the analyzer, pure and bounded: bytes in, a
//! [`DocumentReport`] out (metadata, findings with their evidence, earlier
//! revisions, text for search). A document that cannot be read is a
//! report with a `problem`, never a panic. [`collection`] finds what only
//! shows across many documents (edit bursts, an editor's script differing
//! from the case's, shared lineage).
//!
//! Formats: PDF ([`pdf`]), OOXML, legacy OLE2 Office and ODF ([`office`]),
//! images with EXIF ([`image`]); plain text and HTML for text only.

pub mod collection;
mod detect;
mod findings;
pub mod image;
mod model;
pub mod office;
pub mod pdf;

pub use detect::{detect, Kind};
pub use model::{DocumentReport, Finding, Metadata, Options, PdfFacts, Problem, Revision};
pub use tamis_calendar::format_time;

/// Reads `bytes` (a file named `name`, when known, for the kind only
/// when its content does not say) and reports what its metadata shows.
pub fn inspect(bytes: &[u8], name: Option<&str>, options: &Options) -> DocumentReport {
    let kind = detect(bytes, name);
    let mut report = DocumentReport::new(kind, bytes.len() as u64);
    // Every reader is bounded by `options`, and a reader that panics on a
    // hostile file must not take the case with it.
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| match kind {
        Kind::Pdf => pdf::read(bytes, options, &mut report),
        Kind::Ooxml => office::ooxml::read(bytes, options, &mut report),
        Kind::Odf => office::odf::read(bytes, options, &mut report),
        Kind::Ole2 => office::ole2::read(bytes, options, &mut report),
        Kind::Jpeg | Kind::Tiff | Kind::Png => image::read(bytes, options, &mut report),
        Kind::Text => model::read_text(bytes, options, &mut report),
        Kind::Html => model::read_html_text(bytes, options, &mut report),
        Kind::Unknown => {}
    }));
    if outcome.is_err() {
        report.problems.push(Problem {
            code: "reader-panicked".into(),
            detail: format!("the {kind:?} reader failed on this file; what it read before is kept"),
        });
    }
    report
        .findings
        .extend(findings::document_findings(&report, options));
    report
}
