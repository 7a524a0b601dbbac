//! How the report presents each verdict: its colour, and which verdicts
//! get their messages listed with the evidence.

use tamis_findings::Verdict;

/// Verdicts whose messages the report lists one by one, in the order the
/// sections appear: provable alterations first (the strongest news), then
/// signatures that prove less than they seem to, then those that prove
/// nothing although a signature is there. The verdicts left out (verified,
/// key-missing, unsigned, rebuilt) are only counted: there is nothing in
/// one such message's evidence for an editor to weigh.
pub const FLAGGED_VERDICTS: [Verdict; 6] = [
    Verdict::BodyAltered,
    Verdict::HeadersAltered,
    Verdict::VerifiedPartial,
    Verdict::Weak,
    Verdict::KeyRevoked,
    Verdict::InvalidSignature,
];

/// The verdict a word from the case names, if it is one of ours.
pub fn parse(word: &str) -> Option<Verdict> {
    Verdict::ALL.into_iter().find(|v| v.as_str() == word)
}

/// Fill and text colour of a verdict's badge and chart bars. Chosen to
/// survive black-and-white printing as distinct greys too: proven (dark
/// green), partly proven (light), altered (dark red/orange), unproven (greys).
pub struct Colours {
    pub fill: &'static str,
    pub ink: &'static str,
}

pub fn colours(verdict: Option<Verdict>) -> Colours {
    let (fill, ink) = match verdict {
        Some(Verdict::Verified) => ("#1b5e20", "#ffffff"),
        Some(Verdict::VerifiedPartial) => ("#7cb342", "#10240a"),
        Some(Verdict::Weak) => ("#f2b807", "#2b2100"),
        Some(Verdict::BodyAltered) => ("#b71c1c", "#ffffff"),
        Some(Verdict::HeadersAltered) => ("#e65100", "#ffffff"),
        Some(Verdict::KeyRevoked) => ("#6a1b9a", "#ffffff"),
        Some(Verdict::KeyMissing) => ("#607d8b", "#ffffff"),
        Some(Verdict::InvalidSignature) => ("#795548", "#ffffff"),
        Some(Verdict::Unsigned) => ("#c7c7c7", "#1a1a1a"),
        Some(Verdict::Rebuilt) => ("#3949ab", "#ffffff"),
        None => ("#424242", "#ffffff"),
    };
    Colours { fill, ink }
}

/// A CSS class name for a verdict word: only our own vocabulary reaches a
/// class attribute, whatever the case's database holds.
pub fn css_class(verdict: Option<Verdict>) -> &'static str {
    match verdict {
        Some(v) => v.as_str(),
        None => "unknown",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_verdict_word_parses_back() {
        for verdict in Verdict::ALL {
            assert_eq!(parse(verdict.as_str()), Some(verdict));
        }
        assert_eq!(parse("<script>"), None);
    }

    #[test]
    fn every_verdict_has_its_own_colour() {
        let mut fills: Vec<_> = Verdict::ALL
            .iter()
            .map(|v| colours(Some(*v)).fill)
            .collect();
        fills.sort_unstable();
        fills.dedup();
        assert_eq!(fills.len(), Verdict::ALL.len());
    }
}
