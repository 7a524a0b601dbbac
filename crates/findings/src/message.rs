use crate::Verdict;
use serde::{Deserialize, Serialize};
use tamis_items::{ContentId, Origin};

/// Everything tamis concluded about one unique message: one JSONL line of
/// `tamis verify --format jsonl`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageReport {
    /// The Message-ID header, without angle brackets, if any.
    pub message_id: Option<String>,
    /// SHA-256 of the exact bytes that were verified (the first origin's).
    pub sha256: ContentId,
    pub from: Option<String>,
    pub subject: Option<String>,
    /// RFC 3339 when the Date header parses, else the header as written.
    pub date: Option<String>,
    pub verdict: Verdict,
    /// Why the message got its verdict, in one sentence.
    pub reason: String,
    /// Exporter damage undone before verifying, each named.
    pub repairs: Vec<Repair>,
    /// One per DKIM-Signature header, in header order.
    pub signatures: Vec<SignatureReport>,
    pub arc: ArcReport,
    /// Every place these bytes (or a re-export of them) were found. Last in
    /// the object on purpose: `tamis verify` appends the origins of
    /// duplicates found later to an already written line without parsing it.
    pub origins: Vec<OriginReport>,
}

/// One place a message was found, with the hash of the bytes found there
/// (a re-exported copy has different bytes from the first one).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OriginReport {
    #[serde(flatten)]
    pub origin: Origin,
    /// `file!entry@offset`, for people and for grep.
    pub location: String,
    pub sha256: ContentId,
}

impl OriginReport {
    pub fn new(origin: Origin, sha256: ContentId) -> Self {
        OriginReport {
            location: origin.to_string(),
            origin,
            sha256,
        }
    }
}

/// Exporter damage that was undone so that the signed bytes could be checked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Repair {
    /// Stable code: `lf-line-endings`, `mbox-from-unescape`.
    pub code: String,
    pub description: String,
}

/// What one DKIM-Signature proves.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignatureReport {
    pub domain: Option<String>,
    pub selector: Option<String>,
    pub algorithm: Option<String>,
    pub canonicalization: Option<String>,
    pub identity: Option<String>,
    pub signed_headers: Vec<String>,
    pub key_bits: Option<u32>,
    pub key_type: Option<String>,
    /// Provenance of the key that decided: `keys.zone:12`, `dns:… at …`.
    pub key_source: Option<String>,
    /// Why the key that verified proves less than the signature suggests
    /// (trust flags from a key store that hold at this signature's date).
    /// Omitted when empty, so reports without a key store are unchanged.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub key_caveats: Vec<KeyCaveatReport>,
    /// This signature's own verdict word (same vocabulary as messages).
    pub result: Verdict,
    /// The verifier's outcome in protocol terms (`body-hash-mismatch`, …).
    pub outcome: String,
    pub reason: String,
    /// Canonicalized body bytes after `l=` that nobody signed.
    pub unsigned_body_bytes: u64,
    pub unsigned_tail_preview: Option<String>,
    pub body_hash_claimed: Option<String>,
    pub body_hash_computed: Option<String>,
    /// `Some(true)`: the header signature verifies; `Some(false)`: it does
    /// not; `None`: not checked (no usable key, malformed).
    pub header_signature_verifies: Option<bool>,
    /// RSA only: whether the failing signature was made with the key found.
    pub key_matches_signature: Option<bool>,
    pub keys_tried: Vec<KeyAttemptReport>,
    pub timestamp: Option<u64>,
    pub expiration: Option<u64>,
    pub uncovered_headers: Vec<UncoveredHeaderReport>,
    pub notes: Vec<String>,
}

/// One trust flag of a key, as it bears on one signature.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyCaveatReport {
    /// `weak`, `private-key-published`, `shared-factor`,
    /// `outside-seen-window` or `recovered`.
    pub code: String,
    pub detail: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyAttemptReport {
    pub source: String,
    pub result: String,
}

/// A displayed header the signature does not vouch for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UncoveredHeaderReport {
    pub name: String,
    pub value: String,
    /// `extra-instance` or `not-in-h`.
    pub reason: String,
}

/// What the ARC chain proves (it never changes the DKIM verdict).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArcReport {
    /// `none`, `pass` or `fail`.
    pub chain: String,
    pub instances: u32,
    pub failed_instance: Option<u32>,
    pub reason: String,
}
