//! Corroboration (issue 5): an unsigned or unverifiable message whose text
//! is quoted or forwarded in a `verified` message is corroborated by it.
//!
//! A signature proves the verified message, quotes included, is what its
//! domain sent. When it quotes an earlier message of the dump that does not
//! prove itself, the quote is a verified copy of that message's text: the
//! earlier message is *corroborated*. When the two differ (a figure changed
//! in the dump's copy, a sentence dropped), the quote is the evidence of
//! what the message really said, and [`Corroboration::differences`] shows
//! the change word by word.
//!
//! Pure: no I/O, no clock, no database. [`corroborations`] takes every
//! message of a case and returns every corroboration, in a deterministic
//! order; [`Corroborator`] gives the same result from messages handed over
//! one by one, without holding their bodies (see *Memory* below).
//!
//! # What is compared
//!
//! A message's **own text** is its body without what it quotes itself,
//! without the lines that introduce those quotes, its signature (below a
//! `-- ` line; and a closing formula such as `Cordialement,`, `Bien à
//! vous`, `Best regards,` with the lines under it, when it sits among the
//! last twelve lines), mobile footers (`Envoyé de mon iPhone`) and Gmail's
//! `[Quoted text hidden]`. Quoting recognised, mixed and nested freely:
//!
//! - `>` prefixes at any depth (`>`, `>>`, `> >`), interleaved answers
//!   (the quoter's lines between quoted ones are not part of the quote),
//!   and a quoted line wrapped by the quoter's client whose continuation
//!   lost its `>` (a short line after a long quoted one that stops
//!   mid-sentence, before another quoted one);
//! - attribution lines: `Le … a écrit :`, `On … wrote:` (and `schrieb`,
//!   `escribió`, `ha scritto`, `escreveu`), on up to three lines when the
//!   client wrapped it; over text without `>` (the text of an HTML body,
//!   whose blockquote lost its prefixes) it quotes everything below it when
//!   it names a date or an address;
//! - forward separators: `---------- Forwarded message ---------`,
//!   `---------- Message transféré ---------`, `-------- Forwarded Message
//!   --------`, `Begin forwarded message:`, `Début du message réexpédié :`,
//!   Lotus `----- Forwarded by …`, with the header lines under them;
//! - `-----Original Message-----`, `-----Message d'origine-----`,
//!   `----- Mail original -----` (Outlook and Zimbra use them for replies
//!   and forwards alike), with their header lines;
//! - Outlook header blocks without a separator, after an underscore rule
//!   or not: `De : … Envoyé : … À : … Objet :`, `From: … Sent: … To: …
//!   Subject:` (a `From`/`De` line followed in the same block by a date and
//!   a subject line).
//!
//! A verified message is cut the same way into a tree: every quoted or
//! forwarded message inside it, at any depth, is a **segment** with its own
//! text, and so is every message it carries as an attachment
//! ([`Message::forwarded`]) and what that one quotes. The same rules apply
//! to a message and to the copy of it that a reply quotes, so both lose the
//! same lines. Texts are compared as words: line breaks, re-wrapping, quote
//! prefixes, case, accents (precomposed or combining) and punctuation do not
//! count; numbers (`412,60` is one word, `4 126,00` two), currency signs and
//! `%` do.
//!
//! # When a segment corroborates a message
//!
//! The message's own words are aligned with the segment's (runs of three
//! identical words anchor the alignment; the gaps between them are aligned
//! word by word). It is a corroboration when all of these hold:
//!
//! - at least [`MIN_WORDS`] (8) words are shared: a greeting or a
//!   "Bonjour, merci" proves nothing;
//! - **coverage**, the share of the message's own words found in the quote,
//!   in order, is at least [`MIN_COVERAGE`] (0.6);
//! - **agreement**, shared words among shared + contradicted words over the
//!   stretch the two have in common, is at least [`MIN_AGREEMENT`] (0.6);
//! - the message's **distinctive** words exist and at least
//!   [`MIN_COVERAGE`] of them are found. Words are not distinctive when
//!   they sit inside boilerplate: a 5-word run that the own texts of
//!   [`BOILERPLATE_TEXTS`] (5) or more different messages share (legal
//!   disclaimers, templates, signatures in a real mailbox), or the words
//!   that end the own texts of two different messages of one sender (a
//!   signature block that has no `-- ` line or closing formula over it;
//!   not when the two begin alike too, as a doctored copy and its original
//!   do). So a two-line "OK pour jeudi" under a 60-word signature is not
//!   corroborated by a quote of another message with the same signature;
//! - when one segment matches several messages and one of them exactly,
//!   a match with differences is kept only if it has the exact one's
//!   Message-ID (a doctored copy of the same message) or the verified
//!   message names it in `In-Reply-To`/`References`: a template sent
//!   twice with other figures is not "quoted with differences".
//!
//! Why 0.6 and not 0.9: a quote that agrees word for word is reported
//! whatever its length (coverage 1, no differences: "quoted exactly");
//! what the lower bound adds are the doctored copies (a changed figure, an
//! added or removed sentence, which lower coverage or agreement) and the
//! quotes the replier trimmed (coverage below 1, no differences, the
//! missing words in [`Corroboration::unquoted`]). Those are the evidence a
//! newsroom needs, and false matches are kept out by the anchors (no
//! alignment of scattered common words), the boilerplate rule and the
//! minimum word count rather than by a high coverage; the tests hold the
//! hard negatives (same topic and names, same template with other
//! figures, same signature, greeting-only quotes). The UI shows `coverage`
//! and `differences`, so a reader sees how much is vouched for. The
//! anchors are three words: the shortest run that two unrelated French or
//! English texts rarely share in order more than once or twice, while a
//! changed figure still leaves runs on each side.
//!
//! # Finding candidates at scale
//!
//! Every pair cannot be compared (72,000 messages). A segment becomes a
//! candidate for a message when the verified message names the message's
//! Message-ID in `In-Reply-To` or `References`, or when they share hashed
//! 5-word shingles: an index of every segment's shingles (boilerplate ones
//! left out, and a shingle found in more than [`MAX_POSTINGS`] segments is
//! not looked up) answers, for each message (at most
//! [`MAX_QUERY_SHINGLES`] of its shingles, the smallest hashes), which
//! segments hold at least a tenth of them; at most [`MAX_CANDIDATES`]
//! segments per message are aligned. Everything is bounded: a text is read
//! up to 8 MiB, 200,000 lines and 100,000 words, quotes up to 16 levels
//! deep, 64 segments per verified message, 16 forwarded attachments; an
//! alignment costs time linear in its two texts (gaps are aligned word by
//! word only up to 200 × 200 words). Parsing and alignment run in parallel
//! (rayon); the result does not depend on the thread count. 50,000
//! messages with 5,000 quotes take 1.5 to 2 s (release build, two busy
//! cores; `tests/scale.rs`).
//!
//! # Memory
//!
//! The bodies are not needed all at once. [`Corroborator`] takes the
//! messages one by one, parses them a batch at a time (about 8 MiB of
//! text) and keeps only words: each distinct word once, a text as word
//! numbers of one or two bytes each, each distinct text once (the message
//! that every later reply of a thread quotes again, at every depth, is one
//! text). The segments of a verified message hold at most the words of its
//! texts (a node's own text leaves out what it quotes), so a reply quoting
//! a chain of ten messages costs its own length, not the square of the
//! depth. Boilerplate is counted, and the shingle index built, only for
//! the shingles that an unverified message can look up (a Bloom filter
//! over theirs lets those through, and a few others; the result is the
//! same as with every shingle). The two messages of each corroboration are
//! read again at the end to write its texts ([`Corroborator::finish`]).
//! On a dump of 20,000 messages, nearly all verified, with 256 MB of
//! bodies, that is about 30 MB, against 750 MB when every body, every
//! word's 64-bit key and every shingle of every own text were held.
//!
//! # Limits
//!
//! - Only quotes count: a verified message that pastes an earlier text
//!   without quoting or forwarding it is not a segment, and an unverified
//!   message's own text under [`MIN_WORDS`] words ("OK pour moi") is never
//!   corroborated.
//! - Quoting styles not listed above (Lotus Notes' header blocks, other
//!   languages' attribution lines) are not recognised: over `>` lines the
//!   quote is still found, but an unrecognised nested header block stays in
//!   the segment and shows as `Removed` words after the match.
//! - A signature block with no `-- ` line and no closing formula over it,
//!   in fewer than five messages of the case and in only one message of
//!   its sender, counts as text.
//! - A message whose only copy in the dump changed its first words, next
//!   to its genuine copy from the same sender, can lose its differences
//!   (their common end is taken for a signature).
//! - A template sent with other figures (two invoices, two notices) of
//!   which a verified message quotes a copy that the dump does not hold:
//!   the dump's copy is reported with differences (the rival rule needs the
//!   exact copy to know better).
//! - `date_unix` is not used, and `from` only groups a sender's messages for
//!   the signature rule: an unsigned message's sender and date are as
//!   forgeable as its text; the attribution line of the verified message is
//!   given instead ([`Corroboration::attribution`]).

mod align;
mod parse;
mod store;
mod text;

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::convert::Infallible;
use std::hash::BuildHasherDefault;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use align::{align, Alignment, Step};
use parse::{parse, Intro, Node};
use store::{KeyHasher, Store, TextId};
use text::{fold_line, mix, shingle, Token, ELLIPSIS};

/// Words a corroboration shares at least.
pub const MIN_WORDS: usize = 8;
/// Share of the message's own words (and of its distinctive words) found
/// in the quote, at least.
pub const MIN_COVERAGE: f64 = 0.6;
/// Shared words among shared, added and removed ones over the stretch the
/// two texts share, at least.
pub const MIN_AGREEMENT: f64 = 0.6;
/// A 5-word run found in the own texts of this many different messages is
/// boilerplate (signature, disclaimer, template).
pub const BOILERPLATE_TEXTS: usize = 5;
/// Words in a shingle of the candidate index.
pub const SHINGLE: usize = 5;
/// A shingle held by more segments than this is not looked up.
pub const MAX_POSTINGS: usize = 512;
/// Shingles of one message looked up at most (the smallest hashes).
pub const MAX_QUERY_SHINGLES: usize = 20_000;
/// Segments aligned at most per message.
pub const MAX_CANDIDATES: usize = 256;
/// Segments kept at most per verified message (body and attachments).
pub const MAX_SEGMENTS: usize = 64;
/// Attached messages read at most per verified message.
pub const MAX_FORWARDED: usize = 16;
/// Characters of [`Corroboration::quoted`] at most.
pub const QUOTED_CHARS: usize = 2_000;
/// Characters of one difference's text, context or unquoted run at most.
pub const TEXT_CHARS: usize = 500;
/// Differences (and unquoted runs) listed at most per corroboration.
pub const MAX_DIFFERENCES: usize = 200;
/// Words of context on each side of a difference.
pub const CONTEXT_WORDS: usize = 6;

/// One message of the case, as the case writer reads it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Message {
    pub id: i64,
    /// The message verified (its verdict is `verified` or `verified-partial`).
    pub verified: bool,
    /// With or without angle brackets.
    pub message_id: Option<String>,
    pub in_reply_to: Option<String>,
    pub references: Vec<String>,
    /// Tells a reply's `-----Original Message-----` (quoted) from a
    /// forward's (`RE:` against `TR:`/`Fwd:`).
    pub subject: Option<String>,
    /// Only groups a sender's messages to find signature blocks
    /// (`Name <address>` or an address); never evidence.
    pub from: Option<String>,
    /// Not used.
    pub date_unix: Option<i64>,
    /// The plain-text body (or the HTML body's text).
    pub body: String,
    /// Texts of messages forwarded inside this one as attachments
    /// (message/rfc822 parts, .eml attachments): their bodies.
    pub forwarded: Vec<String>,
}

/// How the verified message carries the corroborated one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum How {
    /// In a reply's quote: `>` lines, below `Le … a écrit :` / `On …
    /// wrote:`, or below `-----Original Message-----` or an Outlook header
    /// block when the verified message's subject is a reply (`RE:`).
    Quoted,
    /// Inline in a forward: below `---------- Forwarded message ---------`
    /// and its kin, or below `-----Original Message-----` or an Outlook
    /// header block when the subject is not a reply.
    Forwarded,
    /// In a message attached to the verified one (message/rfc822).
    Attached,
}

impl How {
    pub fn as_str(self) -> &'static str {
        match self {
            How::Quoted => "quoted",
            How::Forwarded => "forwarded",
            How::Attached => "attached",
        }
    }
}

/// A word-level difference between the corroborated message and the
/// verified quote.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Op {
    /// In the verified quote, not in the corroborated message: what the
    /// message really said and the dump's copy lacks.
    Removed,
    /// In the corroborated message, not in the verified quote, where the
    /// quote has something else (a changed figure: a `Removed` then an
    /// `Added` at the same place).
    Added,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Difference {
    pub op: Op,
    /// The words as written (the quote's for `Removed`, the message's for
    /// `Added`), whitespace collapsed, quote prefixes left out.
    pub text: String,
    /// Context: up to [`CONTEXT_WORDS`] shared words before and after the
    /// place, as the verified quote writes them.
    pub before: String,
    pub after: String,
}

/// An unverified message whose text a verified message quotes, forwards or
/// attaches.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Corroboration {
    /// The message corroborated (not verified itself).
    pub message: i64,
    /// The verified message that quotes or forwards it.
    pub by: i64,
    pub how: How,
    /// The quoted span as it appears in the verified message (whole lines,
    /// prefixes included; for `Attached`, in the attached message's text),
    /// at most [`QUOTED_CHARS`] characters (then ending with `…`).
    pub quoted: String,
    /// Share of the corroborated message's own text (its new text, without
    /// what it itself quotes) found in the verified quote, 0..=1.
    pub coverage: f64,
    /// Where the two differ, word level: empty when they agree. A quote
    /// that is only shorter (the replier trimmed it) has no differences:
    /// see `coverage` and `unquoted`.
    pub differences: Vec<Difference>,
    /// The message's words that the quote does not show (before it starts,
    /// after it stops, or cut by the quoter's `[...]`), run by run: neither
    /// confirmed nor contradicted.
    pub unquoted: Vec<String>,
    /// The lines of the verified message that introduce the quote
    /// (`Le 3 mai 2017 à 10:12, Alice … a écrit :`, or a forward's separator
    /// and header lines): what the verified message says about who wrote
    /// it and when. Prefixes left out, whitespace collapsed.
    pub attribution: Option<String>,
    /// 1 when the verified message quotes it directly, 2 when it quotes a
    /// message that quotes it, and so on (an attached message counts 1).
    pub depth: u32,
    /// Words of the corroborated message's own text, and how many of them
    /// the quote has (`coverage` is their ratio).
    pub own_words: usize,
    pub matched_words: usize,
}

impl Corroboration {
    /// The quote agrees with the message word for word, over the whole
    /// message.
    pub fn is_exact(&self) -> bool {
        self.differences.is_empty() && self.unquoted.is_empty()
    }
}

/// Every corroboration among `messages`: only unverified messages are
/// corroborated, only by verified ones, at most once per pair (the best
/// segment of the verified message). Sorted by `message`, then `by`.
///
/// The same as giving the messages one by one to a [`Corroborator`]; this
/// one reads the texts of the corroborations from `messages` instead of
/// fetching them again.
pub fn corroborations(messages: &[Message]) -> Vec<Corroboration> {
    let mut corroborator = Corroborator::new();
    let mut start = 0;
    while start < messages.len() {
        let mut end = start;
        let mut bytes = 0;
        while end < messages.len() && bytes < BATCH_BYTES && end - start < BATCH_MESSAGES {
            bytes += text_bytes(&messages[end]);
            end += 1;
        }
        corroborator.read(&messages[start..end]);
        start = end;
    }
    let found =
        corroborator.finish_with(|p| Ok::<_, Infallible>(Some(Cow::Borrowed(&messages[p]))));
    match found {
        Ok(found) => found,
        Err(never) => match never {},
    }
}

/// Messages parsed together (in parallel), at most: a batch's texts are
/// the only bodies held at once.
const BATCH_MESSAGES: usize = 1024;
/// Bytes of text (bodies and attached messages) of a batch, about: a batch
/// is parsed once it holds this much.
const BATCH_BYTES: usize = 8 << 20;
/// Corroborations whose texts are fetched and written at once.
const BUILD_BATCH: usize = 128;

/// [`corroborations`] for a case too large to hold every body at once: the
/// messages are given one by one ([`Corroborator::push`], in the case's
/// order), each is parsed as soon as a batch of them is complete and its
/// body dropped, and only what the comparison needs is kept until
/// [`Corroborator::finish`]: the metadata, the words of every message's
/// own text and of every segment of a verified message, as word numbers
/// (one byte for the 128 words met first, two up to 16,384), each distinct
/// text once (a quoted message is kept once however many replies quote
/// it). `finish` then fetches again the two messages of each
/// corroboration found, to write its texts (the quote, the differences).
/// The result is the same as [`corroborations`] on the same messages in
/// the same order.
///
/// Memory, besides a batch of bodies (about 8 MiB): one or two bytes a word
/// of the texts kept (a verified message's own text is kept for the
/// boilerplate and signature rules), the distinct words once (about 30
/// bytes each, with their hash table), and the index of the shingles that
/// an unverified message can look up (8 bytes each).
#[derive(Default)]
pub struct Corroborator {
    pending: Vec<Message>,
    pending_bytes: usize,
    metas: Vec<Meta>,
    store: Store,
    senders: HashMap<String, u32>,
    /// The segments of every verified message, in message order.
    segments: Vec<Segment>,
}

impl Corroborator {
    pub fn new() -> Self {
        Self::default()
    }

    /// The next message of the case. Messages are numbered in the order
    /// they are pushed, which orders the results (as the slice does for
    /// [`corroborations`]).
    pub fn push(&mut self, message: Message) {
        self.pending_bytes += text_bytes(&message);
        self.pending.push(message);
        if self.pending_bytes >= BATCH_BYTES || self.pending.len() >= BATCH_MESSAGES {
            self.flush();
        }
    }

    fn flush(&mut self) {
        let mut pending = std::mem::take(&mut self.pending);
        self.read(&pending);
        pending.clear();
        self.pending = pending;
        self.pending_bytes = 0;
    }

    /// Every corroboration among the messages pushed, as [`corroborations`]
    /// gives it. `fetch(id)` gives back the message pushed with that id
    /// (the same body and attached texts; ids are unique), or `None` when
    /// it is gone (its corroborations are then left out); it is called for
    /// the two messages of each corroboration found, a few at a time.
    pub fn finish<E>(
        mut self,
        mut fetch: impl FnMut(i64) -> Result<Option<Message>, E>,
    ) -> Result<Vec<Corroboration>, E> {
        self.flush();
        let ids: Vec<i64> = self.metas.iter().map(|m| m.id).collect();
        self.finish_with(|p| Ok(fetch(ids[p])?.map(Cow::Owned)))
    }

    /// Parses a batch of messages and keeps what the comparison needs.
    fn read(&mut self, batch: &[Message]) {
        let parsed: Vec<Parsed> = batch.par_iter().map(read).collect();
        for (msg, p) in batch.iter().zip(parsed) {
            let m = self.metas.len() as u32;
            let own = self.store.add(&p.own);
            let start = self.segments.len() as u32;
            for s in p.segments {
                if self.segments.len() >= SEG_MASK as usize {
                    break;
                }
                let text = self.store.add(&s.keys);
                self.segments.push(Segment {
                    msg: m,
                    source: s.source,
                    node: s.node,
                    how: s.how,
                    depth: s.depth,
                    text,
                });
            }
            let sender = msg
                .from
                .as_deref()
                .map(address)
                .filter(|a| !a.is_empty())
                .map(|a| {
                    let next = self.senders.len() as u32;
                    *self.senders.entry(a).or_insert(next)
                });
            let names = if msg.verified {
                msg.in_reply_to
                    .iter()
                    .chain(msg.references.iter())
                    .map(|r| Box::from(norm_id(r)))
                    .collect()
            } else {
                Box::default()
            };
            self.metas.push(Meta {
                id: msg.id,
                verified: msg.verified,
                message_id: msg.message_id.as_deref().map(|s| Box::from(norm_id(s))),
                names,
                sender,
                own,
                segments: (start, self.segments.len() as u32),
            });
        }
    }

    /// The comparison; `fetch(p)` gives back the `p`-th message pushed.
    fn finish_with<'a, E>(
        mut self,
        mut fetch: impl FnMut(usize) -> Result<Option<Cow<'a, Message>>, E>,
    ) -> Result<Vec<Corroboration>, E> {
        self.flush();
        let Corroborator {
            metas,
            store,
            segments,
            ..
        } = self;
        if !metas
            .iter()
            .any(|m| !m.verified && store.len(m.own) >= MIN_WORDS)
        {
            return Ok(Vec::new());
        }
        let relevant = Relevant::new(&metas, &store);
        let boilerplate = boilerplate(&metas, &store, &relevant);
        let index = index(&segments, &store, &boilerplate, &relevant);

        // Verified messages by the ids they name.
        let mut naming: HashMap<&str, Vec<usize>> = HashMap::new();
        for (m, meta) in metas.iter().enumerate() {
            if !meta.verified {
                continue;
            }
            let mut ids: Vec<&str> = meta.names.iter().map(|s| &**s).collect();
            ids.retain(|s| !s.is_empty());
            ids.sort_unstable();
            ids.dedup();
            for id in ids.into_iter().take(256) {
                naming.entry(id).or_default().push(m);
            }
        }

        let ctx = Ctx {
            metas: &metas,
            store: &store,
            segments: &segments,
            index: &index,
            boilerplate: &boilerplate,
            naming: &naming,
        };
        let mut found: Vec<Found> = (0..metas.len())
            .into_par_iter()
            .filter(|&m| !metas[m].verified)
            .flat_map_iter(|m| ctx.evaluate(m))
            .collect();
        drop((index, boilerplate, naming));

        // A segment that quotes one message exactly does not also quote, with
        // differences, another message (a template with other figures), unless
        // it has the same Message-ID or the verified message names it.
        found.sort_by_key(|f| (f.seg, f.m));
        let mut keep = vec![true; found.len()];
        let mut k = 0;
        while k < found.len() {
            let end = k + found[k..]
                .iter()
                .take_while(|f| f.seg == found[k].seg)
                .count();
            let exact_ids: Vec<Option<&str>> = found[k..end]
                .iter()
                .filter(|f| f.exact)
                .map(|f| metas[f.m].message_id.as_deref())
                .collect();
            if !exact_ids.is_empty() {
                let v = segments[found[k].seg].msg as usize;
                for (f, keep) in found[k..end].iter().zip(&mut keep[k..end]) {
                    if f.exact {
                        continue;
                    }
                    let id = metas[f.m].message_id.as_deref().filter(|s| !s.is_empty());
                    let same = id.is_some() && exact_ids.contains(&id);
                    let named = id.is_some_and(|id| metas[v].names.iter().any(|r| &**r == id));
                    *keep = same || named;
                }
            }
            k = end;
        }
        let mut found: Vec<Found> = found
            .into_iter()
            .zip(keep)
            .filter(|(_, k)| *k)
            .map(|(f, _)| f)
            .collect();

        // One corroboration per pair: the best segment.
        let holder = |f: &Found| segments[f.seg].msg as usize;
        found.sort_by(|x, y| {
            let (vx, vy) = (holder(x), holder(y));
            (metas[x.m].id, metas[vx].id, x.m, vx)
                .cmp(&(metas[y.m].id, metas[vy].id, y.m, vy))
                .then(y.exact.cmp(&x.exact))
                .then(y.coverage.total_cmp(&x.coverage))
                .then(y.agreement.total_cmp(&x.agreement))
                .then(segments[x.seg].depth.cmp(&segments[y.seg].depth))
                .then(x.seg.cmp(&y.seg))
        });
        found.dedup_by(|y, x| x.m == y.m && holder(x) == holder(y));
        drop((store, metas));

        // The texts, a few corroborations at a time.
        let mut out = Vec::with_capacity(found.len());
        for chunk in found.chunks(BUILD_BATCH) {
            let mut need: Vec<usize> = chunk.iter().flat_map(|f| [f.m, holder(f)]).collect();
            need.sort_unstable();
            need.dedup();
            let mut texts: HashMap<usize, Cow<'a, Message>> = HashMap::new();
            for p in need {
                if let Some(msg) = fetch(p)? {
                    texts.insert(p, msg);
                }
            }
            out.par_extend(chunk.par_iter().filter_map(|f| {
                let msg = texts.get(&f.m)?;
                let verified = texts.get(&holder(f))?;
                build(msg, verified, &segments[f.seg])
            }));
        }
        Ok(out)
    }
}

/// Bytes of text a message brings to its batch.
fn text_bytes(m: &Message) -> usize {
    m.body.len()
        + m.forwarded
            .iter()
            .take(MAX_FORWARDED)
            .map(String::len)
            .sum::<usize>()
}

/// What [`Corroborator`] keeps of one message.
struct Meta {
    id: i64,
    verified: bool,
    /// Without angle brackets ([`norm_id`]).
    message_id: Option<Box<str>>,
    /// A verified message's `In-Reply-To` and `References`, without angle
    /// brackets.
    names: Box<[Box<str>]>,
    /// The address of `from`, numbered.
    sender: Option<u32>,
    /// Its own text (the root's), `[...]` left out.
    own: TextId,
    /// Its segments in [`Corroborator::segments`].
    segments: (u32, u32),
}

/// One message parsed, before [`Corroborator`] stores it.
struct Parsed {
    /// The keys of its own text (the root's), `[...]` left out.
    own: Vec<u64>,
    /// For a verified message: the quoted and forwarded texts in it.
    segments: Vec<ParsedSegment>,
}

struct ParsedSegment {
    source: u32,
    node: u32,
    how: How,
    depth: u32,
    keys: Vec<u64>,
}

/// A quoted or forwarded text in a verified message.
struct Segment {
    /// The verified message.
    msg: u32,
    /// 0: the body; i + 1: `forwarded[i]`.
    source: u32,
    /// The node, in pre-order, of that source's tree.
    node: u32,
    how: How,
    depth: u32,
    text: TextId,
}

/// A segment found to corroborate a message.
struct Found {
    m: usize,
    seg: usize,
    exact: bool,
    coverage: f64,
    agreement: f64,
}

struct Ctx<'a> {
    metas: &'a [Meta],
    store: &'a Store,
    segments: &'a [Segment],
    index: &'a [u64],
    boilerplate: &'a KeySet,
    naming: &'a HashMap<&'a str, Vec<usize>>,
}

type KeySet = HashSet<u64, BuildHasherDefault<KeyHasher>>;

/// Segment numbers take the low 24 bits of an index entry.
const SEG_BITS: u32 = 24;
const SEG_MASK: u64 = (1 << SEG_BITS) - 1;

fn own_keys(nodes: &[Node]) -> Vec<u64> {
    nodes[0]
        .own
        .iter()
        .map(|t| t.key)
        .filter(|&k| k != ELLIPSIS)
        .collect()
}

fn read(m: &Message) -> Parsed {
    if !m.verified {
        return Parsed {
            own: own_keys(&parse(&m.body, 1)),
            segments: Vec::new(),
        };
    }
    let nodes = parse(&m.body, MAX_SEGMENTS + 1);
    let own = own_keys(&nodes);
    let reply = subject_is_reply(m.subject.as_deref());
    let mut segments = Vec::new();
    for (k, n) in nodes.iter().enumerate().skip(1) {
        if n.own.len() < align::ANCHOR {
            continue;
        }
        let how = match n.top {
            Intro::Forward => How::Forwarded,
            Intro::Original | Intro::Header if !reply => How::Forwarded,
            _ => How::Quoted,
        };
        segments.push(ParsedSegment {
            source: 0,
            node: k as u32,
            how,
            depth: n.depth,
            keys: keys(&n.own),
        });
    }
    drop(nodes);
    for (f, text) in m.forwarded.iter().take(MAX_FORWARDED).enumerate() {
        for (k, n) in parse(text, MAX_SEGMENTS).iter().enumerate() {
            if n.own.len() < align::ANCHOR {
                continue;
            }
            segments.push(ParsedSegment {
                source: f as u32 + 1,
                node: k as u32,
                how: How::Attached,
                depth: n.depth + 1,
                keys: keys(&n.own),
            });
        }
    }
    segments.truncate(MAX_SEGMENTS);
    Parsed { own, segments }
}

fn keys(tokens: &[Token]) -> Vec<u64> {
    tokens.iter().map(|t| t.key).collect()
}

/// The shingles whose boilerplate status and index entries can matter:
/// only an unverified message's shingles are looked up, in the index by
/// their high bits ([`SEG_MASK`] left out). A Bloom filter over those high
/// bits: it lets through every shingle that matters and a few others, so
/// the boilerplate counts and the index are kept for those alone (on a
/// case of verified messages, a small share of all shingles) and the
/// results are the same as with every shingle.
struct Relevant {
    bits: Vec<u64>,
    mask: u64,
}

impl Relevant {
    fn new(metas: &[Meta], store: &Store) -> Self {
        let asking = || {
            metas
                .iter()
                .filter(|m| !m.verified && store.len(m.own) >= MIN_WORDS)
        };
        let words: usize = asking().map(|m| store.len(m.own)).sum();
        // 16 bits a shingle, two probes: about 1.4% let through wrongly.
        let bits = (words.max(1) * 16)
            .next_power_of_two()
            .clamp(1 << 12, 1 << 30);
        let mut out = Relevant {
            bits: vec![0; bits / 64],
            mask: bits as u64 - 1,
        };
        let mut keys = Vec::new();
        for m in asking() {
            store.keys_into(m.own, &mut keys);
            for w in keys.windows(SHINGLE) {
                let (a, b) = out.probes(shingle(w));
                out.bits[(a / 64) as usize] |= 1 << (a % 64);
                out.bits[(b / 64) as usize] |= 1 << (b % 64);
            }
        }
        out
    }

    fn probes(&self, h: u64) -> (u64, u64) {
        let x = mix(h >> SEG_BITS);
        (x & self.mask, (x >> 32) & self.mask)
    }

    fn contains(&self, h: u64) -> bool {
        let (a, b) = self.probes(h);
        self.bits[(a / 64) as usize] & (1 << (a % 64)) != 0
            && self.bits[(b / 64) as usize] & (1 << (b % 64)) != 0
    }
}

/// Boilerplate shingles: those found in the own texts of
/// [`BOILERPLATE_TEXTS`] or more different messages (identical own texts
/// count once: the copies of one message are not boilerplate), and those
/// of a sender's signature block (see [`signatures`]). Only the
/// [`Relevant`] ones are counted and kept.
fn boilerplate(metas: &[Meta], store: &Store, relevant: &Relevant) -> KeySet {
    let mut seen = HashSet::new();
    let texts: Vec<TextId> = metas
        .iter()
        .map(|m| m.own)
        .filter(|&t| store.len(t) >= SHINGLE && seen.insert(store.hash(t)))
        .collect();
    drop(seen);
    let mut all: Vec<u64> = texts
        .par_iter()
        .map_init(Vec::new, |keys, &t| {
            store.keys_into(t, keys);
            let mut hs: Vec<u64> = keys
                .windows(SHINGLE)
                .map(shingle)
                .filter(|&h| relevant.contains(h))
                .collect();
            hs.sort_unstable();
            hs.dedup();
            hs
        })
        .flatten_iter()
        .collect();
    all.par_sort_unstable();
    let mut out = KeySet::default();
    for run in all.chunk_by(|x, y| x == y) {
        if run.len() >= BOILERPLATE_TEXTS {
            out.insert(run[0]);
        }
    }
    drop(all);
    let mut keys = Vec::new();
    for (m, words) in signatures(metas, store) {
        store.keys_into(metas[m].own, &mut keys);
        out.extend(
            keys[keys.len() - words..]
                .windows(SHINGLE)
                .map(shingle)
                .filter(|&h| relevant.contains(h)),
        );
    }
    out
}

/// Words of a signature block at least, and compared at most.
const SIGNATURE_MIN: usize = 8;
const SIGNATURE_MAX: usize = 512;

/// Signature blocks without a `-- ` line or a closing formula over them:
/// the words that end the own texts of two different messages of one
/// sender, when both have something else before them and that something
/// else is not the same message (two copies of one message, one doctored,
/// share their ends too, and their beginnings). Returns (message, words at
/// its end).
fn signatures(metas: &[Meta], store: &Store) -> Vec<(usize, usize)> {
    let mut by_sender: HashMap<u32, Vec<usize>> = HashMap::new();
    let mut seen = HashSet::new();
    for (m, meta) in metas.iter().enumerate() {
        let own = meta.own;
        if store.len(own) <= SIGNATURE_MIN || !seen.insert(store.hash(own)) {
            continue;
        }
        if let Some(sender) = meta.sender {
            by_sender.entry(sender).or_default().push(m);
        }
    }
    let mut groups: Vec<Vec<usize>> = by_sender.into_values().filter(|g| g.len() > 1).collect();
    groups.sort_unstable();
    let common_suffix = |x: TextId, y: TextId| {
        store
            .rev(x)
            .zip(store.rev(y))
            .take(SIGNATURE_MAX)
            .take_while(|(a, b)| a == b)
            .count()
    };
    let mut out = Vec::new();
    for mut group in groups {
        // Sorted on their reversed words, a text's longest common end with
        // any other is the one with a neighbour.
        group.sort_by(|&x, &y| {
            let (a, b) = (metas[x].own, metas[y].own);
            store
                .rev(a)
                .take(SIGNATURE_MAX)
                .cmp(store.rev(b).take(SIGNATURE_MAX))
                .then(x.cmp(&y))
        });
        let mut longest = vec![0usize; group.len()];
        for k in 1..group.len() {
            let (a, b) = (metas[group[k - 1]].own, metas[group[k]].own);
            let (la, lb) = (store.len(a), store.len(b));
            let c = common_suffix(a, b);
            if c < SIGNATURE_MIN || c >= la || c >= lb {
                continue;
            }
            let (ha, hb) = (la - c, lb - c);
            let same_start = store
                .iter(a)
                .take(ha)
                .zip(store.iter(b).take(hb))
                .take_while(|(x, y)| x == y)
                .count();
            if 2 * same_start >= ha.min(hb) {
                continue;
            }
            longest[k - 1] = longest[k - 1].max(c);
            longest[k] = longest[k].max(c);
        }
        out.extend(
            group
                .into_iter()
                .zip(longest)
                .filter(|&(_, c)| c >= SHINGLE),
        );
    }
    out.sort_unstable();
    out
}

/// The address in a From field (`Name <a@b>` or `a@b`), lower case.
fn address(from: &str) -> String {
    let a = match (from.rfind('<'), from.rfind('>')) {
        (Some(s), Some(e)) if s < e => &from[s + 1..e],
        _ => from,
    };
    a.trim().to_lowercase()
}

/// The sorted index: each entry is a shingle's high 40 bits over the
/// segment's number; [`Relevant`] shingles only. A text held by several
/// segments is read once.
fn index(
    segments: &[Segment],
    store: &Store,
    boilerplate: &KeySet,
    relevant: &Relevant,
) -> Vec<u64> {
    let mut holders: Vec<(TextId, u32)> = segments
        .iter()
        .enumerate()
        .map(|(s, seg)| (seg.text, s as u32))
        .collect();
    holders.sort_unstable();
    let groups: Vec<&[(TextId, u32)]> = holders.chunk_by(|x, y| x.0 == y.0).collect();
    let mut index: Vec<u64> = groups
        .par_iter()
        .map_init(Vec::new, |keys, group| {
            store.keys_into(group[0].0, keys);
            let mut hs: Vec<u64> = keys
                .windows(SHINGLE)
                .filter(|w| !w.contains(&ELLIPSIS))
                .map(shingle)
                .filter(|&h| relevant.contains(h) && !boilerplate.contains(&h))
                .map(|h| h & !SEG_MASK)
                .collect();
            hs.sort_unstable();
            hs.dedup();
            let mut entries = Vec::with_capacity(hs.len() * group.len());
            for &(_, s) in group.iter() {
                entries.extend(hs.iter().map(|&h| h | u64::from(s)));
            }
            entries
        })
        .flatten_iter()
        .collect();
    index.par_sort_unstable();
    index
}

impl Ctx<'_> {
    /// The segments that corroborate message `m`.
    fn evaluate(&self, m: usize) -> Vec<Found> {
        let own = self.store.keys(self.metas[m].own);
        if own.len() < MIN_WORDS {
            return Vec::new();
        }
        // Words inside a boilerplate run.
        let mut common = vec![false; own.len()];
        let mut shingles = Vec::new();
        for (p, w) in own.windows(SHINGLE).enumerate() {
            let h = shingle(w);
            if self.boilerplate.contains(&h) {
                common[p..p + SHINGLE].iter_mut().for_each(|c| *c = true);
            } else {
                shingles.push(h & !SEG_MASK);
            }
        }
        let distinctive = common.iter().filter(|c| !**c).count();
        if distinctive == 0 {
            return Vec::new();
        }
        shingles.sort_unstable();
        shingles.dedup();
        // A long text is looked up by a sample: its smallest hashes, a
        // uniform choice that a quote of it shares.
        shingles.truncate(MAX_QUERY_SHINGLES);

        // Candidates: the segments of verified messages that name this one,
        // then the segments sharing the most shingles.
        let mut candidates: Vec<usize> = Vec::new();
        if let Some(id) = self.metas[m]
            .message_id
            .as_deref()
            .filter(|s| !s.is_empty())
        {
            for &v in self.naming.get(id).map_or(&[][..], |v| v.as_slice()) {
                let (a, b) = self.metas[v].segments;
                candidates.extend(a as usize..b as usize);
                if candidates.len() >= MAX_CANDIDATES {
                    break;
                }
            }
        }
        let mut hits: Vec<u32> = Vec::new();
        for &h in &shingles {
            let lo = self.index.partition_point(|&e| e < h);
            let hi = self.index.partition_point(|&e| e <= h | SEG_MASK);
            if hi - lo <= MAX_POSTINGS {
                hits.extend(self.index[lo..hi].iter().map(|&e| (e & SEG_MASK) as u32));
            }
        }
        hits.sort_unstable();
        let need = shingles.len().div_ceil(10).max(1);
        let mut by_hits: Vec<(usize, u32)> = hits
            .chunk_by(|x, y| x == y)
            .filter(|run| run.len() >= need)
            .map(|run| (run.len(), run[0]))
            .collect();
        by_hits.sort_unstable_by(|x, y| y.0.cmp(&x.0).then(x.1.cmp(&y.1)));
        candidates.extend(by_hits.iter().map(|&(_, s)| s as usize));
        let mut seen = HashSet::new();
        candidates.retain(|s| seen.insert(*s));
        candidates.truncate(MAX_CANDIDATES);

        // Segments holding the same text are aligned once.
        let mut judged: HashMap<TextId, Option<(f64, f64, bool)>> = HashMap::new();
        let mut keys = Vec::new();
        let mut out = Vec::new();
        for s in candidates {
            let text = self.segments[s].text;
            let verdict = *judged.entry(text).or_insert_with(|| {
                self.store.keys_into(text, &mut keys);
                let al = align(&own, &keys);
                judge(&al, own.len(), &common, distinctive).map(|(coverage, agreement)| {
                    (coverage, agreement, al.added == 0 && al.removed == 0)
                })
            });
            if let Some((coverage, agreement, exact)) = verdict {
                out.push(Found {
                    m,
                    seg: s,
                    exact,
                    coverage,
                    agreement,
                });
            }
        }
        out
    }
}

/// Coverage and agreement when the alignment makes a corroboration.
fn judge(al: &Alignment, n: usize, common: &[bool], distinctive: usize) -> Option<(f64, f64)> {
    if al.matched < MIN_WORDS {
        return None;
    }
    let coverage = al.matched as f64 / n as f64;
    let agreement = al.agreement();
    let distinct_matched = al
        .steps
        .iter()
        .filter(|s| matches!(s, Step::Same(i, _) if !common[*i as usize]))
        .count();
    let ok = coverage >= MIN_COVERAGE
        && agreement >= MIN_AGREEMENT
        && distinct_matched as f64 >= MIN_COVERAGE * distinctive as f64;
    ok.then_some((coverage, agreement))
}

/// A Message-ID without angle brackets and spaces.
fn norm_id(s: &str) -> &str {
    s.trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .trim()
}

fn subject_is_reply(subject: Option<&str>) -> bool {
    let Some(s) = subject else { return false };
    let f = fold_line(s);
    let f = f.trim_start_matches(['[', ' ']);
    const REPLY: [&str; 8] = [
        "re:", "re :", "aw:", "sv:", "ref:", "ref :", "rep:", "antw:",
    ];
    REPLY.iter().any(|p| f.starts_with(p))
}

/// The corroboration's texts, from the two messages parsed again (the
/// decision was made on keys alone, to keep memory low).
fn build(msg: &Message, verified: &Message, seg: &Segment) -> Option<Corroboration> {
    let a_nodes = parse(&msg.body, 1);
    let a: Vec<Token> = a_nodes[0]
        .own
        .iter()
        .copied()
        .filter(|t| t.key != ELLIPSIS)
        .collect();
    let source: &str = match seg.source {
        0 => &verified.body,
        i => verified.forwarded.get(i as usize - 1)?,
    };
    let max_nodes = if seg.source == 0 {
        MAX_SEGMENTS + 1
    } else {
        MAX_SEGMENTS
    };
    let mut b_nodes = parse(source, max_nodes);
    if seg.node as usize >= b_nodes.len() {
        return None;
    }
    let node = b_nodes.swap_remove(seg.node as usize);
    let b = node.own;
    let al = align(&keys(&a), &keys(&b));
    let body = msg.body.as_str();

    // The quoted span: every quote word the alignment uses, whole lines.
    let bj = al.steps.iter().filter_map(|s| match *s {
        Step::Same(_, j) | Step::Removed(j) | Step::Ellipsis(j) => Some(j as usize),
        _ => None,
    });
    let (lo, hi) = bj.fold((usize::MAX, 0), |(lo, hi), j| (lo.min(j), hi.max(j)));
    if lo > hi {
        return None;
    }
    let mut start = b[lo].start as usize;
    let mut end = b[hi].end as usize;
    start = source[..start].rfind('\n').map_or(0, |p| p + 1);
    end += source[end..].find('\n').unwrap_or(source.len() - end);
    let quoted = bounded(source[start..end].trim_end_matches('\r'), QUOTED_CHARS);

    // Differences, by runs of steps.
    let same: Vec<(usize, u32)> = al
        .steps
        .iter()
        .enumerate()
        .filter_map(|(k, s)| {
            if let Step::Same(_, j) = s {
                Some((k, *j))
            } else {
                None
            }
        })
        .collect();
    let context = |s0: usize, s1: usize| {
        let p = same.partition_point(|&(k, _)| k < s0);
        let before: Vec<usize> = same[p.saturating_sub(CONTEXT_WORDS)..p]
            .iter()
            .map(|&(_, j)| j as usize)
            .collect();
        let q = same.partition_point(|&(k, _)| k < s1);
        let after: Vec<usize> = same[q..(q + CONTEXT_WORDS).min(same.len())]
            .iter()
            .map(|&(_, j)| j as usize)
            .collect();
        (render(source, &b, &before), render(source, &b, &after))
    };
    let mut differences = Vec::new();
    let mut unquoted = Vec::new();
    let steps = &al.steps;
    let mut k = 0;
    while k < steps.len() {
        let kind = std::mem::discriminant(&steps[k]);
        let end = k + steps[k..]
            .iter()
            .take_while(|s| std::mem::discriminant(*s) == kind)
            .count();
        match steps[k] {
            Step::Removed(_) | Step::Added(_) if differences.len() < MAX_DIFFERENCES => {
                let (op, text) = match steps[k] {
                    Step::Removed(_) => {
                        let js: Vec<usize> = steps[k..end]
                            .iter()
                            .filter_map(|s| {
                                if let Step::Removed(j) = s {
                                    Some(*j as usize)
                                } else {
                                    None
                                }
                            })
                            .collect();
                        (Op::Removed, render(source, &b, &js))
                    }
                    _ => {
                        let is: Vec<usize> = steps[k..end]
                            .iter()
                            .filter_map(|s| {
                                if let Step::Added(i) = s {
                                    Some(*i as usize)
                                } else {
                                    None
                                }
                            })
                            .collect();
                        (Op::Added, render(body, &a, &is))
                    }
                };
                let (before, after) = context(k, end);
                differences.push(Difference {
                    op,
                    text,
                    before,
                    after,
                });
            }
            Step::Unquoted(_) if unquoted.len() < MAX_DIFFERENCES => {
                let is: Vec<usize> = steps[k..end]
                    .iter()
                    .filter_map(|s| {
                        if let Step::Unquoted(i) = s {
                            Some(*i as usize)
                        } else {
                            None
                        }
                    })
                    .collect();
                unquoted.push(render(body, &a, &is));
            }
            _ => {}
        }
        k = end;
    }

    let attribution = node.attribution.map(|(s, e)| {
        let text: Vec<&str> = source[s as usize..e as usize]
            .lines()
            .map(|l| l.trim_start_matches(['>', ' ', '\t']))
            .collect();
        bounded(&collapse(&text.join(" ")), TEXT_CHARS)
    });
    Some(Corroboration {
        message: msg.id,
        by: verified.id,
        how: seg.how,
        quoted,
        coverage: al.matched as f64 / a.len().max(1) as f64,
        differences,
        unquoted,
        attribution,
        depth: seg.depth,
        own_words: a.len(),
        matched_words: al.matched,
    })
}

/// The words `idx` (ascending) of `tokens` as written in `src`: what lies
/// between two consecutive words is kept (punctuation) except the next
/// line's quote prefixes, a skipped word becomes one space.
fn render(src: &str, tokens: &[Token], idx: &[usize]) -> String {
    let mut out = String::new();
    for (n, &i) in idx.iter().enumerate() {
        let t = tokens[i];
        if n > 0 {
            let p = tokens[idx[n - 1]];
            let between = &src[p.end as usize..t.start as usize];
            if idx[n - 1] + 1 == i && between.len() <= 32 {
                // Punctuation kept; across a line break, only what ends the
                // first line (the next one starts with quote prefixes).
                match between.find('\n') {
                    None => out.push_str(between),
                    Some(p) => {
                        out.push_str(between[..p].trim_end());
                        out.push(' ');
                    }
                }
            } else {
                out.push(' ');
            }
        }
        out.push_str(&src[t.start as usize..t.end as usize]);
        if out.len() > TEXT_CHARS * 4 {
            break;
        }
    }
    bounded(&collapse(&out), TEXT_CHARS)
}

/// Whitespace runs (NBSP included) as one space, trimmed.
fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// At most `max` characters, then `…`.
fn bounded(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", &s[..cut]),
        None => s.to_string(),
    }
}
