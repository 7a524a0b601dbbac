//! Google Takeout's Gmail mbox: the committed export that
//! fixtures/takeout/make-takeout-fixture.py builds from the sample dump
//! (CRLF, mboxrd, X-GM-THRID and X-Gmail-Labels at the top of each header).
//! Its labels are read exactly, and through the real binary each message
//! keeps the verdict its source got in the sample dump.

mod common;

use std::path::PathBuf;

use common::*;
use tamis_items::{Item, SourceEvent};
use tamis_sources::{Limits, Walker};

fn takeout_items(path: PathBuf) -> Vec<Item> {
    let mut items = Vec::new();
    Walker::new(Limits::default()).walk(&[path], &mut |event| match event {
        SourceEvent::Item(item) => items.push(item),
        other => panic!("{other:?}"),
    });
    items
}

/// Rows of fixtures/takeout/expected.tsv: FILE OFFSET SOURCE THRID
/// LABELS_FIELD LABELS.
fn expected() -> Vec<Vec<String>> {
    let rows = tsv_rows(&repo().join("fixtures/takeout/expected.tsv"));
    assert_eq!(rows.len(), 7);
    rows
}

#[test]
fn labels_and_thread_ids_are_read_exactly() {
    let items = takeout_items(repo().join("fixtures/takeout/Takeout"));
    assert_eq!(items.len(), 7);
    for row in expected() {
        let (file, offset, thrid, labels) = (&row[0], &row[1], &row[3], &row[5]);
        let item = items
            .iter()
            .find(|i| {
                i.origin.file.ends_with(file.as_str())
                    && i.origin.offset == Some(offset.parse().unwrap())
            })
            .unwrap_or_else(|| panic!("{file}@{offset}"));
        let content = tamis_content::extract(&item.bytes);
        let labels: Vec<String> = serde_json::from_str(labels).unwrap();
        assert_eq!(content.gmail_labels, labels, "{file}@{offset}");
        assert_eq!(content.gmail_thread_id.as_deref(), Some(thrid.as_str()));
        assert!(content.problems.is_empty(), "{:?}", content.problems);
    }
}

#[test]
fn every_takeout_message_keeps_the_verdict_of_its_source() {
    let (messages, summary) =
        verify_jsonl(&["fixtures/takeout", "--keys", "examples/sample-keys.zone"]);
    let sample = tsv_rows(&repo().join("examples/sample-expected.tsv"));
    for row in expected() {
        let (file, offset, source) = (&row[0], &row[1], &row[2]);
        let location = format!("fixtures/takeout/{file}@{offset}");
        let message = found_at(&messages, |o| o["location"] == location.as_str())
            .unwrap_or_else(|| panic!("{location} is nowhere in the output"));
        let wanted = &sample.iter().find(|r| &r[0] == source).unwrap()[2];
        assert_eq!(
            message["verdict"],
            wanted.as_str(),
            "{location}: {}",
            message["reason"]
        );
        // CRLF as Gmail keeps it: only the mboxrd escaping needed undoing,
        // and only where a body line starts with `From `.
        let expected_repairs = if source == "paul.mercier.mbox@0" {
            "mbox-from-unescape"
        } else {
            "-"
        };
        assert_eq!(repairs(message), expected_repairs, "{location}");
    }
    assert_eq!(summary["summary"]["unreadable"], serde_json::json!([]));
    // The signed message with an escaped `From ` body line, CRLF, labels
    // added above its signature: verified.
    let m16 = found_at(&messages, |o| {
        o["location"] == "fixtures/takeout/Takeout/Mail/All mail Including Spam and Trash.mbox@0"
    })
    .unwrap();
    assert_eq!(m16["verdict"], "verified");
    assert_eq!(
        m16["message_id"],
        "m16.1491210000@horizon-commun.example.fr"
    );
}

/// Two Takeout mboxes holding one message, once per export: the copies
/// differ only by their X-Gmail-Labels line (and the mbox `From ` line,
/// which is not part of the message).
fn same_message_in_two_exports() -> (tempfile::TempDir, Vec<Item>) {
    let rows = expected();
    let items = takeout_items(repo().join("fixtures/takeout/Takeout"));
    let copy = |row: &Vec<String>| {
        items
            .iter()
            .find(|i| {
                i.origin.file.ends_with(row[0].as_str())
                    && i.origin.offset == Some(row[1].parse().unwrap())
            })
            .unwrap()
            .bytes
            .clone()
    };
    // m27, in All mail and in Important.
    let (a, b) = (copy(&rows[1]), copy(&rows[5]));
    let without_labels = |bytes: &[u8]| {
        let text = String::from_utf8(bytes.to_vec()).unwrap();
        let start = text.find("X-Gmail-Labels: ").unwrap();
        let end = start + text[start..].find("\r\n").unwrap() + 2;
        format!("{}{}", &text[..start], &text[end..])
    };
    assert_ne!(a, b);
    assert_eq!(without_labels(&a), without_labels(&b));
    let dir = tempfile::tempdir().unwrap();
    for (name, from, bytes) in [
        (
            "export-2019.mbox",
            "From 1566095410870125952@xxx Fri Apr 28 07:00:00 +0000 2017\r\n",
            &a,
        ),
        (
            "export-2020.mbox",
            "From 1566095410870125952@xxx Fri Apr 28 07:00:01 +0000 2017\r\n",
            &b,
        ),
    ] {
        let mbox = [from.as_bytes(), bytes, b"\r\n"].concat();
        std::fs::write(dir.path().join(name), mbox).unwrap();
    }
    let items = takeout_items(dir.path().to_path_buf());
    assert_eq!(items.len(), 2);
    (dir, items)
}

/// The duplicate key leaves out the Takeout fields above the header
/// (tamis_mail::identify): one message exported under two labels is one
/// message with two origins, and keeps its verdict.
#[test]
fn copies_differing_only_by_labels_are_one_message() {
    let (dir, items) = same_message_in_two_exports();
    assert_eq!(
        tamis_mail::message_key(&items[0]),
        tamis_mail::message_key(&items[1])
    );
    let (messages, summary) = verify_jsonl(&[
        dir.path().to_str().unwrap(),
        "--keys",
        "examples/sample-keys.zone",
    ]);
    assert_eq!(messages.len(), 1);
    assert_eq!(summary["summary"]["duplicates"], 1);
    assert_eq!(messages[0]["origins"].as_array().unwrap().len(), 2);
    assert_eq!(messages[0]["verdict"], "verified");
}

/// In a case, one message exported under two labels is one message with
/// the labels of both copies.
#[test]
fn a_case_keeps_the_labels_of_every_copy() {
    let dir = tempfile::tempdir().unwrap();
    let case = dir.path().join("case");
    let takeout = repo().join("fixtures/takeout/Takeout");
    tamis_ok(&[
        "ingest",
        takeout.to_str().unwrap(),
        "--case",
        case.to_str().unwrap(),
        "--keys",
        "examples/sample-keys.zone",
    ]);
    let reader = tamis_case::CaseReader::open(&case).unwrap();
    let overview = reader.overview().unwrap();
    assert_eq!(overview.messages, 5, "seven copies, five messages");
    let page = reader
        .search(&tamis_search::Query {
            limit: 20,
            ..tamis_search::Query::default()
        })
        .unwrap();
    let mut labels: Vec<Vec<String>> = page
        .hits
        .iter()
        .map(|hit| {
            let id = hit.message.as_ref().unwrap().id;
            reader.message(id).unwrap().unwrap().labels
        })
        .collect();
    labels.sort();
    let expected: Vec<Vec<&str>> = vec![
        vec!["Category Updates", "Important", "Inbox", "Opened"],
        vec!["Important", "Inbox", "Label, with comma", "Ouvert"],
        vec!["Important", "Inbox", "Opened", "Réunions mairie"],
        vec!["Opened", "Trash", "Équipe terrain"],
        vec!["Spam"],
    ];
    assert_eq!(labels, expected);
}
