//! Verdicts on messages signed by an independent implementation (dkimpy),
//! made by fixtures/make-fixtures.py: every verdict word, every repair.

mod common;

use common::*;
use serde_json::Value;
use std::collections::HashMap;

fn fixtures() -> Vec<Value> {
    let (messages, _) = verify_jsonl(&[
        "fixtures/dkim",
        "--keys",
        "fixtures/dkim/keys.zone",
        "--keys",
        "fixtures/dkim/keys-fakedns.dat",
    ]);
    messages
}

fn by_first_file(messages: &[Value]) -> HashMap<String, &Value> {
    messages.iter().map(|m| (first_file(m), m)).collect()
}

#[test]
fn every_fixture_gets_the_verdict_and_repairs_the_independent_signer_expects() {
    let messages = fixtures();
    let by_file = by_first_file(&messages);
    let expected = tsv_rows(&repo().join("fixtures/dkim/expected.tsv"));
    assert!(expected.len() >= 30, "fixture table too short");
    let mut checked = 0;
    for row in &expected {
        let (file, verdict, repair_codes) = (&row[0], &row[1], &row[2]);
        let Some(message) = by_file.get(file.as_str()) else {
            // A re-export collapses into its first copy: it must be an origin there.
            let collapsed = found_at(&messages, |o| {
                o["file"].as_str().unwrap().ends_with(file.as_str())
            })
            .is_some();
            assert!(collapsed, "{file}: neither reported nor collapsed");
            continue;
        };
        assert_eq!(
            message["verdict"],
            verdict.as_str(),
            "{file}: {}",
            message["reason"]
        );
        assert_eq!(&repairs(message), repair_codes, "{file}: repairs");
        checked += 1;
    }
    assert!(checked >= 30);
}

#[test]
fn mbox_messages_verify_after_unescaping_and_the_duplicate_collapses() {
    let messages = fixtures();
    let in_mbox: Vec<&Value> = messages
        .iter()
        .filter(|m| first_file(m) == "escaped.mbox")
        .collect();
    let expected = tsv_rows(&repo().join("fixtures/dkim/mbox/expected.tsv"));
    for row in &expected {
        let offset: u64 = row[0].parse().unwrap();
        let holder = found_at(in_mbox.iter().copied(), |o| {
            o["offset"].as_u64() == Some(offset)
        })
        .unwrap_or_else(|| panic!("offset {offset} not reported"));
        assert_eq!(holder["verdict"], row[1].as_str(), "offset {offset}");
        assert_eq!(repairs(holder), row[2], "offset {offset}");
    }
    // Five mbox entries, one an exact duplicate: four messages, one with two origins.
    assert_eq!(in_mbox.len(), expected.len() - 1);
    assert!(in_mbox
        .iter()
        .any(|m| m["origins"].as_array().unwrap().len() == 2));
}

#[test]
fn crlf_and_lf_exports_of_one_message_are_one_message_with_two_origins() {
    let messages = fixtures();
    let message = by_first_file(&messages)["reexport-duplicate-crlf.eml"];
    let origins = message["origins"].as_array().unwrap();
    assert_eq!(origins.len(), 2);
    assert!(origins[1]["file"]
        .as_str()
        .unwrap()
        .ends_with("reexport-duplicate-lf.eml"));
    assert_ne!(
        origins[0]["sha256"], origins[1]["sha256"],
        "different bytes, one message"
    );
}

#[test]
fn appended_text_after_l_tag_is_reported_unsigned() {
    let messages = fixtures();
    let signature = &by_first_file(&messages)["l-tag-appended-text.eml"]["signatures"][0];
    assert!(signature["unsigned_body_bytes"].as_u64().unwrap() > 0);
    let tail = signature["unsigned_tail_preview"].as_str().unwrap();
    assert!(!tail.trim().is_empty(), "the unsigned tail is shown");
}

#[test]
fn a_second_from_added_above_the_signed_one_is_flagged() {
    let messages = fixtures();
    let message = by_first_file(&messages)["second-from-added-above.eml"];
    assert_eq!(message["verdict"], "verified");
    let uncovered = message["signatures"][0]["uncovered_headers"]
        .as_array()
        .unwrap();
    assert!(uncovered
        .iter()
        .any(|h| h["name"].as_str().unwrap().eq_ignore_ascii_case("from")
            && h["reason"] == "extra-instance"
            && h["value"]
                .as_str()
                .unwrap()
                .contains("direction@example.org")));
}

#[test]
fn each_key_of_a_rotated_selector_is_named_by_its_line() {
    let messages = fixtures();
    let by_file = by_first_file(&messages);
    let old = by_file["two-key-selector-old-key.eml"]["signatures"][0]["key_source"]
        .as_str()
        .unwrap();
    let new = by_file["two-key-selector-new-key.eml"]["signatures"][0]["key_source"]
        .as_str()
        .unwrap();
    assert!(
        old.ends_with("keys.zone:10"),
        "old key from line 10, got {old}"
    );
    assert!(
        new.ends_with("keys.zone:11"),
        "new key from line 11, got {new}"
    );
}

#[test]
fn expired_signature_still_verifies_and_the_expiry_is_noted() {
    let messages = fixtures();
    let signature = &by_first_file(&messages)["x-expired-years-ago.eml"]["signatures"][0];
    assert_eq!(signature["result"], "verified");
    assert!(signature["expiration"].as_u64().is_some());
    assert!(
        !signature["notes"].as_array().unwrap().is_empty(),
        "expiry noted"
    );
}

#[test]
fn every_message_object_carries_the_documented_fields() {
    for message in fixtures() {
        for field in [
            "message_id",
            "origins",
            "from",
            "subject",
            "date",
            "verdict",
            "repairs",
            "signatures",
            "arc",
        ] {
            assert!(message.get(field).is_some(), "missing {field}");
        }
        for signature in message["signatures"].as_array().unwrap() {
            for field in [
                "domain",
                "selector",
                "algorithm",
                "canonicalization",
                "key_bits",
                "key_source",
                "result",
                "reason",
                "unsigned_body_bytes",
            ] {
                assert!(signature.get(field).is_some(), "signature missing {field}");
            }
        }
        assert!(["none", "pass", "fail"].contains(&message["arc"]["chain"].as_str().unwrap()));
    }
}
