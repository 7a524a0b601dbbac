//! The collection findings on real files: fixtures/docs/office/xlsx-burst,
//! written by openpyxl (fixtures/docs/make-office-fixtures.py) in the
//! #MacronLeaks pattern: six workbooks created 2007–2017 whose last editor is
//! "Рошка Георгий Петрович", all saved within minutes, beside three
//! Latin-named controls.

use std::path::PathBuf;
use tamis_docs::collection::{collection_findings, CollectionParams, Member};
use tamis_docs::{inspect, DocumentReport, Options};

#[test]
fn xlsx_burst_fixtures_show_the_burst_and_the_script_and_spare_the_controls() {
    let dir =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/docs/office/xlsx-burst");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "xlsx"))
        .collect();
    files.sort();
    let reports: Vec<(String, DocumentReport)> = files
        .iter()
        .map(|p| {
            let name = p
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
                .to_owned();
            let bytes = std::fs::read(p).expect("readable");
            let report = inspect(&bytes, Some(&name), &Options::default());
            (name, report)
        })
        .collect();
    let members: Vec<Member<'_>> = reports
        .iter()
        .map(|(n, r)| Member {
            name: n.clone(),
            report: r,
        })
        .collect();
    let found = collection_findings(&members, &CollectionParams::default());
    for f in &found {
        eprintln!("{}: {} {:?}", f.finding.code, f.finding.detail, f.members);
    }
    let suspects: Vec<String> = reports
        .iter()
        .filter(|(_, r)| r.metadata.last_modified_by.as_deref() == Some("Рошка Георгий Петрович"))
        .map(|(n, _)| n.clone())
        .collect();
    assert!(
        suspects.len() >= 5,
        "the fixtures should hold the burst: {suspects:?}"
    );
    let codes: Vec<&str> = found.iter().map(|f| f.finding.code.as_str()).collect();
    assert!(codes.contains(&"edit-burst"), "{codes:?}");
    assert!(codes.contains(&"editor-script-mismatch"), "{codes:?}");
    for f in &found {
        for m in &f.members {
            assert!(
                !m.starts_with("control-"),
                "{} names a control: {m}",
                f.finding.code
            );
        }
    }
    let burst = found
        .iter()
        .find(|f| f.finding.code == "edit-burst")
        .expect("found");
    assert_eq!(burst.members, suspects);
    let script = found
        .iter()
        .find(|f| f.finding.code == "editor-script-mismatch")
        .expect("found");
    assert_eq!(script.members, suspects);
    assert_eq!(script.finding.evidence["script"], "Cyrillic");
}
