//! The text every format is reduced to, and where the text carriers can
//! write in it.
//!
//! A format reader gives a [`TextDoc`]: the pieces of text the format
//! stores separately (a docx `w:t`, a shared string, a PDF string operand,
//! a mail body) as [`Segment`]s, each with what may be written in it, and
//! the separator a reader sees after it (a paragraph break or nothing).
//! The carriers read the *joined* text, without the invisible characters
//! (the [`View`]), so that finding the choice points does not depend on
//! how a format or an editor split the text into pieces; an edit is only
//! planned where its span lies inside one segment.
//!
//! Choice points are identified by their *context*: a hash of the three
//! tokens before and the three after, in a token stream where every
//! wording choice is one token whatever variant it shows. A leaked copy
//! that lost half its pages still finds the choice points that remain.

use super::wording::PAIRS;
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::Arc;

pub(crate) const ZW0: char = '\u{200B}';
pub(crate) const ZW1: char = '\u{200C}';
pub(crate) const ZW_START: char = '\u{2060}';

/// Characters a reader does not see, dropped from the [`View`].
pub(crate) fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}'
    )
}

/// What may be written in a segment.
#[derive(Clone)]
pub(crate) enum Rule {
    /// Any character, anywhere.
    Any,
    /// Only characters this accepts (a mail body in a legacy charset).
    Chars(fn(char) -> bool),
    /// A PDF string: only between glyphs (byte offsets of the decoded
    /// text), and only characters the font has a code for.
    Glyphs {
        boundaries: HashSet<usize>,
        chars: Arc<HashSet<char>>,
    },
}

pub(crate) struct Segment {
    pub text: String,
    pub rule: Rule,
    /// What a reader sees after this segment: "" or "\n".
    pub sep: &'static str,
}

impl Segment {
    pub fn new(text: String, rule: Rule, sep: &'static str) -> Self {
        Segment { text, rule, sep }
    }

    /// Whether `range` (byte offsets in `text`) may become `ins`.
    pub fn can(&self, range: &Range<usize>, ins: &str) -> bool {
        match &self.rule {
            Rule::Any => true,
            Rule::Chars(accepts) => ins.chars().all(accepts),
            Rule::Glyphs { boundaries, chars } => {
                boundaries.contains(&range.start)
                    && boundaries.contains(&range.end)
                    && ins.chars().all(|c| chars.contains(&c))
            }
        }
    }
}

pub(crate) struct TextDoc {
    pub segments: Vec<Segment>,
    /// A sentence at a line end is a whitespace choice point (a trailing
    /// space or none): plain text and mail bodies, not paragraphs of a
    /// document, whose ends are not characters.
    pub line_slots: bool,
}

/// One change to one segment: `range` (bytes of the segment's text)
/// becomes `ins`.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Edit {
    pub seg: usize,
    pub range: Range<usize>,
    pub ins: String,
}

/// Applies edits (any order; not overlapping) to the segments' texts: the
/// new text of every segment that has edits, by segment index.
pub(crate) fn apply(doc: &TextDoc, edits: &[Edit]) -> HashMap<usize, String> {
    let mut by_seg: HashMap<usize, Vec<&Edit>> = HashMap::new();
    for e in edits {
        by_seg.entry(e.seg).or_default().push(e);
    }
    let mut out = HashMap::new();
    for (seg, mut list) in by_seg {
        list.sort_by_key(|e| (e.range.start, e.range.end));
        let old = &doc.segments[seg].text;
        let mut new = String::with_capacity(old.len() + 64);
        let mut at = 0;
        for e in list {
            if e.range.start < at {
                continue; // overlapping: the planner never makes these
            }
            new.push_str(&old[at..e.range.start]);
            new.push_str(&e.ins);
            at = e.range.end;
        }
        new.push_str(&old[at..]);
        out.insert(seg, new);
    }
    out
}

/// The joined text without invisible characters, and the way back to the
/// segments.
pub(crate) struct View {
    pub clean: String,
    /// For each byte of `clean`, its byte offset in the joined text.
    map: Vec<usize>,
    /// Where each segment starts in the joined text.
    starts: Vec<usize>,
    lens: Vec<usize>,
}

impl View {
    pub fn new(doc: &TextDoc) -> View {
        let mut clean = String::new();
        let mut map = Vec::new();
        let mut starts = Vec::new();
        let mut lens = Vec::new();
        let mut joined = 0usize;
        for seg in &doc.segments {
            starts.push(joined);
            lens.push(seg.text.len());
            for piece in [seg.text.as_str(), seg.sep] {
                for (i, c) in piece.char_indices() {
                    if is_invisible(c) {
                        continue;
                    }
                    clean.push(c);
                    for k in 0..c.len_utf8() {
                        map.push(joined + i + k);
                    }
                }
                joined += piece.len();
            }
        }
        View {
            clean,
            map,
            starts,
            lens,
        }
    }

    /// The segment and its byte range holding `range` of the clean text;
    /// `None` when the span crosses segments. An empty range is placed
    /// after the character before it.
    pub fn locate(&self, range: &Range<usize>) -> Option<(usize, Range<usize>)> {
        let (start, end) = if range.is_empty() {
            let at = if range.start == 0 {
                0
            } else {
                *self.map.get(range.start - 1)? + 1
            };
            (at, at)
        } else {
            (
                *self.map.get(range.start)?,
                *self.map.get(range.end - 1)? + 1,
            )
        };
        let seg = self
            .starts
            .partition_point(|&s| s <= start)
            .checked_sub(1)?;
        let local = start - self.starts[seg]..end - self.starts[seg];
        (local.end <= self.lens[seg]).then_some((seg, local))
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum TokKind {
    Word,
    /// A wording pair's phrase (`PAIRS[pair]`), showing variant 0 or 1.
    Phrase {
        pair: usize,
        variant: u8,
    },
    /// Digits, `grouped` when written with thousands separators.
    Number {
        grouped: bool,
    },
    /// An apostrophe between two letters, `curly` when typographic.
    Apos {
        curly: bool,
    },
}

#[derive(Clone, Debug)]
pub(crate) struct Tok {
    pub range: Range<usize>,
    pub kind: TokKind,
    /// What the token is for a context: the same whatever variant it shows.
    pub key: String,
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n' | '\u{a0}' | '\u{202f}')
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '\u{2019}'
}

/// Matches `variant` at `chars[i..]`; the index after the match.
fn match_phrase(
    chars: &[(usize, char)],
    i: usize,
    variant: &str,
    capital_only: bool,
) -> Option<usize> {
    let mut j = i;
    let mut first = true;
    for w in variant.chars() {
        if w == ' ' {
            let from = j;
            while j < chars.len() && is_space(chars[j].1) {
                j += 1;
            }
            if j == from {
                return None;
            }
            continue;
        }
        let &(_, c) = chars.get(j)?;
        let ok = if first {
            if capital_only && !c.is_uppercase() {
                return None;
            }
            c.to_lowercase().eq(w.to_lowercase())
        } else if is_apostrophe(w) {
            is_apostrophe(c)
        } else {
            c == w
        };
        if !ok {
            return None;
        }
        first = false;
        j += 1;
    }
    // Ends at a word boundary.
    if chars.get(j).is_some_and(|&(_, c)| c.is_alphanumeric()) {
        return None;
    }
    Some(j)
}

/// Digits at `chars[i..]`, with thousands separators if written so: the
/// index after, whether grouped, and the digits.
fn match_number(chars: &[(usize, char)], i: usize) -> (usize, bool, String) {
    let mut j = i;
    let mut digits = String::new();
    while j < chars.len() && chars[j].1.is_ascii_digit() {
        digits.push(chars[j].1);
        j += 1;
    }
    let mut grouped = false;
    if digits.len() <= 3 {
        while let Some(&(_, sep)) = chars.get(j) {
            if !matches!(sep, ' ' | '\u{a0}' | '\u{202f}' | ',') {
                break;
            }
            let group: Option<String> = (1..=3)
                .map(|k| {
                    chars
                        .get(j + k)
                        .map(|&(_, c)| c)
                        .filter(char::is_ascii_digit)
                })
                .collect();
            let after = chars.get(j + 4).map(|&(_, c)| c);
            match group {
                Some(g) if !after.is_some_and(|c| c.is_ascii_digit()) => {
                    digits.push_str(&g);
                    grouped = true;
                    j += 4;
                }
                _ => break,
            }
        }
    }
    (j, grouped, digits)
}

/// The tokens of `text` (a [`View`]'s clean text).
pub(crate) fn tokenize(text: &str) -> Vec<Tok> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let byte = |i: usize| chars.get(i).map_or(text.len(), |&(b, _)| b);
    let mut toks = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i].1;
        if is_apostrophe(c)
            && i > 0
            && chars[i - 1].1.is_alphabetic()
            && chars.get(i + 1).is_some_and(|&(_, n)| n.is_alphabetic())
        {
            toks.push(Tok {
                range: byte(i)..byte(i + 1),
                kind: TokKind::Apos { curly: c != '\'' },
                key: "#'".into(),
            });
            i += 1;
            continue;
        }
        if !c.is_alphanumeric() {
            i += 1;
            continue;
        }
        let word_start = i == 0 || !chars[i - 1].1.is_alphanumeric();
        if word_start && c.is_ascii_digit() {
            let (end, grouped, digits) = match_number(&chars, i);
            if !chars.get(end).is_some_and(|&(_, n)| n.is_alphabetic()) {
                toks.push(Tok {
                    range: byte(i)..byte(end),
                    kind: TokKind::Number { grouped },
                    key: digits,
                });
                i = end;
                continue;
            }
        }
        if word_start {
            let mut best: Option<(usize, usize, u8)> = None;
            for (p, pair) in PAIRS.iter().enumerate() {
                for (v, text) in [(0u8, pair.a), (1, pair.b)] {
                    if let Some(end) = match_phrase(&chars, i, text, pair.capital_only) {
                        if best.is_none_or(|(e, _, _)| end > e) {
                            best = Some((end, p, v));
                        }
                    }
                }
            }
            if let Some((end, pair, variant)) = best {
                toks.push(Tok {
                    range: byte(i)..byte(end),
                    kind: TokKind::Phrase { pair, variant },
                    key: format!("#p:{}", PAIRS[pair].a),
                });
                i = end;
                continue;
            }
        }
        let start = i;
        while i < chars.len() && chars[i].1.is_alphanumeric() {
            i += 1;
        }
        toks.push(Tok {
            range: byte(start)..byte(i),
            kind: TokKind::Word,
            key: text[byte(start)..byte(i)].to_lowercase(),
        });
    }
    toks
}

/// The context of a choice point: `kind`, and the keys of up to three
/// tokens before `before_end` (exclusive) and three from `after_start`.
fn context(kind: &str, toks: &[Tok], before_end: usize, after_start: usize) -> String {
    let mut h = Sha256::new();
    h.update(kind.as_bytes());
    for t in &toks[before_end.saturating_sub(3)..before_end] {
        h.update([0x1f]);
        h.update(t.key.as_bytes());
    }
    h.update([0x1e]);
    for t in toks.iter().skip(after_start).take(3) {
        h.update([0x1f]);
        h.update(t.key.as_bytes());
    }
    hex::encode(&h.finalize()[..8])
}

/// A binary choice point in the clean text.
#[derive(Clone, Debug)]
pub(crate) struct Choice {
    pub ctx: String,
    /// The span whose text is the choice (clean text).
    pub range: Range<usize>,
    /// The variant the text shows.
    pub bit: u8,
    /// What to write for bit 0 and bit 1.
    pub variants: [String; 2],
    /// Whether a template showing this may be made a choice point (one-way
    /// pairs: only their A).
    pub eligible: bool,
}

fn capitalised(s: &str, like: &str) -> String {
    let upper = like.chars().next().is_some_and(char::is_uppercase);
    let mut out = String::with_capacity(s.len());
    for (i, c) in s.chars().enumerate() {
        if i == 0 && upper {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// The wording choice points of a clean text.
pub(crate) fn wording_choices(clean: &str, toks: &[Tok]) -> Vec<Choice> {
    let mut out = Vec::new();
    for (k, t) in toks.iter().enumerate() {
        let shown = &clean[t.range.clone()];
        let (bit, variants, eligible) = match t.kind {
            TokKind::Word => continue,
            TokKind::Phrase { pair, variant } => {
                let p = &PAIRS[pair];
                (
                    variant,
                    [capitalised(p.a, shown), capitalised(p.b, shown)],
                    p.both_ways || variant == 0,
                )
            }
            TokKind::Number { grouped } => {
                let digits = t.key.clone();
                (
                    u8::from(!grouped),
                    [shown.to_owned(), digits.clone()],
                    grouped && digits.len() >= 4,
                )
            }
            TokKind::Apos { curly } => (u8::from(curly), ["'".into(), "\u{2019}".into()], true),
        };
        out.push(Choice {
            ctx: context(&format!("w{}", t.key), toks, k, k + 1),
            range: t.range.clone(),
            bit,
            variants,
            eligible,
        });
    }
    out
}

/// The whitespace choice points: sentence ends followed by one or two
/// spaces and a capital (bit 1: two), and with `line_slots`, sentence
/// ends at a line end (bit 1: a trailing space).
pub(crate) fn whitespace_choices(clean: &str, toks: &[Tok], line_slots: bool) -> Vec<Choice> {
    let chars: Vec<(usize, char)> = clean.char_indices().collect();
    let byte = |i: usize| chars.get(i).map_or(clean.len(), |&(b, _)| b);
    let mut out = Vec::new();
    for i in 2..chars.len() {
        let c = chars[i].1;
        if !matches!(c, '.' | '!' | '?') {
            continue;
        }
        let (p1, p2) = (chars[i - 1].1, chars[i - 2].1);
        let word_end =
            p1.is_lowercase() || p1.is_numeric() || matches!(p1, ')' | '»' | '"' | '\u{201d}');
        if !word_end || !(p2.is_alphanumeric() || matches!(p2, ')' | '»' | '"' | '.')) {
            continue; // "M." or "(a)."
        }
        let mut j = i + 1;
        while j < chars.len() && chars[j].1 == ' ' {
            j += 1;
        }
        let spaces = j - i - 1;
        let Some(&(_, next)) = chars.get(j) else {
            continue;
        };
        let (bit, variants) = if (1..=2).contains(&spaces)
            && (next.is_uppercase() || next.is_numeric() || matches!(next, '«' | '"' | '\u{201c}'))
        {
            (u8::from(spaces == 2), [" ".to_owned(), "  ".to_owned()])
        } else if line_slots && spaces <= 1 && matches!(next, '\r' | '\n') {
            (u8::from(spaces == 1), [String::new(), " ".to_owned()])
        } else {
            continue;
        };
        let range = byte(i + 1)..byte(j);
        let after = toks.partition_point(|t| t.range.start < range.start);
        out.push(Choice {
            ctx: context("s", toks, after, after),
            range,
            bit,
            variants,
            eligible: true,
        });
    }
    out
}

/// Keeps the choices whose context is unique in the text.
pub(crate) fn unique(choices: Vec<Choice>) -> Vec<Choice> {
    let mut count: HashMap<String, usize> = HashMap::new();
    for c in &choices {
        *count.entry(c.ctx.clone()).or_default() += 1;
    }
    choices.into_iter().filter(|c| count[&c.ctx] == 1).collect()
}

/// Where a zero-width frame may go: after a word that ends in a letter
/// and is followed by a space, away from every choice point.
pub(crate) fn frame_positions(clean: &str, toks: &[Tok], avoid: &[Range<usize>]) -> Vec<usize> {
    let mut blocked: Vec<Range<usize>> = avoid.to_vec();
    blocked.sort_by_key(|r| r.start);
    // The furthest end among the ranges starting at or before each one.
    let reach: Vec<usize> = blocked
        .iter()
        .scan(0, |m, r| {
            *m = (*m).max(r.end);
            Some(*m)
        })
        .collect();
    let is_blocked = |e: usize| {
        let n = blocked.partition_point(|r| r.start <= e);
        n > 0 && reach[n - 1] >= e
    };
    toks.iter()
        .filter(|t| t.kind == TokKind::Word)
        .map(|t| t.range.end)
        .filter(|&e| {
            clean[..e]
                .chars()
                .next_back()
                .is_some_and(char::is_alphabetic)
                && clean[e..].starts_with(' ')
                && !is_blocked(e)
        })
        .collect()
}

/// The zero-width frame of a 48-bit codeword.
pub(crate) fn frame(code: u64) -> String {
    let mut s = String::with_capacity(49 * 3);
    s.push(ZW_START);
    for i in (0..48).rev() {
        s.push(if code >> i & 1 == 1 { ZW1 } else { ZW0 });
    }
    s
}

/// Every 48-bit codeword framed in `text`.
pub(crate) fn frames_in(text: &str) -> Vec<u64> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != ZW_START {
            continue;
        }
        let mut code = 0u64;
        let mut n = 0;
        while n < 48 {
            match chars.peek() {
                Some(&ZW0) => code <<= 1,
                Some(&ZW1) => code = code << 1 | 1,
                _ => break,
            }
            chars.next();
            n += 1;
        }
        if n == 48 {
            out.push(code);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrases_numbers_apostrophes() {
        let text =
            "Afin de gagner du temps, l'équipe a environ 1 200 comptes en 2017. En outre tout va.";
        let toks = tokenize(text);
        let kinds: Vec<_> = toks
            .iter()
            .filter(|t| t.kind != TokKind::Word)
            .map(|t| &text[t.range.clone()])
            .collect();
        assert_eq!(
            kinds,
            ["Afin de", "'", "environ", "1 200", "2017", "En outre"]
        );
        let w = wording_choices(text, &toks);
        assert_eq!(w[0].variants, ["Afin de".to_owned(), "Pour".to_owned()]);
        assert!(w
            .iter()
            .find(|c| c.variants[1] == "2017")
            .is_some_and(|c| !c.eligible));
        let s = whitespace_choices(text, &toks, false);
        assert_eq!(s.len(), 1);
        assert_eq!(&text[s[0].range.clone()], " ");
    }

    #[test]
    fn frames_round_trip() {
        let code = 0xABCD_1234_5678;
        let text = format!("mot{} suivant", frame(code));
        assert_eq!(frames_in(&text), [code]);
    }
}
