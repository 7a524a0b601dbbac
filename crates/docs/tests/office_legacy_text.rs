//! Text of legacy Excel and PowerPoint files LibreOffice 7.4 converted from
//! OOXML (fixtures/docs/make-office-fixtures.py: legacy_workbook,
//! legacy_presentation), and their streams cut and corrupted.

use std::io::{Cursor, Read, Write};
use std::path::PathBuf;
use std::time::{Duration, Instant};
use tamis_docs::{inspect, DocumentReport, Kind, Options};

fn fixture_bytes(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/docs/office")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn codes(r: &DocumentReport) -> Vec<&str> {
    r.problems.iter().map(|p| p.code.as_str()).collect()
}

/// The string LibreOffice splits across two CONTINUE records.
fn long_string() -> String {
    vec!["Москва–Paris"; 700].join(" ")
}

const SLIDES_TEXT: &str = "Plan de réforme\n\
                           Étape 1 : café à Paris\n\
                           Étape 2 : Ελλάδα\n\
                           Встреча в Москве\n\
                           Тампон: секретно — Kyiv\n\
                           Note de l'orateur : ne pas diffuser";

#[test]
fn excel_97_sheet_names_and_shared_strings() {
    let r = inspect(
        &fixture_bytes("legacy-sheets.xls"),
        Some("legacy-sheets.xls"),
        &Options::default(),
    );
    assert_eq!(r.kind, Kind::Ole2);
    assert!(r.problems.is_empty(), "{:?}", r.problems);
    assert_eq!(r.metadata.author.as_deref(), Some("Alain Martin"));
    // Sheet names, then the shared strings in the order LibreOffice met
    // them (row by row, sheet by sheet), each once; numbers are not text.
    let expected = format!(
        "Dépenses\nКонтакты\nPoste\nMontant\nCafé\nThé\nTotal\nИмя\nVille\nРошка Георгий\nParis\nМемо\n{}",
        long_string()
    );
    assert_eq!(r.text.as_deref(), Some(expected.as_str()));
    assert!(!r.text_truncated);
}

#[test]
fn powerpoint_97_slide_and_notes_text() {
    let r = inspect(
        &fixture_bytes("legacy-slides.ppt"),
        Some("legacy-slides.ppt"),
        &Options::default(),
    );
    assert_eq!(r.kind, Kind::Ole2);
    assert!(r.problems.is_empty(), "{:?}", r.problems);
    assert_eq!(r.metadata.author.as_deref(), Some("Alain Martin"));
    assert_eq!(r.metadata.title.as_deref(), Some("Réforme"));
    // Titles, body, a plain text box, the notes; not the masters' prompts
    // ("Click to edit Master title style") nor the `*` of number fields.
    assert_eq!(r.text.as_deref(), Some(SLIDES_TEXT));
}

#[test]
fn legacy_text_stops_at_the_text_bound() {
    let options = Options {
        max_text_bytes: 45,
        ..Options::default()
    };
    let r = inspect(&fixture_bytes("legacy-sheets.xls"), None, &options);
    assert!(r.text_truncated);
    // "Dépenses\nКонтакты\nPoste\nMontant\nCafé" is 46 bytes: the bound
    // falls inside the é.
    assert_eq!(
        r.text.as_deref(),
        Some("Dépenses\nКонтакты\nPoste\nMontant\nCaf")
    );
    assert!(r.problems.is_empty(), "{:?}", r.problems);

    let options = Options {
        max_text_bytes: 16,
        ..Options::default()
    };
    let r = inspect(&fixture_bytes("legacy-slides.ppt"), None, &options);
    assert!(r.text_truncated);
    assert_eq!(r.text.as_deref(), Some("Plan de réforme"));
}

/// `stream` of the compound file `bytes`.
fn stream(bytes: &[u8], name: &str) -> Vec<u8> {
    let mut cf = cfb::CompoundFile::open(Cursor::new(bytes)).unwrap();
    let mut data = Vec::new();
    cf.open_stream(name)
        .unwrap()
        .read_to_end(&mut data)
        .unwrap();
    data
}

/// A compound file holding these streams only.
fn compound(streams: &[(&str, &[u8])]) -> Vec<u8> {
    let mut cf = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
    for (name, data) in streams {
        cf.create_stream(name).unwrap().write_all(data).unwrap();
    }
    cf.flush().unwrap();
    cf.into_inner().into_inner()
}

/// The workbook and presentation streams cut at many lengths and with
/// bytes flipped at many places, each in a sound compound file so that
/// the text readers (not the container reader) meet the damage: a
/// problem or less text, never a panic, in bounded time.
#[test]
fn cut_and_corrupted_streams_never_panic() {
    let start = Instant::now();
    let book = stream(&fixture_bytes("legacy-sheets.xls"), "/Workbook");
    let slides = fixture_bytes("legacy-slides.ppt");
    let current_user = stream(&slides, "/Current User");
    let document = stream(&slides, "/PowerPoint Document");
    let mut runs = 0;
    for (name, original) in [("Workbook", &book), ("PowerPoint Document", &document)] {
        let wrap = |data: &[u8]| {
            if name == "Workbook" {
                compound(&[("/Workbook", data)])
            } else {
                compound(&[
                    ("/Current User", &current_user),
                    ("/PowerPoint Document", data),
                ])
            }
        };
        // The stream untouched reads whole, without problems.
        let whole = inspect(&wrap(original), None, &Options::default());
        assert!(whole.problems.is_empty(), "{name}: {:?}", whole.problems);
        let full_text = whole.text.unwrap();
        let step = (original.len() / 200).max(1);
        for cut in (0..original.len()).step_by(step) {
            let r = inspect(&wrap(&original[..cut]), None, &Options::default());
            assert!(
                !codes(&r).contains(&"reader-panicked"),
                "{name} cut at {cut}: {:?}",
                r.problems
            );
            // What precedes the cut is read as it was.
            let text = r.text.unwrap_or_default();
            let first_line = text.lines().next().unwrap_or_default();
            assert!(
                full_text.starts_with(first_line),
                "{name} cut at {cut}: {text:?}"
            );
            runs += 1;
        }
        for at in (0..original.len()).step_by(step) {
            let mut bytes = original.clone();
            for b in &mut bytes[at..(at + 8).min(original.len())] {
                *b ^= 0xA5;
            }
            let r = inspect(&wrap(&bytes), None, &Options::default());
            assert!(
                !codes(&r).contains(&"reader-panicked"),
                "{name} corrupted at {at}: {:?}",
                r.problems
            );
            runs += 1;
        }
    }
    assert!(runs > 700, "{runs}");
    assert!(
        start.elapsed() < Duration::from_secs(120),
        "{:?}",
        start.elapsed()
    );
}
