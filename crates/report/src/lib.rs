//! `tamis report`. Skeleton: see the issue-3 design notes.
