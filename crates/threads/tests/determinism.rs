//! The same messages give the same threads whatever their order, and every
//! message comes out exactly once.

mod common;

use common::{all_ids, messy_dump, Seeded};
use tamis_threads::thread;

#[test]
fn input_order_never_changes_the_threads() {
    let messages = messy_dump(2_000, 51);
    let expected = thread(&messages);
    let mut random = Seeded::new(7);
    for _ in 0..8 {
        let mut shuffled = messages.clone();
        random.shuffle(&mut shuffled);
        assert_eq!(thread(&shuffled), expected);
    }
    let mut reversed = messages.clone();
    reversed.reverse();
    assert_eq!(thread(&reversed), expected);
}

#[test]
fn every_message_is_in_exactly_one_thread() {
    for seed in [1, 2, 3, 4] {
        let messages = messy_dump(3_000, seed);
        let threads = thread(&messages);
        let mut expected: Vec<i64> = messages.iter().map(|message| message.id).collect();
        expected.sort_unstable();
        assert_eq!(all_ids(&threads), expected, "seed {seed}");
    }
}

#[test]
fn depths_describe_a_tree_in_display_order() {
    let threads = thread(&messy_dump(3_000, 9));
    for nodes in &threads {
        assert_eq!(nodes[0].depth, 0);
        for pair in nodes.windows(2) {
            // Depth-first: one level down at most, any number up.
            assert!(pair[1].depth <= pair[0].depth + 1);
            assert_ne!(pair[1].depth, 0, "a second root inside one thread");
        }
        // An absent message is only ever a root holding two messages.
        for (position, node) in nodes.iter().enumerate() {
            if node.id.is_none() {
                assert_eq!(position, 0);
                assert!(nodes.iter().filter(|child| child.depth == 1).count() >= 2);
            }
        }
    }
}
