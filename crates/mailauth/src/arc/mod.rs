//! ARC chain validation (RFC 8617).

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
    /// `None` when not checked (RFC 8617 only requires the newest AMS).
    pub message_signature_verifies: Option<bool>,
    pub seal_verifies: Option<bool>,
    /// Key provenance of the seal, when one was used.
    pub seal_key_source: Option<String>,
}

/// Validate the ARC chain of `message` (exact bytes, CRLF line endings).
pub fn validate_chain(message: &[u8], keys: &dyn KeyLookup) -> ArcResult {
    let _ = (message, keys);
    todo!("ARC validation")
}
