//! Sources: turn paths into a stream of items, bounded, from hostile input.
//!
//! A path may be a single message, an mbox (mboxo or mboxrd), a maildir or
//! any directory tree, a zip, a tar, a gzip (`.tar.gz`, `.mbox.gz`), nested
//! in any order. What a file is comes from its bytes, not its name. Every
//! message or other file becomes an [`Item`](tamis_items::Item) with its
//! exact original bytes; everything that cannot be read becomes an
//! [`Unreadable`](tamis_items::Unreadable) with a stable code from
//! [`codes`], and the walk goes on.
//!
//! Outlook stores are the exception to "exact original bytes": a PST, OST
//! or `.msg` keeps a message's properties, not its bytes, so each message
//! is rebuilt as RFC 5322 (headers as stored, body re-made) and emitted as
//! a [`RebuiltMessage`](tamis_items::ItemKind::RebuiltMessage); a PST or
//! OST also reports a [`StoreTally`](tamis_items::StoreTally) of what its
//! own index claims against what was read.
//!
//! Nothing is ever extracted to disk: archive entries are read into memory
//! through caps ([`Limits`]), so an entry name is only ever a label.
//!
//! ```no_run
//! use tamis_sources::{total_bytes, Limits, Walker};
//! let paths = vec![std::path::PathBuf::from("dump.zip")];
//! let total = total_bytes(&paths);
//! let walker = Walker::new(Limits::default());
//! let done = walker.progress(); // poll `done` against `total` for an ETA
//! let stats = walker.walk(&paths, &mut |event| println!("{event:?}"));
//! ```

pub mod codes;
mod container;
mod detect;
mod gzip;
mod limits;
mod mbox;
mod stores;
mod stream;
mod tar;
mod walk;
mod zip;

pub use limits::Limits;
pub use walk::{total_bytes, walk, WalkStats, Walker};
