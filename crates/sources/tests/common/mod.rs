//! Builders for real-shaped dumps, made in the test with the same zip, tar
//! and gzip writers an exporter would use.
#![allow(dead_code)]

use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};

use tamis_items::{Item, ItemKind, SourceEvent, StoreTally, Unreadable};
use tamis_sources::{Limits, WalkStats, Walker};
use zip::write::SimpleFileOptions;
use zip::CompressionMethod;

pub struct Run {
    pub items: Vec<Item>,
    pub unreadable: Vec<Unreadable>,
    pub stores: Vec<StoreTally>,
    /// Every event as `I <origin>`, `U <code> <origin>` or `S <format>
    /// <origin>`, in order.
    pub log: Vec<String>,
    pub stats: WalkStats,
}

impl Run {
    pub fn origins(&self) -> Vec<String> {
        self.items.iter().map(|i| i.origin.to_string()).collect()
    }

    pub fn codes(&self) -> Vec<(String, String)> {
        self.unreadable
            .iter()
            .map(|u| (u.code.clone(), u.origin.to_string()))
            .collect()
    }
}

pub fn run(paths: &[PathBuf], limits: Limits) -> Run {
    let mut items = Vec::new();
    let mut unreadable = Vec::new();
    let mut log = Vec::new();
    let mut stores = Vec::new();
    let stats = Walker::new(limits).walk(paths, &mut |event| match event {
        SourceEvent::Item(item) => {
            log.push(format!("I {}", item.origin));
            items.push(item);
        }
        SourceEvent::Unreadable(u) => {
            log.push(format!("U {} {}", u.code, u.origin));
            unreadable.push(u);
        }
        SourceEvent::Store(tally) => {
            log.push(format!("S {} {}", tally.format, tally.origin));
            stores.push(tally);
        }
    });
    assert_eq!(stats.items, items.len() as u64);
    assert_eq!(stats.unreadable, unreadable.len() as u64);
    Run {
        items,
        unreadable,
        stores,
        log,
        stats,
    }
}

pub fn run_one(path: &Path) -> Run {
    run_with(path, Limits::default())
}

pub fn run_with(path: &Path, limits: Limits) -> Run {
    run(&[path.to_path_buf()], limits)
}

/// A plain RFC 5322 message with CRLF line endings.
pub fn message(n: usize) -> Vec<u8> {
    format!(
        "Received: from mx.example.org\r\nFrom: Alice <alice@example.org>\r\nTo: bob@example.org\r\n\
         Subject: note {n}\r\nDate: Fri, 5 May 2017 18:00:00 +0200\r\nMessage-ID: <{n}@example.org>\r\n\r\n\
         Body of message {n}.\r\n"
    )
    .into_bytes()
}

/// A message whose body is `len` bytes of incompressible printable noise.
pub fn noisy_message(n: usize, len: usize) -> Vec<u8> {
    let mut bytes = message(n);
    bytes.extend(noise(n as u64, len));
    bytes.extend_from_slice(b"\r\n");
    bytes
}

/// Deterministic printable bytes that DEFLATE cannot shrink much.
pub fn noise(seed: u64, len: usize) -> Vec<u8> {
    let mut state = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    (0..len)
        .map(|i| {
            if i % 77 == 76 {
                return b'\n';
            }
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            b'!' + ((state >> 33) % 90) as u8
        })
        .collect()
}

pub fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    zip_with(entries, CompressionMethod::Deflated)
}

pub fn zip_with(entries: &[(&str, &[u8])], method: CompressionMethod) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(method);
    for (name, bytes) in entries {
        writer.start_file(*name, options).unwrap();
        writer.write_all(bytes).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

pub fn tar_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut builder = tar::Builder::new(Vec::new());
    for (name, bytes) in entries {
        let mut header = tar::Header::new_gnu();
        header.set_size(bytes.len() as u64);
        header.set_mode(0o644);
        header.set_entry_type(tar::EntryType::Regular);
        builder.append_data(&mut header, name, *bytes).unwrap();
    }
    builder.into_inner().unwrap()
}

pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

pub fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(&path, bytes).unwrap();
    path
}

pub fn kinds(run: &Run) -> Vec<ItemKind> {
    run.items.iter().map(|i| i.kind).collect()
}

/// An mbox written the way an exporter writes it: `From ` line, message,
/// one empty line. Returns the file and each message's offset.
pub fn mbox_of(messages: &[Vec<u8>]) -> (Vec<u8>, Vec<u64>) {
    let mut out = Vec::new();
    let mut offsets = Vec::new();
    for message in messages {
        offsets.push(out.len() as u64);
        out.extend_from_slice(b"From alice@example.org Fri May  5 18:00:00 2017\n");
        out.extend_from_slice(message);
        out.extend_from_slice(b"\n");
    }
    (out, offsets)
}
