//! What DKIM and ARC share: header splitting, tag lists, canonicalization,
//! the signed header block, key records and trial, and the signature
//! primitives.
//!
//! These signatures are the contract between `dkim/` and `arc/`: change them
//! in both places at once.

pub mod body;
pub mod canon;
pub mod crypto;
pub mod header;
pub mod key;
pub mod signed;
pub mod tags;
