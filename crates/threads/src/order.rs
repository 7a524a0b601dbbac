//! Orders that make the output depend on the messages alone, never on the
//! order the caller listed them in, and the flattening into display order.

use std::cmp::Ordering;

use crate::containers::Containers;
use crate::forest::Forest;
use crate::{ThreadInput, ThreadNode};

/// Every message index, sorted on everything the message carries, so that
/// two runs over the same messages in any order make the same choices.
pub(crate) fn canonical_order(messages: &[ThreadInput]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..messages.len()).collect();
    order.sort_by(|&a, &b| compare_inputs(&messages[a], &messages[b]));
    order
}

fn compare_inputs(a: &ThreadInput, b: &ThreadInput) -> Ordering {
    (
        a.id,
        a.date_unix,
        &a.message_id,
        &a.subject,
        &a.in_reply_to,
        &a.references,
    )
        .cmp(&(
            b.id,
            b.date_unix,
            &b.message_id,
            &b.subject,
            &b.in_reply_to,
            &b.references,
        ))
}

/// Where a container sorts among its siblings: by date (undated last), then
/// the caller's id, then its rank, which is unique.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct SortKey {
    undated: bool,
    date: i64,
    without_message: bool,
    id: i64,
    rank: usize,
}

pub(crate) fn sort_key(
    containers: &Containers<'_>,
    messages: &[ThreadInput],
    node: usize,
) -> SortKey {
    let message = containers.nodes[node].message.map(|index| &messages[index]);
    let date = message.and_then(|message| message.date_unix);
    SortKey {
        undated: date.is_none(),
        date: date.unwrap_or(0),
        without_message: message.is_none(),
        id: message.map_or(0, |message| message.id),
        rank: node,
    }
}

/// Each thread depth-first with siblings in [`SortKey`] order; threads by
/// their earliest date (undated last), then their smallest caller id.
pub(crate) fn flatten(
    mut forest: Forest,
    containers: &Containers<'_>,
    messages: &[ThreadInput],
) -> Vec<Vec<ThreadNode>> {
    for siblings in &mut forest.children {
        siblings.sort_by_key(|&node| sort_key(containers, messages, node));
    }

    let mut threads: Vec<(ThreadOrder, Vec<ThreadNode>)> = Vec::with_capacity(forest.roots.len());
    let mut to_visit: Vec<(usize, u32)> = Vec::new();
    for &root in &forest.roots {
        let mut nodes = Vec::new();
        let mut thread_order = ThreadOrder::default();
        to_visit.push((root, 0));
        while let Some((node, depth)) = to_visit.pop() {
            let container = &containers.nodes[node];
            let message = container.message.map(|index| &messages[index]);
            thread_order.include(message, node);
            nodes.push(ThreadNode {
                id: message.map(|message| message.id),
                message_id: container.message_id.map(str::to_string),
                depth,
            });
            let child_depth = depth.saturating_add(1);
            to_visit.extend(
                forest.children[node]
                    .iter()
                    .rev()
                    .map(|&child| (child, child_depth)),
            );
        }
        threads.push((thread_order, nodes));
    }
    threads.sort_by_key(|(thread_order, _)| *thread_order);
    threads.into_iter().map(|(_, nodes)| nodes).collect()
}

/// The earliest date, smallest caller id and smallest rank in a thread.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct ThreadOrder {
    undated: bool,
    first_date: i64,
    without_message: bool,
    smallest_id: i64,
    smallest_rank: usize,
}

impl Default for ThreadOrder {
    fn default() -> Self {
        ThreadOrder {
            undated: true,
            first_date: i64::MAX,
            without_message: true,
            smallest_id: i64::MAX,
            smallest_rank: usize::MAX,
        }
    }
}

impl ThreadOrder {
    fn include(&mut self, message: Option<&ThreadInput>, rank: usize) {
        self.smallest_rank = self.smallest_rank.min(rank);
        let Some(message) = message else {
            return;
        };
        self.without_message = false;
        self.smallest_id = self.smallest_id.min(message.id);
        if let Some(date) = message.date_unix {
            self.undated = false;
            self.first_date = self.first_date.min(date);
        }
    }
}
