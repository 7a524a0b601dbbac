//! Attachments are items of their own, deduplicated by content across the
//! case, downloadable by hash; the names senders gave them are kept as text
//! and never become paths.

mod common;

use common::*;
use tamis_case::{CaseReader, CaseWriter};
use tamis_findings::Attachment;
use tamis_items::ContentId;

const BUDGET: &[u8] = b"%PDF-1.4 budget previsionnel mai 2017";
const PHOTO: &[u8] = b"\x89PNG\r\n\x1a\n not really a photo";

fn case_of(made: &[Made]) -> (tempfile::TempDir, CaseReader) {
    let dir = tempfile::tempdir().unwrap();
    let records: Vec<_> = made.iter().map(Made::record).collect();
    ingest(
        dir.path(),
        &params(&[std::path::Path::new("made-up")]),
        &records,
    );
    let reader = CaseReader::open(dir.path()).unwrap();
    (dir, reader)
}

#[test]
fn one_file_attached_to_two_messages_is_one_item() {
    let (dir, reader) = case_of(&[
        Made::new("a.eml", "a@example.org", "Budget").with_attachment(
            "budget.pdf",
            "application/pdf",
            BUDGET,
        ),
        Made::new("b.eml", "b@example.org", "Budget again")
            .with_attachment("budget-v2.pdf", "application/pdf", BUDGET)
            .with_attachment("photo.png", "image/png", PHOTO),
    ]);
    let overview = reader.overview().unwrap();
    assert_eq!(overview.messages, 2);
    assert_eq!(overview.attachments, 2, "the budget is stored once");

    let a = reader.message(1).unwrap().unwrap();
    let b = reader.message(2).unwrap().unwrap();
    assert_eq!(a.summary.attachments, 1);
    assert_eq!(b.summary.attachments, 2);
    let budget = ContentId::of(BUDGET).to_hex();
    assert_eq!(a.attachments[0].sha256, budget);
    assert_eq!(b.attachments[0].sha256, budget);
    assert_eq!(b.attachments[0].filename.as_deref(), Some("budget-v2.pdf"));
    assert_eq!(b.attachments[1].content_type, "image/png");
    assert_eq!(b.attachments[1].size, PHOTO.len() as u64);

    let (row, bytes) = reader.attachment(&budget).unwrap().unwrap();
    assert_eq!(bytes, BUDGET);
    assert_eq!(
        row.filename.as_deref(),
        Some("budget.pdf"),
        "its first name"
    );
    assert_eq!(row.disposition, "attachment");
    let (_, upper) = reader.attachment(&budget.to_uppercase()).unwrap().unwrap();
    assert_eq!(upper, BUDGET);

    let blobs = files_under(&dir.path().join("blobs"));
    assert_eq!(
        blobs.len(),
        2 + 2,
        "two messages and two distinct attachments"
    );
}

#[test]
fn a_hash_that_is_not_an_attachment_finds_nothing() {
    let (_dir, reader) = case_of(&[
        Made::new("a.eml", "a@example.org", "Hello").with_attachment(
            "budget.pdf",
            "application/pdf",
            BUDGET,
        ),
    ]);
    let message_sha = reader.message(1).unwrap().unwrap().summary.sha256;
    assert!(
        reader.attachment(&message_sha).unwrap().is_none(),
        "a message is not an attachment"
    );
    assert!(reader
        .attachment(&ContentId::of(b"absent").to_hex())
        .unwrap()
        .is_none());
    for hostile in [
        "../../etc/passwd",
        "",
        "zz",
        &"a".repeat(65),
        "..\\..\\case.sqlite",
    ] {
        assert!(reader.attachment(hostile).unwrap().is_none(), "{hostile:?}");
    }
}

#[test]
fn hostile_attachment_names_are_kept_as_text_and_never_become_paths() {
    let names = [
        "../../escape.txt".to_string(),
        "/etc/passwd".to_string(),
        "..".to_string(),
        "C:\\Windows\\system32\\evil.dll".to_string(),
        "nul\0byte.txt".to_string(),
        format!("{}.txt", "x".repeat(10_000)),
    ];
    let mut made = Made::new("hostile.eml", "hostile@example.org", "Names");
    for (n, name) in names.iter().enumerate() {
        made = made.with_attachment(name, "text/plain", format!("part {n}").as_bytes());
    }
    let parent = tempfile::tempdir().unwrap();
    let case = parent.path().join("case");
    ingest(
        &case,
        &params(&[std::path::Path::new("made-up")]),
        &[made.record()],
    );

    let everything = files_under(parent.path());
    for file in &everything {
        let text = file.to_string_lossy();
        let allowed = text == "case/case.sqlite"
            || text.starts_with("case/case.sqlite-")
            || text == "case/writer.lock"
            || text.starts_with("case/index/")
            || is_blob_path(&text);
        assert!(allowed, "unexpected file {text}");
    }
    let reader = CaseReader::open(&case).unwrap();
    let detail = reader.message(1).unwrap().unwrap();
    let stored: Vec<String> = detail
        .attachments
        .iter()
        .map(|a| a.filename.clone().unwrap())
        .collect();
    assert_eq!(stored, names, "kept verbatim, NUL and all");
}

/// `case/blobs/ab/cd/abcd…` with a 64-hex-digit name.
fn is_blob_path(text: &str) -> bool {
    let parts: Vec<&str> = text.split('/').collect();
    parts.len() == 5
        && parts[..2] == ["case", "blobs"]
        && parts[4].len() == 64
        && parts[4].bytes().all(|b| b.is_ascii_hexdigit())
        && parts[4].starts_with(&format!("{}{}", parts[2], parts[3]))
}

#[test]
fn an_embedded_message_is_stored_as_an_attachment_item() {
    let embedded = b"From: a@example.org\r\nSubject: forwarded\r\n\r\nhello\r\n";
    let (_dir, reader) =
        case_of(&[
            Made::new("fwd.eml", "fwd@example.org", "Fwd").with_part(Attachment {
                filename: None,
                content_type: "message/rfc822".into(),
                disposition: "embedded-message".into(),
                bytes: embedded.to_vec(),
            }),
        ]);
    let detail = reader.message(1).unwrap().unwrap();
    assert_eq!(detail.attachments[0].disposition, "embedded-message");
    let (row, bytes) = reader
        .attachment(&ContentId::of(embedded).to_hex())
        .unwrap()
        .unwrap();
    assert_eq!(bytes, embedded);
    assert_eq!(row.filename, None);
    assert_eq!(
        reader.overview().unwrap().messages,
        1,
        "not a message of the case (yet)"
    );
}

#[test]
fn an_attachment_that_is_also_a_loose_file_is_stored_once() {
    let dir = tempfile::tempdir().unwrap();
    let loose = tamis_case::IngestRecord::analyzed_file(tamis_items::Item {
        bytes: BUDGET.to_vec(),
        origin: tamis_items::Origin::file("dump/budget.pdf"),
        kind: tamis_items::ItemKind::File,
    });
    let attached = Made::new("a.eml", "a@example.org", "Budget")
        .with_attachment("budget.pdf", "application/pdf", BUDGET)
        .record();
    let mut writer = CaseWriter::open(dir.path()).unwrap();
    writer
        .begin_run(&params(&[std::path::Path::new("dump")]))
        .unwrap();
    writer.add(attached).unwrap();
    writer.add(loose).unwrap();
    let (_, counts) = writer.finish_run().unwrap();
    assert_eq!(
        (counts.messages, counts.attachments, counts.files),
        (1, 1, 1)
    );
    drop(writer);
    let reader = CaseReader::open(dir.path()).unwrap();
    let overview = reader.overview().unwrap();
    assert_eq!((overview.attachments, overview.files), (1, 1));
    assert_eq!(files_under(&dir.path().join("blobs")).len(), 2);
}
