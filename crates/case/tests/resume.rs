//! Ingest is resumable: however a writer stops — dropped mid-run, dropped
//! before its first commit, killed with SIGKILL at a random moment — running
//! the same ingest again ends with exactly the case an uninterrupted run
//! makes (same rows, same ids, same blobs, same counts).

mod common;

use common::*;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use tamis_case::{canonical_dump, CaseReader, CaseWriter, IngestRecord, RunParams};

/// Small batches, so that the 41 sample records make many commits and a
/// stop can land before, between and inside them.
const BATCH: usize = 4;

fn uninterrupted(records: &[IngestRecord], params: &RunParams) -> String {
    let dir = tempfile::tempdir().unwrap();
    run_to_the_end(dir.path(), records, params);
    canonical_dump(dir.path()).unwrap()
}

fn run_to_the_end(case: &Path, records: &[IngestRecord], params: &RunParams) {
    let mut writer = CaseWriter::open(case).unwrap();
    writer.set_batch_limits(BATCH, usize::MAX);
    writer.begin_run(params).unwrap();
    for record in records {
        writer.add(record.clone()).unwrap();
    }
    writer.finish_run().unwrap();
}

/// Add the first `count` records, then drop the writer without finishing.
fn stop_after(case: &Path, records: &[IngestRecord], params: &RunParams, count: usize) {
    let mut writer = CaseWriter::open(case).unwrap();
    writer.set_batch_limits(BATCH, usize::MAX);
    writer.begin_run(params).unwrap();
    for record in &records[..count] {
        writer.add(record.clone()).unwrap();
    }
}

#[test]
fn a_writer_dropped_at_any_point_then_rerun_makes_the_same_case() {
    let records = sample_records();
    let params = params(&[&sample_dump()]);
    let expected = uninterrupted(&records, &params);
    // Before the first commit, on a batch boundary, inside a batch, at the
    // last record (everything added, nothing finished).
    for count in [0, 1, 3, BATCH, BATCH + 1, 17, 30, records.len()] {
        let dir = tempfile::tempdir().unwrap();
        stop_after(dir.path(), &records, &params, count);
        run_to_the_end(dir.path(), &records, &params);
        assert_eq!(
            canonical_dump(dir.path()).unwrap(),
            expected,
            "stopped after {count} records"
        );
    }
}

#[test]
fn two_stops_in_a_row_still_make_the_same_case() {
    let records = sample_records();
    let params = params(&[&sample_dump()]);
    let expected = uninterrupted(&records, &params);
    let dir = tempfile::tempdir().unwrap();
    stop_after(dir.path(), &records, &params, 22);
    // The second attempt stops while still replaying what the first committed.
    stop_after(dir.path(), &records, &params, 9);
    run_to_the_end(dir.path(), &records, &params);
    assert_eq!(canonical_dump(dir.path()).unwrap(), expected);
}

#[test]
fn a_stopped_run_is_resumed_in_the_same_row_and_counts_each_record_once() {
    let records = sample_records();
    let params = params(&[&sample_dump()]);
    let dir = tempfile::tempdir().unwrap();
    stop_after(dir.path(), &records, &params, 13);
    let runs = CaseReader::open(dir.path()).unwrap().runs().unwrap();
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0].status, "running");
    assert_eq!(runs[0].finished_at, None);

    let mut writer = CaseWriter::open(dir.path()).unwrap();
    assert_eq!(
        writer.begin_run(&params).unwrap(),
        1,
        "the same run resumes"
    );
    for record in &records {
        writer.add(record.clone()).unwrap();
    }
    let (run, counts) = writer.finish_run().unwrap();
    assert_eq!(run.id, 1);
    assert_eq!(run.status, "finished");
    assert_eq!(
        (counts.messages, counts.new_messages, counts.duplicates),
        (39, 39, 2)
    );
}

#[test]
fn a_run_with_other_parameters_starts_afresh_and_marks_the_stopped_one_interrupted() {
    let records = sample_records();
    let dir = tempfile::tempdir().unwrap();
    stop_after(dir.path(), &records, &params(&[&sample_dump()]), 13);
    let mut other = params(&[&sample_dump()]);
    other.dns = true;
    let mut writer = CaseWriter::open(dir.path()).unwrap();
    assert_eq!(writer.begin_run(&other).unwrap(), 2);
    for record in &records {
        writer.add(record.clone()).unwrap();
    }
    let (_, counts) = writer.finish_run().unwrap();
    assert_eq!(counts.messages, 39);
    assert!(
        counts.new_messages < 39,
        "run 1 committed some messages before it stopped"
    );
    drop(writer);
    let runs = CaseReader::open(dir.path()).unwrap().runs().unwrap();
    let statuses: Vec<&str> = runs.iter().map(|r| r.status.as_str()).collect();
    assert_eq!(statuses, ["interrupted", "finished"]);
    assert_eq!(
        CaseReader::open(dir.path())
            .unwrap()
            .overview()
            .unwrap()
            .messages,
        39
    );
}

#[test]
fn the_index_catches_up_when_a_writer_died_before_committing_it() {
    let records = sample_records();
    let params = params(&[&sample_dump()]);
    let dir = tempfile::tempdir().unwrap();
    // Committed database batches, but the index commits only every few
    // thousand messages or at the end: it is behind.
    stop_after(dir.path(), &records, &params, 30);
    drop(CaseWriter::open(dir.path()).unwrap());
    let reader = CaseReader::open(dir.path()).unwrap();
    let committed = reader.overview().unwrap().messages;
    assert!(committed > 0);
    let everything = reader
        .search(&tamis_search::Query {
            limit: 200,
            ..tamis_search::Query::default()
        })
        .unwrap();
    assert_eq!(
        everything.total, committed,
        "opening the writer indexed them"
    );
}

/// Set in the environment of the child process the SIGKILL test starts.
const CHILD_CASE: &str = "TAMIS_CASE_TEST_CHILD_CASE";

#[test]
fn killed_with_sigkill_at_random_moments_then_rerun_makes_the_same_case() {
    let records = sample_records();
    let params = params(&[&sample_dump()]);
    let expected = uninterrupted(&records, &params);
    let dir = tempfile::tempdir().unwrap();
    // Kill the child once it has announced this many records added: it is
    // then somewhere in the next add, a commit, or a blob write.
    for kill_after in [2, 9, 15, 26, 35] {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "ingest_in_a_child_process",
                "--ignored",
                "--nocapture",
            ])
            .env(CHILD_CASE, dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = BufReader::new(child.stdout.take().unwrap());
        let reached = stdout.lines().any(|line| {
            line.unwrap()
                .strip_prefix("added ")
                .and_then(|n| n.parse::<usize>().ok())
                >= Some(kill_after)
        });
        child.kill().unwrap();
        child.wait().unwrap();
        assert!(
            reached,
            "the child stopped before adding {kill_after} records"
        );
    }
    let runs = CaseReader::open(dir.path()).unwrap().runs().unwrap();
    assert_eq!(runs.len(), 1);
    assert_eq!(
        runs[0].status, "running",
        "every kill landed before the run finished"
    );
    run_to_the_end(dir.path(), &records, &params);
    assert_eq!(canonical_dump(dir.path()).unwrap(), expected);
    let reader = CaseReader::open(dir.path()).unwrap();
    assert!(reader.check().unwrap().is_empty());
}

/// Not a test on its own: the process the SIGKILL test kills.
#[test]
#[ignore = "run by killed_with_sigkill_at_random_moments_then_rerun_makes_the_same_case"]
fn ingest_in_a_child_process() {
    let Some(case) = std::env::var_os(CHILD_CASE) else {
        return;
    };
    let records = sample_records();
    let mut writer = CaseWriter::open(Path::new(&case)).unwrap();
    writer.set_batch_limits(BATCH, usize::MAX);
    writer.begin_run(&params(&[&sample_dump()])).unwrap();
    for (n, record) in records.into_iter().enumerate() {
        writer.add(record).unwrap();
        println!("added {}", n + 1);
    }
    writer.finish_run().unwrap();
    println!("finished");
}
