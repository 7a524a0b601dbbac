//! Hostile Office files: zip bombs, entity bombs, too many entries, cut
//! and corrupted files. Each gives a `problem` in bounded time and
//! memory, never a panic, and what could be read is still read.

use std::path::PathBuf;
use std::time::{Duration, Instant};
use tamis_docs::office::{odf, ole2, ooxml};
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

fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// An entry as it goes into the archive: stored bytes (method 0) or a
/// raw deflate stream (method 8) with the sizes and CRC it declares.
struct Entry {
    name: String,
    method: u16,
    data: Vec<u8>,
    crc: u32,
    size: u32,
}

fn stored(name: &str, data: &[u8]) -> Entry {
    Entry {
        name: name.into(),
        method: 0,
        data: data.to_vec(),
        crc: crc32(data),
        size: data.len() as u32,
    }
}

/// A zip archive written by hand, so a test can declare what it likes.
fn zip(entries: &[Entry]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for e in entries {
        let offset = out.len() as u32;
        let header = |sig: u32, central: bool| {
            let mut h = sig.to_le_bytes().to_vec();
            if central {
                h.extend(20u16.to_le_bytes());
            }
            h.extend(20u16.to_le_bytes());
            h.extend(0u16.to_le_bytes());
            h.extend(e.method.to_le_bytes());
            h.extend(0u16.to_le_bytes());
            h.extend(0x21u16.to_le_bytes());
            h.extend(e.crc.to_le_bytes());
            h.extend((e.data.len() as u32).to_le_bytes());
            h.extend(e.size.to_le_bytes());
            h.extend((e.name.len() as u16).to_le_bytes());
            h.extend(0u16.to_le_bytes());
            if central {
                h.extend([0u8; 6]);
                h.extend(0u32.to_le_bytes());
                h.extend(offset.to_le_bytes());
            }
            h.extend(e.name.as_bytes());
            h
        };
        out.extend(header(0x0403_4b50, false));
        out.extend(&e.data);
        central.extend(header(0x0201_4b50, true));
    }
    let cd_offset = out.len() as u32;
    out.extend(&central);
    out.extend(0x0605_4b50u32.to_le_bytes());
    out.extend([0u8; 4]);
    out.extend((entries.len() as u16).to_le_bytes());
    out.extend((entries.len() as u16).to_le_bytes());
    out.extend((central.len() as u32).to_le_bytes());
    out.extend(cd_offset.to_le_bytes());
    out.extend(0u16.to_le_bytes());
    out
}

/// Raw deflate of `1 + 258 * matches` zero bytes, written by hand in one
/// fixed-Huffman block: a literal 0, then (length 258, distance 1) over
/// and over, 13 bits per 258 bytes. 1 GB costs 6.5 MB here.
fn deflate_zeros(matches: usize) -> Vec<u8> {
    struct Bits {
        out: Vec<u8>,
        acc: u64,
        n: u32,
    }
    impl Bits {
        fn put(&mut self, value: u64, n: u32) {
            self.acc |= value << self.n;
            self.n += n;
            while self.n >= 8 {
                self.out.push(self.acc as u8);
                self.acc >>= 8;
                self.n -= 8;
            }
        }
        /// Huffman codes go most significant bit first.
        fn code(&mut self, code: u64, len: u32) {
            let reversed = (0..len).fold(0, |r, i| r | (((code >> i) & 1) << (len - 1 - i)));
            self.put(reversed, len);
        }
    }
    let mut bits = Bits {
        out: Vec::with_capacity(matches * 13 / 8 + 16),
        acc: 0,
        n: 0,
    };
    bits.put(1, 1); // BFINAL
    bits.put(1, 2); // BTYPE = fixed Huffman
    bits.code(0x30, 8); // literal 0
    for _ in 0..matches {
        bits.code(0b1100_0101, 8); // length 258 (symbol 285)
        bits.code(0, 5); // distance 1
    }
    bits.code(0, 7); // end of block
    bits.put(0, 7);
    bits.out
}

const CONTENT_TYPES: &[u8] = br#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"#;
const CORE: &[u8] = br#"<?xml version="1.0"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>Bomb Maker</dc:creator></cp:coreProperties>"#;

fn bomb_docx() -> Vec<u8> {
    let matches = (1usize << 30) / 258;
    let data = deflate_zeros(matches);
    zip(&[
        stored("[Content_Types].xml", CONTENT_TYPES),
        stored("docProps/core.xml", CORE),
        Entry {
            name: "word/document.xml".into(),
            method: 8,
            data,
            crc: 0,
            size: (1 + 258 * matches) as u32,
        },
    ])
}

#[test]
fn a_zip_bomb_is_cut_at_the_part_bound() {
    let bytes = bomb_docx();
    assert!(bytes.len() < 8 << 20, "{}", bytes.len());
    for max_part in [1u64 << 20, Options::default().max_part_bytes] {
        let options = Options {
            max_part_bytes: max_part,
            ..Options::default()
        };
        let start = Instant::now();
        let r = inspect(&bytes, Some("bomb.docx"), &options);
        let elapsed = start.elapsed();
        assert_eq!(r.kind, Kind::Ooxml);
        let too_large: Vec<_> = r
            .problems
            .iter()
            .filter(|p| p.code == "too-large")
            .collect();
        assert_eq!(too_large.len(), 1, "{:?}", r.problems);
        assert!(
            too_large[0].detail.contains("word/document.xml"),
            "{}",
            too_large[0].detail
        );
        assert!(
            too_large[0].detail.contains(&max_part.to_string()),
            "{}",
            too_large[0].detail
        );
        // The parts beside the bomb are still read.
        assert_eq!(r.metadata.author.as_deref(), Some("Bomb Maker"));
        assert!(elapsed < Duration::from_secs(60), "{elapsed:?}");
    }
}

#[test]
fn the_total_bound_stops_a_document_of_many_large_parts() {
    // docx-clean's package relationships, core.xml and app.xml take 2.1 KB
    // inflated, its settings.xml another 2.3 KB.
    let options = Options {
        max_total_bytes: 3_000,
        ..Options::default()
    };
    let r = inspect(&fixture_bytes("docx-clean.docx"), None, &options);
    let budget: Vec<_> = r
        .problems
        .iter()
        .filter(|p| p.code == "too-large")
        .collect();
    assert_eq!(budget.len(), 1, "{:?}", r.problems);
    assert!(budget[0].detail.contains("total"), "{}", budget[0].detail);
    // core.xml and app.xml came first, within the bound.
    assert_eq!(r.metadata.author.as_deref(), Some("Marie Lefèvre"));
    assert_eq!(r.metadata.app_version.as_deref(), Some("16.0000"));
    assert_eq!(r.metadata.rsid_root, None);
}

#[test]
fn too_many_entries_is_a_problem() {
    let mut entries = vec![
        stored("[Content_Types].xml", CONTENT_TYPES),
        stored("docProps/core.xml", CORE),
    ];
    for i in 0..50 {
        entries.push(stored(
            &format!("xl/worksheets/sheet{i}.xml"),
            b"<worksheet/>",
        ));
    }
    let options = Options {
        max_entries: 10,
        ..Options::default()
    };
    let r = inspect(&zip(&entries), None, &options);
    assert!(codes(&r).contains(&"too-large"), "{:?}", r.problems);
    assert_eq!(r.metadata.author.as_deref(), Some("Bomb Maker"));
}

#[test]
fn billion_laughs_are_not_expanded() {
    let start = Instant::now();
    let r = inspect(
        &fixture_bytes("docx-billion-laughs.docx"),
        None,
        &Options::default(),
    );
    assert!(start.elapsed() < Duration::from_secs(10));
    assert_eq!(codes(&r), ["xml-doctype"]);
    assert!(r.problems[0].detail.contains("docProps/core.xml"));
    // `&lol9;` is dropped, not expanded; the rest of core.xml is read.
    assert_eq!(r.metadata.author, None);
    assert_eq!(r.metadata.last_modified_by.as_deref(), Some("Plain Editor"));
    assert_eq!(r.metadata.created, Some(1_451_606_400));
}

#[test]
fn a_truncated_docx_gives_what_precedes_the_cut() {
    let r = inspect(
        &fixture_bytes("docx-truncated.docx"),
        None,
        &Options::default(),
    );
    assert_eq!(r.kind, Kind::Ooxml);
    assert_eq!(codes(&r), ["truncated"]);
    // python-docx writes docProps and document.xml before styles.xml,
    // where the file was cut.
    assert_eq!(r.metadata.author.as_deref(), Some("Marie Lefèvre"));
    assert_eq!(r.metadata.modified, Some(1_456_914_615));
    assert_eq!(r.metadata.app_version.as_deref(), Some("16.0000"));
    assert!(r.text.as_deref().unwrap_or("").starts_with("Compte rendu"));
}

#[test]
fn not_a_package() {
    let options = Options::default();
    let mut r = DocumentReport::new(Kind::Ooxml, 5);
    ooxml::read(b"hello", &options, &mut r);
    assert_eq!(codes(&r), ["malformed"]);

    let mut r = DocumentReport::new(Kind::Odf, 5);
    odf::read(b"PK\x03\x04garbage", &options, &mut r);
    assert_eq!(codes(&r), ["truncated"]);

    for bytes in [&b""[..], b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", &[0xD0; 4096]] {
        let mut r = DocumentReport::new(Kind::Ole2, bytes.len() as u64);
        ole2::read(bytes, &options, &mut r);
        assert_eq!(r.problems.len(), 1, "{:?}", r.problems);
        assert!(["truncated", "malformed"].contains(&r.problems[0].code.as_str()));
    }
}

#[test]
fn an_encrypted_odf_is_reported() {
    let manifest = br#"<?xml version="1.0"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/><manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"><manifest:encryption-data manifest:checksum-type="SHA1/1K"/></manifest:file-entry><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"><manifest:encryption-data/></manifest:file-entry></manifest:manifest>"#;
    let bytes = zip(&[
        stored("mimetype", b"application/vnd.oasis.opendocument.text"),
        stored("META-INF/manifest.xml", manifest),
        stored("meta.xml", &[0x8F; 300]),
        stored("content.xml", &[0x13; 300]),
    ]);
    let r = inspect(&bytes, None, &Options::default());
    assert_eq!(r.kind, Kind::Odf);
    assert_eq!(codes(&r), ["encrypted"], "{:?}", r.problems);
    assert!(r.problems[0].detail.contains("content.xml, meta.xml"));
}

/// Every fixture cut at many lengths and with bytes flipped at many
/// places: a problem or a partial report, never a panic, in bounded time.
#[test]
fn cut_and_corrupted_files_never_panic() {
    let start = Instant::now();
    let mut runs = 0;
    for name in [
        "docx-clean.docx",
        "xlsx-burst/budget-2007.xlsx",
        "odf-text.odt",
        "legacy-word.doc",
        "legacy-sheet.xls",
        "legacy-sheets.xls",
        "legacy-slides.ppt",
        "pptx-plan.pptx",
    ] {
        let original = fixture_bytes(name);
        let step = (original.len() / 150).max(1);
        for cut in (0..original.len()).step_by(step) {
            let r = inspect(&original[..cut], Some(name), &Options::default());
            assert!(
                !codes(&r).contains(&"reader-panicked"),
                "{name} cut at {cut}: {:?}",
                r.problems
            );
            runs += 1;
        }
        for at in (0..original.len()).step_by(step) {
            let mut bytes = original.clone();
            for b in &mut bytes[at..(at + 8).min(original.len())] {
                *b ^= 0xA5;
            }
            let r = inspect(&bytes, Some(name), &Options::default());
            assert!(
                !codes(&r).contains(&"reader-panicked"),
                "{name} corrupted at {at}: {:?}",
                r.problems
            );
            runs += 1;
        }
    }
    assert!(runs > 1500);
    assert!(
        start.elapsed() < Duration::from_secs(120),
        "{:?}",
        start.elapsed()
    );
}
