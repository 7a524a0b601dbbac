//! Recovering an RSA public key from its signatures.
//!
//! A leak often holds mail signed by a selector whose key left DNS years
//! ago and reached no archive. PKCS#1 v1.5 signatures give the modulus
//! away: with two or more signatures by the same key over known digests,
//! the modulus is a GCD (`modulus.rs` explains the arithmetic), checked
//! against every signature before it is returned. The result is a key the
//! signatures themselves vouch for; it proves the signatures consistent
//! with one key, not who held that key.
//!
//! Cost: exponents 3, 5 and 17 take milliseconds. Exponent 65537 takes one
//! GCD of two numbers of 65537 times the key size in bits (134 million for
//! a 2048-bit key), whatever the number of signatures (the later ones are
//! modular powers), and a group that fails pays it too, since every
//! exponent is tried. Measured on GMP 6.2.1, one core of an AMD EPYC:
//! 12.8 s for a 1024-bit key, 28.6 s for 2048 bits (about 150 MiB), and
//! for the bare powers and GCD about 70 s at 4096 bits and 155 s at 8192
//! (under 700 MiB); `bench/keys-recover.sh` prints the current figures. Groups are independent, so callers can
//! recover several at once, one per core.
//!
//! Bounds: signatures of at most [`MAX_SIGNATURE_BYTES`] (8192-bit keys,
//! which caps a hostile group at the last figure above), and at most
//! [`MAX_SIGNATURES`] per recovery: the first ones given are used, the rest
//! ignored. Past the second signature each one only sharpens the GCD, and
//! three almost always suffice, so more would only lengthen verification.

mod modulus;
mod pkcs1;

pub use pkcs1::emsa_pkcs1_v15;

use base64::Engine as _;

/// Longest signature accepted, in bytes (an 8192-bit key).
pub const MAX_SIGNATURE_BYTES: usize = 1024;

/// Signatures used per recovery; later ones are ignored.
pub const MAX_SIGNATURES: usize = 64;

/// The hash a signature's digest was made with (DKIM's `rsa-sha1` and
/// `rsa-sha256`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HashAlg {
    Sha1,
    Sha256,
}

/// One PKCS#1 v1.5 signature and the digest it signs (for DKIM, the hash
/// of the canonicalized header block the verifier computes).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedHash {
    /// The signature octets, exactly as signed (`b=` decoded): their length
    /// is the modulus length.
    pub signature: Vec<u8>,
    pub hash: HashAlg,
    pub digest: Vec<u8>,
}

/// A public key every signature of the group verifies under.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecoveredKey {
    /// Big-endian, no leading zeros.
    pub modulus: Vec<u8>,
    pub exponent: u32,
    /// Size of the modulus in bits.
    pub bits: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RecoveryError {
    /// One signature's equation has the whole `s^e - m` as a solution;
    /// only a second, independent one pins the modulus down. Copies of the
    /// same signature count once.
    #[error("key recovery needs at least two different signatures made with the same key")]
    TooFewSignatures,
    /// Every signature of one key is as long as its modulus, so a group of
    /// several lengths holds several keys.
    #[error("signature {index} is {found} bytes long, signature 0 is {expected}: signatures of one key all have its modulus length")]
    MixedLengths {
        expected: usize,
        index: usize,
        found: usize,
    },
    #[error("signature {index} is {bytes} bytes long; at most {MAX_SIGNATURE_BYTES} (8192-bit keys) are accepted")]
    SignatureTooLong { index: usize, bytes: usize },
    /// Too short to hold the PKCS#1 v1.5 encoding of the digest, so no key
    /// of this size can have made it.
    #[error("signatures of {bytes} bytes cannot hold a PKCS#1 v1.5 encoding of this hash (at least {needed} bytes)")]
    SignatureTooShort { bytes: usize, needed: usize },
    #[error("digest {index} is {found} bytes long; its hash gives {expected}")]
    DigestLength {
        index: usize,
        expected: usize,
        found: usize,
    },
    /// For every exponent tried, the signatures have no common modulus
    /// that verifies them all: they come from several keys, or a digest
    /// or a signature is not what was signed.
    #[error("the signatures have no common RSA modulus (exponents 3, 5, 17, 65537): several keys, or a digest that is not what was signed")]
    NoCommonModulus,
    /// The signatures agree, but on the modulus times a factor larger than
    /// the modulus length allows, which another signature would remove.
    #[error("the signatures share a {bits}-bit divisor, more than one modulus: add a signature over another message")]
    CofactorRemains { bits: usize },
}

/// The RSA public key that made `signatures`, all from one key over known
/// digests: the modulus, and the exponent (3, 5, 17 or 65537) under which
/// it verifies every signature (of the first [`MAX_SIGNATURES`]).
pub fn recover_rsa_key(signatures: &[SignedHash]) -> Result<RecoveredKey, RecoveryError> {
    modulus::recover(signatures)
}

impl RecoveredKey {
    /// The key as a DKIM TXT record (RFC 6376 §3.6.1): `p=` is the base64
    /// of its SubjectPublicKeyInfo DER, as the store and verifiers read it.
    pub fn to_dkim_record(&self) -> String {
        let der = subject_public_key_info(&self.modulus, self.exponent);
        format!(
            "v=DKIM1; k=rsa; p={}",
            base64::engine::general_purpose::STANDARD.encode(der)
        )
    }
}

/// SubjectPublicKeyInfo for an RSA key, written by hand rather than with
/// `rsa`'s encoder (which the tests compare it with): that one refuses
/// keys outside its own size and exponent policy and returns a `Result`,
/// while this is a fixed prefix around two integers that cannot fail, so
/// a record can be shown for any modulus and exponent.
fn subject_public_key_info(modulus: &[u8], exponent: u32) -> Vec<u8> {
    // AlgorithmIdentifier { rsaEncryption (1.2.840.113549.1.1.1), NULL }.
    const RSA_ALGORITHM: [u8; 15] = [
        0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00,
    ];
    // RFC 8017 A.1.1: RSAPublicKey ::= SEQUENCE { modulus, publicExponent }.
    let mut integers = der_integer(modulus);
    integers.extend(der_integer(&exponent.to_be_bytes()));
    let rsa_public_key = der_tagged(0x30, &integers);
    // BIT STRING: a leading byte of unused bits (none).
    let mut bits = vec![0x00];
    bits.extend(rsa_public_key);
    let mut body = RSA_ALGORITHM.to_vec();
    body.extend(der_tagged(0x03, &bits));
    der_tagged(0x30, &body)
}

/// DER INTEGER of a non-negative big-endian number: minimal, with a zero
/// byte in front when the top bit is set so it does not read as negative.
fn der_integer(value: &[u8]) -> Vec<u8> {
    let start = value.iter().position(|&b| b != 0).unwrap_or(value.len());
    let digits = &value[start..];
    let mut content = Vec::with_capacity(digits.len() + 1);
    if digits.first().is_none_or(|&b| b & 0x80 != 0) {
        content.push(0x00);
    }
    content.extend_from_slice(digits);
    der_tagged(0x02, &content)
}

fn der_tagged(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let start = bytes
            .iter()
            .position(|&b| b != 0)
            .unwrap_or(bytes.len() - 1);
        out.push(0x80 | (bytes.len() - start) as u8);
        out.extend_from_slice(&bytes[start..]);
    }
    out.extend_from_slice(content);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn der_integers_are_minimal_and_positive() {
        assert_eq!(der_integer(&[]), [0x02, 0x01, 0x00]);
        assert_eq!(der_integer(&[0, 0]), [0x02, 0x01, 0x00]);
        assert_eq!(
            der_integer(&[0, 0, 1, 0, 1]),
            [0x02, 0x03, 0x01, 0x00, 0x01]
        );
        assert_eq!(der_integer(&[0x80]), [0x02, 0x02, 0x00, 0x80]);
        let long = der_tagged(0x04, &[7; 300]);
        assert_eq!(&long[..4], &[0x04, 0x82, 0x01, 0x2c]);
        assert_eq!(long.len(), 304);
    }
}
