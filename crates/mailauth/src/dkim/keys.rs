//! Which of the key records found for a selector may check a signature.

use super::parse::{KeyKind, ParsedSignature};
use super::{KeyAttempt, KeyEvidence, KeyType, Outcome};
use crate::common::crypto::PublicKey;
use crate::common::key::{parse_key_record, KeyRecord};
use crate::{TxtLookup, TxtRecord};

/// A key allowed to check the signature, with its provenance.
pub(super) struct UsableKey<'r> {
    pub key: PublicKey,
    pub record: &'r TxtRecord,
    /// `t=y`: the domain said it was testing DKIM with this key.
    pub testing: bool,
}

impl UsableKey<'_> {
    pub fn evidence(&self) -> KeyEvidence {
        KeyEvidence {
            key_type: match self.key {
                PublicKey::Rsa(_) => KeyType::Rsa,
                PublicKey::Ed25519(_) => KeyType::Ed25519,
            },
            bits: self.key.bits(),
            source: self.record.source.clone(),
            record: self.record.value.clone(),
        }
    }
}

/// What the key lookup allows: keys to try, or the reason there are none.
pub(super) enum Keys<'r> {
    Usable(Vec<UsableKey<'r>>),
    None { outcome: Outcome, detail: String },
}

/// Sort the records of `lookup` into usable keys and refusals; every record
/// is recorded in `attempts`, usable ones later by the caller when tried.
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
    let mut usable = Vec::new();
    let mut revoked = false;
    let mut first_refusal = None;
    for record in records {
        match check_record(sig, record) {
            Ok(key) => usable.push(key),
            Err(refusal) => {
                revoked |= refusal.revoked;
                first_refusal.get_or_insert_with(|| format!("{} ({})", refusal.why, record.source));
                attempts.push(KeyAttempt {
                    source: record.source.clone(),
                    result: if refusal.revoked {
                        refusal.why
                    } else {
                        format!("unusable: {}", refusal.why)
                    },
                });
            }
        }
    }
    if !usable.is_empty() {
        return Keys::Usable(usable);
    }
    if revoked {
        Keys::None {
            outcome: Outcome::KeyRevoked,
            detail: String::new(),
        }
    } else {
        Keys::None {
            outcome: Outcome::KeyUnusable,
            detail: first_refusal.unwrap_or_else(|| "no record".to_owned()),
        }
    }
}

struct Refusal {
    why: String,
    revoked: bool,
}

fn unusable(why: impl std::fmt::Display) -> Refusal {
    Refusal {
        why: why.to_string(),
        revoked: false,
    }
}

fn check_record<'r>(
    sig: &ParsedSignature,
    record: &'r TxtRecord,
) -> Result<UsableKey<'r>, Refusal> {
    let parsed = parse_key_record(&record.value).map_err(unusable)?;
    let key = match &parsed.key {
        None => {
            return Err(Refusal {
                why: "revoked (empty p=)".to_owned(),
                revoked: true,
            })
        }
        Some(key) => key.clone(),
    };
    match (&key, sig.key_kind) {
        (PublicKey::Rsa(_), KeyKind::Rsa) | (PublicKey::Ed25519(_), KeyKind::Ed25519) => {}
        (PublicKey::Rsa(_), KeyKind::Ed25519) => {
            return Err(unusable("the key is RSA but the signature is Ed25519"))
        }
        (PublicKey::Ed25519(_), KeyKind::Rsa) => {
            return Err(unusable("the key is Ed25519 but the signature is RSA"))
        }
    }
    if !parsed.allows_hash(sig.hash.name()) {
        return Err(unusable(format!("h= does not allow {}", sig.hash.name())));
    }
    if !parsed.allows_email() {
        return Err(unusable("s= does not include email"));
    }
    let i_domain = sig
        .identity
        .rsplit_once('@')
        .map_or("", |(_, d)| d)
        .to_ascii_lowercase();
    if parsed.has_flag("s") && i_domain != sig.domain {
        return Err(unusable(format!(
            "t=s forbids i= in a subdomain of {}",
            sig.domain
        )));
    }
    check_granularity(&parsed, &sig.identity).map_err(unusable)?;
    Ok(UsableKey {
        key,
        record,
        testing: parsed.has_flag("y"),
    })
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
