//! ARC chain validation (RFC 8617).
//!
//! [`validate_chain`] follows the validator's steps of RFC 8617 section 5.2:
//! collect the sets and check their shape (`collect`), parse their tags
//! (`tags`), verify the newest ARC-Message-Signature (`ams`) and every
//! ARC-Seal (`seal`), with keys tried one by one (`keys`); `validate` decides.
//! Canonicalization and crypto come from `common/`, shared with DKIM.

mod ams;
mod collect;
mod keys;
mod seal;
mod tags;
mod validate;

use crate::common::header::SplitMessage;
use crate::KeyLookup;
use serde::Serialize;

/// Chain validation status, as RFC 8617 `cv=` words.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChainValidation {
    None,
    Pass,
    Fail,
}

/// What the ARC headers of a message prove.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ArcResult {
    pub chain: ChainValidation,
    /// Highest instance number found (0 when there is no ARC set).
    pub instances: u32,
    /// The instance whose check failed, when `chain` is `fail`.
    pub failed_instance: Option<u32>,
    /// Why, in words.
    pub reason: String,
    /// Per instance, the domain and selector of its seal, and whether its
    /// seal and message signature verified (same order as instances, i=1 first).
    pub sets: Vec<ArcSetEvidence>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ArcSetEvidence {
    pub instance: u32,
    pub seal_domain: Option<String>,
    pub seal_selector: Option<String>,
    /// `cv=` as written in this instance's ARC-Seal.
    pub claimed_cv: Option<String>,
    /// Whether this set's message signature still verifies over the message
    /// as it is now. Only the newest one decides the chain (RFC 8617); the
    /// older ones tell where the message changed. `None` when not checked.
    pub message_signature_verifies: Option<bool>,
    pub seal_verifies: Option<bool>,
    /// Key provenance of the seal, when one was used.
    pub seal_key_source: Option<String>,
    /// The seal's `t=` (Unix seconds) as written: when this hop sealed the
    /// message, by its own clock. Reported only; there is no "now" to judge
    /// historical mail against.
    pub seal_timestamp: Option<u64>,
    /// Facts about this set that do not decide the chain but a reader needs:
    /// why its seal or message signature does not verify (also for older
    /// message signatures, which RFC 8617 does not require to hold), an
    /// `x=` expiry.
    pub notes: Vec<String>,
}

/// Validate the ARC chain of `message` (exact bytes, CRLF line endings).
///
/// Cost is bounded whatever the input: more than 150 ARC fields (50 sets of
/// three) are refused before any is parsed, and each of at most 50 sets costs
/// one seal and one message-signature check.
pub fn validate_chain(message: &[u8], keys: &dyn KeyLookup) -> ArcResult {
    validate::validate(message, keys)
}

/// [`validate_chain`] for a message already split (as DKIM verification
/// splits it), whose body may be stored with LF line endings.
pub fn validate_split(message: &SplitMessage<'_>, keys: &dyn KeyLookup) -> ArcResult {
    validate::validate_split(message, keys)
}
