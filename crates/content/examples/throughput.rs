//! How fast `extract` reads messages: a quick measurement, not a test.
//!
//!     cargo run --release -p tamis-content --example throughput [PATH...]
//!
//! PATHs are message files or directories of them (walked recursively); an
//! `.mbox` file is cut into its messages. Without PATHs: the committed
//! fixtures and the sample dump's maildir and mbox. The set is read over and
//! over for at least two seconds so that small sets give a stable figure.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn main() {
    let mut paths: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    if paths.is_empty() {
        let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        paths = vec![
            workspace.join("fixtures/dkim"),
            workspace.join("examples/sample-dump"),
        ];
    }
    let mut messages = Vec::new();
    for path in &paths {
        collect(path, &mut messages);
    }
    let bytes_per_pass: usize = messages.iter().map(Vec::len).sum();
    println!(
        "{} messages, {} bytes per pass",
        messages.len(),
        bytes_per_pass
    );

    let started = Instant::now();
    let mut passes = 0u64;
    let mut attachments = 0usize;
    while started.elapsed() < Duration::from_secs(2) {
        for message in &messages {
            attachments += tamis_content::extract(message).attachments.len();
        }
        passes += 1;
    }
    let seconds = started.elapsed().as_secs_f64();
    let messages_read = passes as f64 * messages.len() as f64;
    println!(
        "{passes} passes in {seconds:.2} s: {:.0} messages/s, {:.1} MB/s ({attachments} attachments)",
        messages_read / seconds,
        passes as f64 * bytes_per_pass as f64 / seconds / 1e6
    );
}

fn collect(path: &Path, messages: &mut Vec<Vec<u8>>) {
    if path.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
            .unwrap_or_else(|error| panic!("{}: {error}", path.display()))
            .map(|entry| entry.expect("directory entry").path())
            .collect();
        entries.sort();
        for entry in entries {
            collect(&entry, messages);
        }
        return;
    }
    let extension = path.extension().and_then(|ext| ext.to_str()).unwrap_or("");
    let is_maildir_file = path
        .parent()
        .and_then(Path::file_name)
        .is_some_and(|dir| dir == "cur" || dir == "new");
    let bytes = std::fs::read(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    match extension {
        "eml" => messages.push(bytes),
        "mbox" => messages.extend(mbox_messages(&bytes)),
        _ if is_maildir_file => messages.push(bytes),
        _ => {}
    }
}

/// Messages of an mbox: a `From ` line at the start or after an empty line
/// separates them.
fn mbox_messages(bytes: &[u8]) -> Vec<Vec<u8>> {
    let mut messages: Vec<Vec<u8>> = Vec::new();
    let mut previous_empty = true;
    for line in bytes.split_inclusive(|&byte| byte == b'\n') {
        if previous_empty && line.starts_with(b"From ") {
            messages.push(Vec::new());
        } else if let Some(current) = messages.last_mut() {
            current.extend_from_slice(line);
        }
        previous_empty = line == b"\n" || line == b"\r\n";
    }
    messages
}
