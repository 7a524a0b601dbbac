//! Body hashes, computed once per message for each (canonicalization, hash,
//! `l=`) that its signatures ask for.

use super::parse::ParsedSignature;
use super::BodyEvidence;
use crate::common::canon::{canonical_body, Canon};
use crate::common::crypto::{digest, HashAlgorithm};
use base64::Engine;
use std::borrow::Cow;

/// Longest unsigned tail shown to a reader.
const TAIL_PREVIEW_BYTES: usize = 4096;

type HashKey = (Canon, HashAlgorithm, Option<u64>);

pub(super) struct BodyHashes<'m> {
    body: &'m [u8],
    simple: Option<Cow<'m, [u8]>>,
    relaxed: Option<Cow<'m, [u8]>>,
    hashes: Vec<(HashKey, Vec<u8>)>,
}

impl<'m> BodyHashes<'m> {
    pub fn new(body: &'m [u8]) -> Self {
        BodyHashes {
            body,
            simple: None,
            relaxed: None,
            hashes: Vec::new(),
        }
    }

    fn canonical(&mut self, canon: Canon) -> &[u8] {
        let body = self.body;
        let slot = match canon {
            Canon::Simple => &mut self.simple,
            Canon::Relaxed => &mut self.relaxed,
        };
        slot.get_or_insert_with(|| canonical_body(canon, body))
    }

    pub fn evidence(&mut self, sig: &ParsedSignature) -> BodyEvidence {
        let key = (sig.body_canon, sig.hash, sig.body_length);
        let canonical_len = self.canonical(sig.body_canon).len();
        let signed_len = sig.body_length.map_or(canonical_len, |l| {
            usize::try_from(l).unwrap_or(usize::MAX).min(canonical_len)
        });
        let computed = match self.hashes.iter().find(|(k, _)| *k == key) {
            Some((_, hash)) => hash.clone(),
            None => {
                let hash = digest(sig.hash, &self.canonical(sig.body_canon)[..signed_len]);
                self.hashes.push((key, hash.clone()));
                hash
            }
        };
        // The signer hashed l= bytes; a shorter body cannot give that hash.
        let truncated = sig.body_length.is_some_and(|l| l > canonical_len as u64);
        let tail = &self.canonical(sig.body_canon)[signed_len..];
        BodyEvidence {
            claimed_hash: sig.claimed_body_hash.clone(),
            computed_hash: base64::engine::general_purpose::STANDARD.encode(&computed),
            matches: !truncated && computed == sig.body_hash,
            canonical_length: canonical_len as u64,
            signed_length: signed_len as u64,
            unsigned_length: tail.len() as u64,
            unsigned_tail_preview: (!tail.is_empty()).then(|| {
                String::from_utf8_lossy(&tail[..tail.len().min(TAIL_PREVIEW_BYTES)]).into_owned()
            }),
        }
    }
}
