//! Hostile PDFs: garbage, every truncation, decompression bombs in the
//! places lopdf and we decompress, loops and deep nesting. Each gives a
//! report with problems, never a panic, within its bounds.

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

fn assert_no_panic(report: &DocumentReport, what: &str) {
    assert!(
        !report.problems.iter().any(|p| p.code == "reader-panicked"),
        "{what}: {:?}",
        report.problems
    );
    assert!(report.pdf.is_some(), "{what}: the scan is always reported");
}

fn has_problem(report: &DocumentReport, code: &str) -> bool {
    report.problems.iter().any(|p| p.code == code)
}

/// Zlib data that inflates to `size` zero bytes.
fn bomb(size: usize) -> Vec<u8> {
    let mut encoder = ZlibEncoder::new(Vec::new(), Compression::best());
    let zeros = vec![0u8; 1 << 16];
    let mut left = size;
    while left > 0 {
        let n = left.min(zeros.len());
        let _ = encoder.write_all(&zeros[..n]);
        left -= n;
    }
    encoder.finish().unwrap_or_default()
}

fn page_with_content(content: Vec<u8>, catalog_extra: &str) -> Vec<u8> {
    pdf(
        &[
            format!("<< /Type /Catalog /Pages 2 0 R {catalog_extra} >>").into_bytes(),
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>".to_vec(),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec(),
            content,
            b"<< /Author (Alice) >>".to_vec(),
        ],
        Some(6),
    )
}

fn small_bounds() -> Options {
    Options {
        max_part_bytes: 1 << 20,
        max_total_bytes: 4 << 20,
        ..Options::default()
    }
}

#[test]
fn garbage_after_a_header_gives_problems() {
    // A fixed xorshift: the same garbage at every run.
    let mut state = 0x2545_f491_4f6c_dd1du64;
    for round in 0..50 {
        let mut bytes = b"%PDF-1.7\n".to_vec();
        for _ in 0..(round * 97 + 10) {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            bytes.push(state as u8);
        }
        if round % 5 == 0 {
            bytes.extend_from_slice(b"\ntrailer <</Root 1 0 R>>\nstartxref\n9\n%%EOF\n");
        }
        let report = inspect(&bytes, None, &Options::default());
        assert_no_panic(&report, &format!("garbage round {round}"));
        assert!(!report.problems.is_empty(), "round {round}");
    }
}

#[test]
fn every_truncation_of_the_fixtures_is_a_report() {
    for name in [
        "clean.pdf",
        "three-revisions.pdf",
        "active-content.pdf",
        "layers.pdf",
    ] {
        let bytes = fixture(name);
        for cut in (0..bytes.len()).step_by(13) {
            let report = inspect(&bytes[..cut], None, &Options::default());
            // A cut before the header is not a PDF at all.
            if report.kind != tamis_docs::Kind::Pdf {
                continue;
            }
            assert_no_panic(&report, &format!("{name} cut at {cut}"));
        }
    }
}

#[test]
fn content_stream_bomb_is_refused_not_inflated() {
    let data = bomb(64 << 20);
    let bytes = page_with_content(stream("/Filter /FlateDecode", &data), "");
    let started = Instant::now();
    let report = inspect(&bytes, None, &small_bounds());
    assert_no_panic(&report, "content bomb");
    assert!(has_problem(&report, "too-large"), "{:?}", report.problems);
    // The metadata is read all the same.
    assert_eq!(report.metadata.author.as_deref(), Some("Alice"));
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[test]
fn xmp_bomb_is_refused_and_the_rest_read() {
    let content = stream("", b"BT /F1 12 Tf (Hello) Tj ET");
    let mut bytes_objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R /Metadata 7 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>"
            .to_vec(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec(),
        content,
        b"<< /Author (Alice) >>".to_vec(),
    ];
    bytes_objects.push(stream(
        "/Type /Metadata /Subtype /XML /Filter /FlateDecode",
        &bomb(64 << 20),
    ));
    let bytes = pdf(&bytes_objects, Some(6));
    let report = inspect(&bytes, None, &small_bounds());
    assert_no_panic(&report, "xmp bomb");
    assert!(
        report
            .problems
            .iter()
            .any(|p| p.code == "too-large" && p.detail.contains("XMP")),
        "{:?}",
        report.problems
    );
    assert_eq!(report.metadata.author.as_deref(), Some("Alice"));
    assert_eq!(report.text.as_deref().map(str::trim), Some("Hello"));
}

#[test]
fn object_stream_bomb_stops_the_load_not_the_scan() {
    // Object 2 (the page tree) lives in object stream 3, whose data
    // inflates far past the bound; a cross-reference stream (object 4)
    // says so, and lopdf decodes object streams while loading.
    let mut bytes = b"%PDF-1.5\n".to_vec();
    let mut offsets = Vec::new();
    let objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        stream(
            "/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode",
            &bomb(64 << 20),
        ),
    ];
    for (number, body) in [(1, &objects[0]), (3, &objects[1])] {
        offsets.push(bytes.len());
        bytes.extend_from_slice(format!("{number} 0 obj\n").as_bytes());
        bytes.extend_from_slice(body);
        bytes.extend_from_slice(b"\nendobj\n");
    }
    let xref_at = bytes.len();
    // W [1 4 2]: type, offset or container, generation or index.
    let entry = |kind: u8, field: u32, index: u16| {
        let mut e = vec![kind];
        e.extend_from_slice(&field.to_be_bytes());
        e.extend_from_slice(&index.to_be_bytes());
        e
    };
    let table = [
        entry(0, 0, 0xFFFF),
        entry(1, offsets[0] as u32, 0),
        entry(2, 3, 0),
        entry(1, offsets[1] as u32, 0),
        entry(1, xref_at as u32, 0),
    ]
    .concat();
    bytes.extend_from_slice(b"4 0 obj\n");
    bytes.extend_from_slice(&stream(
        "/Type /XRef /Size 5 /W [1 4 2] /Root 1 0 R",
        &table,
    ));
    bytes.extend_from_slice(format!("\nendobj\nstartxref\n{xref_at}\n%%EOF\n").as_bytes());

    let started = Instant::now();
    let report = inspect(&bytes, None, &small_bounds());
    assert_no_panic(&report, "object stream bomb");
    assert_eq!(report.pdf.as_ref().map(|p| p.revisions), Some(1));
    assert!(has_problem(&report, "too-large"), "{:?}", report.problems);
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[test]
fn text_is_bounded() {
    let line = "(The quick brown fox jumps over the lazy dog) Tj T*\n".repeat(2_000);
    let content = format!("BT /F1 12 Tf 14 TL {line} ET");
    let bytes = page_with_content(stream("", content.as_bytes()), "");
    let options = Options {
        max_text_bytes: 1_000,
        ..Options::default()
    };
    let report = inspect(&bytes, None, &options);
    assert!(report.text_truncated);
    assert!(report.text.as_deref().map_or(0, str::len) <= 1_000);
}

#[test]
fn reference_loops_and_deep_nesting_end() {
    // The Info dictionary refers to itself, the page tree is its own kid,
    // and the catalog holds arrays nested far past any parser's depth.
    let deep = format!("/Deep {}{}", "[".repeat(50_000), "]".repeat(50_000));
    let bytes = pdf(
        &[
            format!("<< /Type /Catalog /Pages 2 0 R {deep} /OCProperties 3 0 R >>").into_bytes(),
            b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>".to_vec(),
            b"3 0 R".to_vec(),
            b"<< /Author 4 0 R /Self 4 0 R >>".to_vec(),
        ],
        Some(4),
    );
    let started = Instant::now();
    let report = inspect(&bytes, None, &Options::default());
    assert_no_panic(&report, "loops");
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[test]
fn file_larger_than_the_total_bound_is_scanned_not_loaded() {
    let bytes = fixture("three-revisions.pdf");
    let options = Options {
        max_total_bytes: 1_000,
        ..Options::default()
    };
    let report = inspect(&bytes, None, &options);
    assert!(has_problem(&report, "too-large"), "{:?}", report.problems);
    assert_eq!(report.pdf.as_ref().map(|p| p.revisions), Some(3));
    assert_eq!(report.revisions.len(), 3);
}
