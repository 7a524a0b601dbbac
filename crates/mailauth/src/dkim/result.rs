use serde::Serialize;

/// What one DKIM-Signature proves, in the protocol's own terms. Mapping these
/// to tamis's verdict words (DESIGN.md) is the analyzer's job, not this crate's.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// Body hash matches and the header signature verifies with `key`.
    /// Key strength and `l=` coverage are in the evidence, not here.
    Pass,
    /// The body's hash differs from `bh=`: the body changed after signing.
    BodyHashMismatch,
    /// Body hash matches, but the signature over the headers does not verify
    /// with any key found for the selector.
    SignatureMismatch,
    /// The only key records found have an empty `p=`.
    KeyRevoked,
    /// No key record for `s=`/`d=` in any key source.
    KeyMissing,
    /// A key record was found but cannot be used (bad base64, not a key, `k=`
    /// unknown, `h=` forbids the hash, `s=` excludes email, `v=` wrong, `t=s`
    /// with a mismatching `i=` …). The reason says which.
    KeyUnusable,
    /// A key source failed (timeout, SERVFAIL): nothing can be concluded.
    KeyLookupFailed,
    /// The DKIM-Signature header is malformed or violates RFC 6376 (missing
    /// required tag, duplicate tag, `i=` outside `d=`, From not signed …).
    Malformed,
    /// Well-formed but uses an algorithm, canonicalization, version or query
    /// method this verifier does not accept.
    Unsupported,
}

/// The tags of a DKIM-Signature as written, for the evidence. Fields are
/// `None` when the tag is absent or the header could not be parsed that far.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct SignatureTags {
    pub version: Option<String>,
    pub domain: Option<String>,
    pub selector: Option<String>,
    /// `a=` as written, e.g. `rsa-sha256`.
    pub algorithm: Option<String>,
    /// `c=` normalised to `header/body`, e.g. `relaxed/simple` (default `simple/simple`).
    pub canonicalization: Option<String>,
    /// `i=` (agent or user identifier).
    pub identity: Option<String>,
    /// `h=` names as written, in order.
    pub signed_headers: Vec<String>,
    /// `l=` body length limit.
    pub body_length: Option<u64>,
    /// `t=` signing time (Unix seconds).
    pub timestamp: Option<u64>,
    /// `x=` expiry (Unix seconds). Reported, never enforced: there is no "now"
    /// in historical verification.
    pub expiration: Option<u64>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum KeyType {
    Rsa,
    Ed25519,
}

/// The key that decided a signature's outcome.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct KeyEvidence {
    pub key_type: KeyType,
    /// Modulus size for RSA, 256 for Ed25519.
    pub bits: u32,
    /// Provenance from [`crate::TxtRecord::source`].
    pub source: String,
    /// The TXT record as found.
    pub record: String,
    /// What the key's source knows against trusting it; the analyzer
    /// weighs these against the message's date.
    #[serde(skip)]
    pub caveats: Vec<crate::KeyCaveat>,
}

/// One key tried for a signature, and what happened with it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct KeyAttempt {
    pub source: String,
    /// In words: `verified`, `signature does not verify`, `revoked (empty p=)`,
    /// `unusable: h= does not allow sha1`, `PKCS#1 padding valid but digest differs` …
    pub result: String,
}

/// What the body hash check found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BodyEvidence {
    /// `bh=` as written (base64).
    pub claimed_hash: String,
    /// Hash of the canonicalized body (up to `l=`), base64.
    pub computed_hash: String,
    pub matches: bool,
    /// Length of the whole canonicalized body.
    pub canonical_length: u64,
    /// Bytes of the canonicalized body covered by the hash (`l=` or all).
    pub signed_length: u64,
    /// Canonicalized body bytes after `l=` that nobody signed (0 without `l=`).
    pub unsigned_length: u64,
    /// The start of the unsigned tail as text (lossy UTF-8, at most 4 KiB),
    /// so a reader sees what was appended.
    pub unsigned_tail_preview: Option<String>,
}

/// What the header signature check found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct HeaderEvidence {
    /// The signature over the selected headers verifies with the chosen key.
    pub verifies: bool,
    /// For RSA when it does not verify: `Some(true)` when the signature opens
    /// with the key to a well-formed PKCS#1 v1.5 block whose digest differs
    /// (so this key made the signature and the signed headers changed),
    /// `Some(false)` when it opens to garbage (this key did not sign), `None`
    /// for Ed25519 or when it verifies.
    pub key_matches_signature: Option<bool>,
}

/// A header a mail client would display that this signature does not vouch
/// for: an extra instance above the signed ones (DKIM signs from the bottom
/// up, clients show the top), or a displayed header absent from `h=`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct UncoveredHeader {
    pub name: String,
    /// The header's value, unfolded, lossy UTF-8, at most 1 KiB.
    pub value: String,
    /// `extra-instance` or `not-in-h`.
    pub reason: String,
}

/// Everything one DKIM-Signature header proves, with its evidence.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SignatureResult {
    /// Index of this DKIM-Signature among all header fields (0 = topmost).
    pub header_index: usize,
    pub tags: SignatureTags,
    pub outcome: Outcome,
    /// Why, in words a journalist can repeat.
    pub reason: String,
    /// The key that decided the outcome, when one was used.
    pub key: Option<KeyEvidence>,
    /// Every key tried, in the order tried.
    pub keys_tried: Vec<KeyAttempt>,
    /// Absent when the signature failed before the body was hashed
    /// (malformed header, unsupported algorithm).
    pub body: Option<BodyEvidence>,
    pub header: Option<HeaderEvidence>,
    /// Displayed headers this signature does not cover.
    pub uncovered_headers: Vec<UncoveredHeader>,
    /// Facts worth showing that change no outcome, e.g. "x= expiry
    /// 2017-05-12T00:00:00Z passed before the message's own date".
    pub notes: Vec<String>,
}
