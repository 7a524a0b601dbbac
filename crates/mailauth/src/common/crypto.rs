//! Signature primitives on RustCrypto, with `ring` as the fast path for
//! RSA signatures that verify.
//!
//! Why two RSA implementations: most signatures in a dump verify, and ring
//! checks a 2048-bit one several times faster than num-bigint-dig's modular
//! exponentiation, which dominated the profile of a 20,000-message run. But
//! ring only answers yes or no, for 1024 to 8192-bit keys. When it says no,
//! or the key is smaller, we open the block ourselves: the forensic question
//! "did this key make this signature at all" needs the opened block, and
//! 512-bit keys must still verify (to be called weak, not forged).

use rsa::traits::PublicKeyParts;
use rsa::BigUint;
use sha1::Sha1;
use sha2::{Digest, Sha256};
use std::sync::Arc;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HashAlgorithm {
    Sha1,
    Sha256,
}

impl HashAlgorithm {
    /// The name used in `a=` and in key records' `h=`.
    pub fn name(self) -> &'static str {
        match self {
            HashAlgorithm::Sha1 => "sha1",
            HashAlgorithm::Sha256 => "sha256",
        }
    }

    /// DER DigestInfo prefix (RFC 8017 9.2 note 1), followed by the digest.
    fn digest_info_prefix(self) -> &'static [u8] {
        match self {
            HashAlgorithm::Sha1 => &[
                0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a, 0x05, 0x00, 0x04,
                0x14,
            ],
            HashAlgorithm::Sha256 => &[
                0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
                0x01, 0x05, 0x00, 0x04, 0x20,
            ],
        }
    }

    /// The same DigestInfo with the AlgorithmIdentifier parameters omitted
    /// instead of NULL, which RFC 8017 also allows and old signers emitted.
    fn digest_info_prefix_without_null(self) -> &'static [u8] {
        match self {
            HashAlgorithm::Sha1 => &[
                0x30, 0x1f, 0x30, 0x07, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a, 0x04, 0x14,
            ],
            HashAlgorithm::Sha256 => &[
                0x30, 0x2f, 0x30, 0x0b, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
                0x01, 0x04, 0x20,
            ],
        }
    }
}

/// A public key. The RSA key is shared, not copied: parsed records are
/// cached (see `key::sort_records`) and handed to every signature they check.
#[derive(Clone, Debug)]
pub enum PublicKey {
    Rsa(Arc<rsa::RsaPublicKey>),
    Ed25519(ed25519_dalek::VerifyingKey),
}

impl PublicKey {
    /// RSA modulus bits, or 256 for Ed25519.
    pub fn bits(&self) -> u32 {
        match self {
            PublicKey::Rsa(key) => u32::try_from(key.n().bits()).unwrap_or(u32::MAX),
            PublicKey::Ed25519(_) => 256,
        }
    }
}

/// Result of checking one signature with one key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignatureCheck {
    Valid,
    /// See `dkim::HeaderEvidence::key_matches_signature`.
    Invalid {
        key_matches_signature: Option<bool>,
    },
}

/// Check `signature` over `data` (the canonical header bytes, not yet hashed).
/// RSA: PKCS#1 v1.5 over `hash(data)`; Ed25519 (RFC 8463): Ed25519 over
/// `sha256(data)`.
pub fn check_signature(
    key: &PublicKey,
    hash: HashAlgorithm,
    data: &[u8],
    signature: &[u8],
) -> SignatureCheck {
    match key {
        PublicKey::Rsa(key) => check_rsa_fast_then_open(key, hash, data, signature),
        PublicKey::Ed25519(key) => check_ed25519(key, data, signature),
    }
}

fn check_rsa_fast_then_open(
    key: &rsa::RsaPublicKey,
    hash: HashAlgorithm,
    data: &[u8],
    signature: &[u8],
) -> SignatureCheck {
    let params = match hash {
        HashAlgorithm::Sha1 => &ring::signature::RSA_PKCS1_1024_8192_SHA1_FOR_LEGACY_USE_ONLY,
        HashAlgorithm::Sha256 => &ring::signature::RSA_PKCS1_1024_8192_SHA256_FOR_LEGACY_USE_ONLY,
    };
    let components = ring::signature::RsaPublicKeyComponents {
        n: key.n().to_bytes_be(),
        e: key.e().to_bytes_be(),
    };
    if components.verify(params, data, signature).is_ok() {
        return SignatureCheck::Valid;
    }
    check_rsa(key, hash, &digest(hash, data), signature)
}

/// The public RSA operation done here rather than through `rsa`'s verifier,
/// because a forensic verdict needs to see the opened block: a well-formed
/// PKCS#1 v1.5 block around another digest proves this key signed something.
fn check_rsa(
    key: &rsa::RsaPublicKey,
    hash: HashAlgorithm,
    digest: &[u8],
    signature: &[u8],
) -> SignatureCheck {
    let garbage = SignatureCheck::Invalid {
        key_matches_signature: Some(false),
    };
    let k = key.size();
    // A signature one byte short is a leading zero byte lost by a sloppy
    // encoder; the integer is the same, so it is accepted.
    if signature.is_empty() || signature.len() > k {
        return garbage;
    }
    let s = BigUint::from_bytes_be(signature);
    if &s >= key.n() {
        return garbage;
    }
    let m = s.modpow(key.e(), key.n()).to_bytes_be();
    if m.len() > k {
        return garbage;
    }
    let mut block = vec![0u8; k - m.len()];
    block.extend_from_slice(&m);
    match opened_digest(&block, hash) {
        Some(found) if found == digest => SignatureCheck::Valid,
        Some(_) => SignatureCheck::Invalid {
            key_matches_signature: Some(true),
        },
        None => garbage,
    }
}

/// The digest inside `00 01 FF…FF 00 DigestInfo` (at least 8 FF, RFC 8017
/// 9.2), when the block is that and the DigestInfo names `hash`.
fn opened_digest(block: &[u8], hash: HashAlgorithm) -> Option<&[u8]> {
    let rest = block.strip_prefix(&[0x00, 0x01])?;
    let ff = rest.iter().take_while(|&&b| b == 0xff).count();
    if ff < 8 {
        return None;
    }
    let info = rest[ff..].strip_prefix(&[0x00])?;
    let digest_len = match hash {
        HashAlgorithm::Sha1 => 20,
        HashAlgorithm::Sha256 => 32,
    };
    let digest = info
        .strip_prefix(hash.digest_info_prefix())
        .or_else(|| info.strip_prefix(hash.digest_info_prefix_without_null()))?;
    (digest.len() == digest_len).then_some(digest)
}

/// Plain (cofactored) `verify` rather than `verify_strict`: RFC 8463 asks for
/// nothing stricter, and signers' libraries differ on the edge cases that
/// `verify_strict` rejects (small-order keys, non-canonical R), so strict
/// checking would fail signatures other verifiers accept. Neither variant
/// accepts a forgery without the private key.
fn check_ed25519(
    key: &ed25519_dalek::VerifyingKey,
    data: &[u8],
    signature: &[u8],
) -> SignatureCheck {
    use ed25519_dalek::Verifier;
    let invalid = SignatureCheck::Invalid {
        key_matches_signature: None,
    };
    let Ok(bytes) = <&[u8; 64]>::try_from(signature) else {
        return invalid;
    };
    let signature = ed25519_dalek::Signature::from_bytes(bytes);
    let prehashed = Sha256::digest(data);
    match key.verify(&prehashed, &signature) {
        Ok(()) => SignatureCheck::Valid,
        Err(_) => invalid,
    }
}

/// A hash computed over data given piece by piece.
pub enum Hasher {
    Sha1(Sha1),
    Sha256(Sha256),
}

impl Hasher {
    pub fn new(hash: HashAlgorithm) -> Self {
        match hash {
            HashAlgorithm::Sha1 => Hasher::Sha1(Sha1::new()),
            HashAlgorithm::Sha256 => Hasher::Sha256(Sha256::new()),
        }
    }

    pub fn update(&mut self, data: &[u8]) {
        match self {
            Hasher::Sha1(h) => h.update(data),
            Hasher::Sha256(h) => h.update(data),
        }
    }

    pub fn finish(self) -> Vec<u8> {
        match self {
            Hasher::Sha1(h) => h.finalize().to_vec(),
            Hasher::Sha256(h) => h.finalize().to_vec(),
        }
    }
}

/// Hash `data` with `hash`.
pub fn digest(hash: HashAlgorithm, data: &[u8]) -> Vec<u8> {
    match hash {
        HashAlgorithm::Sha1 => Sha1::digest(data).to_vec(),
        HashAlgorithm::Sha256 => Sha256::digest(data).to_vec(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opened_block_with_right_digest_info_yields_the_digest() {
        let mut block = vec![0x00, 0x01];
        block.extend([0xff; 10]);
        block.push(0);
        block.extend_from_slice(HashAlgorithm::Sha1.digest_info_prefix());
        block.extend([7u8; 20]);
        assert_eq!(
            opened_digest(&block, HashAlgorithm::Sha1),
            Some(&[7u8; 20][..])
        );
        assert_eq!(opened_digest(&block, HashAlgorithm::Sha256), None);
    }

    #[test]
    fn short_padding_is_not_a_pkcs1_block() {
        let mut block = vec![0x00, 0x01];
        block.extend([0xff; 7]);
        block.push(0);
        block.extend_from_slice(HashAlgorithm::Sha1.digest_info_prefix());
        block.extend([7u8; 20]);
        assert_eq!(opened_digest(&block, HashAlgorithm::Sha1), None);
    }
}
