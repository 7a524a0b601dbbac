//! When two items are the same message.

use memchr::memchr_iter;
use tamis_items::{Item, ItemKind};

use crate::repair;

/// Two items with the same key are one message found twice.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct MessageKey(pub [u8; 32]);

/// The key under which duplicates collapse: the BLAKE3 hash of the message
/// with the damage exporters do undone (LF line endings become CRLF; for mbox
/// messages, `>From ` escaping is removed; trailing line breaks trimmed).
///
/// So the same message exported once as a CRLF .eml and once inside an mbox
/// is one message with two origins, while any other byte difference (a
/// changed word, an added header) keeps them apart. Unescaping is applied
/// only to mbox items, where the escaping is known to be the exporter's: a
/// loose .eml whose body really says `>From ` stays distinct.
///
/// Computed by streaming the lines into the hash rather than building the
/// normalised copy, and with BLAKE3 rather than SHA-256, because the walker
/// thread computes it for every item before any analysis can start. The key
/// never leaves the process; the ids users see stay SHA-256.
pub fn message_key(item: &Item) -> MessageKey {
    let bytes = &item.bytes;
    let mut end = bytes.len();
    while end > 0 && matches!(bytes[end - 1], b'\r' | b'\n') {
        end -= 1;
    }
    let lf_only = repair::is_lf_only(bytes);
    let unescape = item.kind == ItemKind::MboxMessage;
    if !lf_only && !unescape {
        return MessageKey(*blake3::hash(&bytes[..end]).as_bytes());
    }
    // BLAKE3 is fast only when given large inputs (it hashes 1 KiB chunks in
    // parallel lanes); feeding it line by line cost more than the
    // verification. So normalised lines go through a 64 KiB block.
    let mut hasher = BlockHasher::default();
    let mut start = 0;
    for lf in memchr_iter(b'\n', &bytes[..end]) {
        let line = &bytes[start..lf];
        hasher.line(line, unescape);
        // The separator as `to_crlf` would have left it.
        if lf_only && !line.ends_with(b"\r") {
            hasher.push(b"\r\n");
        } else {
            hasher.push(b"\n");
        }
        start = lf + 1;
    }
    hasher.line(&bytes[start..end], unescape);
    hasher.finish()
}

#[derive(Default)]
struct BlockHasher {
    hasher: blake3::Hasher,
    block: Vec<u8>,
}

impl BlockHasher {
    const BLOCK: usize = 64 << 10;

    fn line(&mut self, line: &[u8], unescape: bool) {
        self.push(if unescape {
            repair::unescaped_line(line)
        } else {
            line
        });
    }

    fn push(&mut self, bytes: &[u8]) {
        self.block.extend_from_slice(bytes);
        if self.block.len() >= Self::BLOCK {
            self.hasher.update(&self.block);
            self.block.clear();
        }
    }

    fn finish(mut self) -> MessageKey {
        self.hasher.update(&self.block);
        MessageKey(*self.hasher.finalize().as_bytes())
    }
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
