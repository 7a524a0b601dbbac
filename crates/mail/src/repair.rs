//! Undoing exporter damage before verifying, and saying so.
//!
//! Mail stores change bytes without forging anything: mbox stores LF line
//! endings and escapes body lines that begin with `From `. A verifier that
//! ignored this would call genuine mail altered; one that repaired silently
//! would hide what it did. So each repair here is tried only where the
//! damage is visible, kept only if it is needed, and reported.

use std::borrow::Cow;

use memchr::{memchr, memchr_iter, memmem};
use tamis_findings::Repair;
use tamis_keys::KeyLookup;
use tamis_mailauth::arc::{self, ArcResult};
use tamis_mailauth::common::canon::LineEnds;
use tamis_mailauth::common::header::{body_start, split_message, HeaderError};
use tamis_mailauth::dkim::{self, Outcome, SignatureResult};

use crate::verdict;

/// What was verified, the repairs that made it, and what the signatures and
/// the ARC chain prove about it.
pub struct Verified<'a> {
    /// The header of the message as verified, with CRLF line endings, up to
    /// and including the empty line that ends it, and possibly the body
    /// after it.
    pub header: Cow<'a, [u8]>,
    pub repairs: Vec<Repair>,
    pub signatures: Vec<SignatureResult>,
    pub arc: ArcResult,
}

/// Verify `original`, undoing exporter damage where it is visible: LF line
/// endings always (DKIM is defined over CRLF), `>From ` escaping only when a
/// body hash fails and undoing it makes the verdict stronger.
///
/// Of an LF-stored message only the header is converted to CRLF; the body
/// is read in place as if it had been ([`LineEnds::Lf`]): converting a copy
/// of every body was 4 % of a run.
///
/// A header that cannot be split into fields is an error, not "unsigned":
/// its signatures may be there, unreachable, and saying the message has none
/// would be false.
pub fn verify_with_repairs<'a>(
    original: &'a [u8],
    keys: &dyn KeyLookup,
) -> Result<Verified<'a>, HeaderError> {
    let mut repairs = Vec::new();
    let lf_only = is_lf_only(original);
    let (header, body) = if lf_only {
        repairs.push(Repair {
            code: "lf-line-endings".into(),
            description: "The message was stored with LF line endings; they were converted to \
                          CRLF, as SMTP carried it, before verifying."
                .into(),
        });
        let body_start = body_start(original);
        (
            to_crlf(&original[..body_start]),
            Some(&original[body_start..]),
        )
    } else {
        (Cow::Borrowed(original), None)
    };
    let mut split = split_message(&header)?;
    if let Some(body) = body {
        split.body = body;
        split.body_line_ends = LineEnds::Lf;
    }
    let signatures = dkim::verify_split(&split, keys);

    let body_hash_failed = signatures
        .iter()
        .any(|s| s.outcome == Outcome::BodyHashMismatch);
    if body_hash_failed && has_escaped_line(original) {
        let (unescaped, escaped_lines) = unescape_mbox_from(&to_crlf(original));
        let retried = dkim::verify_message(&unescaped, keys);
        if verdict::strongest(&retried) < verdict::strongest(&signatures) {
            repairs.push(Repair {
                code: "mbox-from-unescape".into(),
                description: format!(
                    "{escaped_lines} line(s) beginning '>From ' were unescaped to 'From ' \
                     (mbox escaping added by the exporter); with that undone the body \
                     hash matches."
                ),
            });
            return Ok(Verified {
                arc: arc::validate_chain(&unescaped, keys),
                header: Cow::Owned(unescaped),
                repairs,
                signatures: retried,
            });
        }
    }
    let arc = arc::validate_split(&split, keys);
    Ok(Verified {
        header,
        repairs,
        signatures,
        arc,
    })
}

/// Convert a message stored with LF line endings to CRLF. A message whose
/// first line already ends in CRLF is left exactly as it is: a bare LF
/// inside a CRLF message is content, not export damage.
pub fn to_crlf(bytes: &[u8]) -> Cow<'_, [u8]> {
    if !is_lf_only(bytes) {
        return Cow::Borrowed(bytes);
    }
    let mut out = Vec::with_capacity(bytes.len() + bytes.len() / 32);
    let mut start = 0;
    for lf in memchr_iter(b'\n', bytes) {
        if lf > 0 && bytes[lf - 1] == b'\r' {
            out.extend_from_slice(&bytes[start..=lf]);
        } else {
            out.extend_from_slice(&bytes[start..lf]);
            out.extend_from_slice(b"\r\n");
        }
        start = lf + 1;
    }
    out.extend_from_slice(&bytes[start..]);
    Cow::Owned(out)
}

/// Whether the message was stored with LF line endings (judged by its first
/// line, see [`to_crlf`]).
pub fn is_lf_only(bytes: &[u8]) -> bool {
    memchr(b'\n', bytes).is_some_and(|first_lf| first_lf == 0 || bytes[first_lf - 1] != b'\r')
}

/// Whether some line of `bytes` is one an mbox exporter escaped.
pub(crate) fn has_escaped_line(bytes: &[u8]) -> bool {
    memmem::find_iter(bytes, b">From ").any(|at| {
        let quotes_start = bytes[..at]
            .iter()
            .rposition(|&b| b != b'>')
            .map_or(0, |i| i + 1);
        quotes_start == 0 || bytes[quotes_start - 1] == b'\n'
    })
}

/// Lines an mbox exporter escaped: `>From `, `>>From ` …
fn is_escaped_from(line: &[u8]) -> bool {
    let quotes = line.iter().take_while(|&&b| b == b'>').count();
    quotes > 0 && line[quotes..].starts_with(b"From ")
}

/// The line as the sender wrote it: one `>` less when an mbox exporter
/// escaped it, the line itself otherwise.
pub fn unescaped_line(line: &[u8]) -> &[u8] {
    if is_escaped_from(line) {
        &line[1..]
    } else {
        line
    }
}

/// Remove one `>` from every line matching `^>+From ` (mboxrd unescaping;
/// for mboxo, whose writers escaped only `From `, it gives the same result on
/// every line but those that originally began with `>From `). Returns the
/// unescaped bytes and how many lines were unescaped.
pub fn unescape_mbox_from(bytes: &[u8]) -> (Vec<u8>, usize) {
    let mut out = Vec::with_capacity(bytes.len());
    let mut unescaped = 0;
    for (index, line) in bytes.split(|&b| b == b'\n').enumerate() {
        if index > 0 {
            out.push(b'\n');
        }
        let kept = unescaped_line(line);
        unescaped += usize::from(kept.len() != line.len());
        out.extend_from_slice(kept);
    }
    (out, unescaped)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lf_only_message_becomes_crlf() {
        assert_eq!(&*to_crlf(b"A: b\n\nx\n"), b"A: b\r\n\r\nx\r\n");
    }

    #[test]
    fn crlf_message_with_a_bare_lf_in_its_body_is_left_alone() {
        let bytes = b"A: b\r\n\r\nx\ny\r\n";
        assert!(matches!(to_crlf(bytes), Cow::Borrowed(_)));
    }

    #[test]
    fn mboxrd_unescaping_removes_exactly_one_quote() {
        let escaped = b"A: b\r\n\r\n>From me\r\n>>From you\r\n> From no\r\n";
        assert_eq!(
            unescape_mbox_from(escaped),
            (
                b"A: b\r\n\r\nFrom me\r\n>From you\r\n> From no\r\n".to_vec(),
                2
            )
        );
    }
}
