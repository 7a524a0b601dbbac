//! Matching an item of a leak against the registry: one verdict per item.
//!
//! - `registry-identical`: the same bytes as a registered genuine file;
//! - `registry-altered`: a near-duplicate of a registered genuine file (an
//!   edit, a cut, the same text re-saved in another format), with the
//!   similarity figures that put it there;
//! - `registry-decoy`: a planted decoy, identical or altered, or carrying a
//!   decoy's watermark; with the recipient when known;
//! - `registry-unknown`: nothing like it is registered (for the victim, a
//!   candidate fabrication).
//!
//! [`Matcher::new`] reads the registry once into memory (an exact-hash map,
//! the watermarks of decoys, the signatures and their LSH buckets) and is
//! then shared by every ingest worker (`Send + Sync`, no locks).
//!
//! ## Boilerplate
//!
//! An organisation's documents share a letterhead, a signature block, a
//! legal footer: between two unrelated short mails of the same office
//! these can be most of the text (a Jaccard of up to 0.48 measured
//! between unrelated documents of the corpus, a short note and a long one
//! on the same letterhead). The matcher learns that boilerplate
//! from the registry itself: a MinHash value at a given position that is
//! the minimum of [`BOILERPLATE_DOCUMENTS`] or more *mutually dissimilar*
//! registered documents (Jaccard under [`SAME_DOCUMENT_SIMILARITY`]
//! between them, so the many copies of one decoy or the close versions of
//! one memo do not count) comes from a shingle they share, i.e. from
//! their common text. The limit: documents so short that their
//! boilerplate makes them look like versions of one another (a one-line
//! mail above an 80-word disclaimer) cannot teach it, and are matched on
//! their whole text.
//! Where both signatures hold such a value, the position tells only that
//! both carry the boilerplate; [`Figures::distinctive_similarity`] is the
//! share of equal values among the other positions, which estimates the
//! Jaccard similarity of the two texts *without* the boilerplate (for
//! `X = B ∪ Dx`, `Y = B ∪ Dy`, the minimum over `X ∪ Y` falls in `B`
//! exactly when both signatures hold the same boilerplate value). The
//! bands made only of boilerplate values are left out of the in-memory LSH
//! buckets, so boilerplate shared by a whole registry does not make every
//! document a candidate for every item.
//!
//! ## The altered threshold
//!
//! See [`is_altered`]: the numbers come from `tests/precision_recall.rs`
//! on the corpus of `fixtures/registry/make-registry-corpus.py`.

use crate::fingerprint::{self, Fingerprint, Tlsh, MINHASH_PERMUTATIONS};
use crate::store::{band_buckets, EntryKind, Registry, LSH_BANDS, LSH_ROWS};
use anyhow::Result;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// Accept as altered from this distinctive similarity (estimated Jaccard
/// of the two texts' shingles, the registry's boilerplate set aside).
///
/// Measured on the corpus (`tests/precision_recall.rs`, 40 originals in
/// five formats, 280 altered copies, 80 hard negatives): the hard
/// negatives reach at most 0.135 against any original (0.48 before the
/// boilerplate is set aside), while the copies altered as the issue lists
/// (a word, a figure, a sentence, 20% cut, another format, the three
/// edits combined) are at least 0.387 from their own original, and a copy
/// is at most 0.135 from any other original. 0.25 sits between the two
/// with about four standard errors of the estimate on each side (0.03 for
/// a negative, 0.05 for a copy, at ~100 informative positions), and
/// keeps most copies cut by 40% (0.215–0.6).
pub const MIN_SIMILARITY: f64 = 0.25;
/// …or from this estimated containment of the original's distinctive text
/// in the item (the original kept whole inside a much longer text, whose
/// Jaccard is low)…
pub const MIN_CONTAINMENT: f64 = 0.7;
/// …when the distinctive similarity is at least this. Hard negatives'
/// containment is at most 0.27 on the corpus.
pub const MIN_SIMILARITY_WITH_CONTAINMENT: f64 = 0.12;
/// Fewer positions than this outside the boilerplate, and a pair says too
/// little to be attributed: a text that is nearly all letterhead and
/// footer matches nothing but its exact bytes.
pub const MIN_INFORMATIVE_POSITIONS: u32 = 12;
/// A MinHash value shared at one position by this many mutually dissimilar
/// registered documents is boilerplate.
pub const BOILERPLATE_DOCUMENTS: usize = 3;
/// Registered documents at least this similar (whole texts) are taken as
/// copies or versions of one document when learning the boilerplate.
pub const SAME_DOCUMENT_SIMILARITY: f64 = 0.6;
/// An item sharing LSH buckets with more entries than this has only the
/// ones sharing the most bands compared (a hostile or degenerate text):
/// matching stays bounded.
pub const MAX_CANDIDATES: usize = 2_000;

/// Whether figures between an item and a registered original make it an
/// altered copy of that original.
pub fn is_altered(figures: &Figures) -> bool {
    if figures.informative_positions < MIN_INFORMATIVE_POSITIONS {
        return false;
    }
    let s = figures.distinctive_similarity;
    s >= MIN_SIMILARITY
        || (figures.containment >= MIN_CONTAINMENT && s >= MIN_SIMILARITY_WITH_CONTAINMENT)
}

/// How an item compares with one registered entry.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Figures {
    /// Estimated Jaccard similarity of the two texts' 3-word shingles.
    pub similarity: f64,
    /// The same, the registry's boilerplate set aside (see the module's
    /// documentation): what the decision uses.
    pub distinctive_similarity: f64,
    /// Estimated share of the original's distinctive shingles found in the
    /// item (1.0: all of the original's own text is there).
    pub containment: f64,
    /// TLSH distance of the normalised texts, when both have a digest.
    /// Reported, not used: on the corpus, unrelated documents of the same
    /// office come as close as 54 while altered copies reach 125 (format
    /// changes) and 201 (40% cut).
    pub tlsh_distance: Option<u32>,
    /// Signature positions outside the boilerplate (of 128).
    pub informative_positions: u32,
}

/// The registered entry a verdict points to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatchedEntry {
    pub id: i64,
    pub path: String,
    pub kind: EntryKind,
    pub recipient: Option<String>,
    pub watermark: Option<u32>,
    pub sha256: String,
    pub format: String,
    pub registered_at: i64,
}

/// Why an item is a decoy.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "by", rename_all = "lowercase")]
pub enum DecoyEvidence {
    /// Same bytes as the registered decoy copy.
    Identical,
    /// A near-duplicate of it.
    Altered { figures: Figures },
    /// The watermark recovered from the item is this decoy copy's.
    Watermark { watermark: u32 },
}

/// The registry verdict for one item.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "code")]
pub enum RegistryMatch {
    #[serde(rename = "registry-identical")]
    Identical { entry: MatchedEntry },
    #[serde(rename = "registry-altered")]
    Altered {
        entry: MatchedEntry,
        /// Estimated Jaccard similarity of the two texts' 3-word shingles.
        similarity: f64,
        /// Estimated share of the original's own text found in the item.
        containment: f64,
        /// TLSH distance of the normalised texts, when both have a digest.
        tlsh_distance: Option<u32>,
        /// Every figure, the decision's included.
        figures: Figures,
    },
    #[serde(rename = "registry-decoy")]
    Decoy {
        entry: MatchedEntry,
        /// Who received the copy, when the match says it.
        recipient: Option<String>,
        /// Watermark carriers that survived in the item (filled by the
        /// caller from `decoys::recover`).
        carriers: Vec<String>,
        evidence: DecoyEvidence,
    },
    #[serde(rename = "registry-unknown")]
    Unknown,
}

impl RegistryMatch {
    /// The stable finding code.
    pub fn code(&self) -> &'static str {
        match self {
            RegistryMatch::Identical { .. } => "registry-identical",
            RegistryMatch::Altered { .. } => "registry-altered",
            RegistryMatch::Decoy { .. } => "registry-decoy",
            RegistryMatch::Unknown => "registry-unknown",
        }
    }

    /// The registered entry matched, if any.
    pub fn entry(&self) -> Option<&MatchedEntry> {
        match self {
            RegistryMatch::Identical { entry }
            | RegistryMatch::Altered { entry, .. }
            | RegistryMatch::Decoy { entry, .. } => Some(entry),
            RegistryMatch::Unknown => None,
        }
    }
}

/// One entry as the matcher keeps it.
struct Loaded {
    entry: MatchedEntry,
    shingles: u32,
    /// Offset of its signature in `Matcher::signatures`.
    signature: Option<usize>,
    /// Positions of its signature holding a boilerplate value.
    boilerplate: u128,
    tlsh: Option<Tlsh>,
}

/// The registry in memory, for matching many items.
pub struct Matcher {
    entries: Vec<Loaded>,
    /// Signatures of all entries, end to end.
    signatures: Vec<u32>,
    by_sha256: HashMap<[u8; 32], Vec<u32>>,
    /// Decoy entries by watermark.
    by_watermark: HashMap<u32, Vec<u32>>,
    /// LSH buckets (the band number is mixed into the key) → entries.
    buckets: HashMap<u64, Vec<u32>>,
    /// Boilerplate values, as `position << 32 | value`.
    boilerplate: HashSet<u64>,
}

impl Matcher {
    /// Reads every entry of `registry` into memory, learns its
    /// boilerplate and builds the LSH buckets.
    pub fn new(registry: &Registry) -> Result<Matcher> {
        let mut matcher = Matcher {
            entries: Vec::new(),
            signatures: Vec::new(),
            by_sha256: HashMap::new(),
            by_watermark: HashMap::new(),
            buckets: HashMap::new(),
            boilerplate: HashSet::new(),
        };
        registry.for_each_entry(|e| {
            let index = matcher.entries.len() as u32;
            let fp = e.fingerprint;
            if let Some(sha) = sha_bytes(&fp.sha256) {
                matcher.by_sha256.entry(sha).or_default().push(index);
            }
            if let (EntryKind::Decoy, Some(w)) = (e.kind, e.watermark) {
                matcher.by_watermark.entry(w).or_default().push(index);
            }
            let signature = fp.minhash.map(|s| {
                let at = matcher.signatures.len();
                matcher.signatures.extend_from_slice(&s);
                at
            });
            matcher.entries.push(Loaded {
                entry: MatchedEntry {
                    id: e.id,
                    path: e.path,
                    kind: e.kind,
                    recipient: e.recipient,
                    watermark: e.watermark,
                    sha256: fp.sha256,
                    format: fp.format,
                    registered_at: e.registered_at,
                },
                shingles: fp.shingles,
                signature,
                boilerplate: 0,
                tlsh: fp.tlsh.as_deref().and_then(fingerprint::parse_tlsh),
            });
            Ok(())
        })?;
        matcher.learn_boilerplate();
        matcher.build_buckets();
        Ok(matcher)
    }

    /// Marks the values shared at one position by at least
    /// [`BOILERPLATE_DOCUMENTS`] mutually dissimilar documents.
    fn learn_boilerplate(&mut self) {
        /// Members of one value's group looked at to find dissimilar ones.
        const SAMPLE: usize = 64;
        let with_signature: Vec<u32> = (0..self.entries.len() as u32)
            .filter(|&i| self.entries[i as usize].signature.is_some())
            .collect();
        let mut column: Vec<(u32, u32)> = Vec::with_capacity(with_signature.len());
        for position in 0..MINHASH_PERMUTATIONS {
            column.clear();
            column.extend(
                with_signature
                    .iter()
                    .map(|&i| (self.signature(i).expect("filtered")[position], i)),
            );
            column.sort_unstable();
            for group in column.chunk_by(|a, b| a.0 == b.0) {
                if group.len() < BOILERPLATE_DOCUMENTS {
                    continue;
                }
                let mut distinct: Vec<u32> = Vec::new();
                for &(_, i) in group.iter().take(SAMPLE) {
                    let sig = self.signature(i).expect("filtered");
                    let new = distinct.iter().all(|&d| {
                        fingerprint::jaccard(sig, self.signature(d).expect("filtered"))
                            < SAME_DOCUMENT_SIMILARITY
                    });
                    if new {
                        distinct.push(i);
                        if distinct.len() == BOILERPLATE_DOCUMENTS {
                            break;
                        }
                    }
                }
                if distinct.len() < BOILERPLATE_DOCUMENTS {
                    continue;
                }
                self.boilerplate
                    .insert(((position as u64) << 32) | u64::from(group[0].0));
                for &(_, i) in group {
                    self.entries[i as usize].boilerplate |= 1u128 << position;
                }
            }
        }
    }

    fn build_buckets(&mut self) {
        let band_mask: u128 = (1u128 << LSH_ROWS) - 1;
        for index in 0..self.entries.len() as u32 {
            let Some(signature) = self.signature(index) else {
                continue;
            };
            let boilerplate = self.entries[index as usize].boilerplate;
            for (band, bucket) in band_buckets(signature).into_iter().enumerate() {
                let rows = band_mask << (band * LSH_ROWS);
                if boilerplate & rows == rows {
                    continue;
                }
                self.buckets.entry(bucket).or_default().push(index);
            }
        }
    }

    /// Entries loaded.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Boilerplate values learned (position and value pairs).
    pub fn boilerplate_values(&self) -> usize {
        self.boilerplate.len()
    }

    /// The verdict for one item: its fingerprint, and the watermark
    /// `decoys::recover` found in it, if any.
    pub fn match_item(&self, fingerprint: &Fingerprint, watermark: Option<u32>) -> RegistryMatch {
        // 1. Same bytes.
        if let Some(found) = sha_bytes(&fingerprint.sha256).and_then(|s| self.by_sha256.get(&s)) {
            let pick = found
                .iter()
                .copied()
                .filter(|&i| self.entries[i as usize].entry.kind == EntryKind::Decoy)
                .min_by_key(|&i| {
                    // The decoy copy whose watermark was recovered first.
                    (self.entries[i as usize].entry.watermark != watermark) as u8
                });
            if let Some(i) = pick {
                return self.decoy(i, DecoyEvidence::Identical);
            }
            return RegistryMatch::Identical {
                entry: self.entries[found[0] as usize].entry.clone(),
            };
        }
        // 2. A decoy's watermark (the copy most like the item when several
        // share it).
        if let Some(w) = watermark {
            if let Some(found) = self.by_watermark.get(&w) {
                let item = Item::new(self, fingerprint);
                let similarity = |i: u32| {
                    self.figures_at(&item, i)
                        .map_or(0.0, |f| f.distinctive_similarity)
                };
                let best = found
                    .iter()
                    .copied()
                    .max_by(|&a, &b| similarity(a).total_cmp(&similarity(b)).then(b.cmp(&a)))
                    .expect("watermark lists are never empty");
                return self.decoy(best, DecoyEvidence::Watermark { watermark: w });
            }
        }
        // 3. A near-duplicate.
        let Some((index, figures)) = self.best_altered(fingerprint) else {
            return RegistryMatch::Unknown;
        };
        let loaded = &self.entries[index as usize];
        if loaded.entry.kind == EntryKind::Decoy {
            return self.decoy(index, DecoyEvidence::Altered { figures });
        }
        RegistryMatch::Altered {
            entry: loaded.entry.clone(),
            similarity: figures.similarity,
            containment: figures.containment,
            tlsh_distance: figures.tlsh_distance,
            figures,
        }
    }

    /// How `fingerprint` compares with the entry `id`, whether or not it
    /// would match it (`None` when either has no signature, or no such
    /// entry is loaded).
    pub fn compare(&self, fingerprint: &Fingerprint, id: i64) -> Option<Figures> {
        let index = self.entries.iter().position(|l| l.entry.id == id)? as u32;
        self.figures_at(&Item::new(self, fingerprint), index)
    }

    fn decoy(&self, index: u32, evidence: DecoyEvidence) -> RegistryMatch {
        let entry = self.entries[index as usize].entry.clone();
        RegistryMatch::Decoy {
            recipient: entry.recipient.clone(),
            entry,
            carriers: Vec::new(),
            evidence,
        }
    }

    fn signature(&self, index: u32) -> Option<&[u32]> {
        let at = self.entries[index as usize].signature?;
        Some(&self.signatures[at..at + MINHASH_PERMUTATIONS])
    }

    fn figures_at(&self, item: &Item<'_>, index: u32) -> Option<Figures> {
        let ours = item.signature?;
        let theirs = self.signature(index)?;
        let loaded = &self.entries[index as usize];
        let mut equal: u128 = 0;
        for (position, (a, b)) in ours.iter().zip(theirs).enumerate() {
            if a == b {
                equal |= 1u128 << position;
            }
        }
        let n = MINHASH_PERMUTATIONS as f64;
        let similarity = f64::from(equal.count_ones()) / n;
        // Equal boilerplate values are the same value, so the entry's mask
        // says it for both.
        let equal_boilerplate = equal & loaded.boilerplate;
        let informative = MINHASH_PERMUTATIONS as u32 - equal_boilerplate.count_ones();
        let distinctive_similarity = if informative == 0 {
            0.0
        } else {
            f64::from((equal & !loaded.boilerplate).count_ones()) / f64::from(informative)
        };
        // Set sizes without the boilerplate: its share of a signature
        // estimates its share of the set.
        let own = |shingles: u32, mask: u128| {
            f64::from(shingles) * (1.0 - f64::from(mask.count_ones()) / n)
        };
        let theirs_own = own(loaded.shingles, loaded.boilerplate);
        let ours_own = own(item.shingles, item.boilerplate);
        let containment = if theirs_own <= 0.0 {
            0.0
        } else {
            (distinctive_similarity * (theirs_own + ours_own)
                / (1.0 + distinctive_similarity)
                / theirs_own)
                .clamp(0.0, 1.0)
        };
        let tlsh_distance = match (&item.tlsh, &loaded.tlsh) {
            (Some(a), Some(b)) => Some(a.diff(b, true).max(0) as u32),
            _ => None,
        };
        Some(Figures {
            similarity,
            distinctive_similarity,
            containment,
            tlsh_distance,
            informative_positions: informative,
        })
    }

    /// Entries sharing at least one band with the signature, those sharing
    /// the most bands first, at most [`MAX_CANDIDATES`].
    pub fn candidates(&self, fingerprint: &Fingerprint) -> Vec<i64> {
        self.candidate_indexes(fingerprint)
            .into_iter()
            .map(|i| self.entries[i as usize].entry.id)
            .collect()
    }

    fn candidate_indexes(&self, fp: &Fingerprint) -> Vec<u32> {
        let Some(signature) = fp.minhash.as_deref() else {
            return Vec::new();
        };
        if signature.len() != MINHASH_PERMUTATIONS {
            return Vec::new();
        }
        let mut hits: Vec<u32> = Vec::new();
        for bucket in band_buckets(signature).into_iter().take(LSH_BANDS) {
            if let Some(list) = self.buckets.get(&bucket) {
                hits.extend_from_slice(list);
            }
        }
        if hits.is_empty() {
            return hits;
        }
        hits.sort_unstable();
        let mut counted: Vec<(u32, u32)> = Vec::new();
        for &i in &hits {
            match counted.last_mut() {
                Some((last, n)) if *last == i => *n += 1,
                _ => counted.push((i, 1)),
            }
        }
        if counted.len() > MAX_CANDIDATES {
            counted.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            counted.truncate(MAX_CANDIDATES);
        }
        counted.into_iter().map(|(i, _)| i).collect()
    }

    /// The accepted candidate with the highest distinctive similarity
    /// (then containment, then the earliest registered).
    fn best_altered(&self, fp: &Fingerprint) -> Option<(u32, Figures)> {
        let item = Item::new(self, fp);
        item.signature?;
        let mut best: Option<(u32, Figures)> = None;
        for index in self.candidate_indexes(fp) {
            let Some(figures) = self.figures_at(&item, index) else {
                continue;
            };
            if !is_altered(&figures) {
                continue;
            }
            let better = match &best {
                None => true,
                Some((b_index, b)) => {
                    let key = (figures.distinctive_similarity, figures.containment);
                    let b_key = (b.distinctive_similarity, b.containment);
                    key > b_key || (key == b_key && index < *b_index)
                }
            };
            if better {
                best = Some((index, figures));
            }
        }
        best
    }
}

/// An item's signature and what the matcher knows of it.
struct Item<'a> {
    signature: Option<&'a [u32]>,
    shingles: u32,
    /// Positions holding a boilerplate value.
    boilerplate: u128,
    tlsh: Option<Tlsh>,
}

impl<'a> Item<'a> {
    fn new(matcher: &Matcher, fp: &'a Fingerprint) -> Item<'a> {
        let signature = fp
            .minhash
            .as_deref()
            .filter(|s| s.len() == MINHASH_PERMUTATIONS);
        let mut boilerplate = 0u128;
        if let Some(sig) = signature {
            for (position, &v) in sig.iter().enumerate() {
                if matcher
                    .boilerplate
                    .contains(&(((position as u64) << 32) | u64::from(v)))
                {
                    boilerplate |= 1u128 << position;
                }
            }
        }
        Item {
            signature,
            shingles: fp.shingles,
            boilerplate,
            tlsh: fp.tlsh.as_deref().and_then(fingerprint::parse_tlsh),
        }
    }
}

fn sha_bytes(hex_digest: &str) -> Option<[u8; 32]> {
    let mut out = [0u8; 32];
    hex::decode_to_slice(hex_digest, &mut out).ok()?;
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{NewEntry, Registry};

    const ORIGINAL: &str = "Compte rendu du comité de campagne du 28 avril. Présents: la \
        directrice de campagne, le trésorier, la responsable presse et deux délégués régionaux. \
        Le comité valide le déplacement à Lyon le 3 mai et la réunion publique au palais des \
        sports, avec une jauge de huit mille personnes. Le budget affiches du second tour est \
        arrêté à 412 000 euros, dont 60 000 pour l'impression des tracts. La responsable presse \
        propose une conférence le jeudi à dix heures; le point sur les sondages est reporté à la \
        semaine prochaine. Les délégués demandent des éléments de langage sur la sécurité et \
        l'emploi des jeunes avant le débat télévisé du mercredi soir.";

    fn new_entry(
        text: &str,
        kind: EntryKind,
        recipient: Option<&str>,
        wm: Option<u32>,
    ) -> NewEntry {
        NewEntry {
            path: format!("/org/{}.txt", text.len()),
            kind,
            recipient: recipient.map(str::to_owned),
            watermark: wm,
            watermark_key: None,
            fingerprint: fingerprint::of(text.as_bytes(), Some("x.txt")),
            text: None,
            registered_at: 0,
        }
    }

    fn matcher_with(entries: &[NewEntry]) -> (tempfile::TempDir, Matcher) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.sqlite");
        let mut registry = Registry::create_or_open(&path).unwrap();
        registry.add_many(entries).unwrap();
        drop(registry);
        let registry = Registry::open_read_only(&path).unwrap();
        let matcher = Matcher::new(&registry).unwrap();
        (dir, matcher)
    }

    fn unrelated() -> String {
        "Liste des bénévoles pour la distribution du samedi matin au marché de la Croix-Rousse: \
         rendez-vous à huit heures devant la permanence, gilets et badges fournis, merci de \
         confirmer votre présence auprès de Claire avant jeudi soir."
            .to_owned()
    }

    #[test]
    fn matcher_is_send_and_sync() {
        fn shared<T: Send + Sync>() {}
        shared::<Matcher>();
    }

    #[test]
    fn identical_altered_unknown() {
        let (_dir, matcher) = matcher_with(&[new_entry(ORIGINAL, EntryKind::Genuine, None, None)]);
        assert_eq!(matcher.len(), 1);

        let same = fingerprint::of(ORIGINAL.as_bytes(), Some("leak.txt"));
        let verdict = matcher.match_item(&same, None);
        assert_eq!(verdict.code(), "registry-identical");

        // One figure changed, and a zero-width watermark added: altered.
        let edited = ORIGINAL
            .replace("412 000", "812 000")
            .replace("Lyon", "Ly\u{200B}on");
        let verdict = matcher.match_item(&fingerprint::of(edited.as_bytes(), None), None);
        let RegistryMatch::Altered {
            similarity,
            containment,
            tlsh_distance,
            entry,
            ..
        } = &verdict
        else {
            panic!("{verdict:?}");
        };
        assert!(*similarity > 0.85 && *containment > 0.9, "{verdict:?}");
        assert!(tlsh_distance.unwrap() < 60, "{verdict:?}");
        assert_eq!(entry.kind, EntryKind::Genuine);

        // The same text with only its line breaks and spacing changed: a
        // re-save; altered with similarity 1.
        let resaved = ORIGINAL.replace(". ", ".\n\n");
        let verdict = matcher.match_item(&fingerprint::of(resaved.as_bytes(), None), None);
        assert!(
            matches!(verdict, RegistryMatch::Altered { similarity, .. } if similarity == 1.0),
            "{verdict:?}"
        );

        let verdict = matcher.match_item(&fingerprint::of(unrelated().as_bytes(), None), None);
        assert_eq!(verdict, RegistryMatch::Unknown);
        let json = serde_json::to_value(&verdict).unwrap();
        assert_eq!(json, serde_json::json!({"code": "registry-unknown"}));
    }

    #[test]
    fn decoys_by_content_and_by_watermark() {
        let copy_anne = format!("{ORIGINAL} Diffusion restreinte.");
        let copy_paul = format!("{ORIGINAL} Diffusion limitée.");
        let (_dir, matcher) = matcher_with(&[
            new_entry(&copy_anne, EntryKind::Decoy, Some("anne"), Some(7)),
            new_entry(&copy_paul, EntryKind::Decoy, Some("paul"), Some(9)),
            new_entry(&unrelated(), EntryKind::Genuine, None, None),
        ]);
        let verdict = matcher.match_item(&fingerprint::of(copy_paul.as_bytes(), None), None);
        let RegistryMatch::Decoy {
            recipient,
            evidence,
            ..
        } = &verdict
        else {
            panic!("{verdict:?}");
        };
        assert_eq!(recipient.as_deref(), Some("paul"));
        assert_eq!(*evidence, DecoyEvidence::Identical);
        assert_eq!(verdict.code(), "registry-decoy");

        // Edited and carrying Anne's watermark: Anne's copy leaked.
        let edited = copy_paul.replace("Lyon", "Marseille");
        let verdict = matcher.match_item(&fingerprint::of(edited.as_bytes(), None), Some(7));
        assert!(
            matches!(&verdict, RegistryMatch::Decoy { recipient: Some(r), evidence: DecoyEvidence::Watermark { watermark: 7 }, .. } if r == "anne"),
            "{verdict:?}"
        );
        // Without a watermark: still a decoy, by content.
        let verdict = matcher.match_item(&fingerprint::of(edited.as_bytes(), None), None);
        assert!(
            matches!(
                &verdict,
                RegistryMatch::Decoy {
                    evidence: DecoyEvidence::Altered { .. },
                    ..
                }
            ),
            "{verdict:?}"
        );
        let json = serde_json::to_value(&verdict).unwrap();
        assert_eq!(json["code"], "registry-decoy");
        assert_eq!(json["evidence"]["by"], "altered");
        assert_eq!(json["entry"]["kind"], "decoy");
        // A watermark no decoy carries changes nothing.
        let verdict =
            matcher.match_item(&fingerprint::of(unrelated().as_bytes(), None), Some(1234));
        assert_eq!(verdict.code(), "registry-identical");
    }

    #[test]
    fn lsh_finds_near_duplicates_among_many() {
        // 2,000 unrelated registered texts and, among them, the original:
        // each altered copy (one word changed at a different place) must
        // be a candidate, and the candidate lists stay short.
        let mut entries: Vec<NewEntry> = (0..2_000)
            .map(|i| {
                let text = (0..120)
                    .map(|w| format!("w{}", (i * 7919 + w * 104_729) % 1_000_003))
                    .collect::<Vec<_>>()
                    .join(" ");
                new_entry(&text, EntryKind::Genuine, None, None)
            })
            .collect();
        entries.push(new_entry(ORIGINAL, EntryKind::Genuine, None, None));
        let (_dir, matcher) = matcher_with(&entries);
        let words: Vec<&str> = ORIGINAL.split(' ').collect();
        let mut found = 0;
        let mut longest = 0;
        for at in (0..words.len()).step_by(3) {
            let mut edited = words.clone();
            edited[at] = "remplacé";
            let edited = edited.join(" ");
            let fp = fingerprint::of(edited.as_bytes(), None);
            let candidates = matcher.candidates(&fp);
            longest = longest.max(candidates.len());
            if matches!(matcher.match_item(&fp, None), RegistryMatch::Altered { .. }) {
                found += 1;
            }
        }
        let tried = words.len().div_ceil(3);
        assert_eq!(found, tried, "LSH recall");
        assert!(longest <= 3, "{longest} candidates for one near-duplicate");
    }

    #[test]
    fn boilerplate_learned_from_the_registry_is_set_aside() {
        const FOOTER: &str = "Ce message et ses pièces jointes sont confidentiels et établis à \
            l'attention exclusive de leurs destinataires. Toute utilisation ou diffusion non \
            autorisée est interdite. Si vous avez reçu ce message par erreur, merci d'en avertir \
            immédiatement l'expéditeur et de le détruire. Conformément au règlement général sur \
            la protection des données, vous disposez d'un droit d'accès et de rectification.";
        let bodies = [
            "Le devis de la sonorisation pour Lyon est arrivé ce matin, il dépasse le budget \
             prévu de quinze pour cent; je propose de demander une contre-offre au second \
             prestataire avant de signer quoi que ce soit.",
            "Merci de confirmer la liste des bénévoles pour samedi avant jeudi midi, avec pour \
             chacun le numéro de téléphone et le poste souhaité, accueil, vestiaire ou service \
             d'ordre, afin que Karim prépare les badges.",
            "La réunion avec la préfecture est déplacée à mardi quinze heures; elle portera sur \
             le parcours du cortège, le stationnement des cars et la zone réservée à la presse \
             devant l'entrée principale du palais.",
            "Les affiches du second tour partent chez l'imprimeur lundi sans faute, mais la \
             photographie retenue n'est toujours pas validée par le candidat, qui hésite entre \
             les deux versions prises à Marseille.",
            "Le point presse de demain est annulé, la salle n'est plus disponible; nous \
             cherchons une solution de repli dans le quartier, peut-être la terrasse de \
             l'hôtel où loge l'équipe depuis lundi.",
        ];
        let mails: Vec<String> = bodies.iter().map(|b| format!("{b}\n\n{FOOTER}")).collect();
        let entries: Vec<NewEntry> = mails
            .iter()
            .map(|m| new_entry(m, EntryKind::Genuine, None, None))
            .collect();
        let (_dir, matcher) = matcher_with(&entries);
        assert!(
            matcher.boilerplate_values() > 20,
            "{}",
            matcher.boilerplate_values()
        );

        // Another mail of the office: raw similarity is high (the footer),
        // distinctive similarity is not, and nothing matches.
        let other = format!(
            "Le car des militants partira de la permanence à sept heures précises; prévoir \
             des sandwichs pour le midi, le retour est annoncé vers vingt-deux heures après \
             le meeting et le dîner avec les élus du département.\n\n{FOOTER}"
        );
        let fp = fingerprint::of(other.as_bytes(), None);
        let figures = matcher.compare(&fp, 1).unwrap();
        assert!(figures.similarity > 0.3, "{figures:?}");
        assert!(figures.distinctive_similarity < 0.2, "{figures:?}");
        assert_eq!(matcher.match_item(&fp, None), RegistryMatch::Unknown);

        // One of them with a word changed still matches its own original.
        let edited = mails[0].replace("ce matin", "hier soir");
        let verdict = matcher.match_item(&fingerprint::of(edited.as_bytes(), None), None);
        assert_eq!(verdict.entry().map(|e| e.id), Some(1), "{verdict:?}");
        assert_eq!(verdict.code(), "registry-altered");
    }

    #[test]
    fn malformed_fingerprints_match_nothing() {
        let (_dir, matcher) = matcher_with(&[new_entry(ORIGINAL, EntryKind::Genuine, None, None)]);
        let mut fp = fingerprint::of(ORIGINAL.as_bytes(), None);
        fp.sha256 = "not hex".into();
        fp.minhash.as_mut().unwrap().truncate(5);
        fp.tlsh = Some("T1ZZ".into());
        assert_eq!(matcher.match_item(&fp, None), RegistryMatch::Unknown);
        assert!(matcher.candidates(&fp).is_empty());
        assert_eq!(matcher.compare(&fp, 1), None);
        fp.minhash = None;
        assert_eq!(matcher.match_item(&fp, Some(0)), RegistryMatch::Unknown);
    }
}
