//! Bounds on what a walk may read, hold and unpack.
//!
//! Memory held at once is at most about `max_zip_buffer_bytes` (nested zips,
//! which need random access) plus `max_item_bytes` (the item being cut) plus
//! fixed-size read buffers, and `max_store_bytes` while a PST or OST found
//! inside an archive is read; it never depends on a size declared in a header.
//! The other limits bound time: how much decompression one file may cause.

/// Limits for one walk. `Default` suits a laptop and real dumps (a Google
/// Takeout archive holds a single mbox of tens of GB).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// How many containers deep an item may be (a gzip layer counts as one).
    /// A container whose contents would be deeper is reported
    /// `nesting-too-deep`. Default 16: real dumps nest three or four deep.
    pub max_depth: usize,
    /// Largest message or file held in memory as one item; larger ones are
    /// reported `item-too-large`. Default 256 MiB: well over any mail
    /// server's message size limit (Exchange allows 150 MB).
    pub max_item_bytes: u64,
    /// Largest decompressed size of one archive entry; larger is
    /// `entry-too-large`. Entries stream, so this bounds time, not memory.
    /// Default 64 GiB, for multi-GB mboxes in takeout archives.
    pub max_entry_bytes: u64,
    /// Most bytes all decompressors under one top-level file may produce, at
    /// every nesting level added up; past it is `archive-bomb`. Default 256 GiB.
    pub max_archive_expanded_bytes: u64,
    /// Most bytes out per compressed byte in, checked as the stream is
    /// decompressed; past it is `archive-bomb`. Default 200: mail compresses
    /// 3–10:1, DEFLATE at best about 1032:1, so only crafted data gets close.
    pub max_compression_ratio: u64,
    /// Output a stream may produce before the ratio is enforced, so a tiny
    /// entry of zeros is not called a bomb. Default 1 MiB.
    pub ratio_slack_bytes: u64,
    /// Most entries read from one archive; the rest are skipped and reported
    /// `too-many-entries`. Default 1,000,000.
    pub max_entries_per_archive: u64,
    /// Most bytes of nested zips held in memory at once (a zip needs random
    /// access, so a zip inside another container is buffered whole; top-level
    /// zips are read from disk). Past it is `entry-too-large`. Default 512 MiB.
    pub max_zip_buffer_bytes: u64,
    /// Largest PST or OST held in memory when it is found inside an archive
    /// (it needs random access); larger is `store-too-large`. Stores on disk
    /// are read in place whatever their size. Default 4 GiB.
    pub max_store_bytes: u64,
}

const KIB: u64 = 1024;
const MIB: u64 = 1024 * KIB;
const GIB: u64 = 1024 * MIB;

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_depth: 16,
            max_item_bytes: 256 * MIB,
            max_entry_bytes: 64 * GIB,
            max_archive_expanded_bytes: 256 * GIB,
            max_compression_ratio: 200,
            ratio_slack_bytes: MIB,
            max_entries_per_archive: 1_000_000,
            max_zip_buffer_bytes: 512 * MIB,
            max_store_bytes: 4 * GIB,
        }
    }
}
