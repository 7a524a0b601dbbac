//! Gzip (a `.gz` mbox, a `.tgz`), decompressed as a stream under the ratio
//! and expansion caps. Concatenated members (logrotate, pigz) are read as
//! one stream, as `gunzip` does.
//!
//! The decompressed stream is one container level, named by the gzip
//! header's stored file name, else by the outer name without `.gz`, so that
//! an mbox offset (`inbox.mbox.gz!inbox.mbox@1234`) is plainly an offset in
//! the decompressed bytes.

use std::cell::Cell;
use std::io::{self, BufReader, Cursor, Read};
use std::rc::Rc;

use flate2::bufread::MultiGzDecoder;
use tamis_items::Origin;

use crate::codes;
use crate::container::{Input, Walk};
use crate::detect::HEAD_LEN;
use crate::stream::{read_up_to, Caps, CountIn, Guarded};

pub(crate) fn read(
    walk: &mut Walk<'_>,
    origin: &Origin,
    reader: &mut dyn Read,
    name_hint: &str,
) -> io::Result<()> {
    let layer = walk.layer();
    let compressed = Rc::new(Cell::new(0));
    let counted = CountIn {
        inner: reader,
        count: compressed.clone(),
    };
    let decoder = MultiGzDecoder::new(BufReader::new(counted));
    let limits = walk.limits;
    let caps = Caps {
        max_out: None,
        compressed_in: Some(compressed),
        max_ratio: limits.max_compression_ratio,
        ratio_slack: limits.ratio_slack_bytes,
        budget: Some(walk.budget.clone()),
    };
    let mut guarded = Guarded::new(decoder, layer, error_code).caps(caps);

    // The stored name is known only once the header has been read.
    let mut head = vec![0u8; HEAD_LEN];
    let result = read_up_to(&mut guarded, &mut head).and_then(|filled| {
        head.truncate(filled);
        let stored = guarded.get_ref().header().and_then(|h| h.filename());
        let inner_name = match stored {
            Some(name) => String::from_utf8_lossy(name).into_owned(),
            None => strip_gz(name_hint),
        };
        let inner = origin.entry(inner_name.as_str());
        let mut whole = Cursor::new(std::mem::take(&mut head)).chain(&mut guarded);
        walk.contents(&inner, Input::Stream(&mut whole), &inner_name)
    });
    let decompressed = guarded.bytes_out();
    let result = result.map_err(|e| add_position(e, decompressed));
    walk.settle(layer, origin, result, error_code).map(drop)
}

/// A gzip error says little by itself; how far decompression got tells the
/// reader how much of the file was good.
fn add_position(error: io::Error, decompressed: u64) -> io::Error {
    match crate::stream::tag_of(&error) {
        Some(tag) if tag.code != codes::ARCHIVE_BOMB => crate::stream::tagged(
            tag.layer,
            tag.code,
            format!("{} (after {decompressed} decompressed bytes)", tag.detail),
        ),
        _ => error,
    }
}

fn strip_gz(name: &str) -> String {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".tgz") {
        format!("{}.tar", &name[..name.len() - 4])
    } else if lower.ends_with(".gz") && name.len() > 3 {
        name[..name.len() - 3].to_string()
    } else {
        format!("{name}.gunzip")
    }
}

fn error_code(error: &io::Error) -> &'static str {
    match error.kind() {
        io::ErrorKind::UnexpectedEof => codes::ARCHIVE_TRUNCATED,
        _ => codes::ARCHIVE_CORRUPT,
    }
}

#[cfg(test)]
mod tests {
    use super::strip_gz;

    #[test]
    fn inner_names_follow_gunzip() {
        assert_eq!(strip_gz("inbox.mbox.gz"), "inbox.mbox");
        assert_eq!(strip_gz("dump.TGZ"), "dump.tar");
        assert_eq!(strip_gz("blob"), "blob.gunzip");
    }
}
