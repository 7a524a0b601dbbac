//! The victim's registry (issue 5): fingerprints of an organisation's own
//! genuine files and of the decoys it planted, kept in one portable SQLite
//! file, and the matching that tells, for each item of a leak, whether it
//! is a registered original, an altered copy of one, a decoy (and whose),
//! or unknown.
//!
//! Files: `fingerprint` (text normalisation, MinHash, TLSH), `store` (the
//! registry file), `matching` (identical / altered / decoy / unknown),
//! `diff` (word-level differences for a reader), `decoys` (watermarked
//! per-recipient copies and their recovery).
//!
//! ## Using it
//!
//! Registering (`tamis registry add`):
//!
//! ```no_run
//! use tamis_registry::{fingerprint, store::{EntryKind, NewEntry, Registry}};
//! # fn main() -> anyhow::Result<()> {
//! let mut registry = Registry::create_or_open("registry.sqlite")?;
//! let bytes = std::fs::read("note.docx")?;
//! let added = registry.add(&NewEntry {
//!     path: "note.docx".into(),
//!     kind: EntryKind::Genuine,
//!     recipient: None,
//!     watermark: None,
//!     watermark_key: None,
//!     fingerprint: fingerprint::of(&bytes, Some("note.docx")),
//!     text: None, // Some(fingerprint::text_of(..)) only with --with-text
//!     registered_at: 1_493_942_400,
//! })?;
//! println!("entry {} ({})", added.id, if added.inserted { "new" } else { "already there" });
//! println!("{:?}", registry.stats()?);
//! # Ok(()) }
//! ```
//!
//! Matching during ingest: open the file read-only, build one
//! [`matching::Matcher`] (it loads everything it needs; `Send + Sync`, share
//! it by reference across workers), then per item:
//!
//! ```no_run
//! use tamis_registry::{fingerprint, matching::Matcher, store::Registry};
//! # fn main() -> anyhow::Result<()> {
//! let registry = Registry::open_read_only("registry.sqlite")?;
//! let matcher = Matcher::new(&registry)?;
//! # let (bytes, name, watermark) = (Vec::<u8>::new(), "x.pdf", None);
//! // Ingest already has the text: fingerprint::with_text(&bytes, &format, text)
//! // avoids reading the document twice.
//! let fp = fingerprint::of(&bytes, Some(name));
//! let verdict = matcher.match_item(&fp, watermark /* from decoys::recover */);
//! println!("{}", verdict.code()); // registry-identical | -altered | -decoy | -unknown
//! # Ok(()) }
//! ```
//!
//! For an altered item, [`diff::words`] gives the word-level differences
//! from the original's text ([`store::Registry::text`] when it was kept,
//! else [`fingerprint::text_of`] on the original file).
//!
//! Compatibility: a registry records its schema version and the
//! fingerprint scheme ([`fingerprint::SCHEME`]); a file from another
//! scheme or a newer schema is refused by name rather than misread.

pub mod decoys;
pub mod diff;
pub mod fingerprint;
pub mod matching;
pub mod store;
