//! The recursive core shared by every container: sniff a stream, then emit it
//! as items or open it as a container, and the one "archive entry" path that
//! zip and tar both go through.

use std::cell::Cell;
use std::io::{self, BufReader, Cursor, Read, Seek};
use std::rc::Rc;

use tamis_items::{Item, ItemKind, Origin, SourceEvent};

use crate::codes::{self, unreadable};
use crate::detect::{sniff, Format, HEAD_LEN};
use crate::mbox::{self, Cut};
use crate::stores::{self, emlx};
use crate::stream::{read_capped, read_capped_sized, read_up_to, tag_of, Caps, Guarded, LayerId};
use crate::{gzip, tar, zip, Limits, WalkStats};

/// A top-level file, which zips read with seeks instead of buffering.
pub(crate) trait ReadSeek: Read + Seek {}
impl<T: Read + Seek> ReadSeek for T {}

/// The bytes of something to sniff: a stream, or a file on disk that a zip
/// can seek in.
pub(crate) enum Input<'r> {
    Stream(&'r mut dyn Read),
    /// `len` is the file's size when it was listed: a hint for reading it.
    Seekable {
        file: &'r mut dyn ReadSeek,
        len: u64,
    },
}

/// The state of one walk: where events go, and the budgets shared by every
/// layer under the current top-level file.
pub(crate) struct Walk<'a> {
    pub limits: &'a Limits,
    sink: &'a mut dyn FnMut(SourceEvent),
    pub stats: WalkStats,
    next_layer: LayerId,
    /// Decompressed bytes still allowed under the current top-level file.
    pub budget: Rc<Cell<u64>>,
    /// Bytes of nested zips held in memory right now.
    buffered: u64,
}

/// What an archive entry is, as its archive declares it.
pub(crate) enum EntryKind {
    File,
    Dir,
    /// `None` when the target is the entry's content (zip).
    Symlink(Option<String>),
    Hardlink(String),
    Special(&'static str),
}

/// How an entry's bytes are stored, which decides the checks on them.
pub(crate) enum Packing {
    /// Stored as is with a declared length (tar): a shorter stream is truncation.
    Stored { len: u64 },
    /// Compressed (zip): the ratio and the expansion budget apply. The
    /// count is of compressed bytes actually read for this entry, not the
    /// size its header declares, which a bomb can inflate.
    Compressed { compressed_read: Rc<Cell<u64>> },
}

impl<'a> Walk<'a> {
    pub fn new(limits: &'a Limits, sink: &'a mut dyn FnMut(SourceEvent)) -> Self {
        Walk {
            limits,
            sink,
            stats: WalkStats::default(),
            next_layer: 0,
            budget: Rc::new(Cell::new(limits.max_archive_expanded_bytes)),
            buffered: 0,
        }
    }

    pub fn layer(&mut self) -> LayerId {
        self.next_layer += 1;
        self.next_layer
    }

    pub fn report(&mut self, origin: Origin, code: &'static str, detail: impl AsRef<str>) {
        self.stats.unreadable += 1;
        (self.sink)(SourceEvent::Unreadable(unreadable(origin, code, detail)));
    }

    /// A mail store's own count of its messages against what was read.
    pub(crate) fn tally(&mut self, tally: tamis_items::StoreTally) {
        (self.sink)(SourceEvent::Store(tally));
    }

    pub(crate) fn emit(&mut self, origin: Origin, bytes: Vec<u8>, kind: ItemKind) {
        self.stats.items += 1;
        match kind {
            ItemKind::Message => self.stats.messages += 1,
            ItemKind::MboxMessage => self.stats.mbox_messages += 1,
            ItemKind::File => self.stats.file_items += 1,
            ItemKind::RebuiltMessage => self.stats.rebuilt_messages += 1,
        }
        (self.sink)(SourceEvent::Item(Item {
            bytes,
            origin,
            kind,
        }));
    }

    /// Reports an error that belongs to `layer` at `origin` and returns
    /// `Ok(false)`; hands any other layer's error back up. An untagged error
    /// is the layer's own (a parse error raised by tar or zip themselves).
    pub fn settle(
        &mut self,
        layer: LayerId,
        origin: &Origin,
        result: io::Result<()>,
        own_code: fn(&io::Error) -> &'static str,
    ) -> io::Result<bool> {
        let Err(error) = result else {
            return Ok(true);
        };
        match tag_of(&error) {
            Some(tag) if tag.layer != layer => Err(error),
            Some(tag) => {
                let (code, detail) = (tag.code, tag.detail.clone());
                self.report(origin.clone(), code, detail);
                Ok(false)
            }
            None => {
                self.report(origin.clone(), own_code(&error), error.to_string());
                Ok(false)
            }
        }
    }

    /// Sniffs `reader` and turns it into items, opening containers. Read
    /// errors are returned for the layer that owns them to settle.
    pub fn contents(
        &mut self,
        origin: &Origin,
        mut input: Input<'_>,
        name_hint: &str,
    ) -> io::Result<()> {
        let mut head = vec![0u8; HEAD_LEN];
        let filled = match &mut input {
            Input::Stream(reader) => read_up_to(*reader, &mut head)?,
            Input::Seekable { file, .. } => read_up_to(*file, &mut head)?,
        };
        head.truncate(filled);
        let format = sniff(&head, name_hint);
        if matches!(
            format,
            Format::Zip | Format::Gzip | Format::Tar | Format::Pst
        ) && origin.depth() >= self.limits.max_depth
        {
            self.report(
                origin.clone(),
                codes::NESTING_TOO_DEEP,
                format!(
                    "{format:?} container at nesting depth {}, over max_depth {}",
                    origin.depth(),
                    self.limits.max_depth
                ),
            );
            return Ok(());
        }
        if format == Format::Zip {
            if let Input::Seekable { file, .. } = input {
                file.rewind()?;
                return zip::read(self, origin, &mut BufReader::new(file));
            }
        }
        if format == Format::Pst {
            return self.outlook_store(origin, input, head, name_hint);
        }
        let (reader, len_hint): (&mut dyn Read, _) = match input {
            Input::Stream(reader) => (reader, None),
            Input::Seekable { file, len } => (file, Some(len)),
        };
        let mut whole = Cursor::new(head).chain(reader);
        match format {
            Format::Empty => self.report(origin.clone(), codes::EMPTY_FILE, "0 bytes"),
            Format::Zip => self.buffered_zip(origin, &mut whole)?,
            Format::Gzip => gzip::read(self, origin, &mut whole, name_hint)?,
            Format::Tar => tar::read(self, origin, &mut whole)?,
            Format::Mbox => self.mbox(origin, &mut whole)?,
            Format::Message => self.item(origin, &mut whole, ItemKind::Message, len_hint)?,
            Format::Emlx => match emlx::read(&mut whole, self.limits.max_item_bytes, len_hint)? {
                Ok(message) => {
                    let kind = emlx::kind_of(&message);
                    self.emit(origin.clone(), message, kind)
                }
                Err((code, detail)) => self.report(origin.clone(), code, detail),
            },
            // A PST was read above, where the seekable file still is.
            Format::Pst | Format::OutlookMsg | Format::Other => {
                self.item(origin, &mut whole, ItemKind::File, len_hint)?
            }
        }
        Ok(())
    }

    fn item(
        &mut self,
        origin: &Origin,
        reader: &mut dyn Read,
        kind: ItemKind,
        len_hint: Option<u64>,
    ) -> io::Result<()> {
        let max = self.limits.max_item_bytes;
        match read_capped_sized(reader, max, len_hint.unwrap_or(0))? {
            // Any OLE2 file is checked by its directory: a .msg, even
            // renamed, is a message; a .doc or .xls stays a file.
            Some(bytes) if kind == ItemKind::File && stores::msg::is_ole2(&bytes) => {
                self.outlook_msg(origin, bytes)
            }
            Some(bytes) => self.emit(origin.clone(), bytes, kind),
            None => self.report(
                origin.clone(),
                codes::ITEM_TOO_LARGE,
                format!("more than max_item_bytes ({max} bytes)"),
            ),
        }
        Ok(())
    }

    fn mbox(&mut self, origin: &Origin, reader: &mut dyn Read) -> io::Result<()> {
        let max = self.limits.max_item_bytes;
        mbox::split(reader, max, &mut |cut| match cut {
            Cut::Message { offset, bytes } => {
                self.emit(origin.at_offset(offset), bytes, ItemKind::MboxMessage)
            }
            Cut::TooLarge { offset, len } => self.report(
                origin.at_offset(offset),
                codes::ITEM_TOO_LARGE,
                format!("mbox message of {len} bytes, over max_item_bytes ({max} bytes)"),
            ),
            Cut::Empty { offset } => self.report(
                origin.at_offset(offset),
                codes::EMPTY_MESSAGE,
                "mbox separator with no message after it",
            ),
        })
    }

    /// A zip inside another container has no seekable file under it, so it
    /// is held in memory, within what `max_zip_buffer_bytes` has left.
    fn buffered_zip(&mut self, origin: &Origin, reader: &mut dyn Read) -> io::Result<()> {
        let room = self
            .limits
            .max_zip_buffer_bytes
            .saturating_sub(self.buffered);
        let Some(bytes) = read_capped(reader, room)? else {
            self.report(
                origin.clone(),
                codes::ENTRY_TOO_LARGE,
                format!(
                    "nested zip larger than the {room} bytes of max_zip_buffer_bytes left to hold it in memory"
                ),
            );
            return Ok(());
        };
        let held = bytes.len() as u64;
        self.buffered += held;
        let result = zip::read(self, origin, &mut Cursor::new(bytes));
        self.buffered -= held;
        result
    }

    /// One archive entry, from zip or tar: links and specials are reported,
    /// files are read through a guard and recursed into. Returns `Ok(false)`
    /// when the entry's own stream failed (reported here).
    pub fn entry(
        &mut self,
        origin: Origin,
        kind: EntryKind,
        reader: &mut dyn Read,
        packing: Packing,
    ) -> io::Result<bool> {
        match kind {
            EntryKind::File => {}
            EntryKind::Dir => return Ok(true),
            EntryKind::Symlink(target) => {
                let target = match target {
                    Some(target) => target,
                    None => match read_capped(reader, 4096) {
                        Ok(Some(bytes)) => String::from_utf8_lossy(&bytes).into_owned(),
                        Ok(None) => "a target over 4 KiB".to_string(),
                        Err(e) if tag_of(&e).is_some() => return Err(e),
                        Err(_) => "an unreadable target".to_string(),
                    },
                };
                self.report(
                    origin,
                    codes::SYMLINK_ENTRY,
                    format!("symlink to {target:?}"),
                );
                return Ok(true);
            }
            EntryKind::Hardlink(target) => {
                self.report(
                    origin,
                    codes::HARDLINK_ENTRY,
                    format!("hard link to {target:?}"),
                );
                return Ok(true);
            }
            EntryKind::Special(what) => {
                self.report(origin, codes::SPECIAL_ENTRY, format!("{what} entry"));
                return Ok(true);
            }
        }
        let layer = self.layer();
        let limits = self.limits;
        let max_out = Some((limits.max_entry_bytes, codes::ENTRY_TOO_LARGE));
        let (caps, expect_len) = match packing {
            Packing::Stored { len } => (
                Caps {
                    max_out,
                    ..Caps::none()
                },
                Some(len),
            ),
            Packing::Compressed { compressed_read } => (
                Caps {
                    max_out,
                    compressed_in: Some(compressed_read),
                    max_ratio: limits.max_compression_ratio,
                    ratio_slack: limits.ratio_slack_bytes,
                    budget: Some(self.budget.clone()),
                },
                None,
            ),
        };
        let mut guarded = Guarded::new(reader, layer, entry_error_code).caps(caps);
        if let Some(len) = expect_len {
            guarded = guarded.expect_len(len);
        }
        let name = origin
            .entries
            .last()
            .map(|s| s.entry.clone())
            .unwrap_or_default();
        let hint = name.rsplit(['/', '\\']).next().unwrap_or_default();
        let result = self.contents(&origin, Input::Stream(&mut guarded), hint);
        self.settle(layer, &origin, result, entry_error_code)
    }
}

fn entry_error_code(error: &io::Error) -> &'static str {
    match error.kind() {
        io::ErrorKind::UnexpectedEof => codes::ARCHIVE_TRUNCATED,
        _ => codes::ENTRY_CORRUPT,
    }
}
