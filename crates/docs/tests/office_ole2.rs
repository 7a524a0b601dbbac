//! Legacy OLE2 Office on files LibreOffice 7.4 converted from the OOXML
//! fixtures, and an OOXML package msoffcrypto-tool encrypted
//! (fixtures/docs/make-office-fixtures.py).

use std::path::PathBuf;
use tamis_docs::{inspect, DocumentReport, Kind, Options};

fn fixture(name: &str) -> DocumentReport {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/docs/office")
        .join(name);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    inspect(&bytes, Some(name), &Options::default())
}

#[test]
fn a_word_97_document() {
    let r = fixture("legacy-word.doc");
    assert_eq!(r.kind, Kind::Ole2);
    assert!(r.problems.is_empty(), "{:?}", r.problems);
    let m = &r.metadata;
    assert_eq!(m.author.as_deref(), Some("Pierre Lambert"));
    assert_eq!(m.last_modified_by.as_deref(), Some("Nadia Haddad"));
    assert_eq!(m.created, Some(1_265_185_800));
    assert_eq!(m.modified, Some(1_342_712_730));
    // LastPrinted is a zero FILETIME: never printed.
    assert_eq!(m.printed, None);
    assert_eq!(m.title.as_deref(), Some("Rapport"));
    assert_eq!(m.subject.as_deref(), Some("Budget 2012"));
    assert_eq!(m.template.as_deref(), Some("Normal.dotm"));
    assert_eq!(m.revision.as_deref(), Some("5"));
    assert_eq!(m.total_edit_minutes, Some(0));
    // LibreOffice writes UTF-8 property sets (code page 65001, stored as -535).
    assert_eq!(m.codepage, Some(65001));
    assert_eq!(
        m.custom.get("AppVersion").map(String::as_str),
        Some("16.0000")
    );
    assert_eq!(m.raw["SummaryInformation LastAuthor"], "Nadia Haddad");
    assert_eq!(
        m.raw["SummaryInformation LastSaveDtm"],
        "2012-07-19T15:45:30Z"
    );
    assert_eq!(
        m.raw["SummaryInformation CreateDtm"],
        "2010-02-03T08:30:00Z"
    );
    assert_eq!(
        m.raw["DocumentSummaryInformation custom AppVersion"],
        "16.0000"
    );
    // LibreOffice leaves the directory times unset: nothing to contradict.
    assert!(
        !m.raw.keys().any(|k| k.starts_with("OLE directory")),
        "{:?}",
        m.raw
    );
    assert!(r.findings.iter().all(|f| f.code != "dates-inconsistent"));
    // The main text through the FIB's piece table.
    assert_eq!(
        r.text.as_deref(),
        Some("Rapport annuel sur le budget.\nDeuxième paragraphe du rapport.")
    );
}

#[test]
fn a_directory_stamped_after_the_last_save_contradicts_it() {
    let r = fixture("legacy-word-redated.doc");
    assert_eq!(r.metadata.modified, Some(1_342_712_730));
    assert_eq!(
        r.metadata.raw["OLE directory Root Entry modified"],
        "2019-09-01T12:00:00Z"
    );
    let found: Vec<_> = r
        .findings
        .iter()
        .filter(|f| f.code == "dates-inconsistent")
        .collect();
    assert_eq!(found.len(), 1, "{:?}", r.findings);
    let evidence = &found[0].evidence;
    assert_eq!(
        evidence["OLE directory Root Entry modified"],
        "2019-09-01T12:00:00Z"
    );
    assert_eq!(
        evidence["SummaryInformation LastSaveDtm"],
        "2012-07-19T15:45:30Z"
    );
}

#[test]
fn an_excel_97_workbook_with_a_cyrillic_editor() {
    let r = fixture("legacy-sheet.xls");
    assert_eq!(r.kind, Kind::Ole2);
    assert!(r.problems.is_empty(), "{:?}", r.problems);
    let m = &r.metadata;
    assert_eq!(m.author.as_deref(), Some("Alain Martin"));
    assert_eq!(
        m.last_modified_by.as_deref(),
        Some("Рошка Георгий Петрович")
    );
    assert_eq!(m.created, Some(1_305_021_600));
    assert_eq!(m.modified, Some(1_493_309_520));
    assert_eq!(m.title.as_deref(), Some("Achats"));
    assert_eq!(m.codepage, Some(65001));
    // The sheet's name, then the shared strings table.
    assert_eq!(r.text.as_deref(), Some("Feuil1\nArticle\nPrix\nCafé\nThé"));
}

#[test]
fn an_encrypted_ooxml_package() {
    let r = fixture("docx-encrypted.docx");
    assert_eq!(r.kind, Kind::Ole2);
    let encrypted: Vec<_> = r
        .problems
        .iter()
        .filter(|p| p.code == "encrypted")
        .collect();
    assert_eq!(encrypted.len(), 1, "{:?}", r.problems);
    assert!(
        encrypted[0].detail.contains("agile"),
        "{}",
        encrypted[0].detail
    );
    assert_eq!(r.metadata.raw["OLE EncryptionInfo version"], "4.4");
    assert_eq!(r.metadata.author, None);
    assert_eq!(r.text, None);
}
