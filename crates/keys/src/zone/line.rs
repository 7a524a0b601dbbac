//! Tells the two line grammars of a key file apart: zone-file records as
//! `dig` prints them (`NAME [TTL] [CLASS] TYPE RDATA`) and the bare
//! `NAME RECORD` lines of Mail::DKIM's FAKE_DNS.dat.

pub(super) enum Line<'a> {
    /// Comment, blank line, `$TTL`, or a record of a type other than TXT.
    Ignored,
    /// `NAME [TTL] [CLASS] TXT RDATA`; `rdata` is the rest of the line.
    Txt { name: &'a str, rdata: &'a str },
    /// `NAME RECORD`: the rest of the line, trimmed.
    Bare { name: &'a str, rest: &'a str },
}

pub(super) fn classify(line: &str) -> Result<Line<'_>, String> {
    let line = line.trim();
    if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
        return Ok(Line::Ignored);
    }
    let (name, rest) = split_token(line);
    if let Some(directive) = name.strip_prefix('$') {
        // $TTL only sets defaults we do not need; $ORIGIN and $INCLUDE would
        // change what later names mean, so ignoring them would misfile keys.
        return if directive.eq_ignore_ascii_case("TTL") {
            Ok(Line::Ignored)
        } else {
            Err(format!(
                "zone-file directive {name} is not supported: write every name in full"
            ))
        };
    }
    if is_ttl(name) || is_class(name) || name.eq_ignore_ascii_case("TXT") {
        return Err(format!(
            "line starts with {name:?}, not a name: every record needs its full owner name \
             (zone-file owner inheritance is not supported)"
        ));
    }
    if !is_domain_name(name) {
        return Err(format!("{name:?} is not a domain name"));
    }
    if rest.is_empty() {
        return Err(format!("{name} has no record after it"));
    }

    let mut after = rest;
    let mut zone_style = false;
    // Zone files allow TTL and class in either order, each optional.
    for _ in 0..2 {
        let (token, tail) = split_token(after);
        if is_ttl(token) || is_class(token) {
            after = tail;
            zone_style = true;
        }
    }
    let (kind, rdata) = split_token(after);
    if kind.eq_ignore_ascii_case("TXT") {
        Ok(Line::Txt { name, rdata })
    } else if zone_style && kind.is_empty() {
        Err(format!("{name} has a TTL or class but no record type"))
    } else if zone_style || is_other_type(kind) {
        Ok(Line::Ignored)
    } else {
        Ok(Line::Bare { name, rest })
    }
}

/// Lenient on purpose (underscores, wildcards, digits-only labels all occur
/// in real zones); strict enough that a PEM or CSV file passed by mistake
/// is reported rather than read as keys.
fn is_domain_name(name: &str) -> bool {
    let name = name.strip_suffix('.').unwrap_or(name);
    !name.is_empty()
        && name.split('.').all(|label| {
            !label.is_empty()
                && !label.starts_with('-')
                && label
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '*'))
        })
}

fn split_token(text: &str) -> (&str, &str) {
    let text = text.trim_start();
    match text.find(char::is_whitespace) {
        Some(end) => (&text[..end], text[end..].trim_start()),
        None => (text, ""),
    }
}

/// Seconds as `dig` prints them, or BIND's `1h30m` style.
fn is_ttl(token: &str) -> bool {
    token.starts_with(|c: char| c.is_ascii_digit())
        && token.chars().all(|c| c.is_ascii_alphanumeric())
}

fn is_class(token: &str) -> bool {
    ["IN", "CH", "HS", "CS"]
        .iter()
        .any(|class| token.eq_ignore_ascii_case(class))
}

/// Types a dig dump of a domain holds besides TXT. Only consulted when the
/// line has neither TTL nor class, to tell `NAME MX 10 mx` from a bare record.
fn is_other_type(token: &str) -> bool {
    const TYPES: &[&str] = &[
        "A",
        "AAAA",
        "CAA",
        "CNAME",
        "DNAME",
        "DNSKEY",
        "DS",
        "HINFO",
        "HTTPS",
        "MX",
        "NAPTR",
        "NS",
        "NSEC",
        "NSEC3",
        "NSEC3PARAM",
        "PTR",
        "RRSIG",
        "SOA",
        "SPF",
        "SRV",
        "SSHFP",
        "SVCB",
        "TLSA",
    ];
    TYPES.iter().any(|t| token.eq_ignore_ascii_case(t))
        || token
            .strip_prefix("TYPE")
            .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
}
