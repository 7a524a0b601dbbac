//! Canonicalization (RFC 6376 section 3.4), shared by DKIM and ARC.

use super::header::HeaderField;
use std::borrow::Cow;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Canon {
    Simple,
    Relaxed,
}

fn is_wsp(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

/// Append the canonical form of one header field to `out`, ending in CRLF.
pub fn canonicalize_header(canon: Canon, field: &HeaderField<'_>, out: &mut Vec<u8>) {
    match canon {
        Canon::Simple => out.extend_from_slice(field.raw),
        Canon::Relaxed => {
            out.extend(field.name.iter().map(u8::to_ascii_lowercase));
            out.push(b':');
            relaxed_value(field.value, out);
        }
    }
    out.extend_from_slice(b"\r\n");
}

/// Unfold, collapse WSP runs to one SP, drop WSP at both ends (RFC 6376
/// 3.4.2). Line breaks inside a field are always followed by WSP, so removing
/// them and letting the WSP collapse is the unfolding. A bare LF (exporter
/// damage) unfolds like a CRLF.
fn relaxed_value(value: &[u8], out: &mut Vec<u8>) {
    let mut pending_space = false;
    let mut started = false;
    let mut i = 0;
    while i < value.len() {
        let b = value[i];
        if b == b'\n' || (b == b'\r' && value.get(i + 1) == Some(&b'\n')) {
            i += 1;
            continue;
        }
        if is_wsp(b) {
            pending_space = started;
        } else {
            if pending_space {
                out.push(b' ');
                pending_space = false;
            }
            out.push(b);
            started = true;
        }
        i += 1;
    }
}

fn is_fws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

fn trim_fws(mut s: &[u8]) -> &[u8] {
    while let [first, rest @ ..] = s {
        if !is_fws(*first) {
            break;
        }
        s = rest;
    }
    while let [rest @ .., last] = s {
        if !is_fws(*last) {
            break;
        }
        s = rest;
    }
    s
}

/// The raw header field with the value of its `b=` tag removed (the tag
/// itself stays, as `b=`), as the signature header enters its own hash.
///
/// Tags are matched by their whole name, so `bh=` is left alone; whitespace
/// around the removed value goes with it (RFC 6376 3.5, "b=" tag).
pub fn without_b_value(raw_field: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw_field.len());
    let Some(colon) = memchr::memchr(b':', raw_field) else {
        out.extend_from_slice(raw_field);
        return out;
    };
    out.extend_from_slice(&raw_field[..=colon]);
    let mut pos = colon + 1;
    while pos <= raw_field.len() {
        let seg_end = memchr::memchr(b';', &raw_field[pos..]).map_or(raw_field.len(), |i| pos + i);
        let segment = &raw_field[pos..seg_end];
        match memchr::memchr(b'=', segment) {
            Some(eq) if trim_fws(&segment[..eq]) == b"b" => {
                out.extend_from_slice(&segment[..=eq]);
            }
            _ => out.extend_from_slice(segment),
        }
        if seg_end < raw_field.len() {
            out.push(b';');
        }
        pos = seg_end + 1;
    }
    out
}

/// The canonical form of a body (RFC 6376 3.4.3 / 3.4.4).
pub fn canonicalize_body(canon: Canon, body: &[u8]) -> Vec<u8> {
    canonical_body(canon, body).into_owned()
}

/// Like [`canonicalize_body`], but a simple-canonical body that already ends
/// in CRLF is borrowed from the message: no copy for the common case.
pub fn canonical_body(canon: Canon, body: &[u8]) -> Cow<'_, [u8]> {
    match canon {
        Canon::Simple => simple_body(body),
        Canon::Relaxed => Cow::Owned(relaxed_body(body)),
    }
}

/// Only CRLF-terminated empty lines count (RFC 6376 3.4.3); an empty body
/// becomes a single CRLF.
fn simple_body(body: &[u8]) -> Cow<'_, [u8]> {
    let mut end = body.len();
    while end >= 2 && &body[end - 2..end] == b"\r\n" {
        end -= 2;
    }
    if end == 0 {
        return Cow::Borrowed(b"\r\n");
    }
    if end + 2 <= body.len() {
        return Cow::Borrowed(&body[..end + 2]);
    }
    let mut owned = Vec::with_capacity(end + 2);
    owned.extend_from_slice(&body[..end]);
    owned.extend_from_slice(b"\r\n");
    Cow::Owned(owned)
}

/// One pass: line ends are held back until more content shows they are not
/// trailing empty lines; WSP is held back until content shows it is not at
/// the end of a line. An empty result stays empty (RFC 6376 errata 1384).
/// Runs of ordinary bytes are copied whole (found with `memchr3`): this is
/// on the hot path of every relaxed signature.
fn relaxed_body(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len());
    let mut pending_crlfs = 0usize;
    let mut pending_space = false;
    let flush = |out: &mut Vec<u8>, pending_crlfs: &mut usize, pending_space: &mut bool| {
        for _ in 0..*pending_crlfs {
            out.extend_from_slice(b"\r\n");
        }
        *pending_crlfs = 0;
        if *pending_space {
            out.push(b' ');
            *pending_space = false;
        }
    };
    let mut i = 0;
    while i < body.len() {
        let run_end =
            memchr::memchr3(b'\r', b' ', b'\t', &body[i..]).map_or(body.len(), |at| i + at);
        if run_end > i {
            flush(&mut out, &mut pending_crlfs, &mut pending_space);
            out.extend_from_slice(&body[i..run_end]);
            i = run_end;
            continue;
        }
        let b = body[i];
        if b == b'\r' && body.get(i + 1) == Some(&b'\n') {
            pending_crlfs += 1;
            pending_space = false;
            i += 2;
        } else if is_wsp(b) {
            pending_space = true;
            i += 1;
        } else {
            // A lone CR is content.
            flush(&mut out, &mut pending_crlfs, &mut pending_space);
            out.push(b);
            i += 1;
        }
    }
    if !out.is_empty() {
        out.extend_from_slice(b"\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::common::header::split_message;

    /// RFC 6376 3.4.5, with the example's visible whitespace.
    const RFC_EXAMPLE: &[u8] = b"A: X\r\nB : Y\t\r\n\tZ  \r\n\r\n C \r\nD \t E\r\n\r\n\r\n";

    fn headers(canon: Canon, message: &[u8]) -> Vec<u8> {
        let split = split_message(message).unwrap();
        let mut out = Vec::new();
        for field in &split.headers {
            canonicalize_header(canon, field, &mut out);
        }
        out
    }

    #[test]
    fn rfc6376_example_relaxed_headers() {
        assert_eq!(headers(Canon::Relaxed, RFC_EXAMPLE), b"a:X\r\nb:Y Z\r\n");
    }

    #[test]
    fn rfc6376_example_relaxed_body() {
        let body = split_message(RFC_EXAMPLE).unwrap().body;
        assert_eq!(canonicalize_body(Canon::Relaxed, body), b" C\r\nD E\r\n");
    }

    #[test]
    fn rfc6376_example_simple_headers() {
        assert_eq!(
            headers(Canon::Simple, RFC_EXAMPLE),
            b"A: X\r\nB : Y\t\r\n\tZ  \r\n"
        );
    }

    #[test]
    fn rfc6376_example_simple_body() {
        let body = split_message(RFC_EXAMPLE).unwrap().body;
        assert_eq!(canonicalize_body(Canon::Simple, body), b" C \r\nD \t E\r\n");
    }

    #[test]
    fn empty_body_is_crlf_in_simple_and_empty_in_relaxed() {
        for body in [&b""[..], b"\r\n", b"\r\n\r\n"] {
            assert_eq!(canonicalize_body(Canon::Simple, body), b"\r\n");
        }
        for body in [&b""[..], b"\r\n", b"  \r\n\t\r\n"] {
            assert_eq!(canonicalize_body(Canon::Relaxed, body), b"");
        }
    }

    #[test]
    fn missing_final_crlf_is_added() {
        assert_eq!(canonicalize_body(Canon::Simple, b"abc"), b"abc\r\n");
        assert_eq!(canonicalize_body(Canon::Relaxed, b"abc  "), b"abc\r\n");
    }

    #[test]
    fn simple_body_is_borrowed_when_it_already_ends_in_crlf() {
        assert!(matches!(
            canonical_body(Canon::Simple, b"a\r\n\r\n"),
            Cow::Borrowed(b"a\r\n")
        ));
    }

    #[test]
    fn lf_only_lines_are_not_line_ends_for_simple_body() {
        assert_eq!(canonicalize_body(Canon::Simple, b"a\n\n"), b"a\n\n\r\n");
    }

    #[test]
    fn b_value_is_removed_but_bh_is_kept() {
        let raw = b"DKIM-Signature: v=1; bh=AAA=;\r\n b=abc\r\n def ; d=x";
        assert_eq!(
            without_b_value(raw),
            b"DKIM-Signature: v=1; bh=AAA=;\r\n b=; d=x".to_vec()
        );
        let last = b"DKIM-Signature: a=1; b = xyz \r\n";
        assert_eq!(without_b_value(last), b"DKIM-Signature: a=1; b =".to_vec());
    }

    #[test]
    fn relaxed_header_value_with_only_whitespace_is_empty() {
        assert_eq!(headers(Canon::Relaxed, b"X-A: \t \r\n\r\n"), b"x-a:\r\n");
    }
}
