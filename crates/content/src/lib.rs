//! The content analyzer. Skeleton: see the issue-3 design notes.

use tamis_findings::MessageContent;

/// What a reader sees in one message, from its original bytes. Pure and
/// bounded: never panics, never allocates without limit, whatever the bytes.
pub fn extract(_bytes: &[u8]) -> MessageContent {
    todo!()
}
