//! The stable codes of [`Unreadable`](tamis_items::Unreadable) events, and
//! what the user can do about each. Codes are part of the machine output
//! schema: never rename one, only add.

use tamis_items::{Origin, Unreadable};

/// The OS refused to open or read a file (permissions, I/O error, vanished).
pub const READ_ERROR: &str = "read-error";
/// A file or archive entry of 0 bytes: nothing to analyze.
pub const EMPTY_FILE: &str = "empty-file";
/// An mbox separator with nothing between it and the next one, or an
/// Apple Mail `.emlx` whose byte count is 0.
pub const EMPTY_MESSAGE: &str = "empty-message";
/// A symlink found while walking a directory: not followed.
pub const SYMLINK_SKIPPED: &str = "symlink-skipped";
/// A FIFO, socket or device found while walking a directory: never opened.
pub const SPECIAL_FILE: &str = "special-file";
/// A symlink entry in a tar or zip: reported with its target, not followed.
pub const SYMLINK_ENTRY: &str = "symlink-entry";
/// A hard-link entry in a tar: it holds no bytes of its own.
pub const HARDLINK_ENTRY: &str = "hardlink-entry";
/// A device, FIFO or other non-file entry in a tar.
pub const SPECIAL_ENTRY: &str = "special-entry";
/// A container deeper than `Limits::max_depth`: not opened.
pub const NESTING_TOO_DEEP: &str = "nesting-too-deep";
/// An archive entry that decompresses past `Limits::max_entry_bytes`, or a
/// nested zip past `Limits::max_zip_buffer_bytes`.
pub const ENTRY_TOO_LARGE: &str = "entry-too-large";
/// One message or file past `Limits::max_item_bytes`.
pub const ITEM_TOO_LARGE: &str = "item-too-large";
/// Decompression past the ratio cap or the per-file expansion budget.
pub const ARCHIVE_BOMB: &str = "archive-bomb";
/// A zip, tar or gzip that ends before its own structure says it should.
pub const ARCHIVE_TRUNCATED: &str = "archive-truncated";
/// A zip, tar or gzip whose structure cannot be parsed.
pub const ARCHIVE_CORRUPT: &str = "archive-corrupt";
/// A zip entry whose data fails to decompress or fails its CRC.
pub const ENTRY_CORRUPT: &str = "entry-corrupt";
/// A zip entry that is encrypted or uses a compression method tamis lacks.
pub const ENTRY_UNSUPPORTED: &str = "entry-unsupported";
/// An archive past `Limits::max_entries_per_archive`: the rest is skipped.
pub const TOO_MANY_ENTRIES: &str = "too-many-entries";
/// An Apple Mail `.emlx` that ends before the message length its first
/// line declares: the message is cut short and is not analyzed.
pub const EMLX_TRUNCATED: &str = "emlx-truncated";
/// An Apple Mail `.emlx` whose declared message length does not end where
/// Mail's plist starts (or that has no length line): the file was edited
/// or converted after Mail wrote it, and the message is not analyzed.
pub const EMLX_COUNT_MISMATCH: &str = "emlx-count-mismatch";
/// A PST or OST whose header or root cannot be read: nothing in it was read.
pub const STORE_UNREADABLE: &str = "store-unreadable";
/// A PST or OST in a layout tamis cannot read (a `wVer` newer than
/// Outlook 2013's 36).
pub const STORE_UNSUPPORTED: &str = "store-unsupported";
/// A PST or OST inside an archive larger than `Limits::max_store_bytes`.
pub const STORE_TOO_LARGE: &str = "store-too-large";
/// A folder of a PST or OST that cannot be opened, or whose contents table
/// cannot be read; its listed messages count as failed.
pub const STORE_FOLDER_UNREADABLE: &str = "store-folder-unreadable";
/// A message listed by a PST or OST (or a whole .msg) that cannot be read;
/// the reason says what could be (subject, sender, date).
pub const STORE_MESSAGE_UNREADABLE: &str = "store-message-unreadable";
/// An attachment of a message read from a store whose bytes cannot be had
/// (by reference, damaged, or an attachment of an embedded PST message).
pub const STORE_ATTACHMENT_UNREADABLE: &str = "store-attachment-unreadable";

fn advice(code: &str) -> &'static str {
    match code {
        READ_ERROR => "check the file's permissions and the disk, then run again on this path",
        EMPTY_FILE | EMPTY_MESSAGE => "nothing to analyze; if content was expected here, the copy of the dump is incomplete",
        SYMLINK_SKIPPED => "symlinks are never followed, so a dump cannot point tamis outside itself; pass the target path explicitly if it belongs to the dump",
        SPECIAL_FILE => "only regular files are read; this one was left alone",
        SYMLINK_ENTRY | HARDLINK_ENTRY => "link entries are never followed; the file they name is read on its own if it is in the archive",
        SPECIAL_ENTRY => "only regular file entries hold items; this one was skipped",
        NESTING_TOO_DEEP => "containers this deep are a classic decompression trap; unpack this one by hand in a sandbox and pass it directly, or raise max_depth",
        ENTRY_TOO_LARGE => "unpack this entry by hand in a sandbox and pass it as a file, or raise the entry limit",
        ITEM_TOO_LARGE => "cut it out by hand if it matters, or raise max_item_bytes",
        ARCHIVE_BOMB => "this looks like a decompression bomb; unpack it by hand in a sandbox if you trust it, or raise the ratio and expansion limits",
        ARCHIVE_TRUNCATED => "items read before the damage were kept; look for a complete copy of this archive",
        ARCHIVE_CORRUPT | ENTRY_CORRUPT => "items read before the damage were kept; try a repair tool (zip -FF, gzip-recover) on a copy and pass the result",
        ENTRY_UNSUPPORTED => "unpack this entry with a tool that supports it (and the password, if any) and pass the result",
        TOO_MANY_ENTRIES => "the remaining entries were skipped; split the archive or raise max_entries_per_archive",
        EMLX_TRUNCATED => "look for a complete copy of this file (Mail's own folder, a backup); the message cannot be checked from a part of it",
        EMLX_COUNT_MISMATCH => "the file was changed after Apple Mail wrote it (edited, or its line endings converted); look for an untouched copy, or cut the message out by hand and pass it as an .eml",
        STORE_UNREADABLE => "open the store in Outlook or run scanpst.exe (Inbox Repair Tool) on a copy, then pass the repaired copy",
        STORE_UNSUPPORTED => "export the mailbox to a .pst from Outlook (File > Open & Export > Import/Export), or convert it with readpst, and pass the result",
        STORE_TOO_LARGE => "extract the store from the archive and pass it as a file (stores on disk are read in place), or raise max_store_bytes",
        STORE_FOLDER_UNREADABLE | STORE_MESSAGE_UNREADABLE => "the other messages were read; run scanpst.exe on a copy of the store, or try readpst or pffexport, for what this one holds",
        STORE_ATTACHMENT_UNREADABLE => "the message was read without this attachment; open it in Outlook for the attachment, if the store still has it",
        _ => "see the detail above",
    }
}

/// An `Unreadable` whose reason says what went wrong and what to do.
pub(crate) fn unreadable(
    origin: Origin,
    code: &'static str,
    detail: impl AsRef<str>,
) -> Unreadable {
    Unreadable {
        origin,
        code: code.to_string(),
        reason: format!("{}: {}", detail.as_ref(), advice(code)),
    }
}
