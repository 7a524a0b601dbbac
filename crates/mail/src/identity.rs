//! When two items are the same message.

use sha2::{Digest, Sha256};
use std::borrow::Cow;
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
pub fn message_key(item: &Item) -> ContentId {
    let crlf = repair::to_crlf(&item.bytes);
    let unescaped = match item.kind {
        ItemKind::MboxMessage => repair::unescape_mbox_from(&crlf),
        _ => Cow::Borrowed(&*crlf),
    };
    let mut end = unescaped.len();
    while end > 0 && matches!(unescaped[end - 1], b'\r' | b'\n') {
        end -= 1;
    }
    ContentId(Sha256::digest(&unescaped[..end]).into())
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
