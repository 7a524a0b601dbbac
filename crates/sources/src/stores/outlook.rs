//! Outlook stores in the walk: a PST or OST ([`super::pst`]) or a `.msg`
//! ([`super::msg`]) becomes `RebuiltMessage` items, `Unreadable`s and, for
//! a store with an index of its own, a `StoreTally`.
//!
//! A store given on the command line (or found in a directory) is read in
//! place through its own file handle, never loaded: a 20 GB PST costs the
//! memory of one message at a time. A store inside an archive has no file
//! of its own; it is held in memory up to `Limits::max_store_bytes`, and a
//! larger one is `store-too-large`. A `.msg` is one message: it is read
//! into memory under `max_item_bytes` like any other file.

use std::io::{self, Read};
use std::path::PathBuf;
use std::sync::Arc;

use tamis_items::{ItemKind, Origin, StoreTally};

use super::msg;
use super::props::{Content, OutlookMessage};
use super::pst::{self, Header, StoreBytes};
use super::rebuild::rebuild;
use crate::codes;
use crate::container::{Input, Walk};
use crate::stream::read_capped;
use crate::Limits;

/// What a store reader hands back to the walk, in order.
pub(crate) enum Event {
    Message {
        origin: Origin,
        bytes: Vec<u8>,
    },
    Unreadable {
        origin: Origin,
        code: &'static str,
        detail: String,
    },
    Tally(StoreTally),
}

impl Walk<'_> {
    fn outlook_event(&mut self, event: Event) {
        match event {
            Event::Message { origin, bytes } => self.emit(origin, bytes, ItemKind::RebuiltMessage),
            Event::Unreadable {
                origin,
                code,
                detail,
            } => self.report(origin, code, detail),
            Event::Tally(tally) => self.tally(tally),
        }
    }

    /// A PST or OST: `head` is what was sniffed, `input` the rest.
    pub(crate) fn outlook_store(
        &mut self,
        origin: &Origin,
        input: Input<'_>,
        head: Vec<u8>,
        name_hint: &str,
    ) -> io::Result<()> {
        let Some(header) = pst::header(&head, name_hint) else {
            self.report(
                origin.clone(),
                codes::STORE_UNREADABLE,
                format!("PST header cut short ({} bytes)", head.len()),
            );
            self.tally(empty_tally(origin, "pst"));
            return Ok(());
        };
        let bytes = match input {
            // Only top-level files are seekable: `origin.file` is their path.
            Input::Seekable { .. } if origin.entries.is_empty() => {
                StoreBytes::File(PathBuf::from(&origin.file))
            }
            Input::Seekable { file, .. } => match self.buffer_store(origin, header, head, file)? {
                Some(bytes) => bytes,
                None => return Ok(()),
            },
            Input::Stream(reader) => match self.buffer_store(origin, header, head, reader)? {
                Some(bytes) => bytes,
                None => return Ok(()),
            },
        };
        let limits: Limits = self.limits.clone();
        pst::read(bytes, header, origin, &limits, &mut |event| {
            self.outlook_event(event)
        });
        Ok(())
    }

    fn buffer_store(
        &mut self,
        origin: &Origin,
        header: Header,
        head: Vec<u8>,
        reader: &mut dyn Read,
    ) -> io::Result<Option<StoreBytes>> {
        let max = self.limits.max_store_bytes;
        let mut whole = io::Cursor::new(head).chain(reader);
        match read_capped(&mut whole, max)? {
            Some(bytes) => Ok(Some(StoreBytes::Memory(Arc::new(bytes)))),
            None => {
                self.report(
                    origin.clone(),
                    codes::STORE_TOO_LARGE,
                    format!(
                        "{} inside an archive larger than max_store_bytes ({max} bytes)",
                        header.format().to_uppercase()
                    ),
                );
                self.tally(empty_tally(origin, header.format()));
                Ok(None)
            }
        }
    }

    /// An OLE2 file read whole: an Outlook message if its directory says
    /// so, any other file (a .doc, an .xls) otherwise.
    pub(crate) fn outlook_msg(&mut self, origin: &Origin, bytes: Vec<u8>) {
        if !msg::is_msg(&bytes) {
            self.emit(origin.clone(), bytes, ItemKind::File);
            return;
        }
        let depth = self.limits.max_depth.saturating_sub(origin.depth());
        match msg::read(&bytes, depth) {
            Ok(message) => {
                let limits = self.limits.clone();
                emit_tree(&message, origin, &limits, &mut |event| {
                    self.outlook_event(event)
                });
            }
            Err(why) => self.report(
                origin.clone(),
                codes::STORE_MESSAGE_UNREADABLE,
                format!("Outlook message cannot be read: {why}"),
            ),
        }
    }
}

/// The tally of a store none of which could be read.
pub(crate) fn empty_tally(origin: &Origin, format: &str) -> StoreTally {
    StoreTally {
        origin: origin.clone(),
        format: format.to_string(),
        claimed: None,
        read: 0,
        failed: 0,
        folders: 0,
    }
}

/// Rebuilds `message` and sends it, then its embedded messages as items of
/// their own (at `origin!<attachment name>`) and its unreadable attachments
/// as `store-attachment-unreadable`. Returns whether the message itself was
/// sent (it is not when its rebuilt bytes are over `max_item_bytes`).
pub(crate) fn emit_tree(
    message: &OutlookMessage,
    origin: &Origin,
    limits: &Limits,
    send: &mut dyn FnMut(Event),
) -> bool {
    let max = limits.max_item_bytes;
    let bytes = rebuild(message, usize::try_from(max).unwrap_or(usize::MAX));
    if bytes.len() as u64 > max {
        send(Event::Unreadable {
            origin: origin.clone(),
            code: codes::ITEM_TOO_LARGE,
            detail: format!(
                "rebuilt message of {} bytes, over max_item_bytes ({max} bytes); {}",
                bytes.len(),
                pst::describe(&message.props)
            ),
        });
        return false;
    }
    send(Event::Message {
        origin: origin.clone(),
        bytes,
    });
    for (index, attachment) in message.attachments.iter().enumerate() {
        let at = origin.entry(attachment.label(index));
        match &attachment.content {
            Content::Embedded(inner) => {
                emit_tree(inner, &at, limits, send);
            }
            Content::Missing(why) => send(Event::Unreadable {
                origin: at,
                code: codes::STORE_ATTACHMENT_UNREADABLE,
                detail: why.clone(),
            }),
            Content::Data(_) => {}
        }
    }
    true
}
