//! Ids forged to break threading: loops, duplicates, chains too deep for
//! recursion. Nothing may be lost, nothing may hang or overflow.

mod common;

use common::{all_ids, message, shape, with_in_reply_to, with_references};
use tamis_threads::{thread, ThreadInput};

#[test]
fn two_messages_naming_each_other_as_parent_become_one_thread_rooted_at_the_older() {
    for (older, newer) in [(1, 2), (2, 1)] {
        let date = |id: i64| Some(if id == older { 100 } else { 200 });
        let threads = thread(&[
            with_in_reply_to(message(1, Some("a@x"), date(1)), &["b@x"]),
            with_in_reply_to(message(2, Some("b@x"), date(2)), &["a@x"]),
        ]);
        assert_eq!(
            shape(&threads),
            [vec![(Some(older), 0), (Some(newer), 1)]],
            "older is {older}"
        );
    }
}

#[test]
fn a_loop_inside_references_keeps_every_message_in_one_thread() {
    // c's References go a -> b -> a: the guessed link b <- a closes a loop.
    let threads = thread(&[
        message(1, Some("a@x"), Some(100)),
        message(2, Some("b@x"), Some(200)),
        with_references(message(3, Some("c@x"), Some(300)), &["a@x", "b@x", "a@x"]),
    ]);
    assert_eq!(
        shape(&threads),
        [vec![(Some(1), 0), (Some(2), 1), (Some(3), 1)]]
    );
}

#[test]
fn a_stated_parent_survives_a_loop_closed_by_a_guess() {
    // b states a as its parent; d's References guess a replies to b.
    let threads = thread(&[
        message(1, Some("a@x"), Some(300)),
        with_in_reply_to(message(2, Some("b@x"), Some(100)), &["a@x"]),
        with_references(message(4, Some("d@x"), Some(400)), &["b@x", "a@x"]),
    ]);
    // The guessed link goes although b is the older message.
    assert_eq!(
        shape(&threads),
        [vec![(Some(1), 0), (Some(2), 1), (Some(4), 1)]]
    );
}

#[test]
fn a_message_naming_itself_is_its_own_root() {
    let threads = thread(&[
        with_references(message(1, Some("a@x"), Some(100)), &["a@x"]),
        with_in_reply_to(message(2, Some("b@x"), Some(200)), &["b@x"]),
    ]);
    assert_eq!(shape(&threads), [vec![(Some(1), 0)], vec![(Some(2), 0)]]);
}

#[test]
fn a_second_message_claiming_a_taken_id_is_kept_with_its_own_container() {
    let original = message(10, Some("dup@x"), Some(100));
    let forged = with_in_reply_to(message(20, Some("dup@x"), Some(150)), &["other@x"]);
    let reply = with_in_reply_to(message(30, Some("r@x"), Some(200)), &["dup@x"]);
    let other = message(40, Some("other@x"), Some(50));
    for inputs in [
        vec![
            original.clone(),
            forged.clone(),
            reply.clone(),
            other.clone(),
        ],
        vec![
            reply.clone(),
            other.clone(),
            forged.clone(),
            original.clone(),
        ],
    ] {
        let threads = thread(&inputs);
        // The smaller caller id keeps the id and the reply; the forged copy
        // sits where its own headers put it.
        assert_eq!(
            shape(&threads),
            [
                vec![(Some(40), 0), (Some(20), 1)],
                vec![(Some(10), 0), (Some(30), 1)],
            ]
        );
        assert_eq!(threads[0][1].message_id.as_deref(), Some("dup@x"));
    }
}

#[test]
fn identical_duplicates_are_all_listed() {
    let copy = message(7, Some("same@x"), Some(100));
    let threads = thread(&[copy.clone(), copy.clone(), copy]);
    assert_eq!(all_ids(&threads), [7, 7, 7]);
}

#[test]
fn a_references_chain_of_100000_absent_ids_is_pruned_away() {
    let chain: Vec<String> = (0..100_000)
        .map(|index| format!("forged{index}@x"))
        .collect();
    let threads = thread(&[
        ThreadInput {
            id: 1,
            message_id: Some("end@x".into()),
            references: chain.clone(),
            ..ThreadInput::default()
        },
        ThreadInput {
            id: 2,
            message_id: Some("end2@x".into()),
            references: chain,
            ..ThreadInput::default()
        },
    ]);
    // Both hang under the last forged id; the 99,999 above it hold nothing.
    assert_eq!(
        shape(&threads),
        [vec![(None, 0), (Some(1), 1), (Some(2), 1)]]
    );
    assert_eq!(threads[0][0].message_id.as_deref(), Some("forged0@x"));
}

#[test]
fn a_reply_chain_100000_messages_deep_is_one_thread() {
    let count = 100_000i64;
    let mut messages: Vec<ThreadInput> = (0..count)
        .map(|index| ThreadInput {
            id: index,
            message_id: Some(format!("m{index}@x")),
            in_reply_to: if index == 0 {
                Vec::new()
            } else {
                vec![format!("m{}@x", index - 1)]
            },
            date_unix: Some(index),
            ..ThreadInput::default()
        })
        .collect();
    messages.reverse();
    let threads = thread(&messages);
    assert_eq!(threads.len(), 1);
    let depths: Vec<u32> = threads[0].iter().map(|node| node.depth).collect();
    assert_eq!(depths, (0..count as u32).collect::<Vec<_>>());
}

#[test]
fn a_loop_through_100000_messages_is_broken_once() {
    let count = 100_000i64;
    let messages: Vec<ThreadInput> = (0..count)
        .map(|index| ThreadInput {
            id: index,
            message_id: Some(format!("m{index}@x")),
            in_reply_to: vec![format!("m{}@x", (index + 1) % count)],
            date_unix: Some(count - index),
            ..ThreadInput::default()
        })
        .collect();
    let threads = thread(&messages);
    assert_eq!(threads.len(), 1);
    // Each names the next (older) one as its parent; the oldest loses its
    // link and becomes the root.
    assert_eq!(threads[0][0].id, Some(count - 1));
    assert_eq!(threads[0][1].id, Some(count - 2));
    let last = threads[0].last().expect("a node");
    assert_eq!((last.id, last.depth), (Some(0), count as u32 - 1));
}
