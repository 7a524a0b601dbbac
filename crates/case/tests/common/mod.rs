//! Building cases the way `tamis ingest` does: the sources walk a dump in
//! order, the mail analyzer verifies each first-seen message, the content
//! analyzer reads it, and the writer gets the records in dump order.

#![allow(dead_code)]

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use tamis_case::{CaseWriter, IngestRecord, RunCounts, RunParams, RunRow};
use tamis_findings::{Address, Attachment, MessageContent};
use tamis_items::{Item, ItemKind, Origin, SourceEvent};
use tamis_keys::{KeyFile, KeyLookup};
use tamis_sources::{Limits, Walker};

/// The repository root (examples/ and fixtures/ live there).
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

pub fn sample_dump() -> PathBuf {
    repo().join("examples/sample-dump")
}

pub fn sample_keys() -> KeyFile {
    KeyFile::load(&repo().join("examples/sample-keys.zone")).expect("the sample key file loads")
}

pub fn no_keys() -> KeyFile {
    KeyFile::parse("", "none").unwrap()
}

pub fn params(paths: &[&Path]) -> RunParams {
    RunParams {
        paths: paths.iter().map(|p| p.display().to_string()).collect(),
        key_files: vec!["examples/sample-keys.zone".into()],
        dns: false,
    }
}

/// What the ingest pipeline hands the writer for `paths`, in dump order.
pub fn pipeline_records(paths: &[PathBuf], keys: &dyn KeyLookup) -> Vec<IngestRecord> {
    let mut seen = HashSet::new();
    let mut records = Vec::new();
    Walker::new(Limits::default()).walk(paths, &mut |event| match event {
        SourceEvent::Item(item) if item.kind == ItemKind::File => {
            records.push(IngestRecord::analyzed_file(item))
        }
        SourceEvent::Item(item) => {
            let key = tamis_mail::message_key(&item).0;
            if seen.insert(key) {
                records.push(analyzed(key, item, keys));
            } else {
                records.push(IngestRecord::duplicate(key, item));
            }
        }
        SourceEvent::Unreadable(unreadable) => records.push(IngestRecord::Unreadable(unreadable)),
        SourceEvent::Store(tally) => records.push(IngestRecord::Store(tally)),
    });
    records
}

fn analyzed(key: [u8; 32], item: Item, keys: &dyn KeyLookup) -> IngestRecord {
    match tamis_mail::analyze(&item, keys) {
        Ok(report) => {
            let content = tamis_content::extract(&item.bytes);
            IngestRecord::analyzed_message(key, item, report, content)
        }
        Err(unreadable) => IngestRecord::UnreadableMessage { item, unreadable },
    }
}

pub fn sample_records() -> Vec<IngestRecord> {
    pipeline_records(&[sample_dump()], &sample_keys())
}

/// One whole run: open, begin, add everything, finish.
pub fn ingest(case: &Path, params: &RunParams, records: &[IngestRecord]) -> (RunRow, RunCounts) {
    let mut writer = CaseWriter::open(case).expect("the case opens");
    writer.begin_run(params).expect("the run begins");
    for record in records {
        writer.add(record.clone()).expect("the record is written");
    }
    writer.finish_run().expect("the run finishes")
}

/// A message made up for a test: its bytes, analyzed for real (unsigned),
/// and content written by hand, as the content analyzer would give it.
pub struct Made {
    pub location: String,
    pub message_id: String,
    pub subject: String,
    pub in_reply_to: Vec<String>,
    pub references: Vec<String>,
    pub date_unix: i64,
    pub attachments: Vec<Attachment>,
}

impl Made {
    pub fn new(location: &str, message_id: &str, subject: &str) -> Self {
        Made {
            location: location.into(),
            message_id: message_id.into(),
            subject: subject.into(),
            in_reply_to: Vec::new(),
            references: Vec::new(),
            date_unix: 1_493_000_000,
            attachments: Vec::new(),
        }
    }

    pub fn replying_to(mut self, parents: &[&str]) -> Self {
        self.in_reply_to = parents.last().map(|p| p.to_string()).into_iter().collect();
        self.references = parents.iter().map(|p| p.to_string()).collect();
        self
    }

    pub fn dated(mut self, date_unix: i64) -> Self {
        self.date_unix = date_unix;
        self
    }

    pub fn with_attachment(mut self, filename: &str, content_type: &str, bytes: &[u8]) -> Self {
        self.attachments.push(Attachment {
            filename: Some(filename.into()),
            content_type: content_type.into(),
            disposition: "attachment".into(),
            bytes: bytes.to_vec(),
        });
        self
    }

    pub fn with_part(mut self, attachment: Attachment) -> Self {
        self.attachments.push(attachment);
        self
    }

    pub fn bytes(&self) -> Vec<u8> {
        let mut headers = format!(
            "From: Jean Petit <jean.petit@horizon-commun.example.fr>\r\n\
             To: Claire Dubois <claire.dubois@horizon-commun.example.fr>\r\n\
             Subject: {}\r\nMessage-ID: <{}>\r\n",
            self.subject, self.message_id
        );
        if !self.references.is_empty() {
            let ids: Vec<String> = self.references.iter().map(|r| format!("<{r}>")).collect();
            headers.push_str(&format!(
                "In-Reply-To: {}\r\nReferences: {}\r\n",
                ids.last().unwrap(),
                ids.join(" ")
            ));
        }
        format!("{headers}\r\nBody of {}.\r\n", self.subject).into_bytes()
    }

    pub fn record(&self) -> IngestRecord {
        let item = Item {
            bytes: self.bytes(),
            origin: Origin::file(self.location.clone()),
            kind: ItemKind::Message,
        };
        let report = tamis_mail::analyze(&item, &no_keys()).expect("a made-up message reads");
        let content = MessageContent {
            message_id: Some(self.message_id.clone()),
            in_reply_to: self.in_reply_to.clone(),
            references: self.references.clone(),
            from: vec![Address {
                name: Some("Jean Petit".into()),
                address: Some("jean.petit@horizon-commun.example.fr".into()),
            }],
            to: vec![Address {
                name: Some("Claire Dubois".into()),
                address: Some("claire.dubois@horizon-commun.example.fr".into()),
            }],
            subject: Some(self.subject.clone()),
            date_unix: Some(self.date_unix),
            text_body: format!("Body of {}.", self.subject),
            attachments: self.attachments.clone(),
            ..MessageContent::default()
        };
        IngestRecord::analyzed_message(tamis_mail::message_key(&item).0, item, report, content)
    }
}

/// Every file under `dir`, relative to it.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(next) = stack.pop() {
        for entry in std::fs::read_dir(&next).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path.strip_prefix(dir).unwrap().to_path_buf());
            }
        }
    }
    out.sort();
    out
}
