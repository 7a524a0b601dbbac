//! From a DKIM-Signature field to the tags verification needs (RFC 6376 3.5).

use super::{Outcome, SignatureTags};
use crate::common::canon::Canon;
use crate::common::crypto::HashAlgorithm;
use crate::common::header::HeaderField;
use crate::common::tags::{decode_base64, parse_tag_list, strip_fws};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum KeyKind {
    Rsa,
    Ed25519,
}

/// A signature whose tags passed every syntactic check.
#[derive(Debug)]
pub(super) struct ParsedSignature {
    pub key_kind: KeyKind,
    pub hash: HashAlgorithm,
    pub header_canon: Canon,
    pub body_canon: Canon,
    /// `d=` and `s=` lower-cased, as they are looked up.
    pub domain: String,
    pub selector: String,
    /// `i=`, or `@d` when absent (RFC 6376 3.5).
    pub identity: String,
    pub signed_headers: Vec<String>,
    pub body_length: Option<u64>,
    /// `bh=` with folding whitespace removed, and decoded.
    pub claimed_body_hash: String,
    pub body_hash: Vec<u8>,
    pub signature: Vec<u8>,
    /// `Some("v=0.5")` or `Some("no v=")` for a pre-RFC 4871 draft signature.
    pub draft: Option<&'static str>,
}

/// Why a signature cannot be verified at all.
#[derive(Debug)]
pub(super) struct Rejection {
    pub outcome: Outcome,
    pub reason: String,
}

fn malformed(reason: impl Into<String>) -> Rejection {
    Rejection {
        outcome: Outcome::Malformed,
        reason: reason.into(),
    }
}

fn unsupported(reason: impl Into<String>) -> Rejection {
    Rejection {
        outcome: Outcome::Unsupported,
        reason: reason.into(),
    }
}

fn decimal(name: &str, value: &str) -> Result<u64, Rejection> {
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(malformed(format!(
            "{name}= {value:?} is not a decimal number"
        )));
    }
    value
        .parse()
        .map_err(|_| malformed(format!("{name}= {value} is too large to be meaningful")))
}

fn parse_canon(word: &str) -> Option<Canon> {
    match word {
        "simple" => Some(Canon::Simple),
        "relaxed" => Some(Canon::Relaxed),
        _ => None,
    }
}

/// Parse `field`; `tags` is filled as far as the header could be read, also
/// when the signature is rejected, so the evidence shows what was written.
pub(super) fn parse_signature(
    field: &HeaderField<'_>,
    tags: &mut SignatureTags,
) -> Result<ParsedSignature, Rejection> {
    // Checked with `from_utf8` first: it skips ASCII a word at a time, where
    // `from_utf8_lossy` looks at every byte of the long b= value.
    let text = match std::str::from_utf8(field.value) {
        Ok(text) => std::borrow::Cow::Borrowed(text),
        Err(_) => String::from_utf8_lossy(field.value),
    };
    let list =
        parse_tag_list(&text).map_err(|e| malformed(format!("its tag list is unreadable: {e}")))?;
    let get = |name: &str| list.iter().find(|(n, _)| *n == name).map(|&(_, v)| v);

    fill_tags(tags, &get);

    let draft = draft_version(get("v"), get("bh").is_some())?;
    for required in ["a", "b", "bh", "d", "h", "s"] {
        if get(required).is_none() {
            return Err(malformed(format!(
                "the required tag {required}= is missing"
            )));
        }
    }
    let required = |name: &str| get(name).unwrap_or_default();

    let algorithm = required("a").to_ascii_lowercase();
    let (key_kind, hash) = match algorithm.as_str() {
        "rsa-sha256" => (KeyKind::Rsa, HashAlgorithm::Sha256),
        "rsa-sha1" => (KeyKind::Rsa, HashAlgorithm::Sha1),
        "ed25519-sha256" => (KeyKind::Ed25519, HashAlgorithm::Sha256),
        _ => return Err(unsupported(format!("the signing algorithm a={algorithm}"))),
    };

    let (header_canon, body_canon) = canonicalizations(get("c"))?;

    if let Some(q) = get("q") {
        // The drafts named the same DNS TXT lookup `dns`.
        let known = |m: &str| {
            m.eq_ignore_ascii_case("dns/txt") || (draft.is_some() && m.eq_ignore_ascii_case("dns"))
        };
        if !q.split(':').any(|m| known(m.trim())) {
            return Err(unsupported(format!("the key query method q={q}")));
        }
    }

    let domain = required("d").to_ascii_lowercase();
    let selector = required("s").to_ascii_lowercase();
    if domain.is_empty() {
        return Err(malformed("d= is empty"));
    }
    if selector.is_empty() {
        return Err(malformed("s= is empty"));
    }

    let signed_headers = tags.signed_headers.clone();
    if signed_headers.iter().any(String::is_empty) {
        return Err(malformed(format!(
            "h= {:?} lists an empty header name",
            required("h")
        )));
    }
    if !signed_headers
        .iter()
        .any(|h| h.eq_ignore_ascii_case("from"))
    {
        return Err(malformed(
            "h= does not include From, which RFC 6376 requires to be signed",
        ));
    }

    let identity = match get("i") {
        Some(i) => {
            let decoded = decode_quoted_printable(i)
                .ok_or_else(|| malformed(format!("i={i} is not valid dkim-quoted-printable")))?;
            check_identity(&decoded, &domain)?;
            decoded
        }
        None => format!("@{domain}"),
    };

    let body_length = get("l").map(|l| decimal("l", l)).transpose()?;
    for name in ["t", "x"] {
        if let Some(value) = get(name) {
            decimal(name, value)?;
        }
    }

    let claimed_body_hash = strip_fws(required("bh"));
    let body_hash = decode_base64(&claimed_body_hash)
        .map_err(|e| malformed(format!("bh= is not base64 ({e})")))?;
    // A bh= that cannot be a digest of the named hash (empty, truncated) was
    // never a signer's body hash: calling the body altered would be false.
    let digest_len = match hash {
        HashAlgorithm::Sha1 => 20,
        HashAlgorithm::Sha256 => 32,
    };
    if body_hash.len() != digest_len {
        return Err(malformed(format!(
            "bh= holds {} bytes, but a {} body hash is {digest_len} bytes",
            body_hash.len(),
            hash.name()
        )));
    }
    let signature =
        decode_base64(required("b")).map_err(|e| malformed(format!("b= is not base64 ({e})")))?;
    if signature.is_empty() {
        return Err(malformed("b= is empty"));
    }

    Ok(ParsedSignature {
        key_kind,
        hash,
        header_canon,
        body_canon,
        domain,
        selector,
        identity,
        signed_headers,
        body_length,
        claimed_body_hash,
        body_hash,
        signature,
        draft,
    })
}

/// `None` for an RFC 6376 signature, or which pre-standard draft it is.
///
/// Drafts -01 to -05 of draft-ietf-dkim-base (2006-2007) already had `bh=`
/// and hashed body and headers as RFC 4871 then fixed, so a draft signature
/// carrying `bh=` that verifies is the same cryptographic proof. Draft-00
/// had no `bh=`: one digest over headers and body together, a different
/// scheme that RFC 4871 dropped.
fn draft_version(version: Option<&str>, has_bh: bool) -> Result<Option<&'static str>, Rejection> {
    let draft = match version {
        Some("1") => return Ok(None),
        Some("0.5") => "v=0.5",
        None => "no v=",
        Some(version) => {
            return Err(unsupported(format!(
                "version v={version}, while only v=1 (RFC 6376) and the drafts' v=0.5 are known"
            )))
        }
    };
    if has_bh {
        Ok(Some(draft))
    } else {
        Err(unsupported(format!(
            "a pre-standard draft signature ({draft}, no bh=) of the draft-ietf-dkim-base-00 era, \
             whose single digest over headers and body RFC 4871 replaced"
        )))
    }
}

fn fill_tags<'a>(tags: &mut SignatureTags, get: &impl Fn(&str) -> Option<&'a str>) {
    let owned = |name: &str| get(name).map(str::to_owned);
    tags.version = owned("v");
    tags.domain = owned("d");
    tags.selector = owned("s");
    tags.algorithm = owned("a");
    tags.identity = owned("i");
    tags.canonicalization = canonicalizations(get("c"))
        .ok()
        .map(|(h, b)| format!("{}/{}", canon_name(h), canon_name(b)));
    tags.signed_headers = get("h")
        .map(|h| h.split(':').map(strip_fws).collect())
        .unwrap_or_default();
    let number = |name: &str| get(name).and_then(|v| v.parse().ok());
    tags.body_length = number("l");
    tags.timestamp = number("t");
    tags.expiration = number("x");
}

fn canon_name(canon: Canon) -> &'static str {
    match canon {
        Canon::Simple => "simple",
        Canon::Relaxed => "relaxed",
    }
}

/// `c=header/body`, `c=header` meaning `header/simple`, default `simple/simple`.
fn canonicalizations(c: Option<&str>) -> Result<(Canon, Canon), Rejection> {
    let Some(c) = c else {
        return Ok((Canon::Simple, Canon::Simple));
    };
    let lower = c.to_ascii_lowercase();
    let (header, body) = lower.split_once('/').unwrap_or((&lower, "simple"));
    match (parse_canon(header.trim()), parse_canon(body.trim())) {
        (Some(h), Some(b)) => Ok((h, b)),
        _ => Err(unsupported(format!("the canonicalization c={c}"))),
    }
}

/// RFC 6376 2.11 dkim-quoted-printable, as `i=` is written: `=XX` is a hex
/// octet, folding whitespace is ignored.
fn decode_quoted_printable(value: &str) -> Option<String> {
    let bytes: Vec<u8> = strip_fws(value).into_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Some(String::from_utf8_lossy(&out).into_owned())
}

/// RFC 6376 3.5: the domain of `i=` is `d=` or a subdomain of it.
fn check_identity(identity: &str, domain: &str) -> Result<(), Rejection> {
    let Some((_, i_domain)) = identity.rsplit_once('@') else {
        return Err(malformed(format!("i={identity} has no @domain part")));
    };
    let i_domain = i_domain.to_ascii_lowercase();
    let inside = i_domain == domain
        || i_domain
            .strip_suffix(domain)
            .is_some_and(|prefix| prefix.ends_with('.'));
    if inside {
        Ok(())
    } else {
        Err(malformed(format!(
            "i={identity} is outside the signing domain d={domain}"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::common::header::split_message;

    fn parse(value: &str) -> (Result<ParsedSignature, Rejection>, SignatureTags) {
        let message = format!("DKIM-Signature: {value}\r\n\r\n");
        let split = split_message(message.as_bytes()).unwrap();
        let mut tags = SignatureTags::default();
        let result = parse_signature(&split.headers[0], &mut tags);
        (result, tags)
    }

    const BASE: &str = "v=1; a=rsa-sha256; d=Example.com; s=sel; h=From:To; bh=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=; b=AAAA";

    #[test]
    fn well_formed_signature_parses_with_defaults() {
        let (parsed, tags) = parse(BASE);
        let parsed = parsed.unwrap();
        assert_eq!(parsed.domain, "example.com");
        assert_eq!(parsed.identity, "@example.com");
        assert_eq!(parsed.header_canon, Canon::Simple);
        assert_eq!(tags.canonicalization.as_deref(), Some("simple/simple"));
        assert_eq!(tags.signed_headers, vec!["From", "To"]);
    }

    #[test]
    fn header_canonicalization_alone_implies_simple_body() {
        let (parsed, _) = parse(&format!("{BASE}; c=relaxed"));
        let parsed = parsed.unwrap();
        assert_eq!(
            (parsed.header_canon, parsed.body_canon),
            (Canon::Relaxed, Canon::Simple)
        );
    }

    fn outcome(value: &str) -> Outcome {
        parse(value).0.unwrap_err().outcome
    }

    #[test]
    fn missing_from_in_h_is_malformed() {
        assert_eq!(
            outcome("v=1; a=rsa-sha256; d=e.com; s=s; h=To; bh=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=; b=AAAA"),
            Outcome::Malformed
        );
    }

    #[test]
    fn identity_outside_signing_domain_is_malformed() {
        assert_eq!(
            outcome(&format!("{BASE}; i=a@badexample.com")),
            Outcome::Malformed
        );
        assert!(parse(&format!("{BASE}; i=a@mail.EXAMPLE.com")).0.is_ok());
    }

    #[test]
    fn unknown_algorithm_version_canon_or_query_is_unsupported() {
        for bad in [
            "v=1; a=rsa-md5; d=e.com; s=s; h=From; bh=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=; b=AAAA",
            "v=2; a=rsa-sha256; d=e.com; s=s; h=From; bh=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=; b=AAAA",
            "v=1; a=rsa-sha256; c=nowsp; d=e.com; s=s; h=From; bh=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=; b=AAAA",
            "v=1; a=rsa-sha256; q=http; d=e.com; s=s; h=From; bh=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=; b=AAAA",
        ] {
            assert_eq!(outcome(bad), Outcome::Unsupported, "{bad}");
        }
    }

    #[test]
    fn absurd_l_is_malformed_not_a_panic() {
        assert_eq!(
            outcome(&format!("{BASE}; l=99999999999999999999999999")),
            Outcome::Malformed
        );
        assert_eq!(outcome(&format!("{BASE}; l=-1")), Outcome::Malformed);
    }

    #[test]
    fn duplicate_tag_is_malformed() {
        assert_eq!(outcome(&format!("{BASE}; d=other.com")), Outcome::Malformed);
    }

    #[test]
    fn quoted_printable_identity_is_decoded() {
        let (parsed, tags) = parse(&format!("{BASE}; i=jo=40mail=2Eexample.com"));
        assert_eq!(parsed.unwrap().identity, "jo@mail.example.com");
        assert_eq!(tags.identity.as_deref(), Some("jo=40mail=2Eexample.com"));
        assert_eq!(
            outcome(&format!("{BASE}; i=jo=4@example.com")),
            Outcome::Malformed
        );
    }

    #[test]
    fn draft_signatures_with_bh_parse_and_say_which_draft() {
        let draft =
            "a=rsa-sha1; q=dns; d=e.com; s=s; h=From; bh=AAAAAAAAAAAAAAAAAAAAAAAAAAA=; b=AAAA";
        assert_eq!(parse(draft).0.unwrap().draft, Some("no v="));
        assert_eq!(
            parse(&format!("v=0.5; {draft}")).0.unwrap().draft,
            Some("v=0.5")
        );
        assert_eq!(parse(BASE).0.unwrap().draft, None);
        // q=dns is the drafts' spelling only.
        assert_eq!(outcome(&format!("{BASE}; q=dns")), Outcome::Unsupported);
    }

    #[test]
    fn draft_signatures_without_bh_are_unsupported_and_say_why() {
        let (result, _) = parse("a=rsa-sha1; d=e.com; s=s; h=From; b=AAAA");
        let rejection = result.unwrap_err();
        assert_eq!(rejection.outcome, Outcome::Unsupported);
        assert!(rejection.reason.contains("no bh="), "{}", rejection.reason);
    }

    #[test]
    fn unknown_tags_are_ignored() {
        assert!(parse(&format!("{BASE}; foo=bar")).0.is_ok());
    }

    #[test]
    fn a_body_hash_of_the_wrong_length_is_malformed_not_a_mismatch() {
        for bh in ["", "AAAA"] {
            let header = format!("v=1; a=rsa-sha256; d=e.com; s=s; h=From; bh={bh}; b=AAAA");
            assert_eq!(outcome(&header), Outcome::Malformed, "bh={bh:?}");
            let rejection = parse(&header).0.unwrap_err();
            assert!(format!("{rejection:?}").contains("bh="), "{rejection:?}");
        }
    }
}
