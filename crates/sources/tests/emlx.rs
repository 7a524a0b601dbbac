//! Apple Mail `.emlx` files, from the committed Mail folder that
//! fixtures/emlx/make-emlx-fixtures.py builds out of the sample dump: each
//! message comes out byte for byte as its source stored it (LF as Mail
//! stores it, or its original CRLF), damaged files are reported with their
//! code, and an `.emlx` is read the same inside an archive.

mod common;

use std::io::Read;
use std::path::{Path, PathBuf};

use common::*;
use tamis_items::ItemKind;
use tamis_sources::Limits;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn fixtures() -> PathBuf {
    repo().join("fixtures/emlx")
}

/// Rows of fixtures/emlx/expected.tsv: FILE SOURCE STORED EXPECT.
fn expected() -> Vec<[String; 4]> {
    std::fs::read_to_string(fixtures().join("expected.tsv"))
        .unwrap()
        .lines()
        .skip(1)
        .map(|line| {
            let cells: Vec<String> = line.split('\t').map(str::to_string).collect();
            cells.try_into().unwrap()
        })
        .collect()
}

/// The bytes of a message of examples/sample-dump, read with no tamis code.
fn source(location: &str) -> Vec<u8> {
    let dump = repo().join("examples/sample-dump");
    match location.split_once('!') {
        Some((zip, entry)) => {
            let file = std::fs::File::open(dump.join(zip)).unwrap();
            let mut archive = zip::ZipArchive::new(file).unwrap();
            let mut bytes = Vec::new();
            archive
                .by_name(entry)
                .unwrap()
                .read_to_end(&mut bytes)
                .unwrap();
            bytes
        }
        None => std::fs::read(dump.join(location)).unwrap(),
    }
}

fn lf(bytes: &[u8]) -> Vec<u8> {
    String::from_utf8(bytes.to_vec())
        .unwrap()
        .replace("\r\n", "\n")
        .into_bytes()
}

#[test]
fn every_emlx_message_is_its_original_bytes() {
    let root = fixtures().join("Mailboxes");
    let run = run_one(&root);
    let rows = expected();
    let mut messages = 0;
    for [file, location, stored, expect] in &rows {
        let path = fixtures().join(file).to_string_lossy().into_owned();
        let items: Vec<_> = run
            .items
            .iter()
            .filter(|i| i.origin.to_string() == path)
            .collect();
        let reported: Vec<_> = run
            .unreadable
            .iter()
            .filter(|u| u.origin.to_string() == path)
            .collect();
        if let Some(code) = expect.strip_prefix("unreadable:") {
            assert!(items.is_empty(), "{file}: nothing of it is analyzed");
            assert_eq!(reported.len(), 1, "{file}: {:?}", run.log);
            assert_eq!(reported[0].code, code, "{file}: {}", reported[0].reason);
            assert!(reported[0].origin.entries.is_empty());
            continue;
        }
        assert!(reported.is_empty(), "{file}: {reported:?}");
        assert_eq!(items.len(), 1, "{file}: {:?}", run.log);
        let item = items[0];
        if expect == "file" {
            assert_eq!(item.kind, ItemKind::File, "{file}");
            continue;
        }
        messages += 1;
        // A partial download is not the message as sent: rebuilt.
        let kind = if file.ends_with(".partial.emlx") {
            ItemKind::RebuiltMessage
        } else {
            ItemKind::Message
        };
        assert_eq!(item.kind, kind, "{file}");
        assert_eq!(item.origin.offset, None, "{file}: the file's own origin");
        assert!(item.origin.entries.is_empty(), "{file}");
        // The bytes between the count line and the plist, cut here by hand.
        let whole = std::fs::read(fixtures().join(file)).unwrap();
        let count_end = whole.iter().position(|&b| b == b'\n').unwrap();
        let count: usize = std::str::from_utf8(&whole[..count_end])
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        let slice = &whole[count_end + 1..count_end + 1 + count];
        assert_eq!(item.bytes, slice, "{file}: the slice, byte for byte");
        assert!(whole[count_end + 1 + count..].starts_with(b"<?xml version=\"1.0\""));
        let original = source(location);
        if expect == "source" {
            match stored.as_str() {
                "lf" => {
                    assert_eq!(item.bytes, lf(&original), "{file}: Mail's LF copy");
                    assert!(!item.bytes.contains(&b'\r'), "{file}");
                }
                "crlf" => assert_eq!(item.bytes, original, "{file}: the original CRLF bytes"),
                other => panic!("{file}: STORED {other}"),
            }
        } else {
            // The partial message: the source less its attachment's body.
            assert!(file.ends_with(".partial.emlx"), "{file}");
            let text = String::from_utf8(item.bytes.clone()).unwrap();
            assert!(text.contains("\nX-Apple-Content-Length: "), "{file}");
            assert!(item.bytes.len() < original.len(), "{file}");
        }
    }
    assert_eq!(messages, 9, "8 whole messages and one partial");
    assert_eq!(run.stats.messages, 8);
    assert_eq!(run.stats.rebuilt_messages, 1);
    assert_eq!(run.stats.file_items, 1, "the .emlxpart");
    assert_eq!(run.unreadable.len(), 2, "{:?}", run.log);
    assert_eq!(run.items.len() + run.unreadable.len(), rows.len());
}

#[test]
fn truncated_and_converted_files_say_why() {
    let messages = fixtures().join("Mailboxes/INBOX.mbox/Messages");
    let run = run(
        &[messages.join("108.emlx"), messages.join("109.emlx")],
        Limits::default(),
    );
    assert!(run.items.is_empty());
    let codes: Vec<_> = run.unreadable.iter().map(|u| u.code.as_str()).collect();
    assert_eq!(codes, ["emlx-truncated", "emlx-count-mismatch"]);
    let truncated = &run.unreadable[0].reason;
    assert!(
        truncated.contains("declares a message of 1047 bytes but the file ends 628 bytes into it"),
        "{truncated}"
    );
    assert!(run.unreadable[1]
        .reason
        .contains("not the start of Mail's plist"));
}

#[test]
fn an_absurd_count_is_too_large_and_nothing_is_read_past_it() {
    let dir = tempfile::tempdir().unwrap();
    let message = message(1);
    let huge = [b"999999999999\n".as_slice(), &message].concat();
    let path = write(dir.path(), "1.emlx", &huge);
    let run = run_one(&path);
    assert!(run.items.is_empty());
    assert_eq!(
        run.codes(),
        [("item-too-large".into(), path.to_string_lossy().into())]
    );
    // Under a smaller item limit, a real count is too large too.
    let file = std::fs::read(fixtures().join("Mailboxes/INBOX.mbox/Messages/101.emlx")).unwrap();
    let path = write(dir.path(), "101.emlx", &file);
    let limits = Limits {
        max_item_bytes: 100,
        ..Limits::default()
    };
    let run = run_with(&path, limits);
    assert_eq!(run.unreadable[0].code, "item-too-large");
    assert!(run.unreadable[0]
        .reason
        .contains("EMLX message of 1087 bytes"));
}

#[test]
fn emlx_inside_archives_reads_the_same() {
    let messages = fixtures().join("Mailboxes/INBOX.mbox/Messages");
    let files: Vec<(String, Vec<u8>)> = ["101.emlx", "104.emlx", "108.emlx"]
        .iter()
        .map(|name| {
            (
                name.to_string(),
                std::fs::read(messages.join(name)).unwrap(),
            )
        })
        .collect();
    let entries: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(name, bytes)| (name.as_str(), bytes.as_slice()))
        .collect();
    let direct = run(
        &entries
            .iter()
            .map(|(n, _)| messages.join(n))
            .collect::<Vec<_>>(),
        Limits::default(),
    );
    let dir = tempfile::tempdir().unwrap();
    for (name, archive) in [
        ("mail.zip", zip_of(&entries)),
        ("mail.tar.gz", gzip(&tar_of(&entries))),
    ] {
        let path = write(dir.path(), name, &archive);
        let nested = run_one(&path);
        let bytes = |r: &Run| r.items.iter().map(|i| i.bytes.clone()).collect::<Vec<_>>();
        assert_eq!(bytes(&nested), bytes(&direct), "{name}");
        assert_eq!(kinds(&nested), [ItemKind::Message, ItemKind::Message]);
        let codes: Vec<_> = nested.unreadable.iter().map(|u| u.code.as_str()).collect();
        assert_eq!(codes, ["emlx-truncated"], "{name}");
        assert!(nested.unreadable[0]
            .origin
            .to_string()
            .ends_with("108.emlx"));
    }
}

#[test]
fn a_renamed_emlx_is_still_one() {
    // Leaks lose names: the count line and a header after it decide.
    let dir = tempfile::tempdir().unwrap();
    let file = std::fs::read(fixtures().join("Mailboxes/INBOX.mbox/Messages/102.emlx")).unwrap();
    let path = write(dir.path(), "message 12", &file);
    let run = run_one(&path);
    assert_eq!(kinds(&run), [ItemKind::Message]);
    assert!(run.items[0].bytes.starts_with(b"DKIM-Signature: "));
    assert!(!run.items[0].bytes.windows(5).any(|w| w == b"<?xml"));
}
