//! EMSA-PKCS1-v1_5 encoding (RFC 8017 §9.2): the integer a PKCS#1 v1.5
//! signature is the e-th root of, rebuilt from the digest a DKIM signature
//! covers.

use super::HashAlg;

/// DER of `DigestInfo` up to the digest, from RFC 8017 §9.2 note 1. Both
/// carry the explicit NULL parameters the RFC lists; signers that omit it
/// (allowed for SHA-1 by RFC 3279, rare in mail) produce another encoding
/// and their signatures will not recover.
const SHA1_PREFIX: [u8; 15] = [
    0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a, 0x05, 0x00, 0x04, 0x14,
];
const SHA256_PREFIX: [u8; 19] = [
    0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05,
    0x00, 0x04, 0x20,
];

/// RFC 8017 §9.2 step 3: at least 8 bytes of 0xFF, so a modulus shorter than
/// `tLen + 11` bytes cannot carry the encoding.
const MIN_PADDING: usize = 8;

impl HashAlg {
    /// Length in bytes of this algorithm's digest.
    pub fn digest_len(self) -> usize {
        match self {
            HashAlg::Sha1 => 20,
            HashAlg::Sha256 => 32,
        }
    }

    fn digest_info_prefix(self) -> &'static [u8] {
        match self {
            HashAlg::Sha1 => &SHA1_PREFIX,
            HashAlg::Sha256 => &SHA256_PREFIX,
        }
    }
}

/// `EM = 0x00 || 0x01 || PS (0xFF…) || 0x00 || DigestInfo(hash, digest)`,
/// `k` bytes long. `None` when the digest is not `hash`'s length or `k` is
/// too short for the encoding (RFC 8017's "intended encoded message length
/// too short").
pub fn emsa_pkcs1_v15(hash: HashAlg, digest: &[u8], k: usize) -> Option<Vec<u8>> {
    if digest.len() != hash.digest_len() {
        return None;
    }
    let prefix = hash.digest_info_prefix();
    let t_len = prefix.len() + digest.len();
    let padding = k.checked_sub(t_len + 3)?;
    if padding < MIN_PADDING {
        return None;
    }
    let mut em = Vec::with_capacity(k);
    em.extend_from_slice(&[0x00, 0x01]);
    em.resize(2 + padding, 0xff);
    em.push(0x00);
    em.extend_from_slice(prefix);
    em.extend_from_slice(digest);
    Some(em)
}

/// The shortest `k` that holds `hash`'s encoding.
pub(super) fn min_len(hash: HashAlg) -> usize {
    hash.digest_info_prefix().len() + hash.digest_len() + 3 + MIN_PADDING
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_follows_rfc_8017() {
        let digest = [0xabu8; 32];
        let em = emsa_pkcs1_v15(HashAlg::Sha256, &digest, 128).unwrap();
        assert_eq!(em.len(), 128);
        assert_eq!(&em[..2], &[0x00, 0x01]);
        let ps_end = 128 - 32 - 19 - 1;
        assert!(em[2..ps_end].iter().all(|&b| b == 0xff));
        assert_eq!(em[ps_end], 0x00);
        assert_eq!(&em[ps_end + 1..ps_end + 20], &SHA256_PREFIX);
        assert_eq!(&em[128 - 32..], &digest);
    }

    #[test]
    fn refuses_wrong_digests_and_short_lengths() {
        assert!(emsa_pkcs1_v15(HashAlg::Sha256, &[0; 20], 128).is_none());
        assert!(emsa_pkcs1_v15(HashAlg::Sha1, &[0; 32], 128).is_none());
        assert_eq!(min_len(HashAlg::Sha256), 62);
        assert_eq!(min_len(HashAlg::Sha1), 46);
        assert!(emsa_pkcs1_v15(HashAlg::Sha256, &[0; 32], 61).is_none());
        assert_eq!(
            emsa_pkcs1_v15(HashAlg::Sha256, &[0; 32], 62).unwrap().len(),
            62
        );
        assert!(emsa_pkcs1_v15(HashAlg::Sha1, &[0; 20], 45).is_none());
        assert!(emsa_pkcs1_v15(HashAlg::Sha1, &[0; 20], 0).is_none());
    }
}
