//! Sentences a journalist can repeat, and notes that change no outcome.

use super::parse::{ParsedSignature, Rejection};
use super::{BodyEvidence, HeaderEvidence, KeyEvidence, KeyType, Outcome, SignatureTags};
use crate::common::key::WEAK_RSA_BITS;

pub(super) fn rejected(rejection: &Rejection, tags: &SignatureTags) -> String {
    let by = tags
        .domain
        .as_deref()
        .map(|d| format!(" (naming {d})"))
        .unwrap_or_default();
    match rejection.outcome {
        Outcome::Unsupported => format!(
            "This DKIM-Signature{by} uses {}, which tamis does not verify, so it proves nothing either way.",
            rejection.reason
        ),
        _ => format!(
            "This DKIM-Signature{by} is malformed and proves nothing either way: {}.",
            rejection.reason
        ),
    }
}

fn key_name(sig: &ParsedSignature) -> String {
    format!("{}._domainkey.{}", sig.selector, sig.domain)
}

pub(super) fn key_problem(outcome: &Outcome, detail: &str, sig: &ParsedSignature) -> String {
    let (d, s, name) = (&sig.domain, &sig.selector, key_name(sig));
    match outcome {
        Outcome::KeyMissing => format!(
            "No public key is known for selector {s} of {d} ({name}) in the key sources consulted, so this signature cannot be checked."
        ),
        Outcome::KeyLookupFailed => format!(
            "Looking up the key of selector {s} of {d} ({name}) failed ({detail}); nothing can be concluded until it succeeds."
        ),
        Outcome::KeyRevoked => format!(
            "The key of selector {s} of {d} ({name}) has been revoked (empty p=), so this signature can no longer be checked."
        ),
        _ => format!(
            "The key record of selector {s} of {d} ({name}) cannot be used for this signature: {detail}."
        ),
    }
}

fn describe_key(key: &KeyEvidence, sig: &ParsedSignature) -> String {
    let kind = match key.key_type {
        KeyType::Rsa => format!("{}-bit RSA", key.bits),
        KeyType::Ed25519 => "Ed25519".to_owned(),
    };
    format!(
        "the {kind} key of selector {} from {}",
        sig.selector, key.source
    )
}

/// The sentence for a signature that was checked with at least one key.
pub(super) fn checked(
    outcome: &Outcome,
    sig: &ParsedSignature,
    body: &BodyEvidence,
    key: &KeyEvidence,
    header: &HeaderEvidence,
    keys_tried: usize,
) -> String {
    let d = &sig.domain;
    let key_text = describe_key(key, sig);
    match outcome {
        Outcome::Pass => {
            let mut text = format!(
                "{d} signed this message: the signature verifies with {key_text}, and the signed headers and body are unchanged."
            );
            if body.unsigned_length > 0 {
                text.push_str(&format!(
                    " But l= limits the signature to the first {} bytes of the body: the {} bytes after them are not signed and anyone could have added them.",
                    body.signed_length, body.unsigned_length
                ));
            }
            if key.key_type == KeyType::Rsa && key.bits < WEAK_RSA_BITS {
                text.push_str(&format!(
                    " The key is only {} bits, too weak to be a proof today.",
                    key.bits
                ));
            }
            text
        }
        Outcome::BodyHashMismatch => {
            let mut text = match sig.body_length {
                Some(l) if l > body.canonical_length => format!(
                    "The body is shorter than what {d} signed: l= says {l} bytes were signed but the canonical body has only {}, so its hash cannot match.",
                    body.canonical_length
                ),
                _ => format!(
                    "The body changed after {d} signed it: its hash no longer matches the signed bh= value."
                ),
            };
            if header.verifies {
                text.push_str(&format!(
                    " The header signature still verifies with {key_text}, so that bh= value is authentic and the body was provably altered."
                ));
            } else {
                text.push(' ');
                text.push_str(&header_failure(
                    sig, &key_text, header, keys_tried, "either",
                ));
            }
            text
        }
        _ => format!(
            "The body matches what {d} signed, but {}",
            header_failure(sig, &key_text, header, keys_tried, "")
        ),
    }
}

fn header_failure(
    sig: &ParsedSignature,
    key_text: &str,
    header: &HeaderEvidence,
    keys_tried: usize,
    either: &str,
) -> String {
    let d = &sig.domain;
    let either = if either.is_empty() {
        String::new()
    } else {
        format!(" {either}")
    };
    match header.key_matches_signature {
        Some(true) => format!(
            "the signature over the headers does not verify{either}: {key_text} opens it to a well-formed block around a different digest, so {d} made this signature and a signed header changed afterwards."
        ),
        Some(false) => format!(
            "the signature over the headers does not verify{either}: none of the {keys_tried} key(s) known for selector {} made it (first tried: {key_text}), so the headers were forged or the key that signed is not in the key sources.",
            sig.selector
        ),
        None => format!(
            "the signature over the headers does not verify{either} with {key_text}: a signed header changed, or another key made the signature."
        ),
    }
}

/// Facts about `x=` and `t=`. Never a failure: there is no "now" when judging
/// old mail, and the crate has no clock.
pub(super) fn timing_notes(tags: &SignatureTags) -> Vec<String> {
    let mut notes = Vec::new();
    if let Some(x) = tags.expiration {
        notes.push(format!(
            "The signature declares an expiry x={x} ({}); expiry is reported, never enforced, since historical mail is judged long after it was sent.",
            utc(x)
        ));
        if let Some(t) = tags.timestamp {
            if x < t {
                notes.push(format!(
                    "x= ({}) is earlier than the signing time t= ({}), which RFC 6376 forbids: the signer's clock or software was wrong.",
                    utc(x),
                    utc(t)
                ));
            }
        }
    }
    notes
}

/// Unix seconds as RFC 3339 UTC, by the civil-from-days algorithm (no clock,
/// no time-zone database needed).
fn utc(secs: u64) -> String {
    const MAX: u64 = 253_402_300_799; // 9999-12-31T23:59:59Z
    if secs > MAX {
        return format!("{secs} seconds after 1970, beyond year 9999");
    }
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unix_seconds_format_as_utc() {
        assert_eq!(utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(utc(1_494_547_200), "2017-05-12T00:00:00Z");
        assert_eq!(utc(951_782_400), "2000-02-29T00:00:00Z");
        assert!(utc(u64::MAX).contains("beyond"));
    }

    #[test]
    fn expiry_before_signing_time_is_noted() {
        let tags = SignatureTags {
            timestamp: Some(200),
            expiration: Some(100),
            ..SignatureTags::default()
        };
        let notes = timing_notes(&tags);
        assert_eq!(notes.len(), 2);
        assert!(notes[1].contains("earlier than the signing time"));
    }
}
