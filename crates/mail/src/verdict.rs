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

use crate::trust;
use tamis_findings::{KeyAttemptReport, SignatureReport, UncoveredHeaderReport, Verdict};
use tamis_mailauth::dkim::{KeyType, Outcome, SignatureResult};

pub use tamis_mailauth::common::key::WEAK_RSA_BITS;

/// The verdict one signature supports on its own, its key's caveats
/// weighed at `message_time` (the Date header, Unix seconds).
pub fn signature_verdict(result: &SignatureResult, message_time: Option<i64>) -> Verdict {
    let verdict = protocol_verdict(result);
    if result.outcome != Outcome::Pass {
        return verdict;
    }
    trust::limited_verdict(&trust::holding(result, message_time)).unwrap_or(verdict)
}

/// The verdict from the protocol outcome and the key's size alone.
fn protocol_verdict(result: &SignatureResult) -> Verdict {
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

/// The strongest verdict a set of signatures supports (`unsigned` if
/// none), from the protocol alone: how repairs are compared, and key
/// caveats are the same before and after a repair.
pub fn strongest(signatures: &[SignatureResult]) -> Verdict {
    signatures
        .iter()
        .map(protocol_verdict)
        .min()
        .unwrap_or(Verdict::Unsigned)
}

/// For a message rebuilt from a mail store that keeps properties rather
/// than bytes (PST, OST, MSG): a signature that fails on it says only that
/// the rebuilt bytes differ from the signed ones, which they were always
/// going to, so `body-altered` and `headers-altered` become `rebuilt`. A
/// signature that verifies keeps its verdict: the rebuilt bytes are then
/// exactly the signed ones.
pub fn rebuilt_by_store(signatures: &mut [SignatureReport]) {
    for signature in signatures {
        if matches!(
            signature.result,
            Verdict::BodyAltered | Verdict::HeadersAltered
        ) {
            signature.reason = format!(
                "{} This message comes from a mail store that does not keep the bytes that \
                 were sent: rebuilt by tamis from an Outlook store (PST, OST or MSG), which \
                 keeps headers and properties and not the encoded body, or an Apple Mail \
                 partial download whose attachment bodies Mail removed. A signature that \
                 fails on it therefore proves nothing either way, neither tampering nor \
                 authenticity. Find the message as sent (an .eml, the server's copy) to \
                 verify it.",
                signature.reason
            );
            signature.result = Verdict::Rebuilt;
        }
    }
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

/// The evidence of one signature, in the report schema. Takes the result
/// so that its strings move into the report rather than being copied.
pub fn signature_report(result: SignatureResult, message_time: Option<i64>) -> SignatureReport {
    let verdict = signature_verdict(&result, message_time);
    let caveats = if result.outcome == Outcome::Pass {
        trust::holding(&result, message_time)
    } else {
        Vec::new()
    };
    let key_caveats = trust::reports(&caveats);
    let mut reason = result.reason.clone();
    if !caveats.is_empty() {
        reason = trust::reason(&result, &caveats);
    }
    drop(caveats);
    if result.outcome == Outcome::SignatureMismatch && verdict == Verdict::KeyMissing {
        reason = format!(
            "{reason} No key found for this selector made this signature (its RSA block does \
             not open with any of them): the key in use when it was signed is missing, most \
             likely rotated, so the headers cannot be shown to have changed."
        );
    }
    let tags = result.tags;
    let (key_bits, key_type, key_source) = match result.key {
        Some(key) => (
            Some(key.bits),
            Some(
                match key.key_type {
                    KeyType::Rsa => "rsa",
                    KeyType::Ed25519 => "ed25519",
                }
                .to_string(),
            ),
            Some(key.source),
        ),
        None => (None, None, None),
    };
    let (unsigned_body_bytes, unsigned_tail_preview, body_hash_claimed, body_hash_computed) =
        match result.body {
            Some(body) => (
                body.unsigned_length,
                body.unsigned_tail_preview,
                Some(body.claimed_hash),
                Some(body.computed_hash),
            ),
            None => (0, None, None, None),
        };
    SignatureReport {
        domain: tags.domain,
        selector: tags.selector,
        algorithm: tags.algorithm,
        canonicalization: tags.canonicalization,
        identity: tags.identity,
        signed_headers: tags.signed_headers,
        key_bits,
        key_type,
        key_source,
        key_caveats,
        result: verdict,
        outcome: outcome_word(&result.outcome).to_string(),
        reason,
        unsigned_body_bytes,
        unsigned_tail_preview,
        body_hash_claimed,
        body_hash_computed,
        header_signature_verifies: result.header.as_ref().map(|h| h.verifies),
        key_matches_signature: result.header.as_ref().and_then(|h| h.key_matches_signature),
        keys_tried: result
            .keys_tried
            .into_iter()
            .map(|k| KeyAttemptReport {
                source: k.source,
                result: k.result,
            })
            .collect(),
        timestamp: tags.timestamp,
        expiration: tags.expiration,
        uncovered_headers: result
            .uncovered_headers
            .into_iter()
            .map(|u| UncoveredHeaderReport {
                name: u.name,
                value: u.value,
                reason: u.reason,
            })
            .collect(),
        notes: result.notes,
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
