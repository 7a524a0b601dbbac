//! OOXML metadata and text on fixtures made by python-docx, openpyxl and
//! python-pptx (fixtures/docs/make-office-fixtures.py): every value the
//! script chose is read back, to the second.

use std::path::PathBuf;
use tamis_docs::{inspect, DocumentReport, Kind, Options};

fn fixture(name: &str) -> DocumentReport {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/docs/office")
        .join(name);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    inspect(&bytes, Some(name), &Options::default())
}

fn raw<'a>(r: &'a DocumentReport, key: &str) -> &'a str {
    r.metadata
        .raw
        .get(key)
        .map(String::as_str)
        .unwrap_or_else(|| panic!("no raw {key:?} in {:?}", r.metadata.raw))
}

const ROSHKA: &str = "Рошка Георгий Петрович";

#[test]
fn the_macronleaks_burst_workbooks() {
    // (file, creator, created, modified): created over ten years, all last
    // saved between 16:10 and 16:14 UTC on 2017-04-27.
    let burst = [
        (
            "budget-2007.xlsx",
            "Alain Martin",
            1_173_691_800,
            1_493_309_405,
        ),
        (
            "fournisseurs-2009.xlsx",
            "Claire Dubois",
            1_257_170_400,
            1_493_309_448,
        ),
        (
            "dons-2012.xlsx",
            "Alain Martin",
            1_340_007_300,
            1_493_309_497,
        ),
        (
            "deplacements-2014.xlsx",
            "Paul Leroy",
            1_389_116_700,
            1_493_309_540,
        ),
        (
            "salaires-2016.xlsx",
            "Claire Dubois",
            1_475_233_500,
            1_493_309_589,
        ),
        (
            "meetings-2017.xlsx",
            "Paul Leroy",
            1_487_066_400,
            1_493_309_640,
        ),
    ];
    for (name, creator, created, modified) in burst {
        let r = fixture(&format!("xlsx-burst/{name}"));
        assert_eq!(r.kind, Kind::Ooxml, "{name}");
        assert!(r.problems.is_empty(), "{name}: {:?}", r.problems);
        let m = &r.metadata;
        assert_eq!(m.author.as_deref(), Some(creator), "{name}");
        assert_eq!(m.last_modified_by.as_deref(), Some(ROSHKA), "{name}");
        assert_eq!(m.created, Some(created), "{name}");
        assert_eq!(m.modified, Some(modified), "{name}");
        assert!((1_493_309_400..=1_493_309_640).contains(&modified));
        assert_eq!(
            m.application.as_deref(),
            Some("Microsoft Excel Compatible / Openpyxl 3.1.5")
        );
        assert_eq!(m.app_version.as_deref(), Some("3.1"));
        assert_eq!(raw(&r, "docProps/core.xml cp:lastModifiedBy"), ROSHKA);
        assert_eq!(raw(&r, "docProps/core.xml dc:creator"), creator);
        let text = r.text.as_deref().unwrap_or("");
        assert!(text.contains(&format!("Ligne {name}")), "{name}: {text:?}");
        assert!(text.starts_with("Poste\nMontant\n"), "{text:?}");
    }
}

#[test]
fn the_control_workbooks() {
    let controls = [
        (
            "control-inventaire.xlsx",
            "Sophie Bernard",
            "Sophie Bernard",
            1_430_726_400,
            1_430_932_811,
        ),
        (
            "control-planning.xlsx",
            "Marc Petit",
            "Julie Moreau",
            1_452_502_800,
            1_471_946_560,
        ),
        (
            "control-contacts.xlsx",
            "Julie Moreau",
            "Marc Petit",
            1_480_606_200,
            1_488_483_903,
        ),
    ];
    for (name, creator, editor, created, modified) in controls {
        let r = fixture(&format!("xlsx-burst/{name}"));
        assert!(r.problems.is_empty(), "{name}: {:?}", r.problems);
        assert_eq!(r.metadata.author.as_deref(), Some(creator));
        assert_eq!(r.metadata.last_modified_by.as_deref(), Some(editor));
        assert_eq!(r.metadata.created, Some(created));
        assert_eq!(r.metadata.modified, Some(modified));
        assert!(r.text.as_deref().unwrap_or("").contains(name));
    }
}

#[test]
fn a_clean_docx() {
    let r = fixture("docx-clean.docx");
    assert!(r.problems.is_empty(), "{:?}", r.problems);
    let m = &r.metadata;
    assert_eq!(m.author.as_deref(), Some("Marie Lefèvre"));
    assert_eq!(m.last_modified_by.as_deref(), Some("Marie Lefèvre"));
    assert_eq!(m.created, Some(1_456_822_800));
    assert_eq!(m.modified, Some(1_456_914_615));
    assert_eq!(m.printed, Some(1_456_916_400));
    assert_eq!(m.title.as_deref(), Some("Compte rendu"));
    assert_eq!(m.subject.as_deref(), Some("Réunion du 1er mars"));
    assert_eq!(m.revision.as_deref(), Some("3"));
    assert_eq!(m.application.as_deref(), Some("Microsoft Office Word"));
    assert_eq!(m.app_version.as_deref(), Some("16.0000"));
    assert_eq!(m.company.as_deref(), Some("En Marche"));
    assert_eq!(m.template.as_deref(), Some("Normal.dotm"));
    assert_eq!(m.total_edit_minutes, Some(42));
    assert_eq!(m.rsid_root.as_deref(), Some("00C1EA40"));
    // fr-FR from dc:language; en-US and ar-SA from the template's styles.
    assert_eq!(m.languages, ["fr-FR", "en-US", "ar-SA"]);
    assert!(m.custom.is_empty());
    assert_eq!(
        raw(&r, "docProps/core.xml dcterms:modified"),
        "2016-03-02T10:30:15Z"
    );
    assert_eq!(
        raw(&r, "docProps/core.xml cp:lastPrinted"),
        "2016-03-02T11:00:00Z"
    );
    assert_eq!(raw(&r, "docProps/app.xml AppVersion"), "16.0000");
    assert_eq!(raw(&r, "docProps/app.xml TotalTime"), "42");
    assert_eq!(raw(&r, "word/settings.xml w:rsidRoot"), "00C1EA40");
    assert_eq!(
        r.text.as_deref(),
        Some("Compte rendu de la réunion du 1er mars.\nPrésents : Marie, Alain & Claire.\nProchaine réunion le 8 mars.")
    );
    assert!(!r.text_truncated);
}

#[test]
fn a_docx_claiming_2005_written_by_office_2016() {
    let r = fixture("docx-anachronism.docx");
    assert!(r.problems.is_empty(), "{:?}", r.problems);
    let m = &r.metadata;
    assert_eq!(m.created, Some(1_118_829_600));
    assert_eq!(m.modified, Some(1_118_946_000));
    assert_eq!(m.application.as_deref(), Some("Microsoft Office Word"));
    assert_eq!(m.app_version.as_deref(), Some("16.0000"));
    assert_eq!(m.author.as_deref(), Some("Jean Durand"));
    assert_eq!(m.title.as_deref(), Some("Note 2005"));
    assert_eq!(m.total_edit_minutes, Some(7));
    assert_eq!(
        raw(&r, "docProps/core.xml dcterms:created"),
        "2005-06-15T10:00:00Z"
    );
    assert_eq!(r.text.as_deref(), Some("Note interne de juin 2005."));
}

#[test]
fn custom_properties_rsids_and_languages() {
    let r = fixture("docx-custom-rsid.docx");
    assert!(r.problems.is_empty(), "{:?}", r.problems);
    let m = &r.metadata;
    assert_eq!(m.author.as_deref(), Some("Anna Schmidt"));
    assert_eq!(m.last_modified_by.as_deref(), Some("Ivan Petrov"));
    assert_eq!(m.created, Some(1_479_628_800));
    assert_eq!(m.modified, Some(1_493_240_589));
    assert_eq!(m.revision.as_deref(), Some("9"));
    assert_eq!(
        m.custom.get("Client").map(String::as_str),
        Some("Ministère de l'Intérieur")
    );
    assert_eq!(m.custom.get("Dossier").map(String::as_str), Some("1742"));
    assert_eq!(
        m.custom.get("Confidentiel").map(String::as_str),
        Some("true")
    );
    assert_eq!(
        raw(&r, "docProps/custom.xml Client"),
        "Ministère de l'Intérieur"
    );
    assert_eq!(m.rsid_root.as_deref(), Some("00A1B2C3"));
    // settings.xml lists 00A1B2C3, 004D5E6F, 0077AA11; document.xml uses
    // those three on paragraphs and the template's 00FC693F, 0006063C,
    // 00034616 on its section properties.
    assert_eq!(m.rsid_count, Some(6));
    assert_eq!(raw(&r, "word/settings.xml w:rsid"), "3");
    assert_eq!(raw(&r, "word/document.xml w:rsid*"), "6");
    assert_eq!(raw(&r, "word/document.xml w:lang"), "ru-RU, zh-CN, ar-SA");
    for lang in ["ru-RU", "zh-CN", "ar-SA", "en-US"] {
        assert!(
            m.languages.iter().any(|l| l == lang),
            "{lang} in {:?}",
            m.languages
        );
    }
    assert_eq!(
        r.text.as_deref(),
        Some("Erster Absatz.\nВторой абзац.\nThird paragraph.")
    );
}

#[test]
fn a_later_copy_shares_the_rsid_root() {
    let r = fixture("docx-lineage-copy.docx");
    assert!(r.problems.is_empty(), "{:?}", r.problems);
    assert_eq!(r.metadata.rsid_root.as_deref(), Some("00A1B2C3"));
    assert_eq!(
        r.metadata.last_modified_by.as_deref(),
        Some("Olga Smirnova")
    );
    assert_eq!(r.metadata.modified, Some(1_493_711_100));
    assert_eq!(r.metadata.revision.as_deref(), Some("12"));
    assert!(r
        .text
        .as_deref()
        .unwrap_or("")
        .contains("Geänderter zweiter Absatz."));
}

#[test]
fn a_presentation() {
    let r = fixture("pptx-plan.pptx");
    assert!(r.problems.is_empty(), "{:?}", r.problems);
    let m = &r.metadata;
    assert_eq!(m.author.as_deref(), Some("Alain Martin"));
    assert_eq!(m.last_modified_by.as_deref(), Some("Claire Dubois"));
    assert_eq!(m.created, Some(1_483_970_400));
    assert_eq!(m.modified, Some(1_485_940_350));
    assert_eq!(m.revision.as_deref(), Some("4"));
    assert_eq!(m.title.as_deref(), Some("Plan"));
    // python-pptx's template was saved by PowerPoint 2011 for Mac.
    assert_eq!(
        m.application.as_deref(),
        Some("Microsoft Macintosh PowerPoint")
    );
    assert_eq!(m.app_version.as_deref(), Some("14.0000"));
    assert_eq!(
        r.text.as_deref(),
        Some("Plan de campagne\nÉtape 1 : terrain\nBudget\nTotal 1 200 €")
    );
}

#[test]
fn text_stops_at_its_bound() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/docs/office/docx-clean.docx");
    let bytes = std::fs::read(path).expect("fixture");
    let options = Options {
        max_text_bytes: 20,
        ..Options::default()
    };
    let r = inspect(&bytes, None, &options);
    assert_eq!(r.text.as_deref(), Some("Compte rendu de la r"));
    assert!(r.text_truncated);
    // Metadata is read whatever the text bound.
    assert_eq!(r.metadata.rsid_root.as_deref(), Some("00C1EA40"));
}
