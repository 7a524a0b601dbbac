//! tamis's key store: every DKIM public key known, where each came from,
//! and whether it can still be trusted.
//!
//! Leaks are verified years after the mail was sent, when DNS has rotated
//! the keys away; and a signature proves little when its key was weak or its
//! private half has since been published. The store keeps keys as
//! historical facts (domain, selector, record, type and size, the public key
//! as SubjectPublicKeyInfo, the RSA modulus) with every provenance that
//! vouched for each, and the trust flags `check` computed.
//!
//! - One portable SQLite file; schema and the meaning of every column in
//!   `src/schema.sql`. Imports are idempotent.
//! - Imports are told apart by content ([`import`]): zone files (read by
//!   `tamis-keys`, exactly as `--keys FILE` reads them), JSON exports of key
//!   archives ([`import::json`] lists the accepted shapes), and lists of
//!   keys whose private halves are public ([`import::published`]).
//! - Trust ([`KeyStore::check`]): `weak` (RSA under 1024 bits),
//!   `private-key-published` (bundled RFC 6376 and RFC 8463 example keys,
//!   plus the user's lists), `shared-factor` (batch GCD over every RSA
//!   modulus, on GMP). `outside-seen-window` depends on a message's date:
//!   [`KeyStore::trust_at`].
//! - [`recover`]: an RSA public key rebuilt from two or more PKCS#1 v1.5
//!   signatures it made (GCD of `s^e - m`, on GMP), for keys no archive kept.
//! - The store is a [`tamis_keys::KeyLookup`]: every key of a selector, with
//!   its provenance. [`is_store_file`] tells a store from a zone file.
//!
//! Record parsing is `tamis-mailauth`'s, so the store and the verifier never
//! disagree on what a record holds.

mod date;
pub mod import;
mod lookup;
mod material;
mod model;
pub mod recover;
mod recovered_keys;
mod store;
mod trust;

pub use import::{ImportFormat, ImportReport};
pub use model::{KeyId, Provenance, StoredKey, TrustFlag};
pub use recovered_keys::RecoveredSignature;
pub use store::{is_store_file, split_key_name, KeyStore, StoreError, SQLITE_MAGIC};
pub use trust::published::BUNDLED as BUNDLED_PUBLISHED_KEYS;
pub use trust::CheckReport;

/// Unix time from a date as archives and `--published-on` write it
/// (`2016-03-01`, ISO 8601 with time, Unix seconds); `end_of_day` makes a
/// bare date mean its last second.
pub fn parse_date(text: &str, end_of_day: bool) -> Option<i64> {
    date::parse(
        text,
        if end_of_day {
            date::DayEnd::End
        } else {
            date::DayEnd::Start
        },
    )
}

/// Batch GCD on raw big-endian moduli, for benchmarks and callers outside
/// a store: for each modulus, whether it shares a prime with another.
pub fn moduli_sharing_a_factor(moduli: &[Vec<u8>]) -> Vec<bool> {
    let values: Vec<trust::gmp::Mpz> = moduli
        .iter()
        .map(|m| trust::gmp::Mpz::from_be_bytes(m))
        .collect();
    trust::batch_gcd::shared_divisors(&values)
        .iter()
        .map(|d| !d.is_one())
        .collect()
}
