//! DKIM key records (RFC 6376 section 3.6.1, RFC 8463).

use super::crypto::PublicKey;

/// A parsed key record.
#[derive(Clone, Debug)]
pub struct KeyRecord {
    /// `None` when `p=` is empty: the key is revoked.
    pub key: Option<PublicKey>,
    /// `h=`: acceptable hash algorithms, `None` when absent (all allowed).
    pub hash_algorithms: Option<Vec<String>>,
    /// `s=`: service types (default `*`).
    pub services: Vec<String>,
    /// `t=` flags (`y` testing, `s` strict identity).
    pub flags: Vec<String>,
    /// `g=` granularity from RFC 4871 (dropped by RFC 6376, still honoured
    /// by old verifiers); `None` when absent.
    pub granularity: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    #[error("key record is not a tag list: {0}")]
    Syntax(String),
    #[error("key record version {0:?} is not DKIM1")]
    Version(String),
    #[error("key type k={0:?} is not supported")]
    KeyType(String),
    #[error("p= is not a valid {0} public key: {1}")]
    BadKey(&'static str, String),
}

/// Parse a key record's text.
pub fn parse_key_record(text: &str) -> Result<KeyRecord, KeyError> {
    let _ = text;
    todo!()
}
