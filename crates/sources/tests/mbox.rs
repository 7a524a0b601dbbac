mod common;

use std::time::Instant;

use common::*;
use tamis_items::ItemKind;
use tamis_sources::Limits;

fn lf(text: &str) -> Vec<u8> {
    text.as_bytes().to_vec()
}

#[test]
fn mbox_messages_keep_their_escaped_from_lines_and_offsets() {
    let dir = tempfile::tempdir().unwrap();
    let messages = vec![
        lf("From: a@example.org\nTo: b@example.org\nSubject: one\n\n>From the start\nline\n"),
        lf("From: a@example.org\nTo: b@example.org\nSubject: two\n\nsee\n\n>From here, escaped after a blank line\n"),
        lf("From: a@example.org\nTo: b@example.org\nSubject: three\n\nlast\n"),
    ];
    let (mbox, offsets) = mbox_of(&messages);
    let path = write(dir.path(), "archive", &mbox);

    let run = run_one(&path);

    assert!(run.unreadable.is_empty(), "{:?}", run.log);
    assert_eq!(run.items.len(), 3);
    for ((item, original), offset) in run.items.iter().zip(&messages).zip(&offsets) {
        assert_eq!(
            &item.bytes, original,
            "bytes are the stored bytes, escapes included"
        );
        assert_eq!(item.kind, ItemKind::MboxMessage);
        assert_eq!(item.origin.offset, Some(*offset));
        assert!(item.origin.entries.is_empty());
    }
    assert_eq!(offsets, vec![0, 122, 267]);
    assert_eq!(run.stats.mbox_messages, 3);
}

#[test]
fn mboxrd_and_mboxo_split_identically() {
    let dir = tempfile::tempdir().unwrap();
    let body = |escape_quoted: bool| {
        let quoted = if escape_quoted {
            ">>From you"
        } else {
            ">From you"
        };
        lf(&format!(
            "From: a@example.org\nTo: b@example.org\nSubject: s\n\n>From me\n{quoted}\n\nFrom-less\n"
        ))
    };
    let mboxo = mbox_of(&[body(false), message(2), body(false)]);
    let mboxrd = mbox_of(&[body(true), message(2), body(true)]);
    let o = run_one(&write(dir.path(), "o.mbox", &mboxo.0));
    let rd = run_one(&write(dir.path(), "rd.mbox", &mboxrd.0));

    assert_eq!(o.items.len(), 3);
    assert_eq!(rd.items.len(), 3);
    assert!(o.unreadable.is_empty() && rd.unreadable.is_empty());
    assert_eq!(o.items[0].bytes, body(false));
    assert_eq!(rd.items[0].bytes, body(true));
    assert_eq!(o.items[1].bytes, rd.items[1].bytes);
    let offsets = |run: &Run| {
        run.items
            .iter()
            .map(|i| i.origin.offset.unwrap())
            .collect::<Vec<_>>()
    };
    assert_eq!(offsets(&o), mboxo.1);
    assert_eq!(offsets(&rd), mboxrd.1);
}

#[test]
fn crlf_mbox_separators_follow_crlf_empty_lines() {
    let dir = tempfile::tempdir().unwrap();
    let mbox = b"From a Fri May  5 18:00:00 2017\r\nFrom: a@x\r\nTo: b@x\r\n\r\nhi\r\n\r\nFrom b Fri May  5 18:00:01 2017\r\nFrom: c@x\r\nTo: d@x\r\n\r\nyo\r\n\r\n";
    let run = run_one(&write(dir.path(), "crlf.mbox", mbox));

    assert_eq!(run.items.len(), 2);
    assert_eq!(run.items[0].bytes, b"From: a@x\r\nTo: b@x\r\n\r\nhi\r\n");
    assert_eq!(run.items[1].bytes, b"From: c@x\r\nTo: d@x\r\n\r\nyo\r\n");
    assert_eq!(run.items[1].origin.offset, Some(61));
}

#[test]
fn mbox_message_over_the_item_limit_is_reported_at_its_offset_and_the_next_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let (mbox, offsets) = mbox_of(&[message(1), noisy_message(2, 5000), message(3)]);
    let path = write(dir.path(), "big.mbox", &mbox);
    let limits = Limits {
        max_item_bytes: 4096,
        ..Limits::default()
    };

    let run = run_with(&path, limits);

    assert_eq!(run.items.len(), 2, "{:?}", run.log);
    assert_eq!(run.items[1].origin.offset, Some(offsets[2]));
    assert_eq!(
        run.codes(),
        vec![(
            "item-too-large".to_string(),
            format!("{}@{}", dir.path().join("big.mbox").display(), offsets[1])
        )]
    );
}

#[test]
fn a_50_mb_line_in_an_mbox_is_cut_with_bounded_memory_and_fast() {
    let dir = tempfile::tempdir().unwrap();
    let mut mbox = Vec::with_capacity(51 << 20);
    mbox.extend_from_slice(b"From a Fri May  5 18:00:00 2017\nFrom: a@x\nTo: b@x\n\n");
    mbox.resize(mbox.len() + (50 << 20), b'A');
    mbox.extend_from_slice(b"\n\n");
    let second = mbox.len() as u64;
    mbox.extend_from_slice(b"From b Fri May  5 18:00:01 2017\nFrom: c@x\nTo: d@x\n\nshort\n");
    let path = write(dir.path(), "longline.mbox", &mbox);
    drop(mbox);
    let limits = Limits {
        max_item_bytes: 1 << 20,
        ..Limits::default()
    };

    let started = Instant::now();
    let run = run_with(&path, limits);

    assert!(
        started.elapsed().as_secs() < 20,
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(run.codes().len(), 1);
    assert_eq!(run.unreadable[0].code, "item-too-large");
    assert_eq!(run.unreadable[0].origin.offset, Some(0));
    assert_eq!(run.items.len(), 1);
    assert_eq!(run.items[0].origin.offset, Some(second));
    assert_eq!(run.items[0].bytes, b"From: c@x\nTo: d@x\n\nshort\n");
}

#[test]
fn a_50_mb_single_line_file_becomes_one_file_item() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "line.txt", &vec![b'x'; 50 << 20]);

    let started = Instant::now();
    let run = run_one(&path);

    assert!(started.elapsed().as_secs() < 20);
    assert_eq!(run.items.len(), 1);
    assert_eq!(run.items[0].kind, ItemKind::File);
    assert_eq!(run.items[0].bytes.len(), 50 << 20);
}

#[test]
fn gzipped_mbox_offsets_are_in_the_decompressed_stream() {
    let dir = tempfile::tempdir().unwrap();
    let (mbox, offsets) = mbox_of(&[message(1), message(2)]);
    let path = write(dir.path(), "inbox.mbox.gz", &gzip(&mbox));

    let run = run_one(&path);

    let file = path.display();
    assert_eq!(
        run.origins(),
        vec![
            format!("{file}!inbox.mbox@{}", offsets[0]),
            format!("{file}!inbox.mbox@{}", offsets[1]),
        ]
    );
    assert_eq!(run.items[1].bytes, message(2));
}
