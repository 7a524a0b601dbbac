//! Collection findings on hand-built reports: the #MacronLeaks pattern
//! (Excel files ten years apart saved within four minutes by one editor
//! whose name is in Cyrillic) among Latin-named controls, and shared
//! lineage.

use tamis_docs::collection::{collection_findings, CollectionFinding, CollectionParams, Member};
use tamis_docs::{DocumentReport, Kind};

/// Unix seconds of a UTC date (1970–2099).
fn utc(y: i64, mo: i64, d: i64, h: i64, mi: i64, s: i64) -> i64 {
    let days_before_year: i64 = (1970..y)
        .map(|yy| if yy % 4 == 0 { 366 } else { 365 })
        .sum();
    let month_days = [
        31,
        if y % 4 == 0 { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    let days = days_before_year + month_days[..(mo - 1) as usize].iter().sum::<i64>() + d - 1;
    days * 86_400 + h * 3600 + mi * 60 + s
}

struct Doc {
    name: &'static str,
    author: &'static str,
    editor: &'static str,
    created: i64,
    modified: i64,
    application: &'static str,
}

fn report(d: &Doc) -> DocumentReport {
    let mut r = DocumentReport::new(Kind::Ooxml, 1000);
    let m = &mut r.metadata;
    m.author = Some(d.author.into());
    m.last_modified_by = Some(d.editor.into());
    m.created = Some(d.created);
    m.modified = Some(d.modified);
    m.application = Some(d.application.into());
    m.app_version = Some("12.0000".into());
    r
}

const ROSHKA: &str = "Рошка Георгий Петрович";

/// Six xlsx files created 2007–2017 by various people, all last saved by
/// the same Cyrillic-named editor between 09:12 and 09:16 on 2017-04-27.
fn macron_set() -> Vec<Doc> {
    let authors = [
        "Alain Tourret",
        "Marie Lefèvre",
        "Cédric O",
        "Alain Tourret",
        "Julien Denormandie",
        "Emmanuel Miquel",
    ];
    let created = [
        utc(2007, 3, 5, 10, 0, 0),
        utc(2009, 11, 12, 15, 30, 0),
        utc(2012, 6, 1, 8, 0, 0),
        utc(2014, 2, 20, 17, 45, 0),
        utc(2016, 9, 9, 9, 9, 0),
        utc(2017, 1, 10, 11, 0, 0),
    ];
    let names = [
        "budget-2007.xlsx",
        "donateurs.xlsx",
        "planning.xlsx",
        "comptes-2014.xlsx",
        "meetings.xlsx",
        "frais.xlsx",
    ];
    (0..6)
        .map(|i| Doc {
            name: names[i],
            author: authors[i],
            editor: ROSHKA,
            created: created[i],
            modified: utc(2017, 4, 27, 9, 12, 0) + 45 * i as i64,
            application: "Microsoft Excel",
        })
        .collect()
}

/// Ordinary work: Latin-named people saving their own files over weeks,
/// sometimes two the same morning.
fn controls() -> Vec<Doc> {
    let people = [
        "Alain Tourret",
        "Marie Lefèvre",
        "Julien Denormandie",
        "Anne Martin",
        "Paul Girard",
        "Sophie Bernard",
    ];
    let names = [
        "note-1.docx",
        "note-2.docx",
        "note-3.docx",
        "note-4.docx",
        "note-5.docx",
        "note-6.docx",
        "note-7.docx",
        "note-8.docx",
        "note-9.docx",
        "note-10.docx",
        "note-11.docx",
        "note-12.docx",
    ];
    (0..12)
        .map(|i| Doc {
            name: names[i],
            author: people[i % 6],
            editor: people[(i + 1) % 6],
            created: utc(2016, 1 + (i as i64 % 12), 3, 9, 0, 0),
            // Two files a day, an hour apart, on twelve different days.
            modified: utc(2017, 3, 1 + (i as i64 / 2) * 3, 10 + (i as i64 % 2), 0, 0),
            application: if i % 3 == 0 {
                "Microsoft Office Word"
            } else {
                "Microsoft Excel"
            },
        })
        .collect()
}

fn run(docs: &[Doc]) -> Vec<CollectionFinding> {
    let reports: Vec<DocumentReport> = docs.iter().map(report).collect();
    let members: Vec<Member<'_>> = docs
        .iter()
        .zip(&reports)
        .map(|(d, r)| Member {
            name: d.name.into(),
            report: r,
        })
        .collect();
    collection_findings(&members, &CollectionParams::default())
}

#[test]
fn macronleaks_pattern_is_an_edit_burst_and_a_script_mismatch() {
    let mut docs = controls();
    docs.extend(macron_set());
    let found = run(&docs);
    let suspects: Vec<String> = macron_set().iter().map(|d| d.name.to_string()).collect();
    let sorted = |mut v: Vec<String>| {
        v.sort();
        v
    };

    let bursts: Vec<&CollectionFinding> = found
        .iter()
        .filter(|f| f.finding.code == "edit-burst")
        .collect();
    assert_eq!(bursts.len(), 1, "{found:#?}");
    let burst = bursts[0];
    assert_eq!(sorted(burst.members.clone()), sorted(suspects.clone()));
    assert_eq!(burst.finding.evidence["editor"], ROSHKA);
    assert_eq!(burst.finding.evidence["documents"], "6");
    assert_eq!(burst.finding.evidence["modified within"], "4 minutes");
    assert_eq!(burst.finding.evidence["created span"], "9.9 years");
    assert!(
        burst
            .finding
            .detail
            .contains("although they were created 9.9 years apart (2007-03-05 to 2017-01-10)"),
        "{}",
        burst.finding.detail
    );

    let scripts: Vec<&CollectionFinding> = found
        .iter()
        .filter(|f| f.finding.code == "editor-script-mismatch")
        .collect();
    assert_eq!(scripts.len(), 1, "{found:#?}");
    let script = scripts[0];
    assert_eq!(sorted(script.members.clone()), sorted(suspects));
    assert_eq!(script.finding.evidence["script"], "Cyrillic");
    assert!(
        script.finding.evidence["collection's script"].starts_with("Latin"),
        "{:?}",
        script.finding.evidence
    );
    assert!(
        script.finding.evidence[ROSHKA].starts_with("last modified by in 6 document(s)"),
        "{:?}",
        script.finding.evidence
    );

    // Nothing else: controls are in no finding.
    assert_eq!(found.len(), 2, "{found:#?}");
}

#[test]
fn controls_alone_show_nothing() {
    let found = run(&controls());
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn a_same_day_batch_of_recent_files_is_a_burst_without_the_years() {
    // Five files created the same week and saved together: still a burst
    // (thresholds say so), but the words do not claim old files.
    let docs: Vec<Doc> = (0..5)
        .map(|i| Doc {
            name: ["a.docx", "b.docx", "c.docx", "d.docx", "e.docx"][i],
            author: "Anne Martin",
            editor: "Anne Martin",
            created: utc(2017, 3, 1 + i as i64, 9, 0, 0),
            modified: utc(2017, 3, 10, 9, 0, 0) + 60 * i as i64,
            application: "Microsoft Office Word",
        })
        .collect();
    let found = run(&docs);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0]
            .finding
            .detail
            .contains("they were created within 4 days"),
        "{}",
        found[0].finding.detail
    );
    // Raising the threshold removes it.
    let reports: Vec<DocumentReport> = docs.iter().map(report).collect();
    let members: Vec<Member<'_>> = docs
        .iter()
        .zip(&reports)
        .map(|(d, r)| Member {
            name: d.name.into(),
            report: r,
        })
        .collect();
    let params = CollectionParams {
        burst_min_files: 6,
        ..CollectionParams::default()
    };
    assert!(collection_findings(&members, &params).is_empty());
}

#[test]
fn same_application_burst_when_editors_differ() {
    let docs: Vec<Doc> = (0..5)
        .map(|i| Doc {
            name: ["1.xlsx", "2.xlsx", "3.xlsx", "4.xlsx", "5.xlsx"][i],
            author: [
                "Anne Martin",
                "Paul Girard",
                "Sophie Bernard",
                "Marie Lefèvre",
                "Alain Tourret",
            ][i],
            editor: [
                "Anne Martin",
                "Paul Girard",
                "Sophie Bernard",
                "Marie Lefèvre",
                "Alain Tourret",
            ][i],
            created: utc(2008 + 2 * i as i64, 5, 5, 9, 0, 0),
            modified: utc(2017, 4, 27, 9, 0, 0) + 30 * i as i64,
            application: "Microsoft Excel",
        })
        .collect();
    let found = run(&docs);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].finding.code, "edit-burst");
    assert_eq!(found[0].finding.evidence["application"], "Microsoft Excel");
    assert_eq!(found[0].members.len(), 5);
}

#[test]
fn shared_rsid_root_and_pdf_ids_group_documents() {
    let mut a = DocumentReport::new(Kind::Ooxml, 1);
    a.metadata.rsid_root = Some("00A05A05".into());
    let mut b = DocumentReport::new(Kind::Ooxml, 1);
    b.metadata.rsid_root = Some("00a05a05".into());
    let mut c = DocumentReport::new(Kind::Ooxml, 1);
    c.metadata.rsid_root = Some("00B11B11".into());
    let mut p = DocumentReport::new(Kind::Pdf, 1);
    p.metadata.document_ids = vec!["cfd3bd75040be3a8152fa1e4fe2322c8".into(), "aaaa".into()];
    let mut q = DocumentReport::new(Kind::Pdf, 1);
    q.metadata.document_ids = vec!["CFD3BD75040BE3A8152FA1E4FE2322C8".into(), "bbbb".into()];
    // Zeroed IDs are what writers without real IDs put: no lineage.
    let mut z1 = DocumentReport::new(Kind::Pdf, 1);
    z1.metadata.document_ids = vec!["00000000000000000000000000000000".into()];
    let z2 = z1.clone();
    let all = [
        ("a.docx", &a),
        ("b.docx", &b),
        ("c.docx", &c),
        ("p.pdf", &p),
        ("q.pdf", &q),
        ("z1.pdf", &z1),
        ("z2.pdf", &z2),
    ];
    let members: Vec<Member<'_>> = all
        .iter()
        .map(|(n, r)| Member {
            name: (*n).into(),
            report: r,
        })
        .collect();
    let found = collection_findings(&members, &CollectionParams::default());
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(found.iter().all(|f| f.finding.code == "shared-lineage"));
    let groups: Vec<Vec<String>> = found.iter().map(|f| f.members.clone()).collect();
    assert!(
        groups.contains(&vec!["p.pdf".to_string(), "q.pdf".to_string()]),
        "{groups:?}"
    );
    assert!(
        groups.contains(&vec!["a.docx".to_string(), "b.docx".to_string()]),
        "{groups:?}"
    );
}

#[test]
fn two_names_make_no_majority() {
    let docs = vec![
        Doc {
            name: "x.docx",
            author: ROSHKA,
            editor: ROSHKA,
            created: utc(2017, 1, 1, 0, 0, 0),
            modified: utc(2017, 1, 2, 0, 0, 0),
            application: "Microsoft Excel",
        },
        Doc {
            name: "y.docx",
            author: "Anne Martin",
            editor: "Anne Martin",
            created: utc(2017, 1, 1, 0, 0, 0),
            modified: utc(2017, 2, 2, 0, 0, 0),
            application: "Microsoft Excel",
        },
    ];
    assert!(run(&docs).is_empty());
}
