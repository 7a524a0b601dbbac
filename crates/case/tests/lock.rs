//! One writer per case, any number of readers, and nothing but a case is
//! ever opened as one.

mod common;

use common::*;
use tamis_case::{CaseReader, CaseWriter};

#[test]
fn a_second_writer_is_refused_while_the_first_holds_the_case() {
    let dir = tempfile::tempdir().unwrap();
    let first = CaseWriter::open(dir.path()).unwrap();
    let error = CaseWriter::open(dir.path())
        .err()
        .expect("a second writer must be refused");
    let message = format!("{error:#}");
    assert!(message.contains("is being written by"), "{message}");
    assert!(
        message.contains(&std::process::id().to_string()),
        "{message}"
    );
    drop(first);
    CaseWriter::open(dir.path()).expect("the lock is released with the first writer");
}

#[test]
fn readers_read_what_a_running_writer_has_committed() {
    let dir = tempfile::tempdir().unwrap();
    let records = sample_records();
    let mut writer = CaseWriter::open(dir.path()).unwrap();
    writer.set_batch_limits(10, usize::MAX);
    writer.begin_run(&params(&[&sample_dump()])).unwrap();
    for record in &records[..25] {
        writer.add(record.clone()).unwrap();
    }
    let reader = CaseReader::open(dir.path()).unwrap();
    let overview = reader.overview().unwrap();
    assert_eq!(
        overview.messages, 20,
        "two batches of ten committed, five pending"
    );
    assert_eq!(overview.runs[0].status, "running");
    let detail = reader.message(1).unwrap().unwrap();
    assert_eq!(
        detail.thread.len(),
        1,
        "not threaded yet: the message stands alone"
    );
    for record in &records[25..] {
        writer.add(record.clone()).unwrap();
    }
    writer.finish_run().unwrap();
    assert_eq!(reader.overview().unwrap().messages, 39);
}

#[test]
fn reading_a_case_changes_nothing_in_it() {
    let dir = tempfile::tempdir().unwrap();
    ingest(dir.path(), &params(&[&sample_dump()]), &sample_records());
    let before = tamis_case::canonical_dump(dir.path()).unwrap();
    let database = std::fs::read(dir.path().join("case.sqlite")).unwrap();
    let reader = CaseReader::open(dir.path()).unwrap();
    reader.overview().unwrap();
    reader.message(1).unwrap().unwrap();
    reader.raw(2).unwrap().unwrap();
    reader.runs().unwrap();
    assert!(reader.check().unwrap().is_empty());
    reader
        .search(&tamis_search::Query {
            text: "campagne".into(),
            ..tamis_search::Query::default()
        })
        .unwrap();
    drop(reader);
    assert_eq!(tamis_case::canonical_dump(dir.path()).unwrap(), before);
    assert!(std::fs::read(dir.path().join("case.sqlite")).unwrap() == database);
}

#[test]
fn the_reader_can_be_shared_between_threads() {
    fn shareable<T: Send + Sync>() {}
    shareable::<CaseReader>();
    let dir = tempfile::tempdir().unwrap();
    ingest(dir.path(), &params(&[&sample_dump()]), &sample_records());
    let reader = std::sync::Arc::new(CaseReader::open(dir.path()).unwrap());
    let threads: Vec<_> = (0..4)
        .map(|n| {
            let reader = reader.clone();
            std::thread::spawn(move || {
                for id in 1..=39 {
                    let detail = reader.message((id + n * 7) % 39 + 1).unwrap().unwrap();
                    assert!(!detail.summary.sha256.is_empty());
                }
                reader.overview().unwrap().messages
            })
        })
        .collect();
    for thread in threads {
        assert_eq!(thread.join().unwrap(), 39);
    }
}

#[test]
fn a_directory_holding_other_files_is_not_turned_into_a_case() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("thesis.docx"), b"years of work").unwrap();
    let error = CaseWriter::open(dir.path()).err().expect("refused");
    assert!(
        format!("{error:#}").contains("not a tamis case"),
        "{error:#}"
    );
    assert!(!dir.path().join("case.sqlite").exists());
}

#[test]
fn reading_a_directory_that_is_not_a_case_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let error = CaseReader::open(dir.path()).err().expect("refused");
    assert!(
        format!("{error:#}").contains("is not a tamis case"),
        "{error:#}"
    );
}
