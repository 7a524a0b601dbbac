//! Tar archives, streamed entry by entry: nothing is extracted, link entries
//! are reported with their targets, and an archive that ends early keeps the
//! entries read before the end.
//!
//! Known limit: the tar crate holds GNU long-name and PAX records whole in
//! memory; for a compressed tar the ratio and expansion caps bound them, for
//! a plain tar the file's own size does.

use std::io::{self, Read};

use tamis_items::Origin;

use crate::codes;
use crate::container::{EntryKind, Packing, Walk};

pub(crate) fn read(walk: &mut Walk<'_>, origin: &Origin, reader: &mut dyn Read) -> io::Result<()> {
    let layer = walk.layer();
    let mut archive = ::tar::Archive::new(reader);
    let result = entries(walk, origin, &mut archive);
    walk.settle(layer, origin, result, own_error_code).map(drop)
}

fn entries(
    walk: &mut Walk<'_>,
    origin: &Origin,
    archive: &mut ::tar::Archive<&mut dyn Read>,
) -> io::Result<()> {
    let max = walk.limits.max_entries_per_archive;
    for (index, entry) in archive.entries()?.enumerate() {
        if index as u64 >= max {
            walk.report(
                origin.clone(),
                codes::TOO_MANY_ENTRIES,
                format!("more than {max} entries; only the first {max} were read"),
            );
            break;
        }
        let mut entry = entry?;
        let name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        let link = || {
            entry
                .link_name_bytes()
                .map(|t| String::from_utf8_lossy(&t).into_owned())
                .unwrap_or_default()
        };
        let kind = match entry.header().entry_type() {
            t if t.is_file() || t.is_contiguous() || t.is_gnu_sparse() => EntryKind::File,
            t if t.is_dir() => EntryKind::Dir,
            t if t.is_symlink() => EntryKind::Symlink(Some(link())),
            t if t.is_hard_link() => EntryKind::Hardlink(link()),
            t if t.is_fifo() => EntryKind::Special("FIFO"),
            t if t.is_character_special() || t.is_block_special() => EntryKind::Special("device"),
            _ => EntryKind::Special("unknown-type"),
        };
        let packing = Packing::Stored { len: entry.size() };
        if !walk.entry(origin.entry(name), kind, &mut entry, packing)? {
            // A tar has no index: past a damaged entry nothing can be found.
            break;
        }
    }
    Ok(())
}

fn own_error_code(error: &io::Error) -> &'static str {
    match error.kind() {
        io::ErrorKind::UnexpectedEof => codes::ARCHIVE_TRUNCATED,
        _ => codes::ARCHIVE_CORRUPT,
    }
}
