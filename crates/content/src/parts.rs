//! The body a reader reads and the files they can download.
//!
//! mail-parser already decided which parts are the body (the RFC 2046
//! choice between alternatives, inline parts in a mixed message) and which
//! are attachments; this module takes those lists as they are, bounds them,
//! and turns each attachment into the bytes the sender attached. Embedded
//! messages are not descended into: they leave as attachments of their own,
//! to be read as messages in their own right.

use std::borrow::Cow;
use std::collections::HashSet;

use mail_parser::decoders::charsets::map::charset_decoder;
use mail_parser::decoders::html::html_to_text;
use mail_parser::{Message, MessagePart, MessagePartId, MimeHeaders, PartType};
use tamis_findings::{Attachment, MessageContent};

use crate::limits::{quoted, DecodedBudget, MAX_ATTACHMENTS, MAX_DECODED_BYTES, MAX_MIME_DEPTH};
use crate::transfer;

/// Fills the bodies and attachments of `content`.
pub(crate) fn read(message: &Message<'_>, raw: &[u8], content: &mut MessageContent) {
    read_within(message, raw, content, MAX_DECODED_BYTES);
}

fn read_within(
    message: &Message<'_>,
    raw: &[u8],
    content: &mut MessageContent,
    decoded_bytes_limit: usize,
) {
    let mut reader = PartReader {
        message,
        raw,
        depths: part_depths(message),
        budget: DecodedBudget::new(decoded_bytes_limit),
        problems: Vec::new(),
        parts_checked: HashSet::new(),
        parts_too_deep: HashSet::new(),
    };
    content.text_body = reader.text_body();
    content.html_body = reader.html_body();
    content.attachments = reader.attachments();
    match reader.parts_too_deep.len() {
        0 => {}
        1 => reader.problems.push(format!(
            "1 MIME part nested more than {MAX_MIME_DEPTH} multipart levels deep was not read"
        )),
        many => reader.problems.push(format!(
            "{many} MIME parts nested more than {MAX_MIME_DEPTH} multipart levels deep were not \
             read"
        )),
    }
    content.problems.append(&mut reader.problems);
}

struct PartReader<'m, 'x> {
    message: &'m Message<'x>,
    raw: &'m [u8],
    /// Multipart nesting level of each part, `None` for a part no multipart
    /// lists (mail-parser's recovery from a broken structure can leave one).
    depths: Vec<Option<usize>>,
    budget: DecodedBudget,
    problems: Vec<String>,
    /// Parts whose decoding problems were already reported: an HTML-only
    /// body is both the HTML body and the source of the text body.
    parts_checked: HashSet<MessagePartId>,
    parts_too_deep: HashSet<MessagePartId>,
}

impl<'m, 'x> PartReader<'m, 'x> {
    /// The part with that id, unless it is nested past the cap.
    fn readable_part(&mut self, id: MessagePartId) -> Option<&'m MessagePart<'x>> {
        let depth = self.depths.get(id as usize).copied().flatten();
        if depth.is_some_and(|depth| depth > MAX_MIME_DEPTH) {
            self.parts_too_deep.insert(id);
            return None;
        }
        self.message.parts.get(id as usize)
    }

    fn text_body(&mut self) -> String {
        let mut text = String::new();
        for &id in &self.message.text_body {
            let Some(part) = self.readable_part(id) else {
                continue;
            };
            let piece: Cow<'_, str> = match &part.body {
                PartType::Text(plain) => Cow::Borrowed(plain.as_ref()),
                PartType::Html(html) => Cow::Owned(html_to_text(html)),
                _ => continue,
            };
            self.note_decoding_problems(id, part);
            if !text.is_empty() && !text.ends_with('\n') && self.budget.spend(1) {
                text.push('\n');
            }
            if !self.append_within_budget(&mut text, &piece, "text body") {
                break;
            }
        }
        text
    }

    fn html_body(&mut self) -> Option<String> {
        let mut html: Option<String> = None;
        for &id in &self.message.html_body {
            let Some(part) = self.readable_part(id) else {
                continue;
            };
            // mail-parser lists a text/plain part here when there is no HTML
            // (it would convert it); only HTML the sender wrote counts.
            let PartType::Html(written) = &part.body else {
                continue;
            };
            self.note_decoding_problems(id, part);
            let joined = html.get_or_insert_with(String::new);
            if !joined.is_empty() && self.budget.spend(1) {
                joined.push('\n');
            }
            if !self.append_within_budget(joined, written, "HTML body") {
                break;
            }
        }
        html
    }

    /// Appends `piece`, or as much of it as the budget allows (cut at a
    /// character boundary); says whether all of it fitted.
    fn append_within_budget(&mut self, body: &mut String, piece: &str, what: &str) -> bool {
        if self.budget.spend(piece.len()) {
            body.push_str(piece);
            return true;
        }
        let mut cut = self.budget.left();
        while !piece.is_char_boundary(cut) {
            cut -= 1;
        }
        self.budget.spend(cut);
        body.push_str(&piece[..cut]);
        self.problems.push(format!(
            "the {what} was cut after {} bytes: the message's decoded parts add up to more than {}",
            body.len(),
            self.budget.limit_in_words()
        ));
        false
    }

    fn attachments(&mut self) -> Vec<Attachment> {
        let mut attachments = Vec::new();
        let mut over_count = 0usize;
        for &id in &self.message.attachments {
            let Some(part) = self.readable_part(id) else {
                continue;
            };
            if attachments.len() == MAX_ATTACHMENTS {
                over_count += 1;
                continue;
            }
            let attachment = self.attachment(id, part);
            if !self.budget.spend(attachment.bytes.len()) {
                self.problems.push(format!(
                    "{} ({} bytes decoded) was not extracted: the message's decoded parts add up \
                     to more than {}",
                    describe(&attachment),
                    attachment.bytes.len(),
                    self.budget.limit_in_words()
                ));
                continue;
            }
            attachments.push(attachment);
        }
        if over_count > 0 {
            self.problems.push(format!(
                "the message has {} attachments; only the first {MAX_ATTACHMENTS} were extracted",
                MAX_ATTACHMENTS + over_count
            ));
        }
        attachments
    }

    fn attachment(&mut self, id: MessagePartId, part: &MessagePart<'x>) -> Attachment {
        let content_type = declared_type(part);
        let is_embedded_message = matches!(part.body, PartType::Message(_))
            || content_type == "message/rfc822"
            || content_type == "message/global";
        let disposition = if is_embedded_message {
            "embedded-message"
        } else {
            match part.content_disposition() {
                Some(declared) if declared.is_inline() => "inline",
                Some(declared) if declared.is_attachment() => "attachment",
                // Undeclared: inline when mail-parser judged it so, or when
                // it has a Content-ID for the HTML body to show it by.
                _ if matches!(part.body, PartType::InlineBinary(_)) => "inline",
                _ if part.content_id().is_some() => "inline",
                _ => "attachment",
            }
        };
        let mut attachment = Attachment {
            filename: part.attachment_name().map(str::to_string),
            content_type,
            disposition: disposition.to_string(),
            bytes: Vec::new(),
        };
        attachment.bytes = match &part.body {
            PartType::Binary(bytes) | PartType::InlineBinary(bytes) => bytes.to_vec(),
            // Text arrives charset-converted and a nested message parsed:
            // both are taken again from the original bytes.
            _ => match transfer::body_bytes(part, self.raw) {
                Some(bytes) => bytes,
                None => {
                    self.problems.push(format!(
                        "{} could not be decoded again from the message; it is kept as \
                         mail-parser read it",
                        describe(&attachment)
                    ));
                    part.contents().to_vec()
                }
            },
        };
        if part.is_encoding_problem && !is_embedded_message && self.parts_checked.insert(id) {
            self.problems.push(format!(
                "{} does not decode as its Content-Transfer-Encoding {} says; it is kept as \
                 written, still encoded",
                describe(&attachment),
                quoted(part.content_transfer_encoding().unwrap_or("(none)"))
            ));
        }
        attachment
    }

    /// Reports a body part whose transfer encoding is broken or whose bytes
    /// are not valid in its charset.
    fn note_decoding_problems(&mut self, id: MessagePartId, part: &MessagePart<'_>) {
        if !self.parts_checked.insert(id) {
            return;
        }
        let content_type = declared_type(part);
        if part.is_encoding_problem {
            self.problems.push(format!(
                "the {content_type} body does not decode as its Content-Transfer-Encoding {} \
                 says; it is shown as written",
                quoted(part.content_transfer_encoding().unwrap_or("(none)"))
            ));
        }
        let Some(decoded) = part.text_contents() else {
            return;
        };
        if !decoded.contains(char::REPLACEMENT_CHARACTER) {
            return;
        }
        // A sender may have written U+FFFD in UTF-8 themselves.
        const REPLACEMENT_IN_UTF8: &[u8] = "\u{FFFD}".as_bytes();
        let written = transfer::body_bytes(part, self.raw).unwrap_or_default();
        if written
            .windows(REPLACEMENT_IN_UTF8.len())
            .any(|window| window == REPLACEMENT_IN_UTF8)
        {
            return;
        }
        let charset = part.content_type().and_then(|ct| ct.attribute("charset"));
        self.problems.push(match charset {
            Some(charset) if !is_known_charset(charset) => format!(
                "the {content_type} body declares the unknown charset {}; it was read as UTF-8 \
                 and the bytes that are not UTF-8 show as \u{FFFD}",
                quoted(charset)
            ),
            Some(charset) => format!(
                "some bytes of the {content_type} body could not be decoded as {} (they are \
                 invalid in that charset, or this build does not decode it) and show as \u{FFFD}",
                quoted(charset)
            ),
            None => format!(
                "the {content_type} body declares no charset and some of its bytes are not \
                 UTF-8; they show as \u{FFFD}"
            ),
        });
    }
}

/// Whether mail-parser reads text in this charset: through a decoder of
/// its own, or, for the UTF-8 labels (which have none), as UTF-8 directly.
fn is_known_charset(charset: &str) -> bool {
    const UTF8_LABELS: [&str; 6] = [
        "utf8",
        "utf-8",
        "unicode11utf8",
        "unicode20utf8",
        "x-unicode20utf8",
        "unicode-1-1-utf-8",
    ];
    charset_decoder(charset.as_bytes()).is_some()
        || UTF8_LABELS
            .iter()
            .any(|label| label.eq_ignore_ascii_case(charset.trim()))
}

/// `type/subtype` as declared, lowercased; the RFC 2045 default when the
/// part declares nothing (a nested message in a digest defaults to one).
fn declared_type(part: &MessagePart<'_>) -> String {
    match part.content_type() {
        Some(declared) => match declared.subtype() {
            Some(subtype) => format!("{}/{}", declared.ctype(), subtype).to_ascii_lowercase(),
            None => declared.ctype().to_ascii_lowercase(),
        },
        None if matches!(part.body, PartType::Message(_)) => "message/rfc822".to_string(),
        None => "text/plain".to_string(),
    }
}

fn describe(attachment: &Attachment) -> String {
    match &attachment.filename {
        Some(name) => format!(
            "the attachment {} ({})",
            quoted(name),
            attachment.content_type
        ),
        None => format!("an attachment of type {}", attachment.content_type),
    }
}

/// Multipart nesting level of every part of the top-level message, walked
/// with a heap stack: the nesting is the sender's to choose.
fn part_depths(message: &Message<'_>) -> Vec<Option<usize>> {
    let mut depths = vec![None; message.parts.len()];
    let mut to_visit: Vec<(MessagePartId, usize)> = vec![(0, 0)];
    while let Some((id, depth)) = to_visit.pop() {
        let Some(slot) = depths.get_mut(id as usize) else {
            continue;
        };
        // A part listed under two multiparts keeps its first level, and a
        // structure that lists an ancestor cannot make this loop.
        if slot.is_some() {
            continue;
        }
        *slot = Some(depth);
        if let Some(children) = message.parts[id as usize].sub_parts() {
            to_visit.extend(children.iter().map(|&child| (child, depth + 1)));
        }
    }
    depths
}

#[cfg(test)]
mod tests {
    use mail_parser::MessageParser;

    use super::*;

    fn read_with_limit(raw: &[u8], decoded_bytes_limit: usize) -> MessageContent {
        let message = MessageParser::default().parse(raw).expect("a message");
        let mut content = MessageContent::default();
        read_within(&message, raw, &mut content, decoded_bytes_limit);
        content
    }

    #[test]
    fn a_body_over_the_limit_is_cut_on_a_character_boundary_and_said() {
        let raw = "Content-Type: text/plain; charset=utf-8\r\n\r\néééé".as_bytes();
        let content = read_with_limit(raw, 5);
        assert_eq!(content.text_body, "éé");
        assert_eq!(
            content.problems,
            [
                "the text body was cut after 4 bytes: the message's decoded parts add up to more \
              than 5 bytes"
            ]
        );
    }

    #[test]
    fn an_attachment_over_what_is_left_is_said_and_later_ones_that_fit_are_kept() {
        let raw = b"Content-Type: multipart/mixed; boundary=b\r\n\r\n\
            --b\r\nContent-Type: text/plain\r\n\r\nhello\r\n\
            --b\r\nContent-Type: application/octet-stream; name=big.bin\r\n\r\n0123456789\r\n\
            --b\r\nContent-Type: application/octet-stream; name=small.bin\r\n\r\n012\r\n\
            --b--\r\n";
        let content = read_with_limit(raw, 12);
        assert_eq!(content.text_body, "hello");
        let names: Vec<_> = content
            .attachments
            .iter()
            .map(|a| a.filename.as_deref())
            .collect();
        assert_eq!(names, [Some("small.bin")]);
        assert_eq!(
            content.problems,
            [
                "the attachment \"big.bin\" (application/octet-stream) (10 bytes decoded) was not \
              extracted: the message's decoded parts add up to more than 12 bytes"
            ]
        );
    }
}
