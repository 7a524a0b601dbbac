//! Text drawn inside form XObjects (`Do`): followed through the page's and
//! the forms' own resources, nested up to a depth, each form read once per
//! page, so that forms drawing themselves or each other end.

mod common;

use common::{pdf, stream};
use flate2::write::ZlibEncoder;
use flate2::Compression;
use std::io::Write;
use std::time::{Duration, Instant};
use tamis_docs::{inspect, DocumentReport, Options};

fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/../../fixtures/docs/pdf/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn form(resources: &str, content: &[u8]) -> Vec<u8> {
    stream(
        &format!("/Type /XObject /Subtype /Form /BBox [0 0 100 100] {resources}"),
        content,
    )
}

/// Catalog, page tree, a page with `page_resources` and `content`
/// (object 4), Helvetica (object 5), then `more` from object 6 on.
fn document(page_resources: &str, content: &[u8], more: Vec<Vec<u8>>) -> Vec<u8> {
    let mut objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources {page_resources} /Contents 4 0 R >>"
        )
        .into_bytes(),
        stream("", content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".to_vec(),
    ];
    objects.extend(more);
    pdf(&objects, None)
}

fn text(report: &DocumentReport) -> &str {
    report.text.as_deref().map_or("", str::trim)
}

fn codes(report: &DocumentReport) -> Vec<&str> {
    report.problems.iter().map(|p| p.code.as_str()).collect()
}

#[test]
fn text_inside_nested_form_xobjects_is_found() {
    // pikepdf wrote it (make-pdf-fixtures.py, form_text): the page draws
    // Fm1, Fm1 draws Fm2, each with fonts of its own resources.
    let r = inspect(
        &fixture("form-xobject.pdf"),
        Some("form-xobject.pdf"),
        &Options::default(),
    );
    assert!(r.problems.is_empty(), "{:?}", r.problems);
    assert_eq!(text(&r), "PAID 12 March 2021\nMontant réglé : 1 200 €");
}

#[test]
fn a_form_that_draws_itself_is_read_once() {
    let start = Instant::now();
    // Form 6 draws itself twice; the page draws it 100,000 times.
    let mut content = b"BT /F1 12 Tf (before) Tj ET\n".to_vec();
    content.extend(b"/Me Do\n".repeat(100_000));
    content.extend(b"BT /F1 12 Tf (after) Tj ET");
    let bytes = document(
        "<< /Font << /F1 5 0 R >> /XObject << /Me 6 0 R >> >>",
        &content,
        vec![form(
            "/Resources << /Font << /F1 5 0 R >> /XObject << /Me 6 0 R >> >>",
            b"BT /F1 12 Tf (loop) Tj ET /Me Do /Me Do",
        )],
    );
    let r = inspect(&bytes, None, &Options::default());
    assert!(r.problems.is_empty(), "{:?}", r.problems);
    assert_eq!(text(&r), "before\nloop\nafter");
    assert!(
        start.elapsed() < Duration::from_secs(20),
        "{:?}",
        start.elapsed()
    );
}

#[test]
fn forms_that_draw_each_other_end() {
    // Form 6 draws 7, 7 draws 6; 7 has no resources of its own and uses
    // those of 6, which draws it.
    let bytes = document(
        "<< /XObject << /A 6 0 R >> >>",
        b"/A Do",
        vec![
            form(
                "/Resources << /Font << /F1 5 0 R >> /XObject << /B 7 0 R /A 6 0 R >> >>",
                b"BT /F1 12 Tf (first) Tj ET /B Do",
            ),
            form("", b"BT /F1 12 Tf (second) Tj ET /A Do"),
        ],
    );
    let r = inspect(&bytes, None, &Options::default());
    assert!(r.problems.is_empty(), "{:?}", r.problems);
    assert_eq!(text(&r), "first\nsecond");
}

#[test]
fn forms_nested_too_deep_are_not_followed() {
    // Twelve forms, each drawing the next: eight are read.
    let forms = (0..12)
        .map(|i| {
            form(
                &format!(
                    "/Resources << /Font << /F1 5 0 R >> /XObject << /Next {} 0 R >> >>",
                    i + 7
                ),
                format!("BT /F1 12 Tf (level {i}) Tj ET /Next Do").as_bytes(),
            )
        })
        .collect();
    let bytes = document("<< /XObject << /First 6 0 R >> >>", b"/First Do", forms);
    let r = inspect(&bytes, None, &Options::default());
    let levels: Vec<String> = (0..8).map(|i| format!("level {i}")).collect();
    assert_eq!(text(&r), levels.join("\n"));
    assert_eq!(codes(&r), ["too-large"], "{:?}", r.problems);
    assert!(
        r.problems[0].detail.contains("nested deeper than 8"),
        "{}",
        r.problems[0].detail
    );
}

#[test]
fn a_form_bomb_is_charged_to_the_budget() {
    let mut encoder = ZlibEncoder::new(Vec::new(), Compression::best());
    encoder.write_all(&vec![b' '; 16 << 20]).unwrap();
    let bomb = encoder.finish().unwrap();
    let bomb_form = [
        format!(
            "<< /Type /XObject /Subtype /Form /BBox [0 0 1 1] /Filter /FlateDecode /Length {} >>\nstream\n",
            bomb.len()
        )
        .as_bytes(),
        &bomb,
        b"\nendstream",
    ]
    .concat();
    let bytes = document(
        "<< /Font << /F1 5 0 R >> /XObject << /Bomb 6 0 R /Image 7 0 R >> >>",
        b"BT /F1 12 Tf (Visible) Tj ET /Image Do /Bomb Do BT /F1 12 Tf (Still) Tj ET",
        vec![
            bomb_form,
            stream(
                "/Type /XObject /Subtype /Image /Width 1 /Height 1 /BitsPerComponent 8 /ColorSpace /DeviceGray",
                b"\x00",
            ),
        ],
    );
    let options = Options {
        max_part_bytes: 1 << 20,
        ..Options::default()
    };
    let r = inspect(&bytes, None, &options);
    assert_eq!(text(&r), "Visible\nStill");
    assert_eq!(codes(&r), ["too-large"], "{:?}", r.problems);
    assert!(
        r.problems[0].detail.contains("form XObject"),
        "{}",
        r.problems[0].detail
    );
}
