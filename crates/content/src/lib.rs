//! The content analyzer: one message's original bytes in, what a reader
//! sees out ([`MessageContent`]): who wrote to whom and when, the subject,
//! the bodies, the attachments with their decoded bytes, the ids that
//! thread it, and for a Google Takeout message its Gmail labels and thread
//! id.
//!
//! Pure and bounded: no I/O, never panics, and every limit in [`limits`]
//! that a message reaches is said in `problems` rather than dropped in
//! silence. Parsing is mail-parser's; this crate decides what of it a
//! reader is shown and keeps attachments byte-exact.

mod gmail;
mod headers;
pub mod limits;
mod parts;
mod transfer;

pub use gmail::labels_of as gmail_labels_of;

use mail_parser::MessageParser;
use tamis_findings::MessageContent;

/// What a reader sees in one message, from its original bytes. Pure and
/// bounded: never panics, never allocates without limit, whatever the bytes.
pub fn extract(bytes: &[u8]) -> MessageContent {
    // mail-parser means never to panic, but it keeps debug assertions and
    // unchecked offset arithmetic on paths only broken input reaches; one
    // hostile message must cost its own content, not the whole ingest.
    std::panic::catch_unwind(|| read_message(bytes)).unwrap_or_else(|_| {
        only_problem(
            "the MIME parser failed on this message (an internal error in mail-parser); \
             nothing could be read from it but its original bytes",
        )
    })
}

fn read_message(bytes: &[u8]) -> MessageContent {
    // mail-parser records offsets as u32: past 4 GiB they would wrap and
    // point into the wrong bytes.
    if u32::try_from(bytes.len()).is_err() {
        return only_problem(
            "the message is larger than 4 GiB, more than the MIME parser can address; it was \
             not read",
        );
    }
    let Some(message) = MessageParser::default().parse(bytes) else {
        return only_problem(
            "no header field could be read: these bytes do not look like a message",
        );
    };
    let mut content = MessageContent::default();
    headers::read(&message, bytes, &mut content);
    gmail::read(&message, bytes, &mut content);
    parts::read(&message, bytes, &mut content);
    content
}

fn only_problem(problem: &str) -> MessageContent {
    MessageContent {
        problems: vec![problem.to_string()],
        ..MessageContent::default()
    }
}
