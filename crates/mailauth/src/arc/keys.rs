//! Checking one ARC signature against every key its selector ever had.

use super::tags::Signer;
use crate::common::crypto::SignatureCheck;
use crate::common::key::{sort_records, try_keys, WEAK_RSA_BITS};
use crate::{KeyLookup, TxtLookup};

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
    let hash = signer.algorithm.hash();
    let sorted = sort_records(&records, signer.algorithm.is_rsa(), hash, |_| Ok(()));
    let mut attempts: Vec<String> = sorted
        .refused
        .iter()
        .map(|(record, refusal)| format!("{}: {}", record.source, refusal.attempt_text()))
        .collect();
    let trial = try_keys(
        &sorted.usable,
        hash,
        data,
        &signer.signature,
        |candidate, check| {
            let bits = candidate.key.bits();
            let why = match check {
                SignatureCheck::Invalid { .. } => "signature does not verify".to_string(),
                // RFC 8301: anyone can factor such a key, so it is reported, never trusted.
                SignatureCheck::Valid if signer.algorithm.is_rsa() && bits < WEAK_RSA_BITS => {
                    format!(
                "verifies, but with a {bits}-bit RSA key, below the {WEAK_RSA_BITS} bits RFC 8301 \
                 requires: anyone could have made this signature"
            )
                }
                SignatureCheck::Valid => return true,
            };
            attempts.push(format!("{}: {why}", candidate.record.source));
            false
        },
    );
    match trial.verified {
        Some(i) => Ok(KeyUse {
            source: sorted.usable[i].record.source.clone(),
        }),
        None => Err(format!(
            "no key at {name} verifies it ({})",
            attempts.join("; ")
        )),
    }
}
