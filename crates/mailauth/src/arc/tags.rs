//! The tags of ARC-Message-Signature and ARC-Seal fields, checked against
//! their grammar (RFC 8617 sections 4.1.2 and 4.1.3, which borrow RFC 6376's).

use super::collect::ArcField;
use crate::common::canon::Canon;
use crate::common::crypto::HashAlgorithm;
use crate::common::tags::{decode_base64, parse_tag_list};

/// Signing algorithms an ARC signature may name. Values are case-sensitive
/// (RFC 6376 section 3.2), so `RSA-SHA256` is not one of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Algorithm {
    RsaSha256,
    /// Deprecated by RFC 8301, but the ARC drafts of 2016-2018 allowed it and
    /// tamis judges mail of that era.
    RsaSha1,
    Ed25519Sha256,
}

impl Algorithm {
    fn parse(text: &str) -> Option<Self> {
        match text {
            "rsa-sha256" => Some(Self::RsaSha256),
            "rsa-sha1" => Some(Self::RsaSha1),
            "ed25519-sha256" => Some(Self::Ed25519Sha256),
            _ => None,
        }
    }

    pub(super) fn hash(self) -> HashAlgorithm {
        match self {
            Self::RsaSha1 => HashAlgorithm::Sha1,
            Self::RsaSha256 | Self::Ed25519Sha256 => HashAlgorithm::Sha256,
        }
    }

    pub(super) fn is_rsa(self) -> bool {
        !matches!(self, Self::Ed25519Sha256)
    }
}

/// Tags every ARC signature carries.
#[derive(Clone, Debug)]
pub(super) struct Signer {
    pub algorithm: Algorithm,
    pub signature: Vec<u8>,
    pub domain: String,
    pub selector: String,
    /// `t=`, reported only: historical mail has no "now" to compare it with.
    pub timestamp: Option<u64>,
    /// `x=`, reported only, for the same reason.
    pub expiration: Option<u64>,
}

#[derive(Clone, Debug)]
pub(super) struct MessageSignature {
    pub signer: Signer,
    pub body_hash: Vec<u8>,
    pub header_canon: Canon,
    pub body_canon: Canon,
    /// `h=` names, lower-cased, in order; empty names dropped.
    pub signed_headers: Vec<String>,
    pub body_length: Option<u64>,
}

#[derive(Clone, Debug)]
pub(super) struct Seal {
    pub signer: Signer,
    pub cv: String,
}

/// Where a tag problem was found, for the failure sentence.
fn describe(field: &ArcField<'_>) -> String {
    format!("the {} of instance {}", field.kind.name(), field.instance)
}

fn tag_map(field: &ArcField<'_>) -> Result<Vec<(String, String)>, String> {
    let text = String::from_utf8_lossy(field.header.value);
    let tags = parse_tag_list(&text)
        .map_err(|e| format!("{} is not a valid tag list: {e}", describe(field)))?;
    Ok(tags
        .into_iter()
        .map(|(name, value)| (name.to_owned(), value.to_owned()))
        .collect())
}

fn get<'t>(tags: &'t [(String, String)], name: &str) -> Option<&'t str> {
    tags.iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

fn required<'t>(
    tags: &'t [(String, String)],
    name: &str,
    field: &ArcField<'_>,
) -> Result<&'t str, String> {
    match get(tags, name) {
        Some(v) if !v.is_empty() => Ok(v),
        Some(_) => Err(format!("{} has an empty {name}= tag", describe(field))),
        None => Err(format!("{} has no {name}= tag", describe(field))),
    }
}

/// Base64 with folding whitespace allowed anywhere (RFC 6376 section 3.5).
fn base64_tag(value: &str, name: &str, field: &ArcField<'_>) -> Result<Vec<u8>, String> {
    decode_base64(value).map_err(|e| format!("{}: {name}= is not base64 ({e})", describe(field)))
}

fn decimal_tag(
    tags: &[(String, String)],
    name: &str,
    field: &ArcField<'_>,
) -> Result<Option<u64>, String> {
    let Some(value) = get(tags, name) else {
        return Ok(None);
    };
    // RFC 6376 caps these at 12 digits (section 3.5, t= and l=).
    if value.is_empty() || value.len() > 12 || !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "{}: {name}={value:?} is not a decimal number",
            describe(field)
        ));
    }
    Ok(value.parse().ok())
}

/// RFC 6376 domain-name: dot-separated labels of letters, digits and inner
/// hyphens. Underscores are tolerated because real selectors carry them.
fn is_domain(text: &str) -> bool {
    !text.is_empty()
        && text.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}

fn signer(tags: &[(String, String)], field: &ArcField<'_>) -> Result<Signer, String> {
    let algorithm_text = required(tags, "a", field)?;
    let algorithm = Algorithm::parse(algorithm_text).ok_or_else(|| {
        format!(
            "{} uses the unknown algorithm a={algorithm_text:?}",
            describe(field)
        )
    })?;
    let signature = base64_tag(required(tags, "b", field)?, "b", field)?;
    let domain = required(tags, "d", field)?;
    let selector = required(tags, "s", field)?;
    for (name, value) in [("d", domain), ("s", selector)] {
        if !is_domain(value) {
            return Err(format!(
                "{}: {name}={value:?} is not a domain name",
                describe(field)
            ));
        }
    }
    Ok(Signer {
        algorithm,
        signature,
        domain: domain.to_string(),
        selector: selector.to_string(),
        timestamp: decimal_tag(tags, "t", field)?,
        expiration: decimal_tag(tags, "x", field)?,
    })
}

fn canon(text: &str) -> Option<Canon> {
    match text {
        "simple" => Some(Canon::Simple),
        "relaxed" => Some(Canon::Relaxed),
        _ => None,
    }
}

pub(super) fn message_signature(field: &ArcField<'_>) -> Result<MessageSignature, String> {
    let tags = tag_map(field)?;
    let signer = signer(&tags, field)?;
    let body_hash = base64_tag(required(&tags, "bh", field)?, "bh", field)?;
    // h= must be present but may be empty: the suite's ams_fields_h_empty
    // signs nothing but the AMS itself, and RFC 8617 does not forbid that.
    let Some(h) = get(&tags, "h") else {
        return Err(format!("{} has no h= tag", describe(field)));
    };
    let signed_headers = h
        .split(':')
        .map(|n| {
            n.trim_matches(|c: char| c.is_whitespace())
                .to_ascii_lowercase()
        })
        .filter(|n| !n.is_empty())
        .collect();
    // RFC 6376 default, as the AMS is a DKIM-Signature in all but name.
    let (header_canon, body_canon) = match get(&tags, "c") {
        None => (Canon::Simple, Canon::Simple),
        Some(text) => {
            let (h, b) = text.split_once('/').unwrap_or((text, "simple"));
            match (canon(h), canon(b)) {
                (Some(h), Some(b)) => (h, b),
                _ => {
                    return Err(format!(
                        "{} has an unknown canonicalization c={text:?}",
                        describe(field)
                    ))
                }
            }
        }
    };
    Ok(MessageSignature {
        signer,
        body_hash,
        header_canon,
        body_canon,
        signed_headers,
        body_length: decimal_tag(&tags, "l", field)?,
    })
}

pub(super) fn seal(field: &ArcField<'_>) -> Result<Seal, String> {
    let tags = tag_map(field)?;
    // RFC 8617 section 4.1.3 fixes what a seal covers; an h= tag would claim
    // otherwise, so a seal carrying one is not an ARC-Seal we can trust.
    if get(&tags, "h").is_some() {
        return Err(format!(
            "{} carries an h= tag, which an ARC-Seal must not have",
            describe(field)
        ));
    }
    let signer = signer(&tags, field)?;
    let cv = required(&tags, "cv", field)?;
    Ok(Seal {
        signer,
        cv: cv.to_string(),
    })
}

/// A breach of RFC 6376's tag-list grammar that `common::tags` tolerates:
/// an empty tag-spec (`;;`) anywhere but a single trailing `;`. It does not
/// stop the signature being checked, since the signer really wrote it, but
/// a field that breaks the grammar is not a valid ARC field.
pub(super) fn grammar_problem(field: &ArcField<'_>) -> Option<String> {
    let text = String::from_utf8_lossy(field.header.value);
    let segments: Vec<&str> = text.split(';').collect();
    let last = segments.len() - 1;
    segments
        .iter()
        .enumerate()
        .any(|(i, seg)| i != last && seg.trim().is_empty())
        .then(|| {
            format!(
                "{} has an empty tag (\";;\"), which RFC 6376's tag-list grammar forbids",
                describe(field)
            )
        })
}

/// The `cv=` of a seal as written, without judging the rest of the seal.
pub(super) fn claimed_cv(field: &ArcField<'_>) -> Option<String> {
    let tags = tag_map(field).ok()?;
    get(&tags, "cv").map(str::to_string)
}

/// `d=` and `s=` as written, for the evidence, even when the seal is invalid.
pub(super) fn domain_and_selector(field: &ArcField<'_>) -> (Option<String>, Option<String>) {
    match tag_map(field) {
        Ok(tags) => (
            get(&tags, "d").map(str::to_string),
            get(&tags, "s").map(str::to_string),
        ),
        Err(_) => (None, None),
    }
}
