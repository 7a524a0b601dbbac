//! What the ingest pipeline hands the writer, and what it gets back.

use std::collections::BTreeMap;
use tamis_docs::DocumentReport;
use tamis_findings::{MessageContent, MessageReport};
use tamis_items::{Item, StoreTally, Unreadable};

/// What one ingest run was asked to do. A run that was killed is resumed
/// (same row, same id) when the next run has the same parameters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunParams {
    pub paths: Vec<String>,
    pub key_files: Vec<String>,
    pub dns: bool,
}

/// What the ingest pipeline hands the writer, in dump order.
///
/// Dump order matters: message ids are given in the order messages arrive,
/// and a resumed run relies on the same dump producing the same records in
/// the same order to end with the same ids. A `Duplicate` must come after
/// the `Message` with its key.
#[derive(Clone, Debug)]
pub enum IngestRecord {
    /// A message seen for the first time in this run, analyzed. It may
    /// already be in the case from an earlier run: then only its origin is added.
    Message {
        /// `tamis_mail::MessageKey` bytes: equal for the same message re-exported.
        key: [u8; 32],
        item: Item,
        report: Box<MessageReport>,
        content: Box<MessageContent>,
        /// What the document analyzer read in each attachment, in the
        /// order of `content.attachments`.
        documents: Vec<DocumentReport>,
        /// What the victim's registry says of the message and of each
        /// attachment (empty without `--registry`).
        registry: Vec<RegistryFinding>,
    },
    /// Another copy of a message already handed over in this run (same key).
    /// Its bytes are kept too when they differ (a re-export).
    Duplicate {
        key: [u8; 32],
        item: Item,
        /// Gmail labels this copy carries (Google Takeout writes one copy
        /// per export, each with its labels): added to the message's.
        labels: Vec<String>,
    },
    /// A file that is not a message, and what the document analyzer read in it.
    File {
        item: Item,
        document: Box<DocumentReport>,
        registry: Vec<RegistryFinding>,
    },
    Unreadable(Unreadable),
    /// A message item the analyzer could not read (`tamis_mail::analyze`
    /// returned an `Unreadable`): the finding is recorded and the bytes are
    /// kept, so that nothing found in the dump is lost.
    UnreadableMessage {
        item: Item,
        unreadable: Unreadable,
    },
    /// What a mail store (PST, OST) claimed against what was read from it.
    Store(StoreTally),
}

impl IngestRecord {
    /// Another copy of a message, its Gmail labels read from its header (in
    /// the caller's thread, not the writer's).
    pub fn duplicate(key: [u8; 32], item: Item) -> Self {
        let labels = tamis_content::gmail_labels_of(&item.bytes);
        IngestRecord::Duplicate { key, item, labels }
    }

    /// A message seen for the first time, its attachments read by the
    /// document analyzer (in the worker that calls this, not the writer).
    pub fn analyzed_message(
        key: [u8; 32],
        item: Item,
        report: MessageReport,
        content: MessageContent,
    ) -> IngestRecord {
        let documents = content
            .attachments
            .iter()
            .map(|a| inspect(&a.bytes, a.filename.as_deref()))
            .collect();
        IngestRecord::Message {
            key,
            item,
            report: Box::new(report),
            content: Box::new(content),
            documents,
            registry: Vec::new(),
        }
    }

    /// A file that is not a message, read by the document analyzer.
    pub fn analyzed_file(item: Item) -> IngestRecord {
        let name = item.origin.to_string();
        IngestRecord::File {
            document: Box::new(inspect(&item.bytes, Some(&name))),
            item,
            registry: Vec::new(),
        }
    }
}

fn inspect(bytes: &[u8], name: Option<&str>) -> DocumentReport {
    tamis_docs::inspect(bytes, name, &tamis_docs::Options::default())
}

/// What the victim's registry (issue 5) says of one item: computed by the
/// ingest worker that holds the registry, stored by the writer.
#[derive(Clone, Debug, PartialEq)]
pub struct RegistryFinding {
    /// The item: the message's bytes, an attachment's, a file's.
    pub sha256: String,
    /// `registry-identical`, `registry-altered`, `registry-decoy`,
    /// `registry-unknown`.
    pub code: String,
    /// The registry's match as JSON (the entry, the similarity figures,
    /// the recipient and surviving watermark carriers of a decoy, and a
    /// word-level diff when the registry kept the original's text).
    pub detail: serde_json::Value,
}

/// Counts of one run.
///
/// `messages` counts the unique messages the run handed over, of which
/// `new_messages` were not in the case before (the rest were already there
/// from an earlier run, and only their new origins were recorded).
/// `duplicates` counts further copies within the run. `attachments` counts
/// the attachments of the run's messages, `files` the files that are not
/// messages, `unreadable` the things that could not be read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RunCounts {
    pub messages: u64,
    pub new_messages: u64,
    pub duplicates: u64,
    pub attachments: u64,
    pub files: u64,
    pub unreadable: u64,
}

impl RunCounts {
    pub fn to_map(&self) -> BTreeMap<String, u64> {
        [
            ("messages", self.messages),
            ("new_messages", self.new_messages),
            ("duplicates", self.duplicates),
            ("attachments", self.attachments),
            ("files", self.files),
            ("unreadable", self.unreadable),
        ]
        .into_iter()
        .map(|(name, count)| (name.to_string(), count))
        .collect()
    }

    pub fn from_map(map: &BTreeMap<String, u64>) -> Self {
        let get = |name: &str| map.get(name).copied().unwrap_or(0);
        RunCounts {
            messages: get("messages"),
            new_messages: get("new_messages"),
            duplicates: get("duplicates"),
            attachments: get("attachments"),
            files: get("files"),
            unreadable: get("unreadable"),
        }
    }
}

impl RunCounts {
    pub(crate) fn add(&mut self, delta: &RunCounts) {
        self.messages += delta.messages;
        self.new_messages += delta.new_messages;
        self.duplicates += delta.duplicates;
        self.attachments += delta.attachments;
        self.files += delta.files;
        self.unreadable += delta.unreadable;
    }
}
