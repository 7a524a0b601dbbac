//! `tamis spread` end to end on the real collections in ../shared/data:
//! every post counted, the JSON carries its definitions, the HTML report
//! is self-contained, a bad line is reported with its number, and a case
//! gets the report attached.

mod common;

use common::*;
use serde_json::Value;

const PAGES: &str = "../shared/data/tweets/twarc2-brexit.jsonl";
const SHARES: &str = "../shared/data/coordination/russian_coord_tweets.csv";

fn spread_json(args: &[&str]) -> Value {
    let mut all = vec!["spread", "--format", "json"];
    all.extend_from_slice(args);
    let output = tamis(&all);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("one JSON document")
}

#[test]
fn real_collections_are_read_whole_and_measured_with_definitions() {
    let report = spread_json(&[PAGES, SHARES]);
    assert_eq!(report["input"]["posts"], 100 + 35_125);
    assert_eq!(report["input"]["files"][0]["format"], "twitter-v2");
    assert_eq!(report["input"]["files"][1]["format"], "shares-csv");
    let m = &report["measurements"];
    for part in [
        "volume", "bursts", "seeds", "activity", "splits", "creation", "bots",
    ] {
        assert!(
            m[part]["definition"].as_str().is_some_and(|d| d.len() > 20),
            "{part} has a definition"
        );
    }
    let c = &report["coordination"];
    assert_eq!(c["window_seconds"], 10);
    // The toolkit-checked figures (crates/spread/tests/coordination_peer.rs).
    assert_eq!(c["coordinated_pairs"], 5);
    assert_eq!(c["cluster_count"], 5);
}

#[test]
fn the_html_report_is_self_contained_and_a_case_gets_it_attached() {
    let dir = tempfile::tempdir().unwrap();
    let case = dir.path().join("case");
    let ingested = tamis(&["ingest", "fixtures/html", "--case", case.to_str().unwrap()]);
    assert!(ingested.status.success());
    let html_path = dir.path().join("spread.html");
    let output = tamis(&[
        "spread",
        SHARES,
        "--report",
        html_path.to_str().unwrap(),
        "--case",
        case.to_str().unwrap(),
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.contains("Coordination (same object within 10 s"),
        "{text}"
    );
    let html = std::fs::read_to_string(&html_path).unwrap();
    for section in [
        "volume",
        "seeds",
        "accounts",
        "splits",
        "creation",
        "bots",
        "coordination",
    ] {
        assert!(html.contains(&format!("id=\"{section}\"")), "{section}");
    }
    assert!(!html.contains("<script"), "no script");
    assert!(
        !html.contains("src=\"http") && !html.contains("href=\"http"),
        "nothing loaded"
    );
    assert_eq!(
        std::fs::read_to_string(case.join("spread-report.html")).unwrap(),
        html,
        "the case holds the same report"
    );
}

#[test]
fn a_malformed_line_is_reported_with_its_number_and_the_rest_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let page = std::fs::read_to_string(repo().join(PAGES)).unwrap();
    let mixed = dir.path().join("mixed.jsonl");
    std::fs::write(
        &mixed,
        format!("{}\n{{\"data\": [truncated\n", page.trim_end()),
    )
    .unwrap();
    let report = spread_json(&[mixed.to_str().unwrap()]);
    let file = &report["input"]["files"][0];
    assert_eq!(file["posts"], 100);
    assert_eq!(file["malformed"], 1);
    assert_eq!(file["malformed_lines"][0]["line"], 2);
}
