//! tamis's DKIM and ARC verification core.
//!
//! Why our own and not mail-auth (the ecosystem's crate): a forensic verifier
//! must tell apart what a mail filter lumps together.
//! - A 512-bit key that verifies is a *weak* proof, not a forged signature.
//! - Mail is judged years after it was sent: there is no "now"; an expired
//!   `x=` is reported, never turned into a failure that hides the body check.
//! - `l=` signatures are verified and the unsigned tail is reported.
//! - The key is looked up before the body hash is trusted, and every key a
//!   selector ever had is tried; the evidence names the one that decided.
//! - For RSA, the signature is opened with the public key and the PKCS#1
//!   padding inspected: a well-formed padding around a different digest proves
//!   the key is the signer's and the signed headers changed, while garbage
//!   means this key did not make the signature at all.
//!
//! The crate does no I/O: keys come through [`KeyLookup`], messages as bytes.
//! Layout follows the protocols: `common/` (header splitting, tag lists,
//! canonicalization, key records, crypto) shared by `dkim/` and `arc/`.

pub mod arc;
pub mod common;
pub mod dkim;
pub use tamis_keys::{CaveatScope, KeyCaveat, KeyLookup, TxtLookup, TxtRecord};
