//! Signature primitives on RustCrypto.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HashAlgorithm {
    Sha1,
    Sha256,
}

#[derive(Clone, Debug)]
pub enum PublicKey {
    Rsa(rsa::RsaPublicKey),
    Ed25519(ed25519_dalek::VerifyingKey),
}

impl PublicKey {
    /// RSA modulus bits, or 256 for Ed25519.
    pub fn bits(&self) -> u32 {
        todo!()
    }
}

/// Result of checking one signature with one key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignatureCheck {
    Valid,
    /// See `dkim::HeaderEvidence::key_matches_signature`.
    Invalid { key_matches_signature: Option<bool> },
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
    let _ = (key, hash, data, signature);
    todo!()
}

/// Hash `data` with `hash`.
pub fn digest(hash: HashAlgorithm, data: &[u8]) -> Vec<u8> {
    let _ = (hash, data);
    todo!()
}
