//! DKIM verification (RFC 6376, RFC 8463 Ed25519, rsa-sha1 for old mail).
//!
//! Entry point: [`verify_message`]. One [`SignatureResult`] per
//! `DKIM-Signature` header, in header order, each with its evidence.

mod body;
mod headers;
mod keys;
mod parse;
mod reason;
mod result;
mod signed_hash;
mod verify;

pub use result::{
    BodyEvidence, HeaderEvidence, KeyAttempt, KeyEvidence, KeyType, Outcome, SignatureResult,
    SignatureTags, UncoveredHeader,
};
pub use signed_hash::{rsa_signed_hashes, SignedHash};
pub use verify::{verify_message, verify_split};
