//! The committed list of interchangeable wordings the `wording` carrier
//! chooses between. Variant A is bit 0, variant B bit 1.
//!
//! A pair is written in lower case; a match whose first letter is upper
//! case (a sentence start) is replaced by the other variant capitalised.
//! Spaces inside a variant match any run of whitespace (a phrase wrapped
//! over two lines of a text file is still found), and `'` matches the
//! typographic apostrophe too.
//!
//! Only pairs a reader would not notice are listed, and only where both
//! wordings mean the same in every context the phrase appears in. When
//! only one direction is safe ("afin de" can always become "pour", but
//! "pour" is not always "afin de") the pair is one-way: only occurrences
//! of A in the template become choice points, and the natural B's are
//! left alone.
//!
//! A phrase must appear in one pair only. The A string is the pair's
//! identity in a [`super::WatermarkKey`]'s contexts: never change an A
//! string of a released list, add pairs instead.
//!
//! Two families are not literal pairs and are handled by the tokenizer
//! (`text.rs`): numbers of four digits or more written with a thousands
//! separator (`1 000`, `1,000`; A) or without (`1000`; B), one-way since a
//! year must never become `2 017`; and the apostrophe between two letters,
//! straight `'` (A) or typographic `’` (B).

pub(crate) struct Pair {
    pub a: &'static str,
    pub b: &'static str,
    /// Occurrences of B in a template are choice points too.
    pub both_ways: bool,
    /// Only matched with an upper-case first letter (sentence starts:
    /// "However," ↔ "But").
    pub capital_only: bool,
}

const fn two(a: &'static str, b: &'static str) -> Pair {
    Pair {
        a,
        b,
        both_ways: true,
        capital_only: false,
    }
}

const fn one(a: &'static str, b: &'static str) -> Pair {
    Pair {
        a,
        b,
        both_ways: false,
        capital_only: false,
    }
}

pub(crate) const PAIRS: &[Pair] = &[
    // French.
    one("afin de", "pour"),
    one("afin que", "pour que"),
    two("en outre", "de plus"),
    two("cependant", "toutefois"),
    two("néanmoins", "pourtant"),
    two("commence", "débute"),
    two("commencent", "débutent"),
    two("commencer", "débuter"),
    two("commencé", "débuté"),
    two("notamment", "en particulier"),
    two("environ", "à peu près"),
    two("dès que possible", "au plus vite"),
    one("également", "aussi"),
    one("lors de", "pendant"),
    two("week-end", "weekend"),
    two("e-mail", "email"),
    two("e-mails", "emails"),
    // English.
    Pair {
        a: "however,",
        b: "but",
        both_ways: true,
        capital_only: true,
    },
    one("in order to", "to"),
    two("furthermore", "moreover"),
    one("approximately", "about"),
    two("regarding", "concerning"),
    two("begins", "starts"),
    one("begin", "start"),
    two("began", "started"),
    two("finalised", "finalized"),
    two("organised", "organized"),
    two("recognised", "recognized"),
    two("prioritised", "prioritized"),
    two("realised", "realized"),
    two("towards", "toward"),
    two("amongst", "among"),
    one("whilst", "while"),
    two("per cent", "percent"),
];

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn each_phrase_is_in_one_pair() {
        let mut seen = HashSet::new();
        for p in PAIRS {
            assert!(seen.insert(p.a), "{} twice", p.a);
            assert!(seen.insert(p.b), "{} twice", p.b);
            assert_eq!(p.a, p.a.to_lowercase());
            assert_eq!(p.b, p.b.to_lowercase());
        }
    }
}
