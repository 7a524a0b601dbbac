//! The PDF fixtures of fixtures/docs/pdf (written by pikepdf and pypdf,
//! see fixtures/docs/make-pdf-fixtures.py): each finding where the file
//! has the trace, none of them on the clean control, and the values read.

use tamis_docs::{inspect, DocumentReport, Finding, Kind, Options};

fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/../../fixtures/docs/pdf/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn read(name: &str) -> DocumentReport {
    let report = inspect(&fixture(name), Some(name), &Options::default());
    assert_eq!(report.kind, Kind::Pdf);
    assert!(
        !report.problems.iter().any(|p| p.code == "reader-panicked"),
        "{name}: {:?}",
        report.problems
    );
    report
}

fn finding<'a>(report: &'a DocumentReport, code: &str) -> Option<&'a Finding> {
    report.findings.iter().find(|f| f.code == code)
}

const PDF_CODES: [&str; 7] = [
    "pdf-revisions",
    "pdf-metadata-only-update",
    "pdf-layers",
    "pdf-active-content",
    "dates-inconsistent",
    "metadata-disagrees",
    "anachronism",
];

#[test]
fn clean_control_has_no_pdf_finding() {
    let report = read("clean.pdf");
    for code in PDF_CODES {
        assert!(
            finding(&report, code).is_none(),
            "{code} on the control: {:?}",
            report.findings
        );
    }
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    let pdf = report.pdf.as_ref().expect("pdf facts");
    assert_eq!(pdf.version.as_deref(), Some("1.5"));
    assert_eq!(pdf.revisions, 1);
    assert!(!pdf.encrypted && !pdf.javascript && !pdf.forms && !pdf.metadata_only_last_update);
    assert!(pdf.layers.is_empty() && pdf.embedded_files.is_empty());
    assert_eq!(report.revisions.len(), 1);
    assert_eq!(report.revisions[0].end, report.size);
}

#[test]
fn clean_control_metadata_from_info_and_xmp() {
    let report = read("clean.pdf");
    let m = &report.metadata;
    assert_eq!(m.title.as_deref(), Some("Quarterly report"));
    assert_eq!(m.author.as_deref(), Some("Alice Martin"));
    assert_eq!(m.application.as_deref(), Some("make-pdf-fixtures.py"));
    assert_eq!(m.producer.as_deref(), Some("pikepdf 10.17.0"));
    // 2020-01-02T10:00:00Z and 2020-01-03T11:30:00Z.
    assert_eq!(m.created, Some(1_577_959_200));
    assert_eq!(m.modified, Some(1_578_051_000));
    assert_eq!(m.document_ids.len(), 2);
    assert!(m.document_ids.iter().all(|id| id.len() == 32));
    assert_eq!(m.raw["PDF Info /Author"], "Alice Martin");
    assert_eq!(m.raw["PDF Info /CreationDate"], "D:20200102100000+00'00'");
    assert_eq!(m.raw["XMP dc:creator"], "Alice Martin");
    assert_eq!(m.raw["XMP dc:title"], "Quarterly report");
    assert_eq!(m.raw["XMP xmp:CreateDate"], "2020-01-02T10:00:00+00:00");
    assert_eq!(m.raw["XMP xmp:ModifyDate"], "2020-01-03T11:30:00+00:00");
    assert_eq!(m.raw["XMP xmp:CreatorTool"], "make-pdf-fixtures.py");
    assert_eq!(m.raw["XMP pdf:Producer"], "pikepdf 10.17.0");
    let pdf = report.pdf.as_ref().expect("pdf facts");
    assert_eq!(pdf.info["Title"], "Quarterly report");
    assert_eq!(pdf.xmp["dc:creator"], "Alice Martin");
    // Read through object streams and a cross-reference stream (qpdf's
    // "generate" mode), as current writers store a document.
    assert_eq!(
        report.text.as_deref().map(str::trim),
        Some("Quarterly report to the board\nRevenue grew by four percent.")
    );
}

#[test]
fn author_only_update() {
    let report = read("author-only-update.pdf");
    let pdf = report.pdf.as_ref().expect("pdf facts");
    assert_eq!(pdf.revisions, 2);
    assert!(pdf.metadata_only_last_update);
    let found = finding(&report, "pdf-metadata-only-update").expect("metadata-only update");
    assert_eq!(found.evidence["objects"], "2 0 (Info dictionary)");
    assert_eq!(found.evidence["PDF Info /Author before"], "Alice Martin");
    // pypdf wrote it as UTF-16BE with a byte-order mark.
    assert_eq!(
        found.evidence["PDF Info /Author after"],
        "Рошка Георгий Петрович"
    );
    assert_eq!(found.evidence["revision"], "2");
    assert!(!found.evidence.keys().any(|k| k.contains("CreationDate")));
    assert_eq!(
        report.metadata.author.as_deref(),
        Some("Рошка Георгий Петрович")
    );
    assert_eq!(
        finding(&report, "pdf-revisions").map(|f| f.evidence["revisions"].as_str()),
        Some("2")
    );
    // XMP still names the first author: the metadata disagrees, the
    // dates do not.
    let disagree = finding(&report, "metadata-disagrees").expect("Info and XMP disagree");
    assert_eq!(disagree.evidence["fields"], "author");
    assert!(
        disagree.detail.contains("disagree on the author"),
        "{}",
        disagree.detail
    );
    assert!(
        finding(&report, "dates-inconsistent").is_none(),
        "{:?}",
        report.findings
    );
    assert_eq!(disagree.evidence["XMP dc:creator"], "Alice Martin");
    assert_eq!(
        disagree.evidence["PDF Info /Author"],
        "Рошка Георгий Петрович"
    );
}

#[test]
fn layers_named_and_hidden_one_shown() {
    let report = read("layers.pdf");
    let pdf = report.pdf.as_ref().expect("pdf facts");
    assert_eq!(pdf.layers, ["Original statement", "Pasted account number"]);
    let found = finding(&report, "pdf-layers").expect("pdf-layers");
    assert_eq!(found.evidence["count"], "2");
    assert_eq!(
        found.evidence["layers"],
        "Original statement; Pasted account number"
    );
    assert_eq!(
        found.evidence["hidden when opened"],
        "Pasted account number"
    );
    // Text of both layers is indexed, the hidden one too.
    let text = report.text.as_deref().unwrap_or("");
    assert!(
        text.contains("Account statement") && text.contains("Account 4242 4242"),
        "{text}"
    );
    assert!(finding(&report, "pdf-active-content").is_none());
}

#[test]
fn javascript_embedded_file_and_form() {
    let report = read("active-content.pdf");
    let pdf = report.pdf.as_ref().expect("pdf facts");
    assert!(pdf.javascript && pdf.forms);
    assert_eq!(pdf.embedded_files, ["ledger.csv"]);
    let found = finding(&report, "pdf-active-content").expect("pdf-active-content");
    let js = &found.evidence["javascript"];
    assert!(
        js.contains("catalog /OpenAction") && js.contains("catalog /Names /JavaScript"),
        "{js}"
    );
    assert_eq!(found.evidence["embedded files"], "ledger.csv");
    assert_eq!(found.evidence["form"], "AcroForm with 1 field");
    assert!(finding(&report, "pdf-layers").is_none());
}

#[test]
fn info_and_xmp_dates_disagree() {
    let report = read("dates-disagree.pdf");
    let found = finding(&report, "dates-inconsistent").expect("dates-inconsistent");
    assert_eq!(found.evidence["fields"], "creation date");
    assert_eq!(
        found.evidence["PDF Info /CreationDate"],
        "D:20190301091500Z"
    );
    assert_eq!(found.evidence["XMP xmp:CreateDate"], "2016-05-10T08:00:00Z");
    // The modification dates agree, and so do the authors.
    assert!(!found.evidence.contains_key("PDF Info /ModDate"));
    assert!(!found.evidence.contains_key("XMP dc:creator"));
    assert!(
        finding(&report, "metadata-disagrees").is_none(),
        "{:?}",
        report.findings
    );
    assert_eq!(
        report
            .findings
            .iter()
            .filter(|f| f.code == "dates-inconsistent")
            .count(),
        1
    );
    // The Info dictionary is what most readers show: it fills `created`.
    assert_eq!(report.metadata.created, Some(1_551_431_700));
}

#[test]
fn info_and_xmp_authors_disagree() {
    let report = read("author-disagrees.pdf");
    // Only the author: the titles differ in case and spacing alone, the
    // dates agree, and there is one revision.
    assert_eq!(
        report
            .findings
            .iter()
            .map(|f| f.code.as_str())
            .collect::<Vec<_>>(),
        ["metadata-disagrees"]
    );
    let found = finding(&report, "metadata-disagrees").expect("metadata-disagrees");
    assert_eq!(found.evidence["fields"], "author");
    assert_eq!(found.evidence["PDF Info /Author"], "Jean Dupont");
    assert_eq!(found.evidence["XMP dc:creator"], "Alice Martin");
    assert_eq!(found.evidence.len(), 3, "{:?}", found.evidence);
    assert_eq!(
        found.detail,
        "the Info dictionary and the XMP metadata disagree on the author: one was edited without the other"
    );
    // Info is what most readers show.
    assert_eq!(report.metadata.author.as_deref(), Some("Jean Dupont"));
    assert_eq!(report.pdf.as_ref().map(|p| p.revisions), Some(1));
}

#[test]
fn encrypted_with_user_password_reports_what_is_readable() {
    let report = read("encrypted-user-password.pdf");
    let pdf = report.pdf.as_ref().expect("pdf facts");
    assert!(pdf.encrypted);
    assert_eq!(pdf.revisions, 1);
    assert_eq!(pdf.version.as_deref(), Some("1.7"));
    assert!(
        report.problems.iter().any(|p| p.code == "encrypted"),
        "{:?}",
        report.problems
    );
    // The trailer is never encrypted: the IDs link it to its relatives.
    assert_eq!(
        report.metadata.document_ids,
        ["31415926535897932384626433832795"; 2]
    );
    assert!(pdf.info.is_empty() && report.metadata.title.is_none());
    assert!(report.text.is_none());
}

#[test]
fn encrypted_with_owner_password_only_is_read() {
    let report = read("encrypted-owner-only.pdf");
    let pdf = report.pdf.as_ref().expect("pdf facts");
    assert!(pdf.encrypted);
    assert!(report.problems.iter().any(|p| p.code == "encrypted"));
    assert_eq!(report.metadata.title.as_deref(), Some("Secret title"));
    assert_eq!(report.metadata.author.as_deref(), Some("Alice Martin"));
    assert_eq!(report.text.as_deref().map(str::trim), Some("Confidential"));
}

#[test]
fn truncated_file_gives_problems_and_the_scan() {
    let report = read("truncated.pdf");
    let pdf = report
        .pdf
        .as_ref()
        .expect("the scan is reported without a parser");
    assert_eq!(pdf.revisions, 0);
    assert_eq!(pdf.version.as_deref(), Some("1.5"));
    assert!(report.revisions.is_empty());
    assert!(
        report.problems.iter().any(|p| p.code == "truncated"),
        "{:?}",
        report.problems
    );
}

#[test]
fn every_fixture_serializes() {
    for name in [
        "clean.pdf",
        "three-revisions.pdf",
        "author-only-update.pdf",
        "layers.pdf",
        "active-content.pdf",
        "dates-disagree.pdf",
        "author-disagrees.pdf",
        "calibri-2003.pdf",
        "encrypted-user-password.pdf",
        "encrypted-owner-only.pdf",
        "linearized.pdf",
        "truncated.pdf",
    ] {
        let report = read(name);
        let json = serde_json::to_string(&report).unwrap_or_default();
        assert!(json.contains("\"pdf\":{"), "{name}");
    }
}
