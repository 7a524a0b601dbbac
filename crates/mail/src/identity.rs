//! When two items are the same message, and what an item's bytes hash to.

use memchr::{memchr, memchr_iter};
use sha2::{Digest, Sha256};
use tamis_items::{ContentId, Item, ItemKind};

use crate::repair;

/// Two items with the same key are one message found twice.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct MessageKey(pub [u8; 32]);

/// An item's duplicate key and its content id (the SHA-256 of its bytes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Identity {
    pub key: MessageKey,
    pub content_id: ContentId,
}

/// The key under which duplicates collapse: two items share it exactly when
/// they are the same message once the damage exporters do is undone (LF line
/// endings become CRLF; for mbox messages, `>From ` escaping is removed, and
/// the `X-GM-THRID` and `X-Gmail-Labels` fields Google Takeout writes above
/// the message's own header are left out, so one message exported under
/// two labels is one message; trailing line breaks trimmed).
///
/// So the same message exported once as a CRLF .eml and once inside an mbox
/// is one message with two origins, while any other byte difference (a
/// changed word, an added header) keeps them apart. Unescaping is applied
/// only to mbox items, where the escaping is known to be the exporter's: a
/// loose .eml whose body really says `>From ` stays distinct.
///
/// The key never leaves the process (the ids users see are content ids), so
/// its form is chosen for speed: see [`identify`].
pub fn message_key(item: &Item) -> MessageKey {
    identify(item).key
}

/// The item's key (see [`message_key`]) and content id, together.
///
/// The repaired message is hashed in its LF form (every CRLF written as LF),
/// with SHA-256: for the commonest stored form, a message with LF line
/// endings and no `>From ` escaping, the LF form is the stored bytes up to
/// their trailing line breaks, so one SHA-256 pass over the item gives both
/// the key (the state before the trailing line breaks) and the content id.
/// Hashing a normalised CRLF copy with BLAKE3 instead cost a copy and a
/// second hash pass per message (4 % of a 20,000-message run, on the walking
/// thread every analysis waits for).
///
/// Writing CRLF as LF is one-to-one only on text whose every LF follows a
/// CR. A repaired message with a bare LF left in it (a CRLF message with one
/// bare LF inside, which is content, not export damage) is therefore hashed
/// as it is, with BLAKE3 instead: a different function, so the two kinds of
/// key cannot meet.
pub fn identify(item: &Item) -> Identity {
    let bytes = &item.bytes;
    let mut end = bytes.len();
    while end > 0 && matches!(bytes[end - 1], b'\r' | b'\n') {
        end -= 1;
    }
    let unescape = item.kind == ItemKind::MboxMessage && repair::has_escaped_line(bytes);
    let takeout = if item.kind == ItemKind::MboxMessage {
        takeout_prefix(&bytes[..end])
    } else {
        0
    };
    if !unescape && takeout == 0 && memchr(b'\r', bytes).is_none() {
        let mut hasher = Sha256::new();
        hasher.update(&bytes[..end]);
        let key = MessageKey(hasher.clone().finalize().into());
        hasher.update(&bytes[end..]);
        return Identity {
            key,
            content_id: ContentId(hasher.finalize().into()),
        };
    }
    let content_id = ContentId::of(bytes);
    let text = &bytes[takeout..end];
    // After `to_crlf` every LF of an LF-stored message follows a CR; a CRLF
    // message keeps its bare LFs.
    let lf_form = repair::is_lf_only(bytes)
        || memchr_iter(b'\n', text).all(|lf| lf > 0 && text[lf - 1] == b'\r');
    let mut hasher = if lf_form {
        BlockHasher::new(KeyHash::LfForm(Sha256::new()))
    } else {
        BlockHasher::new(KeyHash::AsIs(Box::default()))
    };
    let mut start = 0;
    for lf in memchr_iter(b'\n', text) {
        let mut line = &text[start..lf];
        if lf_form {
            line = line.strip_suffix(b"\r").unwrap_or(line);
        }
        hasher.line(line, unescape);
        hasher.push(b"\n");
        start = lf + 1;
    }
    hasher.line(&text[start..], unescape);
    Identity {
        key: hasher.finish(),
        content_id,
    }
}

/// Fields Google Takeout writes at the top of each message of its mbox
/// export, before the message's own header: the label list differs between
/// the copies of one message exported under different labels.
const TAKEOUT_FIELDS: [&[u8]; 2] = [b"x-gm-thrid:", b"x-gmail-labels:"];

/// The length of the Takeout fields (with their folded lines) at the very
/// top of `bytes`; 0 when the message does not start with them.
fn takeout_prefix(bytes: &[u8]) -> usize {
    let mut at = 0;
    loop {
        let rest = &bytes[at..];
        let is_takeout_field = TAKEOUT_FIELDS
            .iter()
            .any(|name| rest.len() >= name.len() && rest[..name.len()].eq_ignore_ascii_case(name));
        if !is_takeout_field {
            return at;
        }
        // The field ends at the first line break not followed by folding
        // whitespace.
        let mut end = at;
        loop {
            let Some(lf) = memchr(b'\n', &bytes[end..]) else {
                // Only Takeout fields and no header after them: nothing to skip.
                return 0;
            };
            end += lf + 1;
            if !matches!(bytes.get(end), Some(b' ' | b'\t')) {
                break;
            }
        }
        at = end;
    }
}

enum KeyHash {
    LfForm(Sha256),
    /// Boxed: a BLAKE3 state is 2 KiB, and this kind of key is rare.
    AsIs(Box<blake3::Hasher>),
}

/// Feeds normalised lines to the hash through a 64 KiB block: BLAKE3 is fast
/// only when given large inputs (it hashes 1 KiB chunks in parallel lanes),
/// and feeding it line by line cost more than the verification.
struct BlockHasher {
    hash: KeyHash,
    block: Vec<u8>,
}

impl BlockHasher {
    const BLOCK: usize = 64 << 10;

    fn new(hash: KeyHash) -> Self {
        BlockHasher {
            hash,
            block: Vec::new(),
        }
    }

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
            self.flush();
        }
    }

    fn flush(&mut self) {
        match &mut self.hash {
            KeyHash::LfForm(hasher) => hasher.update(&self.block),
            KeyHash::AsIs(hasher) => {
                hasher.update(&self.block);
            }
        }
        self.block.clear();
    }

    fn finish(mut self) -> MessageKey {
        self.flush();
        MessageKey(match self.hash {
            KeyHash::LfForm(hasher) => hasher.finalize().into(),
            KeyHash::AsIs(hasher) => *hasher.finalize().as_bytes(),
        })
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
    fn takeout_labels_above_the_header_do_not_split_a_message() {
        let message = b"From: a@example.fr\r\nSubject: s\r\n\r\nbody\r\n";
        let labelled = |labels: &str| {
            let mut bytes =
                format!("X-GM-THRID: 1571234567890123456\r\nX-Gmail-Labels: {labels}\r\n")
                    .into_bytes();
            bytes.extend_from_slice(message);
            item(&bytes, ItemKind::MboxMessage)
        };
        let inbox = labelled("Inbox,Important");
        let folded = labelled("Ouvert,\r\n \"Dossier, Lyon\"");
        assert_eq!(message_key(&inbox), message_key(&folded));
        // The same message without any Takeout field, from another export.
        assert_eq!(
            message_key(&inbox),
            message_key(&item(message, ItemKind::MboxMessage))
        );
        // Content ids still tell the copies apart.
        assert_ne!(inbox.content_id(), folded.content_id());
        // Only at the very top, and only in mbox items: a loose .eml that
        // carries the field keeps it in its key.
        let eml = labelled("Inbox");
        let eml = item(&eml.bytes, ItemKind::Message);
        assert_ne!(message_key(&eml), message_key(&inbox));
        let below = item(
            b"From: a@example.fr\r\nX-Gmail-Labels: Inbox\r\nSubject: s\r\n\r\nbody\r\n",
            ItemKind::MboxMessage,
        );
        assert_ne!(message_key(&below), message_key(&inbox));
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
    fn a_bare_lf_in_a_crlf_message_is_content_not_a_line_end() {
        let crlf_with_bare_lf = item(b"Subject: a\r\n\r\nx\ny\r\n", ItemKind::Message);
        let lf = item(b"Subject: a\n\nx\ny\n", ItemKind::Message);
        let crlf = item(b"Subject: a\r\n\r\nx\r\ny\r\n", ItemKind::Message);
        assert_ne!(message_key(&crlf_with_bare_lf), message_key(&lf));
        assert_eq!(message_key(&crlf), message_key(&lf));
    }

    #[test]
    fn crs_kept_by_the_lf_to_crlf_repair_count() {
        // An LF message whose one CRLF line `to_crlf` keeps as it is.
        let mixed = item(b"Subject: a\n\nx\r\ny\n", ItemKind::Message);
        let crlf = item(b"Subject: a\r\n\r\nx\r\ny\r\n", ItemKind::Message);
        let extra_cr = item(b"Subject: a\n\nx\r\r\ny\n", ItemKind::Message);
        assert_eq!(message_key(&mixed), message_key(&crlf));
        assert_ne!(message_key(&extra_cr), message_key(&crlf));
    }

    #[test]
    fn content_id_is_the_sha256_of_the_stored_bytes() {
        for (bytes, kind) in [
            (&b"Subject: a\n\nbody\n\n"[..], ItemKind::MboxMessage),
            (b"Subject: a\r\n\r\nbody\r\n", ItemKind::Message),
            (b"Subject: a\n\n>From x\n", ItemKind::MboxMessage),
        ] {
            let it = item(bytes, kind);
            assert_eq!(identify(&it).content_id, it.content_id());
        }
    }

    #[test]
    fn trailing_line_breaks_do_not_matter() {
        let a = item(b"Subject: a\n\nbody\n", ItemKind::MboxMessage);
        let b = item(b"Subject: a\n\nbody\n\n\n", ItemKind::Message);
        let c = item(b"Subject: a\r\n\r\nbody", ItemKind::Message);
        assert_eq!(message_key(&a), message_key(&b));
        assert_eq!(message_key(&a), message_key(&c));
    }

    /// The definition, spelled out: the repaired copy, trimmed.
    fn normalised(it: &Item) -> Vec<u8> {
        let crlf = repair::to_crlf(&it.bytes).into_owned();
        let mut out = if it.kind == ItemKind::MboxMessage {
            repair::unescape_mbox_from(&crlf).0
        } else {
            crlf
        };
        while out.last().is_some_and(|b| matches!(b, b'\r' | b'\n')) {
            out.pop();
        }
        out
    }

    #[test]
    fn keys_are_equal_exactly_when_the_repaired_messages_are() {
        let mut items = Vec::new();
        for bytes in [
            &b"A: 1\n\nx\n"[..],
            b"A: 1\r\n\r\nx\r\n",
            b"A: 1\r\n\r\nx",
            b"A: 1\n\nx\r\n",
            b"A: 1\r\n\r\nx\n",
            b"A: 1\r\n\r\nx\ny\r\n",
            b"A: 1\n\nx\ny\n",
            b"A: 1\n\nx\r\ny\n",
            b"A: 1\n\nx\r\r\ny\n",
            b"A: 1\r\n\r\nx\r\r\ny\r\n",
            b"A: 1\r\n\r\nx\r\ny\r\n",
            b"A: 1\n\n>From y\n",
            b"A: 1\n\nFrom y\n",
            b"A: 1\r\n\r\nFrom y\r\n",
            b"A: 1\r\n\r\n>From y\r\n",
            b">From y\n",
            b"From y\n",
            b"A: 1\n\n>>From y\n",
            b"A: 1\n\n>From y\r",
            b"A: 1\rx\n",
            b"\n\n",
            b"",
        ] {
            items.push(item(bytes, ItemKind::Message));
            items.push(item(bytes, ItemKind::MboxMessage));
        }
        for a in &items {
            for b in &items {
                assert_eq!(
                    message_key(a) == message_key(b),
                    normalised(a) == normalised(b),
                    "{:?} {:?} / {:?} {:?}",
                    String::from_utf8_lossy(&a.bytes),
                    a.kind,
                    String::from_utf8_lossy(&b.bytes),
                    b.kind
                );
            }
        }
    }

    #[test]
    fn one_changed_byte_keeps_messages_apart() {
        let a = item(b"Subject: a\r\n\r\n100 euros\r\n", ItemKind::Message);
        let b = item(b"Subject: a\r\n\r\n900 euros\r\n", ItemKind::Message);
        assert_ne!(message_key(&a), message_key(&b));
    }
}
