//! One verification per DKIM-Signature, in the outcome precedence of
//! [`Outcome`]: header problems, then key problems, then body, then headers.

use super::body::BodyHashes;
use super::headers::HeaderIndex;
use super::keys::{key_evidence, usable_keys, Keys};
use super::parse::parse_signature;
use super::{reason, HeaderEvidence, KeyAttempt, Outcome, SignatureResult, SignatureTags};
use crate::common::crypto::{PublicKey, SignatureCheck};
use crate::common::header::{split_message, HeaderField, SplitMessage};
use crate::common::key::try_keys;
use crate::{KeyLookup, TxtLookup};

/// Verify every DKIM-Signature header of `message` (exact bytes, CRLF line
/// endings expected; callers repair exporter damage before calling).
///
/// A message whose header cannot be split (see
/// [`crate::common::header::HeaderError`]) yields no results: its signature
/// fields cannot be located reliably. Callers that must tell such a message
/// from an unsigned one split it themselves and call [`verify_split`].
pub fn verify_message(message: &[u8], keys: &dyn KeyLookup) -> Vec<SignatureResult> {
    match split_message(message) {
        Ok(split) => verify_split(&split, keys),
        Err(_) => Vec::new(),
    }
}

/// Verify every DKIM-Signature header of an already split message.
pub fn verify_split(split: &SplitMessage<'_>, keys: &dyn KeyLookup) -> Vec<SignatureResult> {
    let index = HeaderIndex::new(&split.headers);
    let mut bodies = BodyHashes::new(split.stored_body());
    let mut lookups = KeyCache::default();
    split
        .headers
        .iter()
        .enumerate()
        .filter(|(_, field)| field.name_is("DKIM-Signature"))
        .map(|(i, field)| verify_signature(i, field, &index, &mut bodies, &mut lookups, keys))
        .collect()
}

/// Several signatures of one message often share a selector; a key source
/// may be live DNS, so each name is asked once.
#[derive(Default)]
struct KeyCache {
    answers: Vec<(String, TxtLookup)>,
}

impl KeyCache {
    fn get(&mut self, keys: &dyn KeyLookup, name: &str) -> &TxtLookup {
        let at = match self.answers.iter().position(|(n, _)| n == name) {
            Some(at) => at,
            None => {
                self.answers.push((name.to_owned(), keys.lookup_txt(name)));
                self.answers.len() - 1
            }
        };
        &self.answers[at].1
    }
}

fn attempt_text(check: SignatureCheck) -> &'static str {
    match check {
        SignatureCheck::Valid => "verified",
        SignatureCheck::Invalid {
            key_matches_signature: Some(true),
        } => "PKCS#1 padding valid but digest differs (this key signed; signed headers changed)",
        SignatureCheck::Invalid {
            key_matches_signature: Some(false),
        } => "signature does not verify (this key did not make it)",
        SignatureCheck::Invalid {
            key_matches_signature: None,
        } => "signature does not verify",
    }
}

fn verify_signature(
    header_index: usize,
    field: &HeaderField<'_>,
    index: &HeaderIndex<'_, '_>,
    bodies: &mut BodyHashes<'_>,
    lookups: &mut KeyCache,
    keys: &dyn KeyLookup,
) -> SignatureResult {
    let mut result = SignatureResult {
        header_index,
        tags: SignatureTags::default(),
        outcome: Outcome::Malformed,
        reason: String::new(),
        key: None,
        keys_tried: Vec::new(),
        body: None,
        header: None,
        uncovered_headers: Vec::new(),
        notes: Vec::new(),
    };
    let parsed = parse_signature(field, &mut result.tags);
    result.notes = reason::timing_notes(&result.tags);
    let sig = match parsed {
        Ok(sig) => sig,
        Err(rejection) => {
            result.reason = reason::rejected(&rejection, &result.tags);
            result.outcome = rejection.outcome;
            return result;
        }
    };
    if let Some(draft) = sig.draft {
        result.notes.push(format!(
            "pre-standard draft DKIM signature ({draft}): verified by RFC 6376 rules, which the \
             drafts carrying bh= share for canonicalization, hashing and the signed header block"
        ));
    }
    result.uncovered_headers = index.uncovered(&sig.signed_headers);
    let body = bodies.evidence(&sig);

    let name = format!("{}._domainkey.{}", sig.selector, sig.domain);
    let candidates = match usable_keys(&sig, lookups.get(keys, &name), &mut result.keys_tried) {
        Keys::Usable(candidates) => candidates,
        Keys::None { outcome, detail } => {
            result.reason = reason::key_problem(&outcome, &detail, &sig);
            result.outcome = outcome;
            result.body = Some(body);
            return result;
        }
    };

    let data = index.hash_input(&sig.signed_headers, sig.header_canon, field);
    let trial = try_keys(
        &candidates,
        sig.hash,
        &data,
        &sig.signature,
        |candidate, check| {
            result.keys_tried.push(KeyAttempt {
                source: candidate.record.source.clone(),
                result: attempt_text(check).to_owned(),
            });
            true
        },
    );
    let (verified, signer) = (trial.verified, trial.signer);
    let decided = &candidates[verified.or(signer).unwrap_or(0)];
    let header = HeaderEvidence {
        verifies: verified.is_some(),
        key_matches_signature: match (verified, signer, &decided.key) {
            (Some(_), _, _) => None,
            (None, Some(_), _) => Some(true),
            (None, None, PublicKey::Rsa(_)) => Some(false),
            (None, None, PublicKey::Ed25519(_)) => None,
        },
    };
    result.outcome = if !body.matches {
        Outcome::BodyHashMismatch
    } else if !header.verifies {
        Outcome::SignatureMismatch
    } else {
        Outcome::Pass
    };
    let key = key_evidence(decided);
    if decided.parsed.has_flag("y") {
        result.notes.push(format!(
            "The key record ({}) carries t=y: {} declared it was testing DKIM with this key.",
            key.source, sig.domain
        ));
    }
    result.reason = reason::checked(
        &result.outcome,
        &sig,
        &body,
        &key,
        &header,
        candidates.len(),
    );
    result.key = Some(key);
    result.body = Some(body);
    result.header = Some(header);
    result
}
