//! Body hashes, computed once per message for each (canonicalization, hash,
//! `l=`) that its signatures ask for.

use super::parse::ParsedSignature;
use super::BodyEvidence;
use crate::common::body::{body_digest, BodyDigest};
use crate::common::canon::{Body, Canon};
use crate::common::crypto::HashAlgorithm;
use base64::Engine;

/// Longest unsigned tail shown to a reader.
const TAIL_PREVIEW_BYTES: usize = 4096;

type HashKey = (Canon, HashAlgorithm, Option<u64>);

pub(super) struct BodyHashes<'m> {
    body: Body<'m>,
    digests: Vec<(HashKey, BodyDigest)>,
}

impl<'m> BodyHashes<'m> {
    pub fn new(body: Body<'m>) -> Self {
        BodyHashes {
            body,
            digests: Vec::new(),
        }
    }

    pub fn evidence(&mut self, sig: &ParsedSignature) -> BodyEvidence {
        let key = (sig.body_canon, sig.hash, sig.body_length);
        let at = match self.digests.iter().position(|(k, _)| *k == key) {
            Some(at) => at,
            None => {
                let digest = body_digest(
                    sig.body_canon,
                    self.body,
                    sig.hash,
                    sig.body_length,
                    TAIL_PREVIEW_BYTES,
                );
                self.digests.push((key, digest));
                self.digests.len() - 1
            }
        };
        let digest = &self.digests[at].1;
        let canonical_len = digest.canonical_length;
        let signed_len = sig
            .body_length
            .map_or(canonical_len, |l| l.min(canonical_len));
        // The signer hashed l= bytes; a shorter body cannot give that hash.
        let truncated = sig.body_length.is_some_and(|l| l > canonical_len);
        let tail = &digest.tail_start;
        BodyEvidence {
            claimed_hash: sig.claimed_body_hash.clone(),
            computed_hash: base64::engine::general_purpose::STANDARD.encode(&digest.digest),
            matches: !truncated && digest.digest == sig.body_hash,
            canonical_length: canonical_len,
            signed_length: signed_len,
            unsigned_length: canonical_len - signed_len,
            unsigned_tail_preview: (!tail.is_empty())
                .then(|| String::from_utf8_lossy(tail).into_owned()),
        }
    }
}
