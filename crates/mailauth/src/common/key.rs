//! DKIM key records (RFC 6376 section 3.6.1, RFC 8463).

use super::crypto::{check_signature, HashAlgorithm, PublicKey, SignatureCheck};
use super::tags::{parse_tag_list, strip_fws};
use crate::TxtRecord;
use rsa::BigUint;
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

/// RSA keys under this many bits prove nothing about who signed: a 512-bit
/// DKIM key was factored for about $75 of rented computing in 2012, a 768-bit
/// modulus fell in 2009, and RFC 8301 section 3.2 forbids verifiers to accept
/// RSA keys under 1024 bits.
/// DKIM reports such a signature as verified but weak; ARC refuses it.
pub const WEAK_RSA_BITS: u32 = 1024;

/// Largest RSA modulus accepted. `rsa`'s default (4096) is a DoS guard for
/// servers; DKIM keys of 8192 bits exist and verification is a single modpow.
pub const MAX_RSA_BITS: usize = 8192;

/// A parsed key record.
#[derive(Clone, Debug)]
pub struct KeyRecord {
    /// `None` when `p=` is empty: the key is revoked.
    pub key: Option<PublicKey>,
    /// `h=`: acceptable hash algorithms, `None` when absent (all allowed).
    pub hash_algorithms: Option<Vec<String>>,
    /// `s=`: service types (default `*`).
    pub services: Vec<String>,
    /// `t=` flags (`y` testing, `s` strict identity).
    pub flags: Vec<String>,
    /// `g=` granularity from RFC 4871 (dropped by RFC 6376, still honoured
    /// by old verifiers); `None` when absent.
    pub granularity: Option<String>,
}

impl KeyRecord {
    /// Whether `h=` allows `hash` (`sha1`, `sha256`).
    pub fn allows_hash(&self, hash: &str) -> bool {
        self.hash_algorithms
            .as_ref()
            .is_none_or(|list| list.iter().any(|h| h == hash))
    }

    /// Whether `s=` allows use for email.
    pub fn allows_email(&self) -> bool {
        self.services.iter().any(|s| s == "*" || s == "email")
    }

    pub fn has_flag(&self, flag: &str) -> bool {
        self.flags.iter().any(|f| f == flag)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    #[error("key record is not a tag list: {0}")]
    Syntax(String),
    #[error("key record version {0:?} is not DKIM1")]
    Version(String),
    #[error("key type k={0:?} is not supported")]
    KeyType(String),
    #[error("p= is not a valid {0} public key: {1}")]
    BadKey(&'static str, String),
}

fn colon_list(value: &str) -> Vec<String> {
    value
        .split(':')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Parse a key record's text.
pub fn parse_key_record(text: &str) -> Result<KeyRecord, KeyError> {
    let tags = parse_tag_list(text).map_err(|e| KeyError::Syntax(e.to_string()))?;
    let get = |name: &str| tags.iter().find(|(n, _)| *n == name).map(|&(_, v)| v);
    if let Some(v) = get("v") {
        if v != "DKIM1" {
            return Err(KeyError::Version(v.to_owned()));
        }
    }
    let key_type = get("k").unwrap_or("rsa");
    if key_type != "rsa" && key_type != "ed25519" {
        return Err(KeyError::KeyType(key_type.to_owned()));
    }
    let p = get("p").ok_or_else(|| KeyError::Syntax("no p= tag".into()))?;
    let p = strip_fws(p);
    let key = if p.is_empty() {
        None
    } else if key_type == "rsa" {
        Some(PublicKey::Rsa(Arc::new(decode_rsa(&decode_base64(
            "RSA", &p,
        )?)?)))
    } else {
        Some(PublicKey::Ed25519(decode_ed25519(&decode_base64(
            "Ed25519", &p,
        )?)?))
    };
    Ok(KeyRecord {
        key,
        hash_algorithms: get("h").map(colon_list),
        services: get("s").map_or_else(|| vec!["*".to_owned()], colon_list),
        flags: get("t").map(colon_list).unwrap_or_default(),
        granularity: get("g").map(str::to_owned),
    })
}

fn decode_base64(kind: &'static str, text: &str) -> Result<Vec<u8>, KeyError> {
    super::tags::decode_base64(text).map_err(|e| KeyError::BadKey(kind, format!("bad base64: {e}")))
}

/// SubjectPublicKeyInfo as RFC 6376 says, else a bare PKCS#1 RSAPublicKey,
/// which some publishers put in DNS.
fn decode_rsa(der: &[u8]) -> Result<rsa::RsaPublicKey, KeyError> {
    use rsa::pkcs8::SubjectPublicKeyInfoRef;
    let pkcs1_der = match SubjectPublicKeyInfoRef::try_from(der) {
        Ok(spki) => {
            if spki.algorithm.oid != rsa::pkcs1::ALGORITHM_OID {
                return Err(KeyError::BadKey(
                    "RSA",
                    format!(
                        "SubjectPublicKeyInfo is for algorithm {}",
                        spki.algorithm.oid
                    ),
                ));
            }
            spki.subject_public_key.as_bytes().ok_or_else(|| {
                KeyError::BadKey("RSA", "public key bit string is not whole bytes".into())
            })?
        }
        Err(_) => der,
    };
    let key = rsa::pkcs1::RsaPublicKey::try_from(pkcs1_der).map_err(|e| {
        KeyError::BadKey(
            "RSA",
            format!("neither SubjectPublicKeyInfo nor PKCS#1 DER ({e})"),
        )
    })?;
    let n = BigUint::from_bytes_be(key.modulus.as_bytes());
    let e = BigUint::from_bytes_be(key.public_exponent.as_bytes());
    // No lower bound on purpose: 512- and 768-bit keys signed real mail; the
    // verdict, not the parser, says such a proof is weak.
    rsa::RsaPublicKey::new_with_max_size(n, e, MAX_RSA_BITS)
        .map_err(|e| KeyError::BadKey("RSA", e.to_string()))
}

/// RFC 8463: `p=` is the raw 32-byte public key, not DER.
fn decode_ed25519(raw: &[u8]) -> Result<ed25519_dalek::VerifyingKey, KeyError> {
    let bytes: &[u8; 32] = raw
        .try_into()
        .map_err(|_| KeyError::BadKey("Ed25519", format!("{} bytes, expected 32", raw.len())))?;
    ed25519_dalek::VerifyingKey::from_bytes(bytes)
        .map_err(|e| KeyError::BadKey("Ed25519", e.to_string()))
}

/// Why a key record cannot check a signature.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    pub why: String,
    /// `p=` is empty: the domain withdrew the key.
    pub revoked: bool,
}

impl Refusal {
    pub fn unusable(why: impl std::fmt::Display) -> Self {
        Refusal {
            why: why.to_string(),
            revoked: false,
        }
    }

    /// How the refusal reads in a list of keys tried.
    pub fn attempt_text(&self) -> String {
        if self.revoked {
            self.why.clone()
        } else {
            format!("unusable: {}", self.why)
        }
    }
}

/// A key record allowed to check a signature, with its provenance.
#[derive(Clone, Debug)]
pub struct UsableKey<'r> {
    pub key: PublicKey,
    pub parsed: Arc<KeyRecord>,
    pub record: &'r TxtRecord,
}

/// The records of a selector, split into keys worth trying and refusals,
/// each list in record order.
#[derive(Debug, Default)]
pub struct SortedKeys<'r> {
    pub usable: Vec<UsableKey<'r>>,
    pub refused: Vec<(&'r TxtRecord, Refusal)>,
}

/// Sort `records` by the checks every DKIM-style signature (DKIM, ARC) makes
/// of a key record: it parses, `p=` is not empty, its type is the
/// signature's, its `h=` allows `hash` and its `s=` allows email. `also`
/// adds the checks of one protocol.
pub fn sort_records<'r>(
    records: &'r [TxtRecord],
    signature_is_rsa: bool,
    hash: HashAlgorithm,
    also: impl Fn(&KeyRecord) -> Result<(), Refusal>,
) -> SortedKeys<'r> {
    let mut sorted = SortedKeys::default();
    for record in records {
        match usable_key(record, signature_is_rsa, hash).and_then(|usable| {
            also(&usable.parsed)?;
            Ok(usable)
        }) {
            Ok(usable) => sorted.usable.push(usable),
            Err(refusal) => sorted.refused.push((record, refusal)),
        }
    }
    sorted
}

/// Records longer than this are parsed every time rather than cached: an
/// 8192-bit RSA record is under 1.5 KiB, and a hostile key file must not
/// fill the cache with megabytes.
const CACHED_RECORD_MAX_LEN: usize = 16 << 10;
/// Distinct records cached per thread before the cache is emptied, so live
/// DNS over a dump with many selectors cannot grow it without bound.
const CACHED_RECORDS: usize = 1024;

thread_local! {
    static PARSED: RefCell<HashMap<String, Result<Arc<KeyRecord>, KeyError>>> =
        RefCell::new(HashMap::new());
}

/// [`parse_key_record`], remembered per thread by record text. The messages
/// of a dump share a few selectors, and parsing the record (base64, DER, the
/// modulus into a big integer) again for every signature was 3 % of a run.
/// Per thread, so that verifying threads never wait on each other.
fn parsed_key_record(text: &str) -> Result<Arc<KeyRecord>, KeyError> {
    if text.len() > CACHED_RECORD_MAX_LEN {
        return parse_key_record(text).map(Arc::new);
    }
    PARSED.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some(parsed) = cache.get(text) {
            return parsed.clone();
        }
        let parsed = parse_key_record(text).map(Arc::new);
        if cache.len() >= CACHED_RECORDS {
            cache.clear();
        }
        cache.insert(text.to_owned(), parsed.clone());
        parsed
    })
}

fn usable_key(
    record: &TxtRecord,
    signature_is_rsa: bool,
    hash: HashAlgorithm,
) -> Result<UsableKey<'_>, Refusal> {
    let parsed = parsed_key_record(&record.value).map_err(Refusal::unusable)?;
    let Some(key) = parsed.key.clone() else {
        return Err(Refusal {
            why: "revoked (empty p=)".to_owned(),
            revoked: true,
        });
    };
    match (&key, signature_is_rsa) {
        (PublicKey::Rsa(_), true) | (PublicKey::Ed25519(_), false) => {}
        (PublicKey::Rsa(_), false) => {
            return Err(Refusal::unusable(
                "the key is RSA but the signature is Ed25519",
            ))
        }
        (PublicKey::Ed25519(_), true) => {
            return Err(Refusal::unusable(
                "the key is Ed25519 but the signature is RSA",
            ))
        }
    }
    if !parsed.allows_hash(hash.name()) {
        return Err(Refusal::unusable(format!(
            "h= does not allow {}",
            hash.name()
        )));
    }
    if !parsed.allows_email() {
        return Err(Refusal::unusable("s= does not include email"));
    }
    Ok(UsableKey {
        key,
        parsed,
        record,
    })
}

/// Which of the keys tried decided a signature.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct KeyTrial {
    /// The first key the signature verifies with and `judge` accepted.
    pub verified: Option<usize>,
    /// The first RSA key that opens the signature to a well-formed block
    /// around another digest: it made the signature, over other bytes.
    pub signer: Option<usize>,
}

/// Check `signature` over `data` with each key in turn, oldest record first,
/// since a selector's key changes over the years and any may have signed.
/// `judge` sees every check, in order, and says whether a valid one is
/// taken; trying stops at the first taken.
pub fn try_keys(
    keys: &[UsableKey<'_>],
    hash: HashAlgorithm,
    data: &[u8],
    signature: &[u8],
    mut judge: impl FnMut(&UsableKey<'_>, SignatureCheck) -> bool,
) -> KeyTrial {
    let mut trial = KeyTrial::default();
    for (i, candidate) in keys.iter().enumerate() {
        let check = check_signature(&candidate.key, hash, data, signature);
        let taken = judge(candidate, check);
        match check {
            SignatureCheck::Valid if taken => {
                trial.verified = Some(i);
                break;
            }
            SignatureCheck::Invalid {
                key_matches_signature: Some(true),
            } => {
                trial.signer.get_or_insert(i);
            }
            _ => {}
        }
    }
    trial
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 512-bit key from Mail::DKIM's test DNS (the size Gmail once used).
    const RSA_512_SPKI: &str = "MFwwDQYJKoZIhvcNAQEBBQADSwAwSAJBALgSoqXVSEmfcIsOzw7oRuCCOwsmtX/SJnTWxYyj2leFxfS/AVJ+dYfY+hXqMsT7l+MZvvh/R1WzN4MO/kI/7XsCAwEAAQ==";
    /// The same key as a bare PKCS#1 RSAPublicKey (the SPKI minus its 20-byte prefix).
    fn rsa_512_pkcs1() -> String {
        use base64::{engine::general_purpose::STANDARD, Engine};
        let der = STANDARD.decode(RSA_512_SPKI).unwrap();
        STANDARD.encode(&der[20..])
    }

    #[test]
    fn rsa_512_bit_key_is_accepted() {
        let rec = parse_key_record(&format!("v=DKIM1; k=rsa; p={RSA_512_SPKI}")).unwrap();
        assert_eq!(rec.key.unwrap().bits(), 512);
        assert!(rec.hash_algorithms.is_none());
        assert_eq!(rec.services, vec!["*"]);
    }

    #[test]
    fn pkcs1_rsa_key_is_accepted() {
        let rec = parse_key_record(&format!("p={}", rsa_512_pkcs1())).unwrap();
        assert_eq!(rec.key.unwrap().bits(), 512);
    }

    #[test]
    fn base64_may_contain_whitespace_and_lack_padding() {
        let folded = format!(
            "p={} {}",
            &RSA_512_SPKI[..40],
            RSA_512_SPKI[40..].trim_end_matches('=')
        );
        assert!(parse_key_record(&folded).unwrap().key.is_some());
    }

    #[test]
    fn empty_p_is_a_revoked_key() {
        let rec = parse_key_record("v=DKIM1; p=").unwrap();
        assert!(rec.key.is_none());
    }

    #[test]
    fn wrong_version_and_unknown_key_type_are_errors() {
        assert_eq!(
            parse_key_record("v=DKIM2; p=").unwrap_err(),
            KeyError::Version("DKIM2".into())
        );
        assert_eq!(
            parse_key_record("k=dsa; p=").unwrap_err(),
            KeyError::KeyType("dsa".into())
        );
    }

    #[test]
    fn garbage_p_is_a_bad_key() {
        assert!(matches!(
            parse_key_record("p=!!!!"),
            Err(KeyError::BadKey("RSA", _))
        ));
        assert!(matches!(
            parse_key_record("p=AAAA"),
            Err(KeyError::BadKey("RSA", _))
        ));
        assert!(matches!(
            parse_key_record("k=ed25519; p=AAAA"),
            Err(KeyError::BadKey("Ed25519", _))
        ));
    }

    #[test]
    fn h_s_t_g_are_parsed() {
        let rec = parse_key_record(&format!(
            "h=sha1 : sha256; s=email:web; t=y:s; g=jo*; p={RSA_512_SPKI}"
        ))
        .unwrap();
        assert_eq!(
            rec.hash_algorithms,
            Some(vec!["sha1".into(), "sha256".into()])
        );
        assert!(rec.allows_hash("sha256") && rec.allows_email());
        assert!(rec.has_flag("s") && rec.has_flag("y"));
        assert_eq!(rec.granularity.as_deref(), Some("jo*"));
    }

    fn record(value: &str, source: &str) -> TxtRecord {
        TxtRecord {
            value: value.to_owned(),
            source: source.to_owned(),
            ..TxtRecord::default()
        }
    }

    #[test]
    fn records_are_sorted_in_order_with_the_reason_of_each_refusal() {
        let records = [
            record("p=", "zone:1"),
            record(&format!("h=sha1; p={RSA_512_SPKI}"), "zone:2"),
            record(&format!("p={RSA_512_SPKI}"), "zone:3"),
            record(&format!("s=web; p={RSA_512_SPKI}"), "zone:4"),
        ];
        let sorted = sort_records(&records, true, HashAlgorithm::Sha256, |_| Ok(()));
        assert_eq!(sorted.usable.len(), 1);
        assert_eq!(sorted.usable[0].record.source, "zone:3");
        let refused: Vec<(&str, String)> = sorted
            .refused
            .iter()
            .map(|(r, refusal)| (r.source.as_str(), refusal.attempt_text()))
            .collect();
        assert_eq!(
            refused,
            [
                ("zone:1", "revoked (empty p=)".to_owned()),
                ("zone:2", "unusable: h= does not allow sha256".to_owned()),
                ("zone:4", "unusable: s= does not include email".to_owned()),
            ]
        );
        let ed = sort_records(&records[2..3], false, HashAlgorithm::Sha256, |_| Ok(()));
        assert_eq!(
            ed.refused[0].1.why,
            "the key is RSA but the signature is Ed25519"
        );
    }

    #[test]
    fn ed25519_raw_key_is_accepted() {
        // RFC 8463 appendix A.2.
        let rec =
            parse_key_record("v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=")
                .unwrap();
        assert!(matches!(rec.key, Some(PublicKey::Ed25519(_))));
    }
}
