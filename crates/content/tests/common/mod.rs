//! Helpers shared by the content tests: the committed messages, an
//! independent base64 decoder to check attachments against, and a seeded
//! byte generator for hostile input.

#![allow(dead_code)] // each test binary uses its own subset

use std::path::{Path, PathBuf};

pub fn workspace_path(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(relative)
}

pub fn read(relative: &str) -> Vec<u8> {
    let path = workspace_path(relative);
    std::fs::read(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

/// Every committed single-message file: the DKIM fixtures and the sample
/// maildir.
pub fn committed_messages() -> Vec<(String, Vec<u8>)> {
    let mut messages = Vec::new();
    for directory in [
        "fixtures/dkim",
        "examples/sample-dump/maildir-claire.dubois/cur",
        "examples/sample-dump/maildir-claire.dubois/new",
    ] {
        let mut paths: Vec<_> = std::fs::read_dir(workspace_path(directory))
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .filter(|path| {
                path.is_file()
                    && (directory != "fixtures/dkim"
                        || path.extension().is_some_and(|ext| ext == "eml"))
            })
            .collect();
        paths.sort();
        for path in paths {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            messages.push((name, std::fs::read(&path).unwrap()));
        }
    }
    messages
}

/// The messages of an mbox: a separator is a `From ` line at the start or
/// after an empty line; the separator and the empty line before it are not
/// part of the message.
pub fn mbox_messages(relative: &str) -> Vec<Vec<u8>> {
    let bytes = read(relative);
    let mut messages: Vec<Vec<u8>> = Vec::new();
    let mut previous_empty = true;
    for line in bytes.split_inclusive(|&byte| byte == b'\n') {
        if previous_empty && line.starts_with(b"From ") {
            if let Some(last) = messages.last_mut() {
                if last.ends_with(b"\n\n") {
                    last.pop();
                }
            }
            messages.push(Vec::new());
        } else if let Some(current) = messages.last_mut() {
            current.extend_from_slice(line);
        }
        previous_empty = line == b"\n" || line == b"\r\n";
    }
    messages
}

/// Plain RFC 4648 base64, whitespace skipped; written here so attachments
/// are checked against a decoder that is not mail-parser's.
pub fn base64(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut bits = 0u32;
    let mut bit_count = 0;
    let mut out = Vec::new();
    for byte in text.bytes() {
        if byte == b'=' {
            break;
        }
        let Some(value) = ALPHABET.iter().position(|&letter| letter == byte) else {
            assert!(byte.is_ascii_whitespace(), "not base64: {byte}");
            continue;
        };
        bits = (bits << 6) | value as u32;
        bit_count += 6;
        if bit_count >= 8 {
            bit_count -= 8;
            out.push((bits >> bit_count) as u8);
        }
    }
    out
}

/// The base64 block of a part: the lines after the blank line that follows
/// `marker`, up to the next blank line.
pub fn base64_block_after(message: &[u8], marker: &str) -> Vec<u8> {
    let text = String::from_utf8_lossy(message);
    let start = text.find(marker).expect("marker in message");
    let after = &text[start..];
    let body_start = after
        .find("\n\n")
        .or_else(|| after.find("\r\n\r\n"))
        .unwrap();
    let body = after[body_start..].trim_start();
    let body_end = body
        .find("\n\n")
        .or_else(|| body.find("\r\n\r\n"))
        .unwrap_or(body.len());
    base64(&body[..body_end])
}

/// xorshift64*: a fixed seed gives the same hostile bytes on every run.
pub struct SeededBytes(u64);

impl SeededBytes {
    pub fn new(seed: u64) -> Self {
        SeededBytes(seed.max(1))
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    pub fn below(&mut self, bound: usize) -> usize {
        (self.next_u64() % bound as u64) as usize
    }

    pub fn bytes(&mut self, len: usize) -> Vec<u8> {
        (0..len).map(|_| self.next_u64() as u8).collect()
    }
}

/// The sentence tamis writes when mail-parser itself panicked.
pub fn parser_failed(problems: &[String]) -> bool {
    problems
        .iter()
        .any(|problem| problem.contains("MIME parser failed"))
}
