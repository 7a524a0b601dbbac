//! Breaking the loops that forged or broken References create (A names B
//! as its parent and B names A), in one pass over the parent links.
//!
//! JWZ refuses a link that would close a loop at the moment it is made,
//! which costs a walk up the tree per link: quadratic on a forged chain of
//! 100,000 ids. Parent links form a graph where each container has at most
//! one parent, so every loop is found by following parents once.

use crate::containers::Containers;
use crate::order::sort_key;
use crate::ThreadInput;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Visit {
    NotYet,
    OnCurrentWalk,
    Done,
}

/// Removes one parent link from every loop, so the links form a forest.
pub(crate) fn break_cycles(containers: &mut Containers<'_>, messages: &[ThreadInput]) {
    let count = containers.nodes.len();
    let mut visit = vec![Visit::NotYet; count];
    let mut walk: Vec<usize> = Vec::new();
    for start in 0..count {
        if visit[start] != Visit::NotYet {
            continue;
        }
        walk.clear();
        let mut node = start;
        loop {
            visit[node] = Visit::OnCurrentWalk;
            walk.push(node);
            let Some((parent, _)) = containers.nodes[node].parent else {
                break;
            };
            match visit[parent] {
                Visit::NotYet => node = parent,
                Visit::OnCurrentWalk => {
                    if let Some(loop_start) = walk.iter().rposition(|&on_walk| on_walk == parent) {
                        cut_loop(containers, messages, &walk[loop_start..]);
                    }
                    break;
                }
                Visit::Done => break,
            }
        }
        for &walked in &walk {
            visit[walked] = Visit::Done;
        }
    }
}

/// The weakest claim in the loop goes: a link guessed from another
/// message's References before one a message stated itself; among equal
/// claims, the container that sorts first (the oldest message) becomes the
/// root of what the loop was.
fn cut_loop(containers: &mut Containers<'_>, messages: &[ThreadInput], looped: &[usize]) {
    let weakest = looped.iter().copied().min_by_key(|&node| {
        let source = containers.nodes[node].parent.map(|(_, source)| source);
        (source, sort_key(containers, messages, node))
    });
    if let Some(node) = weakest {
        containers.nodes[node].parent = None;
    }
}
