//! Key recovery from signatures: real keys from `rsa`, real PKCS#1 v1.5
//! signatures over random digests (signed through `rsa`'s own DigestInfo
//! encoding), and the modulus recovered by GCD must be the key's.
//!
//! What costs time is not key generation but exponent 65537: its one big
//! GCD (two numbers of 65537 times the key size in bits) takes seconds on
//! GMP even in a release build, and every failed recovery pays it (all
//! exponents are tried). So only the tests about 65537 keys recover them;
//! tests about hashes, caps and records use exponent-3 keys, which are
//! recovered in milliseconds, and tests of failures use 512-bit keys (the
//! smallest that holds a SHA-256 encoding), where the big GCD is cheapest.

use base64::Engine as _;
use rsa::pkcs8::EncodePublicKey;
use rsa::rand_core::{OsRng, RngCore};
use rsa::traits::PublicKeyParts;
use rsa::{BigUint, Pkcs1v15Sign, RsaPrivateKey};
use tamis_keystore::recover::{
    emsa_pkcs1_v15, recover_rsa_key, HashAlg, RecoveredKey, RecoveryError, SignedHash,
    MAX_SIGNATURES,
};

fn key(bits: usize) -> RsaPrivateKey {
    RsaPrivateKey::new(&mut OsRng, bits).unwrap()
}

fn key_e3(bits: usize) -> RsaPrivateKey {
    RsaPrivateKey::new_with_exp(&mut OsRng, bits, &BigUint::from(3u32)).unwrap()
}

fn random_digest(hash: HashAlg) -> Vec<u8> {
    let mut digest = vec![0u8; hash.digest_len()];
    OsRng.fill_bytes(&mut digest);
    digest
}

fn sign(key: &RsaPrivateKey, hash: HashAlg) -> SignedHash {
    let digest = random_digest(hash);
    let scheme = match hash {
        HashAlg::Sha1 => Pkcs1v15Sign::new::<sha1::Sha1>(),
        HashAlg::Sha256 => Pkcs1v15Sign::new::<sha2::Sha256>(),
    };
    let signature = key.sign(scheme, &digest).unwrap();
    assert_eq!(signature.len(), key.size());
    SignedHash {
        signature,
        hash,
        digest,
    }
}

fn signatures(key: &RsaPrivateKey, count: usize) -> Vec<SignedHash> {
    (0..count).map(|_| sign(key, HashAlg::Sha256)).collect()
}

fn assert_recovers(key: &RsaPrivateKey, group: &[SignedHash]) {
    let recovered = recover_rsa_key(group).unwrap();
    assert_eq!(recovered.modulus, key.n().to_bytes_be());
    assert_eq!(BigUint::from(recovered.exponent), *key.e());
    assert_eq!(recovered.bits as usize, key.n().bits());
}

// Each e=65537 recovery costs one big GCD (12 s at 1024 bits, 29 s at 2048
// on the CI machine), so the counts are spread over the two sizes; the
// dkimpy fixtures run 2-, 3- and 10-signature groups end to end again
// (crates/cli/tests/keys_trust.rs).
#[test]
fn a_1024_bit_key_is_recovered_from_3_and_10_signatures() {
    let key = key(1024);
    let group = signatures(&key, 10);
    for count in [3, 10] {
        assert_recovers(&key, &group[..count]);
    }
}

#[test]
fn a_2048_bit_key_is_recovered_from_2_signatures() {
    let key = key(2048);
    // Modulus, exponent 65537 and 2048 bits, all checked against the key.
    assert_recovers(&key, &signatures(&key, 2));
}

#[test]
fn an_exponent_3_key_is_recovered_with_exponent_3() {
    let key = key_e3(1024);
    let group = signatures(&key, 3);
    let recovered = recover_rsa_key(&group).unwrap();
    assert_eq!(recovered.exponent, 3);
    assert_recovers(&key, &group[..2]);
}

#[test]
fn sha1_signatures_and_groups_mixing_both_hashes_are_recovered() {
    // The hash only changes the encoded message, whatever the exponent.
    let key = key_e3(1024);
    let sha1: Vec<SignedHash> = (0..3).map(|_| sign(&key, HashAlg::Sha1)).collect();
    assert_recovers(&key, &sha1[..2]);
    assert_recovers(&key, &sha1);
    let mixed = [sha1[0].clone(), sign(&key, HashAlg::Sha256)];
    assert_recovers(&key, &mixed);
}

#[test]
fn the_encoding_is_what_the_public_key_opens_the_signature_to() {
    // Independent of the GCD: s^e mod n with `rsa`'s integers must be EM.
    let key = key(1024);
    for hash in [HashAlg::Sha1, HashAlg::Sha256] {
        let signed = sign(&key, hash);
        let opened = BigUint::from_bytes_be(&signed.signature).modpow(key.e(), key.n());
        let em = emsa_pkcs1_v15(hash, &signed.digest, key.size()).unwrap();
        assert_eq!(em.len(), key.size());
        assert_eq!(BigUint::from_bytes_be(&em), opened, "{hash:?}");
    }
}

#[test]
fn one_signature_or_copies_of_one_are_too_few() {
    let key = key(1024);
    let one = sign(&key, HashAlg::Sha256);
    assert_eq!(
        recover_rsa_key(std::slice::from_ref(&one)),
        Err(RecoveryError::TooFewSignatures)
    );
    assert_eq!(recover_rsa_key(&[]), Err(RecoveryError::TooFewSignatures));
    assert_eq!(
        recover_rsa_key(&[one.clone(), one.clone(), one]),
        Err(RecoveryError::TooFewSignatures)
    );
}

#[test]
fn signatures_of_two_keys_give_no_key_rather_than_a_wrong_one() {
    let (a, b) = (key(512), key(512));
    let from_a = signatures(&a, 2);
    let from_b = signatures(&b, 1);
    let one_each = [from_a[0].clone(), from_b[0].clone()];
    assert_eq!(
        recover_rsa_key(&one_each),
        Err(RecoveryError::NoCommonModulus)
    );
    // Two of A agree on A's modulus; the one from B must still sink it.
    let two_and_one = [from_a[0].clone(), from_a[1].clone(), from_b[0].clone()];
    assert_eq!(
        recover_rsa_key(&two_and_one),
        Err(RecoveryError::NoCommonModulus)
    );
}

#[test]
fn a_digest_that_was_not_signed_gives_no_key() {
    let key = key(512);
    let mut group = signatures(&key, 3);
    group[2].digest[0] ^= 1;
    assert_eq!(recover_rsa_key(&group), Err(RecoveryError::NoCommonModulus));
    // Claiming the wrong hash is the same: another DigestInfo was signed.
    let mut sha1 = sign(&key, HashAlg::Sha1);
    sha1.hash = HashAlg::Sha256;
    sha1.digest = random_digest(HashAlg::Sha256);
    let group = [group[0].clone(), sha1];
    assert_eq!(recover_rsa_key(&group), Err(RecoveryError::NoCommonModulus));
}

#[test]
fn malformed_groups_are_refused_before_any_arithmetic() {
    let key = key(1024);
    let good = sign(&key, HashAlg::Sha256);
    let mut short = good.clone();
    short.signature.remove(0);
    assert_eq!(
        recover_rsa_key(&[good.clone(), short]),
        Err(RecoveryError::MixedLengths {
            expected: 128,
            index: 1,
            found: 127
        })
    );
    let huge = SignedHash {
        signature: vec![0x5a; 1025],
        hash: HashAlg::Sha256,
        digest: vec![0; 32],
    };
    assert_eq!(
        recover_rsa_key(&[huge.clone(), huge]),
        Err(RecoveryError::SignatureTooLong {
            index: 0,
            bytes: 1025
        })
    );
    let mut truncated_digest = good.clone();
    truncated_digest.digest.pop();
    assert_eq!(
        recover_rsa_key(&[good.clone(), truncated_digest]),
        Err(RecoveryError::DigestLength {
            index: 1,
            expected: 32,
            found: 31
        })
    );
    let tiny = |byte| SignedHash {
        signature: vec![byte; 40],
        hash: HashAlg::Sha256,
        digest: vec![0; 32],
    };
    assert_eq!(
        recover_rsa_key(&[tiny(1), tiny(2)]),
        Err(RecoveryError::SignatureTooShort {
            bytes: 40,
            needed: 62
        })
    );
}

#[test]
fn only_the_first_64_signatures_are_used() {
    let key = key_e3(1024);
    let mut group = signatures(&key, MAX_SIGNATURES);
    // Past the cap, a signature of another key would otherwise sink it.
    group.extend(signatures(&key_e3(1024), 1));
    assert_recovers(&key, &group);
}

#[test]
fn the_dkim_record_holds_the_key_as_rsa_encodes_it() {
    let expected = |key: &RsaPrivateKey| {
        let der = key.to_public_key().to_public_key_der().unwrap();
        format!(
            "v=DKIM1; k=rsa; p={}",
            base64::engine::general_purpose::STANDARD.encode(der.as_bytes())
        )
    };
    let key = key_e3(1024);
    let recovered = recover_rsa_key(&signatures(&key, 2)).unwrap();
    assert_eq!(recovered.to_dkim_record(), expected(&key));
    // The usual exponent, whose DER integer is three bytes, on the record
    // alone (recovering a 65537 key is the slow tests' job).
    let key = self::key(2048);
    let usual = RecoveredKey {
        modulus: key.n().to_bytes_be(),
        exponent: 65537,
        bits: 2048,
    };
    assert_eq!(usual.to_dkim_record(), expected(&key));
}
