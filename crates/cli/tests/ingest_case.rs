//! `tamis ingest` end to end: the sample dump becomes a case whose counts
//! match its documented verdicts; a second dump appends and deduplicates; a
//! real ingest killed with SIGKILL and run again ends identical to an
//! uninterrupted one.

mod common;

use common::*;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Instant;
use tamis_case::CaseReader;

fn ingest(case: &Path, paths: &[&str]) -> std::process::Output {
    let case = case.to_str().unwrap();
    let mut args = vec![
        "ingest",
        "--case",
        case,
        "--keys",
        "examples/sample-keys.zone",
    ];
    args.extend_from_slice(paths);
    let output = tamis(&args);
    assert!(
        output.status.success(),
        "tamis ingest failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

fn verdict_counts(case: &Path) -> BTreeMap<String, u64> {
    let overview = CaseReader::open(case).unwrap().overview().unwrap();
    overview
        .verdicts
        .into_iter()
        .filter(|v| v.count > 0)
        .map(|v| (v.verdict, v.count))
        .collect()
}

fn expected_sample_counts() -> BTreeMap<String, u64> {
    let mut per_message = BTreeMap::new();
    for row in tsv_rows(&repo().join("examples/sample-expected.tsv")) {
        // Duplicates share a Message-ID: count each message once.
        per_message.insert(row[1].clone(), row[2].clone());
    }
    let mut counts = BTreeMap::new();
    for verdict in per_message.into_values() {
        *counts.entry(verdict).or_insert(0) += 1;
    }
    counts
}

#[test]
fn the_sample_dump_becomes_a_case_with_its_documented_verdicts() {
    let dir = tempfile::tempdir().unwrap();
    let case = dir.path().join("case");
    ingest(&case, &["examples/sample-dump"]);
    assert_eq!(verdict_counts(&case), expected_sample_counts());

    let reader = CaseReader::open(&case).unwrap();
    let overview = reader.overview().unwrap();
    assert_eq!(overview.messages, 39);
    assert_eq!(overview.runs.len(), 1);
    assert_eq!(overview.runs[0].status, "finished");
    assert_eq!(overview.runs[0].paths, vec!["examples/sample-dump"]);
    assert_eq!(
        overview.runs[0].key_files,
        vec!["examples/sample-keys.zone"]
    );
    assert!(reader.check().unwrap().is_empty(), "integrity check");
}

#[test]
fn a_second_dump_appends_and_a_repeated_one_adds_only_origins() {
    let dir = tempfile::tempdir().unwrap();
    let case = dir.path().join("case");
    ingest(&case, &["examples/sample-dump/maildir-claire.dubois"]);
    let first = CaseReader::open(&case).unwrap().overview().unwrap();
    ingest(&case, &["examples/sample-dump"]);
    let second = CaseReader::open(&case).unwrap().overview().unwrap();
    assert!(first.messages < second.messages);
    assert_eq!(
        second.messages, 39,
        "the maildir's messages are not doubled"
    );
    assert_eq!(second.runs.len(), 2);
    let run2 = &second.runs[1];
    assert_eq!(
        run2.counts["new_messages"] + first.messages,
        second.messages,
        "run 2 counts only the messages the case did not have as new: {:?}",
        run2.counts
    );

    // The same dump again: nothing new, every origin already known.
    let before = without_runs(&tamis_case::canonical_dump(&case).unwrap());
    ingest(&case, &["examples/sample-dump"]);
    let third = CaseReader::open(&case).unwrap().overview().unwrap();
    assert_eq!(third.messages, 39);
    assert_eq!(third.runs[2].counts["new_messages"], 0);
    assert_eq!(
        without_runs(&tamis_case::canonical_dump(&case).unwrap()),
        before
    );
}

fn without_runs(dump: &str) -> String {
    dump.lines()
        .filter(|row| !row.starts_with("runs\t"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A dump big enough that an ingest takes a while: unique messages, a tenth
/// of them with an attachment shared by several, in one mbox, beside the
/// signed sample dump.
fn make_big_dump(dir: &Path, messages: usize) -> PathBuf {
    let root = dir.join("big");
    std::fs::create_dir_all(&root).unwrap();
    let mut mbox = std::fs::File::create(root.join("bulk.mbox")).unwrap();
    for i in 0..messages {
        let sender = i % 53;
        let domain = i % 7;
        let day = 1 + i % 28;
        let month = 1 + (i / 28) % 12;
        write!(
            mbox,
            "From sender{sender}@example{domain}.org Mon Jan  1 00:00:00 2017\n\
             From: Sender {sender} <sender{sender}@example{domain}.org>\n\
             To: desk@example.net\n\
             Subject: Budget line {i}\n\
             Date: Mon, {day} {mon} 2017 10:{min:02}:00 +0200\n\
             Message-ID: <bulk-{i}@example{domain}.org>\n",
            mon = [
                "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
            ][month - 1],
            min = i % 60,
        )
        .unwrap();
        if i % 10 == 0 {
            write!(
                mbox,
                "MIME-Version: 1.0\n\
                 Content-Type: multipart/mixed; boundary=\"b{i}\"\n\n\
                 --b{i}\nContent-Type: text/plain\n\nSee the attached table for item {i}.\n\
                 --b{i}\nContent-Type: text/csv\n\
                 Content-Disposition: attachment; filename=\"table-{k}.csv\"\n\
                 Content-Transfer-Encoding: base64\n\n{b64}\n--b{i}--\n\n",
                k = i % 30,
                b64 = base64_of(&format!("line,amount\n{},{}\n", i % 30, (i % 30) * 100)),
            )
            .unwrap();
        } else {
            write!(
                mbox,
                "\nMeeting notes number {i}: the campaign budget and the agenda for day {day}.\n\n"
            )
            .unwrap();
        }
    }
    root
}

fn base64_of(text: &str) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let bytes = text.as_bytes();
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, b)| acc | (*b as u32) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn spawn_ingest(case: &Path, big: &Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_tamis"))
        .args(["ingest", "--case"])
        .arg(case)
        .args([
            "--keys",
            "examples/sample-keys.zone",
            "examples/sample-dump",
        ])
        .arg(big)
        .current_dir(repo())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("tamis runs")
}

#[test]
fn an_ingest_killed_mid_run_and_run_again_ends_identical_to_an_uninterrupted_one() {
    let dir = tempfile::tempdir().unwrap();
    let big = make_big_dump(dir.path(), 4000);

    let reference = dir.path().join("reference");
    let started = Instant::now();
    let status = spawn_ingest(&reference, &big).wait().unwrap();
    assert!(status.success());
    let full_run = started.elapsed();
    let expected = tamis_case::canonical_dump(&reference).unwrap();

    // Kill at points spread over the run, each resumed run killed again
    // further on, until one is let finish. A resumed run skips what is
    // stored, so it may finish before its kill: then the killing stops.
    let mut kills = 0;
    let mut finished = false;
    let case = dir.path().join("killed");
    for fraction in [0.1, 0.3, 0.5, 0.7, 0.9] {
        let mut child = spawn_ingest(&case, &big);
        std::thread::sleep(full_run.mul_f64(fraction));
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success());
            finished = true;
            break;
        }
        child.kill().unwrap(); // SIGKILL on Unix
        child.wait().unwrap();
        kills += 1;
    }
    assert!(
        kills >= 2,
        "the ingest ended before it could be killed ({full_run:?} runs)"
    );
    eprintln!("killed {kills} times over a {full_run:?} ingest");

    // The last kill may land after the run was marked finished (while the
    // process exits): then the case is complete and a rerun would rightly
    // be a new run of its own.
    let marked_finished = CaseReader::open(&case)
        .and_then(|reader| reader.runs())
        .is_ok_and(|runs| runs.last().is_some_and(|run| run.status == "finished"));
    if !finished && !marked_finished {
        let status = spawn_ingest(&case, &big).wait().unwrap();
        assert!(status.success());
    }
    assert!(CaseReader::open(&case).unwrap().check().unwrap().is_empty());
    let resumed = tamis_case::canonical_dump(&case).unwrap();
    assert_same_case(&expected, &resumed);

    let runs = CaseReader::open(&case).unwrap().runs().unwrap();
    assert_eq!(
        runs.len(),
        1,
        "the killed run was resumed, not doubled: {runs:?}"
    );
    assert_eq!(runs[0].status, "finished");
}

/// Equal canonical dumps, or a failure that shows the rows only one side has.
fn assert_same_case(expected: &str, actual: &str) {
    if expected == actual {
        return;
    }
    let expected_rows: std::collections::BTreeSet<&str> = expected.lines().collect();
    let actual_rows: std::collections::BTreeSet<&str> = actual.lines().collect();
    let missing: Vec<_> = expected_rows.difference(&actual_rows).take(10).collect();
    let extra: Vec<_> = actual_rows.difference(&expected_rows).take(10).collect();
    panic!(
        "the resumed case differs from an uninterrupted one\n\
         rows missing ({} lines expected, {} found): {missing:#?}\nrows extra: {extra:#?}",
        expected.lines().count(),
        actual.lines().count()
    );
}
