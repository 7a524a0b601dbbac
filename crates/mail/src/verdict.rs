//! From protocol outcomes to tamis's verdict words (DESIGN.md).
//!
//! One departure from a plain reading of the table, on purpose: an RSA
//! signature whose body hash matches but which does not open with any key
//! found for its selector (the PKCS#1 block is garbage, not a block around
//! another digest) is `key-missing`, not `headers-altered`. Such a signature
//! was made by a key we do not have — typically the selector's key was
//! rotated and the name reused — and calling the message altered would
//! accuse genuine mail. `headers-altered` is kept for signatures the key
//! provably made (a valid block around a different digest), and for Ed25519,
//! where no such distinction exists.

use tamis_findings::{KeyAttemptReport, SignatureReport, UncoveredHeaderReport, Verdict};
use tamis_mailauth::dkim::{KeyType, Outcome, SignatureResult};

pub use tamis_mailauth::common::key::WEAK_RSA_BITS;

/// The verdict one signature supports on its own.
pub fn signature_verdict(result: &SignatureResult) -> Verdict {
    match result.outcome {
        Outcome::Pass => {
            let weak = result
                .key
                .as_ref()
                .is_some_and(|k| k.key_type == KeyType::Rsa && k.bits < WEAK_RSA_BITS);
            let partial = result.body.as_ref().is_some_and(|b| b.unsigned_length > 0);
            if weak {
                Verdict::Weak
            } else if partial {
                Verdict::VerifiedPartial
            } else {
                Verdict::Verified
            }
        }
        Outcome::BodyHashMismatch => Verdict::BodyAltered,
        Outcome::SignatureMismatch if signed_by_a_key_we_lack(result) => Verdict::KeyMissing,
        Outcome::SignatureMismatch => Verdict::HeadersAltered,
        Outcome::KeyRevoked => Verdict::KeyRevoked,
        Outcome::KeyMissing | Outcome::KeyLookupFailed => Verdict::KeyMissing,
        Outcome::KeyUnusable | Outcome::Malformed | Outcome::Unsupported => {
            Verdict::InvalidSignature
        }
    }
}

fn signed_by_a_key_we_lack(result: &SignatureResult) -> bool {
    result
        .header
        .as_ref()
        .is_some_and(|h| !h.verifies && h.key_matches_signature == Some(false))
}

/// The strongest verdict a set of signatures supports (`unsigned` if none).
pub fn strongest(signatures: &[SignatureResult]) -> Verdict {
    signatures
        .iter()
        .map(signature_verdict)
        .min()
        .unwrap_or(Verdict::Unsigned)
}

/// The message's verdict and its reason, from its signatures' reports.
pub fn message_verdict(signatures: &[SignatureReport]) -> (Verdict, String) {
    match signatures.iter().min_by_key(|s| s.result) {
        None => (
            Verdict::Unsigned,
            "The message has no DKIM-Signature header.".to_string(),
        ),
        Some(best) => {
            let mut reason = best.reason.clone();
            if signatures.len() > 1 {
                reason.push_str(&format!(
                    " ({} signatures; the strongest decides.)",
                    signatures.len()
                ));
            }
            (best.result, reason)
        }
    }
}

/// The evidence of one signature, in the report schema.
pub fn signature_report(result: &SignatureResult) -> SignatureReport {
    let verdict = signature_verdict(result);
    let mut reason = result.reason.clone();
    if result.outcome == Outcome::SignatureMismatch && verdict == Verdict::KeyMissing {
        reason = format!(
            "{reason} No key found for this selector made this signature (its RSA block does \
             not open with any of them): the key in use when it was signed is missing, most \
             likely rotated, so the headers cannot be shown to have changed."
        );
    }
    let body = result.body.as_ref();
    SignatureReport {
        domain: result.tags.domain.clone(),
        selector: result.tags.selector.clone(),
        algorithm: result.tags.algorithm.clone(),
        canonicalization: result.tags.canonicalization.clone(),
        identity: result.tags.identity.clone(),
        signed_headers: result.tags.signed_headers.clone(),
        key_bits: result.key.as_ref().map(|k| k.bits),
        key_type: result.key.as_ref().map(|k| {
            match k.key_type {
                KeyType::Rsa => "rsa",
                KeyType::Ed25519 => "ed25519",
            }
            .to_string()
        }),
        key_source: result.key.as_ref().map(|k| k.source.clone()),
        result: verdict,
        outcome: outcome_word(&result.outcome).to_string(),
        reason,
        unsigned_body_bytes: body.map_or(0, |b| b.unsigned_length),
        unsigned_tail_preview: body.and_then(|b| b.unsigned_tail_preview.clone()),
        body_hash_claimed: body.map(|b| b.claimed_hash.clone()),
        body_hash_computed: body.map(|b| b.computed_hash.clone()),
        header_signature_verifies: result.header.as_ref().map(|h| h.verifies),
        key_matches_signature: result.header.as_ref().and_then(|h| h.key_matches_signature),
        keys_tried: result
            .keys_tried
            .iter()
            .map(|k| KeyAttemptReport {
                source: k.source.clone(),
                result: k.result.clone(),
            })
            .collect(),
        timestamp: result.tags.timestamp,
        expiration: result.tags.expiration,
        uncovered_headers: result
            .uncovered_headers
            .iter()
            .map(|u| UncoveredHeaderReport {
                name: u.name.clone(),
                value: u.value.clone(),
                reason: u.reason.clone(),
            })
            .collect(),
        notes: result.notes.clone(),
    }
}

fn outcome_word(outcome: &Outcome) -> &'static str {
    match outcome {
        Outcome::Pass => "pass",
        Outcome::BodyHashMismatch => "body-hash-mismatch",
        Outcome::SignatureMismatch => "signature-mismatch",
        Outcome::KeyRevoked => "key-revoked",
        Outcome::KeyMissing => "key-missing",
        Outcome::KeyUnusable => "key-unusable",
        Outcome::KeyLookupFailed => "key-lookup-failed",
        Outcome::Malformed => "malformed",
        Outcome::Unsupported => "unsupported",
    }
}
