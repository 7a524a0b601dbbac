//! Issue 5 through the real binary: the victim registers its genuine files
//! and plants watermarked decoys, a leak mixing them with edited copies and
//! fabrications is ingested with the registry, and every item gets its
//! registry finding; verified replies corroborate the unsigned messages
//! they quote.

mod common;

use common::*;
use std::path::Path;
use tamis_case::CaseReader;

const CORPUS: &str = "fixtures/registry/corpus";

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to.parent().unwrap()).unwrap();
    std::fs::copy(from, to).unwrap();
}

/// The registry finding of the loose file whose name ends with `name`.
fn finding(reader: &CaseReader, name: &str) -> tamis_case::RegistryRow {
    let overview = reader.overview().unwrap();
    let loose = overview
        .loose_documents
        .iter()
        .find(|d| d.location.ends_with(name))
        .unwrap_or_else(|| panic!("{name} is not among the loose documents"));
    reader
        .document(&loose.sha256)
        .unwrap()
        .unwrap()
        .registry
        .unwrap_or_else(|| panic!("{name} has no registry finding"))
}

#[test]
fn a_leak_is_sorted_into_genuine_altered_decoy_and_unknown() {
    let dir = tempfile::tempdir().unwrap();
    let registry = dir.path().join("registry.sqlite");
    let registry_arg = registry.to_str().unwrap();
    let corpus = repo().join(CORPUS);

    // The organisation's own documents, text kept so changes can be shown.
    let originals = corpus.join("originals");
    tamis_ok(&[
        "registry",
        "add",
        "--registry",
        registry_arg,
        "--genuine",
        originals.to_str().unwrap(),
        "--with-text",
    ]);
    // Planted decoys, one copy per recipient.
    let template = repo().join("fixtures/registry/decoys/note-strategie.docx");
    let decoys_out = dir.path().join("decoys");
    let printed = tamis_ok(&[
        "registry",
        "decoys",
        "--registry",
        registry_arg,
        "--template",
        template.to_str().unwrap(),
        "--recipients",
        "jean.dupont@en-marche.fr,claire.dubois@en-marche.fr,paul.mercier@en-marche.fr",
        "--out",
        decoys_out.to_str().unwrap(),
    ]);
    assert_eq!(printed.lines().count(), 3, "{printed}");
    let shown = tamis_ok(&["registry", "show", "--registry", registry_arg]);
    assert!(shown.contains("3 decoys for 3 recipients"), "{shown}");

    // The leak: a genuine file as it was, one edited by a sentence, one
    // converted to PDF, Claire's decoy copy with its custom property
    // stripped, and a fabrication on the same letterhead.
    let leak = dir.path().join("leak");
    copy(&originals.join("docx-03.docx"), &leak.join("as-is.docx"));
    copy(
        &corpus.join("variants/docx-01.sentence.docx"),
        &leak.join("edited.docx"),
    );
    copy(
        &corpus.join("variants/docx-02.format.pdf"),
        &leak.join("converted.pdf"),
    );
    copy(
        &corpus.join("negatives/docx-01.n0.docx"),
        &leak.join("fabricated.docx"),
    );
    let claire = std::fs::read(
        decoys_out
            .join("claire.dubois@en-marche.fr")
            .join("note-strategie.docx"),
    )
    .unwrap();
    let stripped = tamis_registry::decoys::strip(
        &claire,
        Some("note-strategie.docx"),
        tamis_registry::decoys::PROPERTY,
    )
    .unwrap();
    std::fs::write(leak.join("note-strategie.docx"), stripped).unwrap();

    let case = dir.path().join("case");
    tamis_ok(&[
        "ingest",
        leak.to_str().unwrap(),
        "--case",
        case.to_str().unwrap(),
        "--registry",
        registry_arg,
    ]);
    let reader = CaseReader::open(&case).unwrap();

    assert_eq!(finding(&reader, "as-is.docx").code, "registry-identical");
    let edited = finding(&reader, "edited.docx");
    assert_eq!(edited.code, "registry-altered");
    assert!(edited.detail["entry"]["path"]
        .as_str()
        .unwrap()
        .ends_with("docx-01.docx"));
    // The changed sentence, word by word, against the registered text.
    let spans = edited.detail["diff"]["spans"].as_array().unwrap();
    assert!(spans.iter().any(|s| s["op"] == "removed"), "{spans:?}");
    assert!(spans.iter().any(|s| s["op"] == "added"), "{spans:?}");
    assert_eq!(finding(&reader, "converted.pdf").code, "registry-altered");
    assert_eq!(finding(&reader, "fabricated.docx").code, "registry-unknown");

    let decoy = finding(&reader, "note-strategie.docx");
    assert_eq!(decoy.code, "registry-decoy");
    assert_eq!(decoy.detail["recipient"], "claire.dubois@en-marche.fr");
    let carriers: Vec<&str> = decoy.detail["carriers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    assert!(!carriers.contains(&"property"), "stripped: {carriers:?}");
    assert!(carriers.contains(&"zero-width"), "{carriers:?}");

    let counts: Vec<(String, u64)> = reader
        .overview()
        .unwrap()
        .registry
        .into_iter()
        .map(|c| (c.key, c.count))
        .collect();
    assert!(
        counts.contains(&("registry-altered".into(), 2)),
        "{counts:?}"
    );
}

#[test]
fn verified_replies_corroborate_the_messages_they_quote() {
    let dir = tempfile::tempdir().unwrap();
    let case = dir.path().join("case");
    tamis_ok(&[
        "ingest",
        "fixtures/corroboration/dump.mbox",
        "--keys",
        "fixtures/corroboration/keys.zone",
        "--case",
        case.to_str().unwrap(),
    ]);
    let reader = CaseReader::open(&case).unwrap();
    assert_eq!(reader.overview().unwrap().corroborated, 2);
    let rows = tsv_rows(&repo().join("fixtures/corroboration/expected.tsv"));
    let page = reader
        .search(&tamis_search::Query {
            limit: 20,
            ..tamis_search::Query::default()
        })
        .unwrap();
    let detail_of = |message_id: &str| {
        let hit = page
            .hits
            .iter()
            .filter_map(|h| h.message.as_ref())
            .find(|m| m.message_id.as_deref() == Some(message_id))
            .unwrap_or_else(|| panic!("{message_id} not in the case"));
        reader.message(hit.id).unwrap().unwrap()
    };
    for row in &rows {
        let (message_id, verdict, by, how, matched) = (&row[0], &row[1], &row[2], &row[3], &row[4]);
        let detail = detail_of(message_id);
        assert_eq!(&detail.summary.verdict, verdict, "{message_id}");
        if by == "-" {
            if verdict == "unsigned" {
                assert!(detail.corroborated_by.is_empty(), "{message_id}");
            }
            continue;
        }
        let found = detail
            .corroborated_by
            .iter()
            .find(|c| c.message.message_id.as_deref() == Some(by.as_str()) && &c.how == how)
            .unwrap_or_else(|| panic!("{message_id}: not corroborated by {by} ({how})"));
        let differences = found.differences.as_array().unwrap();
        match matched.as_str() {
            "exact" => assert!(differences.is_empty(), "{message_id}: {differences:?}"),
            _ => {
                let texts: Vec<&str> = differences
                    .iter()
                    .map(|d| d["text"].as_str().unwrap())
                    .collect();
                assert!(texts.contains(&"412,60"), "{message_id}: {texts:?}");
                assert!(texts.contains(&"4 126,00"), "{message_id}: {texts:?}");
            }
        }
        // The verified side lists it too.
        let verified = detail_of(by);
        assert!(verified
            .corroborates
            .iter()
            .any(|c| c.message.message_id.as_deref() == Some(message_id.as_str())));
    }
}
