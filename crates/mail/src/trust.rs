//! What a key's caveats (a key store's trust flags) do to a signature that
//! verifies: the maths holds, but the key proves less than it seems.
//!
//! - `recovered`: the only voucher for the key is tamis's own recovery
//!   from signatures in the dump. That proves the messages share one
//!   signing key, not whose key it is, so the verdict stays `key-missing`.
//! - every other caveat (`weak`, `private-key-published`, `shared-factor`,
//!   `outside-seen-window`): anyone could have made the signature, or the
//!   key was not the domain's at the claimed date, so the verdict is `weak`.

use tamis_findings::{KeyCaveatReport, Verdict};
use tamis_mailauth::dkim::{KeyType, SignatureResult};
use tamis_mailauth::KeyCaveat;

pub const RECOVERED: &str = "recovered";

/// The caveats of the key that decided `result` that hold at its date: the
/// signer's `t=` when present (the time the signature claims to be made),
/// else the message's Date.
pub fn holding(result: &SignatureResult, message_time: Option<i64>) -> Vec<&KeyCaveat> {
    let at = result
        .tags
        .timestamp
        .and_then(|t| i64::try_from(t).ok())
        .or(message_time);
    result
        .key
        .iter()
        .flat_map(|key| &key.caveats)
        .filter(|caveat| caveat.holds_at(at))
        .collect()
}

/// The verdict a verifying signature keeps once its key's caveats are
/// weighed; `None` when no caveat holds.
pub fn limited_verdict(caveats: &[&KeyCaveat]) -> Option<Verdict> {
    if caveats.iter().any(|c| c.code == RECOVERED) {
        Some(Verdict::KeyMissing)
    } else if caveats.is_empty() {
        None
    } else {
        Some(Verdict::Weak)
    }
}

/// The reason of a verifying signature whose key has caveats holding. It
/// replaces the verifier's "d= signed this message", which is exactly what
/// such a key cannot show.
pub fn reason(result: &SignatureResult, caveats: &[&KeyCaveat]) -> String {
    let domain = result.tags.domain.as_deref().unwrap_or("the signer");
    let selector = result.tags.selector.as_deref().unwrap_or("?");
    let key = match &result.key {
        Some(key) if key.key_type == KeyType::Rsa => {
            format!(
                "the {}-bit RSA key of selector {selector} from {}",
                key.bits, key.source
            )
        }
        Some(key) => format!("the Ed25519 key of selector {selector} from {}", key.source),
        None => format!("the key of selector {selector}"),
    };
    let opened = format!(
        "The signature in {domain}'s name verifies with {key}, and the signed headers and body \
         are unchanged."
    );
    if caveats.iter().any(|c| c.code == RECOVERED) {
        return format!(
            "{opened} But that key was recovered by tamis from signatures in this dump and no \
             archive, zone file or DNS answer vouches for it: it shows these messages were \
             signed with one consistent key, not that the key was {domain}'s. The verdict \
             stays key-missing until an independent source has the same key."
        );
    }
    let mut out = format!("{opened} But the key cannot be trusted.");
    for caveat in caveats {
        out.push_str(&format!(
            " {}: {}. {}",
            capitalized(&caveat.code),
            caveat.detail,
            consequence(&caveat.code)
        ));
    }
    out
}

fn capitalized(code: &str) -> String {
    let mut chars = code.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

fn consequence(code: &str) -> &'static str {
    match code {
        "weak" => "A key this small can be factored for little money, so anyone may have made this signature.",
        "private-key-published" => "Anyone holding the published private key may have made this signature and written any Date; it proves the message only for a copy known by other means to predate the publication.",
        "shared-factor" => "Anyone who computes the shared prime (one GCD) can rebuild the private key, so anyone may have made this signature.",
        "outside-seen-window" => "The signature's date is outside every period in which the archives saw this key published: the date or the key is not what it claims.",
        _ => "A key source flagged this key.",
    }
}

pub fn reports(caveats: &[&KeyCaveat]) -> Vec<KeyCaveatReport> {
    caveats
        .iter()
        .map(|c| KeyCaveatReport {
            code: c.code.clone(),
            detail: c.detail.clone(),
        })
        .collect()
}
