//! The image fixtures (fixtures/docs/images, written by Pillow and exiftool
//! with fixtures/docs/make-image-fixtures.py) read end to end: what each
//! says, the findings it must show, and the controls that must show none.

use std::path::PathBuf;
use tamis_docs::{inspect, DocumentReport, Kind, Options};

fn fixture(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/docs/images")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn read(name: &str) -> DocumentReport {
    inspect(&fixture(name), Some(name), &Options::default())
}

fn codes(report: &DocumentReport) -> Vec<&str> {
    report.findings.iter().map(|f| f.code.as_str()).collect()
}

/// Unix seconds of a UTC time, written out so a reader can check it.
fn utc(y: i64, mo: i64, d: i64, h: i64, mi: i64, s: i64) -> i64 {
    // Days from 1970-01-01 by the civil calendar (valid 1970–2099 here).
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

#[test]
fn camera_control_reads_as_written_and_shows_nothing() {
    let r = read("camera.jpg");
    assert_eq!(r.kind, Kind::Jpeg);
    assert!(r.problems.is_empty(), "{:?}", r.problems);
    let m = &r.metadata;
    assert_eq!(m.camera_make.as_deref(), Some("Canon"));
    assert_eq!(m.camera_model.as_deref(), Some("Canon EOS 80D"));
    assert_eq!(m.author.as_deref(), Some("Jean Dupont"));
    assert_eq!(m.application, None);
    // 14:31:07 at +02:00.
    let t = utc(2017, 4, 27, 12, 31, 7);
    assert_eq!(
        (m.taken, m.created, m.modified),
        (Some(t), Some(t), Some(t))
    );
    let (lat, lon) = m.gps.expect("gps");
    assert!(
        (lat - 48.85837).abs() < 1e-6 && (lon - 2.294481).abs() < 1e-6,
        "{lat} {lon}"
    );
    assert_eq!(m.raw.get("EXIF Make").map(String::as_str), Some("Canon"));
    assert_eq!(
        m.raw.get("EXIF DateTimeOriginal").map(String::as_str),
        Some("2017:04:27 14:31:07")
    );
    assert!(
        !m.raw.contains_key("EXIF DateTimeOriginal zone"),
        "offsets are present: {:?}",
        m.raw
    );
    assert!(m.raw.contains_key("EXIF thumbnail JPEGInterchangeFormat"));
    let check = m
        .raw
        .get("tamis thumbnail check")
        .expect("the thumbnail was compared");
    assert!(check.starts_with("same picture"), "{check}");
    assert!(r.findings.is_empty(), "{:?}", r.findings);
}

#[test]
fn photo_edited_after_capture_shows_its_thumbnail_and_its_editor() {
    let r = read("edited-photoshop.jpg");
    assert!(r.problems.is_empty(), "{:?}", r.problems);
    let m = &r.metadata;
    assert_eq!(
        m.application.as_deref(),
        Some("Adobe Photoshop CC 2017 (Windows)")
    );
    assert_eq!(m.modified, Some(utc(2017, 6, 20, 16, 44, 10)));
    assert_eq!(m.taken, Some(utc(2017, 4, 27, 12, 31, 7)));
    let c = codes(&r);
    assert!(c.contains(&"exif-thumbnail-mismatch"), "{:?}", r.findings);
    assert!(c.contains(&"edited-with"), "{:?}", r.findings);
    assert!(!c.contains(&"dates-inconsistent"), "{:?}", r.findings);
    let mismatch = r
        .findings
        .iter()
        .find(|f| f.code == "exif-thumbnail-mismatch")
        .expect("found");
    let difference: f64 = mismatch.evidence["mean absolute difference"]
        .split_whitespace()
        .next()
        .and_then(|d| d.parse().ok())
        .expect("a number");
    assert!(
        difference > 2.0 * tamis_docs::image::THUMBNAIL_MISMATCH_THRESHOLD,
        "{difference}"
    );
    let edited = r
        .findings
        .iter()
        .find(|f| f.code == "edited-with")
        .expect("found");
    assert_eq!(edited.evidence["editor"], "Adobe Photoshop");
    assert_eq!(
        edited.evidence["EXIF Software"],
        "Adobe Photoshop CC 2017 (Windows)"
    );
    assert_eq!(edited.evidence["camera"], "Canon EOS 80D");
}

#[test]
fn tiff_without_offsets_reads_times_as_utc_and_says_so() {
    let r = read("scan.tif");
    assert_eq!(r.kind, Kind::Tiff);
    assert!(r.problems.is_empty(), "{:?}", r.problems);
    let m = &r.metadata;
    assert_eq!(m.camera_make.as_deref(), Some("NIKON CORPORATION"));
    assert_eq!(m.camera_model.as_deref(), Some("NIKON D750"));
    assert_eq!(m.author.as_deref(), Some("Marie Curie"));
    assert_eq!(m.application.as_deref(), Some("Ver.1.10"));
    assert_eq!(m.taken, Some(utc(2016, 11, 3, 9, 15, 0)));
    assert!(
        m.raw["EXIF DateTimeOriginal zone"].contains("read as UTC"),
        "{:?}",
        m.raw
    );
    let (lat, lon) = m.gps.expect("gps");
    assert!(
        (lat - 43.2965).abs() < 1e-6 && (lon - 5.3698).abs() < 1e-6,
        "{lat} {lon}"
    );
    assert!(r.findings.is_empty(), "{:?}", r.findings);
}

#[test]
fn png_exif_chunk_is_read_west_of_utc_and_names_gimp() {
    let r = read("phone-gimp.png");
    assert_eq!(r.kind, Kind::Png);
    assert!(r.problems.is_empty(), "{:?}", r.problems);
    let m = &r.metadata;
    assert_eq!(m.camera_model.as_deref(), Some("iPhone 8"));
    // 12:00 at -05:00.
    assert_eq!(m.taken, Some(utc(2018, 3, 14, 17, 0, 0)));
    assert_eq!(m.modified, Some(utc(2018, 3, 15, 13, 30, 0)));
    let (lat, lon) = m.gps.expect("gps");
    assert!(
        (lat - 40.7484).abs() < 1e-6 && (lon + 73.9857).abs() < 1e-6,
        "{lat} {lon}"
    );
    assert_eq!(codes(&r), vec!["edited-with"], "{:?}", r.findings);
    assert_eq!(r.findings[0].evidence["editor"], "GIMP");
}

#[test]
fn a_date_after_the_leak_is_inconsistent() {
    let options = Options {
        leak_date: Some(utc(2017, 4, 1, 0, 0, 0)),
        ..Options::default()
    };
    let r = inspect(&fixture("camera.jpg"), None, &options);
    let dates: Vec<_> = r
        .findings
        .iter()
        .filter(|f| f.code == "dates-inconsistent")
        .collect();
    // taken, digitized and modified are all 26 days after it.
    assert_eq!(dates.len(), 3, "{:?}", r.findings);
    assert!(
        dates[0].detail.contains("after the leak date"),
        "{}",
        dates[0].detail
    );
}

/// The SOF0 segment's height and width, patched.
fn with_declared_size(mut jpeg: Vec<u8>, width: u16, height: u16) -> Vec<u8> {
    let sof = jpeg
        .windows(2)
        .position(|w| w == [0xFF, 0xC0])
        .expect("baseline JPEG");
    // Skip the thumbnail's own SOF0 inside APP1: take the last one.
    let sof = jpeg
        .windows(2)
        .rposition(|w| w == [0xFF, 0xC0])
        .unwrap_or(sof);
    jpeg[sof + 5..sof + 7].copy_from_slice(&height.to_be_bytes());
    jpeg[sof + 7..sof + 9].copy_from_slice(&width.to_be_bytes());
    jpeg
}

#[test]
fn an_image_declaring_more_than_100_megapixels_is_not_decoded() {
    let jpeg = with_declared_size(fixture("camera.jpg"), 20_000, 20_000);
    let r = inspect(&jpeg, None, &Options::default());
    assert!(
        r.problems.iter().any(|p| p.code == "too-large"),
        "{:?}",
        r.problems
    );
    assert!(!r
        .findings
        .iter()
        .any(|f| f.code == "exif-thumbnail-mismatch"));
    // The EXIF is still read.
    assert_eq!(r.metadata.camera_make.as_deref(), Some("Canon"));
}

#[test]
fn truncated_and_corrupted_images_never_panic() {
    for name in [
        "camera.jpg",
        "edited-photoshop.jpg",
        "scan.tif",
        "phone-gimp.png",
    ] {
        let bytes = fixture(name);
        let mut cuts: Vec<usize> = (0..bytes.len()).step_by(97).collect();
        cuts.extend(0..64.min(bytes.len()));
        for cut in cuts {
            let r = inspect(&bytes[..cut], Some(name), &Options::default());
            assert!(
                !r.problems.iter().any(|p| p.code == "reader-panicked"),
                "{name} cut at {cut}: {:?}",
                r.problems
            );
        }
        // Deterministic corruption: every 53rd byte from a position on
        // flipped, for several starting points.
        for start in 0..40 {
            let mut broken = bytes.clone();
            for i in (start * 7..broken.len()).step_by(53) {
                broken[i] ^= 0xA5;
            }
            let r = inspect(&broken, Some(name), &Options::default());
            assert!(
                !r.problems.iter().any(|p| p.code == "reader-panicked"),
                "{name} corrupted from {start}: {:?}",
                r.problems
            );
        }
    }
}
