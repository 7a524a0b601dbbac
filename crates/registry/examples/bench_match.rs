//! Matching speed: a synthetic registry of 50,000 fingerprints, 20,000
//! items matched against it on every core.
//!
//!     cargo run --release -p tamis-registry --example bench_match [ENTRIES ITEMS [KEEP_AT]]
//!
//! Texts are 150–600 words drawn from a 20,000-word vocabulary (Zipf-like
//! frequencies), every one under the same letterhead and legal footer, so
//! the registry has boilerplate to learn and common words to share. Items:
//! a quarter are registered texts (the same bytes), a quarter registered
//! texts with a few words changed, half new texts. Fingerprinting is timed
//! apart from matching: ingest fingerprints items anyway, the registry
//! adds only the matching.

use std::time::Instant;
use tamis_registry::fingerprint::{self, Fingerprint};
use tamis_registry::matching::Matcher;
use tamis_registry::store::{EntryKind, NewEntry, Registry};

const LETTERHEAD: &str = "HORIZON COMMUN Équipe de campagne présidentielle 2017 99 rue de \
    l'Exemple 75015 Paris contact@horizon-commun.example";
const FOOTER: &str = "Ce document et ses éventuelles pièces jointes sont confidentiels et \
    établis à l'attention exclusive de leurs destinataires. Toute utilisation, diffusion ou \
    reproduction non autorisée est interdite. Si vous avez reçu ce document par erreur, merci \
    d'en avertir immédiatement l'expéditeur et de le détruire.";

/// xorshift64*: a small deterministic generator.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// A word index with a Zipf-like skew (small indexes frequent).
    fn word(&mut self, vocabulary: u64) -> u64 {
        let u = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        ((vocabulary as f64).powf(u) - 1.0) as u64
    }
}

fn text(rng: &mut Rng) -> String {
    let words = 150 + rng.below(450);
    let mut out = String::with_capacity(words as usize * 8 + 400);
    out.push_str(LETTERHEAD);
    out.push('\n');
    for i in 0..words {
        out.push_str(&format!("mot{} ", rng.word(20_000)));
        if i % 17 == 16 {
            out.push_str(".\n");
        }
    }
    out.push('\n');
    out.push_str(FOOTER);
    out
}

fn edit(rng: &mut Rng, text: &str) -> String {
    let mut words: Vec<String> = text.split(' ').map(str::to_owned).collect();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(words.len() as u64) as usize;
        words[at] = format!("forgé{}", rng.below(1000));
    }
    words.join(" ")
}

/// `f` over `inputs` on every core, results in order.
fn parallel<T: Sync, R: Send>(inputs: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = inputs.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = inputs
            .chunks(chunk)
            .map(|part| scope.spawn(|| part.iter().map(&f).collect::<Vec<R>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("a worker panicked"))
            .collect()
    })
}

fn main() -> anyhow::Result<()> {
    let raw: Vec<String> = std::env::args().skip(1).collect();
    // A third argument keeps the registry there (bench/registry.sh uses it
    // as the 50,000-entry registry of an ingest).
    let keep = raw.get(2).map(std::path::PathBuf::from);
    let args: Vec<usize> = raw
        .iter()
        .take(2)
        .map(|a| a.parse().expect("ENTRIES ITEMS are numbers"))
        .collect();
    let entries = args.first().copied().unwrap_or(50_000);
    let items = args.get(1).copied().unwrap_or(20_000);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!("registry of {entries} entries, {items} items, {threads} threads");

    let mut rng = Rng(0x7461_6d69_7362_656e);
    let texts: Vec<String> = (0..entries).map(|_| text(&mut rng)).collect();
    let started = Instant::now();
    let fingerprints: Vec<Fingerprint> = parallel(&texts, |t| {
        fingerprint::with_text(t.as_bytes(), "text", Some(t))
    });
    println!(
        "fingerprint {entries} texts: {:.2} s",
        started.elapsed().as_secs_f64()
    );

    let dir = tempfile::tempdir()?;
    let path = keep.unwrap_or_else(|| dir.path().join("registry.sqlite"));
    let _ = std::fs::remove_file(&path);
    let started = Instant::now();
    let mut registry = Registry::create_or_open(&path)?;
    let new: Vec<NewEntry> = fingerprints
        .into_iter()
        .enumerate()
        .map(|(i, fp)| NewEntry {
            path: format!("/org/doc-{i}.txt"),
            kind: if i % 100 == 0 {
                EntryKind::Decoy
            } else {
                EntryKind::Genuine
            },
            recipient: (i % 100 == 0).then(|| format!("recipient-{i}")),
            watermark: (i % 100 == 0).then_some(i as u32),
            watermark_key: None,
            fingerprint: fp,
            text: None,
            registered_at: 1_493_942_400,
        })
        .collect();
    registry.add_many(&new)?;
    drop(registry);
    println!(
        "register (one transaction): {:.2} s, file {} MB",
        started.elapsed().as_secs_f64(),
        std::fs::metadata(&path)?.len() / 1_000_000
    );

    let started = Instant::now();
    let registry = Registry::open_read_only(&path)?;
    let matcher = Matcher::new(&registry)?;
    println!(
        "Matcher::new: {:.2} s ({} boilerplate values learned)",
        started.elapsed().as_secs_f64(),
        matcher.boilerplate_values()
    );

    let item_texts: Vec<String> = (0..items)
        .map(|i| match i % 4 {
            0 => texts[rng.below(entries as u64) as usize].clone(),
            1 => {
                let original = rng.below(entries as u64) as usize;
                edit(&mut rng, &texts[original])
            }
            _ => text(&mut rng),
        })
        .collect();
    let started = Instant::now();
    let item_fps: Vec<Fingerprint> = parallel(&item_texts, |t| {
        fingerprint::with_text(t.as_bytes(), "text", Some(t))
    });
    println!(
        "fingerprint {items} items: {:.2} s",
        started.elapsed().as_secs_f64()
    );

    let started = Instant::now();
    let verdicts = parallel(&item_fps, |fp| matcher.match_item(fp, None));
    let elapsed = started.elapsed().as_secs_f64();
    let mut counts = std::collections::BTreeMap::new();
    for v in &verdicts {
        *counts.entry(v.code()).or_insert(0usize) += 1;
    }
    println!(
        "match {items} items: {elapsed:.3} s ({:.1} µs an item, {:.0} items/s)",
        elapsed * 1e6 / items as f64,
        items as f64 / elapsed
    );
    println!("verdicts: {counts:?}");
    // Expected: a quarter identical (or decoy), a quarter altered, half unknown.
    let unknown = counts.get("registry-unknown").copied().unwrap_or(0);
    assert!(
        unknown.abs_diff(items / 2) <= items / 100,
        "unexpected verdicts: {counts:?}"
    );
    Ok(())
}
