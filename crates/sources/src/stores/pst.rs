//! PST and OST stores (MS-PST), read with Microsoft's `outlook-pst` crate,
//! vendored with patches (see `vendor/outlook-pst/PATCHES.md`): it refused
//! every message of the Enron PST over a free-count field nobody reads, it
//! did not read the 4 KiB page layout of the OSTs of Outlook 2013 and
//! later, and it could not open embedded messages nor their attachments.
//!
//! Every folder is walked from the root folder down (the IPM subtree
//! "Top of Personal Folders" and whatever else the store holds beside it,
//! except search folders, whose contents are links to messages stored in
//! other folders), every message listed in each folder's contents table is
//! read, rebuilt ([`super::rebuild`]) and emitted as an
//! [`ItemKind::RebuiltMessage`](tamis_items::ItemKind::RebuiltMessage).
//!
//! Origins: `store.pst!<folder path>!message 0x<node id>`, the folder path
//! being the display names from below the (unnamed) root folder, joined by
//! `/` (`Top of Personal Folders/Inbox/Sous-dossier`), and the node id the
//! message's NID in hex, which is what libpst, pffexport and MFCMapi show.
//! An embedded message (an attachment that is a message) is an item of its
//! own at `<parent origin>!<attachment name>`, and the parent's rebuilt
//! MIME carries it too, as a `message/rfc822` part.
//!
//! Accounting ([`StoreTally`]), emitted after the store's last message:
//! `claimed` adds up the content count (`PidTagContentCount`) that each
//! folder's parent hierarchy table lists for it (or the folder's own
//! property for the root); `read` counts messages emitted, `failed` those
//! listed and not emitted, each also an `Unreadable` with its folder path
//! and node id, code `store-message-unreadable`, and what the contents table
//! row still says (subject, sender, date). A folder whose contents table
//! cannot be read is one `store-folder-unreadable`, and its claimed count
//! is added to `failed`. Embedded messages are items but are not counted.
//!
//! Hostile stores: the reader runs on a thread of its own with a 1 GiB
//! stack, and every folder, message and attachment gets a budget of bytes
//! (3 × `max_item_bytes` + 64 MiB) and of read calls (200,000) on the file,
//! enforced underneath the crate ([`super::pst_file`]). A data tree or
//! B-tree page that points at itself makes the crate recurse with one read
//! per level, so the read budget stops it long before the stack ends, and
//! a fan-out of blocks that would expand a small file into gigabytes stops
//! at the byte budget. In a store with 4 KiB pages, whose blocks are
//! zlib-compressed, each read call counts as at least 64 KiB, the most one
//! block inflates to, so the byte budget still bounds what is held. The
//! attachments a message holds stop being read once they pass
//! `max_item_bytes` (the message is `item-too-large` then anyway), and at
//! most 4,096 attachments (its embedded messages' included) and 65,536
//! recipients of one message are looked at. A panic inside the crate fails that message only
//! (`catch_unwind`); the store is reopened after one, since the crate's
//! file lock is then poisoned. The thread hands each message back over a
//! channel of two, so at most a few messages are held at once.
//!
//! OSTs of Outlook 2013 and later (`wVer` 36: 4 KiB pages, blocks up to
//! 64 KiB, zlib-compressed) are read like Unicode stores by the patched
//! crate. OSTs have a different client magic (`SO`) and client version,
//! which the crate refuses; the header is presented to it patched to PST
//! values (CRCs recomputed, only when the stored ones were right). A layout
//! newer than 36 is reported `store-unsupported`. An OST's contents table
//! may hold cells that point at unrelated heap allocations (the sender name
//! column of these OSTs points at the table's own row index), so what a
//! failed message's row "still says" can be wrong there; the messages
//! themselves are read from their own properties. An embedded message's own
//! attachments (embedded messages included, down to `max_depth`) are read
//! like its parent's, each under a budget of its own.

use std::collections::BTreeSet;
use std::io;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::rc::Rc;
use std::sync::mpsc::{sync_channel, SyncSender};

use outlook_pst::ltp::prop_context::PropertyValue;
use outlook_pst::ltp::table_context::{TableContext, TableRowData, TableRowId};
use outlook_pst::messaging::attachment::{
    AnsiAttachment, Attachment as PstAttachment, AttachmentData, UnicodeAttachment,
};
use outlook_pst::messaging::message::{AnsiMessage, Message as PstMessage, UnicodeMessage};
use outlook_pst::messaging::store::{AnsiStore, EntryId, Store, UnicodeStore};
use outlook_pst::ndb::node_id::{NodeId, NodeIdType, NID_ROOT_FOLDER};
use outlook_pst::{AnsiPstFile, PstReader, UnicodePstFile};
use tamis_items::{Origin, StoreTally};

use super::outlook::{emit_tree, empty_tally, Event};
use super::props::{self, id, Attachment, Content, OutlookMessage, Props, Value};
use super::pst_file::{self, Spent};
pub(crate) use super::pst_file::{header, Header, StoreBytes};
use crate::codes;
use crate::Limits;

/// Stack of the reader thread (reserved, not committed, until used).
const STACK_BYTES: usize = 1 << 30;
/// Attachments (its embedded messages' included) and recipients read per
/// message.
const MAX_ATTACHMENTS: usize = 4096;
const MAX_RECIPIENTS: usize = 65_536;

/// The two layouts the crate reads, behind one interface.
trait Flavor: 'static {
    type Store: Store + 'static;
    type Message: PstMessage + 'static;
    type Attachment: PstAttachment + 'static;
    fn open(reader: Box<dyn PstReader>) -> io::Result<Rc<Self::Store>>;
    fn message(store: &Rc<Self::Store>, entry: &EntryId) -> io::Result<Rc<Self::Message>>;
    fn attachment(message: &Rc<Self::Message>, node: NodeId) -> io::Result<Rc<Self::Attachment>>;
    /// The message an attachment embeds, typed so that its own attachments
    /// can be opened.
    fn embedded(attachment: &Self::Attachment) -> Option<Rc<Self::Message>>;
}

struct Unicode;
struct Ansi;

impl Flavor for Unicode {
    type Store = UnicodeStore;
    type Message = UnicodeMessage;
    type Attachment = UnicodeAttachment;
    fn open(reader: Box<dyn PstReader>) -> io::Result<Rc<UnicodeStore>> {
        UnicodeStore::read(Rc::new(UnicodePstFile::read_from(reader)?))
    }
    fn message(store: &Rc<UnicodeStore>, entry: &EntryId) -> io::Result<Rc<UnicodeMessage>> {
        UnicodeMessage::read(store.clone(), entry, None)
    }
    fn attachment(message: &Rc<UnicodeMessage>, node: NodeId) -> io::Result<Rc<UnicodeAttachment>> {
        UnicodeAttachment::read(message.clone(), node, None)
    }
    fn embedded(attachment: &UnicodeAttachment) -> Option<Rc<UnicodeMessage>> {
        attachment.embedded_message()
    }
}

impl Flavor for Ansi {
    type Store = AnsiStore;
    type Message = AnsiMessage;
    type Attachment = AnsiAttachment;
    fn open(reader: Box<dyn PstReader>) -> io::Result<Rc<AnsiStore>> {
        AnsiStore::read(Rc::new(AnsiPstFile::read_from(reader)?))
    }
    fn message(store: &Rc<AnsiStore>, entry: &EntryId) -> io::Result<Rc<AnsiMessage>> {
        AnsiMessage::read(store.clone(), entry, None)
    }
    fn attachment(message: &Rc<AnsiMessage>, node: NodeId) -> io::Result<Rc<AnsiAttachment>> {
        AnsiAttachment::read(message.clone(), node, None)
    }
    fn embedded(attachment: &AnsiAttachment) -> Option<Rc<AnsiMessage>> {
        attachment.embedded_message()
    }
}

/// Reads a whole store on its own thread and hands its events to `sink`
/// in order, the tally last.
pub(crate) fn read(
    bytes: StoreBytes,
    header: Header,
    origin: &Origin,
    limits: &Limits,
    sink: &mut dyn FnMut(Event),
) {
    let format = header.format();
    if header.version > 36 {
        sink(Event::Unreadable {
            origin: origin.clone(),
            code: codes::STORE_UNSUPPORTED,
            detail: format!(
                "{} of an unknown layout (wVer {}, newer than Outlook 2013's 36)",
                format.to_uppercase(),
                header.version
            ),
        });
        sink(Event::Tally(tally(origin, format, None)));
        return;
    }
    let (tx, rx) = sync_channel::<Event>(2);
    let thread_origin = origin.clone();
    let thread_limits = limits.clone();
    let spawned = std::thread::Builder::new()
        .name("tamis-pst".into())
        .stack_size(STACK_BYTES)
        .spawn(move || {
            let mut reader = Reader {
                bytes,
                origin: thread_origin,
                limits: thread_limits,
                tx,
                tally: None,
            };
            if header.unicode {
                reader.run::<Unicode>(header);
            } else {
                reader.run::<Ansi>(header);
            }
        });
    let thread = match spawned {
        Ok(thread) => thread,
        Err(e) => {
            sink(Event::Unreadable {
                origin: origin.clone(),
                code: codes::READ_ERROR,
                detail: format!("cannot start the store reader thread: {e}"),
            });
            return;
        }
    };
    let mut tallied = false;
    for event in rx {
        tallied |= matches!(event, Event::Tally(_));
        sink(event);
    }
    if thread.join().is_err() || !tallied {
        sink(Event::Unreadable {
            origin: origin.clone(),
            code: codes::STORE_UNREADABLE,
            detail: "the store reader stopped unexpectedly".into(),
        });
        if !tallied {
            sink(Event::Tally(tally(origin, format, None)));
        }
    }
}

fn tally(origin: &Origin, format: &str, claimed: Option<u64>) -> StoreTally {
    StoreTally {
        claimed,
        ..empty_tally(origin, format)
    }
}

struct Reader {
    bytes: StoreBytes,
    origin: Origin,
    limits: Limits,
    tx: SyncSender<Event>,
    tally: Option<StoreTally>,
}

/// One open store with the counters its reads are checked against.
struct Open<F: Flavor> {
    store: Rc<F::Store>,
    spent: Rc<Spent>,
}

struct FolderTask {
    node: u32,
    path: Vec<String>,
    claimed: Option<u64>,
}

impl Reader {
    fn send(&self, event: Event) {
        // The receiver only goes away if the walk itself is gone.
        let _ = self.tx.send(event);
    }

    fn unreadable(&self, origin: Origin, code: &'static str, detail: String) {
        self.send(Event::Unreadable {
            origin,
            code,
            detail,
        });
    }

    fn open<F: Flavor>(&self, header: Header) -> Result<Open<F>, String> {
        // What one budget may read: a message's properties once, its data
        // blocks up to twice (once to list a data tree, once to read it).
        let max_item = self.limits.max_item_bytes;
        let max_bytes = max_item.saturating_mul(3).saturating_add(64 << 20);
        let (guard, spent) = pst_file::open(&self.bytes, header, max_bytes)?;
        let store = catch_unwind(AssertUnwindSafe(|| F::open(Box::new(guard))))
            .map_err(|_| "the PST reader panicked on the store's header or root".to_string())?
            .map_err(|e| e.to_string())?;
        Ok(Open { store, spent })
    }

    fn run<F: Flavor>(&mut self, header: Header) {
        let format = header.format();
        self.tally = Some(tally(&self.origin, format, Some(0)));
        let mut open = match self.open::<F>(header) {
            Ok(open) => open,
            Err(detail) => {
                self.unreadable(self.origin.clone(), codes::STORE_UNREADABLE, detail);
                let mut t = self.tally.take().expect("set above");
                t.claimed = None;
                self.send(Event::Tally(t));
                return;
            }
        };
        let mut claims_known = true;
        let mut seen = BTreeSet::new();
        let mut tasks = vec![FolderTask {
            node: u32::from(NID_ROOT_FOLDER),
            path: Vec::new(),
            claimed: None,
        }];
        while let Some(task) = tasks.pop() {
            if !seen.insert(task.node) {
                continue; // a hierarchy that loops back
            }
            let mut children = self.folder::<F>(&mut open, header, task, &mut claims_known);
            children.reverse();
            tasks.extend(children);
        }
        let mut t = self.tally.take().expect("set above");
        if !claims_known {
            t.claimed = None;
        }
        self.send(Event::Tally(t));
    }

    fn counts(&mut self) -> &mut StoreTally {
        self.tally.as_mut().expect("set while running")
    }

    /// Reads one folder's messages; returns its subfolders.
    fn folder<F: Flavor>(
        &mut self,
        open: &mut Open<F>,
        header: Header,
        task: FolderTask,
        claims_known: &mut bool,
    ) -> Vec<FolderTask> {
        let label = if task.path.is_empty() {
            format!("folder 0x{:x}", task.node)
        } else {
            task.path.join("/")
        };
        let folder_origin = self.origin.entry(label);
        open.spent.reset();
        let opened = catch_unwind(AssertUnwindSafe(|| -> io::Result<_> {
            let entry = open
                .store
                .properties()
                .make_entry_id(NodeId::from(task.node))?;
            let folder = open.store.open_folder(&entry)?;
            let own_count = folder.properties().content_count().ok();
            let contents = folder.contents_table().cloned();
            let children = folder
                .hierarchy_table()
                .map(|table| subfolders(table.as_ref()))
                .unwrap_or_default();
            Ok((own_count, contents, children))
        }));
        let (own_count, contents, children) = match opened {
            Ok(Ok(parts)) => parts,
            Ok(Err(e)) => {
                self.folder_failed(&folder_origin, &task, e.to_string(), claims_known);
                return Vec::new();
            }
            Err(_) => {
                self.folder_failed(
                    &folder_origin,
                    &task,
                    "the PST reader panicked".into(),
                    claims_known,
                );
                self.reopen(open, header);
                return Vec::new();
            }
        };
        self.counts().folders += 1;
        let claimed = task
            .claimed
            .or_else(|| own_count.and_then(|n| u64::try_from(n).ok()));
        match claimed {
            Some(n) => *self.counts().claimed.get_or_insert(0) += n,
            None => *claims_known = false,
        }
        match contents {
            Some(table) => {
                let rows: Vec<u32> = table.rows_matrix().map(|r| u32::from(r.id())).collect();
                for node in rows {
                    self.message::<F>(open, header, table.as_ref(), node, &folder_origin);
                }
            }
            None if claimed.unwrap_or(0) > 0 => {
                let n = claimed.unwrap_or(0);
                self.counts().failed += n;
                self.unreadable(
                    folder_origin.clone(),
                    codes::STORE_FOLDER_UNREADABLE,
                    format!("the folder claims {n} messages but its contents table cannot be read"),
                );
            }
            None => {}
        }
        children
            .into_iter()
            .map(|(node, name, count)| {
                let mut path = task.path.clone();
                path.push(name.unwrap_or_else(|| format!("folder 0x{node:x}")));
                FolderTask {
                    node,
                    path,
                    claimed: count,
                }
            })
            .collect()
    }

    fn folder_failed(
        &mut self,
        origin: &Origin,
        task: &FolderTask,
        why: String,
        claims_known: &mut bool,
    ) {
        let detail = match task.claimed {
            Some(n) => {
                *self.counts().claimed.get_or_insert(0) += n;
                self.counts().failed += n;
                format!("folder node 0x{:x} cannot be opened ({why}); its {n} listed messages are not read", task.node)
            }
            None => {
                *claims_known = false;
                format!("folder node 0x{:x} cannot be opened ({why})", task.node)
            }
        };
        self.unreadable(origin.clone(), codes::STORE_FOLDER_UNREADABLE, detail);
    }

    fn reopen<F: Flavor>(&self, open: &mut Open<F>, header: Header) {
        if let Ok(fresh) = self.open::<F>(header) {
            *open = fresh;
        }
    }

    fn message<F: Flavor>(
        &mut self,
        open: &mut Open<F>,
        header: Header,
        table: &dyn TableContext,
        node: u32,
        folder_origin: &Origin,
    ) {
        let origin = folder_origin.entry(format!("message 0x{node:x}"));
        open.spent.reset();
        let max_depth = self.limits.max_depth.saturating_sub(origin.depth());
        let result = catch_unwind(AssertUnwindSafe(|| {
            read_message::<F>(open, node, max_depth, self.limits.max_item_bytes)
        }));
        let message = match result {
            Ok(Ok(message)) => message,
            Ok(Err(e)) => return self.message_failed(table, node, origin, e.to_string()),
            Err(_) => {
                self.message_failed(table, node, origin, "the PST reader panicked".into());
                return self.reopen(open, header);
            }
        };
        let limits = self.limits.clone();
        let tx = self.tx.clone();
        let sent = emit_tree(&message, &origin, &limits, &mut |event| {
            let _ = tx.send(event);
        });
        if sent {
            self.counts().read += 1;
        } else {
            self.counts().failed += 1;
        }
    }

    fn message_failed(&mut self, table: &dyn TableContext, node: u32, origin: Origin, why: String) {
        self.counts().failed += 1;
        let listed = table
            .find_row(TableRowId::new(node))
            .ok()
            .map(|row| describe(&row_props(table, row)))
            .unwrap_or_else(|| "its contents table row cannot be read either".into());
        self.unreadable(
            origin,
            codes::STORE_MESSAGE_UNREADABLE,
            format!("message node 0x{node:x} cannot be read ({why}); {listed}"),
        );
    }
}

/// What a contents table row or a message says about a message, for a
/// report: subject, sender, date.
pub(crate) fn describe(props: &Props) -> String {
    let mut parts = Vec::new();
    if let Some(subject) = props.subject() {
        parts.push(format!("subject {subject:?}"));
    }
    if let Some(sender) = props
        .text(id::SENT_REPRESENTING_NAME)
        .or_else(|| props.text(id::SENDER_NAME))
    {
        parts.push(format!("from {sender:?}"));
    }
    if let Some(date) = props
        .time(id::DELIVERY_TIME)
        .or_else(|| props.time(id::CLIENT_SUBMIT_TIME))
        .and_then(super::rebuild::rfc5322_date)
    {
        parts.push(format!("dated {date}"));
    }
    if parts.is_empty() {
        "nothing else is known of it".into()
    } else {
        format!("listed as {}", parts.join(", "))
    }
}

/// Subfolders listed in a hierarchy table: node, display name, content count.
fn subfolders(table: &dyn TableContext) -> Vec<(u32, Option<String>, Option<u64>)> {
    table
        .rows_matrix()
        .filter_map(|row| {
            let node = u32::from(row.id());
            let kind = NodeId::from(node).id_type().ok();
            if kind == Some(NodeIdType::SearchFolder) {
                return None;
            }
            let props = row_props(table, row);
            let count = props.int(0x3602).and_then(|n| u64::try_from(n).ok());
            Some((node, props.text(id::DISPLAY_NAME), count))
        })
        .collect()
}

fn row_props(table: &dyn TableContext, row: &TableRowData) -> Props {
    let mut props = Props::default();
    let context = table.context();
    let Ok(values) = row.columns(context) else {
        return props;
    };
    for (column, value) in context.columns().iter().zip(values) {
        let Some(value) = value else { continue };
        if let Ok(value) = table.read_column(&value, column.prop_type()) {
            if let Some(value) = convert(&value) {
                props.insert(column.prop_id(), value);
            }
        }
    }
    let codepage = props.declared_codepage();
    props.set_codepage(codepage);
    props
}

fn convert(value: &PropertyValue) -> Option<Value> {
    Some(match value {
        PropertyValue::Integer16(n) => Value::Int(i64::from(*n)),
        PropertyValue::Integer32(n) => Value::Int(i64::from(*n)),
        PropertyValue::Integer64(n) => Value::Int(*n),
        PropertyValue::Boolean(b) => Value::Bool(*b),
        PropertyValue::Time(t) => Value::Time(*t),
        PropertyValue::String8(s) => Value::Text8(s.buffer().to_vec()),
        PropertyValue::Unicode(s) => Value::Text(String::from_utf16_lossy(s.buffer())),
        PropertyValue::Binary(b) => Value::Binary(b.buffer().to_vec()),
        _ => return None,
    })
}

fn bag<'a>(
    values: impl Iterator<Item = (&'a u16, &'a PropertyValue)>,
    codepage: Option<u32>,
) -> Props {
    let mut props = Props::default();
    for (&prop, value) in values {
        if let Some(value) = convert(value) {
            props.insert(prop, value);
        }
    }
    let own = props.declared_codepage();
    props.set_codepage(own.or(codepage));
    props
}

fn read_message<F: Flavor>(
    open: &Open<F>,
    node: u32,
    max_depth: usize,
    max_bytes: u64,
) -> io::Result<OutlookMessage> {
    let entry = open.store.properties().make_entry_id(NodeId::from(node))?;
    let pst_message = F::message(&open.store, &entry)?;
    let mut tally = Held::default();
    Ok(message_tree::<F>(
        open,
        &pst_message,
        max_depth,
        max_bytes,
        &mut tally,
    ))
}

/// What a message's tree of attachments has taken so far: nested embedded
/// messages share one bound, so that a fan-out of them stays bounded.
#[derive(Default)]
struct Held {
    bytes: u64,
    attachments: usize,
}

/// A message with its attachments and its embedded messages' own, each
/// attachment read under a budget of its own; once the attachments `held`
/// pass `max_bytes`, the rest are not read (the message will be
/// `item-too-large` anyway), and past [`MAX_ATTACHMENTS`] in the whole tree
/// none is looked at.
fn message_tree<F: Flavor>(
    open: &Open<F>,
    pst_message: &Rc<F::Message>,
    max_depth: usize,
    max_bytes: u64,
    held: &mut Held,
) -> OutlookMessage {
    let mut message = message_model(pst_message.as_ref());
    let codepage = message.props.codepage();
    let Some(table) = pst_message.attachment_table() else {
        return message;
    };
    for row in table.rows_matrix() {
        if held.attachments >= MAX_ATTACHMENTS {
            break;
        }
        held.attachments += 1;
        let listed = row_props(table.as_ref(), row);
        if held.bytes > max_bytes {
            message.attachments.push(Attachment {
                props: listed,
                content: Content::Missing(
                    "not read: the message is already past max_item_bytes".into(),
                ),
            });
            continue;
        }
        open.spent.reset();
        let attachment = match F::attachment(pst_message, NodeId::from(u32::from(row.id()))) {
            Ok(attachment) => {
                let mut model = attachment_model(attachment.as_ref(), codepage, max_depth);
                if let (Content::Embedded(inner), Some(embedded)) =
                    (&mut model.content, F::embedded(&attachment))
                {
                    **inner = message_tree::<F>(open, &embedded, max_depth - 1, max_bytes, held);
                }
                model
            }
            Err(e) => Attachment {
                props: listed,
                content: Content::Missing(format!("the attachment cannot be read: {e}")),
            },
        };
        if let Content::Data(data) = &attachment.content {
            held.bytes += data.len() as u64;
        }
        message.attachments.push(attachment);
    }
    message
}

/// A message's properties and recipients; its attachments are read by
/// [`message_tree`].
fn message_model(message: &dyn PstMessage) -> OutlookMessage {
    let props = bag(message.properties().iter(), None);
    let codepage = props.codepage();
    let recipients = message
        .recipient_table()
        .map(|table| {
            table
                .rows_matrix()
                .take(MAX_RECIPIENTS)
                .map(|row| {
                    let mut r = row_props(table.as_ref(), row);
                    if r.declared_codepage().is_none() {
                        r.set_codepage(codepage);
                    }
                    r
                })
                .collect()
        })
        .unwrap_or_default();
    OutlookMessage {
        props,
        recipients,
        attachments: Vec::new(),
    }
}

fn attachment_model(
    attachment: &dyn PstAttachment,
    codepage: Option<u32>,
    max_depth: usize,
) -> Attachment {
    let props = bag(attachment.properties().iter(), codepage);
    let content = match attachment.data() {
        Some(AttachmentData::Binary(data)) => Content::Data(data.buffer().to_vec()),
        Some(AttachmentData::Message(_)) if max_depth <= 1 => {
            Content::Missing("embedded message nested deeper than max_depth".into())
        }
        Some(AttachmentData::Message(inner)) => {
            Content::Embedded(Box::new(message_model(inner.as_ref())))
        }
        None => {
            let method = props.int(id::ATTACH_METHOD).unwrap_or(0);
            if method == props::ATTACH_EMBEDDED_MESSAGE {
                Content::Missing("embedded message without data".into())
            } else {
                Content::Missing(format!(
                    "attachment by reference (method {method}): the store holds no bytes for it"
                ))
            }
        }
    };
    Attachment { props, content }
}
