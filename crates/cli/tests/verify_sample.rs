//! The README's demo: the bundled sample dump (examples/) gets exactly the
//! verdicts its generator documents, item by item, across a maildir, an mbox
//! and a zip holding a nested tar.gz.

mod common;

use common::*;

#[test]
fn every_item_of_the_sample_dump_gets_its_documented_verdict() {
    let (messages, summary) = verify_jsonl(&[
        "examples/sample-dump",
        "--keys",
        "examples/sample-keys.zone",
    ]);
    let expected = tsv_rows(&repo().join("examples/sample-expected.tsv"));
    assert_eq!(expected.len(), 41, "41 items in the sample");
    for row in &expected {
        let (location, message_id, verdict) = (&row[0], &row[1], &row[2]);
        let wanted = format!("examples/sample-dump/{location}");
        let message = found_at(&messages, |o| o["location"] == wanted.as_str())
            .unwrap_or_else(|| panic!("{location} is nowhere in the output"));
        assert_eq!(
            message["verdict"],
            verdict.as_str(),
            "{location}: {}",
            message["reason"]
        );
        assert_eq!(
            format!("<{}>", message["message_id"].as_str().unwrap()),
            *message_id,
            "{location}"
        );
    }
    let summary = &summary["summary"];
    assert_eq!(summary["messages"], 39);
    assert_eq!(summary["duplicates"], 2);
    assert_eq!(summary["unreadable"].as_array().unwrap().len(), 0);
    assert_eq!(summary["verdicts"]["verified"], 25);
    assert_eq!(summary["verdicts"]["body-altered"], 3);
    assert_eq!(summary["verdicts"]["headers-altered"], 3);
}

#[test]
fn text_format_prints_a_table_and_a_summary_with_meanings() {
    let output = tamis(&[
        "verify",
        "examples/sample-dump",
        "--keys",
        "examples/sample-keys.zone",
    ]);
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.starts_with("VERDICT"));
    assert!(text.contains("39 unique messages (2 duplicates collapsed)"));
    assert!(text.contains("body-altered"));
    assert!(text.contains("The body does not match what the signer hashed"));
}
