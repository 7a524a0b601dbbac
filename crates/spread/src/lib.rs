//! `tamis spread`: how a leak is pushed onto the public, measured from a raw
//! collection of posts (issue 6, DESIGN.md).
//!
//! The stages follow the rest of tamis:
//! - [`input`]: files → a [`Dataset`] (Twitter API v1.1 and v2/twarc2
//!   JSON, twarc-csv, information-operations archive CSV, plain shares
//!   tables; gzip allowed; streamed; malformed lines counted with their
//!   line numbers, never fatal);
//! - [`measure`]: volume, bursts, seeds, accounts, splits, creation dates,
//!   bot-likeness, each with its definition;
//! - [`coordination`]: accounts sharing the same objects within seconds of
//!   each other, their clusters, and co-retweet similarity;
//! - [`report`]: the JSON document, the text summary, the self-contained
//!   HTML report.
//!
//! Everything is computed from the collection alone: no network, no
//! external classifier.

pub mod coordination;
pub mod input;
pub mod measure;
mod model;
pub mod report;
#[cfg(feature = "synthetic")]
pub mod synthetic;

pub use model::{Account, Dataset, Interner, Post, PostKind, NONE};
