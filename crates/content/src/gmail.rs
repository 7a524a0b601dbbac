//! Gmail's labels and thread id, as Google Takeout writes them into each
//! message of its mbox export:
//!
//! ```text
//! X-GM-THRID: 1566540367457427330
//! X-Gmail-Labels: Inbox,Important,"Label, with comma",Ouvert
//! X-Gmail-Labels: =?UTF-8?Q?=C3=85pnet,Kategori:_Reklame?=
//! ```
//!
//! Labels are comma-separated; a label holding a comma is written in double
//! quotes. Non-ASCII labels come either raw (UTF-8) or, most often, as one
//! RFC 2047 encoded word spanning the whole value, commas included. So the
//! value is first unfolded and decoded the way every displayed header value
//! is (the words that follow quoting are inside the encoded word), then
//! split on the commas outside double quotes; each label is unquoted
//! (`\"` and `\\` inside quotes stand for `"` and `\`), trimmed, and kept
//! if not empty. Bounded: at most [`MAX_LABELS`] labels of at most
//! [`MAX_LABEL_CHARS`] characters each, and anything past that is said in
//! `problems`.
//!
//! These fields are the exporter's, added after delivery and never signed:
//! they record where the message was filed, not what its sender wrote.

use mail_parser::{Header, HeaderName, Message};
use tamis_findings::MessageContent;

use crate::headers::value_for_display;
use crate::limits::quoted;

/// Most labels kept from one message. Gmail applies a handful (system
/// labels, categories, user labels); hundreds are only seen in crafted mail.
pub const MAX_LABELS: usize = 200;
/// Longest label kept, in characters (Gmail's own limit is well under).
pub const MAX_LABEL_CHARS: usize = 500;
/// Longest thread id read: Takeout writes a 64-bit number in decimal (at
/// most 20 digits); the API's hexadecimal form is shorter still.
const MAX_THREAD_ID_CHARS: usize = 32;

/// Fills `gmail_labels` and `gmail_thread_id` from the first `X-Gmail-Labels`
/// and `X-GM-THRID` fields of the top-level header.
pub(crate) fn read(message: &Message<'_>, raw: &[u8], content: &mut MessageContent) {
    let headers = message.headers();
    if let Some(header) = field(headers, "X-Gmail-Labels") {
        let (labels, problems) = labels(&value_for_display(raw, header));
        content.gmail_labels = labels;
        content.problems.extend(problems);
    }
    if let Some(header) = field(headers, "X-GM-THRID") {
        let value = value_for_display(raw, header);
        let id = value.trim();
        if !id.is_empty()
            && id.len() <= MAX_THREAD_ID_CHARS
            && id.bytes().all(|b| b.is_ascii_alphanumeric())
        {
            content.gmail_thread_id = Some(id.to_string());
        } else {
            content.problems.push(format!(
                "the X-GM-THRID field {} is not a Gmail thread id; it was not recorded",
                quoted(id)
            ));
        }
    }
}

/// How far into a message its `X-Gmail-Labels` field is looked for:
/// Takeout writes it first, so a header this long without it has none.
const LABELS_SCAN_BYTES: usize = 64 << 10;

/// The labels of a message's `X-Gmail-Labels` field, from its header alone
/// (no body, no attachments): what another copy of a message adds to the
/// labels of the copy that was read in full. Empty without the field.
pub fn labels_of(raw: &[u8]) -> Vec<String> {
    const NAME: &[u8] = b"x-gmail-labels:";
    let head = &raw[..raw.len().min(LABELS_SCAN_BYTES)];
    if !head
        .windows(NAME.len())
        .any(|w| w.eq_ignore_ascii_case(NAME))
    {
        return Vec::new();
    }
    let Some(message) = mail_parser::MessageParser::default().parse_headers(raw) else {
        return Vec::new();
    };
    match field(message.headers(), "X-Gmail-Labels") {
        Some(header) => labels(&value_for_display(raw, header)).0,
        None => Vec::new(),
    }
}

fn field<'m, 'x>(headers: &'m [Header<'x>], name: &str) -> Option<&'m Header<'x>> {
    headers.iter().find(|header| match &header.name {
        HeaderName::Other(other) => other.eq_ignore_ascii_case(name),
        known => known.as_str().eq_ignore_ascii_case(name),
    })
}

/// The labels of a decoded `X-Gmail-Labels` value, and what could not be
/// kept, in words.
pub(crate) fn labels(value: &str) -> (Vec<String>, Vec<String>) {
    let mut labels = Vec::new();
    let mut problems = Vec::new();
    let mut skipped = 0usize;
    let mut cut = 0usize;
    for label in split(value) {
        if label.is_empty() {
            continue;
        }
        if labels.len() == MAX_LABELS {
            skipped += 1;
            continue;
        }
        let chars = label.chars().count();
        if chars > MAX_LABEL_CHARS {
            cut += 1;
            let mut short: String = label.chars().take(MAX_LABEL_CHARS).collect();
            short.push('…');
            labels.push(short);
        } else {
            labels.push(label);
        }
    }
    if skipped > 0 {
        problems.push(format!(
            "the X-Gmail-Labels field lists {} labels; only the first {MAX_LABELS} are kept",
            MAX_LABELS + skipped
        ));
    }
    if cut > 0 {
        problems.push(format!(
            "{cut} Gmail label(s) longer than {MAX_LABEL_CHARS} characters were cut"
        ));
    }
    (labels, problems)
}

/// Splits on commas outside double quotes, unquoting and trimming each
/// piece. An unclosed quote runs to the end of the value.
fn split(value: &str) -> impl Iterator<Item = String> + '_ {
    let mut chars = value.chars().peekable();
    std::iter::from_fn(move || {
        chars.peek()?;
        let mut label = String::new();
        let mut in_quotes = false;
        while let Some(c) = chars.next() {
            match c {
                '"' => in_quotes = !in_quotes,
                '\\' if in_quotes => {
                    if let Some(escaped) = chars.next() {
                        label.push(escaped);
                    }
                }
                ',' if !in_quotes => return Some(label.trim().to_string()),
                _ => label.push(c),
            }
        }
        Some(label.trim().to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(value: &str) -> Vec<String> {
        let (labels, problems) = labels(value);
        assert!(problems.is_empty(), "{problems:?}");
        labels
    }

    #[test]
    fn plain_and_quoted_labels() {
        assert_eq!(
            parsed("Inbox,Important,\"Label, with comma\",Ouvert"),
            ["Inbox", "Important", "Label, with comma", "Ouvert"]
        );
        assert_eq!(
            parsed("Inbox,Important,Opened,Category Updates"),
            ["Inbox", "Important", "Opened", "Category Updates"]
        );
        assert_eq!(parsed("Sent,Opened"), ["Sent", "Opened"]);
        assert_eq!(parsed("Spam"), ["Spam"]);
        assert_eq!(
            parsed("Archived,Projets/Lyon 2017,Trash"),
            ["Archived", "Projets/Lyon 2017", "Trash"]
        );
    }

    #[test]
    fn empties_spaces_and_escapes() {
        assert_eq!(parsed(" Inbox , ,Opened,"), ["Inbox", "Opened"]);
        assert_eq!(parsed(""), Vec::<String>::new());
        assert_eq!(parsed(",,"), Vec::<String>::new());
        assert_eq!(
            parsed(r#""Il a dit \"non\"",Inbox"#),
            ["Il a dit \"non\"", "Inbox"]
        );
        assert_eq!(parsed("\"a, b\" c,d"), ["a, b c", "d"]);
        assert_eq!(
            parsed("Inbox,\"unclosed, quote"),
            ["Inbox", "unclosed, quote"]
        );
        assert_eq!(parsed("\"\",Inbox"), ["Inbox"]);
    }

    #[test]
    fn too_many_or_too_long_labels_are_bounded_and_said() {
        let many = (0..MAX_LABELS + 5)
            .map(|i| format!("l{i}"))
            .collect::<Vec<_>>()
            .join(",");
        let (kept, problems) = labels(&many);
        assert_eq!(kept.len(), MAX_LABELS);
        assert_eq!(kept[MAX_LABELS - 1], format!("l{}", MAX_LABELS - 1));
        assert_eq!(problems.len(), 1);
        assert!(problems[0].contains(&format!("lists {} labels", MAX_LABELS + 5)));
        let long = "é".repeat(MAX_LABEL_CHARS + 1);
        let (kept, problems) = labels(&format!("Inbox,{long}"));
        assert_eq!(kept[1].chars().count(), MAX_LABEL_CHARS + 1);
        assert!(kept[1].ends_with('…'));
        assert!(problems[0].contains("were cut"));
    }
}
