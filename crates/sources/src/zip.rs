//! Zip archives, read in place: entries are decompressed into memory through
//! the entry guard and never written anywhere, so a hostile entry name
//! (`../x`, `/etc/passwd`, `a\b`) is only ever a label in an Origin.
//!
//! A zip whose central directory cannot be read (the usual damage: the copy
//! was cut short) is salvaged from its local headers, in order, up to the
//! damage, so that what was intact is not lost.

use std::cell::Cell;
use std::io::{self, Read, Seek};
use std::rc::Rc;

use ::zip::read::{read_zipfile_from_stream, ZipFile};
use ::zip::result::ZipError;
use ::zip::ZipArchive;
use tamis_items::Origin;

use crate::codes;
use crate::container::{EntryKind, Packing, Walk};
use crate::stream::{tag_of, CountIn};

pub(crate) fn read<R: Read + Seek>(
    walk: &mut Walk<'_>,
    origin: &Origin,
    reader: &mut R,
) -> io::Result<()> {
    let layer = walk.layer();
    // Counts compressed bytes as the entries read them, for the ratio cap.
    let count = Rc::new(Cell::new(0));
    let mut counted = CountIn {
        inner: reader,
        count: count.clone(),
    };
    let result = match ZipArchive::new(&mut counted) {
        Ok(mut archive) => by_directory(walk, origin, &mut archive, &count),
        Err(ZipError::Io(e)) if tag_of(&e).is_some() => Err(e),
        Err(e) => salvage(walk, origin, &mut counted, &count, &e.to_string()),
    };
    walk.settle(layer, origin, result, |_| codes::ARCHIVE_CORRUPT)
        .map(drop)
}

fn by_directory<R: Read + Seek>(
    walk: &mut Walk<'_>,
    origin: &Origin,
    archive: &mut ZipArchive<R>,
    count: &Rc<Cell<u64>>,
) -> io::Result<()> {
    for index in 0..archive.len() {
        if too_many(walk, origin, index, Some(archive.len())) {
            break;
        }
        let name = archive.name_for_index(index).unwrap_or_default();
        let entry_origin = origin.entry(name);
        let mut file = match archive.by_index(index) {
            Ok(file) => file,
            Err(ZipError::Io(e)) if tag_of(&e).is_some() => return Err(e),
            Err(e) => {
                walk.report(entry_origin, open_error_code(&e), e.to_string());
                continue;
            }
        };
        count.set(0);
        one_entry(walk, entry_origin, &mut file, count)?;
    }
    Ok(())
}

fn salvage<R: Read + Seek>(
    walk: &mut Walk<'_>,
    origin: &Origin,
    reader: &mut R,
    count: &Rc<Cell<u64>>,
    why: &str,
) -> io::Result<()> {
    reader.rewind()?;
    let mut recovered = 0;
    let mut parsed_a_header = false;
    loop {
        if too_many(walk, origin, recovered, None) {
            return Ok(());
        }
        match read_zipfile_from_stream(reader) {
            Ok(Some(mut file)) => {
                parsed_a_header = true;
                let entry_origin = origin.entry(file.name());
                count.set(0);
                if !one_entry(walk, entry_origin, &mut file, count)? {
                    // Where the next header starts is unknown past a bad entry.
                    break;
                }
                recovered += 1;
            }
            Err(ZipError::Io(e)) if tag_of(&e).is_some() => return Err(e),
            Ok(None) | Err(_) => break,
        }
    }
    // Well-formed headers up to where the bytes run out mean the copy was
    // cut short; anything else is damage inside the file.
    let code = if parsed_a_header && at_end(reader)? {
        codes::ARCHIVE_TRUNCATED
    } else {
        codes::ARCHIVE_CORRUPT
    };
    walk.report(
        origin.clone(),
        code,
        format!("no usable central directory ({why}); {recovered} entries recovered from local headers before the damage"),
    );
    Ok(())
}

fn at_end<R: Seek>(reader: &mut R) -> io::Result<bool> {
    let pos = reader.stream_position()?;
    let end = reader.seek(io::SeekFrom::End(0))?;
    Ok(pos >= end)
}

fn one_entry<R: Read>(
    walk: &mut Walk<'_>,
    origin: Origin,
    file: &mut ZipFile<'_, R>,
    compressed_read: &Rc<Cell<u64>>,
) -> io::Result<bool> {
    let kind = if file.is_dir() {
        EntryKind::Dir
    } else if file.is_symlink() {
        EntryKind::Symlink(None)
    } else {
        EntryKind::File
    };
    let packing = Packing::Compressed {
        compressed_read: compressed_read.clone(),
    };
    walk.entry(origin, kind, file, packing)
}

fn too_many(walk: &mut Walk<'_>, origin: &Origin, index: usize, total: Option<usize>) -> bool {
    let max = walk.limits.max_entries_per_archive;
    if (index as u64) < max {
        return false;
    }
    let total = total.map_or_else(|| "more".to_string(), |n| n.to_string());
    walk.report(
        origin.clone(),
        codes::TOO_MANY_ENTRIES,
        format!("{total} entries; only the first {max} were read"),
    );
    true
}

fn open_error_code(error: &ZipError) -> &'static str {
    match error {
        ZipError::UnsupportedArchive(_) | ZipError::InvalidPassword => codes::ENTRY_UNSUPPORTED,
        ZipError::Io(e) if e.kind() == io::ErrorKind::UnexpectedEof => codes::ARCHIVE_TRUNCATED,
        _ => codes::ENTRY_CORRUPT,
    }
}
