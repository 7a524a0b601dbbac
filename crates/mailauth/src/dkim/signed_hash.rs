//! What an RSA DKIM signature was computed over, for recovering the
//! signer's public key when nobody kept it (`tamis keys recover`).
//!
//! For each well-formed `rsa-*` DKIM-Signature: the digest of the signed
//! header block (RFC 6376 5.4.2, exactly as verification computes it) and
//! the raw signature. The body does not enter: `bh=` is inside the signed
//! block, so the signature covers the body through it, and a key can be
//! recovered even from messages whose body was altered since.

use super::headers::HeaderIndex;
use super::parse::{parse_signature, KeyKind};
use super::SignatureTags;
use crate::common::crypto::{digest, HashAlgorithm};
use crate::common::header::split_message;

/// One RSA signature and the digest it signs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedHash {
    /// Which DKIM-Signature of the message (0 = topmost): the index of its
    /// result in [`super::verify_message`]'s output.
    pub signature_number: usize,
    /// `d=` and `s=`, lower case, as keys are looked up.
    pub domain: String,
    pub selector: String,
    pub hash: HashAlgorithm,
    pub digest: Vec<u8>,
    /// `b=` decoded: the RSA signature, as long as the signer's modulus.
    pub signature: Vec<u8>,
    /// `t=`, Unix seconds.
    pub timestamp: Option<u64>,
}

/// Every well-formed RSA DKIM signature of `message` with its digest;
/// malformed and Ed25519 signatures are skipped (an Ed25519 key cannot be
/// recovered from signatures), as is a message whose header cannot be split.
pub fn rsa_signed_hashes(message: &[u8]) -> Vec<SignedHash> {
    let Ok(split) = split_message(message) else {
        return Vec::new();
    };
    let index = HeaderIndex::new(&split.headers);
    split
        .headers
        .iter()
        .filter(|field| field.name_is("DKIM-Signature"))
        .enumerate()
        .filter_map(|(signature_number, field)| {
            let mut tags = SignatureTags::default();
            let sig = parse_signature(field, &mut tags).ok()?;
            if sig.key_kind != KeyKind::Rsa {
                return None;
            }
            let data = index.hash_input(&sig.signed_headers, sig.header_canon, field);
            Some(SignedHash {
                signature_number,
                digest: digest(sig.hash, &data),
                hash: sig.hash,
                domain: sig.domain,
                selector: sig.selector,
                signature: sig.signature,
                timestamp: tags.timestamp,
            })
        })
        .collect()
}
