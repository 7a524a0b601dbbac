//! RFC 8617 section 5.2, the validator's steps, with the evidence of every
//! set gathered along the way.
//!
//! The verdict follows the RFC's order and stops at its first failure; the
//! evidence does not stop: every seal and every message signature is checked
//! (at most 50 of each), because which hop's signatures still hold is what
//! tells a reader where a message was changed.

use super::ams::{self, BodyHashes};
use super::collect::{collect, ArcSet};
use super::keys::KeyUse;
use super::seal;
use super::tags::{self, Seal};
use super::{ArcResult, ArcSetEvidence, ChainValidation};
use crate::common::header::{split_message, HeaderError, SplitMessage};
use crate::KeyLookup;

pub(super) fn validate(message: &[u8], keys: &dyn KeyLookup) -> ArcResult {
    match split_message(message) {
        Ok(split) => validate_split(&split, keys),
        Err(e) => unreadable(message, &e),
    }
}

pub(super) fn validate_split(split: &SplitMessage<'_>, keys: &dyn KeyLookup) -> ArcResult {
    let sets = match collect(&split.headers) {
        Ok(sets) => sets,
        Err(e) => {
            return ArcResult {
                chain: ChainValidation::Fail,
                instances: e.highest,
                failed_instance: e.instance,
                reason: format!("The ARC chain is malformed: {}.", e.reason),
                sets: Vec::new(),
            }
        }
    };
    if sets.is_empty() {
        return ArcResult {
            chain: ChainValidation::None,
            instances: 0,
            failed_instance: None,
            reason: "The message carries no ARC header fields.".to_string(),
            sets: Vec::new(),
        };
    }

    let mut evidence: Vec<ArcSetEvidence> = sets.iter().map(initial_evidence).collect();
    let seals: Vec<Result<Seal, String>> = sets.iter().map(|s| tags::seal(&s.seal)).collect();
    for (ev, seal) in evidence.iter_mut().zip(&seals) {
        if let Ok(seal) = seal {
            ev.seal_timestamp = seal.signer.timestamp;
            if let Some(x) = seal.signer.expiration {
                ev.notes.push(format!(
                    "the seal sets an expiry x={x}, reported only: historical mail is not judged \
                     against today's clock"
                ));
            }
        }
    }

    // Cryptographic evidence for every set, before deciding.
    let mut bodies = BodyHashes::new(split.stored_body());
    let mut ams_results = Vec::with_capacity(sets.len());
    for (set, ev) in sets.iter().zip(evidence.iter_mut()) {
        let result = tags::message_signature(&set.message_signature)
            .and_then(|t| ams::verify(split, &mut bodies, &set.message_signature, &t, keys));
        ev.message_signature_verifies = Some(result.is_ok());
        ev.notes
            .extend(tags::grammar_problem(&set.message_signature).map(|w| format!("{w}.")));
        ev.notes
            .extend(tags::grammar_problem(&set.seal).map(|w| format!("{w}.")));
        if let Err(why) = &result {
            ev.notes.push(format!("{why}."));
        }
        ams_results.push(result);
    }
    let mut seal_results = Vec::with_capacity(sets.len());
    for (i, ev) in evidence.iter_mut().enumerate() {
        let result = match &seals[i] {
            Ok(tags) => seal::verify(&sets[..=i], tags, keys),
            Err(why) => Err(why.clone()),
        };
        ev.seal_verifies = Some(result.is_ok());
        match &result {
            Ok(key) => ev.seal_key_source = Some(key.source.clone()),
            Err(why) => ev.notes.push(format!("{why}.")),
        }
        seal_results.push(result);
    }

    let n = sets.len() as u32;
    let verdict = decide(&sets, &seals, &ams_results, &seal_results);
    let (chain, failed_instance, reason) = match verdict {
        Ok(()) if n == 1 => (
            ChainValidation::Pass,
            None,
            "The ARC chain of 1 set is intact: its message signature and its seal verify."
                .to_string(),
        ),
        Ok(()) => (
            ChainValidation::Pass,
            None,
            format!(
                "The ARC chain of {n} sets is intact: the newest message signature (instance \
                 {n}) verifies, and so does every seal from instance {n} down to 1."
            ),
        ),
        Err((instance, why)) => (
            ChainValidation::Fail,
            Some(instance),
            format!("The ARC chain fails at instance {instance}: {why}."),
        ),
    };
    ArcResult {
        chain,
        instances: n,
        failed_instance,
        reason,
        sets: evidence,
    }
}

/// RFC 8617 section 5.2 steps 2 to 7, on checks already made.
fn decide(
    sets: &[ArcSet<'_>],
    seals: &[Result<Seal, String>],
    ams_results: &[Result<KeyUse, String>],
    seal_results: &[Result<KeyUse, String>],
) -> Result<(), (u32, String)> {
    let n = sets.len() as u32;
    let newest = (n - 1) as usize;
    if let Ok(seal) = &seals[newest] {
        if seal.cv == "fail" {
            return Err((
                n,
                format!(
                    "its ARC-Seal says cv=fail: the chain was already broken when instance {n} \
                     received the message"
                ),
            ));
        }
    }
    // Section 4.2: seal tags must parse, and cv= must read none at 1 and pass
    // above, before any signature is worth checking.
    for (set, seal) in sets.iter().zip(seals).rev() {
        let i = set.instance;
        let seal = seal.as_ref().map_err(|why| (i, why.clone()))?;
        if let Some(why) = tags::grammar_problem(&set.seal) {
            return Err((i, why));
        }
        let expected = if i == 1 { "none" } else { "pass" };
        if seal.cv != expected {
            return Err((
                i,
                format!(
                    "its ARC-Seal says cv={}, where instance {i} must say cv={expected}",
                    seal.cv
                ),
            ));
        }
    }
    if let Err(why) = &ams_results[newest] {
        return Err((n, why.clone()));
    }
    if let Some(why) = tags::grammar_problem(&sets[newest].message_signature) {
        return Err((n, why));
    }
    for (set, result) in sets.iter().zip(seal_results).rev() {
        if let Err(why) = result {
            return Err((set.instance, why.clone()));
        }
    }
    Ok(())
}

fn initial_evidence(set: &ArcSet<'_>) -> ArcSetEvidence {
    let (seal_domain, seal_selector) = tags::domain_and_selector(&set.seal);
    ArcSetEvidence {
        instance: set.instance,
        seal_domain,
        seal_selector,
        claimed_cv: tags::claimed_cv(&set.seal),
        message_signature_verifies: None,
        seal_verifies: None,
        seal_key_source: None,
        seal_timestamp: None,
        notes: Vec::new(),
    }
}

/// A header that cannot be split cannot be validated; whether that means
/// `fail` or `none` depends on whether it holds ARC fields at all.
fn unreadable(message: &[u8], error: &HeaderError) -> ArcResult {
    let has_arc = message
        .split(|&b| b == b'\n')
        .take_while(|line| !line.is_empty() && *line != b"\r")
        .take(crate::common::header::MAX_FIELDS + 1)
        .any(|line| {
            let name_end = line.iter().position(|&b| b == b':').unwrap_or(0);
            let name = line[..name_end].trim_ascii_end();
            [
                "ARC-Seal",
                "ARC-Message-Signature",
                "ARC-Authentication-Results",
            ]
            .iter()
            .any(|n| name.eq_ignore_ascii_case(n.as_bytes()))
        });
    let (chain, verdict) = if has_arc {
        (
            ChainValidation::Fail,
            "it holds ARC fields, but no chain in an unreadable header can be validated",
        )
    } else {
        (ChainValidation::None, "it holds no ARC field")
    };
    ArcResult {
        chain,
        instances: 0,
        failed_instance: None,
        reason: format!("The message header cannot be read ({error}); {verdict}."),
        sets: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn no_keys() -> HashMap<String, crate::TxtLookup> {
        HashMap::new()
    }

    #[test]
    fn a_message_without_arc_fields_has_chain_none() {
        let result = validate(b"From: a\r\n\r\nbody\r\n", &no_keys());
        assert_eq!(result.chain, ChainValidation::None);
        assert_eq!(result.instances, 0);
    }

    #[test]
    fn an_unreadable_header_with_arc_fields_fails() {
        let m = b"ARC-Seal: i=1; cv=none\r\nnot a header line\r\n\r\n";
        let result = validate(m, &no_keys());
        assert_eq!(result.chain, ChainValidation::Fail);
        assert!(
            result.reason.contains("cannot be read"),
            "{}",
            result.reason
        );
    }

    #[test]
    fn an_unreadable_header_without_arc_fields_has_chain_none() {
        let result = validate(b"From: a\r\nnot a header line\r\n\r\n", &no_keys());
        assert_eq!(result.chain, ChainValidation::None);
    }

    #[test]
    fn a_seal_whose_key_is_unknown_fails_naming_the_key_and_instance() {
        let m = b"ARC-Seal: i=1; cv=none; a=rsa-sha256; d=example.org; s=sel; b=AAAA\r\n\
            ARC-Message-Signature: i=1; a=rsa-sha256; d=example.org; s=sel; h=from; bh=AAAA; b=AAAA\r\n\
            ARC-Authentication-Results: i=1; example.org; none\r\n\
            From: a@example.org\r\n\r\nbody\r\n";
        let result = validate(m, &no_keys());
        assert_eq!(result.chain, ChainValidation::Fail);
        assert_eq!(result.failed_instance, Some(1));
        assert_eq!(result.sets.len(), 1);
        assert_eq!(result.sets[0].seal_domain.as_deref(), Some("example.org"));
        assert_eq!(result.sets[0].seal_verifies, Some(false));
        assert!(
            result.sets[0]
                .notes
                .iter()
                .any(|n| n.contains("sel._domainkey.example.org")),
            "{:?}",
            result.sets[0].notes
        );
    }
}
