//! Which of the key records found for a selector may check a signature.

use super::parse::{KeyKind, ParsedSignature};
use super::{KeyAttempt, KeyEvidence, KeyType, Outcome};
use crate::common::crypto::PublicKey;
use crate::common::key::{sort_records, KeyRecord, Refusal, UsableKey};
use crate::TxtLookup;

pub(super) fn key_evidence(usable: &UsableKey<'_>) -> KeyEvidence {
    KeyEvidence {
        key_type: match usable.key {
            PublicKey::Rsa(_) => KeyType::Rsa,
            PublicKey::Ed25519(_) => KeyType::Ed25519,
        },
        bits: usable.key.bits(),
        source: usable.record.source.clone(),
        record: usable.record.value.clone(),
        caveats: usable.record.caveats.clone(),
    }
}

/// What the key lookup allows: keys to try, or the reason there are none.
pub(super) enum Keys<'r> {
    Usable(Vec<UsableKey<'r>>),
    None { outcome: Outcome, detail: String },
}

/// Sort the records of `lookup` into usable keys and refusals; every refused
/// record is recorded in `attempts`, usable ones later by the caller when tried.
pub(super) fn usable_keys<'r>(
    sig: &ParsedSignature,
    lookup: &'r TxtLookup,
    attempts: &mut Vec<KeyAttempt>,
) -> Keys<'r> {
    let records = match lookup {
        TxtLookup::NotFound => {
            return Keys::None {
                outcome: Outcome::KeyMissing,
                detail: String::new(),
            }
        }
        TxtLookup::Error(e) => {
            return Keys::None {
                outcome: Outcome::KeyLookupFailed,
                detail: e.clone(),
            }
        }
        TxtLookup::Found(records) => records,
    };
    let sorted = sort_records(records, sig.key_kind == KeyKind::Rsa, sig.hash, |parsed| {
        identity_limits(sig, parsed)
    });
    attempts.extend(sorted.refused.iter().map(|(record, refusal)| KeyAttempt {
        source: record.source.clone(),
        result: refusal.attempt_text(),
    }));
    if !sorted.usable.is_empty() {
        return Keys::Usable(sorted.usable);
    }
    if sorted.refused.iter().any(|(_, refusal)| refusal.revoked) {
        Keys::None {
            outcome: Outcome::KeyRevoked,
            detail: String::new(),
        }
    } else {
        Keys::None {
            outcome: Outcome::KeyUnusable,
            detail: sorted.refused.first().map_or_else(
                || "no record".to_owned(),
                |(record, refusal)| format!("{} ({})", refusal.why, record.source),
            ),
        }
    }
}

/// The key record's limits on `i=`, which ARC signatures do not carry.
fn identity_limits(sig: &ParsedSignature, parsed: &KeyRecord) -> Result<(), Refusal> {
    let i_domain = sig
        .identity
        .rsplit_once('@')
        .map_or("", |(_, d)| d)
        .to_ascii_lowercase();
    if parsed.has_flag("s") && i_domain != sig.domain {
        return Err(Refusal::unusable(format!(
            "t=s forbids i= in a subdomain of {}",
            sig.domain
        )));
    }
    check_granularity(parsed, &sig.identity).map_err(Refusal::unusable)
}

/// RFC 4871 `g=`: a pattern with at most one `*` that the local part of `i=`
/// must match; an empty `g=` matches nothing. RFC 6376 dropped it, but keys
/// published under RFC 4871 meant it and Mail::DKIM still applies it.
fn check_granularity(record: &KeyRecord, identity: &str) -> Result<(), String> {
    let Some(g) = record.granularity.as_deref() else {
        return Ok(());
    };
    let local = identity.rsplit_once('@').map_or("", |(l, _)| l);
    let matches = match g.split_once('*') {
        Some((begins, ends)) => {
            local.len() >= begins.len() + ends.len()
                && local.starts_with(begins)
                && local.ends_with(ends)
        }
        None => !g.is_empty() && local == g,
    };
    if matches {
        Ok(())
    } else {
        Err(format!(
            "g={g} does not match the local part {local:?} of i="
        ))
    }
}
