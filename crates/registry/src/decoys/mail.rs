//! Plain text and RFC 5322 messages.
//!
//! A txt file is one segment (UTF-8, its byte-order mark kept, or
//! Windows-1252 when it is not UTF-8). A message keeps its header bytes
//! untouched: only the bodies of its `text/plain` parts (the message
//! itself, or the leaves of its multipart tree) are decoded (quoted-
//! printable, base64, 7bit/8bit; UTF-8, US-ASCII or Latin-1/Windows-1252)
//! and, when marked, encoded again the same way. Zero-width characters
//! need a Unicode charset and an 8-bit-clean transfer encoding, so a
//! US-ASCII or `7bit` part takes only the ASCII carriers. `text/html`
//! alternatives are left as they are (a leak of the HTML part alone is
//! not marked), and so are attachments.
//!
//! A sentence at a line end carries a whitespace bit as a trailing space,
//! except in `format=flowed` text, where a trailing space means a soft
//! line break.

use super::text::{Rule, Segment, TextDoc};
use anyhow::{bail, Context, Result};
use base64::Engine;
use std::collections::HashMap;
use std::ops::Range;

const MAX_DEPTH: usize = 8;
const MAX_PARTS: usize = 1_000;

fn ascii(c: char) -> bool {
    c.is_ascii()
}

fn cp1252(c: char) -> bool {
    let mut buf = [0u8; 4];
    let (_, _, errors) = encoding_rs::WINDOWS_1252.encode(c.encode_utf8(&mut buf));
    !errors
}

// ---- plain text ----

const BOM: &[u8] = b"\xEF\xBB\xBF";

pub(crate) fn read_txt(bytes: &[u8]) -> Result<TextDoc> {
    let body = bytes.strip_prefix(BOM).unwrap_or(bytes);
    let segment = match std::str::from_utf8(body) {
        Ok(s) => Segment::new(s.to_owned(), Rule::Any, ""),
        Err(_) => {
            let (s, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(body);
            Segment::new(s.into_owned(), Rule::Chars(cp1252), "")
        }
    };
    Ok(TextDoc {
        segments: vec![segment],
        line_slots: true,
    })
}

pub(crate) fn write_txt(bytes: &[u8], texts: &HashMap<usize, String>) -> Result<Vec<u8>> {
    let Some(text) = texts.get(&0) else {
        return Ok(bytes.to_vec());
    };
    let bom = bytes.starts_with(BOM);
    let body = bytes.strip_prefix(BOM).unwrap_or(bytes);
    let mut out = Vec::with_capacity(bytes.len() + 1024);
    if bom {
        out.extend_from_slice(BOM);
    }
    if std::str::from_utf8(body).is_ok() {
        out.extend_from_slice(text.as_bytes());
    } else {
        out.extend_from_slice(&encoding_rs::WINDOWS_1252.encode(text).0);
    }
    Ok(out)
}

// ---- messages ----

#[derive(Clone, Copy, PartialEq, Debug)]
enum Charset {
    Utf8,
    Ascii,
    Latin1,
}

#[derive(Clone, Copy, PartialEq, Debug)]
enum Cte {
    Plain,
    QuotedPrintable,
    Base64,
}

#[derive(Debug)]
struct TextPart {
    body: Range<usize>,
    charset: Charset,
    cte: Cte,
    seven_bit: bool,
    flowed: bool,
    newline: &'static str,
}

/// Where the header block of `entity` ends and its body begins.
fn split_entity(bytes: &[u8], entity: Range<usize>) -> (Range<usize>, usize) {
    let data = &bytes[entity.clone()];
    if data.starts_with(b"\r\n") {
        return (entity.start..entity.start, entity.start + 2);
    }
    if data.starts_with(b"\n") {
        return (entity.start..entity.start, entity.start + 1);
    }
    let crlf = memfind(data, b"\r\n\r\n").map(|i| (i + 2, i + 4));
    let lf = memfind(data, b"\n\n").map(|i| (i + 1, i + 2));
    let (end, body) = match (crlf, lf) {
        (Some(a), Some(b)) => {
            if a.0 <= b.0 {
                a
            } else {
                b
            }
        }
        (Some(a), None) => a,
        (None, Some(b)) => b,
        (None, None) => (data.len(), data.len()),
    };
    (entity.start..entity.start + end, entity.start + body)
}

fn memfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Header fields, unfolded, names lower-cased.
fn headers(block: &[u8]) -> Vec<(String, String)> {
    let text = String::from_utf8_lossy(block);
    let mut out: Vec<(String, String)> = Vec::new();
    for line in text.split('\n') {
        let line = line.trim_end_matches('\r');
        if line.starts_with([' ', '\t']) {
            if let Some(last) = out.last_mut() {
                last.1.push(' ');
                last.1.push_str(line.trim());
            }
        } else if let Some((name, value)) = line.split_once(':') {
            out.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
        }
    }
    out
}

fn header<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

/// A parameter of a structured header value (`charset`, `boundary`).
fn param(value: &str, name: &str) -> Option<String> {
    for piece in value.split(';').skip(1) {
        let Some((k, v)) = piece.split_once('=') else {
            continue;
        };
        if k.trim().eq_ignore_ascii_case(name) {
            return Some(v.trim().trim_matches('"').to_owned());
        }
    }
    None
}

fn scan(
    bytes: &[u8],
    entity: Range<usize>,
    depth: usize,
    top: bool,
    out: &mut Vec<TextPart>,
) -> Result<()> {
    if depth > MAX_DEPTH || out.len() > MAX_PARTS {
        return Ok(());
    }
    let (head, body_start) = split_entity(bytes, entity.clone());
    let fields = headers(&bytes[head]);
    let content_type = header(&fields, "content-type").unwrap_or("text/plain");
    let mime = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let body = body_start.min(entity.end)..entity.end;
    if mime.starts_with("multipart/") {
        let boundary = param(content_type, "boundary").context("a multipart without boundary")?;
        for part in multipart_parts(bytes, body, &boundary) {
            scan(bytes, part, depth + 1, false, out)?;
        }
        return Ok(());
    }
    if mime != "text/plain" {
        return Ok(());
    }
    let disposition = header(&fields, "content-disposition").unwrap_or("");
    if !top && disposition.to_ascii_lowercase().starts_with("attachment") {
        return Ok(());
    }
    let charset = match param(content_type, "charset")
        .unwrap_or_else(|| "us-ascii".into())
        .to_ascii_lowercase()
        .as_str()
    {
        "utf-8" | "utf8" => Charset::Utf8,
        "us-ascii" | "ascii" => Charset::Ascii,
        "iso-8859-1" | "latin1" | "windows-1252" | "cp1252" | "iso-8859-15" => Charset::Latin1,
        _ => return Ok(()),
    };
    let cte_value = header(&fields, "content-transfer-encoding")
        .unwrap_or("7bit")
        .to_ascii_lowercase();
    let cte = match cte_value.as_str() {
        "quoted-printable" => Cte::QuotedPrintable,
        "base64" => Cte::Base64,
        "7bit" | "8bit" | "binary" => Cte::Plain,
        _ => return Ok(()),
    };
    let newline = if memfind(&bytes[entity], b"\r\n").is_some() {
        "\r\n"
    } else {
        "\n"
    };
    out.push(TextPart {
        body,
        charset,
        cte,
        seven_bit: cte_value == "7bit",
        flowed: param(content_type, "format").is_some_and(|f| f.eq_ignore_ascii_case("flowed")),
        newline,
    });
    Ok(())
}

/// The entities of a multipart body: between a delimiter line's end and
/// the line break before the next delimiter.
fn multipart_parts(bytes: &[u8], body: Range<usize>, boundary: &str) -> Vec<Range<usize>> {
    let delimiter = format!("--{boundary}");
    let mut lines: Vec<(usize, usize)> = Vec::new(); // (line start, next line start)
    let mut at = body.start;
    while at < body.end {
        let end = bytes[at..body.end]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(body.end, |i| at + i + 1);
        lines.push((at, end));
        at = end;
    }
    let mut parts = Vec::new();
    let mut open: Option<usize> = None;
    for (start, next) in lines {
        let line = &bytes[start..next];
        if line.starts_with(delimiter.as_bytes()) {
            if let Some(from) = open.take() {
                // The line break before the delimiter belongs to it.
                let mut end = start;
                if end > from && bytes[end - 1] == b'\n' {
                    end -= 1;
                    if end > from && bytes[end - 1] == b'\r' {
                        end -= 1;
                    }
                }
                parts.push(from..end.max(from));
            }
            let rest = &line[delimiter.len()..];
            if rest.starts_with(b"--") {
                break;
            }
            open = Some(next);
        }
    }
    parts
}

fn qp_decode(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len());
    let mut i = 0;
    while i < data.len() {
        let b = data[i];
        if b != b'=' {
            out.push(b);
            i += 1;
            continue;
        }
        match (data.get(i + 1), data.get(i + 2)) {
            (Some(b'\r'), Some(b'\n')) => i += 3,
            (Some(b'\n'), _) => i += 2,
            (Some(&h), Some(&l)) if h.is_ascii_hexdigit() && l.is_ascii_hexdigit() => {
                let hex = [h, l];
                let s = std::str::from_utf8(&hex).unwrap_or("00");
                out.push(u8::from_str_radix(s, 16).unwrap_or(0));
                i += 3;
            }
            _ => {
                out.push(b'=');
                i += 1;
            }
        }
    }
    out
}

fn qp_encode(data: &[u8], newline: &str) -> Vec<u8> {
    const WIDTH: usize = 76;
    let mut out = Vec::with_capacity(data.len() * 2);
    let lines: Vec<&[u8]> = data.split(|&b| b == b'\n').collect();
    for (n, line) in lines.iter().enumerate() {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let mut col = 0;
        for (i, &b) in line.iter().enumerate() {
            let last = i + 1 == line.len();
            let literal =
                ((b == b' ' || b == b'\t') && !last) || ((33..=126).contains(&b) && b != b'=');
            let token: Vec<u8> = if literal {
                vec![b]
            } else {
                format!("={b:02X}").into_bytes()
            };
            // Room for the token and, unless it ends the line, a soft break.
            let room = if last { WIDTH } else { WIDTH - 1 };
            if col + token.len() > room {
                out.push(b'=');
                out.extend_from_slice(newline.as_bytes());
                col = 0;
            }
            col += token.len();
            out.extend_from_slice(&token);
        }
        if n + 1 < lines.len() {
            out.extend_from_slice(newline.as_bytes());
        }
    }
    out
}

fn b64_encode(data: &[u8], newline: &str) -> Vec<u8> {
    let text = base64::engine::general_purpose::STANDARD.encode(data);
    let mut out = Vec::with_capacity(text.len() + text.len() / 76 * 2 + 2);
    for (i, chunk) in text.as_bytes().chunks(76).enumerate() {
        if i > 0 {
            out.extend_from_slice(newline.as_bytes());
        }
        out.extend_from_slice(chunk);
    }
    out.extend_from_slice(newline.as_bytes());
    out
}

fn decode_body(bytes: &[u8], part: &TextPart) -> Result<String> {
    let raw = &bytes[part.body.clone()];
    let data = match part.cte {
        Cte::Plain => raw.to_vec(),
        Cte::QuotedPrintable => qp_decode(raw),
        Cte::Base64 => {
            let clean: Vec<u8> = raw
                .iter()
                .copied()
                .filter(|b| !b.is_ascii_whitespace())
                .collect();
            base64::engine::general_purpose::STANDARD
                .decode(clean)
                .context("a base64 body that does not decode")?
        }
    };
    Ok(match part.charset {
        Charset::Utf8 | Charset::Ascii => String::from_utf8_lossy(&data).into_owned(),
        Charset::Latin1 => encoding_rs::WINDOWS_1252
            .decode_without_bom_handling(&data)
            .0
            .into_owned(),
    })
}

fn encode_body(text: &str, part: &TextPart) -> Vec<u8> {
    let data = match part.charset {
        Charset::Utf8 | Charset::Ascii => text.as_bytes().to_vec(),
        Charset::Latin1 => encoding_rs::WINDOWS_1252.encode(text).0.into_owned(),
    };
    match part.cte {
        Cte::Plain => data,
        Cte::QuotedPrintable => qp_encode(&data, part.newline),
        Cte::Base64 => b64_encode(&data, part.newline),
    }
}

fn parts(bytes: &[u8]) -> Result<Vec<TextPart>> {
    let mut out = Vec::new();
    scan(bytes, 0..bytes.len(), 0, true, &mut out)?;
    Ok(out)
}

pub(crate) fn read_eml(bytes: &[u8]) -> Result<TextDoc> {
    let parts = parts(bytes)?;
    let mut segments = Vec::new();
    for part in &parts {
        let text = decode_body(bytes, part)?;
        let rule = match part.charset {
            _ if part.seven_bit => Rule::Chars(ascii),
            Charset::Utf8 => Rule::Any,
            Charset::Ascii => Rule::Chars(ascii),
            Charset::Latin1 => Rule::Chars(cp1252),
        };
        segments.push(Segment::new(text, rule, "\n"));
    }
    Ok(TextDoc {
        segments,
        line_slots: !parts.iter().any(|p| p.flowed),
    })
}

pub(crate) fn write_eml(bytes: &[u8], texts: &HashMap<usize, String>) -> Result<Vec<u8>> {
    let parts = parts(bytes)?;
    let mut out = bytes.to_vec();
    // From the last part back, so earlier offsets hold.
    for (i, part) in parts.iter().enumerate().rev() {
        if let Some(text) = texts.get(&i) {
            out.splice(part.body.clone(), encode_body(text, part));
        }
    }
    if texts.keys().any(|&i| i >= parts.len()) {
        bail!("an edit of a body part that is not there");
    }
    Ok(out)
}

/// Whether `bytes` look like an RFC 5322 message: header fields from the
/// first line, and one of the fields a message has.
pub(crate) fn looks_like_message(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(8192)];
    let (block, _) = split_entity(head, 0..head.len());
    let text = String::from_utf8_lossy(&head[block]);
    let mut lines = text.lines();
    let first_ok = lines.next().is_some_and(|l| {
        l.split_once(':').is_some_and(|(n, _)| {
            !n.is_empty() && n.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
    });
    let fields = headers(text.as_bytes());
    first_ok
        && ["from", "date", "subject", "message-id", "received"]
            .iter()
            .filter(|h| header(&fields, h).is_some())
            .count()
            >= 2
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_printable_round_trip() {
        let text = "Réunion  à 9 h.  \r\nLigne suivante avec un texte assez long pour dépasser soixante-seize colonnes sans faute.\r\n= fin ";
        let enc = qp_encode(text.as_bytes(), "\r\n");
        assert!(enc.split(|&b| b == b'\n').all(|l| l.len() <= 77));
        assert_eq!(qp_decode(&enc), text.as_bytes());
    }

    #[test]
    fn multipart_text_parts_found() {
        let msg = b"From: a@b\r\nDate: x\r\nContent-Type: multipart/mixed; boundary=\"XX\"\r\n\r\npre\r\n--XX\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\nBonjour.\r\n--XX\r\nContent-Type: application/pdf\r\n\r\n%PDF\r\n--XX--\r\n";
        let doc = read_eml(msg).unwrap();
        assert_eq!(doc.segments.len(), 1);
        assert_eq!(doc.segments[0].text, "Bonjour.");
        let out = write_eml(msg, &HashMap::from([(0, "Salut.".to_owned())])).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            String::from_utf8_lossy(msg).replace("Bonjour.", "Salut.")
        );
    }
}
