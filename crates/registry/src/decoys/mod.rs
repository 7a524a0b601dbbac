//! Per-recipient decoy copies ("digital blurring", issue 5): each copy of a
//! decoy document carries its recipient's [`Mark`] in several independent
//! carriers, so that a leaked copy tells which mailbox leaked even after
//! one carrier was stripped.
//!
//! Carriers (constants [`ZERO_WIDTH`], [`WORDING`], [`PROPERTY`],
//! [`WHITESPACE`]):
//!
//! - `zero-width`: the mark and a 16-bit check as U+200B (0) / U+200C (1)
//!   after U+2060, inserted after words at up to 12 places spread through
//!   the text, so a part copied and pasted still carries whole frames.
//!   Self-contained: decoded without a key.
//! - `wording`: at each occurrence in the template of a phrase from the
//!   committed list (`wording.rs`: "afin de"/"pour", "en outre"/"de plus",
//!   "however,"/"but", "e-mail"/"email", `1 000`/`1000`, `'`/`’`…),
//!   variant A is bit 0 and B bit 1.
//! - `whitespace`: after a sentence end, one space (0) or two (1); in text
//!   and mail, a sentence at a line end without (0) or with (1) a
//!   trailing space.
//! - `property`: a custom property [`PROPERTY_NAME`] (docx, xlsx
//!   `docProps/custom.xml`; PDF information dictionary) whose value looks
//!   like a random GUID: the mark XOR a constant, then 96 bits that check
//!   it. Self-contained.
//!
//! Wording and whitespace have too few choice points in a short document
//! for 32 bits and a check, so they are keyed: each copy's
//! [`WatermarkKey`] records the template's choice points (by context, see
//! `text.rs`) and the copy's pattern over them, chosen far (in Hamming
//! distance) from the other copies' patterns and from what an unmarked or
//! normalised text shows. [`recover`] reads the choice points of a leaked
//! copy and accepts a key only when the observed bits are (nearly) its
//! pattern and clearly not another copy's or a normalised text's.
//!
//! [`recover`] decodes each carrier on its own; the mark is the one most
//! carriers agree on, and carriers that read another valid mark are
//! reported as conflicting.

mod codes;
mod mail;
mod ooxml;
mod pdf;
mod text;
mod wording;

use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::ops::Range;
use text::{Choice, Edit, TextDoc, View};

pub const ZERO_WIDTH: &str = "zero-width";
pub const WORDING: &str = "wording";
pub const PROPERTY: &str = "property";
pub const WHITESPACE: &str = "whitespace";
/// Every carrier, in the order they are reported.
pub const CARRIERS: [&str; 4] = [ZERO_WIDTH, WORDING, PROPERTY, WHITESPACE];

/// The custom property of the `property` carrier: SharePoint's document-id
/// GUID, which many organisations' documents carry anyway.
pub const PROPERTY_NAME: &str = "_dlc_DocIdItemGuid";

/// A keyed carrier needs at least this many choice points in the template.
const MIN_CHOICES: usize = 8;
/// …and a leaked copy must show at least this many of them.
const MIN_OBSERVED: usize = 6;
/// Zero-width frames per copy, at most.
const MAX_FRAMES: usize = 12;
/// Text (all segments) a template may have, and a leaked file may have
/// for the keyed carriers to be read (the zero-width frames are read in
/// any size): a decoy is a document, not a corpus, and the choice-point
/// analysis keeps a few words of index per byte.
const MAX_TEXT: usize = 16 << 20;

fn text_len(doc: &TextDoc) -> usize {
    doc.segments
        .iter()
        .map(|s| s.text.len() + s.sep.len())
        .sum()
}

/// The watermark of one copy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Mark(pub u32);

impl Mark {
    /// The mark of `recipient`'s copy of the template whose SHA-256 (hex)
    /// is `template_sha256`: the first four bytes of a SHA-256 over both
    /// (recipient trimmed and lower-cased), never 0.
    pub fn for_recipient(template_sha256: &str, recipient: &str) -> Mark {
        let mut h = Sha256::new();
        h.update(b"tamis-decoy-mark\0");
        h.update(template_sha256.trim().to_ascii_lowercase().as_bytes());
        h.update(b"\0");
        h.update(recipient.trim().to_lowercase().as_bytes());
        let digest = h.finalize();
        digest
            .chunks(4)
            .map(|c| u32::from_be_bytes([c[0], c[1], c[2], c[3]]))
            .find(|&v| v != 0)
            .map_or(Mark(1), Mark)
    }
}

impl std::fmt::Display for Mark {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:08x}", self.0)
    }
}

/// The formats decoys are made of.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Docx,
    Xlsx,
    Pdf,
    Txt,
    Eml,
}

impl Format {
    /// From the content, the name's extension telling text from mail when
    /// the content does not.
    pub fn detect(bytes: &[u8], name: Option<&str>) -> Option<Format> {
        let ext = name
            .and_then(|n| n.rsplit_once('.'))
            .map(|(_, e)| e.to_ascii_lowercase());
        match tamis_docs::detect(bytes, name) {
            tamis_docs::Kind::Pdf => Some(Format::Pdf),
            tamis_docs::Kind::Ooxml => match ooxml::flavor(bytes)? {
                ooxml::Flavor::Word => Some(Format::Docx),
                ooxml::Flavor::Excel => Some(Format::Xlsx),
            },
            tamis_docs::Kind::Text => match ext.as_deref() {
                Some("eml") => Some(Format::Eml),
                Some("txt") => Some(Format::Txt),
                _ if mail::looks_like_message(bytes) => Some(Format::Eml),
                _ => Some(Format::Txt),
            },
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Docx => "docx",
            Format::Xlsx => "xlsx",
            Format::Pdf => "pdf",
            Format::Txt => "txt",
            Format::Eml => "eml",
        }
    }

    /// The carriers this format can hold, whatever the template's text.
    pub fn carriers(self) -> &'static [&'static str] {
        match self {
            Format::Docx => &[ZERO_WIDTH, WORDING, PROPERTY, WHITESPACE],
            Format::Xlsx => &[ZERO_WIDTH, WORDING, PROPERTY, WHITESPACE],
            Format::Pdf => &[WORDING, PROPERTY, WHITESPACE],
            Format::Txt | Format::Eml => &[ZERO_WIDTH, WORDING, WHITESPACE],
        }
    }
}

/// One recipient's copy.
#[derive(Clone, Debug)]
pub struct DecoyCopy {
    pub recipient: String,
    pub mark: Mark,
    /// The template's file name, the same for every copy (a per-recipient
    /// name would give the trap away): place copies in per-recipient
    /// folders.
    pub file_name: String,
    pub bytes: Vec<u8>,
    /// The carriers embedded, in [`CARRIERS`] order.
    pub carriers: Vec<&'static str>,
    /// Carriers the format has but this template could not take, and why.
    pub skipped: Vec<(&'static str, String)>,
    /// What [`recover`] needs for the keyed carriers: store it with the
    /// copy's registry entry.
    pub key: WatermarkKey,
}

/// The template's choice points of one keyed carrier and one copy's
/// pattern over them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlotCode {
    /// Each choice point's context (16 hex digits), in template order.
    pub contexts: Vec<String>,
    /// What the template shows at each point ('0' variant A, '1' B).
    pub original: String,
    /// What this copy shows.
    pub bits: String,
}

/// Everything needed to recognise one copy by its keyed carriers; it
/// holds no text of the document. Serializable (JSON) for the registry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WatermarkKey {
    pub version: u32,
    pub template_sha256: String,
    pub format: Format,
    pub mark: Mark,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wording: Option<SlotCode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub whitespace: Option<SlotCode>,
}

/// What [`recover`] found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recovered {
    pub mark: Mark,
    /// Carriers that read `mark`.
    pub carriers: Vec<&'static str>,
    /// Carriers that read another valid mark.
    pub conflicting: Vec<&'static str>,
}

pub(crate) enum PropertyOp {
    Keep,
    Set(String, String),
    Remove,
}

fn read_text(format: Format, bytes: &[u8]) -> Result<TextDoc> {
    match format {
        Format::Docx => ooxml::read(bytes, ooxml::Flavor::Word),
        Format::Xlsx => ooxml::read(bytes, ooxml::Flavor::Excel),
        Format::Pdf => pdf::read(bytes),
        Format::Txt => mail::read_txt(bytes),
        Format::Eml => mail::read_eml(bytes),
    }
}

fn write(
    format: Format,
    bytes: &[u8],
    doc: &TextDoc,
    edits: &[Edit],
    property: &PropertyOp,
) -> Result<Vec<u8>> {
    let texts = || text::apply(doc, edits);
    match format {
        Format::Docx => ooxml::write(bytes, ooxml::Flavor::Word, &texts(), property),
        Format::Xlsx => ooxml::write(bytes, ooxml::Flavor::Excel, &texts(), property),
        Format::Pdf => pdf::write(bytes, edits, property),
        Format::Txt => mail::write_txt(bytes, &texts()),
        Format::Eml => mail::write_eml(bytes, &texts()),
    }
}

fn properties(format: Format, bytes: &[u8]) -> Vec<String> {
    match format {
        Format::Docx | Format::Xlsx => ooxml::properties(bytes),
        Format::Pdf => pdf::properties(bytes),
        Format::Txt | Format::Eml => Vec::new(),
    }
}

/// A choice point the template can take, and where it is.
struct Planned {
    choice: Choice,
    seg: usize,
    range: Range<usize>,
}

fn plan(doc: &TextDoc, view: &View, choices: Vec<Choice>) -> Vec<Planned> {
    text::unique(choices)
        .into_iter()
        .filter(|c| c.eligible)
        .filter_map(|choice| {
            let (seg, range) = view.locate(&choice.range)?;
            let fits = choice
                .variants
                .iter()
                .all(|v| doc.segments[seg].can(&range, v));
            fits.then_some(Planned { choice, seg, range })
        })
        .collect()
}

/// Patterns for a keyed carrier, one per mark.
fn patterns(carrier: &str, template: &str, marks: &[Mark], planned: &[Planned]) -> Vec<Vec<u8>> {
    let n = planned.len();
    let original: Vec<u8> = planned.iter().map(|p| p.choice.bit).collect();
    let nulls = [original, vec![0; n], vec![1; n]];
    codes::choose_patterns(carrier, template, marks, &nulls, n)
}

fn slot_code(planned: &[Planned], bits: &[u8]) -> SlotCode {
    SlotCode {
        contexts: planned.iter().map(|p| p.choice.ctx.clone()).collect(),
        original: codes::bits_to_string(&planned.iter().map(|p| p.choice.bit).collect::<Vec<_>>()),
        bits: codes::bits_to_string(bits),
    }
}

/// Makes one watermarked copy of `template` (a file named `name`) per
/// recipient. Fails on a format it cannot read, or two recipients that
/// are the same mailbox.
pub fn make(template: &[u8], name: &str, recipients: &[String]) -> Result<Vec<DecoyCopy>> {
    let format = Format::detect(template, Some(name))
        .with_context(|| format!("{name}: not a docx, xlsx, pdf, txt or eml file"))?;
    let template_sha = hex::encode(Sha256::digest(template));
    let marks: Vec<Mark> = recipients
        .iter()
        .map(|r| Mark::for_recipient(&template_sha, r))
        .collect();
    let mut seen: HashMap<Mark, &str> = HashMap::new();
    for (mark, recipient) in marks.iter().zip(recipients) {
        if let Some(other) = seen.insert(*mark, recipient) {
            bail!("recipients {other:?} and {recipient:?} are the same mailbox (or share a mark): give each once");
        }
    }
    let file_name = std::path::Path::new(name)
        .file_name()
        .map_or_else(|| name.to_owned(), |n| n.to_string_lossy().into_owned());
    let doc = read_text(format, template).with_context(|| format!("{name}: reading its text"))?;
    if text_len(&doc) > MAX_TEXT {
        bail!("{name}: more than {MAX_TEXT} bytes of text, too large for a decoy");
    }
    let view = View::new(&doc);
    let toks = text::tokenize(&view.clean);
    let words = text::wording_choices(&view.clean, &toks);
    let spaces = text::whitespace_choices(&view.clean, &toks, doc.line_slots);
    let avoid: Vec<Range<usize>> = words
        .iter()
        .chain(&spaces)
        .map(|c| c.range.clone())
        .collect();
    let words = plan(&doc, &view, words);
    let spaces = plan(&doc, &view, spaces);
    let probe = text::frame(0xFFFF_0000_FFFF);
    let candidates: Vec<(usize, Range<usize>)> = text::frame_positions(&view.clean, &toks, &avoid)
        .into_iter()
        .filter_map(|p| view.locate(&(p..p)))
        .filter(|(seg, r)| doc.segments[*seg].can(r, &probe))
        .collect();
    let frames: Vec<(usize, Range<usize>)> = if candidates.is_empty() {
        Vec::new()
    } else {
        let count = (candidates.len() / 10).clamp(1, MAX_FRAMES);
        (0..count)
            .map(|k| candidates[(2 * k + 1) * candidates.len() / (2 * count)].clone())
            .collect()
    };

    let mut carriers = Vec::new();
    let mut skipped = Vec::new();
    for &carrier in format.carriers() {
        let why = match carrier {
            ZERO_WIDTH if frames.is_empty() => Some(
                "no place for it: no word followed by a space where the text can take invisible characters"
                    .to_owned(),
            ),
            WORDING if words.len() < MIN_CHOICES => Some(format!(
                "{} wording choice points in the template, {MIN_CHOICES} needed",
                words.len()
            )),
            WHITESPACE if spaces.len() < MIN_CHOICES => Some(format!(
                "{} sentence ends that can take a second space, {MIN_CHOICES} needed",
                spaces.len()
            )),
            _ => None,
        };
        match why {
            Some(why) => skipped.push((carrier, why)),
            None => carriers.push(carrier),
        }
    }
    carriers.sort_by_key(|c| CARRIERS.iter().position(|k| k == c));
    let on = |c: &str| carriers.contains(&c);
    let word_patterns = if on(WORDING) {
        patterns(WORDING, &template_sha, &marks, &words)
    } else {
        Vec::new()
    };
    let space_patterns = if on(WHITESPACE) {
        patterns(WHITESPACE, &template_sha, &marks, &spaces)
    } else {
        Vec::new()
    };

    let mut copies = Vec::with_capacity(recipients.len());
    for (i, recipient) in recipients.iter().enumerate() {
        let mark = marks[i];
        let mut edits = Vec::new();
        if on(ZERO_WIDTH) {
            let frame = text::frame(codes::zero_width_code(mark));
            for (seg, range) in &frames {
                edits.push(Edit {
                    seg: *seg,
                    range: range.clone(),
                    ins: frame.clone(),
                });
            }
        }
        for (planned, pats) in [(&words, &word_patterns), (&spaces, &space_patterns)] {
            let Some(bits) = pats.get(i) else { continue };
            for (p, &bit) in planned.iter().zip(bits) {
                if bit != p.choice.bit {
                    edits.push(Edit {
                        seg: p.seg,
                        range: p.range.clone(),
                        ins: p.choice.variants[usize::from(bit)].clone(),
                    });
                }
            }
        }
        let property = if on(PROPERTY) {
            PropertyOp::Set(PROPERTY_NAME.into(), codes::property_value(mark))
        } else {
            PropertyOp::Keep
        };
        let bytes = write(format, template, &doc, &edits, &property)
            .with_context(|| format!("{name}: writing the copy for {recipient}"))?;
        let key = WatermarkKey {
            version: 1,
            template_sha256: template_sha.clone(),
            format,
            mark,
            wording: word_patterns.get(i).map(|b| slot_code(&words, b)),
            whitespace: space_patterns.get(i).map(|b| slot_code(&spaces, b)),
        };
        copies.push(DecoyCopy {
            recipient: recipient.clone(),
            mark,
            file_name: file_name.clone(),
            bytes,
            carriers: carriers.clone(),
            skipped: skipped.clone(),
            key,
        });
    }
    Ok(copies)
}

/// The most frequent mark of a list, if one is more frequent than all
/// others.
fn majority(marks: &[Mark]) -> Option<Mark> {
    let mut count: HashMap<Mark, usize> = HashMap::new();
    for m in marks {
        *count.entry(*m).or_default() += 1;
    }
    let best = count.values().copied().max()?;
    let mut top = count.iter().filter(|(_, &c)| c == best);
    let first = top.next().map(|(m, _)| *m);
    if top.next().is_some() {
        None
    } else {
        first
    }
}

/// The copy whose keyed pattern a leaked text shows, if one clearly does.
fn match_keys(
    observed: &HashMap<String, u8>,
    keys: &[WatermarkKey],
    code: fn(&WatermarkKey) -> Option<&SlotCode>,
) -> Option<Mark> {
    struct Candidate<'a> {
        template: &'a str,
        mark: Mark,
        d: usize,
        m: usize,
    }
    let mut candidates: Vec<Candidate<'_>> = Vec::new();
    for key in keys {
        let Some(slots) = code(key) else { continue };
        let bits = codes::string_to_bits(&slots.bits);
        let original = codes::string_to_bits(&slots.original);
        let (mut seen, mut expected, mut orig) = (Vec::new(), Vec::new(), Vec::new());
        for (i, ctx) in slots.contexts.iter().enumerate() {
            if let (Some(&b), Some(&e), Some(&o)) =
                (observed.get(ctx), bits.get(i), original.get(i))
            {
                seen.push(b);
                expected.push(e);
                orig.push(o);
            }
        }
        let m = seen.len();
        if m < MIN_OBSERVED {
            continue;
        }
        let d = codes::distance(&seen, &expected);
        let ones = seen.iter().filter(|&&b| b == 1).count();
        let nulls = [codes::distance(&seen, &orig), ones, m - ones];
        if d <= m / 10 && nulls.iter().all(|&n| n >= d + 2) {
            candidates.push(Candidate {
                template: &key.template_sha256,
                mark: key.mark,
                d,
                m,
            });
        }
    }
    let best = candidates.iter().min_by_key(|c| (c.d, usize::MAX - c.m))?;
    let rival = candidates.iter().any(|c| {
        c.mark != best.mark && (c.template == best.template || c.m >= best.m) && c.d < best.d + 2
    });
    (!rival).then_some(best.mark)
}

/// Each carrier's reading of `bytes` (a file named `name`, when known),
/// decoded on its own: `(carrier, mark)` for every carrier that found a
/// valid mark. The keyed carriers need `keys`, the keys of the registered
/// copies (any templates).
pub fn decode_carriers(
    bytes: &[u8],
    name: Option<&str>,
    keys: &[WatermarkKey],
) -> Vec<(&'static str, Mark)> {
    let attempt = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        decode_inner(bytes, name, keys)
    }));
    attempt.unwrap_or_default()
}

fn decode_inner(
    bytes: &[u8],
    name: Option<&str>,
    keys: &[WatermarkKey],
) -> Vec<(&'static str, Mark)> {
    let mut out = Vec::new();
    let Some(format) = Format::detect(bytes, name) else {
        return out;
    };
    let Ok(doc) = read_text(format, bytes) else {
        if let Some(m) = properties(format, bytes)
            .iter()
            .find_map(|v| codes::property_mark(v))
        {
            out.push((PROPERTY, m));
        }
        return out;
    };
    let joined: String = doc
        .segments
        .iter()
        .flat_map(|s| [s.text.as_str(), s.sep])
        .collect();
    let frames: Vec<Mark> = text::frames_in(&joined)
        .into_iter()
        .filter_map(codes::zero_width_mark)
        .collect();
    if let Some(m) = majority(&frames) {
        out.push((ZERO_WIDTH, m));
    }
    if !keys.is_empty() && text_len(&doc) <= MAX_TEXT {
        let view = View::new(&doc);
        let toks = text::tokenize(&view.clean);
        let observe = |choices: Vec<Choice>| -> HashMap<String, u8> {
            text::unique(choices)
                .into_iter()
                .map(|c| (c.ctx, c.bit))
                .collect()
        };
        let words = observe(text::wording_choices(&view.clean, &toks));
        if let Some(m) = match_keys(&words, keys, |k| k.wording.as_ref()) {
            out.push((WORDING, m));
        }
        let spaces = observe(text::whitespace_choices(&view.clean, &toks, doc.line_slots));
        if let Some(m) = match_keys(&spaces, keys, |k| k.whitespace.as_ref()) {
            out.push((WHITESPACE, m));
        }
    }
    if let Some(m) = properties(format, bytes)
        .iter()
        .find_map(|v| codes::property_mark(v))
    {
        out.push((PROPERTY, m));
    }
    out.sort_by_key(|(c, _)| CARRIERS.iter().position(|k| k == c));
    out
}

/// Which copy `bytes` (a file named `name`, when known) is, from the
/// carriers that survived: the mark most carriers read (ties go to the
/// carrier with the strongest check: property, zero-width, wording,
/// whitespace). `None` when no carrier reads a valid mark: not a decoy,
/// or every carrier stripped.
pub fn recover(bytes: &[u8], name: Option<&str>, keys: &[WatermarkKey]) -> Option<Recovered> {
    let found = decode_carriers(bytes, name, keys);
    let strength = |c: &str| match c {
        PROPERTY => 4,
        ZERO_WIDTH => 3,
        WORDING => 2,
        _ => 1,
    };
    let mut votes: HashMap<Mark, (usize, usize)> = HashMap::new();
    for (carrier, mark) in &found {
        let v = votes.entry(*mark).or_default();
        v.0 += 1;
        v.1 = v.1.max(strength(carrier));
    }
    let (&mark, _) = votes.iter().max_by_key(|(m, v)| (**v, m.0))?;
    let pick = |same: bool| -> Vec<&'static str> {
        found
            .iter()
            .filter(|(_, m)| (*m == mark) == same)
            .map(|(c, _)| *c)
            .collect()
    };
    Some(Recovered {
        mark,
        carriers: pick(true),
        conflicting: pick(false),
    })
}

fn group_digits(digits: &str) -> String {
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

/// What a careful leaker (or a newsroom's sanitiser) does to one carrier:
/// `zero-width` deletes invisible characters, `whitespace` collapses runs
/// of spaces and drops spaces at line ends, `wording` rewrites every
/// phrase of the list to its variant A (numbers of four digits or more
/// with a separator, straight apostrophes), `property` deletes the custom
/// properties (docx, xlsx: `docProps/custom.xml`; PDF: the information
/// dictionary's non-standard keys). Used to measure how each carrier
/// stands alone.
pub fn strip(bytes: &[u8], name: Option<&str>, carrier: &str) -> Result<Vec<u8>> {
    let format = Format::detect(bytes, name).context("not a docx, xlsx, pdf, txt or eml file")?;
    if carrier == PROPERTY {
        if !format.carriers().contains(&PROPERTY) {
            return Ok(bytes.to_vec());
        }
        let empty = TextDoc {
            segments: Vec::new(),
            line_slots: false,
        };
        return write(format, bytes, &empty, &[], &PropertyOp::Remove);
    }
    let doc = read_text(format, bytes)?;
    let mut edits = Vec::new();
    match carrier {
        ZERO_WIDTH => {
            for (seg, s) in doc.segments.iter().enumerate() {
                for (i, c) in s.text.char_indices() {
                    if text::is_invisible(c) && s.can(&(i..i + c.len_utf8()), "") {
                        edits.push(Edit {
                            seg,
                            range: i..i + c.len_utf8(),
                            ins: String::new(),
                        });
                    }
                }
            }
        }
        WHITESPACE => {
            for (seg, s) in doc.segments.iter().enumerate() {
                let b = s.text.as_bytes();
                let mut i = 0;
                while i < b.len() {
                    if b[i] != b' ' {
                        i += 1;
                        continue;
                    }
                    let start = i;
                    while i < b.len() && b[i] == b' ' {
                        i += 1;
                    }
                    let at_line_end = matches!(b.get(i), Some(b'\r' | b'\n'));
                    let keep = if at_line_end { "" } else { " " };
                    if i - start != keep.len() && s.can(&(start..i), keep) {
                        edits.push(Edit {
                            seg,
                            range: start..i,
                            ins: keep.to_owned(),
                        });
                    }
                }
            }
        }
        WORDING => {
            let view = View::new(&doc);
            for t in text::tokenize(&view.clean) {
                let shown = &view.clean[t.range.clone()];
                let want = match t.kind {
                    text::TokKind::Phrase { pair, variant: 1 } => {
                        let a = wording::PAIRS[pair].a;
                        let upper = shown.chars().next().is_some_and(char::is_uppercase);
                        let mut s: String = a.to_owned();
                        if upper {
                            s = a
                                .chars()
                                .enumerate()
                                .flat_map(|(i, c)| {
                                    if i == 0 {
                                        c.to_uppercase().collect::<Vec<_>>()
                                    } else {
                                        vec![c]
                                    }
                                })
                                .collect();
                        }
                        s
                    }
                    text::TokKind::Number { grouped: false } if t.key.len() >= 4 => {
                        group_digits(&t.key)
                    }
                    text::TokKind::Apos { curly: true } => "'".to_owned(),
                    _ => continue,
                };
                if let Some((seg, range)) = view.locate(&t.range) {
                    if doc.segments[seg].can(&range, &want) {
                        edits.push(Edit {
                            seg,
                            range,
                            ins: want,
                        });
                    }
                }
            }
        }
        other => bail!("no carrier {other:?}: one of {CARRIERS:?}"),
    }
    write(format, bytes, &doc, &edits, &PropertyOp::Keep)
}
