//! `tamis inspect` as a user runs it: documents stream out in dump order
//! (across the chunks the walker hands over), the findings across documents
//! come last, and a run that finds no document says so in its exit code.

mod common;

use common::*;
use serde_json::Value;

const BURST: &str = "fixtures/docs/office/xlsx-burst";

fn json_lines(stdout: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(stdout)
        .lines()
        .map(|line| serde_json::from_str(line).expect("each line is JSON"))
        .collect()
}

#[test]
fn documents_stream_in_dump_order_and_the_burst_comes_last() {
    let dir = tempfile::tempdir().unwrap();
    // More notes than one chunk holds, so order must survive the hand-over.
    let notes = dir.path().join("notes");
    std::fs::create_dir(&notes).unwrap();
    for i in 0..300 {
        std::fs::write(
            notes.join(format!("{i:03}.txt")),
            format!("note {i}: virement vers le compte {i}\n"),
        )
        .unwrap();
    }
    let burst = repo().join(BURST);
    let output = tamis(&[
        "inspect",
        notes.to_str().unwrap(),
        burst.to_str().unwrap(),
        "--format",
        "jsonl",
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let lines = json_lines(&output.stdout);
    let (collection, documents) = lines.split_last().unwrap();
    let spreadsheets = std::fs::read_dir(&burst).unwrap().count();
    assert_eq!(documents.len(), 300 + spreadsheets);

    let locations: Vec<&str> = documents
        .iter()
        .map(|d| d["location"].as_str().unwrap())
        .collect();
    for (i, location) in locations[..300].iter().enumerate() {
        assert!(
            location.ends_with(&format!("notes/{i:03}.txt")),
            "document {i} is {location}"
        );
    }
    assert_eq!(documents[7]["kind"], "text");
    assert!(documents[7]["text"]
        .as_str()
        .unwrap()
        .contains("note 7: virement"));
    assert!(locations[300..].iter().all(|l| l.ends_with(".xlsx")));

    let codes: Vec<&str> = collection["collection"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["finding"]["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"edit-burst"), "{codes:?}");

    let summary = String::from_utf8_lossy(&output.stderr);
    assert!(
        summary.contains(&format!("{} documents inspected", 300 + spreadsheets)),
        "{summary}"
    );
}

#[test]
fn text_output_names_each_document_and_the_findings_across_them() {
    let burst = repo().join(BURST);
    let output = tamis(&["inspect", burst.to_str().unwrap()]);
    assert!(output.status.success());
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("budget-2007.xlsx (Ooxml"), "{text}");
    assert!(
        text.contains("last modified by: Рошка Георгий Петрович"),
        "{text}"
    );
    let across = text.split("Across the").nth(1).expect("a closing section");
    assert!(across.contains("edit-burst"), "{across}");
}

#[test]
fn no_document_is_exit_code_one_and_a_missing_path_an_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("blob.bin"), [0u8, 1, 2, 3, 0xff]).unwrap();
    let output = tamis(&["inspect", dir.path().to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("0 documents inspected"));

    let missing = dir.path().join("absent");
    let output = tamis(&["inspect", missing.to_str().unwrap()]);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("no such file or directory"));
}
