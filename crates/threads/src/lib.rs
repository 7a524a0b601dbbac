//! JWZ threading (<https://www.jwz.org/doc/threading.html>) of a case's
//! messages on Message-ID, References and In-Reply-To, for dumps where ids
//! are forged, duplicated and looped on purpose.
//!
//! Where it departs from JWZ, and why:
//! - a second message claiming a taken Message-ID keeps a container of its
//!   own (JWZ would overwrite or drop one), so no message is lost;
//! - loops are broken after linking, in one pass ([`cycles`]), instead of a
//!   walk per link, which is quadratic on a forged 100,000-id chain;
//! - grouping by subject only attaches a reply to its unambiguous original
//!   ([`subject`]): JWZ's merging of equal subjects joins unrelated threads;
//! - everything is iterative and ordered by content, so the result is the
//!   same whatever the input order.

mod containers;
mod cycles;
mod forest;
mod order;
mod subject;

/// One message as threading sees it.
#[derive(Clone, Debug, Default)]
pub struct ThreadInput {
    /// The caller's id for the message (the case's message id).
    pub id: i64,
    pub message_id: Option<String>,
    pub in_reply_to: Vec<String>,
    pub references: Vec<String>,
    pub subject: Option<String>,
    pub date_unix: Option<i64>,
}

/// One node of a thread in display order (depth-first, siblings by date).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ThreadNode {
    /// `None` for a message referenced but absent (a JWZ "empty container").
    pub id: Option<i64>,
    /// The Message-ID the message claims (a duplicate's too, although the
    /// id leads to the first claimant), or the absent message's id.
    pub message_id: Option<String>,
    pub depth: u32,
}

/// Every message in exactly one thread; threads ordered by their first date,
/// deterministic for the same input whatever its order.
///
/// Ids are compared as written, without angle brackets or surrounding
/// space. A message that states its parent (last References id, else first
/// In-Reply-To id) is placed there; one that states none may be placed by
/// other messages' References. An absent parent shows as a node with `id`
/// `None` only when it is a thread's root holding two messages or more.
/// Siblings are ordered by date (undated last), then caller id.
pub fn thread(messages: &[ThreadInput]) -> Vec<Vec<ThreadNode>> {
    let canonical = order::canonical_order(messages);
    let mut containers = containers::build(messages, &canonical);
    cycles::break_cycles(&mut containers, messages);
    let mut forest = forest::prune(&containers);
    subject::group_roots(&mut forest, &containers, messages);
    order::flatten(forest, &containers, messages)
}
