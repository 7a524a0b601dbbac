//! JWZ step 1: one container per Message-ID, and the parent links that
//! References and In-Reply-To claim.
//!
//! Links are recorded without JWZ's loop check (a walk per link, quadratic
//! on a long forged chain); [`crate::cycles`] breaks every loop afterwards
//! in one linear pass.

use std::collections::HashMap;

use crate::ThreadInput;

/// Who said a container has its parent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum ParentSource {
    /// Another message's References listed the two ids one after the other.
    Inferred,
    /// The message itself named it (its last reference, or In-Reply-To).
    Stated,
}

#[derive(Debug)]
pub(crate) struct Container<'a> {
    /// Index of the message in the caller's slice; `None` for an id that is
    /// referenced but absent from the case (JWZ's empty container).
    pub message: Option<usize>,
    /// The id this container stands for: the referenced id of an empty
    /// container, the message's own Message-ID otherwise (a duplicate's
    /// claimed id too, although the id table points elsewhere).
    pub message_id: Option<&'a str>,
    pub parent: Option<(usize, ParentSource)>,
}

/// Containers indexed so that the index is a rank independent of input
/// order: messages first in canonical order, then empty containers in the
/// order they were first referenced.
pub(crate) struct Containers<'a> {
    pub nodes: Vec<Container<'a>>,
}

/// Builds the containers and their claimed parent links. `canonical` is
/// every message index in an order that does not depend on the caller's
/// order: it decides which of two messages sharing a Message-ID owns it,
/// and which References chain links a container first.
pub(crate) fn build<'a>(messages: &'a [ThreadInput], canonical: &[usize]) -> Containers<'a> {
    let mut nodes: Vec<Container<'a>> = Vec::with_capacity(messages.len());
    let mut id_table: HashMap<&'a str, usize> = HashMap::with_capacity(messages.len());
    let mut container_of_message = vec![0usize; messages.len()];

    // Every message gets its own container before any reference creates an
    // empty one, so ownership of an id depends on messages alone.
    for &index in canonical {
        let own_id = messages[index].message_id.as_deref().and_then(clean_id);
        let container = nodes.len();
        nodes.push(Container {
            message: Some(index),
            message_id: own_id,
            parent: None,
        });
        container_of_message[index] = container;
        if let Some(id) = own_id {
            // A second message claiming a taken id (a forgery, a re-export)
            // keeps its own container: nothing may be lost.
            id_table.entry(id).or_insert(container);
        }
    }

    for &index in canonical {
        let message = &messages[index];
        let own_id = message.message_id.as_deref().and_then(clean_id);
        let chain: Vec<usize> = parent_ids(message)
            .into_iter()
            .filter(|id| Some(*id) != own_id)
            .map(|id| {
                *id_table.entry(id).or_insert_with(|| {
                    nodes.push(Container {
                        message: None,
                        message_id: Some(id),
                        parent: None,
                    });
                    nodes.len() - 1
                })
            })
            .collect();

        // Each reference is the parent of the next, unless a link already
        // says otherwise (JWZ: do not change existing links).
        for pair in chain.windows(2) {
            let (parent, child) = (pair[0], pair[1]);
            if parent != child && nodes[child].parent.is_none() {
                nodes[child].parent = Some((parent, ParentSource::Inferred));
            }
        }
        // The message's own word about its parent overrides any guess.
        let own = container_of_message[index];
        if let Some(&last) = chain.last() {
            if last != own {
                nodes[own].parent = Some((last, ParentSource::Stated));
            }
        }
    }
    Containers { nodes }
}

/// The ids a message names as its ancestors, oldest first: References, or
/// when it has none, the first In-Reply-To id (as JWZ).
fn parent_ids(message: &ThreadInput) -> Vec<&str> {
    let references: Vec<&str> = message
        .references
        .iter()
        .filter_map(|id| clean_id(id))
        .collect();
    if !references.is_empty() {
        return references;
    }
    message
        .in_reply_to
        .iter()
        .filter_map(|id| clean_id(id))
        .take(1)
        .collect()
}

/// The id without surrounding space or angle brackets; `None` if nothing is
/// left.
pub(crate) fn clean_id(id: &str) -> Option<&str> {
    let id = id.trim();
    let id = id.strip_prefix('<').unwrap_or(id);
    let id = id.strip_suffix('>').unwrap_or(id).trim();
    (!id.is_empty()).then_some(id)
}
