//! Checking one ARC signature against every key its selector ever had.

use super::tags::Signer;
use crate::common::crypto::{check_signature, PublicKey, SignatureCheck};
use crate::common::key::parse_key_record;
use crate::{KeyLookup, TxtLookup};

/// RFC 8301 section 3.2: verifiers must not accept RSA keys under 1024 bits.
/// Such a key is reported, never trusted, since anyone can factor it.
const MIN_RSA_BITS: u32 = 1024;

/// The key that verified a signature.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct KeyUse {
    /// Provenance from [`crate::TxtRecord::source`].
    pub source: String,
}

/// Verify `data` against `signer`'s signature with every key record of its
/// selector, oldest first, stopping at the first that verifies. The error is
/// a sentence naming the key and what each record did.
pub(super) fn verify(keys: &dyn KeyLookup, signer: &Signer, data: &[u8]) -> Result<KeyUse, String> {
    let name = format!("{}._domainkey.{}", signer.selector, signer.domain).to_ascii_lowercase();
    let records = match keys.lookup_txt(&name) {
        TxtLookup::Found(records) => records,
        TxtLookup::NotFound => return Err(format!("no key record is known for {name}")),
        TxtLookup::Error(e) => {
            return Err(format!(
                "the key lookup for {name} failed ({e}), so nothing can be concluded about it"
            ))
        }
    };
    let mut attempts = Vec::with_capacity(records.len());
    for record in &records {
        match try_record(&record.value, signer, data) {
            Ok(()) => {
                return Ok(KeyUse {
                    source: record.source.clone(),
                })
            }
            Err(why) => attempts.push(format!("{}: {why}", record.source)),
        }
    }
    Err(format!(
        "no key at {name} verifies it ({})",
        attempts.join("; ")
    ))
}

fn try_record(text: &str, signer: &Signer, data: &[u8]) -> Result<(), String> {
    let hash = signer.algorithm.hash();
    let record = parse_key_record(text).map_err(|e| format!("unusable: {e}"))?;
    let key = record.key.as_ref().ok_or("revoked (empty p=)")?;
    if !record.allows_hash(hash.name()) {
        return Err(format!("unusable: h= does not allow {}", hash.name()));
    }
    if !record.allows_email() {
        return Err("unusable: s= excludes email".to_string());
    }
    if matches!(key, PublicKey::Rsa(_)) != signer.algorithm.is_rsa() {
        return Err("unusable: its key type does not match a=".to_string());
    }
    match check_signature(key, hash, data, &signer.signature) {
        SignatureCheck::Invalid { .. } => Err("signature does not verify".to_string()),
        SignatureCheck::Valid if signer.algorithm.is_rsa() && key.bits() < MIN_RSA_BITS => {
            Err(format!(
                "verifies, but with a {}-bit RSA key, below the {MIN_RSA_BITS} bits RFC 8301 \
                 requires: anyone could have made this signature",
                key.bits()
            ))
        }
        SignatureCheck::Valid => Ok(()),
    }
}
