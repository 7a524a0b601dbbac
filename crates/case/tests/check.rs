//! `check` finds what is wrong with a case, and nothing in a sound one;
//! unreadable items are recorded where they were found.

mod common;

use common::*;
use tamis_case::{CaseReader, IngestRecord};
use tamis_items::{Item, ItemKind, Origin, Unreadable};

#[test]
fn a_sound_case_has_no_problems() {
    let dir = tempfile::tempdir().unwrap();
    ingest(dir.path(), &params(&[&sample_dump()]), &sample_records());
    assert_eq!(
        CaseReader::open(dir.path()).unwrap().check().unwrap(),
        Vec::<String>::new()
    );
}

#[test]
fn a_damaged_or_missing_blob_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    ingest(dir.path(), &params(&[&sample_dump()]), &sample_records());
    let reader = CaseReader::open(dir.path()).unwrap();
    let first = reader.message(1).unwrap().unwrap().summary.sha256;
    let second = reader.message(2).unwrap().unwrap().summary.sha256;
    let blob = |sha: &str| {
        dir.path()
            .join("blobs")
            .join(&sha[..2])
            .join(&sha[2..4])
            .join(sha)
    };
    let mut damaged = std::fs::read(blob(&first)).unwrap();
    damaged[0] ^= 1;
    std::fs::write(blob(&first), damaged).unwrap();
    std::fs::remove_file(blob(&second)).unwrap();
    let problems = reader.check().unwrap();
    assert_eq!(problems.len(), 2, "{problems:#?}");
    assert!(problems[0].contains(&first) && problems[0].contains("do not hash"));
    assert!(problems[1].contains(&second));
}

#[test]
fn unreadable_things_are_listed_with_where_and_why_and_their_bytes_kept() {
    let dir = tempfile::tempdir().unwrap();
    let origin = Origin::file("dump.zip").entry("broken.eml");
    let item = Item {
        bytes: b"\xff\xfe not a header".to_vec(),
        origin: origin.clone(),
        kind: ItemKind::Message,
    };
    let records = [
        IngestRecord::Unreadable(Unreadable {
            origin: Origin::file("dump.zip").entry("huge.bin"),
            code: "entry-too-large".into(),
            reason: "over the size cap".into(),
        }),
        IngestRecord::UnreadableMessage {
            item: item.clone(),
            unreadable: Unreadable {
                origin,
                code: "header-unreadable".into(),
                reason: "no header".into(),
            },
        },
        // A copy of the unreadable message: no message to join.
        IngestRecord::duplicate(
            [7; 32],
            Item {
                origin: Origin::file("copy.eml"),
                ..item
            },
        ),
    ];
    let (_, counts) = ingest(
        dir.path(),
        &params(&[std::path::Path::new("dump.zip")]),
        &records,
    );
    assert_eq!((counts.unreadable, counts.duplicates), (2, 1));
    let reader = CaseReader::open(dir.path()).unwrap();
    let overview = reader.overview().unwrap();
    assert_eq!(overview.unreadable_total, 3);
    let listed: Vec<(&str, &str)> = overview
        .unreadable
        .iter()
        .map(|u| (u.location.as_str(), u.code.as_str()))
        .collect();
    assert_eq!(
        listed,
        [
            ("dump.zip!huge.bin", "entry-too-large"),
            ("dump.zip!broken.eml", "header-unreadable"),
            ("copy.eml", "duplicate-of-unreadable"),
        ]
    );
    assert_eq!(overview.messages, 0);
    assert_eq!(overview.origins, 0, "origins of messages only");
    assert_eq!(
        files_under(&dir.path().join("blobs")).len(),
        1,
        "the bytes are kept, once"
    );
    assert!(reader.check().unwrap().is_empty());
}
