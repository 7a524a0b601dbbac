//! Decoys (issue 5): per-recipient watermarked copies of the templates in
//! fixtures/registry/decoys (made by fixtures/registry/make-decoy-templates.py),
//! and what survives of the watermark when a leaker strips carriers.

use std::collections::BTreeMap;
use std::io::{Cursor, Read};
use tamis_registry::decoys::{
    self, DecoyCopy, Format, Mark, WatermarkKey, CARRIERS, PROPERTY, WHITESPACE, WORDING,
    ZERO_WIDTH,
};

const DIR: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../fixtures/registry/decoys"
);

const TEMPLATES: [&str; 5] = [
    "note-strategie.docx",
    "budget-semaine-17.xlsx",
    "note-strategie.pdf",
    "note-strategie.txt",
    "note-strategie.eml",
];

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("{DIR}/{name}")).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn recipients() -> Vec<String> {
    [
        "jean.dupont@en-marche.example",
        "claire.martin@en-marche.example",
        "a.benali@en-marche.example",
        "sophie.leroy@en-marche.example",
        "tresorerie@en-marche.example",
    ]
    .map(String::from)
    .to_vec()
}

fn make(name: &str) -> Vec<DecoyCopy> {
    decoys::make(&fixture(name), name, &recipients()).unwrap_or_else(|e| panic!("{name}: {e:#}"))
}

/// Copies of every template, and every copy's key (as the registry would
/// hand them to `recover`: all of them, all templates mixed).
fn all() -> (BTreeMap<&'static str, Vec<DecoyCopy>>, Vec<WatermarkKey>) {
    let copies: BTreeMap<&str, Vec<DecoyCopy>> = TEMPLATES.iter().map(|&n| (n, make(n))).collect();
    let keys = copies.values().flatten().map(|c| c.key.clone()).collect();
    (copies, keys)
}

fn strip_all_but(bytes: &[u8], name: &str, keep: Option<&str>) -> Vec<u8> {
    let mut out = bytes.to_vec();
    for c in CARRIERS {
        if Some(c) != keep {
            out = decoys::strip(&out, Some(name), c)
                .unwrap_or_else(|e| panic!("{name} strip {c}: {e:#}"));
        }
    }
    out
}

fn expected_carriers(format: Format) -> Vec<&'static str> {
    match format {
        Format::Docx | Format::Xlsx => vec![ZERO_WIDTH, WORDING, PROPERTY, WHITESPACE],
        Format::Pdf => vec![WORDING, PROPERTY, WHITESPACE],
        Format::Txt | Format::Eml => vec![ZERO_WIDTH, WORDING, WHITESPACE],
    }
}

#[test]
fn marks_are_deterministic_distinct_and_never_zero() {
    let sha = "ab".repeat(32);
    let a = Mark::for_recipient(&sha, "jean.dupont@en-marche.example");
    assert_eq!(
        a,
        Mark::for_recipient(&sha, " Jean.Dupont@en-marche.example ")
    );
    assert_ne!(
        a,
        Mark::for_recipient(&sha, "claire.martin@en-marche.example")
    );
    assert_ne!(
        a,
        Mark::for_recipient(&"cd".repeat(32), "jean.dupont@en-marche.example")
    );
    assert_ne!(a.0, 0);
}

#[test]
fn same_recipient_twice_is_refused() {
    let r = vec!["a@x.example".to_owned(), "A@x.example".to_owned()];
    let err = decoys::make(&fixture("note-strategie.txt"), "note-strategie.txt", &r).unwrap_err();
    assert!(format!("{err}").contains("same mailbox"), "{err}");
}

#[test]
fn each_copy_recovers_its_recipient_with_every_carrier() {
    let (copies, keys) = all();
    for (name, list) in &copies {
        let format = Format::detect(&fixture(name), Some(name)).unwrap();
        for copy in list {
            assert_eq!(copy.file_name, *name, "the same name for every copy");
            assert_eq!(
                copy.carriers,
                expected_carriers(format),
                "{name}: {:?}",
                copy.skipped
            );
            let got = decoys::recover(&copy.bytes, Some(name), &keys)
                .unwrap_or_else(|| panic!("{name} {}: nothing recovered", copy.recipient));
            assert_eq!(got.mark, copy.mark, "{name} {}", copy.recipient);
            assert_eq!(got.carriers, copy.carriers, "{name} {}", copy.recipient);
            assert!(got.conflicting.is_empty(), "{name}: {:?}", got.conflicting);
            // The name is not needed: the content says what the file is.
            assert_eq!(
                decoys::recover(&copy.bytes, None, &keys).map(|r| r.mark),
                Some(copy.mark)
            );
        }
        let marks: std::collections::HashSet<Mark> = list.iter().map(|c| c.mark).collect();
        assert_eq!(marks.len(), list.len());
        let bytes: std::collections::HashSet<&[u8]> =
            list.iter().map(|c| c.bytes.as_slice()).collect();
        assert_eq!(bytes.len(), list.len(), "{name}: every copy differs");
    }
}

#[test]
fn pdf_says_why_zero_width_is_not_there() {
    let copy = &make("note-strategie.pdf")[0];
    assert!(!copy.carriers.contains(&ZERO_WIDTH));
    // Not even attempted: no font of an ordinary PDF draws U+200B.
    assert!(!Format::Pdf.carriers().contains(&ZERO_WIDTH));
}

#[test]
fn every_carrier_alone_recovers_the_recipient() {
    let (copies, keys) = all();
    for (name, list) in &copies {
        for copy in list {
            for &carrier in &copy.carriers {
                let alone = strip_all_but(&copy.bytes, name, Some(carrier));
                let got = decoys::recover(&alone, Some(name), &keys)
                    .unwrap_or_else(|| panic!("{name} {carrier} alone: nothing recovered"));
                assert_eq!(got.mark, copy.mark, "{name} {carrier} alone");
                assert_eq!(got.carriers, [carrier], "{name} {carrier} alone");
            }
        }
    }
}

#[test]
fn one_carrier_stripped_still_recovers_from_the_others() {
    let (copies, keys) = all();
    for (name, list) in &copies {
        let copy = &list[2];
        for &carrier in &copy.carriers {
            let bytes = decoys::strip(&copy.bytes, Some(name), carrier).unwrap();
            let got = decoys::recover(&bytes, Some(name), &keys).unwrap();
            assert_eq!(got.mark, copy.mark, "{name} without {carrier}");
            assert!(
                !got.carriers.contains(&carrier),
                "{name}: {carrier} was stripped"
            );
            assert_eq!(
                got.carriers.len(),
                copy.carriers.len() - 1,
                "{name} without {carrier}"
            );
        }
    }
}

#[test]
fn all_carriers_stripped_recovers_nothing() {
    let (copies, keys) = all();
    for (name, list) in &copies {
        for copy in list {
            let bare = strip_all_but(&copy.bytes, name, None);
            assert_eq!(
                decoys::recover(&bare, Some(name), &keys),
                None,
                "{name} {}",
                copy.recipient
            );
        }
    }
}

#[test]
fn documents_that_are_no_decoys_recover_nothing() {
    let (_, keys) = all();
    let mut others: Vec<(String, Vec<u8>)> = TEMPLATES
        .iter()
        .map(|n| (n.to_string(), fixture(n)))
        .collect();
    others.push(("compte-rendu.docx".into(), fixture("compte-rendu.docx")));
    // Every template normalised as a stripper would: still nothing.
    for n in TEMPLATES {
        others.push((format!("stripped {n}"), strip_all_but(&fixture(n), n, None)));
    }
    for dir in ["docs/office", "docs/pdf", "dkim"] {
        let path = format!("{DIR}/../../{dir}");
        let Ok(entries) = std::fs::read_dir(&path) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_file() {
                let name = p.file_name().unwrap().to_string_lossy().into_owned();
                others.push((name, std::fs::read(&p).unwrap()));
            }
        }
    }
    assert!(
        others.len() > 15,
        "fixtures to test against: {}",
        others.len()
    );
    for (name, bytes) in &others {
        let n = name.trim_start_matches("stripped ");
        assert_eq!(decoys::recover(bytes, Some(n), &keys), None, "{name}");
    }
}

/// The text a reader sees, through tamis-docs.
fn visible(bytes: &[u8], name: &str) -> String {
    let report = tamis_docs::inspect(bytes, Some(name), &tamis_docs::Options::default());
    report.text.unwrap_or_default()
}

/// Numbers without their thousands separators: `strip` rewrites a
/// `1200` to `1 200`, not knowing the template wrote `1,200`.
fn ungrouped(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        let between_digits = i > 0
            && chars[i - 1].is_ascii_digit()
            && chars
                .get(i + 1..i + 4)
                .is_some_and(|g| g.iter().all(char::is_ascii_digit))
            && !chars.get(i + 4).is_some_and(char::is_ascii_digit);
        if matches!(c, ' ' | ',' | '\u{a0}' | '\u{202f}') && between_digits {
            continue;
        }
        out.push(c);
    }
    out
}

#[test]
fn copies_still_open_and_differ_only_by_variants_and_spaces() {
    for name in TEMPLATES {
        let template = fixture(name);
        let base = ungrouped(&visible(
            &strip_all_but(&template, name, Some(PROPERTY)),
            name,
        ));
        assert!(base.len() > 500, "{name}: {} bytes of text", base.len());
        for copy in make(name) {
            let report =
                tamis_docs::inspect(&copy.bytes, Some(name), &tamis_docs::Options::default());
            assert!(report.problems.is_empty(), "{name}: {:?}", report.problems);
            let shown = report.text.unwrap_or_default();
            assert_ne!(
                shown,
                visible(&template, name),
                "{name}: the copy shows its marks"
            );
            let normalised = ungrouped(&visible(
                &strip_all_but(&copy.bytes, name, Some(PROPERTY)),
                name,
            ));
            assert_eq!(normalised, base, "{name} {}", copy.recipient);
        }
    }
}

fn zip_entries(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut z = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    (0..z.len())
        .map(|i| {
            let mut f = z.by_index_raw(i).unwrap();
            let mut raw = Vec::new();
            f.read_to_end(&mut raw).unwrap();
            (f.name().to_owned(), raw)
        })
        .collect()
}

#[test]
fn ooxml_copies_rewrite_only_the_parts_they_change() {
    for (name, changed) in [
        (
            "note-strategie.docx",
            vec!["[Content_Types].xml", "_rels/.rels", "word/document.xml"],
        ),
        (
            "budget-semaine-17.xlsx",
            vec![
                "docProps/custom.xml",
                "xl/worksheets/sheet1.xml",
                "xl/worksheets/sheet2.xml",
            ],
        ),
    ] {
        let template = zip_entries(&fixture(name));
        for copy in make(name) {
            let entries = zip_entries(&copy.bytes);
            let names: Vec<&str> = entries.iter().map(|(n, _)| n.as_str()).collect();
            let template_names: Vec<&str> = template.iter().map(|(n, _)| n.as_str()).collect();
            // Same order; a docx without custom properties gets the part at the end.
            assert_eq!(
                &names[..template_names.len()],
                template_names.as_slice(),
                "{name}"
            );
            for ((n, raw), (_, original)) in entries.iter().zip(&template) {
                if changed.contains(&n.as_str()) {
                    assert!(raw != original, "{name}: {n} should carry the mark");
                } else {
                    assert!(raw == original, "{name}: {n} must be byte-identical");
                }
            }
            let props =
                tamis_docs::inspect(&copy.bytes, Some(name), &tamis_docs::Options::default())
                    .metadata
                    .custom;
            assert!(
                props.contains_key(decoys::PROPERTY_NAME),
                "{name}: {props:?}"
            );
            if name.ends_with(".xlsx") {
                assert_eq!(
                    props.get("Projet").map(String::as_str),
                    Some("Présidentielle 2017")
                );
            }
        }
    }
}

#[test]
fn eml_copies_keep_their_headers_and_stay_quoted_printable() {
    let name = "note-strategie.eml";
    let template = fixture(name);
    let split = |b: &[u8]| {
        let at = b.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
        (b[..at].to_vec(), b[at..].to_vec())
    };
    let (head, _) = split(&template);
    for copy in make(name) {
        let (h, body) = split(&copy.bytes);
        assert_eq!(h, head);
        assert!(body.is_ascii(), "quoted-printable stays 7-bit");
        assert!(
            body.split(|&b| b == b'\n').all(|l| l.len() <= 77),
            "lines of 76 at most"
        );
        assert!(
            body.windows(6).any(|w| w == b"=E2=81"),
            "zero-width characters, encoded"
        );
        let parsed = mail_parser::MessageParser::default()
            .parse(&copy.bytes)
            .unwrap();
        let text = parsed.body_text(0).unwrap();
        assert!(text.contains('\u{2060}'));
        assert!(text.contains("Summary for international press"));
    }
}

#[test]
fn a_pasted_fragment_keeps_the_zero_width_mark() {
    let (_, keys) = all();
    let copy = &make("note-strategie.txt")[1];
    let text = String::from_utf8(copy.bytes.clone()).unwrap();
    let cut = text
        .char_indices()
        .nth(text.chars().count() * 2 / 3)
        .unwrap()
        .0;
    let fragment = &text[cut..];
    let got = decoys::recover(fragment.as_bytes(), Some("pasted.txt"), &keys).unwrap();
    assert_eq!(got.mark, copy.mark);
    assert!(got.carriers.contains(&ZERO_WIDTH));
}

#[test]
fn keys_round_trip_through_json() {
    let copy = &make("note-strategie.docx")[0];
    let json = serde_json::to_string(&copy.key).unwrap();
    let back: WatermarkKey = serde_json::from_str(&json).unwrap();
    assert_eq!(back, copy.key);
    assert!(json.len() < 16_000, "{} bytes", json.len());
    assert!(
        !json.contains("afin"),
        "a key holds no text of the document"
    );
}

#[test]
fn another_copys_key_alone_does_not_accuse_the_wrong_recipient() {
    let list = make("note-strategie.docx");
    let leaked = strip_all_but(&list[0].bytes, "note-strategie.docx", Some(WORDING));
    let others: Vec<WatermarkKey> = list[1..].iter().map(|c| c.key.clone()).collect();
    assert_eq!(
        decoys::recover(&leaked, Some("note-strategie.docx"), &others),
        None
    );
}

/// Watermark recovery per carrier: each carrier alone (the others
/// stripped) on every copy of every format, as the README reports it.
#[test]
fn recovery_table() {
    let (copies, keys) = all();
    let mut table = String::from(
        "| format | zero-width | wording | property | whitespace | all carriers | all stripped |\n",
    );
    table.push_str("| --- | --- | --- | --- | --- | --- | --- |\n");
    for name in TEMPLATES {
        let list = &copies[name];
        let format = Format::detect(&fixture(name), Some(name)).unwrap();
        let total = list.len();
        let mut row = format!("| {} |", format.as_str());
        for carrier in CARRIERS {
            if !format.carriers().contains(&carrier) {
                row.push_str(" n/a |");
                continue;
            }
            let ok = list
                .iter()
                .filter(|c| {
                    let alone = strip_all_but(&c.bytes, name, Some(carrier));
                    decoys::recover(&alone, Some(name), &keys)
                        .is_some_and(|r| r.mark == c.mark && r.carriers == [carrier])
                })
                .count();
            assert_eq!(ok, total, "{name} {carrier}");
            row.push_str(&format!(" {ok}/{total} |"));
        }
        let whole = list
            .iter()
            .filter(|c| {
                decoys::recover(&c.bytes, Some(name), &keys).is_some_and(|r| r.mark == c.mark)
            })
            .count();
        let false_hits = list
            .iter()
            .filter(|c| {
                decoys::recover(&strip_all_but(&c.bytes, name, None), Some(name), &keys).is_some()
            })
            .count();
        assert_eq!(whole, total);
        assert_eq!(false_hits, 0);
        row.push_str(&format!(
            " {whole}/{total} | {false_hits}/{total} recovered |\n"
        ));
        table.push_str(&row);
    }
    println!("{table}");
}

/// A leaker who re-saves or converts the copy with an office suite: what
/// survives LibreOffice's docx→docx, docx→txt and docx→pdf. Runs where
/// LibreOffice is installed (fixtures/registry/make-decoy-templates.py
/// needs it too), and says so where it is not.
#[test]
fn conversions_by_an_office_suite_keep_some_carriers() {
    let Some(soffice) = ["soffice", "libreoffice"].into_iter().find(|b| {
        std::process::Command::new(b)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    }) else {
        eprintln!("skipped: LibreOffice (soffice) is not installed");
        return;
    };
    let name = "note-strategie.docx";
    let list = make(name);
    let keys: Vec<WatermarkKey> = list.iter().map(|c| c.key.clone()).collect();
    let copy = &list[3];
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join(name);
    std::fs::write(&input, &copy.bytes).unwrap();
    let profile = format!(
        "-env:UserInstallation=file://{}/profile",
        dir.path().display()
    );
    for (filter, out, survivors) in [
        (
            "docx:MS Word 2007 XML",
            "resaved/note-strategie.docx",
            &[ZERO_WIDTH, WORDING, PROPERTY, WHITESPACE][..],
        ),
        (
            "txt:Text (encoded):UTF8",
            "note-strategie.txt",
            &[ZERO_WIDTH, WORDING, WHITESPACE][..],
        ),
        ("pdf", "note-strategie.pdf", &[WORDING, WHITESPACE][..]),
    ] {
        let out_dir = dir.path().join(std::path::Path::new(out).parent().unwrap());
        let status = std::process::Command::new(soffice)
            .args([
                profile.as_str(),
                "--headless",
                "--convert-to",
                filter,
                "--outdir",
            ])
            .arg(&out_dir)
            .arg(&input)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .unwrap();
        assert!(status.success(), "{filter}");
        let converted = std::fs::read(dir.path().join(out)).unwrap();
        let got = decoys::recover(&converted, Some(out), &keys)
            .unwrap_or_else(|| panic!("{filter}: nothing"));
        assert_eq!(got.mark, copy.mark, "{filter}");
        assert_eq!(got.carriers, survivors, "{filter}");
    }
}

/// A multipart/alternative message whose plain part is base64: the plain
/// part is marked and re-encoded in base64, the HTML part and every header
/// stay byte for byte.
#[test]
fn multipart_base64_message() {
    use base64::Engine;
    let body = String::from_utf8(fixture("note-strategie.txt"))
        .unwrap()
        .replace('\n', "\r\n");
    let b64 = base64::engine::general_purpose::STANDARD.encode(body.as_bytes());
    let b64: Vec<&str> = b64
        .as_bytes()
        .chunks(76)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect();
    let html = "<html><body><p>La r=C3=A9union commence lundi.</p></body></html>";
    let message = format!(
        "From: Pole <pole@en-marche.example>\r\nTo: x@en-marche.example\r\nDate: Fri, 21 Apr 2017 17:52:11 +0200\r\n\
         Subject: Note\r\nMIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=\"=_b1\"\r\n\r\n\
         --=_b1\r\nContent-Type: text/plain; charset=\"UTF-8\"\r\nContent-Transfer-Encoding: base64\r\n\r\n{}\r\n\
         --=_b1\r\nContent-Type: text/html; charset=\"UTF-8\"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n{html}\r\n\
         --=_b1--\r\n",
        b64.join("\r\n")
    );
    let list = decoys::make(message.as_bytes(), "message.eml", &recipients()).unwrap();
    let keys: Vec<WatermarkKey> = list.iter().map(|c| c.key.clone()).collect();
    let html_part = message.find("--=_b1\r\nContent-Type: text/html").unwrap();
    let head_end = message.find("--=_b1\r\n").unwrap() + 8;
    for copy in &list {
        assert_eq!(copy.carriers, [ZERO_WIDTH, WORDING, WHITESPACE]);
        let text = String::from_utf8(copy.bytes.clone()).unwrap();
        assert!(text.starts_with(&message[..head_end]), "headers kept");
        assert!(text.ends_with(&message[html_part..]), "HTML part kept");
        let parsed = mail_parser::MessageParser::default()
            .parse(&copy.bytes)
            .unwrap();
        assert!(parsed.body_text(0).unwrap().contains('\u{2060}'));
        let got = decoys::recover(&copy.bytes, None, &keys).unwrap();
        assert_eq!((got.mark, got.carriers.len()), (copy.mark, 3));
    }
}
