//! The JSON report: the report data itself, in a schema with named parts.

mod sample;

use sample::sample;
use serde_json::Value;
use tamis_report::{render, Format, ReportData};

#[test]
fn json_round_trips_to_the_same_report() {
    let data = sample().data;
    let json = render(&data, Format::Json);
    let back: ReportData = serde_json::from_str(&json).expect("the report reads back");
    assert_eq!(render(&back, Format::Json), json);
    assert_eq!(render(&back, Format::Html), render(&data, Format::Html));
    assert_eq!(back.flagged.len(), data.flagged.len());
}

#[test]
fn flagged_messages_are_objects_with_their_evidence() {
    let sample = sample();
    let json: Value = serde_json::from_str(&render(&sample.data, Format::Json)).unwrap();
    let flagged = json["flagged"].as_array().unwrap();
    let tampered = sample.message("body-tampered-figure.eml");
    let entry = flagged
        .iter()
        .find(|f| f["message"]["id"] == tampered.summary.id)
        .expect("the body-altered message is listed");
    assert_eq!(entry["message"]["verdict"], "body-altered");
    assert_eq!(entry["evidence"]["verdict"], "body-altered");
    assert_eq!(
        entry["evidence"]["signatures"][0]["body_hash_computed"],
        tampered.report.signatures[0]
            .body_hash_computed
            .as_deref()
            .unwrap()
    );
    let verdicts = json["overview"]["verdicts"].as_array().unwrap();
    assert_eq!(verdicts.len(), 10, "every verdict, zeros included");
    assert_eq!(json["overview"]["runs"][0]["id"], 1);
    assert_eq!(json["case_dir"], "cases/macronleaks-sample");
}

#[test]
fn hostile_text_is_plain_json_strings() {
    let json = render(&sample().data, Format::Json);
    let value: Value = serde_json::from_str(&json).unwrap();
    let subjects: Vec<&str> = value["flagged"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["message"]["subject"].as_str())
        .collect();
    assert!(subjects.contains(&sample::HOSTILE_SUBJECT));
}
