//! How much of one message `extract` reads. Every bound that is reached
//! becomes a sentence in `MessageContent::problems`: a reader must know that
//! what they see is not all there is.

/// Most attachments (inline images and embedded messages included) taken
/// from one message. Real mail carries a handful, mailing-list digests a few
/// hundred; past a thousand the message is built to exhaust whoever reads it.
pub const MAX_ATTACHMENTS: usize = 1_000;

/// Most decoded bytes (bodies and attachments added up) taken from one
/// message. Equal to the sources' largest item, so any message a source
/// hands over fits unless its charset conversion inflates it (one Latin-1
/// byte can become three UTF-8 bytes).
pub const MAX_DECODED_BYTES: usize = 256 * 1024 * 1024;

/// Deepest multipart nesting read. mail-parser walks nesting with a heap
/// stack of its own (and stops decoding encoded nested messages after three
/// levels), so this is not about stack depth: real mail nests four or five
/// levels, and parts buried deeper exist only to hide from whoever reads.
pub const MAX_MIME_DEPTH: usize = 64;

/// Most header fields listed in `headers`. A few dozen are usual, a long
/// relay path a few hundred.
pub const MAX_HEADER_LINES: usize = 1_000;

/// Longest hostile text (a file name, a charset, a date) quoted inside a
/// problem sentence, in characters.
pub(crate) const MAX_QUOTED_CHARS: usize = 120;

/// What is left of the decoded-bytes limit ([`MAX_DECODED_BYTES`] but in
/// tests) while one message is read.
pub(crate) struct DecodedBudget {
    limit: usize,
    left: usize,
}

impl DecodedBudget {
    pub(crate) fn new(limit: usize) -> Self {
        DecodedBudget { limit, left: limit }
    }

    /// The limit in words, for a problem sentence.
    pub(crate) fn limit_in_words(&self) -> String {
        const MIB: usize = 1024 * 1024;
        if self.limit >= MIB && self.limit.is_multiple_of(MIB) {
            format!("{} MiB", self.limit / MIB)
        } else {
            format!("{} bytes", self.limit)
        }
    }

    pub(crate) fn left(&self) -> usize {
        self.left
    }

    /// Spends `len` bytes if they fit, and says whether they did.
    pub(crate) fn spend(&mut self, len: usize) -> bool {
        if len <= self.left {
            self.left -= len;
            true
        } else {
            false
        }
    }
}

/// Hostile text made safe to put in a sentence: quoted with control and
/// bidirectional characters escaped, and cut to [`MAX_QUOTED_CHARS`].
pub(crate) fn quoted(text: &str) -> String {
    let mut cut: String = text.chars().take(MAX_QUOTED_CHARS).collect();
    if cut.len() < text.len() {
        cut.push('…');
    }
    // Debug formatting escapes quotes, controls and the invisible formatting
    // characters (U+202E and friends) that disguise file names.
    format!("{cut:?}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn budget_refuses_what_does_not_fit_and_keeps_the_rest() {
        let mut budget = DecodedBudget::new(10);
        assert!(budget.spend(4));
        assert!(!budget.spend(7));
        assert_eq!(budget.left(), 6);
        assert!(budget.spend(6));
        assert_eq!(budget.left(), 0);
        assert_eq!(budget.limit_in_words(), "10 bytes");
        assert_eq!(
            DecodedBudget::new(MAX_DECODED_BYTES).limit_in_words(),
            "256 MiB"
        );
    }

    #[test]
    fn quoting_escapes_disguises_and_cuts_long_names() {
        assert_eq!(
            quoted("invoice\u{202e}fdp.exe"),
            "\"invoice\\u{202e}fdp.exe\""
        );
        let long = "a".repeat(500);
        let shown = quoted(&long);
        assert_eq!(
            shown.chars().filter(|c| *c == 'a').count(),
            MAX_QUOTED_CHARS
        );
        assert!(shown.ends_with("…\""));
    }
}
