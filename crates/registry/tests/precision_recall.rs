//! Precision and recall of `registry-altered`, measured on the corpus of
//! `fixtures/registry/make-registry-corpus.py` (committed under
//! `fixtures/registry/corpus`): its originals are registered as genuine,
//! then every variant (an altered copy of one original) and every hard
//! negative (same boilerplate and topic, other content) is matched.
//!
//! Per kind of edit: recall is the share of its variants found as
//! `registry-altered` *of their own original*; precision is that of the
//! `registry-altered` verdicts over the variants of that kind together
//! with all the negatives (a false verdict is a negative found altered, or
//! a variant attributed to another original). The floors asserted below
//! are the measured values: a change that lowers one fails here.
//!
//! `REGISTRY_CORPUS_FIGURES=FILE` writes every pair's figures (similarity,
//! containment, TLSH distance against the right original and against the
//! most similar other one) as TSV, to study thresholds.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use tamis_registry::fingerprint::{self, Fingerprint};
use tamis_registry::matching::{Figures, Matcher, RegistryMatch};
use tamis_registry::store::{EntryKind, NewEntry, Registry};

#[derive(serde::Deserialize)]
struct Item {
    file: String,
    role: String,
    #[serde(default)]
    edit: Option<String>,
    #[serde(default)]
    of: Option<String>,
}

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/registry/corpus")
}

fn fingerprint_file(root: &Path, file: &str) -> Fingerprint {
    let bytes = std::fs::read(root.join(file)).unwrap();
    fingerprint::of(&bytes, Some(file))
}

#[derive(Clone, Copy)]
struct Row {
    n: usize,
    found: usize,
    wrong: usize,
    /// Variants whose original was an LSH candidate.
    candidates: usize,
    /// Lowest distinctive similarity to the own original (variants), or
    /// highest to any original (negatives).
    extreme: f64,
}

impl Default for Row {
    fn default() -> Row {
        Row {
            n: 0,
            found: 0,
            wrong: 0,
            candidates: 0,
            extreme: f64::NAN,
        }
    }
}

/// Measured floors: (edit, recall, precision), from the table this test
/// prints (see matching::MIN_SIMILARITY for the thresholds they justify).
const FLOORS: &[(&str, f64, f64)] = &[
    ("word", 1.0, 1.0),
    ("figure", 1.0, 1.0),
    ("sentence", 1.0, 1.0),
    ("cut20", 1.0, 1.0),
    ("format", 1.0, 1.0),
    ("combined", 1.0, 1.0),
    ("cut40", 0.9, 1.0),
];

#[test]
fn precision_and_recall_of_altered() {
    let root = corpus();
    let manifest: Vec<Item> =
        serde_json::from_slice(&std::fs::read(root.join("manifest.json")).unwrap()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("registry.sqlite");
    let mut registry = Registry::create_or_open(&path).unwrap();
    let originals: Vec<NewEntry> = manifest
        .iter()
        .filter(|i| i.role == "original")
        .map(|i| NewEntry {
            path: i.file.clone(),
            kind: EntryKind::Genuine,
            recipient: None,
            watermark: None,
            watermark_key: None,
            fingerprint: fingerprint_file(&root, &i.file),
            text: None,
            registered_at: 0,
        })
        .collect();
    for o in &originals {
        assert!(
            o.fingerprint.minhash.is_some(),
            "{}: no text read ({} words)",
            o.path,
            o.fingerprint.words
        );
    }
    let ids: Vec<i64> = registry
        .add_many(&originals)
        .unwrap()
        .iter()
        .map(|a| a.id)
        .collect();
    drop(registry);
    let registry = Registry::open_read_only(&path).unwrap();
    let matcher = Matcher::new(&registry).unwrap();

    let mut rows: BTreeMap<String, Row> = BTreeMap::new();
    let mut negatives = Row::default();
    let mut raw_extreme = 0.0f64;
    let mut false_positives = Vec::new();
    let mut missed = Vec::new();
    let mut figures = String::from(
        "file\trole\tedit\twords\tsim\tdsim\tcont\ttlsh\tinf\t\
         other_sim\tother_dsim\tother_cont\tother_tlsh\tother_inf\tverdict\n",
    );
    for item in &manifest {
        let fp = fingerprint_file(&root, &item.file);
        let verdict = matcher.match_item(&fp, None);
        write_figures(
            &mut figures,
            item,
            &fp,
            &originals,
            &ids,
            &matcher,
            &verdict,
        );
        match item.role.as_str() {
            "original" => assert_eq!(verdict.code(), "registry-identical", "{}", item.file),
            "variant" => {
                let row = rows.entry(item.edit.clone().unwrap()).or_default();
                row.n += 1;
                let own = originals
                    .iter()
                    .zip(&ids)
                    .find(|(o, _)| Some(&o.path) == item.of.as_ref())
                    .map(|(_, &id)| id)
                    .unwrap();
                if matcher.candidates(&fp).contains(&own) {
                    row.candidates += 1;
                }
                let s = matcher
                    .compare(&fp, own)
                    .map_or(0.0, |f| f.distinctive_similarity);
                row.extreme = row.extreme.min(s);
                match &verdict {
                    RegistryMatch::Altered { entry, .. }
                        if Some(&entry.path) == item.of.as_ref() =>
                    {
                        row.found += 1
                    }
                    RegistryMatch::Altered { .. } => {
                        row.wrong += 1;
                        missed.push(format!("{} (wrong original: {verdict:?})", item.file));
                    }
                    _ => missed.push(format!("{} ({})", item.file, verdict.code())),
                }
            }
            "negative" => {
                negatives.n += 1;
                for &id in &ids {
                    if let Some(f) = matcher.compare(&fp, id) {
                        negatives.extreme = negatives.extreme.max(f.distinctive_similarity);
                        raw_extreme = raw_extreme.max(f.similarity);
                    }
                }
                if verdict.code() != "registry-unknown" {
                    negatives.wrong += 1;
                    false_positives.push(format!("{}: {verdict:?}", item.file));
                }
            }
            other => panic!("role {other}"),
        }
    }
    if let Ok(out) = std::env::var("REGISTRY_CORPUS_FIGURES") {
        std::fs::write(out, &figures).unwrap();
    }

    let mut table = String::from(
        "| edit | variants | found altered | recall | precision (with all negatives) | \
         original an LSH candidate | lowest similarity to own original |\n\
         | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n",
    );
    let mut all = Row::default();
    let mut measured = Vec::new();
    for (edit, row) in &rows {
        let recall = row.found as f64 / row.n as f64;
        let precision = precision(row.found, row.wrong + negatives.wrong);
        measured.push((edit.clone(), recall, precision));
        writeln!(
            table,
            "| {edit} | {} | {} | {:.3} | {:.3} | {} | {:.3} |",
            row.n, row.found, recall, precision, row.candidates, row.extreme
        )
        .unwrap();
        all.n += row.n;
        all.found += row.found;
        all.wrong += row.wrong;
        all.candidates += row.candidates;
    }
    writeln!(
        table,
        "| all edits | {} | {} | {:.3} | {:.3} | {} | |",
        all.n,
        all.found,
        all.found as f64 / all.n as f64,
        precision(all.found, all.wrong + negatives.wrong),
        all.candidates,
    )
    .unwrap();
    writeln!(
        table,
        "\nhard negatives: {}, found altered: {} (false positive rate {:.3}); highest \
         similarity of a negative to any original: {:.3} ({:.3} with the boilerplate)",
        negatives.n,
        negatives.wrong,
        negatives.wrong as f64 / negatives.n as f64,
        negatives.extreme,
        raw_extreme
    )
    .unwrap();
    println!("{table}");
    for m in &missed {
        println!("missed: {m}");
    }
    for f in &false_positives {
        println!("false positive: {f}");
    }

    assert_eq!(
        measured.len(),
        FLOORS.len(),
        "every kind of edit has a floor"
    );
    for (edit, recall_floor, precision_floor) in FLOORS {
        let (_, recall, precision) = measured
            .iter()
            .find(|(e, _, _)| e == edit)
            .unwrap_or_else(|| panic!("no variants of kind {edit}"));
        assert!(
            *recall >= *recall_floor,
            "recall of {edit} fell to {recall:.3} (measured {recall_floor})"
        );
        assert!(
            *precision >= *precision_floor,
            "precision of {edit} fell to {precision:.3} (measured {precision_floor})"
        );
    }
}

fn precision(found: usize, wrong: usize) -> f64 {
    if found + wrong == 0 {
        return 1.0;
    }
    found as f64 / (found + wrong) as f64
}

/// Figures against the item's own original (variants) and against the
/// most similar other original.
fn write_figures(
    out: &mut String,
    item: &Item,
    fp: &Fingerprint,
    originals: &[NewEntry],
    ids: &[i64],
    matcher: &Matcher,
    verdict: &RegistryMatch,
) {
    let mut own = None;
    let mut other: Option<Figures> = None;
    for (o, &id) in originals.iter().zip(ids) {
        let Some(f) = matcher.compare(fp, id) else {
            continue;
        };
        if Some(&o.path) == item.of.as_ref() {
            own = Some(f);
        } else if o.path != item.file
            && other.is_none_or(|b| f.distinctive_similarity > b.distinctive_similarity)
        {
            other = Some(f);
        }
    }
    let show = |f: Option<Figures>| match f {
        Some(f) => format!(
            "{:.3}\t{:.3}\t{:.3}\t{}\t{}",
            f.similarity,
            f.distinctive_similarity,
            f.containment,
            f.tlsh_distance.map(|t| t.to_string()).unwrap_or_default(),
            f.informative_positions
        ),
        None => "\t\t\t\t".into(),
    };
    writeln!(
        out,
        "{}\t{}\t{}\t{}\t{}\t{}\t{}",
        item.file,
        item.role,
        item.edit.as_deref().unwrap_or(""),
        fp.words,
        show(own),
        show(other),
        verdict.code()
    )
    .unwrap();
}
