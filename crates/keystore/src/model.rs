//! What the store hands out: keys with their provenance and trust flags.

use crate::date;
use serde::Serialize;
use std::fmt;

/// A key's id within one store.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct KeyId(pub i64);

/// One key as stored: a (domain, selector, public key) with every source
/// that vouched for it and the flags the last `check` set.
#[derive(Clone, Debug, Serialize)]
pub struct StoredKey {
    pub id: KeyId,
    pub domain: String,
    pub selector: String,
    /// The record text as first imported.
    pub record: String,
    /// `rsa`, `ed25519`, `revoked` (empty `p=`) or `invalid`.
    pub key_type: String,
    /// RSA modulus bits, 256 for Ed25519, `None` without a key.
    pub bits: Option<u32>,
    /// SHA-256 hex of the SubjectPublicKeyInfo (of the record without a key).
    pub identity: String,
    /// Lower-case hex, RSA only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rsa_modulus_hex: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parse_error: Option<String>,
    pub provenance: Vec<Provenance>,
    /// Flags that hold whatever the message date: `weak`,
    /// `private-key-published` (with its date), `shared-factor`.
    pub flags: Vec<TrustFlag>,
}

impl StoredKey {
    /// `selector._domainkey.domain`, the name DKIM looks the key up by.
    pub fn name(&self) -> String {
        format!("{}._domainkey.{}", self.selector, self.domain)
    }
}

/// Where a key came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Provenance {
    /// A zone-style key file the user imported.
    File { path: String, line: Option<u32> },
    /// A live DNS answer, written back so later runs are reproducible offline.
    Dns { resolver: String, looked_up_at: i64 },
    /// A public key archive's export, with the window it saw the record in.
    Archive {
        path: String,
        /// 1-based line (JSON lines).
        line: Option<u32>,
        /// 0-based index (JSON array).
        entry: Option<u32>,
        first_seen: Option<i64>,
        last_seen: Option<i64>,
    },
    /// A list of keys whose private halves are public.
    Published { path: String, line: Option<u32> },
    /// Computed by tamis from signatures in a dump (`tamis keys recover`):
    /// proof that those messages share one signing key, not of whose key
    /// it is. The store's `recovered_from` table lists the messages.
    Recovered { dump: String, recovered_at: i64 },
}

impl Provenance {
    /// Whether anyone but tamis's own recovery vouches for the key.
    pub fn is_independent(&self) -> bool {
        !matches!(self, Provenance::Recovered { .. })
    }
}

impl fmt::Display for Provenance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = |path: &str, line: &Option<u32>| match line {
            Some(line) => format!("{path}:{line}"),
            None => path.to_owned(),
        };
        match self {
            Provenance::File { path, line } => write!(f, "file {}", at(path, line)),
            Provenance::Dns {
                resolver,
                looked_up_at,
            } => write!(f, "dns {resolver} at {}", date::format_time(*looked_up_at)),
            Provenance::Archive {
                path,
                line,
                entry,
                first_seen,
                last_seen,
            } => {
                let place = match entry {
                    Some(entry) => format!("{path}[{entry}]"),
                    None => at(path, line),
                };
                let day = |t: &Option<i64>| t.map_or_else(|| "?".to_owned(), date::format_day);
                write!(
                    f,
                    "archive {place} (seen {}..{})",
                    day(first_seen),
                    day(last_seen)
                )
            }
            Provenance::Published { path, line } => {
                write!(f, "published-private-key list {}", at(path, line))
            }
            Provenance::Recovered { dump, recovered_at } => write!(
                f,
                "recovered from signatures in {dump} at {}",
                date::format_time(*recovered_at)
            ),
        }
    }
}

/// Why a key proves less than a signature suggests.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "flag", rename_all = "kebab-case")]
pub enum TrustFlag {
    /// RSA under 1024 bits: factorable for little money (RFC 8301 3.2).
    Weak { bits: u32 },
    /// The private half is public since `since` (`None`: unknown). A
    /// signature made with it proves nothing whatever the message's Date
    /// says, since whoever signs also writes the Date; it holds only for a
    /// copy known by other means to predate the publication.
    PrivateKeyPublished { source: String, since: Option<i64> },
    /// The modulus shares a prime with another key's: both are factored.
    SharedFactor { detail: String },
    /// The message's date is outside every window in which an archive saw
    /// the key. Depends on the message, so only [`crate::KeyStore::trust_at`]
    /// returns it.
    OutsideSeenWindow {
        first_seen: Option<i64>,
        last_seen: Option<i64>,
    },
}

impl TrustFlag {
    /// The flag's stable name (`weak`, `private-key-published`, …).
    pub fn name(&self) -> &'static str {
        match self {
            TrustFlag::Weak { .. } => "weak",
            TrustFlag::PrivateKeyPublished { .. } => "private-key-published",
            TrustFlag::SharedFactor { .. } => "shared-factor",
            TrustFlag::OutsideSeenWindow { .. } => "outside-seen-window",
        }
    }
}

impl fmt::Display for TrustFlag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TrustFlag::Weak { bits } => write!(f, "weak: RSA key of {bits} bits (under 1024)"),
            TrustFlag::PrivateKeyPublished { source, since } => match since {
                Some(since) => write!(
                    f,
                    "private-key-published: since {} ({source})",
                    date::format_day(*since)
                ),
                None => write!(f, "private-key-published: {source}"),
            },
            TrustFlag::SharedFactor { detail } => write!(f, "shared-factor: {detail}"),
            TrustFlag::OutsideSeenWindow {
                first_seen,
                last_seen,
            } => {
                let day = |t: &Option<i64>| t.map_or_else(|| "?".to_owned(), date::format_day);
                write!(
                    f,
                    "outside-seen-window: archives saw the key {}..{}",
                    day(first_seen),
                    day(last_seen)
                )
            }
        }
    }
}
