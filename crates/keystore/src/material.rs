//! What a key record holds, in the forms the store keeps: type, size, the
//! public key as SubjectPublicKeyInfo DER, the RSA modulus.
//!
//! Parsing is `tamis-mailauth`'s (`parse_key_record`), the same the verifier
//! uses, so the store never disagrees with verification about what a record
//! means.

use rsa::pkcs8::EncodePublicKey;
use rsa::traits::PublicKeyParts;
use sha2::{Digest, Sha256};
use tamis_mailauth::common::crypto::PublicKey;
use tamis_mailauth::common::key::parse_key_record;

/// SubjectPublicKeyInfo prefix of an Ed25519 key (RFC 8410): the DER up to
/// the 32 key bytes.
pub(crate) const ED25519_SPKI_PREFIX: [u8; 12] = [
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
];

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct KeyMaterial {
    /// `rsa`, `ed25519`, `revoked` or `invalid` (the schema's `key_type`).
    pub key_type: &'static str,
    pub bits: Option<u32>,
    pub spki_der: Option<Vec<u8>>,
    pub rsa_modulus_hex: Option<String>,
    /// SHA-256 hex of the SPKI, or of the trimmed record without a key.
    pub identity: String,
    pub parse_error: Option<String>,
}

pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Reads a record's key. Never fails: a revoked or unreadable record is
/// still a historical fact worth keeping, with its reason.
pub(crate) fn read_record(record: &str) -> KeyMaterial {
    let without_key = |key_type, parse_error| KeyMaterial {
        key_type,
        bits: None,
        spki_der: None,
        rsa_modulus_hex: None,
        identity: sha256_hex(record.trim().as_bytes()),
        parse_error,
    };
    let parsed = match parse_key_record(record) {
        Ok(parsed) => parsed,
        Err(error) => return without_key("invalid", Some(error.to_string())),
    };
    match parsed.key {
        None => without_key("revoked", None),
        Some(PublicKey::Rsa(key)) => match key.to_public_key_der() {
            Ok(der) => KeyMaterial {
                key_type: "rsa",
                bits: Some(PublicKey::Rsa(key.clone()).bits()),
                identity: sha256_hex(der.as_bytes()),
                spki_der: Some(der.as_bytes().to_vec()),
                rsa_modulus_hex: Some(hex::encode(key.n().to_bytes_be())),
                parse_error: None,
            },
            Err(error) => without_key(
                "invalid",
                Some(format!("cannot encode the RSA key: {error}")),
            ),
        },
        Some(PublicKey::Ed25519(key)) => {
            let mut der = ED25519_SPKI_PREFIX.to_vec();
            der.extend_from_slice(key.as_bytes());
            KeyMaterial {
                key_type: "ed25519",
                bits: Some(256),
                identity: sha256_hex(&der),
                spki_der: Some(der),
                rsa_modulus_hex: None,
                parse_error: None,
            }
        }
    }
}

/// A key record for DER public key bytes (SPKI of RSA or Ed25519, or bare
/// PKCS#1), so keys from PEM files go through the same parser as DNS records.
pub(crate) fn record_for_der(der: &[u8]) -> String {
    use base64::{engine::general_purpose::STANDARD, Engine};
    match der.strip_prefix(&ED25519_SPKI_PREFIX[..]) {
        Some(raw) if raw.len() == 32 => format!("v=DKIM1; k=ed25519; p={}", STANDARD.encode(raw)),
        _ => format!("v=DKIM1; k=rsa; p={}", STANDARD.encode(der)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 512-bit key from Mail::DKIM's test DNS, as in tamis-mailauth's tests.
    const RSA_512_SPKI: &str = "MFwwDQYJKoZIhvcNAQEBBQADSwAwSAJBALgSoqXVSEmfcIsOzw7oRuCCOwsmtX/SJnTWxYyj2leFxfS/AVJ+dYfY+hXqMsT7l+MZvvh/R1WzN4MO/kI/7XsCAwEAAQ==";

    #[test]
    fn spki_and_bare_pkcs1_records_are_the_same_key() {
        use base64::{engine::general_purpose::STANDARD, Engine};
        let spki = read_record(&format!("v=DKIM1; k=rsa; p={RSA_512_SPKI}"));
        let pkcs1 = STANDARD.encode(&STANDARD.decode(RSA_512_SPKI).unwrap()[20..]);
        let bare = read_record(&format!("p={pkcs1}"));
        assert_eq!(spki.key_type, "rsa");
        assert_eq!(spki.bits, Some(512));
        assert_eq!(spki.identity, bare.identity);
        assert_eq!(
            spki.spki_der.as_deref(),
            Some(&STANDARD.decode(RSA_512_SPKI).unwrap()[..])
        );
        assert!(spki.rsa_modulus_hex.unwrap().starts_with("b812a2a5"));
    }

    #[test]
    fn ed25519_revoked_and_invalid_records_are_kept_with_their_type() {
        let ed = read_record("v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=");
        assert_eq!((ed.key_type, ed.bits), ("ed25519", Some(256)));
        assert_eq!(
            record_for_der(ed.spki_der.as_deref().unwrap()),
            "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="
        );
        assert_eq!(read_record("v=DKIM1; p=").key_type, "revoked");
        let bad = read_record("v=DKIM1; p=!!!");
        assert_eq!(bad.key_type, "invalid");
        assert!(bad.parse_error.is_some());
    }
}
