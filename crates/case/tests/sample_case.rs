//! A case built from the bundled sample dump (examples/) shows the figures
//! its generator documents, keeps every origin, and gives back the exact
//! bytes of every message.

mod common;

use common::*;
use std::collections::BTreeMap;
use tamis_case::{CaseReader, IngestRecord};
use tamis_findings::Verdict;
use tamis_items::ContentId;

/// Verdict → unique messages, from examples/sample-expected.tsv (a message
/// found twice is listed twice there, under the same Message-ID).
fn expected_verdicts() -> BTreeMap<String, u64> {
    let tsv = std::fs::read_to_string(repo().join("examples/sample-expected.tsv")).unwrap();
    let mut by_message_id = BTreeMap::new();
    for line in tsv.lines().skip(1) {
        let fields: Vec<&str> = line.split('\t').collect();
        by_message_id.insert(fields[1].to_string(), fields[2].to_string());
    }
    let mut counts = BTreeMap::new();
    for verdict in by_message_id.into_values() {
        *counts.entry(verdict).or_default() += 1;
    }
    counts
}

fn sample_case() -> (tempfile::TempDir, CaseReader) {
    let dir = tempfile::tempdir().unwrap();
    ingest(dir.path(), &params(&[&sample_dump()]), &sample_records());
    let reader = CaseReader::open(dir.path()).unwrap();
    (dir, reader)
}

fn message_with_id(reader: &CaseReader, message_id: &str) -> tamis_case::MessageDetail {
    let overview = reader.overview().unwrap();
    (1..=overview.messages as i64)
        .filter_map(|id| reader.message(id).unwrap())
        .find(|m| m.summary.message_id.as_deref() == Some(message_id))
        .unwrap_or_else(|| panic!("{message_id} is not in the case"))
}

#[test]
fn overview_counts_every_verdict_as_the_sample_documents() {
    let (_dir, reader) = sample_case();
    let overview = reader.overview().unwrap();
    assert_eq!(overview.messages, 39);
    assert_eq!(overview.origins, 41, "39 messages, two of them found twice");
    assert_eq!(overview.files, 0);
    assert_eq!(overview.unreadable_total, 0);
    let expected = expected_verdicts();
    assert_eq!(expected.values().sum::<u64>(), 39);
    let words: Vec<&str> = overview
        .verdicts
        .iter()
        .map(|v| v.verdict.as_str())
        .collect();
    let all: Vec<&str> = Verdict::ALL.iter().map(|v| v.as_str()).collect();
    assert_eq!(words, all, "every verdict, in DESIGN.md order");
    for row in &overview.verdicts {
        let wanted = expected.get(&row.verdict).copied().unwrap_or(0);
        assert_eq!(row.count, wanted, "{}", row.verdict);
        assert!(!row.meaning.is_empty());
    }
    let timeline_total: u64 = overview
        .timeline
        .iter()
        .flat_map(|bucket| bucket.counts.values())
        .sum();
    assert_eq!(timeline_total + overview.undated, 39);
    assert_eq!(overview.undated, 0, "every sample message has a Date");
    assert!(overview
        .sender_domains
        .iter()
        .all(|d| d.key == d.key.to_lowercase()));
    assert_eq!(overview.runs.len(), 1);
    assert_eq!(overview.runs[0].status, "finished");
}

#[test]
fn the_run_records_what_it_was_asked_and_what_it_found() {
    let dir = tempfile::tempdir().unwrap();
    let (run, counts) = ingest(dir.path(), &params(&[&sample_dump()]), &sample_records());
    assert_eq!(run.id, 1);
    assert_eq!(run.status, "finished");
    assert!(run.finished_at.is_some());
    assert_eq!(run.paths, vec![sample_dump().display().to_string()]);
    assert_eq!(run.key_files, vec!["examples/sample-keys.zone".to_string()]);
    assert_eq!(counts.messages, 39);
    assert_eq!(counts.new_messages, 39);
    assert_eq!(counts.duplicates, 2);
    assert_eq!(counts.unreadable, 0);
    assert_eq!(run.counts["messages"], 39);
    assert_eq!(run.counts["duplicates"], 2);
    let runs = CaseReader::open(dir.path()).unwrap().runs().unwrap();
    assert_eq!(runs[0].counts, run.counts);
}

#[test]
fn raw_gives_back_the_exact_bytes_of_the_first_origin() {
    let (_dir, reader) = sample_case();
    for id in 1..=39 {
        let detail = reader.message(id).unwrap().expect("ids run from 1 to 39");
        let raw = reader.raw(id).unwrap().unwrap();
        assert_eq!(
            ContentId::of(&raw).to_hex(),
            detail.summary.sha256,
            "message {id}"
        );
        assert_eq!(detail.origins[0].sha256.to_hex(), detail.summary.sha256);
        let on_disk = read_origin(&detail.origins[0].origin);
        if let Some(on_disk) = on_disk {
            assert_eq!(raw, on_disk, "message {id} as found on disk");
        }
    }
    assert!(reader.message(40).unwrap().is_none());
    assert!(reader.raw(40).unwrap().is_none());
}

/// The bytes at an origin that is a plain file on disk (maildir messages).
fn read_origin(origin: &tamis_items::Origin) -> Option<Vec<u8>> {
    (origin.entries.is_empty() && origin.offset.is_none())
        .then(|| std::fs::read(&origin.file).unwrap())
}

#[test]
fn a_re_exported_message_lists_both_places_and_the_bytes_found_at_each() {
    let (_dir, reader) = sample_case();
    let m21 = message_with_id(&reader, "m21.1493568000@horizon-commun.example.fr");
    assert_eq!(m21.origins.len(), 2);
    // The walk visits the zip before the mbox (sorted paths).
    assert!(m21.origins[0]
        .location
        .ends_with("m21 - Facture Agence Lumen avril.eml"));
    assert!(m21.origins[1].location.ends_with("paul.mercier.mbox@5323"));
    assert_ne!(
        m21.origins[0].sha256, m21.origins[1].sha256,
        "LF in the mbox, CRLF in the zip"
    );
    assert_eq!(m21.report.origins, m21.origins);
    assert_eq!(m21.summary.verdict, "verified");

    let m24 = message_with_id(&reader, "m24.1492925400@horizon-commun.example.fr");
    assert_eq!(m24.origins.len(), 2);
    assert_eq!(
        m24.origins[0].sha256, m24.origins[1].sha256,
        "the same bytes in two mailboxes"
    );
}

#[test]
fn the_message_page_has_headers_body_and_evidence() {
    let (_dir, reader) = sample_case();
    let m05 = message_with_id(&reader, "m05.1492156800@horizon-commun.example.fr");
    assert_eq!(m05.summary.verdict, "body-altered");
    assert!(m05.text_body.contains("4 126,00 EUR"));
    assert!(m05.headers.iter().any(|(name, _)| name == "DKIM-Signature"));
    assert!(!m05.report.signatures.is_empty());
    assert_eq!(m05.report.verdict, Verdict::BodyAltered);
    assert!(!m05.to.is_empty());
    assert!(m05.summary.from.as_deref().unwrap().contains('@'));
    assert!(m05
        .summary
        .date
        .as_deref()
        .unwrap()
        .starts_with("2017-04-14T"));
    assert!(m05.thread.iter().any(|t| t.id == Some(m05.summary.id)));
}

#[test]
fn reports_get_the_altered_messages_with_their_evidence_in_id_order() {
    let (_dir, reader) = sample_case();
    let altered = reader
        .messages_with_verdicts(&[Verdict::BodyAltered, Verdict::HeadersAltered])
        .unwrap();
    assert_eq!(altered.len(), 6);
    let ids: Vec<i64> = altered.iter().map(|(s, _)| s.id).collect();
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted);
    for (summary, report) in &altered {
        assert_eq!(summary.verdict, report.verdict.as_str());
        assert!(!report.origins.is_empty());
    }
    assert!(reader.messages_with_verdicts(&[]).unwrap().is_empty());
}

#[test]
fn the_same_dump_again_adds_a_run_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let records = sample_records();
    let once = {
        ingest(dir.path(), &params(&[&sample_dump()]), &records);
        tamis_case::canonical_dump(dir.path()).unwrap()
    };
    let (run, counts) = ingest(dir.path(), &params(&[&sample_dump()]), &records);
    assert_eq!(
        run.id, 2,
        "a finished run is not resumed: this is a new run"
    );
    assert_eq!(counts.messages, 39);
    assert_eq!(counts.new_messages, 0);
    assert_eq!(counts.duplicates, 2);
    let twice = tamis_case::canonical_dump(dir.path()).unwrap();
    let without_runs = |dump: &str| -> Vec<String> {
        dump.lines()
            .filter(|l| !l.starts_with("runs\t"))
            .map(str::to_string)
            .collect()
    };
    assert_eq!(without_runs(&once), without_runs(&twice));
}

#[test]
fn a_second_dump_holding_copies_adds_their_origins_and_counts_them_known() {
    let dir = tempfile::tempdir().unwrap();
    ingest(dir.path(), &params(&[&sample_dump()]), &sample_records());
    let m01_id = {
        let reader = CaseReader::open(dir.path()).unwrap();
        message_with_id(&reader, "m01.1491203520@horizon-commun.example.fr")
            .summary
            .id
    };

    let second = tempfile::tempdir().unwrap();
    let maildir = sample_dump().join("maildir-claire.dubois/cur");
    for name in [
        "1491203520.M0000P2017.horizon-laptop:2,S",
        "1492156800.M0004P2017.horizon-laptop:2,S",
    ] {
        std::fs::copy(maildir.join(name), second.path().join(name)).unwrap();
    }
    let fresh = Made::new("unused", "fresh@example.org", "Something new");
    std::fs::write(second.path().join("fresh.eml"), fresh.bytes()).unwrap();
    std::fs::write(second.path().join("notes.txt"), b"not a message at all").unwrap();

    let records = pipeline_records(&[second.path().to_path_buf()], &sample_keys());
    assert_eq!(records.len(), 4);
    let (run, counts) = ingest(dir.path(), &params(&[second.path()]), &records);
    assert_eq!(run.id, 2);
    assert_eq!(counts.messages, 3);
    assert_eq!(counts.new_messages, 1, "only fresh.eml is new to the case");
    assert_eq!(counts.files, 1);

    let reader = CaseReader::open(dir.path()).unwrap();
    let overview = reader.overview().unwrap();
    assert_eq!(overview.messages, 40);
    assert_eq!(overview.origins, 41 + 3);
    assert_eq!(overview.files, 1);
    let m01 = message_with_id(&reader, "m01.1491203520@horizon-commun.example.fr");
    assert_eq!(m01.summary.id, m01_id, "ids do not move");
    assert_eq!(m01.origins.len(), 2);
    assert_eq!(m01.origins[0].sha256, m01.origins[1].sha256);
    assert!(m01.origins[1]
        .location
        .starts_with(&second.path().display().to_string()));
    let fresh = message_with_id(&reader, "fresh@example.org");
    assert_eq!(fresh.summary.id, 40);
}

#[test]
fn search_finds_messages_and_returns_them_in_hit_order() {
    let (_dir, reader) = sample_case();
    let page = reader
        .search(&tamis_search::Query {
            text: "facture".into(),
            limit: 20,
            ..tamis_search::Query::default()
        })
        .unwrap();
    assert!(page.total >= 1);
    assert_eq!(page.hits.len() as u64, page.total.min(20));
    assert!(page
        .hits
        .iter()
        .any(|h| h.message.as_ref().unwrap().message_id.as_deref()
            == Some("m21.1493568000@horizon-commun.example.fr")));
    let by_date = reader
        .search(&tamis_search::Query {
            text: String::new(),
            verdict: vec!["body-altered".into()],
            sort: tamis_search::Sort::Oldest,
            limit: 20,
            ..tamis_search::Query::default()
        })
        .unwrap();
    assert_eq!(by_date.total, 3);
    let dates: Vec<String> = by_date
        .hits
        .iter()
        .map(|h| h.message.as_ref().unwrap().date.clone().unwrap())
        .collect();
    let mut sorted = dates.clone();
    sorted.sort();
    assert_eq!(dates, sorted, "the index's order is kept");
    assert!(by_date
        .hits
        .iter()
        .all(|h| h.message.as_ref().unwrap().verdict == "body-altered"));
}

#[test]
fn records_are_what_the_pipeline_hands_over() {
    let records = sample_records();
    let messages = records
        .iter()
        .filter(|r| matches!(r, IngestRecord::Message { .. }))
        .count();
    let duplicates = records
        .iter()
        .filter(|r| matches!(r, IngestRecord::Duplicate { .. }))
        .count();
    assert_eq!((messages, duplicates), (39, 2));
}
