//! The Info dictionary against the XMP packet, on hand-built PDFs:
//! `metadata-disagrees` for the author, title, creator tool and producer,
//! `dates-inconsistent` for the dates, and nothing for differences of
//! case, spacing, punctuation or XMP's list formatting.

mod common;

use tamis_docs::{inspect, DocumentReport, Finding, Options};

/// One empty page, an Info dictionary (`info`: its entries) and an XMP
/// packet whose `rdf:Description` holds `description` (attributes and
/// elements, namespaces declared).
fn pdf(info: &str, description: &str) -> Vec<u8> {
    let packet = format!(
        r#"<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/" {description}</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>"#
    );
    let xmp = [
        format!(
            "<< /Type /Metadata /Subtype /XML /Length {} >>\nstream\n",
            packet.len()
        )
        .as_bytes(),
        packet.as_bytes(),
        b"\nendstream",
    ]
    .concat();
    let objects: [Vec<u8>; 5] = [
        b"<< /Type /Catalog /Pages 2 0 R /Metadata 5 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>".to_vec(),
        format!("<< {info} >>").into_bytes(),
        xmp,
    ];
    common::pdf(&objects, Some(4))
}

fn read(info: &str, description: &str) -> DocumentReport {
    let report = inspect(&pdf(info, description), None, &Options::default());
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    report
}

fn finding<'a>(report: &'a DocumentReport, code: &str) -> Option<&'a Finding> {
    report.findings.iter().find(|f| f.code == code)
}

fn codes(report: &DocumentReport) -> Vec<&str> {
    report.findings.iter().map(|f| f.code.as_str()).collect()
}

#[test]
fn the_same_values_written_differently_agree() {
    let report = read(
        "/Author (Martin, Alice; Bob  Stone) /Title (Rapport) \
         /Creator (Microsoft\\256 Word 2016) /Producer (Microsoft\\256 Word 2016) \
         /CreationDate (D:20160101120000Z) /ModDate (D:20160102120000+01'00')",
        r#"xmp:CreatorTool="microsoft word 2016" pdf:Producer="Microsoft® Word  2016"
           xmp:CreateDate="2016-01-01T12:00:00Z" xmp:ModifyDate="2016-01-02T11:00:00Z">
           <dc:creator><rdf:Seq><rdf:li>bob stone</rdf:li><rdf:li>Martin, Alice</rdf:li></rdf:Seq></dc:creator>
           <dc:title><rdf:Alt><rdf:li xml:lang="x-default">Rapport</rdf:li><rdf:li xml:lang="en">Report</rdf:li></rdf:Alt></dc:title>"#,
    );
    assert_eq!(
        report.metadata.producer.as_deref(),
        Some("Microsoft® Word 2016")
    );
    assert!(report.findings.is_empty(), "{:?}", report.findings);
}

#[test]
fn an_empty_value_on_one_side_is_not_a_disagreement() {
    let report = read(
        "/Author () /Title (Budget)",
        r#"><dc:creator><rdf:Seq><rdf:li>Alice Martin</rdf:li></rdf:Seq></dc:creator>"#,
    );
    assert!(report.findings.is_empty(), "{:?}", report.findings);
}

#[test]
fn only_the_author_differs() {
    let report = read(
        "/Author (Jean Dupont) /CreationDate (D:20180601080000Z)",
        r#"xmp:CreateDate="2018-06-01T08:00:00Z"><dc:creator><rdf:Seq><rdf:li>Alice Martin</rdf:li></rdf:Seq></dc:creator>"#,
    );
    assert_eq!(codes(&report), ["metadata-disagrees"]);
    let f = finding(&report, "metadata-disagrees").expect("metadata-disagrees");
    assert_eq!(f.evidence["fields"], "author");
    assert_eq!(f.evidence["PDF Info /Author"], "Jean Dupont");
    assert_eq!(f.evidence["XMP dc:creator"], "Alice Martin");
}

#[test]
fn title_creator_tool_and_producer_are_compared() {
    let report = read(
        "/Title (Contrat) /Creator (Writer) /Producer (LibreOffice 7.4)",
        r#"xmp:CreatorTool="Acrobat PDFMaker 11 for Word" pdf:Producer="Adobe PDF Library 11.0">
           <dc:title><rdf:Alt><rdf:li xml:lang="x-default">Contrat de vente</rdf:li></rdf:Alt></dc:title>"#,
    );
    assert_eq!(codes(&report), ["metadata-disagrees"]);
    let f = &report.findings[0];
    assert_eq!(f.evidence["fields"], "title, creator tool, producer");
    assert_eq!(f.evidence["PDF Info /Title"], "Contrat");
    assert_eq!(f.evidence["XMP dc:title"], "Contrat de vente");
    assert_eq!(f.evidence["PDF Info /Creator"], "Writer");
    assert_eq!(
        f.evidence["XMP xmp:CreatorTool"],
        "Acrobat PDFMaker 11 for Word"
    );
    assert_eq!(f.evidence["PDF Info /Producer"], "LibreOffice 7.4");
    assert_eq!(f.evidence["XMP pdf:Producer"], "Adobe PDF Library 11.0");
}

#[test]
fn dates_and_names_disagreeing_are_two_findings() {
    let report = read(
        "/Producer (GPL Ghostscript 9.26) /ModDate (D:20190301091500Z)",
        r#"pdf:Producer="Adobe PDF Library 15.0" xmp:ModifyDate="2016-05-10T08:00:00Z">"#,
    );
    assert_eq!(codes(&report), ["dates-inconsistent", "metadata-disagrees"]);
    let dates = finding(&report, "dates-inconsistent").expect("dates-inconsistent");
    assert_eq!(dates.evidence["fields"], "modification date");
    assert!(!dates.evidence.contains_key("PDF Info /Producer"));
    let names = finding(&report, "metadata-disagrees").expect("metadata-disagrees");
    assert_eq!(names.evidence["fields"], "producer");
    assert!(!names.evidence.contains_key("PDF Info /ModDate"));
}
