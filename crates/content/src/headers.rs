//! The top-level header fields: the list a reader sees, and the fields that
//! say who wrote to whom, when, about what, and in reply to which message.

use mail_parser::parsers::MessageStream;
use mail_parser::{Header, HeaderName, HeaderValue, Message};
use tamis_findings::{Address, HeaderLine, MessageContent};

use crate::limits::{quoted, MAX_HEADER_LINES};

/// Fills the header-derived fields of `content` from the message's own
/// (top-level) header, and notes in `problems` what a reader must be told.
pub(crate) fn read(message: &Message<'_>, raw: &[u8], content: &mut MessageContent) {
    let headers = message.headers();
    if headers.is_empty() {
        content
            .problems
            .push("the message has no header fields: no sender, recipient, date or subject".into());
    }
    content.headers = headers
        .iter()
        .take(MAX_HEADER_LINES)
        .map(|header| HeaderLine {
            name: name_as_written(raw, header),
            value: value_for_display(raw, header),
        })
        .collect();
    if headers.len() > MAX_HEADER_LINES {
        content.problems.push(format!(
            "the header has {} fields; only the first {MAX_HEADER_LINES} are listed",
            headers.len()
        ));
    }

    note_repeated_fields(headers, &mut content.problems);

    content.message_id =
        first(headers, HeaderName::MessageId).and_then(|value| ids(value).into_iter().next());
    content.in_reply_to = first(headers, HeaderName::InReplyTo)
        .map(ids)
        .unwrap_or_default();
    content.references = first(headers, HeaderName::References)
        .map(ids)
        .unwrap_or_default();
    content.from = first(headers, HeaderName::From)
        .map(addresses)
        .unwrap_or_default();
    content.to = first(headers, HeaderName::To)
        .map(addresses)
        .unwrap_or_default();
    content.cc = first(headers, HeaderName::Cc)
        .map(addresses)
        .unwrap_or_default();
    content.bcc = first(headers, HeaderName::Bcc)
        .map(addresses)
        .unwrap_or_default();
    content.reply_to = first(headers, HeaderName::ReplyTo)
        .map(addresses)
        .unwrap_or_default();
    content.subject = first(headers, HeaderName::Subject).map(|value| match value {
        HeaderValue::Text(text) => text.to_string(),
        _ => String::new(),
    });
    content.date_unix = read_date(headers, raw, &mut content.problems);
}

/// Fields a message should carry once. mail-parser answers with the last
/// occurrence; tamis shows the first, as most mail programs display the
/// topmost, which is where a forger adds a second From above a signed one.
const SINGLE_FIELDS: [HeaderName<'static>; 11] = [
    HeaderName::From,
    HeaderName::Sender,
    HeaderName::ReplyTo,
    HeaderName::To,
    HeaderName::Cc,
    HeaderName::Bcc,
    HeaderName::Subject,
    HeaderName::Date,
    HeaderName::MessageId,
    HeaderName::InReplyTo,
    HeaderName::References,
];

fn note_repeated_fields(headers: &[Header<'_>], problems: &mut Vec<String>) {
    for name in SINGLE_FIELDS {
        let count = headers.iter().filter(|header| header.name == name).count();
        if count > 1 {
            problems.push(format!(
                "the header has {count} {} fields; the first is shown here, a mail program \
                 may show another: compare them in the header list",
                name.as_str()
            ));
        }
    }
}

fn first<'m, 'x>(headers: &'m [Header<'x>], name: HeaderName<'_>) -> Option<&'m HeaderValue<'x>> {
    headers
        .iter()
        .find(|header| header.name == name)
        .map(|header| &header.value)
}

/// The field name with the case the sender used (mail-parser replaces the
/// names it knows with their canonical spelling).
fn name_as_written(raw: &[u8], header: &Header<'_>) -> String {
    let written = raw
        .get(header.offset_field as usize..header.offset_start as usize)
        .unwrap_or_default();
    let written = written.strip_suffix(b":").unwrap_or(written);
    let name = String::from_utf8_lossy(written).trim().to_string();
    if name.is_empty() {
        header.name.as_str().to_string()
    } else {
        name
    }
}

/// The field value unfolded with its RFC 2047 words decoded, whatever the
/// field: the parsed value of an address or date field is a structure, and
/// a reader wants to see the text that was written.
pub(crate) fn value_for_display(raw: &[u8], header: &Header<'_>) -> String {
    let Some(written) = raw.get(header.offset_start as usize..header.offset_end as usize) else {
        return String::new();
    };
    // The unstructured parser only finishes a field at its line end; the
    // last field of a message cut short has none.
    let terminated;
    let written = if written.ends_with(b"\n") {
        written
    } else {
        terminated = [written, b"\n"].concat();
        &terminated
    };
    match MessageStream::new(written).parse_unstructured() {
        HeaderValue::Text(text) => text.into_owned(),
        _ => String::new(),
    }
}

/// Message ids without angle brackets, in the order written.
fn ids(value: &HeaderValue<'_>) -> Vec<String> {
    let written: Vec<&str> = match value {
        HeaderValue::Text(id) => vec![id.as_ref()],
        HeaderValue::TextList(ids) => ids.iter().map(|id| id.as_ref()).collect(),
        _ => Vec::new(),
    };
    written
        .into_iter()
        .map(|id| {
            id.trim()
                .trim_start_matches('<')
                .trim_end_matches('>')
                .trim()
        })
        .filter(|id| !id.is_empty())
        .map(str::to_string)
        .collect()
}

fn addresses(value: &HeaderValue<'_>) -> Vec<Address> {
    let Some(parsed) = value.as_address() else {
        return Vec::new();
    };
    parsed
        .iter()
        .map(|addr| Address {
            name: addr
                .name()
                .map(str::trim)
                .filter(|name| !name.is_empty())
                .map(str::to_string),
            address: addr
                .address()
                .map(str::trim)
                .filter(|address| !address.is_empty())
                .map(str::to_string),
        })
        .filter(|address| address.name.is_some() || address.address.is_some())
        .collect()
}

fn read_date(headers: &[Header<'_>], raw: &[u8], problems: &mut Vec<String>) -> Option<i64> {
    let header = headers
        .iter()
        .find(|header| header.name == HeaderName::Date)?;
    match &header.value {
        HeaderValue::DateTime(date) if date.is_valid() => Some(date.to_timestamp()),
        _ => {
            problems.push(format!(
                "the Date field {} is not a date that can be read",
                quoted(&value_for_display(raw, header))
            ));
            None
        }
    }
}
