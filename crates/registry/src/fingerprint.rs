//! Fingerprints of one file or message: what the registry keeps of a
//! document, and what an item of a leak is compared with.
//!
//! A fingerprint has the exact content hash (SHA-256 of the bytes: same
//! bytes, same file) and, for anything with text, two similarity digests of
//! its *normalised* text, so an edited copy, or the same text re-saved in
//! another format, is still found:
//!
//! - a MinHash signature ([`MINHASH_PERMUTATIONS`] values) over the set of
//!   [`SHINGLE_WORDS`]-word shingles: the share of equal values estimates
//!   the Jaccard similarity of two texts' shingle sets, and bands of it
//!   index the registry for candidates (`store`, `matching`);
//! - a TLSH digest (Trend Micro's locality-sensitive hash, 128 buckets,
//!   1-byte checksum, the `T1…` form of the reference implementation) over
//!   the normalised text, whose distance is reported next to the
//!   similarity.
//!
//! ## Text
//!
//! [`text_of`] takes the text of documents from `tamis_docs::inspect` (PDF,
//! OOXML, ODF, legacy OLE2 Office, plain text, HTML; at most 1 MiB of text,
//! its default bound) and, for an RFC 5322 message (`.eml`, or bytes that
//! start with a header block), its decoded subject and plain body from
//! `tamis_content::extract` (the HTML body's text when there is no plain
//! one). Headers other than the subject are left out: a forger re-dating
//! or re-addressing a message must not hide that its text is ours.
//!
//! ## Normalisation ([`normalize`])
//!
//! Everything a re-save, a watermark or a typographer changes without
//! changing the words is folded away:
//!
//! 1. format characters are dropped *before* words are cut, so a
//!    zero-width character inside a word leaves the word whole: U+00AD
//!    (soft hyphen), U+034F, U+061C, U+180E, U+200B–U+200F, U+202A–U+202E,
//!    U+2060–U+2064, U+2066–U+2069, U+FE00–U+FE0F, U+FEFF;
//! 2. compatibility decomposition (NFKD, `unicode-normalization`): ligatures
//!    (`ﬁ`), full-width and superscript forms, non-breaking and thin spaces
//!    become their plain forms; combining marks are then dropped, so accents
//!    fold (`é` → `e`); a small table folds the letters NFKD keeps
//!    (`œ` → `oe`, `æ` → `ae`, `ß` → `ss`, `ø` → `o`, `ł` → `l`, `đ` → `d`);
//! 3. lowercase;
//! 4. words are the runs of alphanumeric characters; everything else
//!    (whitespace of any width, punctuation, quotes of any style) only
//!    separates them. The normalised text is the words joined by one space.
//!
//! Bounds: at most [`MAX_WORDS`] words are fingerprinted (the first ones),
//! and a word longer than [`MAX_WORD_CHARS`] characters is cut there, so a
//! hostile text of any size costs linear time and bounded memory.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::str::FromStr;

/// Words per shingle. Three words keep a shingle specific (a one-word
/// edit changes at most three shingles) while stock phrases of a letterhead
/// stay a small share of a real document.
pub const SHINGLE_WORDS: usize = 3;
/// MinHash signature length. The standard error of the Jaccard estimate is
/// `sqrt(J(1-J)/128)`: at most 0.044, 0.03 around J = 0.9.
pub const MINHASH_PERMUTATIONS: usize = 128;
/// Below this many words a text says too little to be attributed to one
/// registered document ("OK, merci", a signature alone): no MinHash, and
/// only the exact hash can match it.
pub const MIN_WORDS_FOR_MINHASH: usize = 8;
/// At most this many words of a text are fingerprinted (the first ones).
pub const MAX_WORDS: usize = 1_000_000;
/// A longer run of letters is cut to its first this many characters.
pub const MAX_WORD_CHARS: usize = 64;
/// TLSH needs this many bytes of normalised text, else `None`.
pub const MIN_TLSH_BYTES: usize = 50;
/// Names everything above that a stored fingerprint depends on; the
/// registry records it and refuses to mix fingerprints of two schemes.
pub const SCHEME: &str =
    "tamis-fp-1 nfkd-fold words k=3 minhash=128 multiply-shift splitmix64(0x74616d69735f7231) tlsh=128/1";

/// What is kept of one file or message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fingerprint {
    /// SHA-256 of the exact bytes, lowercase hex.
    pub sha256: String,
    pub size: u64,
    /// What the bytes are: `pdf`, `ooxml`, `odf`, `ole2`, `text`, `html`,
    /// `jpeg`, `tiff`, `png`, `unknown` (tamis-docs' kinds) or `message`.
    pub format: String,
    /// Words of the normalised text (at most [`MAX_WORDS`]).
    pub words: u32,
    /// Distinct shingles of the normalised text: the set size the MinHash
    /// summarises, used to estimate containment from the similarity.
    #[serde(default)]
    pub shingles: u32,
    /// [`MINHASH_PERMUTATIONS`] values, `None` under
    /// [`MIN_WORDS_FOR_MINHASH`] words.
    pub minhash: Option<Vec<u32>>,
    /// TLSH digest (`T1` + 70 hex digits) of the normalised text, `None`
    /// under [`MIN_TLSH_BYTES`] bytes or when TLSH finds too little
    /// variety in them.
    pub tlsh: Option<String>,
}

/// Fingerprints `bytes` (a file named `name`, when known).
pub fn of(bytes: &[u8], name: Option<&str>) -> Fingerprint {
    let (format, text) = read(bytes, name);
    with_text(bytes, &format, text.as_deref())
}

/// Fingerprints `bytes` whose text the caller already has (ingest has
/// inspected documents and parsed messages before the registry sees
/// them): `format` as [`format_of`] says, `text` as [`text_of`] would
/// give it.
pub fn with_text(bytes: &[u8], format: &str, text: Option<&str>) -> Fingerprint {
    let normalized = text.map(normalize).unwrap_or_default();
    let words: Vec<&str> = if normalized.is_empty() {
        Vec::new()
    } else {
        normalized.split(' ').collect()
    };
    let (minhash, shingles) = match minhash_of_words(&words) {
        Some((signature, shingles)) => (Some(signature), shingles),
        None => (None, 0),
    };
    Fingerprint {
        sha256: hex::encode(Sha256::digest(bytes)),
        size: bytes.len() as u64,
        format: format.to_owned(),
        words: words.len() as u32,
        shingles,
        minhash,
        tlsh: tlsh_of(normalized.as_bytes()),
    }
}

/// The text a fingerprint is made of, before normalisation: a document's
/// extracted text, a message's subject and plain body. `None` when the
/// bytes have no text that can be read.
pub fn text_of(bytes: &[u8], name: Option<&str>) -> Option<String> {
    read(bytes, name).1
}

/// What the bytes are, in [`Fingerprint::format`]'s words.
pub fn format_of(bytes: &[u8], name: Option<&str>) -> String {
    let kind = tamis_docs::detect(bytes, name);
    if is_message(kind, bytes, name) {
        return "message".to_owned();
    }
    kind_name(kind)
}

fn kind_name(kind: tamis_docs::Kind) -> String {
    serde_json::to_value(kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_else(|| "unknown".to_owned())
}

fn read(bytes: &[u8], name: Option<&str>) -> (String, Option<String>) {
    let kind = tamis_docs::detect(bytes, name);
    if is_message(kind, bytes, name) {
        let content = tamis_content::extract(bytes);
        let mut text = String::new();
        if let Some(subject) = &content.subject {
            text.push_str(subject);
            text.push('\n');
        }
        text.push_str(&content.text_body);
        let text = (!text.trim().is_empty()).then_some(text);
        return ("message".to_owned(), text);
    }
    let report = tamis_docs::inspect(bytes, name, &tamis_docs::Options::default());
    let text = report.text.filter(|t| !t.trim().is_empty());
    (kind_name(kind), text)
}

/// An RFC 5322 message: named `.eml`, or text whose first lines are a
/// header block naming at least one of the fields every message has.
fn is_message(kind: tamis_docs::Kind, bytes: &[u8], name: Option<&str>) -> bool {
    if !matches!(kind, tamis_docs::Kind::Text | tamis_docs::Kind::Unknown) {
        return false;
    }
    let lower = name.unwrap_or("").to_ascii_lowercase();
    if lower.ends_with(".eml") || lower.ends_with(".msg.txt") {
        return true;
    }
    looks_like_headers(bytes)
}

fn looks_like_headers(bytes: &[u8]) -> bool {
    const KNOWN: [&str; 6] = [
        "from",
        "date",
        "subject",
        "message-id",
        "received",
        "return-path",
    ];
    let head = &bytes[..bytes.len().min(64 * 1024)];
    let mut known = 0;
    let mut fields = 0;
    for (number, line) in head.split(|&b| b == b'\n').enumerate() {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.is_empty() {
            break;
        }
        if number == 0 && line.starts_with(b"From ") {
            continue; // an mbox separator line
        }
        if line[0] == b' ' || line[0] == b'\t' {
            if fields == 0 {
                return false;
            }
            continue;
        }
        let Some(colon) = line.iter().position(|&b| b == b':') else {
            return false;
        };
        let field = &line[..colon];
        if field.is_empty() || !field.iter().all(|&b| b.is_ascii_graphic()) {
            return false;
        }
        fields += 1;
        let field = String::from_utf8_lossy(field).to_ascii_lowercase();
        if KNOWN.contains(&field.as_str()) {
            known += 1;
        }
    }
    fields >= 2 && known >= 1
}

/// Normalised text: the words of `text` (see the module's documentation)
/// joined by one space, at most [`MAX_WORDS`] of them.
pub fn normalize(text: &str) -> String {
    let mut out = Words {
        out: String::with_capacity(text.len().min(16 << 20)),
        words: 0,
        word_chars: 0,
        in_word: false,
    };
    let table = latin_table();
    for c in text.chars() {
        if c.is_ascii() {
            // ASCII has no decomposition, no combining mark and no fold:
            // the general path below gives exactly this.
            if c.is_ascii_alphanumeric() {
                if !out.start_word() {
                    break;
                }
                out.push(c.to_ascii_lowercase());
            } else {
                out.in_word = false;
            }
            continue;
        }
        if is_format(c) {
            continue;
        }
        if let Some(events) = table.get(c as usize) {
            // What the general path does for `c`, recorded once.
            let mut ended = false;
            for event in events.iter() {
                match event {
                    Event::Separator => out.in_word = false,
                    Event::Letters(folded) => {
                        if !out.start_word() {
                            ended = true;
                            break;
                        }
                        for f in folded.chars() {
                            out.push(f);
                        }
                    }
                }
            }
            if ended {
                break;
            }
            continue;
        }
        let mut ended = false;
        unicode_normalization::char::decompose_compatible(c, |d| {
            if ended || unicode_normalization::char::is_combining_mark(d) {
                return;
            }
            if d.is_alphanumeric() {
                if !out.start_word() {
                    ended = true;
                    return;
                }
                push_folded(d, &mut out.out, &mut out.word_chars);
            } else {
                out.in_word = false;
            }
        });
        if ended {
            break;
        }
    }
    out.out
}

/// The normalised text being written.
struct Words {
    out: String,
    words: usize,
    word_chars: usize,
    in_word: bool,
}

impl Words {
    /// Before an alphanumeric character: starts a word unless in one;
    /// `false` when that word would be one over [`MAX_WORDS`].
    #[inline]
    fn start_word(&mut self) -> bool {
        if !self.in_word {
            if self.words == MAX_WORDS {
                return false;
            }
            if self.words > 0 {
                self.out.push(' ');
            }
            self.words += 1;
            self.word_chars = 0;
            self.in_word = true;
        }
        true
    }

    /// One folded character of the current word, if it has room.
    #[inline]
    fn push(&mut self, c: char) {
        if self.word_chars < MAX_WORD_CHARS {
            self.out.push(c);
            self.word_chars += 1;
        }
    }
}

/// What normalising one character does, in order: end the current word,
/// or add an alphanumeric character folded to these characters (none when
/// folding drops them all, which still starts a word).
enum Event {
    Separator,
    Letters(Box<str>),
}

/// Characters below this are normalised through [`latin_table`].
const TABLE_CHARS: usize = 0x800;

/// For each non-ASCII character under [`TABLE_CHARS`] (Latin-1, Latin
/// Extended, Greek, Cyrillic…), the events the general path of
/// [`normalize`] produces for it, computed by that same code once, so the
/// table cannot disagree with it.
fn latin_table() -> &'static [Box<[Event]>] {
    static TABLE: std::sync::OnceLock<Vec<Box<[Event]>>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        (0..TABLE_CHARS as u32)
            .map(|code| {
                let mut events = Vec::new();
                let Some(c) = char::from_u32(code) else {
                    return events.into_boxed_slice();
                };
                if c.is_ascii() || is_format(c) {
                    return events.into_boxed_slice();
                }
                unicode_normalization::char::decompose_compatible(c, |d| {
                    if unicode_normalization::char::is_combining_mark(d) {
                        return;
                    }
                    if d.is_alphanumeric() {
                        let mut folded = String::new();
                        let mut chars = 0;
                        push_folded(d, &mut folded, &mut chars);
                        events.push(Event::Letters(folded.into_boxed_str()));
                    } else {
                        events.push(Event::Separator);
                    }
                });
                events.into_boxed_slice()
            })
            .collect()
    })
}

/// Lowercases `c` and folds the letters NFKD leaves alone, counting the
/// word's characters against [`MAX_WORD_CHARS`].
fn push_folded(c: char, out: &mut String, word_chars: &mut usize) {
    let folded: &str = match c {
        'œ' | 'Œ' => "oe",
        'æ' | 'Æ' => "ae",
        'ß' | 'ẞ' => "ss",
        'ø' | 'Ø' => "o",
        'ł' | 'Ł' => "l",
        'đ' | 'Đ' => "d",
        'ı' => "i",
        _ => "",
    };
    if !folded.is_empty() {
        for f in folded.chars() {
            if *word_chars < MAX_WORD_CHARS {
                out.push(f);
                *word_chars += 1;
            }
        }
        return;
    }
    for l in c.to_lowercase() {
        // Lowercasing can bring a combining mark back (`İ` → `i̇`).
        if unicode_normalization::char::is_combining_mark(l) {
            continue;
        }
        if *word_chars < MAX_WORD_CHARS {
            out.push(l);
            *word_chars += 1;
        }
    }
}

/// Characters that show nothing (or only steer layout): watermarks hide
/// in them, so they never count.
pub fn is_format(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{061C}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
    )
}

// ---------------------------------------------------------------------------
// MinHash

/// splitmix64's finaliser: a bijective 64-bit mix (Steele et al. 2014).
const fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The permutations: `h_i(x) = (A_i * x + B_i) >> 32` (multiply-shift
/// hashing of the already mixed 64-bit shingle hash), `A_i` odd. The
/// constants come from splitmix64 seeded with "tamis_r1": fixed forever,
/// since registries store signatures made with them.
const PERMUTATIONS: [(u64, u64); MINHASH_PERMUTATIONS] = {
    let mut table = [(0u64, 0u64); MINHASH_PERMUTATIONS];
    let mut state: u64 = 0x7461_6d69_735f_7231;
    let mut i = 0;
    while i < MINHASH_PERMUTATIONS {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let a = mix64(state) | 1;
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let b = mix64(state);
        table[i] = (a, b);
        i += 1;
    }
    table
};

/// [`PERMUTATIONS`]' multipliers, split in low and high 32-bit halves,
/// and addends apart, for the inner loop.
const PERMUTATION_AL: [u32; MINHASH_PERMUTATIONS] = {
    let mut a = [0u32; MINHASH_PERMUTATIONS];
    let mut i = 0;
    while i < MINHASH_PERMUTATIONS {
        a[i] = PERMUTATIONS[i].0 as u32;
        i += 1;
    }
    a
};
const PERMUTATION_AH: [u32; MINHASH_PERMUTATIONS] = {
    let mut a = [0u32; MINHASH_PERMUTATIONS];
    let mut i = 0;
    while i < MINHASH_PERMUTATIONS {
        a[i] = (PERMUTATIONS[i].0 >> 32) as u32;
        i += 1;
    }
    a
};
const PERMUTATION_B: [u64; MINHASH_PERMUTATIONS] = {
    let mut b = [0u64; MINHASH_PERMUTATIONS];
    let mut i = 0;
    while i < MINHASH_PERMUTATIONS {
        b[i] = PERMUTATIONS[i].1;
        i += 1;
    }
    b
};

/// FNV-1a over a word's bytes, then mixed: a stable hash (std's hasher is
/// not promised to stay the same across Rust releases).
fn word_hash(word: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in word.as_bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    mix64(h)
}

/// The distinct shingle hashes of `words`, sorted. A text shorter than a
/// shingle is one shingle.
pub fn shingle_hashes(words: &[&str]) -> Vec<u64> {
    let hashes: Vec<u64> = words.iter().map(|w| word_hash(w)).collect();
    let mut shingles: Vec<u64> = if hashes.len() < SHINGLE_WORDS {
        vec![hashes.iter().fold(0u64, |acc, &h| mix64(acc ^ h))]
    } else {
        hashes
            .windows(SHINGLE_WORDS)
            .map(|w| w.iter().fold(0u64, |acc, &h| mix64(acc ^ h)))
            .collect()
    };
    shingles.sort_unstable();
    shingles.dedup();
    shingles
}

/// The MinHash signature of a normalised text's words and its number of
/// distinct shingles; `None` under [`MIN_WORDS_FOR_MINHASH`] words.
pub fn minhash_of_words(words: &[&str]) -> Option<(Vec<u32>, u32)> {
    if words.len() < MIN_WORDS_FOR_MINHASH {
        return None;
    }
    let shingles = shingle_hashes(words);
    let mut signature = [u32::MAX; MINHASH_PERMUTATIONS];
    min_hashes(&mut signature, &shingles);
    Some((signature.to_vec(), shingles.len() as u32))
}

/// Lowers each `signature[i]` to the least `h_i(x)` over `shingles`, with
/// the widest vectors the processor has.
fn min_hashes(signature: &mut [u32; MINHASH_PERMUTATIONS], shingles: &[u64]) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the processor has AVX2, just checked.
        unsafe { min_hashes_avx2(signature, shingles) };
        return;
    }
    min_hashes_scalar(signature, shingles);
}

/// [`min_hashes_halves`] compiled for AVX2, where it vectorises (the
/// x86-64 baseline has no 32-bit vector multiply or unsigned minimum).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn min_hashes_avx2(signature: &mut [u32; MINHASH_PERMUTATIONS], shingles: &[u64]) {
    min_hashes_halves(signature, shingles);
}

/// The permutations as written: fastest without vectors.
fn min_hashes_scalar(signature: &mut [u32; MINHASH_PERMUTATIONS], shingles: &[u64]) {
    for &x in shingles {
        for i in 0..MINHASH_PERMUTATIONS {
            let (a, b) = PERMUTATIONS[i];
            let h = (a.wrapping_mul(x).wrapping_add(b) >> 32) as u32;
            signature[i] = signature[i].min(h);
        }
    }
}

/// The same values from 32-bit multiplies alone, for vectors: with
/// `A * x = Al*xl + ((Al*xh + Ah*xl) << 32) (mod 2^64)`, the high half of
/// `(A * x + B) mod 2^64` is the high half of `Al*xl + B` (mod 2^64) plus
/// the cross terms (mod 2^32).
#[inline(always)]
fn min_hashes_halves(signature: &mut [u32; MINHASH_PERMUTATIONS], shingles: &[u64]) {
    for &x in shingles {
        let (xl, xh) = (x as u32, (x >> 32) as u32);
        for i in 0..MINHASH_PERMUTATIONS {
            let low = u64::from(PERMUTATION_AL[i]) * u64::from(xl);
            let high = (low.wrapping_add(PERMUTATION_B[i]) >> 32) as u32;
            let cross = PERMUTATION_AL[i]
                .wrapping_mul(xh)
                .wrapping_add(PERMUTATION_AH[i].wrapping_mul(xl));
            signature[i] = signature[i].min(high.wrapping_add(cross));
        }
    }
}

/// Estimated Jaccard similarity of two signatures' shingle sets: the share
/// of equal values (0 when the lengths differ).
pub fn jaccard(a: &[u32], b: &[u32]) -> f64 {
    if a.len() != b.len() || a.is_empty() {
        return 0.0;
    }
    let equal = a.iter().zip(b).filter(|(x, y)| x == y).count();
    equal as f64 / a.len() as f64
}

/// Estimated share of `original`'s shingles that are also in the other
/// text, from the Jaccard estimate `similarity` and both set sizes:
/// `|A ∩ B| = J (|A| + |B|) / (1 + J)`, divided by `|original|`.
pub fn containment(similarity: f64, original_shingles: u32, other_shingles: u32) -> f64 {
    if original_shingles == 0 {
        return 0.0;
    }
    let both = similarity * (f64::from(original_shingles) + f64::from(other_shingles))
        / (1.0 + similarity);
    (both / f64::from(original_shingles)).clamp(0.0, 1.0)
}

// ---------------------------------------------------------------------------
// TLSH

/// TLSH digest of `bytes` (128 buckets, 1-byte checksum, `T1` prefix, as
/// the reference implementation prints it), `None` when it cannot be made.
pub fn tlsh_of(bytes: &[u8]) -> Option<String> {
    if bytes.len() < MIN_TLSH_BYTES {
        return None;
    }
    let digest = tlsh2::TlshDefaultBuilder::build_from(bytes)?;
    String::from_utf8(digest.hash().to_vec()).ok()
}

/// A parsed TLSH digest, to compare many times without parsing again.
pub type Tlsh = tlsh2::TlshDefault;

/// Parses a digest made by [`tlsh_of`].
pub fn parse_tlsh(digest: &str) -> Option<Tlsh> {
    Tlsh::from_str(digest).ok()
}

/// TLSH distance (with the length term, as the reference's default):
/// 0 for the same digest, under ~50 for near-identical texts, hundreds for
/// unrelated ones. `None` when either digest does not parse.
pub fn tlsh_distance(a: &str, b: &str) -> Option<u32> {
    Some(parse_tlsh(a)?.diff(&parse_tlsh(b)?, true).max(0) as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        normalize(text).split(' ').map(str::to_owned).collect()
    }

    #[test]
    fn zero_width_and_format_characters_do_not_count() {
        let plain = "La campagne confirme le rendez-vous de jeudi.";
        let marked =
            "La cam\u{200B}pagne con\u{200D}firme\u{FEFF} le \u{2060}rendez\u{00AD}-vous de jeudi.";
        assert_eq!(normalize(plain), normalize(marked));
        assert_eq!(of(plain.as_bytes(), Some("a.txt")).minhash, {
            of(marked.as_bytes(), Some("b.txt")).minhash
        });
    }

    #[test]
    fn accents_case_ligatures_and_spaces_fold() {
        assert_eq!(
            normalize("Élysée  ÉTÉ\u{00A0}Œuvre ﬁnancière — «Noël» Straße"),
            "elysee ete oeuvre financiere noel strasse"
        );
        assert_eq!(normalize("12\u{202F}500 €, l’équipe"), "12 500 l equipe");
        assert_eq!(normalize("  \n\t "), "");
        assert_eq!(words("a-b"), vec!["a", "b"]);
        assert_eq!(normalize(""), "");
    }

    #[test]
    fn whitespace_and_punctuation_only_separate() {
        assert_eq!(
            normalize("Budget:\n\n  total   = 1,5 M"),
            normalize("budget total 1 5 m")
        );
    }

    #[test]
    fn words_are_bounded() {
        let long_word = "a".repeat(10_000);
        assert_eq!(normalize(&long_word).len(), MAX_WORD_CHARS);
        let many = "mot ".repeat(MAX_WORDS + 10);
        let n = normalize(&many);
        assert_eq!(n.split(' ').count(), MAX_WORDS);
        let fp = with_text(many.as_bytes(), "text", Some(&many));
        assert_eq!(fp.words as usize, MAX_WORDS);
    }

    #[test]
    fn minhash_is_deterministic_and_pinned() {
        let text = "Le comité de campagne se réunira jeudi à dix heures au siège pour \
                    arrêter le budget des déplacements de mai.";
        let a = of(text.as_bytes(), Some("a.txt"));
        let b = of(text.as_bytes(), Some("a.txt"));
        assert_eq!(a, b);
        let sig = a.minhash.expect("long enough for a signature");
        assert_eq!(sig.len(), MINHASH_PERMUTATIONS);
        assert_eq!(a.words, 20);
        assert_eq!(a.shingles, 18);
        // Registries store signatures: the scheme must never drift. These
        // values were printed by the first version; a change here means a
        // new SCHEME and a registry migration, not a new expected value.
        assert_eq!(&sig[..4], &PINNED_SIGNATURE_HEAD);
    }

    #[test]
    fn minhash_kernels_agree() {
        let mut state = 0x1234_5678_9abc_def0u64;
        let shingles: Vec<u64> = (0..500)
            .map(|_| {
                state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
                mix64(state)
            })
            .chain([0, 1, u64::MAX, 1 << 32, u64::from(u32::MAX)])
            .collect();
        let mut scalar = [u32::MAX; MINHASH_PERMUTATIONS];
        min_hashes_scalar(&mut scalar, &shingles);
        let mut halves = [u32::MAX; MINHASH_PERMUTATIONS];
        min_hashes_halves(&mut halves, &shingles);
        let mut dispatched = [u32::MAX; MINHASH_PERMUTATIONS];
        min_hashes(&mut dispatched, &shingles);
        assert_eq!(scalar, halves);
        assert_eq!(scalar, dispatched);
        for &x in &shingles {
            let mut one = [u32::MAX; MINHASH_PERMUTATIONS];
            min_hashes_halves(&mut one, &[x]);
            for (i, &(a, b)) in PERMUTATIONS.iter().enumerate() {
                assert_eq!(one[i], (a.wrapping_mul(x).wrapping_add(b) >> 32) as u32);
            }
        }
    }

    /// [`normalize`] without its ASCII and table shortcuts: every
    /// character through NFKD, as the first version did.
    fn normalize_general(text: &str) -> String {
        let mut out = String::new();
        let mut words = 0usize;
        let mut word_chars = 0usize;
        let mut in_word = false;
        for c in text.chars() {
            if is_format(c) {
                continue;
            }
            let mut ended = false;
            unicode_normalization::char::decompose_compatible(c, |d| {
                if ended || unicode_normalization::char::is_combining_mark(d) {
                    return;
                }
                if d.is_alphanumeric() {
                    if !in_word {
                        if words == MAX_WORDS {
                            ended = true;
                            return;
                        }
                        if words > 0 {
                            out.push(' ');
                        }
                        words += 1;
                        word_chars = 0;
                        in_word = true;
                    }
                    push_folded(d, &mut out, &mut word_chars);
                } else {
                    in_word = false;
                }
            });
            if ended {
                break;
            }
        }
        out
    }

    #[test]
    fn shortcuts_agree_with_the_general_path() {
        for code in 0..(TABLE_CHARS as u32 + 0x100) {
            let Some(c) = char::from_u32(code) else {
                continue;
            };
            for text in [
                c.to_string(),
                format!("a{c}b"),
                format!("{c}{c} x{c} {c}y"),
                format!("{}{c}{c}", "w".repeat(MAX_WORD_CHARS - 1)),
            ] {
                assert_eq!(normalize(&text), normalize_general(&text), "U+{code:04X}");
            }
        }
        let text = "Le Comité ÉTÉ Œuvre ﬁnancière — «Noël» Straße 12\u{202F}500 €, l’équipe \
                    İstanbul Ærø Łódź ǅ ⅷ ① x² a\u{200B}b\u{00AD}c";
        assert_eq!(normalize(text), normalize_general(text));
    }

    const PINNED_SIGNATURE_HEAD: [u32; 4] = [392_407_747, 378_784_574, 452_502_239, 635_542_489];

    #[test]
    fn similar_texts_have_similar_signatures() {
        let base: Vec<String> = (0..300).map(|i| format!("mot{}", i % 97 + i)).collect();
        let original = base.join(" ");
        let mut edited = base.clone();
        edited[150] = "changé".into();
        let edited = edited.join(" ");
        let a = of(original.as_bytes(), None);
        let b = of(edited.as_bytes(), None);
        let j = jaccard(a.minhash.as_ref().unwrap(), b.minhash.as_ref().unwrap());
        // True Jaccard: 295 / 301 = 0.98.
        assert!(j > 0.9, "{j}");
        let other = (0..300)
            .map(|i| format!("autre{i}"))
            .collect::<Vec<_>>()
            .join(" ");
        let c = of(other.as_bytes(), None);
        let j = jaccard(a.minhash.as_ref().unwrap(), c.minhash.as_ref().unwrap());
        assert!(j < 0.05, "{j}");
    }

    #[test]
    fn short_texts_have_no_signature() {
        let fp = of(b"OK, merci.", Some("a.txt"));
        assert_eq!(fp.words, 2);
        assert!(fp.minhash.is_none());
        assert!(fp.tlsh.is_none());
        let fp = of(b"", Some("a.txt"));
        assert_eq!((fp.words, fp.shingles), (0, 0));
        assert_eq!(
            fp.sha256,
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    /// `small.txt` and `small2.txt` of Trend Micro's TLSH repository
    /// (Testing/example_data) and the digests its reference build prints
    /// for them (Testing/exp/example_data.128.1.len.out_EXP), with their
    /// distance from example_data.128.1.len.xref.scores_EXP.
    #[test]
    fn tlsh_matches_the_reference_vectors() {
        const SMALL: &[u8] = b"bfghjdbkfdj376t4en, i7e2w 8o\tq22we ,9wq12q ,32qTE$#!#$%^I&*\n";
        const SMALL2: &[u8] =
            b"'Type \"copyright\", \"credits\" or \"license\" for more information.\xe2\x80\x99\n";
        let a = tlsh_of(SMALL).unwrap();
        let b = tlsh_of(SMALL2).unwrap();
        assert_eq!(
            a,
            "T1F8A0220C0F8C0023CB880800CA33E88B8F0C022AB302C2008A030300300E8A00C83AAC"
        );
        assert_eq!(
            b,
            "T1C6A022A2E0008CC320C083A3E20AA888022A00000A0AB0088828022A0008A00022F22A"
        );
        assert_eq!(tlsh_distance(&a, &b), Some(221));
        assert_eq!(tlsh_distance(&a, &a), Some(0));
        assert_eq!(tlsh_of(&SMALL[..49]), None);
        assert_eq!(tlsh_distance(&a, "T1ZZ"), None);
    }

    #[test]
    fn messages_are_read_as_subject_and_body() {
        let eml = b"From: Anne <anne@example.fr>\r\nTo: Paul <paul@example.fr>\r\n\
                    Subject: =?utf-8?q?R=C3=A9union_budget?=\r\nDate: Mon, 1 May 2017 10:00:00 +0200\r\n\
                    Content-Type: text/plain; charset=utf-8\r\n\r\nBonjour Paul,\r\nle budget est pr\xc3\xaat.\r\n";
        assert_eq!(format_of(eml, None), "message");
        assert_eq!(format_of(eml, Some("x.eml")), "message");
        let text = text_of(eml, None).unwrap();
        assert!(text.starts_with("Réunion budget\n"), "{text}");
        assert!(text.contains("le budget est prêt."), "{text}");
        assert!(!text.contains("anne@example.fr"));
        assert_eq!(format_of(b"Just some text: with a colon\n", None), "text");
        assert_eq!(format_of(b"%PDF-1.4\n", Some("x.eml")), "pdf");
    }
}
