//! Findings: what the analyzers conclude, with the evidence, in the schema
//! every presentation (CLI text, JSONL, later the case store and the UI)
//! reads. The JSON field names here are a stable interface: add fields, do
//! not rename them.

mod content;
mod message;
mod verdict;

pub use content::{Address, Attachment, HeaderLine, MessageContent};
pub use message::{
    ArcReport, KeyAttemptReport, KeyCaveatReport, MessageReport, OriginReport, Repair,
    SignatureReport, UncoveredHeaderReport,
};
pub use verdict::Verdict;
