//! Verifying an ARC-Message-Signature: a DKIM signature in all but name
//! (RFC 8617 section 4.1.2), checked body first, then header.

use super::collect::ArcField;
use super::keys::{self, KeyUse};
use super::tags::MessageSignature;
use crate::common::body::body_digest;
use crate::common::canon::{Body, Canon};
use crate::common::crypto::HashAlgorithm;
use crate::common::header::SplitMessage;
use crate::common::signed::{append_own_field, append_signed_headers};
use crate::KeyLookup;

/// Digests already computed, so checking every AMS of a 50-set chain hashes
/// a large body once per distinct (c=, a=, l=).
pub(super) struct BodyHashes<'m> {
    body: Body<'m>,
    digests: Vec<(BodyHashKey, Result<Vec<u8>, u64>)>,
}

type BodyHashKey = (Canon, HashAlgorithm, Option<u64>);

impl<'m> BodyHashes<'m> {
    pub(super) fn new(body: Body<'m>) -> Self {
        Self {
            body,
            digests: Vec::new(),
        }
    }

    /// The digest of the canonical body cut at `l=`, or the canonical
    /// length when `l=` exceeds it.
    fn get(&mut self, key: BodyHashKey) -> Result<Vec<u8>, u64> {
        if let Some((_, found)) = self.digests.iter().find(|(k, _)| *k == key) {
            return found.clone();
        }
        let (canon, hash, length) = key;
        let digest = body_digest(canon, self.body, hash, length, 0);
        let computed = match length {
            Some(l) if l > digest.canonical_length => Err(digest.canonical_length),
            _ => Ok(digest.digest),
        };
        self.digests.push((key, computed.clone()));
        computed
    }
}

/// Check `tags` (parsed from `field`) against the message. The error is a
/// sentence naming the instance.
pub(super) fn verify(
    message: &SplitMessage<'_>,
    bodies: &mut BodyHashes<'_>,
    field: &ArcField<'_>,
    tags: &MessageSignature,
    keys: &dyn KeyLookup,
) -> Result<KeyUse, String> {
    let instance = field.instance;
    // RFC 8617 section 4.1.2: seals are added after the AMS and would break it.
    if tags.signed_headers.iter().any(|h| h == "arc-seal") {
        return Err(format!(
            "the ARC-Message-Signature of instance {instance} signs ARC-Seal, which RFC 8617 forbids"
        ));
    }

    match bodies.get((
        tags.body_canon,
        tags.signer.algorithm.hash(),
        tags.body_length,
    )) {
        Err(length) => {
            return Err(format!(
                "the ARC-Message-Signature of instance {instance} claims l={}, but the canonical \
                 body is only {length} bytes: the body was cut after signing",
                tags.body_length.unwrap_or_default()
            ))
        }
        Ok(computed) if computed != tags.body_hash => {
            return Err(format!(
                "the body hash of the ARC-Message-Signature of instance {instance} does not \
                 match: the body changed after instance {instance} signed it"
            ))
        }
        Ok(_) => {}
    }

    let mut data = Vec::new();
    append_signed_headers(
        &message.headers,
        &tags.signed_headers,
        tags.header_canon,
        &mut data,
    );
    append_own_field(tags.header_canon, &field.header, &mut data);
    keys::verify(keys, &tags.signer, &data).map_err(|why| {
        format!(
            "the ARC-Message-Signature of instance {instance} does not verify over the headers \
             it signs: {why}"
        )
    })
}
