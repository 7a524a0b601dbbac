//! Word-level differences between a registered original and an altered
//! copy, for a reader (the UI shows them side by side, changed spans
//! highlighted).
//!
//! Texts are cut into tokens: runs of letters and digits (words) and the
//! runs between them (spaces, punctuation). Tokens are compared as written
//! (a changed case or accent is a change), except that format characters
//! (zero-width watermarks, soft hyphens: [`fingerprint::is_format`]) are
//! ignored and any run of whitespace equals any other, so re-wrapping or a
//! whitespace watermark does not light up the whole text.
//!
//! The algorithm is patience diff (the `similar` crate: words unique to
//! both texts anchor the alignment, Myers' algorithm fills between them),
//! on tokens, which keeps a moved or rewritten sentence in one piece where
//! plain Myers interleaves its words. It has a deadline of [`DEADLINE`]:
//! past it `similar` gives a correct but coarser (not minimal) diff. At most [`MAX_DIFF_WORDS`] words of each text are
//! compared; [`WordDiff::truncated`] says when the rest was left out.

use crate::fingerprint;
use serde::{Deserialize, Serialize};
use similar::{capture_diff_slices_deadline, Algorithm, DiffTag};
use std::time::{Duration, Instant};

/// Words of each text compared at most (the first ones).
pub const MAX_DIFF_WORDS: usize = 200_000;
/// Time given to find a minimal diff.
pub const DEADLINE: Duration = Duration::from_secs(2);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Op {
    /// In both texts.
    Same,
    /// In the original only.
    Removed,
    /// In the altered copy only.
    Added,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    pub op: Op,
    /// As written: the original's text for `Same` and `Removed`, the
    /// copy's for `Added` (format characters removed). The `Same` and
    /// `Removed` spans in order give back the original, the `Same` and
    /// `Added` spans the copy, up to whitespace.
    pub text: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WordDiff {
    pub spans: Vec<Span>,
    /// Words of the original not in the copy, and of the copy not in the
    /// original.
    pub removed_words: usize,
    pub added_words: usize,
    /// A text had more than [`MAX_DIFF_WORDS`] words: only the first ones
    /// were compared, and the spans stop there.
    pub truncated: bool,
}

impl WordDiff {
    /// No word differs (whitespace and punctuation may).
    pub fn words_equal(&self) -> bool {
        self.removed_words == 0 && self.added_words == 0
    }
}

/// The word-level diff from `original` to `altered`.
pub fn words(original: &str, altered: &str) -> WordDiff {
    let (old, old_cut) = tokenize(original);
    let (new, new_cut) = tokenize(altered);
    let old_keys: Vec<&str> = old.iter().map(|t| t.key.as_str()).collect();
    let new_keys: Vec<&str> = new.iter().map(|t| t.key.as_str()).collect();
    let ops = capture_diff_slices_deadline(
        Algorithm::Patience,
        &old_keys,
        &new_keys,
        Some(Instant::now() + DEADLINE),
    );
    let mut diff = WordDiff {
        truncated: old_cut || new_cut,
        ..WordDiff::default()
    };
    for op in ops {
        let (tag, old_range, new_range) = op.as_tag_tuple();
        match tag {
            DiffTag::Equal => push(&mut diff.spans, Op::Same, &old[old_range]),
            DiffTag::Delete => {
                diff.removed_words += count_words(&old[old_range.clone()]);
                push(&mut diff.spans, Op::Removed, &old[old_range]);
            }
            DiffTag::Insert => {
                diff.added_words += count_words(&new[new_range.clone()]);
                push(&mut diff.spans, Op::Added, &new[new_range]);
            }
            DiffTag::Replace => {
                diff.removed_words += count_words(&old[old_range.clone()]);
                diff.added_words += count_words(&new[new_range.clone()]);
                push(&mut diff.spans, Op::Removed, &old[old_range]);
                push(&mut diff.spans, Op::Added, &new[new_range]);
            }
        }
    }
    diff
}

struct Token<'a> {
    text: &'a str,
    /// What is compared: the text without format characters, any
    /// whitespace run as one space.
    key: String,
    word: bool,
}

fn count_words(tokens: &[Token<'_>]) -> usize {
    tokens.iter().filter(|t| t.word).count()
}

fn push(spans: &mut Vec<Span>, op: Op, tokens: &[Token<'_>]) {
    if tokens.is_empty() {
        return;
    }
    let text: String = tokens
        .iter()
        .flat_map(|t| t.text.chars())
        .filter(|&c| !fingerprint::is_format(c))
        .collect();
    if text.is_empty() {
        return;
    }
    match spans.last_mut() {
        Some(last) if last.op == op => last.text.push_str(&text),
        _ => spans.push(Span { op, text }),
    }
}

fn is_word_char(c: char) -> bool {
    // Format characters stay inside the word they interrupt.
    c.is_alphanumeric()
        || fingerprint::is_format(c)
        || unicode_normalization::char::is_combining_mark(c)
}

/// Tokens of `text`, at most [`MAX_DIFF_WORDS`] words; true when cut.
fn tokenize(text: &str) -> (Vec<Token<'_>>, bool) {
    let mut tokens = Vec::new();
    let mut words = 0usize;
    let mut start = 0usize;
    let mut current: Option<bool> = None;
    for (at, c) in text.char_indices() {
        let word = is_word_char(c);
        match current {
            Some(kind) if kind == word => {}
            Some(kind) => {
                tokens.push(token(&text[start..at], kind));
                if kind {
                    words += 1;
                    if words == MAX_DIFF_WORDS {
                        return (tokens, true);
                    }
                }
                start = at;
                current = Some(word);
            }
            None => current = Some(word),
        }
    }
    if let Some(kind) = current {
        tokens.push(token(&text[start..], kind));
    }
    (tokens, false)
}

fn token(text: &str, word: bool) -> Token<'_> {
    let mut key = String::with_capacity(text.len());
    let mut in_space = false;
    for c in text.chars().filter(|&c| !fingerprint::is_format(c)) {
        if c.is_whitespace() {
            if !in_space {
                key.push(' ');
            }
            in_space = true;
        } else {
            key.push(c);
            in_space = false;
        }
    }
    Token { text, key, word }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(diff: &WordDiff) -> String {
        diff.spans
            .iter()
            .map(|s| match s.op {
                Op::Same => s.text.clone(),
                Op::Removed => format!("[-{}-]", s.text),
                Op::Added => format!("{{+{}+}}", s.text),
            })
            .collect()
    }

    #[test]
    fn a_changed_figure_and_word() {
        let d = words(
            "Le budget est arrêté à 412 000 euros pour Lyon.",
            "Le budget est arrêté à 812 000 euros pour Marseille.",
        );
        assert_eq!(
            show(&d),
            "Le budget est arrêté à [-412-]{+812+} 000 euros pour [-Lyon-]{+Marseille+}."
        );
        assert_eq!((d.removed_words, d.added_words), (2, 2));
        assert!(!d.truncated);
    }

    #[test]
    fn a_sentence_added_and_one_cut() {
        let d = words(
            "Première phrase. Deuxième phrase. Troisième phrase.",
            "Première phrase. Troisième phrase. Une phrase ajoutée.",
        );
        assert_eq!(
            show(&d),
            "Première phrase. [-Deuxième phrase. -]Troisième phrase{+. Une phrase ajoutée+}."
        );
        assert_eq!((d.removed_words, d.added_words), (2, 3));
    }

    #[test]
    fn watermarks_and_rewrapping_are_not_changes() {
        let d = words(
            "Le comité valide\nle déplacement.",
            "Le co\u{200B}mité  valide le\u{FEFF} déplacement.",
        );
        assert!(d.words_equal(), "{}", show(&d));
        assert_eq!(d.spans.len(), 1);
        assert_eq!(d.spans[0].text, "Le comité valide\nle déplacement.");
        // A case change is a change.
        let d = words("Paris", "paris");
        assert_eq!(show(&d), "[-Paris-]{+paris+}");
    }

    #[test]
    fn empty_sides() {
        assert_eq!(words("", "").spans, vec![]);
        assert_eq!(show(&words("", "ajout")), "{+ajout+}");
        assert_eq!(show(&words("retrait", "")), "[-retrait-]");
    }

    #[test]
    fn serialized_ops_are_lowercase() {
        let d = words("a b", "a c");
        let json = serde_json::to_value(&d.spans).unwrap();
        assert_eq!(json[0]["op"], "same");
        assert_eq!(json[1]["op"], "removed");
        assert_eq!(json[2]["op"], "added");
    }

    #[test]
    fn huge_texts_are_bounded() {
        let big = "mot ".repeat(MAX_DIFF_WORDS + 5_000);
        let other = format!("début {big}");
        let started = Instant::now();
        let d = words(&big, &other);
        assert!(d.truncated);
        assert_eq!(d.added_words, 1);
        assert!(started.elapsed() < Duration::from_secs(20));
        // Entirely different large texts: the deadline bounds the time.
        let a: String = (0..50_000).map(|i| format!("a{i} ")).collect();
        let b: String = (0..50_000).map(|i| format!("b{i} ")).collect();
        let started = Instant::now();
        let d = words(&a, &b);
        assert_eq!((d.removed_words, d.added_words), (50_000, 50_000));
        assert!(started.elapsed() < Duration::from_secs(20));
    }
}
