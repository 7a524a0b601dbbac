//! Every message shows the conversation it belongs to, rebuilt over the
//! whole case at the end of each run.

mod common;

use common::*;
use tamis_case::CaseReader;

/// The ids shown in the thread of message `id` (`None`: referred to, not in the case).
fn thread_ids(case: &std::path::Path, id: i64) -> Vec<Option<i64>> {
    let reader = CaseReader::open(case).unwrap();
    let message = reader.message(id).unwrap().unwrap();
    message.thread.iter().map(|t| t.id).collect()
}

#[test]
fn a_reply_chain_is_one_thread_in_order_with_depths() {
    let dir = tempfile::tempdir().unwrap();
    let records = [
        Made::new("1.eml", "root@example.org", "Meeting").dated(1_000),
        Made::new("2.eml", "reply@example.org", "Re: Meeting")
            .replying_to(&["root@example.org"])
            .dated(2_000),
        Made::new("3.eml", "other@example.org", "Something else").dated(1_500),
        Made::new("4.eml", "reply2@example.org", "Re: Re: Meeting")
            .replying_to(&["root@example.org", "reply@example.org"])
            .dated(3_000),
    ]
    .map(|m| m.record());
    ingest(
        dir.path(),
        &params(&[std::path::Path::new("made-up")]),
        &records,
    );
    let reader = CaseReader::open(dir.path()).unwrap();

    let reply = reader.message(2).unwrap().unwrap();
    let shown: Vec<(Option<i64>, u32)> = reply.thread.iter().map(|t| (t.id, t.depth)).collect();
    assert_eq!(shown, [(Some(1), 0), (Some(2), 1), (Some(4), 2)]);
    assert_eq!(reply.thread[0].subject.as_deref(), Some("Meeting"));
    assert_eq!(reply.thread[2].verdict.as_deref(), Some("unsigned"));

    let alone = reader.message(3).unwrap().unwrap();
    assert_eq!(alone.thread.len(), 1);
    assert_eq!(alone.thread[0].id, Some(3));
}

#[test]
fn a_message_two_replies_refer_to_but_missing_is_shown_without_an_id() {
    let dir = tempfile::tempdir().unwrap();
    let records = [
        Made::new("2.eml", "reply@example.org", "Re: Lost")
            .replying_to(&["lost@example.org"])
            .dated(2_000),
        Made::new("3.eml", "reply2@example.org", "Re: Lost")
            .replying_to(&["lost@example.org"])
            .dated(3_000),
    ]
    .map(|m| m.record());
    ingest(
        dir.path(),
        &params(&[std::path::Path::new("made-up")]),
        &records,
    );
    let reader = CaseReader::open(dir.path()).unwrap();
    let thread = reader.message(1).unwrap().unwrap().thread;
    let shown: Vec<(Option<i64>, Option<&str>, u32)> = thread
        .iter()
        .map(|t| (t.id, t.message_id.as_deref(), t.depth))
        .collect();
    assert_eq!(
        shown,
        [
            (None, Some("lost@example.org"), 0),
            (Some(1), Some("reply@example.org"), 1),
            (Some(2), Some("reply2@example.org"), 1),
        ]
    );
    assert_eq!(
        thread[0].subject, None,
        "nothing is known of the missing message"
    );
}

#[test]
fn a_later_run_joins_its_replies_to_threads_of_earlier_runs() {
    let dir = tempfile::tempdir().unwrap();
    let first = [Made::new("1.eml", "root@example.org", "Meeting")
        .dated(1_000)
        .record()];
    ingest(
        dir.path(),
        &params(&[std::path::Path::new("first")]),
        &first,
    );
    let second = [Made::new("2.eml", "reply@example.org", "Re: Meeting")
        .replying_to(&["root@example.org"])
        .dated(2_000)
        .record()];
    ingest(
        dir.path(),
        &params(&[std::path::Path::new("second")]),
        &second,
    );
    assert_eq!(thread_ids(dir.path(), 1), [Some(1), Some(2)]);
}

#[test]
fn a_run_that_stores_nothing_new_keeps_the_threads_without_rebuilding_them() {
    let dir = tempfile::tempdir().unwrap();
    let records = [
        Made::new("1.eml", "root@example.org", "Meeting").dated(1_000),
        Made::new("2.eml", "reply@example.org", "Re: Meeting")
            .replying_to(&["root@example.org"])
            .dated(2_000),
    ]
    .map(|m| m.record());
    let run = params(&[std::path::Path::new("made-up")]);
    ingest(dir.path(), &run, &records);

    let mut writer = tamis_case::CaseWriter::open(dir.path()).unwrap();
    writer.begin_run(&run).unwrap();
    for record in &records {
        writer.add(record.clone()).unwrap();
    }
    writer.finish_run().unwrap();
    assert_eq!(writer.timings().threads, std::time::Duration::ZERO);
    assert_eq!(writer.timings().corroboration, std::time::Duration::ZERO);
    drop(writer);

    assert_eq!(thread_ids(dir.path(), 2), [Some(1), Some(2)]);
}

#[test]
fn messages_of_a_killed_run_are_threaded_by_the_next_run_even_if_it_adds_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let root = Made::new("1.eml", "root@example.org", "Meeting")
        .dated(1_000)
        .record();
    let reply = Made::new("2.eml", "reply@example.org", "Re: Meeting")
        .replying_to(&["root@example.org"])
        .dated(2_000)
        .record();
    ingest(
        dir.path(),
        &params(&[std::path::Path::new("first")]),
        std::slice::from_ref(&root),
    );

    // A run that commits the reply and dies before its end-of-run rebuilds.
    let mut killed = tamis_case::CaseWriter::open(dir.path()).unwrap();
    killed.set_batch_limits(1, 1);
    killed
        .begin_run(&params(&[std::path::Path::new("killed")]))
        .unwrap();
    killed.add(reply).unwrap();
    drop(killed);

    // Another dump, with nothing the case lacks.
    let mut writer = tamis_case::CaseWriter::open(dir.path()).unwrap();
    writer
        .begin_run(&params(&[std::path::Path::new("again")]))
        .unwrap();
    writer.add(root).unwrap();
    let (_, counts) = writer.finish_run().unwrap();
    assert_eq!(counts.new_messages, 0);
    drop(writer);

    assert_eq!(thread_ids(dir.path(), 1), [Some(1), Some(2)]);
}
