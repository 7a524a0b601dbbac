//! When two items are the same message.

use memchr::memchr_iter;
use sha2::{Digest, Sha256};
use tamis_items::{ContentId, Item, ItemKind};

use crate::repair;

/// The key under which duplicates collapse: the SHA-256 of the message with
/// the damage exporters do undone (LF line endings become CRLF; for mbox
/// messages, `>From ` escaping is removed; trailing line breaks trimmed).
///
/// So the same message exported once as a CRLF .eml and once inside an mbox
/// is one message with two origins, while any other byte difference (a
/// changed word, an added header) keeps them apart. Unescaping is applied
/// only to mbox items, where the escaping is known to be the exporter's: a
/// loose .eml whose body really says `>From ` stays distinct.
///
/// Computed by streaming the lines into the hash rather than building the
/// normalised copy: the walker thread computes this for every item.
pub fn message_key(item: &Item) -> ContentId {
    let bytes = &item.bytes;
    let mut end = bytes.len();
    while end > 0 && matches!(bytes[end - 1], b'\r' | b'\n') {
        end -= 1;
    }
    let lf_only = repair::is_lf_only(bytes);
    let unescape = item.kind == ItemKind::MboxMessage;
    let mut hasher = Sha256::new();
    let mut start = 0;
    let feed_line = |line: &[u8], hasher: &mut Sha256| {
        if unescape && repair::is_escaped_from(line) {
            hasher.update(&line[1..]);
        } else {
            hasher.update(line);
        }
    };
    for lf in memchr_iter(b'\n', &bytes[..end]) {
        let line = &bytes[start..lf];
        feed_line(line, &mut hasher);
        // The separator as `to_crlf` would have left it.
        if lf_only && !line.ends_with(b"\r") {
            hasher.update(b"\r\n");
        } else {
            hasher.update(b"\n");
        }
        start = lf + 1;
    }
    feed_line(&bytes[start..end], &mut hasher);
    ContentId(hasher.finalize().into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use tamis_items::Origin;

    fn item(bytes: &[u8], kind: ItemKind) -> Item {
        Item {
            bytes: bytes.to_vec(),
            origin: Origin::file("x"),
            kind,
        }
    }

    #[test]
    fn crlf_and_lf_exports_of_one_message_share_a_key() {
        let crlf = item(b"Subject: a\r\n\r\nbody\r\n", ItemKind::Message);
        let lf = item(b"Subject: a\n\nbody\n", ItemKind::Message);
        assert_eq!(message_key(&crlf), message_key(&lf));
    }

    #[test]
    fn mbox_escaping_collapses_only_for_mbox_items() {
        let eml = item(b"Subject: a\r\n\r\nFrom here\r\n", ItemKind::Message);
        let escaped_in_mbox = item(b"Subject: a\n\n>From here\n", ItemKind::MboxMessage);
        let escaped_loose = item(b"Subject: a\n\n>From here\n", ItemKind::Message);
        assert_eq!(message_key(&eml), message_key(&escaped_in_mbox));
        assert_ne!(message_key(&eml), message_key(&escaped_loose));
    }

    #[test]
    fn one_changed_byte_keeps_messages_apart() {
        let a = item(b"Subject: a\r\n\r\n100 euros\r\n", ItemKind::Message);
        let b = item(b"Subject: a\r\n\r\n900 euros\r\n", ItemKind::Message);
        assert_ne!(message_key(&a), message_key(&b));
    }
}
