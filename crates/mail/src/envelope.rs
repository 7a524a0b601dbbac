//! The few header fields a reader uses to recognise a message.

use std::sync::OnceLock;

use mail_parser::{HeaderName, MessageParser};

pub struct Envelope {
    pub message_id: Option<String>,
    pub from: Option<String>,
    pub subject: Option<String>,
    pub date: Option<String>,
    /// The Date header as Unix seconds, when it parses.
    pub date_unix: Option<i64>,
}

/// The parser of the four fields; every other field is skipped to its end
/// (mail-parser ends every field at a line break that no WSP follows) rather
/// than parsed. mail-parser was 4 % of a run, mostly parsing Received,
/// DKIM-Signature and Content-Type fields nobody reads here.
fn parser() -> &'static MessageParser {
    static PARSER: OnceLock<MessageParser> = OnceLock::new();
    PARSER.get_or_init(|| {
        MessageParser::new()
            .header_address(HeaderName::From)
            .header_text(HeaderName::Subject)
            .header_date(HeaderName::Date)
            .header_id(HeaderName::MessageId)
            .default_header_ignore()
    })
}

/// Read From, Subject, Date and Message-ID, decoded (RFC 2047) by
/// mail-parser. Only the header block is parsed: attachments are not decoded
/// just to print a subject.
pub fn read(message: &[u8]) -> Envelope {
    let Some(parsed) = parser().parse_headers(message) else {
        return Envelope {
            message_id: None,
            from: None,
            subject: None,
            date: None,
            date_unix: None,
        };
    };
    let from =
        parsed
            .from()
            .and_then(|a| a.first())
            .map(|addr| match (addr.name(), addr.address()) {
                (Some(name), Some(address)) => format!("{name} <{address}>"),
                (None, Some(address)) => address.to_string(),
                (Some(name), None) => name.to_string(),
                (None, None) => String::new(),
            });
    let valid_date = parsed.date().filter(|date| date.is_valid());
    let date = match valid_date {
        Some(date) => Some(date.to_rfc3339()),
        None => parsed.header_raw("Date").map(|raw| raw.trim().to_string()),
    };
    Envelope {
        message_id: parsed.message_id().map(str::to_string),
        from,
        subject: parsed.subject().map(str::to_string),
        date,
        date_unix: valid_date.map(mail_parser::DateTime::to_timestamp),
    }
}
