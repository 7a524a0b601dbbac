//! JWZ threading. Skeleton: see the issue-3 design notes.

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
    pub message_id: Option<String>,
    pub depth: u32,
}

/// Every message in exactly one thread; threads ordered by their first date,
/// deterministic for the same input whatever its order.
pub fn thread(_messages: &[ThreadInput]) -> Vec<Vec<ThreadNode>> {
    todo!()
}
