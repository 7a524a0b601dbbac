//! Word alignment of a message's own text (`a`) against a quoted segment
//! (`b`).
//!
//! Anchors first: runs of [`ANCHOR`] identical words found in both, the
//! longest chain of them in order (a longest increasing subsequence), so
//! that common words scattered over two unrelated texts never line up on
//! their own. Then the gaps between anchors, and before the first and after
//! the last, are aligned word by word (longest common subsequence) when
//! they are small ([`GAP_CELLS`]); a larger gap is left unmatched. The cost
//! is linear in the two texts plus the anchor pairs, bounded whatever the
//! input.
//!
//! The steps say, word by word, what the two texts share and where they
//! differ; the quoter's ellipses (`[...]`) make the message's words in their
//! gap `Unquoted` rather than contradicted.

use crate::text::{shingle, ELLIPSIS};

/// Words in a run that anchors the alignment.
pub(crate) const ANCHOR: usize = 3;
/// A run of words found more often than this in the segment (a repeated
/// phrase) does not anchor.
const MAX_GRAM_POSITIONS: usize = 16;
/// Anchor pairs considered at most.
const MAX_PAIRS: usize = 1 << 20;
/// A gap is aligned word by word when the product of its two lengths is
/// at most this (a 200 by 200 words rewrite).
pub(crate) const GAP_CELLS: usize = 40_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Step {
    /// `a[i]` and `b[j]` are the same word.
    Same(u32, u32),
    /// `a[i]` is in the message, not in the quote (within what it quotes).
    Added(u32),
    /// `b[j]` is in the quote, not in the message.
    Removed(u32),
    /// `a[i]` lies outside what the quote shows (the quote starts later,
    /// stops earlier, or the quoter cut it with an ellipsis).
    Unquoted(u32),
    /// `b[j]` is the quoter's ellipsis.
    Ellipsis(u32),
}

#[derive(Debug, Default)]
pub(crate) struct Alignment {
    pub steps: Vec<Step>,
    pub matched: usize,
    pub added: usize,
    pub removed: usize,
    /// Removed words between the first and the last shared word.
    pub removed_inside: usize,
    pub unquoted: usize,
}

impl Alignment {
    /// Shared words among the shared, added and removed-inside ones: how
    /// well the two agree over the stretch they share.
    pub fn agreement(&self) -> f64 {
        let total = self.matched + self.added + self.removed_inside;
        if total == 0 {
            0.0
        } else {
            self.matched as f64 / total as f64
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Gap {
    Lead,
    Inner,
    Trail,
}

pub(crate) fn align(a: &[u64], b: &[u64]) -> Alignment {
    let anchors = anchors(a, b);
    let mut out = Alignment::default();
    if anchors.is_empty() {
        return out;
    }
    let mut prev: Option<(usize, usize)> = None;
    for k in 0..=anchors.len() {
        let next = anchors.get(k).map(|&(i, j)| (i as usize, j as usize));
        let (a0, b0) = prev.map_or((0, 0), |(i, j)| (i + 1, j + 1));
        let (a1, b1) = next.unwrap_or((a.len(), b.len()));
        let kind = match (prev, next) {
            (None, _) => Gap::Lead,
            (_, None) => Gap::Trail,
            _ => Gap::Inner,
        };
        gap(a, b, a0..a1, b0..b1, kind, &mut out);
        if let Some((i, j)) = next {
            out.steps.push(Step::Same(i as u32, j as u32));
            out.matched += 1;
        }
        prev = next;
    }
    out
}

/// The monotone word pairs given by the longest chain of anchors.
fn anchors(a: &[u64], b: &[u64]) -> Vec<(u32, u32)> {
    if a.len() < ANCHOR || b.len() < ANCHOR {
        return Vec::new();
    }
    let mut grams: Vec<(u64, u32)> = b
        .windows(ANCHOR)
        .enumerate()
        .map(|(j, w)| (shingle(w), j as u32))
        .collect();
    grams.sort_unstable();
    // (i, j) pairs, i ascending and j descending within one i.
    let mut pairs: Vec<(u32, u32)> = Vec::new();
    for (i, w) in a.windows(ANCHOR).enumerate() {
        let g = shingle(w);
        let lo = grams.partition_point(|&(h, _)| h < g);
        let hi = grams.partition_point(|&(h, _)| h <= g);
        if hi == lo || hi - lo > MAX_GRAM_POSITIONS {
            continue;
        }
        for &(_, j) in grams[lo..hi].iter().rev() {
            if b[j as usize..j as usize + ANCHOR] == *w {
                pairs.push((i as u32, j));
            }
        }
        if pairs.len() >= MAX_PAIRS {
            break;
        }
    }
    if pairs.is_empty() {
        return Vec::new();
    }
    // Longest chain strictly increasing in j (i is increasing by
    // construction, and one i contributes at most one pair).
    const NONE: u32 = u32::MAX;
    let mut tails: Vec<u32> = Vec::new();
    let mut pred = vec![NONE; pairs.len()];
    for p in 0..pairs.len() {
        let j = pairs[p].1;
        let pos = tails.partition_point(|&t| pairs[t as usize].1 < j);
        if pos > 0 {
            pred[p] = tails[pos - 1];
        }
        if pos == tails.len() {
            tails.push(p as u32);
        } else {
            tails[pos] = p as u32;
        }
    }
    let mut chain = Vec::with_capacity(tails.len());
    let mut p = *tails.last().unwrap_or(&NONE);
    while p != NONE {
        chain.push(pairs[p as usize]);
        p = pred[p as usize];
    }
    chain.reverse();
    let mut words = Vec::new();
    let mut last: Option<(u32, u32)> = None;
    for (i, j) in chain {
        for t in 0..ANCHOR as u32 {
            let (x, y) = (i + t, j + t);
            if last.is_none_or(|(li, lj)| x > li && y > lj) {
                words.push((x, y));
                last = Some((x, y));
            }
        }
    }
    words
}

/// Aligns one gap and appends its steps.
fn gap(
    a: &[u64],
    b: &[u64],
    ar: std::ops::Range<usize>,
    br: std::ops::Range<usize>,
    kind: Gap,
    out: &mut Alignment,
) {
    if ar.is_empty() && br.is_empty() {
        return;
    }
    let ellipsis = b[br.clone()].contains(&ELLIPSIS);
    // The message's words here are contradicted only if the quote has
    // something in their place.
    let a_only = if ellipsis || br.is_empty() {
        AOnly::Unquoted
    } else {
        AOnly::Added
    };
    let inside = kind == Gap::Inner;
    // Before the first shared word only the end of the quote's gap can face
    // the message's words, after the last only its start: align a window.
    let window = (2 * ar.len() + 16).min(br.len());
    let (wr, before, after) = match kind {
        Gap::Lead => (
            br.end - window..br.end,
            br.start..br.end - window,
            br.end..br.end,
        ),
        Gap::Trail => (
            br.start..br.start + window,
            br.start..br.start,
            br.start + window..br.end,
        ),
        Gap::Inner => (br.clone(), br.start..br.start, br.end..br.end),
    };
    for j in before {
        push_b(b, j, inside, out);
    }
    let pairs = if ar.len() * wr.len() <= GAP_CELLS {
        lcs(&a[ar.clone()], &b[wr.clone()])
    } else {
        Vec::new()
    };
    let (mut i, mut j) = (ar.start, wr.start);
    for (pi, pj) in pairs {
        let (pi, pj) = (pi + ar.start, pj + wr.start);
        while j < pj {
            push_b(b, j, inside, out);
            j += 1;
        }
        while i < pi {
            push_a(i, a_only, out);
            i += 1;
        }
        out.steps.push(Step::Same(pi as u32, pj as u32));
        out.matched += 1;
        i += 1;
        j += 1;
    }
    while j < wr.end {
        push_b(b, j, inside, out);
        j += 1;
    }
    while i < ar.end {
        push_a(i, a_only, out);
        i += 1;
    }
    for j in after {
        push_b(b, j, inside, out);
    }
}

#[derive(Clone, Copy)]
enum AOnly {
    Added,
    Unquoted,
}

fn push_a(i: usize, kind: AOnly, out: &mut Alignment) {
    match kind {
        AOnly::Added => {
            out.steps.push(Step::Added(i as u32));
            out.added += 1;
        }
        AOnly::Unquoted => {
            out.steps.push(Step::Unquoted(i as u32));
            out.unquoted += 1;
        }
    }
}

fn push_b(b: &[u64], j: usize, inside: bool, out: &mut Alignment) {
    if b[j] == ELLIPSIS {
        out.steps.push(Step::Ellipsis(j as u32));
        return;
    }
    out.steps.push(Step::Removed(j as u32));
    out.removed += 1;
    if inside {
        out.removed_inside += 1;
    }
}

/// Longest common subsequence of two short key sequences (dynamic
/// programming; the caller bounds the product of their lengths).
fn lcs(a: &[u64], b: &[u64]) -> Vec<(usize, usize)> {
    let (n, m) = (a.len(), b.len());
    if n == 0 || m == 0 {
        return Vec::new();
    }
    let w = m + 1;
    let mut t = vec![0u16; (n + 1) * w];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            t[i * w + j] = if a[i] == b[j] {
                t[(i + 1) * w + j + 1] + 1
            } else {
                t[(i + 1) * w + j].max(t[i * w + j + 1])
            };
        }
    }
    let mut out = Vec::with_capacity(t[0] as usize);
    let (mut i, mut j) = (0, 0);
    while i < n && j < m {
        if a[i] == b[j] {
            out.push((i, j));
            i += 1;
            j += 1;
        } else if t[(i + 1) * w + j] >= t[i * w + j + 1] {
            i += 1;
        } else {
            j += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(s: &str) -> Vec<u64> {
        s.split_whitespace()
            .map(|w| {
                if w == "[...]" {
                    ELLIPSIS
                } else {
                    crate::text::mix(w.bytes().fold(7, |h, c| h * 31 + u64::from(c)))
                }
            })
            .collect()
    }

    fn render(a: &str, b: &str) -> (String, Alignment) {
        let (aw, bw): (Vec<&str>, Vec<&str>) = (
            a.split_whitespace().collect(),
            b.split_whitespace().collect(),
        );
        let al = align(&k(a), &k(b));
        let s: Vec<String> = al
            .steps
            .iter()
            .map(|s| match *s {
                Step::Same(i, _) => aw[i as usize].to_string(),
                Step::Added(i) => format!("+{}", aw[i as usize]),
                Step::Removed(j) => format!("-{}", bw[j as usize]),
                Step::Unquoted(i) => format!("?{}", aw[i as usize]),
                Step::Ellipsis(_) => "…".to_string(),
            })
            .collect();
        (s.join(" "), al)
    }

    #[test]
    fn changed_figure() {
        let (s, al) = render(
            "la facture du traiteur est de 4 126,00 EUR pour la soirée du 12",
            "la facture du traiteur est de 412,60 EUR pour la soirée du 12",
        );
        assert_eq!(
            s,
            "la facture du traiteur est de -412,60 +4 +126,00 EUR pour la soirée du 12"
        );
        assert_eq!(
            (al.matched, al.added, al.removed, al.removed_inside),
            (12, 2, 1, 1)
        );
    }

    #[test]
    fn trimmed_and_ellipsis() {
        let (s, _) = render(
            "un deux trois quatre cinq six sept huit",
            "trois quatre cinq six",
        );
        assert_eq!(s, "?un ?deux trois quatre cinq six ?sept ?huit");
        let (s, al) = render(
            "un deux trois quatre cinq six sept huit neuf dix",
            "un deux trois [...] huit neuf dix",
        );
        assert_eq!(s, "un deux trois … ?quatre ?cinq ?six ?sept huit neuf dix");
        assert_eq!(al.agreement(), 1.0);
    }

    #[test]
    fn removed_sentence_and_head() {
        let (s, _) = render(
            "bonjour paul le devis est prêt il sera signé demain",
            "bonjour pierre le devis est prêt je ne le signerai pas il sera signé demain",
        );
        assert_eq!(s, "bonjour -pierre +paul le devis est prêt -je -ne -le -signerai -pas il sera signé demain");
    }

    #[test]
    fn scattered_common_words_do_not_align() {
        let al = align(
            &k("je pense que la réunion de demain est utile"),
            &k("la pluie de mars est froide que je sache"),
        );
        assert_eq!(al.matched, 0);
    }
}
