//! PDF revisions: counts and offsets from the fixtures pypdf updated, the
//! earlier states opening as they were, hand-built updates (the catalog
//! re-pointing at new XMP, a change that is not metadata), and 10,000
//! revisions in bounded time.

use std::time::{Duration, Instant};
use tamis_docs::{inspect, DocumentReport, Finding, Options};

fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/../../fixtures/docs/pdf/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn read(bytes: &[u8]) -> DocumentReport {
    inspect(bytes, None, &Options::default())
}

fn finding<'a>(report: &'a DocumentReport, code: &str) -> Option<&'a Finding> {
    report.findings.iter().find(|f| f.code == code)
}

fn ends(report: &DocumentReport) -> Vec<u64> {
    report.revisions.iter().map(|r| r.end).collect()
}

#[test]
fn three_revisions_counted_with_their_ends() {
    let bytes = fixture("three-revisions.pdf");
    let report = read(&bytes);
    let pdf = report.pdf.as_ref().expect("pdf facts");
    assert_eq!(pdf.revisions, 3);
    let ends = ends(&report);
    assert_eq!(ends.len(), 3);
    assert_eq!(
        ends[2],
        bytes.len() as u64,
        "the last revision is the file itself"
    );
    for end in &ends[..2] {
        let cut = &bytes[..*end as usize];
        assert!(
            cut.ends_with(b"%%EOF\n"),
            "revision ends after its %%EOF line"
        );
    }
    assert_eq!(
        report
            .revisions
            .iter()
            .map(|r| r.number)
            .collect::<Vec<_>>(),
        [1, 2, 3]
    );

    let found = finding(&report, "pdf-revisions").expect("pdf-revisions");
    assert_eq!(found.evidence["revisions"], "3");
    let listed: Vec<String> = ends.iter().map(u64::to_string).collect();
    assert_eq!(found.evidence["ends"], listed.join(", "));
    // The last update rewrote the page: not a metadata-only update.
    assert!(finding(&report, "pdf-metadata-only-update").is_none());
    assert!(!pdf.metadata_only_last_update);
    assert!(report
        .text
        .as_deref()
        .unwrap_or("")
        .contains("Amount: 100,000 EUR"));
}

#[test]
fn earlier_revisions_open_as_they_were() {
    let bytes = fixture("three-revisions.pdf");
    let report = read(&bytes);
    let texts: Vec<String> = report
        .revisions
        .iter()
        .map(|r| {
            let earlier = read(&bytes[..r.end as usize]);
            assert!(
                earlier.problems.is_empty(),
                "revision {}: {:?}",
                r.number,
                earlier.problems
            );
            assert_eq!(earlier.pdf.as_ref().map(|p| p.revisions), Some(r.number));
            earlier.text.unwrap_or_default()
        })
        .collect();
    assert!(texts[0].contains("Amount: 1,000 EUR"), "{}", texts[0]);
    assert!(texts[0].contains("Beneficiary: FR76 1111"));
    assert!(texts[1].contains("Amount: 10,000 EUR"), "{}", texts[1]);
    assert!(texts[2].contains("Amount: 100,000 EUR") && texts[2].contains("CY17 2222"));
    // Words in order, one line per shown line.
    assert_eq!(
        texts[0].trim(),
        "Payment order\nAmount: 1,000 EUR\nBeneficiary: FR76 1111"
    );
    // The original had no later ModDate: each update set its own.
    let first = read(&bytes[..report.revisions[0].end as usize]);
    assert_eq!(
        first.metadata.raw["PDF Info /ModDate"],
        "D:20210301090000+01'00'"
    );
    assert_eq!(
        report.metadata.raw["PDF Info /ModDate"],
        "D:20210303110000+01'00'"
    );
}

#[test]
fn update_cut_short_is_truncated_and_the_last_whole_revision_stands() {
    let bytes = fixture("three-revisions.pdf");
    let full = read(&bytes);
    let second_end = full.revisions[1].end as usize;
    // Half of the third update: its objects but no %%EOF.
    let cut = &bytes[..second_end + (bytes.len() - second_end) / 2];
    let report = read(cut);
    assert_eq!(report.pdf.as_ref().map(|p| p.revisions), Some(2));
    assert_eq!(ends(&report), [full.revisions[0].end, second_end as u64]);
    assert!(
        report.problems.iter().any(|p| p.code == "truncated"),
        "{:?}",
        report.problems
    );
}

#[test]
fn trailing_garbage_after_the_last_eof_is_part_of_the_file() {
    let mut bytes = fixture("clean.pdf");
    bytes.extend_from_slice(b"\r\n\0\0 some junk a mail gateway added\n");
    let report = read(&bytes);
    assert_eq!(report.pdf.as_ref().map(|p| p.revisions), Some(1));
    assert_eq!(ends(&report), [bytes.len() as u64]);
    assert!(!report.problems.iter().any(|p| p.code == "truncated"));
    assert!(finding(&report, "pdf-revisions").is_none());
}

#[test]
fn linearized_file_is_one_revision() {
    let bytes = fixture("linearized.pdf");
    // qpdf wrote two markers: the first-page trailer's `startxref 0`, and the end.
    assert_eq!(bytes.windows(5).filter(|w| w == b"%%EOF").count(), 2);
    let report = read(&bytes);
    assert_eq!(report.pdf.as_ref().map(|p| p.revisions), Some(1));
    assert!(finding(&report, "pdf-revisions").is_none());
    assert!(report.problems.is_empty(), "{:?}", report.problems);
}

/// A PDF written by hand, objects numbered from 1, with a classic
/// cross-reference table: enough to append updates to by bytes.
struct Builder {
    bytes: Vec<u8>,
    last_xref: usize,
    size: u32,
}

impl Builder {
    fn new(objects: &[&[u8]]) -> Self {
        let mut bytes = b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n".to_vec();
        let mut offsets = Vec::new();
        for (i, body) in objects.iter().enumerate() {
            offsets.push(bytes.len());
            bytes.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
            bytes.extend_from_slice(body);
            bytes.extend_from_slice(b"\nendobj\n");
        }
        let xref = bytes.len();
        let size = objects.len() as u32 + 1;
        bytes.extend_from_slice(format!("xref\n0 {size}\n0000000000 65535 f \n").as_bytes());
        for offset in offsets {
            bytes.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
        }
        bytes.extend_from_slice(
            format!(
                "trailer\n<< /Size {size} /Root 1 0 R /Info 6 0 R >>\nstartxref\n{xref}\n%%EOF\n"
            )
            .as_bytes(),
        );
        Builder {
            bytes,
            last_xref: xref,
            size,
        }
    }

    /// Appends an update rewriting or adding `objects` (number, body).
    fn update(&mut self, objects: &[(u32, &[u8])]) {
        self.update_freeing(objects, &[]);
    }

    /// The same, also marking `freed` objects free (deleted).
    fn update_freeing(&mut self, objects: &[(u32, &[u8])], freed: &[u32]) {
        let mut entries = Vec::new();
        for (number, body) in objects {
            entries.push((*number, self.bytes.len()));
            self.bytes
                .extend_from_slice(format!("{number} 0 obj\n").as_bytes());
            self.bytes.extend_from_slice(body);
            self.bytes.extend_from_slice(b"\nendobj\n");
            self.size = self.size.max(number + 1);
        }
        let xref = self.bytes.len();
        self.bytes
            .extend_from_slice(b"xref\n0 1\n0000000000 65535 f \n");
        for (number, offset) in entries {
            self.bytes
                .extend_from_slice(format!("{number} 1\n{offset:010} 00000 n \n").as_bytes());
        }
        for number in freed {
            self.bytes
                .extend_from_slice(format!("{number} 1\n0000000000 00001 f \n").as_bytes());
        }
        self.bytes.extend_from_slice(
            format!(
                "trailer\n<< /Size {} /Root 1 0 R /Info 6 0 R /Prev {} >>\nstartxref\n{xref}\n%%EOF\n",
                self.size, self.last_xref
            )
            .as_bytes(),
        );
        self.last_xref = xref;
    }
}

fn base() -> Builder {
    let content = b"BT /F1 12 Tf 72 720 Td (Hello) Tj 0 -20 Td (world) Tj ET";
    let stream = [
        format!("<< /Length {} >>\nstream\n", content.len()).as_bytes(),
        content,
        b"\nendstream",
    ]
    .concat();
    Builder::new(&[
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        &stream,
        b"<< /Author (Alice) /CreationDate (D:20200101000000Z) >>",
    ])
}

fn xmp_stream(creator: &str) -> Vec<u8> {
    let packet = format!(
        r#"<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator><rdf:Seq><rdf:li>{creator}</rdf:li></rdf:Seq></dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>"#
    );
    [
        format!(
            "<< /Type /Metadata /Subtype /XML /Length {} >>\nstream\n",
            packet.len()
        )
        .as_bytes(),
        packet.as_bytes(),
        b"\nendstream",
    ]
    .concat()
}

#[test]
fn hand_built_base_reads() {
    let report = read(&base().bytes);
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    assert_eq!(report.metadata.author.as_deref(), Some("Alice"));
    assert_eq!(report.text.as_deref().map(str::trim), Some("Hello world"));
}

#[test]
fn catalog_repointing_at_new_xmp_is_a_metadata_only_update() {
    let mut pdf = base();
    // The catalog gains /Metadata and nothing else; the XMP is new.
    pdf.update(&[
        (1, b"<< /Type /Catalog /Pages 2 0 R /Metadata 7 0 R >>"),
        (7, &xmp_stream("Mallory")),
    ]);
    let report = read(&pdf.bytes);
    let found = finding(&report, "pdf-metadata-only-update").expect("metadata-only update");
    assert_eq!(
        found.evidence["objects"],
        "1 0 (catalog); 7 0 (XMP metadata stream)"
    );
    assert_eq!(found.evidence["XMP dc:creator before"], "(absent)");
    assert_eq!(found.evidence["XMP dc:creator after"], "Mallory");
    assert_eq!(found.evidence["revision"], "2");
    assert!(report
        .pdf
        .as_ref()
        .is_some_and(|p| p.metadata_only_last_update));
    // Info says Alice, XMP now says Mallory.
    let disagree = finding(&report, "metadata-disagrees").expect("Info and XMP disagree");
    assert_eq!(disagree.evidence["fields"], "author");
    assert!(finding(&report, "dates-inconsistent").is_none());
}

#[test]
fn catalog_change_beyond_metadata_is_not_metadata_only() {
    let mut pdf = base();
    pdf.update(&[
        (
            1,
            b"<< /Type /Catalog /Pages 2 0 R /Metadata 7 0 R /OpenAction [3 0 R /Fit] >>",
        ),
        (7, &xmp_stream("Mallory")),
    ]);
    let report = read(&pdf.bytes);
    assert_eq!(report.pdf.as_ref().map(|p| p.revisions), Some(2));
    assert!(finding(&report, "pdf-metadata-only-update").is_none());
}

#[test]
fn info_and_page_change_is_not_metadata_only() {
    let mut pdf = base();
    pdf.update(&[
        (6, b"<< /Author (Mallory) >>"),
        (3, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>"),
    ]);
    let report = read(&pdf.bytes);
    assert!(finding(&report, "pdf-metadata-only-update").is_none());
    assert_eq!(report.metadata.author.as_deref(), Some("Mallory"));
}

#[test]
fn deleting_an_object_is_not_metadata_only() {
    let mut pdf = base();
    // Rewrites the Info, and frees object 5 (the page's content).
    pdf.update_freeing(&[(6, b"<< /Author (Mallory) >>")], &[5]);
    let report = read(&pdf.bytes);
    assert_eq!(report.pdf.as_ref().map(|p| p.revisions), Some(2));
    assert!(
        finding(&report, "pdf-metadata-only-update").is_none(),
        "{:?}",
        report.findings
    );
}

#[test]
fn ten_thousand_revisions_in_bounded_time() {
    let mut pdf = base();
    for i in 0..10_000 {
        let body = format!("<< /Author (editor {i}) /CreationDate (D:20200101000000Z) >>");
        pdf.update(&[(6, body.as_bytes())]);
    }
    let bytes = pdf.bytes;
    let options = Options::default();
    let started = Instant::now();
    let report = inspect(&bytes, None, &options);
    let took = started.elapsed();
    let pdf = report.pdf.as_ref().expect("pdf facts");
    assert_eq!(
        pdf.revisions, 10_001,
        "the count is exact past the listing bound"
    );
    assert_eq!(report.revisions.len(), options.max_revisions);
    assert_eq!(report.revisions[0].number, 1);
    let last = report.revisions.last().map(|r| (r.number, r.end));
    assert_eq!(last, Some((10_001, bytes.len() as u64)));
    let found = finding(&report, "pdf-revisions").expect("pdf-revisions");
    assert_eq!(found.evidence["revisions"], "10001");
    assert!(
        found.evidence["listed"].starts_with("1000 of 10001"),
        "{}",
        found.evidence["listed"]
    );
    assert_eq!(report.metadata.author.as_deref(), Some("editor 9999"));
    assert!(pdf.metadata_only_last_update);
    // Debug build on a shared machine: generous, but far below what a
    // quadratic walk of 10,000 sections would take.
    assert!(took < Duration::from_secs(20), "took {took:?}");
    eprintln!("10,001 revisions ({} bytes) read in {took:?}", bytes.len());
}
