//! Google Takeout's Gmail mbox, from the committed export that
//! fixtures/takeout/make-takeout-fixture.py builds out of the sample dump:
//! CRLF separator lines and messages, X-GM-THRID and X-Gmail-Labels at the
//! top of each header, mboxrd `>From ` escaping left as stored (undoing it
//! is the analyzer's reported repair). Each message is cut exactly.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use tamis_items::ItemKind;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/takeout")
}

/// Rows of fixtures/takeout/expected.tsv: FILE OFFSET SOURCE THRID
/// LABELS_FIELD LABELS.
fn expected() -> Vec<Vec<String>> {
    std::fs::read_to_string(fixtures().join("expected.tsv"))
        .unwrap()
        .lines()
        .skip(1)
        .map(|line| line.split('\t').map(str::to_string).collect())
        .collect()
}

/// The message at `offset` of an mbox, cut by hand: after its separator
/// line, up to the CRLF empty line before the next separator (or the end).
fn cut_by_hand(mbox: &[u8], offset: usize, next: Option<usize>) -> &[u8] {
    let start = offset + mbox[offset..].iter().position(|&b| b == b'\n').unwrap() + 1;
    let end = next.unwrap_or(mbox.len());
    assert_eq!(
        &mbox[end - 2..end],
        b"\r\n",
        "an empty line ends each message"
    );
    &mbox[start..end - 2]
}

#[test]
fn takeout_mboxes_are_cut_into_their_exact_messages() {
    let run = run_one(&fixtures().join("Takeout"));
    assert!(run.unreadable.is_empty(), "{:?}", run.log);
    let rows = expected();
    assert_eq!(rows.len(), 7);
    assert_eq!(run.items.len(), 7, "{:?}", run.log);
    assert_eq!(run.stats.mbox_messages, 7);
    for (i, row) in rows.iter().enumerate() {
        let (file, offset, thrid, field) = (&row[0], &row[1], &row[3], &row[4]);
        let offset: usize = offset.parse().unwrap();
        let path = fixtures().join(file);
        let item = run
            .items
            .iter()
            .find(|item| {
                item.origin.file == path.to_string_lossy()
                    && item.origin.offset == Some(offset as u64)
            })
            .unwrap_or_else(|| panic!("{file}@{offset}: {:?}", run.log));
        assert_eq!(item.kind, ItemKind::MboxMessage);
        let next = rows
            .get(i + 1)
            .filter(|next| &next[0] == file)
            .map(|next| next[1].parse::<usize>().unwrap());
        let mbox = std::fs::read(&path).unwrap();
        assert_eq!(
            item.bytes,
            cut_by_hand(&mbox, offset, next),
            "{file}@{offset}"
        );
        let head = format!("X-GM-THRID: {thrid}\r\nX-Gmail-Labels: {field}\r\nDKIM-Signature: ");
        let unsigned = row[2].contains("1492632300.M0006");
        if unsigned {
            assert!(item
                .bytes
                .starts_with(format!("X-GM-THRID: {thrid}\r\n").as_bytes()));
        } else {
            assert!(item.bytes.starts_with(head.as_bytes()), "{file}@{offset}");
        }
        assert!(item.bytes.ends_with(b"\r\n"), "{file}@{offset}");
        assert!(!item.bytes.ends_with(b"\r\n\r\n"), "{file}@{offset}");
        // CRLF throughout: no bare LF left over from a separator.
        let lfs = item.bytes.iter().filter(|&&b| b == b'\n').count();
        assert_eq!(item.bytes.windows(2).filter(|w| w == b"\r\n").count(), lfs);
    }
    // The escaped body line is kept as stored: un-escaping is the analyzer's.
    let first = &run
        .items
        .iter()
        .find(|i| i.origin.offset == Some(0))
        .unwrap();
    assert!(first.bytes.windows(8).any(|w| w == b"\r\n>From "));
}

#[test]
fn a_separator_ending_in_lf_alone_cuts_the_same() {
    // Some Takeout files end the `From ` line with LF while the messages
    // keep CRLF: the cut does not depend on it.
    let dir = tempfile::tempdir().unwrap();
    let crlf =
        std::fs::read(fixtures().join("Takeout/Mail/All mail Including Spam and Trash.mbox"))
            .unwrap();
    let text = String::from_utf8(crlf).unwrap();
    let mixed: String = text
        .split_inclusive('\n')
        .map(|line| {
            if line.starts_with("From ") {
                line.replace("\r\n", "\n")
            } else {
                line.to_string()
            }
        })
        .collect();
    let a = run_one(&write(dir.path(), "crlf.mbox", text.as_bytes()));
    let b = run_one(&write(dir.path(), "mixed.mbox", mixed.as_bytes()));
    assert_eq!(a.items.len(), 5);
    let bytes = |r: &Run| r.items.iter().map(|i| i.bytes.clone()).collect::<Vec<_>>();
    assert_eq!(bytes(&a), bytes(&b));
}
