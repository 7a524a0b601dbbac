//! The shapes JWZ threading gives ordinary mail: reply chains, absent
//! parents, sibling and thread order, subjects.

mod common;

use common::{message, shape, with_in_reply_to, with_references, with_subject};
use tamis_threads::{thread, ThreadNode};

#[test]
fn a_reply_chain_is_one_thread_in_depth_order() {
    let threads = thread(&[
        with_references(message(3, Some("c@x"), Some(300)), &["a@x", "b@x"]),
        message(1, Some("a@x"), Some(100)),
        with_in_reply_to(message(2, Some("b@x"), Some(200)), &["a@x"]),
    ]);
    assert_eq!(
        shape(&threads),
        [vec![(Some(1), 0), (Some(2), 1), (Some(3), 2)]]
    );
    assert_eq!(
        threads[0][2],
        ThreadNode {
            id: Some(3),
            message_id: Some("c@x".into()),
            depth: 2
        }
    );
}

#[test]
fn ids_match_with_or_without_brackets_and_space() {
    let threads = thread(&[
        message(1, Some("<a@x>"), Some(100)),
        with_in_reply_to(message(2, Some("b@x"), Some(200)), &[" a@x "]),
    ]);
    assert_eq!(shape(&threads), [vec![(Some(1), 0), (Some(2), 1)]]);
    assert_eq!(threads[0][0].message_id.as_deref(), Some("a@x"));
}

#[test]
fn references_win_over_in_reply_to_and_only_its_first_id_counts() {
    let threads = thread(&[
        message(1, Some("a@x"), Some(100)),
        message(2, Some("b@x"), Some(110)),
        message(3, Some("c@x"), Some(120)),
        // References present: In-Reply-To is not consulted.
        with_in_reply_to(
            with_references(message(4, Some("d@x"), Some(200)), &["a@x"]),
            &["b@x"],
        ),
        // No References: the first In-Reply-To id is the parent.
        with_in_reply_to(message(5, Some("e@x"), Some(210)), &["c@x", "b@x"]),
    ]);
    assert_eq!(
        shape(&threads),
        [
            vec![(Some(1), 0), (Some(4), 1)],
            vec![(Some(2), 0)],
            vec![(Some(3), 0), (Some(5), 1)],
        ]
    );
}

#[test]
fn siblings_go_by_date_then_id_and_undated_last() {
    let threads = thread(&[
        message(1, Some("root@x"), Some(100)),
        with_in_reply_to(message(5, Some("e@x"), None), &["root@x"]),
        with_in_reply_to(message(4, Some("d@x"), Some(300)), &["root@x"]),
        with_in_reply_to(message(3, Some("c@x"), Some(200)), &["root@x"]),
        with_in_reply_to(message(2, Some("b@x"), Some(200)), &["root@x"]),
    ]);
    assert_eq!(
        shape(&threads),
        [vec![
            (Some(1), 0),
            (Some(2), 1),
            (Some(3), 1),
            (Some(4), 1),
            (Some(5), 1)
        ]]
    );
}

#[test]
fn threads_go_by_their_first_date_then_smallest_id() {
    let threads = thread(&[
        message(1, Some("late@x"), Some(500)),
        // This thread's root is undated but its reply is the oldest message.
        message(2, Some("undated-root@x"), None),
        with_in_reply_to(
            message(3, Some("early-reply@x"), Some(50)),
            &["undated-root@x"],
        ),
        message(9, Some("tie-b@x"), Some(300)),
        message(4, Some("tie-a@x"), Some(300)),
        message(5, Some("never-dated@x"), None),
    ]);
    assert_eq!(
        shape(&threads),
        [
            vec![(Some(2), 0), (Some(3), 1)],
            vec![(Some(4), 0)],
            vec![(Some(9), 0)],
            vec![(Some(1), 0)],
            vec![(Some(5), 0)],
        ]
    );
}

#[test]
fn an_absent_parent_of_two_messages_is_kept_as_an_empty_root() {
    let threads = thread(&[
        with_in_reply_to(message(1, Some("b@x"), Some(200)), &["lost@x"]),
        with_references(message(2, Some("c@x"), Some(100)), &["lost@x"]),
    ]);
    assert_eq!(
        shape(&threads),
        [vec![(None, 0), (Some(2), 1), (Some(1), 1)]]
    );
    assert_eq!(threads[0][0].message_id.as_deref(), Some("lost@x"));
}

#[test]
fn an_absent_parent_of_one_message_is_pruned() {
    let threads = thread(&[with_in_reply_to(
        message(1, Some("b@x"), Some(200)),
        &["lost@x"],
    )]);
    assert_eq!(shape(&threads), [vec![(Some(1), 0)]]);
}

#[test]
fn absent_messages_inside_a_thread_are_skipped_and_their_replies_move_up() {
    // a <- (absent m1) <- (absent m2) <- {c, d}: JWZ promotes c and d to a.
    let threads = thread(&[
        message(1, Some("a@x"), Some(100)),
        with_references(message(3, Some("c@x"), Some(300)), &["a@x", "m1@x", "m2@x"]),
        with_references(message(4, Some("d@x"), Some(400)), &["a@x", "m1@x", "m2@x"]),
    ]);
    assert_eq!(
        shape(&threads),
        [vec![(Some(1), 0), (Some(3), 1), (Some(4), 1)]]
    );
}

#[test]
fn an_absent_root_chain_holding_two_messages_shows_its_topmost_absent_id() {
    // (absent top) <- (absent mid) <- {b, c}: the empty mid is promoted
    // away, the empty root keeps both messages.
    let threads = thread(&[
        with_references(message(2, Some("b@x"), Some(200)), &["top@x", "mid@x"]),
        with_references(message(3, Some("c@x"), Some(300)), &["top@x", "mid@x"]),
    ]);
    assert_eq!(
        shape(&threads),
        [vec![(None, 0), (Some(2), 1), (Some(3), 1)]]
    );
    assert_eq!(threads[0][0].message_id.as_deref(), Some("top@x"));
}

#[test]
fn a_message_without_headers_about_its_parent_is_placed_by_others_references() {
    let threads = thread(&[
        message(1, Some("a@x"), Some(100)),
        // b says nothing of its parent; c's References say it is a's reply.
        message(2, Some("b@x"), Some(200)),
        with_references(message(3, Some("c@x"), Some(300)), &["a@x", "b@x"]),
    ]);
    assert_eq!(
        shape(&threads),
        [vec![(Some(1), 0), (Some(2), 1), (Some(3), 2)]]
    );
}

#[test]
fn what_a_message_states_wins_over_what_others_infer() {
    let threads = thread(&[
        message(1, Some("a@x"), Some(100)),
        message(2, Some("other@x"), Some(150)),
        // c's References claim b replies to a; b itself says it replies to other.
        with_references(message(4, Some("c@x"), Some(300)), &["a@x", "b@x"]),
        with_in_reply_to(message(3, Some("b@x"), Some(200)), &["other@x"]),
    ]);
    assert_eq!(
        shape(&threads),
        [
            vec![(Some(1), 0)],
            vec![(Some(2), 0), (Some(3), 1), (Some(4), 2)]
        ]
    );
}

#[test]
fn messages_without_an_id_each_stand_alone_but_can_reply() {
    let threads = thread(&[
        message(1, Some("a@x"), Some(100)),
        with_in_reply_to(message(2, None, Some(200)), &["a@x"]),
        with_in_reply_to(message(3, None, Some(300)), &["a@x"]),
        message(4, None, Some(400)),
        message(5, None, Some(500)),
    ]);
    assert_eq!(
        shape(&threads),
        [
            vec![(Some(1), 0), (Some(2), 1), (Some(3), 1)],
            vec![(Some(4), 0)],
            vec![(Some(5), 0)],
        ]
    );
    assert_eq!(threads[1][0].message_id, None);
}

#[test]
fn a_reply_subject_joins_its_one_original() {
    let threads = thread(&[
        with_subject(message(1, Some("a@x"), Some(100)), "Budget meeting de Lyon"),
        // Its mail program dropped References and In-Reply-To.
        with_subject(
            message(2, Some("b@x"), Some(200)),
            "RE : Budget  meeting de Lyon",
        ),
        with_subject(
            message(3, Some("c@x"), Some(300)),
            "Fwd: budget meeting de lyon",
        ),
    ]);
    assert_eq!(
        shape(&threads),
        [vec![(Some(1), 0), (Some(2), 1), (Some(3), 1)]]
    );
}

#[test]
fn equal_subjects_that_are_not_replies_stay_apart() {
    let threads = thread(&[
        with_subject(message(1, Some("a@x"), Some(100)), "Lunch"),
        with_subject(message(2, Some("b@x"), Some(200)), "Lunch"),
    ]);
    assert_eq!(shape(&threads), [vec![(Some(1), 0)], vec![(Some(2), 0)]]);
}

#[test]
fn a_reply_whose_original_title_is_ambiguous_stays_apart() {
    let threads = thread(&[
        with_subject(message(1, Some("a@x"), Some(100)), "Lunch"),
        with_subject(message(2, Some("b@x"), Some(200)), "Lunch"),
        with_subject(message(3, Some("c@x"), Some(300)), "Re: Lunch"),
        with_subject(message(4, Some("d@x"), Some(400)), "Re: Dinner"),
    ]);
    assert_eq!(threads.len(), 4);
}

#[test]
fn a_reply_subject_never_moves_a_message_that_has_a_parent() {
    let threads = thread(&[
        with_subject(message(1, Some("a@x"), Some(100)), "Budget"),
        with_subject(message(2, Some("b@x"), Some(150)), "Planning"),
        with_subject(
            with_in_reply_to(message(3, Some("c@x"), Some(200)), &["b@x"]),
            "Re: Budget",
        ),
    ]);
    assert_eq!(
        shape(&threads),
        [vec![(Some(1), 0)], vec![(Some(2), 0), (Some(3), 1)]]
    );
}

#[test]
fn an_empty_root_of_replies_joins_the_original_by_subject() {
    let threads = thread(&[
        with_subject(message(1, Some("a@x"), Some(100)), "Budget"),
        with_subject(
            with_in_reply_to(message(2, Some("b@x"), Some(200)), &["lost@x"]),
            "Re: Budget",
        ),
        with_subject(
            with_in_reply_to(message(3, Some("c@x"), Some(300)), &["lost@x"]),
            "Re: Budget",
        ),
    ]);
    assert_eq!(
        shape(&threads),
        [vec![(Some(1), 0), (Some(2), 1), (Some(3), 1)]]
    );
}

#[test]
fn nothing_in_nothing_out() {
    assert!(thread(&[]).is_empty());
}
