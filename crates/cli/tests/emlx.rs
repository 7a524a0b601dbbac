//! Apple Mail `.emlx` through the real binary: the committed Mail folder
//! that fixtures/emlx/make-emlx-fixtures.py builds from the sample dump gets,
//! message by message, the verdict its source got in the sample dump (LF as
//! Mail stores it, or the original CRLF), and its damaged files are listed
//! as unreadable with their code.

mod common;

use common::*;

#[test]
fn every_emlx_message_gets_the_verdict_of_its_source() {
    let (messages, summary) =
        verify_jsonl(&["fixtures/emlx", "--keys", "examples/sample-keys.zone"]);
    let sample: Vec<Vec<String>> = tsv_rows(&repo().join("examples/sample-expected.tsv"));
    let source_verdict = |location: &str| -> String {
        sample
            .iter()
            .find(|row| row[0] == location)
            .unwrap_or_else(|| panic!("{location} is not in sample-expected.tsv"))[2]
            .clone()
    };
    let unreadable = summary["summary"]["unreadable"].as_array().unwrap();
    let rows = tsv_rows(&repo().join("fixtures/emlx/expected.tsv"));
    assert_eq!(rows.len(), 12);
    for row in &rows {
        let (file, source, stored, expect) = (&row[0], &row[1], &row[2], &row[3]);
        let path = format!("fixtures/emlx/{file}");
        if let Some(code) = expect.strip_prefix("unreadable:") {
            let found: Vec<_> = unreadable
                .iter()
                .filter(|u| u["origin"]["file"] == path.as_str())
                .collect();
            assert_eq!(found.len(), 1, "{file}: {unreadable:#?}");
            assert_eq!(found[0]["code"], code, "{file}: {}", found[0]);
            assert!(found_at(&messages, |o| o["file"] == path.as_str()).is_none());
            continue;
        }
        if expect == "file" {
            assert!(found_at(&messages, |o| o["file"] == path.as_str()).is_none());
            continue;
        }
        let message = found_at(&messages, |o| o["file"] == path.as_str())
            .unwrap_or_else(|| panic!("{file} is nowhere in the output"));
        let wanted = match expect.as_str() {
            "source" => source_verdict(source),
            other => other.strip_prefix("verdict:").unwrap().to_string(),
        };
        assert_eq!(
            message["verdict"],
            wanted.as_str(),
            "{file}: {}",
            message["reason"]
        );
        assert_eq!(message["origins"].as_array().unwrap().len(), 1, "{file}");
        let signed = wanted != "unsigned";
        match stored.as_str() {
            "lf" if signed => assert!(
                repairs(message).contains("lf-line-endings"),
                "{file}: {}",
                repairs(message)
            ),
            "crlf" => assert_eq!(repairs(message), "-", "{file}: its original bytes"),
            _ => {}
        }
    }
    let summary = &summary["summary"];
    assert_eq!(summary["messages"], 9, "{summary}");
    assert_eq!(summary["duplicates"], 0);
    assert_eq!(unreadable.len(), 2, "{unreadable:#?}");
    assert_eq!(summary["verdicts"]["verified"], 5, "{summary}");
}
