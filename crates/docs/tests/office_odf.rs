//! ODF metadata and text on files LibreOffice 7.4 converted from the
//! OOXML fixtures (fixtures/docs/make-office-fixtures.py).

use std::path::PathBuf;
use tamis_docs::{inspect, DocumentReport, Kind, Options};

fn fixture(name: &str) -> DocumentReport {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/docs/office")
        .join(name);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    inspect(&bytes, Some(name), &Options::default())
}

const GENERATOR: &str = "LibreOffice/7.4.7.2$Linux_X86_64 LibreOffice_project/40$Build-2";

#[test]
fn a_text_document() {
    let r = fixture("odf-text.odt");
    assert_eq!(r.kind, Kind::Odf);
    assert!(r.problems.is_empty(), "{:?}", r.problems);
    let m = &r.metadata;
    // initial-creator made it, dc:creator saved it last.
    assert_eq!(m.author.as_deref(), Some("Pierre Lambert"));
    assert_eq!(m.last_modified_by.as_deref(), Some("Nadia Haddad"));
    // LibreOffice writes these without a zone; read as UTC.
    assert_eq!(m.created, Some(1_265_185_800));
    assert_eq!(m.modified, Some(1_342_712_730));
    assert_eq!(m.revision.as_deref(), Some("5"));
    assert_eq!(m.total_edit_minutes, Some(0));
    assert_eq!(m.title.as_deref(), Some("Rapport"));
    assert_eq!(m.subject.as_deref(), Some("Budget 2012"));
    assert_eq!(m.application.as_deref(), Some(GENERATOR));
    assert_eq!(m.app_version.as_deref(), Some("7.4.7.2"));
    assert_eq!(m.template.as_deref(), Some("Normal.dotm"));
    // LibreOffice keeps the docx's AppVersion as a user-defined field.
    assert_eq!(
        m.custom.get("AppVersion").map(String::as_str),
        Some("16.0000")
    );
    assert_eq!(m.raw["meta.xml meta:creation-date"], "2010-02-03T08:30:00");
    assert_eq!(m.raw["meta.xml dc:date"], "2012-07-19T15:45:30");
    assert_eq!(m.raw["meta.xml meta:editing-duration"], "P0D");
    assert_eq!(
        m.raw["meta.xml meta:document-statistic meta:word-count"],
        "9"
    );
    assert_eq!(
        r.text.as_deref(),
        Some("Rapport annuel sur le budget.\nDeuxième paragraphe du rapport.")
    );
}

#[test]
fn a_spreadsheet() {
    let r = fixture("odf-sheet.ods");
    assert_eq!(r.kind, Kind::Odf);
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
    assert_eq!(m.application.as_deref(), Some(GENERATOR));
    assert_eq!(m.raw["meta.xml dc:creator"], "Рошка Георгий Петрович");
    // LibreOffice's defaults for an en-US install: Western, Asian, complex.
    assert_eq!(m.languages, ["en-US", "zh-CN", "hi-IN"]);
    assert_eq!(r.text.as_deref(), Some("Article\nPrix\nCafé\n2\nThé\n3"));
}
