//! End to end: a real case built from the DKIM fixtures by the case writer,
//! reported on by `tamis_report::run` exactly as `tamis report` does.

mod sample;

use std::path::Path;
use tamis_case::{CaseWriter, IngestRecord, RunParams};
use tamis_items::{Item, ItemKind, Origin};
use tamis_report::{run, Format, ReportData, FLAGGED_VERDICTS};

fn build_case(dir: &Path) {
    let keys = sample::keys();
    let mut writer = CaseWriter::open(dir).expect("the case opens");
    writer
        .begin_run(&RunParams {
            paths: vec!["fixtures/dkim".into()],
            key_files: vec![
                "fixtures/dkim/keys.zone".into(),
                "fixtures/dkim/keys-fakedns.dat".into(),
            ],
            dns: false,
        })
        .expect("the run begins");
    let mut seen = std::collections::HashSet::new();
    for (name, bytes) in sample::message_files() {
        let item = Item {
            bytes,
            origin: Origin::file(format!("fixtures/dkim/{name}")),
            kind: ItemKind::Message,
        };
        let key = tamis_mail::message_key(&item).0;
        let record = if seen.insert(key) {
            IngestRecord::analyzed_message(
                key,
                item.clone(),
                tamis_mail::analyze(&item, &keys).expect("fixtures are readable"),
                tamis_content::extract(&item.bytes),
            )
        } else {
            IngestRecord::duplicate(key, item)
        };
        writer.add(record).expect("the record is written");
    }
    writer.finish_run().expect("the run finishes");
}

#[test]
fn report_on_a_real_case_counts_and_lists_what_the_fixtures_expect() {
    let temp = tempfile::tempdir().unwrap();
    let case = temp.path().join("case");
    build_case(&case);
    let expected = sample::expected_counts();

    let json_path = temp.path().join("report.json");
    run(&case, Format::Json, Some(&json_path)).expect("the JSON report is written");
    let data: ReportData =
        serde_json::from_str(&std::fs::read_to_string(&json_path).unwrap()).unwrap();
    for row in &data.overview.verdicts {
        assert_eq!(
            row.count,
            expected.get(&row.verdict).copied().unwrap_or(0),
            "{} in the case",
            row.verdict
        );
    }
    let expected_flagged: u64 = FLAGGED_VERDICTS
        .iter()
        .map(|v| expected.get(v.as_str()).copied().unwrap_or(0))
        .sum();
    assert_eq!(data.flagged.len() as u64, expected_flagged);
    assert_eq!(data.case_dir, case.display().to_string());
    assert_eq!(data.overview.runs.len(), 1);

    let html_path = temp.path().join("report.html");
    run(&case, Format::Html, Some(&html_path)).expect("the HTML report is written");
    let html = std::fs::read_to_string(&html_path).unwrap();
    let (tampered, _) = data
        .flagged
        .iter()
        .find(|(_, report)| report.message_id.as_deref() == Some("body-tampered@mail.example.org"))
        .expect("the body-altered fixture is listed");
    assert!(html.contains(&format!("id=\"msg-{}\"", tampered.id)));
    assert!(
        html.contains("sYzGqMyuMAa0mmFpQ78WWAHpEMCgZNvVY5h5011CZAQ="),
        "computed body hash"
    );
    assert!(
        html.contains("nZr4BP/QSM4brAdp+Q7GmRA1vdQBMviRedzkSZwcgSs="),
        "claimed body hash"
    );
    assert!(!html.to_lowercase().contains("<script"));
    assert!(html.contains("Figures describe the case as of ingest run #1"));
}

#[test]
fn a_folder_that_is_not_a_case_is_named_in_the_error() {
    let temp = tempfile::tempdir().unwrap();
    let error = format!("{:#}", run(temp.path(), Format::Html, None).unwrap_err());
    assert!(
        error.contains(&temp.path().display().to_string()),
        "{error}"
    );
}
