//! A message read from an Outlook store, made into RFC 5322 bytes again.
//!
//! Outlook keeps the transport headers a message arrived with
//! (`PidTagTransportMessageHeaders`) but not its body bytes: bodies are
//! properties (plain, HTML, compressed RTF), attachments are objects. The
//! rebuild keeps what survives and re-makes the rest, deterministically (the
//! same properties always give the same bytes: no clock, no randomness, so
//! a re-run collapses onto the same item ids):
//!
//! - headers: the transport headers exactly as stored, field by field and
//!   fold by fold, line ends made CRLF, except the MIME structure fields
//!   (`Content-Type`, `Content-Transfer-Encoding`), which describe a body
//!   that no longer exists and are replaced by those of the rebuilt one
//!   (`MIME-Version: 1.0` is added only when the stored headers lack it).
//!   A message with no transport headers (sent items, drafts, a message
//!   written in Outlook) gets `Date`, `From`, `To`, `Cc`, `Bcc`, `Subject`,
//!   `Message-ID`, `In-Reply-To` and `References` made from its properties.
//! - body, the faithful case: when the stored headers say the message was a
//!   single `text/plain` part and it has no attachments, the plain body is
//!   written back in the charset and transfer encoding those headers name,
//!   under the original `Content-Type` and `Content-Transfer-Encoding`
//!   fields, so that a DKIM signature over a simple message can still verify.
//! - otherwise: `text/plain` (UTF-8) and/or `text/html` (in its stored
//!   charset), in `multipart/alternative` when both exist; derived from the
//!   compressed RTF when that is all there is (the HTML it encapsulates, or
//!   its text); then `multipart/mixed` with the attachments in base64 and
//!   embedded messages as `message/rfc822`. Boundaries are `=_tamis_` plus
//!   the part kind and the first counter that occurs in none of the parts.

use base64::Engine;

use super::props::{encoding_for, id, Attachment, Content, OutlookMessage, Props};
use super::rtf;

/// The message as RFC 5322 bytes, CRLF throughout. `max_rtf` caps the
/// decompressed size of an RTF body.
pub(crate) fn rebuild(message: &OutlookMessage, max_rtf: usize) -> Vec<u8> {
    let props = &message.props;
    let mut fields = props
        .text(id::TRANSPORT_HEADERS)
        .map(|headers| parse_fields(&headers))
        .unwrap_or_default();
    let stored = !fields.is_empty();
    if !stored {
        fields = synthesize(message);
    }
    let attachments: Vec<&Attachment> = message
        .attachments
        .iter()
        .filter(|a| !matches!(a.content, Content::Missing(_)))
        .collect();
    let plain = props.text(id::BODY);

    let mut out = Vec::new();
    if let (Some(text), true) = (&plain, stored && attachments.is_empty()) {
        if let Some(body) = faithful_plain(&fields, text) {
            for field in &fields {
                push_line(&mut out, &field.raw);
            }
            out.extend_from_slice(b"\r\n");
            out.extend_from_slice(&body);
            return out;
        }
    }

    let body = rebuilt_body(message, plain, &attachments, max_rtf);
    fields.retain(|f| !is_mime_structure(&f.name));
    for field in &fields {
        push_line(&mut out, &field.raw);
    }
    if !fields
        .iter()
        .any(|f| f.name.eq_ignore_ascii_case("MIME-Version"))
    {
        push_line(&mut out, "MIME-Version: 1.0");
    }
    for header in &body.headers {
        push_line(&mut out, header);
    }
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(&body.body);
    out
}

/// One header field: its name and the whole field as stored, continuation
/// lines joined with CRLF, without the final CRLF.
#[derive(Clone, Debug)]
struct Field {
    name: String,
    raw: String,
}

impl Field {
    fn new(name: &str, value: &str) -> Self {
        Field {
            name: name.to_string(),
            raw: format!("{name}: {value}"),
        }
    }

    /// The value with folds undone.
    fn value(&self) -> String {
        let value = self.raw.split_once(':').map_or("", |(_, v)| v);
        value.replace("\r\n", "").trim().to_string()
    }
}

fn is_mime_structure(name: &str) -> bool {
    name.eq_ignore_ascii_case("Content-Type")
        || name.eq_ignore_ascii_case("Content-Transfer-Encoding")
}

fn push_line(out: &mut Vec<u8>, line: &str) {
    out.extend_from_slice(line.as_bytes());
    out.extend_from_slice(b"\r\n");
}

/// The header fields of a stored header block, up to its first empty line.
/// Lines that are neither a field nor a continuation (an mbox `From ` line
/// some gateways leave in) are dropped: they would end the header block.
fn parse_fields(block: &str) -> Vec<Field> {
    let mut fields: Vec<Field> = Vec::new();
    for line in block.split('\n') {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.is_empty() {
            break;
        }
        if line.starts_with([' ', '\t']) {
            if let Some(last) = fields.last_mut() {
                last.raw.push_str("\r\n");
                last.raw.push_str(line);
            }
            continue;
        }
        let Some((name, _)) = line.split_once(':') else {
            continue;
        };
        let name = name.trim_end();
        if name.is_empty() || !name.bytes().all(|b| (33..=126).contains(&b)) {
            continue;
        }
        fields.push(Field {
            name: name.to_string(),
            raw: line.to_string(),
        });
    }
    fields
}

fn field<'f>(fields: &'f [Field], name: &str) -> Option<&'f Field> {
    fields.iter().find(|f| f.name.eq_ignore_ascii_case(name))
}

/// A MIME parameter of a header value (`charset`, `boundary`…), unquoted.
fn param(value: &str, name: &str) -> Option<String> {
    value.split(';').skip(1).find_map(|p| {
        let (key, val) = p.split_once('=')?;
        if !key.trim().eq_ignore_ascii_case(name) {
            return None;
        }
        Some(val.trim().trim_matches('"').to_string())
    })
}

/// The plain body in the original charset and transfer encoding, if the
/// stored headers describe a single text/plain part (or none at all: RFC
/// 2045's default is text/plain; charset=us-ascii).
fn faithful_plain(fields: &[Field], text: &str) -> Option<Vec<u8>> {
    let content_type = field(fields, "Content-Type").map(Field::value);
    let mime = content_type.as_deref().unwrap_or("text/plain");
    let media = mime.split(';').next().unwrap_or("").trim();
    if !media.eq_ignore_ascii_case("text/plain") {
        return None;
    }
    let charset = param(mime, "charset").unwrap_or_else(|| "us-ascii".into());
    let encoding = encoding_rs::Encoding::for_label(charset.as_bytes())?;
    let text = crlf(text);
    let (bytes, _, _) = encoding.encode(&text);
    let cte = field(fields, "Content-Transfer-Encoding")
        .map(|f| f.value().to_ascii_lowercase())
        .unwrap_or_default();
    Some(match cte.as_str() {
        "quoted-printable" => quoted_printable(&bytes),
        "base64" => base64_lines(&bytes),
        _ => bytes.into_owned(),
    })
}

/// Line ends made CRLF.
fn crlf(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 32);
    let mut rest = text;
    while let Some(at) = rest.find(['\r', '\n']) {
        out.push_str(&rest[..at]);
        out.push_str("\r\n");
        let skip = if rest[at..].starts_with("\r\n") { 2 } else { 1 };
        rest = &rest[at + skip..];
    }
    out.push_str(rest);
    out
}

/// A rendered MIME entity: its content headers and its body.
struct Part {
    headers: Vec<String>,
    body: Vec<u8>,
}

fn rebuilt_body(
    message: &OutlookMessage,
    plain: Option<String>,
    attachments: &[&Attachment],
    max_rtf: usize,
) -> Part {
    let props = &message.props;
    let mut html = html_body(props);
    let mut plain = plain;
    if plain.is_none() || html.is_none() {
        if let Some(rtf) = props
            .bytes(id::RTF_COMPRESSED)
            .and_then(|data| rtf::decompress(data, max_rtf).ok())
        {
            if rtf::is_encapsulated_html(&rtf) {
                if html.is_none() {
                    html = Some((rtf::html(&rtf).into_bytes(), "utf-8".into()));
                }
            } else if plain.is_none() {
                plain = Some(rtf::text(&rtf));
            }
        }
    }
    let plain = plain.map(|text| text_part("plain", crlf(&text).as_bytes(), "utf-8"));
    let html = html.map(|(bytes, charset)| text_part("html", &bytes, &charset));
    let text = match (plain, html) {
        (Some(plain), Some(html)) => multipart("alternative", vec![plain, html]),
        (Some(one), None) | (None, Some(one)) => one,
        (None, None) => text_part("plain", b"", "utf-8"),
    };
    if attachments.is_empty() {
        return text;
    }
    let mut parts = vec![text];
    for attachment in attachments {
        parts.push(attachment_part(attachment, max_rtf));
    }
    multipart("mixed", parts)
}

/// The HTML body and its charset: `PidTagHtml` is bytes in the message's
/// Internet code page; a Unicode `PidTagBodyHtml` becomes UTF-8.
fn html_body(props: &Props) -> Option<(Vec<u8>, String)> {
    match props.get(id::HTML)? {
        super::props::Value::Text(text) => Some((text.clone().into_bytes(), "utf-8".into())),
        super::props::Value::Binary(bytes) | super::props::Value::Text8(bytes) => {
            if bytes.is_empty() {
                return None;
            }
            let charset = encoding_for(props.codepage()).name().to_ascii_lowercase();
            Some((bytes.clone(), charset))
        }
        _ => None,
    }
}

fn text_part(subtype: &str, bytes: &[u8], charset: &str) -> Part {
    let (cte, body) = if is_7bit(bytes) {
        ("7bit", bytes.to_vec())
    } else {
        ("quoted-printable", quoted_printable(bytes))
    };
    Part {
        headers: vec![
            format!("Content-Type: text/{subtype}; charset=\"{charset}\""),
            format!("Content-Transfer-Encoding: {cte}"),
        ],
        body,
    }
}

/// ASCII without NUL, lines of at most 998 bytes, only CRLF line ends.
fn is_7bit(bytes: &[u8]) -> bool {
    let mut line = 0usize;
    let mut prev = 0u8;
    for &b in bytes {
        match b {
            b'\n' if prev != b'\r' => return false,
            b'\n' => line = 0,
            b'\r' => {}
            0 | 128..=255 => return false,
            _ => {
                if prev == b'\r' {
                    return false;
                }
                line += 1;
                if line > 998 {
                    return false;
                }
            }
        }
        prev = b;
    }
    prev != b'\r'
}

fn attachment_part(attachment: &Attachment, max_rtf: usize) -> Part {
    let props = &attachment.props;
    let name = attachment.name();
    let mut headers = Vec::new();
    let disposition = if props.bool(id::ATTACHMENT_HIDDEN) {
        "inline"
    } else {
        "attachment"
    };
    let body = match &attachment.content {
        Content::Embedded(inner) => {
            let bytes = rebuild(inner, max_rtf);
            let cte = if bytes.is_ascii() { "7bit" } else { "8bit" };
            headers.push("Content-Type: message/rfc822".to_string());
            headers.push(format!("Content-Transfer-Encoding: {cte}"));
            bytes
        }
        Content::Data(data) => {
            let mime = props
                .text(id::ATTACH_MIME_TAG)
                .map(|m| m.trim().to_ascii_lowercase())
                .filter(|m| is_media_type(m))
                .unwrap_or_else(|| "application/octet-stream".into());
            let name_param = name
                .as_deref()
                .map(|n| format!(";{}", mime_param("name", n)))
                .unwrap_or_default();
            headers.push(format!("Content-Type: {mime}{name_param}"));
            headers.push("Content-Transfer-Encoding: base64".to_string());
            base64_lines(data)
        }
        Content::Missing(_) => Vec::new(),
    };
    let filename = name
        .as_deref()
        .map(|n| format!(";{}", mime_param("filename", n)))
        .unwrap_or_default();
    headers.push(format!("Content-Disposition: {disposition}{filename}"));
    if let Some(cid) = props.text(id::ATTACH_CONTENT_ID) {
        let cid = one_line(&cid);
        let cid = cid.trim_matches(['<', '>']);
        headers.push(format!("Content-ID: <{cid}>"));
    }
    Part { headers, body }
}

fn is_media_type(mime: &str) -> bool {
    let token = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$&-^_.+".contains(&b))
    };
    matches!(mime.split_once('/'), Some((a, b)) if token(a) && token(b))
}

/// `name="value"` folded onto its own line, or RFC 2231 `name*=utf-8''…`
/// for a value that is not printable ASCII.
fn mime_param(name: &str, value: &str) -> String {
    let value = one_line(value);
    if value.bytes().all(|b| (32..127).contains(&b)) {
        let quoted = value.replace('\\', "\\\\").replace('"', "\\\"");
        format!("\r\n {name}=\"{quoted}\"")
    } else {
        let mut encoded = String::new();
        for b in value.bytes() {
            if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
                encoded.push(b as char);
            } else {
                encoded.push_str(&format!("%{b:02X}"));
            }
        }
        format!("\r\n {name}*=utf-8''{encoded}")
    }
}

fn multipart(subtype: &str, parts: Vec<Part>) -> Part {
    let rendered: Vec<Vec<u8>> = parts
        .into_iter()
        .map(|part| {
            let mut bytes = Vec::new();
            for header in &part.headers {
                push_line(&mut bytes, header);
            }
            bytes.extend_from_slice(b"\r\n");
            bytes.extend_from_slice(&part.body);
            bytes
        })
        .collect();
    let boundary = (0u32..)
        .map(|n| format!("=_tamis_{subtype}_{n}"))
        .find(|b| {
            rendered
                .iter()
                .all(|part| memchr::memmem::find(part, b.as_bytes()).is_none())
        })
        .expect("some counter is free");
    let mut body = Vec::new();
    for part in &rendered {
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        body.extend_from_slice(part);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    Part {
        headers: vec![format!(
            "Content-Type: multipart/{subtype};\r\n boundary=\"{boundary}\""
        )],
        body,
    }
}

/// Quoted-printable (RFC 2045 6.7): CRLF line ends kept as hard breaks,
/// soft breaks keeping lines within 76 characters.
pub(crate) fn quoted_printable(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() + bytes.len() / 8);
    let lines: Vec<&[u8]> = bytes.split(|&b| b == b'\n').collect();
    for (index, line) in lines.iter().enumerate() {
        let last = index + 1 == lines.len();
        let (line, hard_break) = match line.strip_suffix(b"\r") {
            Some(line) if !last => (line, true),
            _ => (*line, !last),
        };
        let mut width = 0;
        for (i, &b) in line.iter().enumerate() {
            let at_end = i + 1 == line.len();
            let literal = matches!(b, 33..=60 | 62..=126) || (matches!(b, b' ' | b'\t') && !at_end);
            let needed = if literal { 1 } else { 3 };
            if width + needed > 75 {
                out.extend_from_slice(b"=\r\n");
                width = 0;
            }
            if literal {
                out.push(b);
            } else {
                out.extend_from_slice(format!("={b:02X}").as_bytes());
            }
            width += needed;
        }
        if hard_break {
            out.extend_from_slice(b"\r\n");
        }
    }
    out
}

/// Base64 in lines of 76 characters, each ended by CRLF.
pub(crate) fn base64_lines(bytes: &[u8]) -> Vec<u8> {
    let encoded = base64::engine::general_purpose::STANDARD.encode(bytes);
    let mut out = Vec::with_capacity(encoded.len() + encoded.len() / 38 + 2);
    for chunk in encoded.as_bytes().chunks(76) {
        out.extend_from_slice(chunk);
        out.extend_from_slice(b"\r\n");
    }
    out
}

/// Header fields made from properties, for a message without stored headers.
fn synthesize(message: &OutlookMessage) -> Vec<Field> {
    let props = &message.props;
    let mut fields = Vec::new();
    if let Some(date) = props
        .time(id::CLIENT_SUBMIT_TIME)
        .or_else(|| props.time(id::DELIVERY_TIME))
        .and_then(rfc5322_date)
    {
        fields.push(Field::new("Date", &date));
    }
    let from_name = props
        .text(id::SENT_REPRESENTING_NAME)
        .or_else(|| props.text(id::SENDER_NAME));
    let from_addr = props
        .text(id::SENT_REPRESENTING_SMTP)
        .or_else(|| props.text(id::SENDER_SMTP_ADDRESS))
        .or_else(|| props.text(id::SENT_REPRESENTING_EMAIL))
        .or_else(|| props.text(id::SENDER_EMAIL));
    if from_name.is_some() || from_addr.is_some() {
        fields.push(Field::new(
            "From",
            &mailbox(from_name.as_deref(), from_addr.as_deref()),
        ));
    }
    for (kind, name, display) in [
        (1, "To", Some(id::DISPLAY_TO)),
        (2, "Cc", Some(id::DISPLAY_CC)),
        (3, "Bcc", None),
    ] {
        let list: Vec<String> = message
            .recipients
            .iter()
            .filter(|r| r.int(id::RECIPIENT_TYPE).map(|t| t & 0xF) == Some(kind))
            .map(|r| {
                let addr = r
                    .text(id::SMTP_ADDRESS)
                    .or_else(|| r.text(id::EMAIL_ADDRESS));
                mailbox(r.text(id::DISPLAY_NAME).as_deref(), addr.as_deref())
            })
            .collect();
        if !list.is_empty() {
            fields.push(Field::new(name, &list.join(",\r\n ")));
        } else if let Some(text) = display.and_then(|d| props.text(d)) {
            fields.push(Field::new(name, &encode_words(&text)));
        }
    }
    if let Some(subject) = props.subject() {
        fields.push(Field::new("Subject", &encode_words(&subject)));
    }
    for (prop, name) in [
        (id::INTERNET_MESSAGE_ID, "Message-ID"),
        (id::IN_REPLY_TO, "In-Reply-To"),
        (id::INTERNET_REFERENCES, "References"),
    ] {
        if let Some(value) = props.text(prop) {
            fields.push(Field::new(name, &one_line(&value)));
        }
    }
    fields
}

/// `"Name" <address>`, or whichever half is known.
fn mailbox(name: Option<&str>, addr: Option<&str>) -> String {
    let addr = addr.map(one_line).map(|a| a.trim().to_string());
    let name = name.map(one_line).map(|n| n.trim().to_string());
    match (name, addr) {
        (Some(name), Some(addr)) if name != addr && !name.is_empty() => {
            format!("{} <{addr}>", display_name(&name))
        }
        (_, Some(addr)) => format!("<{addr}>"),
        (Some(name), None) => display_name(&name),
        (None, None) => String::new(),
    }
}

fn display_name(name: &str) -> String {
    if !name.is_ascii() {
        return encode_words(name);
    }
    format!("\"{}\"", name.replace('\\', "\\\\").replace('"', "\\\""))
}

/// Control characters (CR, LF…) out of a value that becomes a header.
fn one_line(value: &str) -> String {
    value
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// RFC 2047 encoded words for non-ASCII text, each at most 75 characters.
fn encode_words(text: &str) -> String {
    let text = one_line(text);
    if text.is_ascii() {
        return text;
    }
    let mut words = Vec::new();
    let mut chunk = String::new();
    for c in text.chars() {
        if chunk.len() + c.len_utf8() > 45 {
            words.push(std::mem::take(&mut chunk));
        }
        chunk.push(c);
    }
    if !chunk.is_empty() {
        words.push(chunk);
    }
    words
        .iter()
        .map(|w| {
            let b64 = base64::engine::general_purpose::STANDARD.encode(w.as_bytes());
            format!("=?utf-8?B?{b64}?=")
        })
        .collect::<Vec<_>>()
        .join("\r\n ")
}

/// A FILETIME as an RFC 5322 date in UTC.
pub(crate) fn rfc5322_date(filetime: i64) -> Option<String> {
    if filetime <= 0 {
        return None; // MAPI's "not set"
    }
    let secs = filetime.div_euclid(10_000_000) - 11_644_473_600;
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    if !(1..=9999).contains(&year) {
        return None;
    }
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    Some(format!(
        "{}, {day} {} {year} {:02}:{:02}:{:02} +0000",
        DAYS[days.rem_euclid(7) as usize],
        MONTHS[(month - 1) as usize],
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    ))
}

/// Howard Hinnant's days-from-civil inverse: days since 1970-01-01 to a date.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stores::props::Value;

    fn message(pairs: &[(u16, Value)]) -> OutlookMessage {
        let mut props = Props::default();
        for (id, value) in pairs {
            props.insert(*id, value.clone());
        }
        OutlookMessage {
            props,
            ..Default::default()
        }
    }

    const HEADERS: &str = "Received: from a by b;\r\n\tMon, 1 Jan 2001 00:00:00 +0000\r\nDKIM-Signature: v=1; a=rsa-sha256;\r\n b=xyz\r\nFrom: A <a@example.com>\r\nSubject: hi\r\nDate: Mon, 1 Jan 2001 00:00:00 +0000\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=\"iso-8859-1\"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n";

    #[test]
    fn single_text_part_keeps_its_headers_charset_and_encoding() {
        let m = message(&[
            (id::TRANSPORT_HEADERS, Value::Text(HEADERS.into())),
            (id::BODY, Value::Text("café\nligne deux\r\n".into())),
        ]);
        let bytes = rebuild(&m, 1 << 20);
        let text = String::from_utf8(bytes).unwrap();
        assert_eq!(text, format!("{HEADERS}caf=E9\r\nligne deux\r\n"));
        assert_eq!(rebuild(&m, 1 << 20), text.as_bytes(), "deterministic");
    }

    #[test]
    fn multipart_original_gets_new_structure_headers() {
        let headers = HEADERS.replace(
            "Content-Type: text/plain; charset=\"iso-8859-1\"",
            "Content-Type: multipart/alternative;\r\n\tboundary=\"orig\"",
        );
        let m = message(&[
            (id::TRANSPORT_HEADERS, Value::Text(headers)),
            (id::BODY, Value::Text("plain".into())),
            (id::HTML, Value::Binary(b"<p>caf\xe9</p>".to_vec())),
        ]);
        let text = String::from_utf8(rebuild(&m, 1 << 20)).unwrap();
        assert!(text.starts_with("Received: from a by b;\r\n\tMon, 1 Jan 2001"));
        assert!(text.contains("DKIM-Signature: v=1; a=rsa-sha256;\r\n b=xyz\r\n"));
        assert!(!text.contains("boundary=\"orig\""));
        assert!(!text.contains("quoted-printable\r\nContent-Type: multipart"));
        assert_eq!(text.matches("MIME-Version").count(), 1);
        assert!(text.contains(
            "Content-Type: multipart/alternative;\r\n boundary=\"=_tamis_alternative_0\"\r\n\r\n"
        ));
        assert!(text.contains("Content-Type: text/html; charset=\"windows-1252\"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n<p>caf=E9</p>"));
        assert!(text.ends_with("--=_tamis_alternative_0--\r\n"));
    }

    #[test]
    fn no_transport_headers_synthesizes_them() {
        let mut m = message(&[
            (id::SUBJECT, Value::Text("\u{1}\u{4}RE: Übung".into())),
            (id::SENDER_NAME, Value::Text("Lokay, Michelle".into())),
            (id::SENDER_EMAIL, Value::Text("/O=ENRON/CN=MLOKAY".into())),
            (id::CLIENT_SUBMIT_TIME, Value::Time(126_488_673_880_000_000)),
            (id::INTERNET_MESSAGE_ID, Value::Text("<x@y>".into())),
            (id::BODY, Value::Text("hello".into())),
        ]);
        let mut to = Props::default();
        to.insert(id::RECIPIENT_TYPE, Value::Int(1));
        to.insert(id::DISPLAY_NAME, Value::Text("B".into()));
        to.insert(id::SMTP_ADDRESS, Value::Text("b@example.com".into()));
        m.recipients.push(to);
        m.attachments.push(Attachment {
            props: {
                let mut p = Props::default();
                p.insert(id::ATTACH_LONG_FILENAME, Value::Text("été.txt".into()));
                p.insert(id::ATTACH_MIME_TAG, Value::Text("text/plain".into()));
                p
            },
            content: Content::Data(b"abc".to_vec()),
        });
        let text = String::from_utf8(rebuild(&m, 1 << 20)).unwrap();
        assert!(text.starts_with("Date: Mon, 29 Oct 2001 22:16:28 +0000\r\nFrom: \"Lokay, Michelle\" </O=ENRON/CN=MLOKAY>\r\nTo: \"B\" <b@example.com>\r\nSubject: =?utf-8?B?UkU6IMOcYnVuZw==?=\r\nMessage-ID: <x@y>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed;"), "{text}");
        assert!(text.contains("filename*=utf-8''%C3%A9t%C3%A9.txt"));
        assert!(text.contains("\r\n\r\nYWJj\r\n"));
    }

    #[test]
    fn encoders() {
        assert_eq!(quoted_printable(b"a=b \r\nx\t"), b"a=3Db=20\r\nx=09");
        let long = vec![b'x'; 100];
        let qp = quoted_printable(&long);
        assert!(qp.split(|&b| b == b'\n').all(|l| l.len() <= 77));
        assert_eq!(base64_lines(b"abc"), b"YWJj\r\n");
        assert_eq!(rfc5322_date(0), None);
        assert_eq!(
            rfc5322_date(116_444_736_000_000_000).as_deref(),
            Some("Thu, 1 Jan 1970 00:00:00 +0000")
        );
    }
}
