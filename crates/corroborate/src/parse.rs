//! The quoting structure of a message body: a tree whose root is what the
//! writer wrote ("own text") and whose other nodes are the messages it
//! quotes or forwards, each with its own text, as deep as they nest.
//!
//! Recognised (any mix, at any depth):
//!
//! - `>` prefixes at any depth (`>`, `>>`, `> >`, `> >>`), interleaved
//!   replies (the quoter's lines between quoted ones are not part of the
//!   quote), and a wrapped quote line whose continuation lost its `>` (a
//!   short unprefixed line between two quoted ones after a long one);
//! - an attribution line over the quote: `Le … a écrit :`, `On … wrote:`
//!   (also German, Spanish, Italian, Portuguese), over up to three lines
//!   when the client wrapped it; over text without `>` (an HTML body's
//!   text, where the blockquote lost its prefixes) it quotes everything
//!   below when it names a date or an address;
//! - forward separators (`---------- Forwarded message ---------`,
//!   `-------- Message transféré --------`, `Begin forwarded message:`,
//!   `Début du message réexpédié :`, Lotus `----- Forwarded by`), and the
//!   reply-or-forward separators (`-----Original Message-----`,
//!   `-----Message d'origine-----`, Zimbra's `----- Mail original -----`),
//!   with the header lines that follow them;
//! - Outlook header blocks without separator (`De : … Envoyé : … À : …
//!   Objet :`, `From: … Sent: … To: … Subject:`), after an underscore rule
//!   or not: a `From`/`De` line followed, in the same block, by a date
//!   (`Sent`, `Envoyé`, `Date`) and a subject (`Subject`, `Objet`).
//!
//! A node's own text leaves out: its quotes, the lines that introduce them,
//! the signature (below a `-- ` line, and the closing formula with the lines
//! after it — `Cordialement,` `Best regards,` … — when it sits in the last
//! lines), mobile footers (`Envoyé de mon iPhone`) and Gmail's `[Quoted text
//! hidden]` lines. The same rules apply to a message and to the copy of it
//! a reply quotes, so both sides lose the same lines.

use crate::text::{fold_line, tokenize, Token};

/// Bytes of one text read at most (the rest is not compared).
pub(crate) const MAX_BYTES: usize = 8 << 20;
/// Lines of one text read at most.
pub(crate) const MAX_LINES: usize = 200_000;
/// Words of one node's own text kept at most.
pub(crate) const MAX_WORDS: usize = 100_000;
/// Quotes nested deeper than this are not followed.
pub(crate) const MAX_DEPTH: u32 = 16;

/// How a node was introduced in its parent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Intro {
    Root,
    /// Lines prefixed with `>` (after an attribution line or not).
    Gt,
    /// An attribution line over unprefixed text.
    Attribution,
    /// A forward separator.
    Forward,
    /// `-----Original Message-----` and its kin: Outlook uses them for
    /// replies and forwards alike.
    Original,
    /// An Outlook header block without a separator (replies and forwards
    /// alike).
    Header,
}

/// One node of the tree, in pre-order (the root first).
#[derive(Debug)]
pub(crate) struct Node {
    pub depth: u32,
    #[allow(dead_code)] // read by the tests
    pub intro: Intro,
    /// The intro of its outermost ancestor below the root (its own when it
    /// is one): how the writer brought the whole block in.
    pub top: Intro,
    /// Byte range of the lines that introduce it (attribution line,
    /// separator and header lines), when there are any.
    pub attribution: Option<(u32, u32)>,
    pub own: Vec<Token>,
}

/// The tree of `src` (cut at [`MAX_BYTES`]), at most `max_nodes` nodes (the
/// root alone when `max_nodes` is 1).
pub(crate) fn parse(src: &str, max_nodes: usize) -> Vec<Node> {
    let mut cut = src.len().min(MAX_BYTES);
    while !src.is_char_boundary(cut) {
        cut -= 1;
    }
    let src = &src[..cut];
    let mut spans = Vec::new();
    let mut start = 0;
    for (i, b) in src.bytes().enumerate() {
        if b == b'\n' {
            spans.push((start as u32, i as u32));
            start = i + 1;
            if spans.len() >= MAX_LINES {
                break;
            }
        }
    }
    if start < src.len() && spans.len() < MAX_LINES {
        spans.push((start as u32, src.len() as u32));
    }
    for span in &mut spans {
        if span.1 > span.0 && src.as_bytes()[span.1 as usize - 1] == b'\r' {
            span.1 -= 1;
        }
    }
    let lines = Lines { src, spans };
    let all: Vec<u32> = (0..lines.spans.len() as u32).collect();
    let mut out = Vec::new();
    lines.node(
        Spec {
            intro: Intro::Root,
            attribution: None,
            lines: all,
            level: 0,
        },
        0,
        Intro::Root,
        &mut out,
        max_nodes.max(1),
    );
    out
}

struct Lines<'a> {
    src: &'a str,
    spans: Vec<(u32, u32)>,
}

/// A node to build: its lines (indices) and how many `>` to strip from them.
struct Spec {
    intro: Intro,
    attribution: Option<(u32, u32)>,
    lines: Vec<u32>,
    level: usize,
}

struct Rest {
    intro: Intro,
    /// Index (in the node's lines) of the last introducing line.
    last: usize,
    /// Index of the first line of the quoted text.
    body: usize,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Label {
    From,
    Sent,
    To,
    Subject,
    Other,
}

impl<'a> Lines<'a> {
    fn raw(&self, line: u32) -> (&'a str, usize) {
        let (s, e) = self.spans[line as usize];
        (&self.src[s as usize..e as usize], s as usize)
    }

    /// The line with `level` quote marks stripped, and its byte offset.
    fn content(&self, line: u32, level: usize) -> (&'a str, usize) {
        let (raw, off) = self.raw(line);
        let n = strip(raw, level);
        (&raw[n..], off + n)
    }

    fn node(&self, spec: Spec, depth: u32, top: Intro, out: &mut Vec<Node>, max_nodes: usize) {
        let children_allowed = out.len() + 1 < max_nodes && depth < MAX_DEPTH;
        let (own_lines, children) = self.scan(&spec.lines, spec.level, children_allowed);
        let mut own = Vec::new();
        for &l in &own_lines {
            let (text, off) = self.content(l, spec.level);
            tokenize(text, off, &mut own, MAX_WORDS);
        }
        out.push(Node {
            depth,
            intro: spec.intro,
            top,
            attribution: spec.attribution,
            own,
        });
        for child in children {
            if out.len() >= max_nodes {
                break;
            }
            let top = if depth == 0 { child.intro } else { top };
            self.node(child, depth + 1, top, out, max_nodes);
        }
    }

    /// Splits a node's lines into its own lines and its children.
    fn scan(&self, idx: &[u32], level: usize, children_allowed: bool) -> (Vec<u32>, Vec<Spec>) {
        let n = idx.len();
        let mut own = Vec::new();
        let mut children = Vec::new();
        let mut group: Option<Spec> = None;
        let mut pending: Option<(u32, u32)> = None;
        let mut sig = false;
        let mut i = 0;
        let close = |group: &mut Option<Spec>, children: &mut Vec<Spec>| {
            if let Some(g) = group.take() {
                if children_allowed && !g.lines.is_empty() {
                    children.push(g);
                }
            }
        };
        while i < n {
            let (text, _) = self.content(idx[i], level);
            if quote_depth(text) > 0 {
                let g = group.get_or_insert_with(|| Spec {
                    intro: Intro::Gt,
                    attribution: pending.take(),
                    lines: Vec::new(),
                    level: level + 1,
                });
                if children_allowed {
                    g.lines.push(idx[i]);
                }
                i += 1;
                continue;
            }
            let t = text.trim();
            if t.is_empty() {
                i += 1;
                continue;
            }
            if is_hidden_or_footer(t) {
                i += 1;
                continue;
            }
            if let Some(rest) = self.rest_marker(idx, i, level) {
                close(&mut group, &mut children);
                if children_allowed && rest.body < n {
                    children.push(Spec {
                        intro: rest.intro,
                        attribution: Some(self.range(idx[i], idx[rest.last])),
                        lines: idx[rest.body..].to_vec(),
                        level,
                    });
                }
                break;
            }
            if let Some(k) = self.attribution(idx, i, level) {
                let next = (i + k..n).find(|&j| !self.content(idx[j], level).0.trim().is_empty());
                match next {
                    Some(j) if quote_depth(self.content(idx[j], level).0) > 0 => {
                        close(&mut group, &mut children);
                        pending = Some(self.range(idx[i], idx[i + k - 1]));
                        i = j;
                        continue;
                    }
                    Some(j) if self.plausible_attribution(idx, i, k, level) => {
                        close(&mut group, &mut children);
                        if children_allowed {
                            children.push(Spec {
                                intro: Intro::Attribution,
                                attribution: Some(self.range(idx[i], idx[i + k - 1])),
                                lines: idx[j..].to_vec(),
                                level,
                            });
                        }
                        break;
                    }
                    _ => {}
                }
            }
            if is_signature_separator(text) {
                sig = true;
                i += 1;
                continue;
            }
            if group.is_some() && self.continuation(idx, i, level) {
                if let (Some(g), true) = (group.as_mut(), children_allowed) {
                    g.lines.push(idx[i]);
                }
                i += 1;
                continue;
            }
            if !sig {
                own.push(idx[i]);
            }
            i += 1;
        }
        close(&mut group, &mut children);
        self.trim_closing(&mut own, level);
        (own, children)
    }

    /// Byte range from the start of line `a` to the end of line `b`.
    fn range(&self, a: u32, b: u32) -> (u32, u32) {
        (self.spans[a as usize].0, self.spans[b as usize].1)
    }

    /// A short unprefixed line between two quoted lines, after a long one
    /// that stops mid-sentence: the quoter's client wrapped a quoted line
    /// and lost the prefix (an inline answer between two questions is not
    /// one).
    fn continuation(&self, idx: &[u32], i: usize, level: usize) -> bool {
        if i == 0 || i + 1 >= idx.len() {
            return false;
        }
        let (prev, _) = self.content(idx[i - 1], level);
        let (next, _) = self.content(idx[i + 1], level);
        let (this, _) = self.content(idx[i], level);
        let d = quote_depth(prev);
        let (prev_len, this_len) = (prev.trim_end().chars().count(), this.trim().chars().count());
        // A wrap breaks a sentence: the quoted line does not end one, and
        // the two together would not have fitted on one line.
        d > 0
            && quote_depth(next) == d
            && prev_len >= 60
            && this_len <= 40
            && prev_len + 1 + this_len > 76
            && !prev.trim_end().ends_with(['.', '?', '!', ':', ';'])
            && !next.trim_start_matches(['>', ' ', '\t']).is_empty()
    }

    /// A separator (with its header lines) or an Outlook header block at
    /// line `i`: everything below is quoted.
    fn rest_marker(&self, idx: &[u32], i: usize, level: usize) -> Option<Rest> {
        let (text, _) = self.content(idx[i], level);
        let t = text.trim();
        if t.len() > 300 {
            return None;
        }
        let b = t.as_bytes();
        let dashes = b.starts_with(b"--") || b.starts_with(b"__") || b.starts_with(b"*-");
        if dashes || t.ends_with(':') {
            let f = fold_line(t);
            if let Some(intro) = separator(&f) {
                let (last, body) = self.skip_headers(idx, i + 1, level);
                return Some(Rest {
                    intro,
                    last: last.unwrap_or(i),
                    body,
                });
            }
            if f.len() >= 10 && f.bytes().all(|c| c == b'_') {
                let first = (i + 1..idx.len())
                    .find(|&j| !self.content(idx[j], level).0.trim().is_empty())?;
                if label(self.content(idx[first], level).0) == Some(Label::From) {
                    let (last, body) = self.skip_headers(idx, first, level);
                    return Some(Rest {
                        intro: Intro::Header,
                        last: last.unwrap_or(i),
                        body,
                    });
                }
                return None;
            }
        }
        if label(text) == Some(Label::From) {
            let mut sent = false;
            let mut subject = false;
            for &l in idx[i + 1..].iter().take(8) {
                let (c, _) = self.content(l, level);
                if c.trim().is_empty() {
                    break;
                }
                match label(c) {
                    Some(Label::Sent) => sent = true,
                    Some(Label::Subject) => subject = true,
                    _ => {}
                }
            }
            if sent && subject {
                let (last, body) = self.skip_headers(idx, i, level);
                return Some(Rest {
                    intro: Intro::Header,
                    last: last.unwrap_or(i),
                    body,
                });
            }
        }
        None
    }

    /// From line `j`: blank lines, header lines (with wrapped address
    /// lists), blank lines. Returns the last header line and the first
    /// line of the body.
    fn skip_headers(&self, idx: &[u32], mut j: usize, level: usize) -> (Option<usize>, usize) {
        let n = idx.len();
        let blank = |j: usize| self.content(idx[j], level).0.trim().is_empty();
        while j < n && blank(j) {
            j += 1;
        }
        let mut last = None;
        let mut prev = None;
        while j < n {
            let (c, _) = self.content(idx[j], level);
            if c.trim().is_empty() {
                break;
            }
            if let Some(l) = label(c) {
                last = Some(j);
                prev = Some(l);
                j += 1;
                continue;
            }
            let wrapped_list = matches!(prev, Some(Label::To | Label::From))
                && (c.starts_with([' ', '\t']) || c.contains('@') || c.contains(';'));
            if wrapped_list {
                last = Some(j);
                j += 1;
                continue;
            }
            break;
        }
        while j < n && blank(j) {
            j += 1;
        }
        (last, j)
    }

    /// An attribution line (or up to three wrapped lines) at `i`: returns
    /// how many lines it takes.
    fn attribution(&self, idx: &[u32], i: usize, level: usize) -> Option<usize> {
        let (first, _) = self.content(idx[i], level);
        let first = first.trim();
        if first.len() > 400 {
            return None;
        }
        if first.ends_with(':') && ends_like_attribution(&fold_line(first)) {
            return Some(1);
        }
        if !starts_like_attribution(first) {
            return None;
        }
        let mut joined = first.to_string();
        for k in 2..=3 {
            if i + k > idx.len() {
                return None;
            }
            let (next, _) = self.content(idx[i + k - 1], level);
            let next = next.trim();
            if next.is_empty() || quote_depth(next) > 0 {
                return None;
            }
            joined.push(' ');
            joined.push_str(next);
            if joined.len() > 400 {
                return None;
            }
            if next.ends_with(':') && ends_like_attribution(&fold_line(&joined)) {
                return Some(k);
            }
        }
        None
    }

    /// An attribution over unprefixed text must name a date or an address,
    /// as every client's does ("Voici ce qu'il a écrit :" does not).
    fn plausible_attribution(&self, idx: &[u32], i: usize, k: usize, level: usize) -> bool {
        idx[i..i + k].iter().any(|&l| {
            let (c, _) = self.content(l, level);
            c.bytes().any(|b| b.is_ascii_digit() || b == b'@')
        })
    }

    /// Drops the closing formula and the signature below it, when the
    /// formula sits among the last lines of the own text.
    fn trim_closing(&self, own: &mut Vec<u32>, level: usize) {
        let n = own.len();
        let from = n.saturating_sub(12);
        for p in (from..n).rev() {
            let (c, _) = self.content(own[p], level);
            if is_closing(c) {
                own.truncate(p);
                return;
            }
        }
    }
}

/// Bytes taken by `n` levels of quote marks (and one space after them).
fn strip(text: &str, n: usize) -> usize {
    let b = text.as_bytes();
    let mut i = 0;
    let mut stripped = 0;
    while stripped < n {
        let mut j = i;
        while j < b.len() && (b[j] == b' ' || b[j] == b'\t') && j - i < 3 {
            j += 1;
        }
        if j < b.len() && b[j] == b'>' {
            i = j + 1;
            stripped += 1;
        } else {
            break;
        }
    }
    if stripped > 0 && i < b.len() && b[i] == b' ' {
        i += 1;
    }
    i
}

/// How many `>` open the line (0 when it is not quoted).
pub(crate) fn quote_depth(text: &str) -> usize {
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() && i < 3 && b[i] == b' ' {
        i += 1;
    }
    if i >= b.len() || b[i] != b'>' {
        return 0;
    }
    let mut d = 0;
    while i < b.len() {
        match b[i] {
            b'>' => d += 1,
            b' ' | b'\t' => {}
            _ => break,
        }
        i += 1;
    }
    d
}

fn is_signature_separator(text: &str) -> bool {
    text == "-- " || text.trim_end() == "--"
}

fn separator(f: &str) -> Option<Intro> {
    let core = f
        .trim_matches(|c: char| c == '-' || c == '_' || c == '*' || c == ' ')
        .trim_end_matches([':', ' '])
        .trim();
    const FORWARD: [&str; 10] = [
        "forwarded message",
        "forwarded message follows",
        "message transfere",
        "message transmis",
        "message reexpedie",
        "weitergeleitete nachricht",
        "mensaje reenviado",
        "messaggio inoltrato",
        "begin forwarded message",
        "debut du message reexpedie",
    ];
    const ORIGINAL: [&str; 8] = [
        "original message",
        "message d'origine",
        "message original",
        "mail original",
        "ursprungliche nachricht",
        "ursprungliche mitteilung",
        "mensaje original",
        "messaggio originale",
    ];
    let dashed = f.starts_with("--") || f.starts_with("*--");
    if FORWARD.contains(&core) && (dashed || f.ends_with(':')) {
        return Some(Intro::Forward);
    }
    if dashed && core.starts_with("forwarded by ") {
        return Some(Intro::Forward);
    }
    if dashed && ORIGINAL.contains(&core) {
        return Some(Intro::Original);
    }
    None
}

/// A header line of a quoted or forwarded message (`De :`, `Subject:` …).
fn label(text: &str) -> Option<Label> {
    let t = text.trim_start().trim_start_matches('*');
    let colon = t.as_bytes().iter().take(41).position(|&b| b == b':')?;
    let name = fold_line(&t[..colon]);
    let name = name.trim_matches(|c: char| c == '*' || c == ' ');
    Some(match name {
        "from" | "de" | "von" | "da" | "expediteur" => Label::From,
        "sent" | "date" | "envoye" | "envoye le" | "gesendet" | "datum" | "enviado" | "inviato" => {
            Label::Sent
        }
        "to" | "a" | "pour" | "an" | "para" | "destinataire" | "destinataires" | "cc" | "cci"
        | "bcc" | "copie a" | "kopie" => Label::To,
        "subject" | "objet" | "sujet" | "betreff" | "asunto" | "oggetto" => Label::Subject,
        "reply-to" | "repondre a" | "importance" | "attachments" | "pieces jointes"
        | "priority" | "priorite" => Label::Other,
        _ => return None,
    })
}

fn starts_like_attribution(t: &str) -> bool {
    let b = t.as_bytes();
    b.len() > 3
        && b[2] == b' '
        && [b"on", b"le", b"am", b"el", b"il", b"em"]
            .iter()
            .any(|p| b[..2].eq_ignore_ascii_case(*p))
}

fn ends_like_attribution(f: &str) -> bool {
    const ENDS: [&str; 9] = [
        "wrote:",
        "wrote :",
        "writes:",
        "ecrit:",
        "ecrit :",
        "schrieb:",
        "escribio:",
        "ha scritto:",
        "escreveu:",
    ];
    ENDS.iter().any(|e| f.ends_with(e))
}

fn is_hidden_or_footer(t: &str) -> bool {
    let b = t.as_bytes();
    let candidate = b.first().is_some_and(|&c| {
        matches!(
            c,
            b'[' | b'-' | b'E' | b'e' | b'S' | b's' | b'G' | b'g' | b'T' | b't'
        )
    });
    if !candidate || t.len() > 80 {
        return false;
    }
    let f = fold_line(t);
    let f = f.trim_matches(|c: char| c == '[' || c == ']' || c == '-' || c == ' ');
    const HIDDEN: [&str; 4] = [
        "texte des messages precedents masque",
        "quoted text hidden",
        "afficher le texte des messages precedents",
        "show quoted text",
    ];
    const FOOTERS: [&str; 6] = [
        "envoye de mon ",
        "envoye depuis mon ",
        "sent from my ",
        "get outlook for ",
        "telecharger outlook pour ",
        "envoye a partir de ",
    ];
    HIDDEN.contains(&f) || FOOTERS.iter().any(|p| f.starts_with(p))
}

/// A closing formula: `Cordialement,`, `Bien à vous`, `Best regards,
/// Jean`… (the formula, then at most a name).
fn is_closing(text: &str) -> bool {
    let t = text.trim();
    if t.is_empty() || t.len() > 60 {
        return false;
    }
    let f = fold_line(t);
    let f = f.trim_end_matches([',', '.', '!', ' ', '-']);
    const CLOSINGS: [&str; 37] = [
        "cordialement",
        "salutations distinguees",
        "meilleures salutations",
        "sincerement",
        "bonne fin de journee",
        "bien cordialement",
        "tres cordialement",
        "bien a vous",
        "bien a toi",
        "bien amicalement",
        "amicalement",
        "amities",
        "bises",
        "bisous",
        "a bientot",
        "a tres vite",
        "bonne journee",
        "bonne soiree",
        "belle journee",
        "salutations",
        "sinceres salutations",
        "respectueusement",
        "merci",
        "merci d'avance",
        "merci beaucoup",
        "best",
        "best regards",
        "kind regards",
        "warm regards",
        "regards",
        "cheers",
        "thanks",
        "many thanks",
        "thank you",
        "sincerely",
        "all the best",
        "yours",
    ];
    CLOSINGS.iter().any(|c| {
        f == *c || {
            // the formula then a name: "Cordialement, Jean", "Thanks, Bob"
            f.strip_prefix(c)
                .and_then(|r| r.strip_prefix(','))
                .is_some_and(|name| name.split_whitespace().count() <= 3)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each node's own text, words joined by spaces, with its depth and intro.
    fn tree(src: &str) -> Vec<(u32, Intro, String)> {
        parse(src, 64)
            .iter()
            .map(|n| {
                let words: Vec<&str> = n
                    .own
                    .iter()
                    .map(|t| &src[t.start as usize..t.end as usize])
                    .collect();
                (n.depth, n.intro, words.join(" "))
            })
            .collect()
    }

    #[test]
    fn gmail_reply_with_nested_quote() {
        let src = "Parfait, merci.\n\nLe mer. 3 mai 2017 à 10:12, Alice Martin <alice@example.fr> a\nécrit :\n\n> Bonjour Paul,\n> Voici le devis.\n>\n> Le 2 mai 2017, Paul a écrit :\n>> Peux-tu m'envoyer le devis ?\n>> -- \n>> Paul\n> \n> Cordialement,\n> Alice\n";
        assert_eq!(
            tree(src),
            [
                (0, Intro::Root, "Parfait merci".to_string()),
                (1, Intro::Gt, "Bonjour Paul Voici le devis".to_string()),
                (2, Intro::Gt, "Peux tu m envoyer le devis".to_string()),
            ]
        );
        let nodes = parse(src, 64);
        let (a, b) = nodes[1].attribution.unwrap();
        assert!(src[a as usize..b as usize].starts_with("Le mer. 3 mai"));
        assert!(src[a as usize..b as usize].ends_with("écrit :"));
    }

    #[test]
    fn outlook_french_header_block() {
        let src = "Je valide.\r\n\r\nJean\r\n\r\n________________________________\r\nDe : Alice Martin <alice@example.fr>\r\nEnvoyé : mercredi 3 mai 2017 10:12\r\nÀ : Jean Dupont\r\nObjet : Devis\r\n\r\nBonjour Jean,\r\nVoici le devis.\r\n";
        let t = tree(src);
        assert_eq!(t[0].2, "Je valide Jean");
        assert_eq!(
            t[1],
            (1, Intro::Header, "Bonjour Jean Voici le devis".to_string())
        );
    }

    #[test]
    fn forwards_and_original_message() {
        let src = "Pour info.\n\n---------- Forwarded message ---------\nFrom: Alice <alice@example.com>\nDate: Wed, May 3, 2017 at 10:12 AM\nSubject: Budget\nTo: Bob <bob@example.com>\n\nThe budget is final.\n\n-----Original Message-----\nFrom: Bob\nSent: Tuesday\nTo: Alice\nSubject: Budget\n\nIs the budget final?\n";
        let t = tree(src);
        assert_eq!(t[0].2, "Pour info");
        assert_eq!(t[1], (1, Intro::Forward, "The budget is final".to_string()));
        assert_eq!(
            t[2],
            (2, Intro::Original, "Is the budget final".to_string())
        );
    }

    #[test]
    fn interleaved_and_wrapped_continuation() {
        let src = "On Wed, May 3, 2017 at 10:12 AM, Alice <alice@example.com> wrote:\n> First point: the venue is booked for the whole afternoon and evening of the\nninth of May.\n> Second point: catering, who orders the sandwiches for the volunteers?\nMe.\n> Third point: the budget.\nFine by me.\n";
        let t = tree(src);
        assert_eq!(t[0].2, "Me Fine by me");
        assert_eq!(
            t[1].2,
            "First point the venue is booked for the whole afternoon and evening of the ninth of May Second point catering who orders the sandwiches for the volunteers Third point the budget"
        );
    }

    #[test]
    fn attribution_over_unprefixed_text() {
        let src = "D'accord.\n\nLe 3 mai 2017 à 10:12, Alice <alice@example.fr> a écrit :\nBonjour,\nle devis est prêt.\n";
        let t = tree(src);
        assert_eq!(t[0].2, "D accord");
        assert_eq!(
            t[1],
            (
                1,
                Intro::Attribution,
                "Bonjour le devis est prêt".to_string()
            )
        );
        // not an attribution: no date, no address
        let t = tree("Voici ce que le ministre a écrit :\nrien du tout.\n");
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].2, "Voici ce que le ministre a écrit rien du tout");
    }

    #[test]
    fn signature_and_closing() {
        let src = "Le budget est validé.\n\nBien cordialement,\nAlice Martin\nDirectrice financière\n06 12 34 56 78\n";
        assert_eq!(tree(src)[0].2, "Le budget est validé");
        let src = "Le budget est validé.\n-- \nAlice Martin\n\nEnvoyé de mon iPhone\n";
        assert_eq!(tree(src)[0].2, "Le budget est validé");
        assert!(is_closing("Best regards, Bob"));
        assert!(!is_closing("Merci de me renvoyer le devis signé"));
    }

    #[test]
    fn own_only() {
        let nodes = parse("a b c\n> d e\n", 1);
        assert_eq!(nodes.len(), 1);
        assert_eq!(nodes[0].own.len(), 3);
    }
}
