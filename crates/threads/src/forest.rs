//! JWZ step 4: the tree as it is shown, without the empty containers that
//! only stood for referenced-but-absent messages.
//!
//! JWZ's rules, reached without its recursion (a forged chain can be
//! 100,000 deep): an empty container's children move up to its parent; an
//! empty root stays, shown as a message that is missing, only when it holds
//! two messages or more, otherwise its only message becomes the root.

use crate::containers::Containers;

/// Roots and children as displayed; empty containers appear only as roots.
pub(crate) struct Forest {
    pub roots: Vec<usize>,
    pub children: Vec<Vec<usize>>,
}

/// `containers` must be loop-free (see [`crate::cycles`]).
pub(crate) fn prune(containers: &Containers<'_>) -> Forest {
    let nodes = &containers.nodes;
    let mut linked_children = vec![Vec::new(); nodes.len()];
    let mut linked_roots = Vec::new();
    for (node, container) in nodes.iter().enumerate() {
        match container.parent {
            Some((parent, _)) => linked_children[parent].push(node),
            None => linked_roots.push(node),
        }
    }

    let mut children = vec![Vec::new(); nodes.len()];
    let mut roots = Vec::new();
    let mut to_visit: Vec<(usize, Option<usize>)> = Vec::new();
    for &root in &linked_roots {
        // Messages under this root with no message above them: the root's
        // own when it holds one, the candidates to promote when it is empty.
        let mut topmost_messages = Vec::new();
        to_visit.push((root, None));
        while let Some((node, nearest_message_above)) = to_visit.pop() {
            let holds_message = nodes[node].message.is_some();
            if holds_message {
                match nearest_message_above {
                    Some(parent) => children[parent].push(node),
                    None => topmost_messages.push(node),
                }
            }
            let nearest_for_children = if holds_message {
                Some(node)
            } else {
                nearest_message_above
            };
            to_visit.extend(
                linked_children[node]
                    .iter()
                    .map(|&child| (child, nearest_for_children)),
            );
        }
        if nodes[root].message.is_some() {
            roots.push(root);
            continue;
        }
        match topmost_messages.len() {
            0 => {}
            1 => roots.push(topmost_messages[0]),
            _ => {
                children[root] = topmost_messages;
                roots.push(root);
            }
        }
    }
    Forest { roots, children }
}
