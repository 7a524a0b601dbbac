//! Paths on disk: directories walked in sorted order, symlinks and special
//! files reported instead of followed or opened, every regular file handed
//! to the container core with its own expansion budget.

use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicU64;
use std::sync::Arc;

use tamis_items::{Origin, SourceEvent};

use crate::codes;
use crate::container::{Input, Walk};
use crate::stream::{Guarded, Progress};
use crate::Limits;

/// Counts of what a walk emitted.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WalkStats {
    /// Regular files on disk that were opened.
    pub inputs: u64,
    /// Bytes of those files, counted whole once each is done.
    pub input_bytes: u64,
    /// Items emitted, of which:
    pub items: u64,
    pub messages: u64,
    pub mbox_messages: u64,
    pub file_items: u64,
    /// Messages rebuilt from PST, OST and MSG stores.
    pub rebuilt_messages: u64,
    /// `Unreadable` events emitted.
    pub unreadable: u64,
}

/// Walks paths and pushes their items to a sink.
///
/// Push rather than an `Iterator`: a nested item lives at the bottom of a
/// stack of readers that borrow each other (an mbox reads a tar entry that
/// reads a gzip decoder that reads a file). Recursion keeps that stack on
/// the call stack with bounded memory; an iterator would have to own it as a
/// self-referential state machine or run it on a thread behind a channel.
/// A caller that wants parallelism sends from the sink into a channel.
pub struct Walker {
    limits: Limits,
    progress: Arc<AtomicU64>,
}

impl Walker {
    pub fn new(limits: Limits) -> Self {
        Walker {
            limits,
            progress: Arc::new(AtomicU64::new(0)),
        }
    }

    /// Bytes of top-level files consumed so far, to poll from another thread
    /// against [`total_bytes`] for a progress bar and an ETA. It advances as
    /// files are read and lands exactly on each file's size when it is done.
    pub fn progress(&self) -> Arc<AtomicU64> {
        self.progress.clone()
    }

    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Emits every item and `Unreadable` under `paths`, in a deterministic
    /// order. Never fails: whatever cannot be read is an event.
    pub fn walk(&self, paths: &[PathBuf], sink: &mut dyn FnMut(SourceEvent)) -> WalkStats {
        let mut walk = Walk::new(&self.limits, sink);
        for_each_file(
            paths,
            &mut |path, size, walk: &mut Walk<'_>| self.top_file(walk, path, size),
            &mut |origin, code, detail, walk: &mut Walk<'_>| walk.report(origin, code, detail),
            &mut walk,
        );
        walk.stats
    }

    fn top_file(&self, walk: &mut Walk<'_>, path: &Path, size: u64) {
        let origin = Origin::file(path.to_string_lossy());
        walk.budget.set(self.limits.max_archive_expanded_bytes);
        let file = match File::open(path) {
            Ok(file) => file,
            Err(e) => {
                walk.report(origin, codes::READ_ERROR, format!("cannot open: {e}"));
                return;
            }
        };
        let mut progress = Progress {
            inner: file,
            pos: 0,
            reported: 0,
            size,
            counter: self.progress.clone(),
        };
        let layer = walk.layer();
        let mut guarded = Guarded::new(&mut progress, layer, |_| codes::READ_ERROR);
        let hint = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let input = Input::Seekable {
            file: &mut guarded,
            len: size,
        };
        let result = walk.contents(&origin, input, &hint);
        if let Err(stray) = walk.settle(layer, &origin, result, |_| codes::READ_ERROR) {
            // Every layer settles its own errors; this is a bug, not the input.
            walk.report(
                origin,
                codes::READ_ERROR,
                format!("unattributed error: {stray}"),
            );
        }
        progress.finish();
        walk.stats.inputs += 1;
        walk.stats.input_bytes += size;
    }
}

/// Walks `paths` under `limits` in one call, for callers that need no
/// progress counter. See [`Walker`].
pub fn walk(paths: &[PathBuf], limits: &Limits, sink: &mut dyn FnMut(SourceEvent)) -> WalkStats {
    Walker::new(limits.clone()).walk(paths, sink)
}

/// Total size of the regular files a walk of `paths` will open, found by
/// the same traversal without reading anything, for an ETA.
pub fn total_bytes(paths: &[PathBuf]) -> u64 {
    let mut total = 0u64;
    for_each_file(
        paths,
        &mut |_, size, total: &mut u64| *total += size,
        &mut |_, _, _, _| {},
        &mut total,
    );
    total
}

type OnFile<'f, S> = dyn FnMut(&Path, u64, &mut S) + 'f;
type OnSkip<'f, S> = dyn FnMut(Origin, &'static str, String, &mut S) + 'f;

/// The traversal both [`Walker::walk`] and [`total_bytes`] use. A path given
/// by the user is followed if it is a symlink (they named it); inside a
/// directory nothing is followed, so a dump cannot point outside itself or
/// loop. Iterative, so a hostile tree of any depth cannot overflow the stack.
fn for_each_file<S>(
    paths: &[PathBuf],
    on_file: &mut OnFile<'_, S>,
    on_skip: &mut OnSkip<'_, S>,
    state: &mut S,
) {
    for path in paths {
        let origin = || Origin::file(path.to_string_lossy());
        match fs::metadata(path) {
            Err(e) => on_skip(
                origin(),
                codes::READ_ERROR,
                format!("cannot stat: {e}"),
                state,
            ),
            Ok(meta) if meta.is_file() => on_file(path, meta.len(), state),
            Ok(meta) if meta.is_dir() => walk_dir(path, on_file, on_skip, state),
            Ok(_) => on_skip(
                origin(),
                codes::SPECIAL_FILE,
                "not a regular file".into(),
                state,
            ),
        }
    }
}

fn walk_dir<S>(
    root: &Path,
    on_file: &mut OnFile<'_, S>,
    on_skip: &mut OnSkip<'_, S>,
    state: &mut S,
) {
    let mut stack = vec![sorted_children(root, on_skip, state).into_iter()];
    while let Some(children) = stack.last_mut() {
        let Some(path) = children.next() else {
            stack.pop();
            continue;
        };
        let origin = || Origin::file(path.to_string_lossy());
        match fs::symlink_metadata(&path) {
            Err(e) => on_skip(
                origin(),
                codes::READ_ERROR,
                format!("cannot stat: {e}"),
                state,
            ),
            Ok(meta) if meta.file_type().is_symlink() => {
                let target = fs::read_link(&path)
                    .map(|t| t.to_string_lossy().into_owned())
                    .unwrap_or_default();
                on_skip(
                    origin(),
                    codes::SYMLINK_SKIPPED,
                    format!("symlink to {target:?}"),
                    state,
                );
            }
            Ok(meta) if meta.is_dir() => {
                let next = sorted_children(&path, on_skip, state).into_iter();
                stack.push(next);
            }
            Ok(meta) if meta.is_file() => on_file(&path, meta.len(), state),
            Ok(_) => on_skip(
                origin(),
                codes::SPECIAL_FILE,
                "FIFO, socket or device".into(),
                state,
            ),
        }
    }
}

fn sorted_children<S>(dir: &Path, on_skip: &mut OnSkip<'_, S>, state: &mut S) -> Vec<PathBuf> {
    let origin = || Origin::file(dir.to_string_lossy());
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            on_skip(
                origin(),
                codes::READ_ERROR,
                format!("cannot list directory: {e}"),
                state,
            );
            return Vec::new();
        }
    };
    let mut children = Vec::new();
    for entry in entries {
        match entry {
            Ok(entry) => children.push(entry.path()),
            Err(e) => on_skip(
                origin(),
                codes::READ_ERROR,
                format!("cannot list directory: {e}"),
                state,
            ),
        }
    }
    children.sort();
    children
}
