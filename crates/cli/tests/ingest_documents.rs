//! Issue 4 in a case: `tamis ingest` reads every attachment and loose file
//! with the document analyzer, keeps each PDF revision as an item a reader
//! can download, finds the MacronLeaks edit burst across files, and makes
//! attachment text searchable.

mod common;

use common::*;
use std::path::Path;
use tamis_case::CaseReader;

const PDF: &str = "fixtures/docs/pdf/three-revisions.pdf";
const BURST: &str = "fixtures/docs/office/xlsx-burst";

/// A message carrying `attachment` as a base64 PDF part.
fn message_with_pdf(attachment: &[u8]) -> String {
    use base64::Engine;
    let encoded = base64::engine::general_purpose::STANDARD.encode(attachment);
    let lines: Vec<&str> = encoded
        .as_bytes()
        .chunks(76)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect();
    format!(
        "From: Alice <alice@example.org>\r\nTo: Bob <bob@example.org>\r\nSubject: Le rapport\r\n\
         Date: Thu, 27 Apr 2017 16:20:00 +0000\r\nMessage-ID: <rapport@example.org>\r\n\
         MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n\
         --b\r\nContent-Type: text/plain\r\n\r\nCi-joint.\r\n\
         --b\r\nContent-Type: application/pdf; name=\"rapport.pdf\"\r\n\
         Content-Disposition: attachment; filename=\"rapport.pdf\"\r\n\
         Content-Transfer-Encoding: base64\r\n\r\n{}\r\n--b--\r\n",
        lines.join("\r\n")
    )
}

fn ingest(case: &Path, paths: &[&Path]) {
    let mut args = vec!["ingest".to_string()];
    args.extend(paths.iter().map(|p| p.display().to_string()));
    args.extend(["--case".into(), case.display().to_string()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let output = tamis(&args);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn attachments_and_loose_files_are_inspected_revisions_kept_and_bursts_found() {
    let dir = tempfile::tempdir().unwrap();
    let dump = dir.path().join("dump");
    std::fs::create_dir_all(&dump).unwrap();
    let pdf = std::fs::read(repo().join(PDF)).unwrap();
    std::fs::write(dump.join("rapport.eml"), message_with_pdf(&pdf)).unwrap();
    let case = dir.path().join("case");
    ingest(&case, &[&dump, &repo().join(BURST)]);

    let reader = CaseReader::open(&case).unwrap();
    let hit = reader
        .search(&tamis_search::Query {
            text: "subject:rapport".into(),
            limit: 20,
            ..tamis_search::Query::default()
        })
        .unwrap();
    let id = hit.hits[0].message.as_ref().expect("a message").id;
    let detail = reader.message(id).unwrap().unwrap();
    let attachment = &detail.attachments[0];
    let document = attachment.document.as_ref().expect("the PDF was inspected");
    assert_eq!(document.pdf.as_ref().map(|p| p.revisions), Some(3));
    assert!(document.findings.iter().any(|f| f.code == "pdf-revisions"));

    // The two earlier states are items of their own, downloadable, each a
    // prefix of the final file.
    assert_eq!(attachment.revisions.len(), 2);
    for revision in &attachment.revisions {
        let (row, bytes) = reader
            .attachment(&revision.sha256)
            .unwrap()
            .expect("served");
        assert!(
            pdf.starts_with(&bytes),
            "revision {} is a prefix",
            revision.number
        );
        assert!(bytes.len() < pdf.len());
        assert!(row.filename.unwrap().contains("(revision"));
    }

    // The loose xlsx files: the Cyrillic editor's four-minute burst.
    let overview = reader.overview().unwrap();
    let codes: Vec<&str> = overview
        .document_findings
        .iter()
        .map(|f| f.code.as_str())
        .collect();
    assert!(codes.contains(&"edit-burst"), "{codes:?}");
    assert!(codes.contains(&"editor-script-mismatch"), "{codes:?}");
    let burst = overview
        .document_findings
        .iter()
        .find(|f| f.code == "edit-burst")
        .unwrap();
    assert_eq!(burst.documents.len(), 6, "{:?}", burst.documents);

    // Each loose file has its own reading, and downloads by its id under
    // its own file name, never a path.
    assert_eq!(overview.loose_documents.len(), 9);
    let loose = overview
        .loose_documents
        .iter()
        .find(|d| d.location.ends_with("budget-2007.xlsx"))
        .expect("listed");
    assert_eq!(
        loose.document.metadata.last_modified_by.as_deref(),
        Some("Рошка Георгий Петрович")
    );
    let (row, bytes) = reader.attachment(&loose.sha256).unwrap().expect("served");
    assert_eq!(row.filename.as_deref(), Some("budget-2007.xlsx"));
    assert_eq!(
        bytes,
        std::fs::read(repo().join(BURST).join("budget-2007.xlsx")).unwrap()
    );

    // What the PDF says is searched with the message that carries it.
    let text = document_text_word(&reader, id);
    let found = reader
        .search(&tamis_search::Query {
            text: text.clone(),
            limit: 20,
            ..tamis_search::Query::default()
        })
        .unwrap();
    assert!(
        found
            .hits
            .iter()
            .any(|h| h.message.as_ref().is_some_and(|m| m.id == id)),
        "searching {text:?} finds the message"
    );

    // Loose documents are searched on their own: by editor…
    let by_editor = reader
        .search(&tamis_search::Query {
            text: "from:рошка".into(),
            limit: 20,
            ..tamis_search::Query::default()
        })
        .unwrap();
    let names: Vec<&str> = by_editor
        .hits
        .iter()
        .map(|h| {
            assert_eq!(h.kind, tamis_search::DocKind::Document);
            h.document.as_ref().expect("a document").name.as_str()
        })
        .collect();
    assert!(names.contains(&"budget-2007.xlsx"), "{names:?}");
    assert_eq!(
        by_editor.facets["kind"]
            .iter()
            .map(|c| (c.key.as_str(), c.count))
            .collect::<Vec<_>>(),
        [("document", by_editor.total)]
    );
    // …and by what they say.
    let (sha256, word) = loose_document_word(&reader);
    let found = reader
        .search(&tamis_search::Query {
            text: word.clone(),
            kind: vec!["document".into()],
            limit: 20,
            ..tamis_search::Query::default()
        })
        .unwrap();
    assert!(
        found
            .hits
            .iter()
            .any(|h| h.document.as_ref().is_some_and(|d| d.sha256 == sha256)),
        "searching {word:?} finds the loose document"
    );

    // The document page says where it was found and what was read.
    let page = reader.document(&sha256).unwrap().expect("a document page");
    assert!(!page.locations.is_empty());
    assert!(page.messages.is_empty(), "found on its own only");
    assert!(reader.document(&"0".repeat(64)).unwrap().is_none());
    let attached = reader
        .document(&attachment_sha256(&reader, id))
        .unwrap()
        .unwrap();
    assert_eq!(attached.messages.len(), 1);
    assert_eq!(attached.messages[0].id, id);
    assert_eq!(attached.revisions.len(), 2);
}

/// The SHA-256 of the message's first attachment.
fn attachment_sha256(reader: &CaseReader, id: i64) -> String {
    reader.message(id).unwrap().unwrap().attachments[0]
        .sha256
        .clone()
}

/// A loose document with text, and a distinctive word of it, read from the case.
fn loose_document_word(reader: &CaseReader) -> (String, String) {
    let conn = rusqlite::Connection::open(reader.dir().join("case.sqlite")).unwrap();
    let (sha256, text): (String, String) = conn
        .query_row(
            "SELECT i.sha256, d.text FROM documents d JOIN items i ON i.id = d.item_id
             WHERE d.text IS NOT NULL AND length(d.text) > 20 AND EXISTS
                (SELECT 1 FROM origins o WHERE o.item_id = d.item_id AND o.found_as = 'file')
             ORDER BY d.item_id LIMIT 1",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .unwrap();
    let word = last_long_word(&text, 5);
    (sha256, word)
}

/// A distinctive word of the PDF's extracted text, read from the case.
fn document_text_word(reader: &CaseReader, id: i64) -> String {
    let conn = rusqlite::Connection::open(reader.dir().join("case.sqlite")).unwrap();
    let text: String = conn
        .query_row(
            "SELECT d.text FROM documents d JOIN attachments a ON a.item_id = d.item_id
             WHERE a.message_id = ?1",
            [id],
            |row| row.get(0),
        )
        .unwrap();
    last_long_word(&text, 6)
}

/// The last word of `text` of at least `min_len` bytes, all letters,
/// lowercased: distinctive enough to search for.
fn last_long_word(text: &str, min_len: usize) -> String {
    text.split_whitespace()
        .rfind(|w| w.len() >= min_len && w.chars().all(char::is_alphabetic))
        .expect("the document has words")
        .to_lowercase()
}
