//! What survives a reopen or a crash: committed documents and their
//! watermark; nothing uncommitted; one copy per id.

mod common;

use common::*;
use std::time::{Duration, Instant};
use tamis_search::{Query, SearchIndex, Watermark};

#[test]
fn adding_an_id_again_replaces_the_message() {
    let (_dir, mut index) = index_with(&[message(1, "alpha", "premier")]);
    index.add(&[message(1, "beta", "second")]).unwrap();
    index.commit(upto(1)).unwrap();
    assert!(index.search(&text("alpha")).unwrap().hits.is_empty());
    assert_eq!(ids(&index.search(&text("beta")).unwrap()), [1]);
    assert_eq!(index.num_docs(), 1);

    // Twice in one batch: the later copy wins.
    index
        .add(&[message(2, "gamma", "x"), message(2, "delta", "x")])
        .unwrap();
    index.commit(upto(2)).unwrap();
    assert!(index.search(&text("gamma")).unwrap().hits.is_empty());
    assert_eq!(ids(&index.search(&text("delta")).unwrap()), [2]);
    assert_eq!(index.num_docs(), 2);
    assert_eq!(index.search(&Query::default()).unwrap().total, 2);
}

#[test]
fn the_watermark_survives_a_reopen() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut index = SearchIndex::open_or_create(dir.path()).unwrap();
        assert_eq!(index.watermark().messages, 0, "a new index");
        index.add(&[message(41, "s", "b")]).unwrap();
        index.commit(upto(41)).unwrap();
        assert_eq!(index.watermark().messages, 41);
    }
    let reopened = SearchIndex::open_or_create(dir.path()).unwrap();
    assert_eq!(reopened.watermark().messages, 41);
    assert_eq!(reopened.num_docs(), 1);
    drop(reopened);
    assert_eq!(
        SearchIndex::open_read_only(dir.path())
            .unwrap()
            .watermark()
            .messages,
        41
    );
}

#[test]
fn documents_not_committed_before_a_crash_are_gone_and_the_watermark_with_them() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut index = SearchIndex::open_or_create(dir.path()).unwrap();
        index.add(&[message(1, "durable", "b")]).unwrap();
        index.commit(upto(1)).unwrap();
        index
            .add(&[message(2, "perdu", "b"), message(3, "perdu", "b")])
            .unwrap();
        // Dropped without commit: what a killed ingest leaves behind.
    }
    let index = SearchIndex::open_or_create(dir.path()).unwrap();
    assert_eq!(index.watermark().messages, 1, "catch up from id 2");
    assert_eq!(index.num_docs(), 1);
    assert!(index.search(&text("perdu")).unwrap().hits.is_empty());
    assert_eq!(ids(&index.search(&text("durable")).unwrap()), [1]);
}

#[test]
fn close_keeps_what_was_committed() {
    let dir = tempfile::tempdir().unwrap();
    let mut index = SearchIndex::open_or_create(dir.path()).unwrap();
    for batch in 0..5 {
        let docs: Vec<_> = (0..20)
            .map(|i| message(batch * 20 + i + 1, "s", "lot"))
            .collect();
        index.add(&docs).unwrap();
        index.commit(upto(batch * 20 + 20)).unwrap();
    }
    index.close().unwrap();
    let index = SearchIndex::open_read_only(dir.path()).unwrap();
    assert_eq!(index.num_docs(), 100);
    assert_eq!(index.watermark().messages, 100);
    assert_eq!(index.search(&text("lot")).unwrap().total, 100);
}

#[test]
fn a_read_only_index_refuses_writes_and_sees_a_writers_commits() {
    let dir = tempfile::tempdir().unwrap();
    let mut writer = SearchIndex::open_or_create(dir.path()).unwrap();
    writer.add(&[message(1, "premier", "b")]).unwrap();
    writer.commit(upto(1)).unwrap();

    let mut reader = SearchIndex::open_read_only(dir.path()).unwrap();
    let refused = reader.add(&[message(9, "s", "b")]).unwrap_err();
    assert!(refused.to_string().contains("read-only"), "{refused:#}");
    assert!(reader.commit(upto(9)).is_err());
    assert_eq!(reader.num_docs(), 1);

    writer.add(&[message(2, "second", "b")]).unwrap();
    writer.commit(upto(2)).unwrap();
    assert_eq!(reader.watermark().messages, 2);
    // The reader reloads on its own shortly after the commit lands.
    let deadline = Instant::now() + Duration::from_secs(10);
    while reader.num_docs() < 2 {
        assert!(Instant::now() < deadline, "the reader never saw the commit");
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(ids(&reader.search(&text("second")).unwrap()), [2]);
}

#[test]
fn only_one_writer_at_a_time() {
    let dir = tempfile::tempdir().unwrap();
    let _first = SearchIndex::open_or_create(dir.path()).unwrap();
    let second = SearchIndex::open_or_create(dir.path());
    let error = second.err().expect("a second writer must be refused");
    assert!(format!("{error:#}").contains("locking"), "{error:#}");
}

#[test]
fn opening_read_only_where_there_is_no_index_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let error = SearchIndex::open_read_only(dir.path())
        .err()
        .expect("no index yet");
    assert!(
        format!("{error:#}").contains("no search index"),
        "{error:#}"
    );
    let missing = dir.path().join("missing");
    assert!(SearchIndex::open_read_only(&missing).is_err());
    assert!(!missing.exists(), "read-only must not create anything");
}

#[test]
fn an_index_with_another_schema_is_refused_with_the_remedy_and_a_writer_rebuilds_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut builder = tantivy::schema::Schema::builder();
    builder.add_text_field("title", tantivy::schema::TEXT);
    tantivy::Index::create_in_dir(dir.path(), builder.build()).unwrap();
    let error = SearchIndex::open_or_create(dir.path())
        .err()
        .expect("foreign schema");
    assert!(format!("{error:#}").contains("rebuilds it"), "{error:#}");
    assert!(SearchIndex::open_read_only(dir.path()).is_err());

    // The index is derived: a writer starts it again, empty, for the case
    // database to refill.
    let mut rebuilt = SearchIndex::open_or_rebuild(dir.path()).unwrap();
    assert_eq!(rebuilt.num_docs(), 0);
    assert_eq!(rebuilt.watermark(), Watermark::default());
    rebuilt.add(&[message(1, "après", "reconstruit")]).unwrap();
    rebuilt.commit(upto(1)).unwrap();
    assert_eq!(ids(&rebuilt.search(&text("reconstruit")).unwrap()), [1]);
}

#[test]
fn one_index_serves_concurrent_searches() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<SearchIndex>();
    let docs: Vec<_> = (1..=30).map(|id| message(id, "s", "partagé")).collect();
    let (_dir, index) = index_with(&docs);
    std::thread::scope(|scope| {
        for _ in 0..4 {
            scope.spawn(|| {
                for _ in 0..10 {
                    assert_eq!(index.search(&text("partage")).unwrap().total, 30);
                }
            });
        }
    });
}
