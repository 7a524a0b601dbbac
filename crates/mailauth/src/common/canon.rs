//! Canonicalization (RFC 6376 section 3.4), shared by DKIM and ARC.

use super::header::HeaderField;

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

/// How a stored body's lines end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineEnds {
    /// CRLF ends a line, as SMTP carried the message; a bare LF is content.
    Crlf,
    /// The message was stored with LF line endings (mbox, maildir): every LF
    /// ends a line, with the CR before it if there is one. The body is read
    /// as if each bare LF were CRLF (the `lf-line-endings` repair), without
    /// converting a copy of it first.
    Lf,
}

/// A message body, as stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Body<'a> {
    pub bytes: &'a [u8],
    pub line_ends: LineEnds,
}

impl<'a> Body<'a> {
    pub fn crlf(bytes: &'a [u8]) -> Self {
        Body {
            bytes,
            line_ends: LineEnds::Crlf,
        }
    }

    pub fn lf(bytes: &'a [u8]) -> Self {
        Body {
            bytes,
            line_ends: LineEnds::Lf,
        }
    }
}

/// The canonical form of a body with CRLF line endings (RFC 6376 3.4.3 /
/// 3.4.4), built whole. Verification never builds it (see
/// [`canonical_body_pieces`]); signers and tests do.
pub fn canonicalize_body(canon: Canon, body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len() + 2);
    canonical_body_pieces(canon, Body::crlf(body), &mut |piece| {
        out.extend_from_slice(piece)
    });
    out
}

/// Hand the canonical form of `body` to `out`, in order, piece by piece.
///
/// The canonical body is never built: the pieces are slices of the body
/// wherever canonicalization leaves it unchanged (all of it, for most CRLF
/// bodies), so they go to the hasher without a copy. Building it first cost
/// an allocation and a copy per body, and for LF-stored mail a second copy
/// to convert line endings before that.
///
/// Generic over `out`, so that its handling of each piece is compiled into
/// the loops: two indirect calls per LF-stored line showed in the profile.
pub fn canonical_body_pieces(canon: Canon, body: Body<'_>, out: &mut impl FnMut(&[u8])) {
    match canon {
        Canon::Simple => simple_pieces(body, out),
        Canon::Relaxed => relaxed_pieces(body, out),
    }
}

/// The body without its trailing empty lines: CRLFs, and for LF-stored
/// bodies LFs too.
fn without_trailing_line_ends(body: Body<'_>) -> &[u8] {
    let mut bytes = body.bytes;
    loop {
        if let Some(rest) = bytes.strip_suffix(b"\r\n") {
            bytes = rest;
        } else if let (LineEnds::Lf, Some(rest)) = (body.line_ends, bytes.strip_suffix(b"\n")) {
            bytes = rest;
        } else {
            return bytes;
        }
    }
}

/// Each line of an LF-stored `text` (which does not end in a line end),
/// without its line end, to `line`; the CR of a CRLF is part of the line end.
fn for_each_lf_line(text: &[u8], mut line: impl FnMut(&[u8])) {
    let mut start = 0;
    for lf in memchr::memchr_iter(b'\n', text) {
        let content = &text[start..lf];
        line(content.strip_suffix(b"\r").unwrap_or(content));
        start = lf + 1;
    }
    line(&text[start..]);
}

/// Only empty lines count as trailing (RFC 6376 3.4.3); an empty body
/// becomes a single CRLF.
fn simple_pieces(body: Body<'_>, out: &mut impl FnMut(&[u8])) {
    let text = without_trailing_line_ends(body);
    if text.is_empty() {
        out(b"\r\n");
        return;
    }
    match body.line_ends {
        LineEnds::Crlf => {
            out(text);
            out(b"\r\n");
        }
        LineEnds::Lf => for_each_lf_line(text, |line| {
            out(line);
            out(b"\r\n");
        }),
    }
}

/// Where relaxed canonicalization changes a line: a tab, or a run of two
/// spaces. (WSP at the end of a line is checked line by line.) Each is
/// searched for in the whole body at once and found again only once passed,
/// so a body without any costs two vectorised scans, not a look at every
/// word.
struct WspMarks<'a> {
    text: &'a [u8],
    next_tab: Option<usize>,
    next_double_space: Option<usize>,
}

impl<'a> WspMarks<'a> {
    fn new(text: &'a [u8]) -> Self {
        WspMarks {
            text,
            next_tab: memchr::memchr(b'\t', text),
            next_double_space: memchr::memmem::find(text, b"  "),
        }
    }

    /// Whether relaxed canonicalization leaves `text[start..end]` (a line
    /// without its line end) as it is. Lines are asked about in order.
    fn line_unchanged(&mut self, start: usize, end: usize) -> bool {
        let text = self.text;
        let next_after = |mark: &mut Option<usize>, find: &dyn Fn(&[u8]) -> Option<usize>| {
            if mark.is_some_and(|at| at < start) {
                *mark = find(&text[start..]).map(|at| start + at);
            }
            mark.is_some_and(|at| at < end)
        };
        let tab = next_after(&mut self.next_tab, &|t| memchr::memchr(b'\t', t));
        let double = next_after(&mut self.next_double_space, &|t| {
            memchr::memmem::find(t, b"  ")
        });
        !tab && !double && (end == start || text[end - 1] != b' ')
    }
}

/// WSP runs become one SP; WSP at the end of the line goes.
fn relax_line(line: &[u8], out: &mut Vec<u8>) {
    out.clear();
    let mut pending_space = false;
    for &b in line {
        if is_wsp(b) {
            pending_space = true;
        } else {
            if pending_space {
                out.push(b' ');
                pending_space = false;
            }
            out.push(b);
        }
    }
}

/// Line by line: each line relaxed (most are left as they are and handed on
/// as slices of the body), line ends held back until a later line with
/// content shows they are not trailing empty lines. A lone CR is content.
/// An empty result stays empty (RFC 6376 errata 1384).
fn relaxed_pieces(body: Body<'_>, out: &mut impl FnMut(&[u8])) {
    let text = body.bytes;
    let mut marks = WspMarks::new(text);
    if body.line_ends == LineEnds::Crlf
        && marks.next_tab.is_none()
        && marks.next_double_space.is_none()
        && memchr::memmem::find(text, b" \r\n").is_none()
        && text.last() != Some(&b' ')
    {
        // Every line is already relaxed: only trailing empty lines go.
        let kept = without_trailing_line_ends(body);
        if !kept.is_empty() {
            out(kept);
            out(b"\r\n");
        }
        return;
    }
    let mut relaxed = Vec::new();
    let mut pending_line_ends = 0usize;
    let mut any_content = false;
    let mut start = 0;
    let mut search = 0;
    loop {
        // The end of the line's content and where the next line starts;
        // `None` for a last line without a line end.
        let (end, next) = match memchr::memchr(b'\n', &text[search..]).map(|at| search + at) {
            Some(lf) if lf > start && text[lf - 1] == b'\r' => (lf - 1, Some(lf + 1)),
            Some(lf) if body.line_ends == LineEnds::Lf => (lf, Some(lf + 1)),
            Some(bare_lf) => {
                // A bare LF inside a CRLF body is content.
                search = bare_lf + 1;
                continue;
            }
            None => (text.len(), None),
        };
        let line = if marks.line_unchanged(start, end) {
            &text[start..end]
        } else {
            relax_line(&text[start..end], &mut relaxed);
            &relaxed[..]
        };
        if !line.is_empty() {
            for _ in 0..pending_line_ends {
                out(b"\r\n");
            }
            out(line);
            any_content = true;
            pending_line_ends = 0;
        }
        let Some(next) = next else { break };
        pending_line_ends += 1;
        start = next;
        search = next;
    }
    if any_content {
        out(b"\r\n");
    }
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

    fn pieces(canon: Canon, body: Body<'_>) -> Vec<Vec<u8>> {
        let mut pieces = Vec::new();
        canonical_body_pieces(canon, body, &mut |p| pieces.push(p.to_vec()));
        pieces
    }

    #[test]
    fn an_unchanged_crlf_body_is_handed_on_whole() {
        let body = b"a b\r\n\r\nc\r\n\r\n";
        for canon in [Canon::Simple, Canon::Relaxed] {
            assert_eq!(
                pieces(canon, Body::crlf(body)),
                [b"a b\r\n\r\nc".to_vec(), b"\r\n".to_vec()]
            );
        }
    }

    /// The canonicalizations as RFC 6376 words them, over CRLF bytes: the
    /// reference the streamed ones are checked against.
    fn reference(canon: Canon, body: &[u8]) -> Vec<u8> {
        let mut lines: Vec<Vec<u8>> = Vec::new();
        let mut rest = body;
        let mut last = None;
        while !rest.is_empty() {
            match memchr::memmem::find(rest, b"\r\n") {
                Some(at) => {
                    lines.push(rest[..at].to_vec());
                    rest = &rest[at + 2..];
                }
                None => {
                    last = Some(rest.to_vec());
                    rest = &[];
                }
            }
        }
        lines.extend(last);
        if canon == Canon::Relaxed {
            for line in &mut lines {
                let mut relaxed = Vec::new();
                relax_line(line, &mut relaxed);
                *line = relaxed;
            }
        }
        while lines.last().is_some_and(|l| l.is_empty()) {
            lines.pop();
        }
        if lines.is_empty() {
            return if canon == Canon::Simple {
                b"\r\n".to_vec()
            } else {
                Vec::new()
            };
        }
        lines
            .iter()
            .flat_map(|l| [&l[..], b"\r\n"].concat())
            .collect()
    }

    /// `to_crlf` as the analyzer applies it to LF-stored mail.
    fn lf_to_crlf(bytes: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        for (i, &b) in bytes.iter().enumerate() {
            if b == b'\n' && (i == 0 || bytes[i - 1] != b'\r') {
                out.push(b'\r');
            }
            out.push(b);
        }
        out
    }

    /// Relaxed body canonicalization as tamis did it before streaming, kept
    /// to show the streamed one changes no verdict.
    fn previous_relaxed(body: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut pending_crlfs = 0usize;
        let mut pending_space = false;
        let mut i = 0;
        while i < body.len() {
            let b = body[i];
            if b == b'\r' && body.get(i + 1) == Some(&b'\n') {
                pending_crlfs += 1;
                pending_space = false;
                i += 2;
            } else if is_wsp(b) {
                pending_space = true;
                i += 1;
            } else {
                for _ in 0..pending_crlfs {
                    out.extend_from_slice(b"\r\n");
                }
                pending_crlfs = 0;
                if pending_space {
                    out.push(b' ');
                    pending_space = false;
                }
                out.push(b);
                i += 1;
            }
        }
        if !out.is_empty() {
            out.extend_from_slice(b"\r\n");
        }
        out
    }

    #[test]
    fn streamed_bodies_match_the_reference_on_every_small_body() {
        // Every body of up to 6 bytes over the bytes that matter, then
        // longer pseudo-random ones.
        const ALPHABET: &[u8] = b"a \t\r\n";
        let mut bodies: Vec<Vec<u8>> = vec![Vec::new()];
        let mut frontier = bodies.clone();
        for _ in 0..6 {
            frontier = frontier
                .iter()
                .flat_map(|b| {
                    ALPHABET.iter().map(move |&c| {
                        let mut b = b.clone();
                        b.push(c);
                        b
                    })
                })
                .collect();
            bodies.extend(frontier.iter().cloned());
        }
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..20_000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let len = (seed % 40) as usize;
            bodies.push(
                (0..len)
                    .map(|i| ALPHABET[((seed >> (i % 60)) as usize + i * 7) % ALPHABET.len()])
                    .collect(),
            );
        }
        for body in &bodies {
            for canon in [Canon::Simple, Canon::Relaxed] {
                let crlf: Vec<u8> = pieces(canon, Body::crlf(body)).concat();
                assert_eq!(crlf, reference(canon, body), "{canon:?} CRLF {body:?}");
                if canon == Canon::Relaxed {
                    assert_eq!(crlf, previous_relaxed(body), "previous, CRLF {body:?}");
                }
                let lf: Vec<u8> = pieces(canon, Body::lf(body)).concat();
                let converted = lf_to_crlf(body);
                assert_eq!(lf, reference(canon, &converted), "{canon:?} LF {body:?}");
            }
        }
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
