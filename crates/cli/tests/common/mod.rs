//! Running the real `tamis` binary from tests.

#![allow(dead_code)]

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root (fixtures/, examples/ live there).
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

pub fn tamis(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tamis"))
        .args(args)
        .current_dir(repo())
        .output()
        .expect("tamis runs")
}

/// `tamis verify ARGS --format jsonl`: the message objects and the summary.
/// `tamis ARGS`, which must succeed; its standard output.
pub fn tamis_ok(args: &[&str]) -> String {
    let output = tamis(args);
    assert!(
        output.status.success(),
        "tamis {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn verify_jsonl(args: &[&str]) -> (Vec<Value>, Value) {
    let mut all = vec!["verify", "--format", "jsonl"];
    all.extend_from_slice(args);
    let output = tamis(&all);
    assert!(
        output.status.success(),
        "tamis verify failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let messages = String::from_utf8(output.stdout)
        .expect("stdout is UTF-8")
        .lines()
        .map(|line| serde_json::from_str(line).expect("every stdout line is JSON"))
        .collect();
    let stderr = String::from_utf8(output.stderr).expect("stderr is UTF-8");
    let summary_line = stderr
        .lines()
        .rev()
        .find(|l| l.starts_with("{\"summary\""))
        .unwrap_or_else(|| panic!("no JSON summary on stderr: {stderr}"));
    let summary = serde_json::from_str(summary_line).expect("summary is JSON");
    (messages, summary)
}

/// The message one of whose origins satisfies `at`.
pub fn found_at<'a>(
    messages: impl IntoIterator<Item = &'a Value>,
    at: impl Fn(&Value) -> bool,
) -> Option<&'a Value> {
    messages
        .into_iter()
        .find(|m| m["origins"].as_array().unwrap().iter().any(&at))
}

/// The file name of a message's first origin.
pub fn first_file(message: &Value) -> String {
    let file = message["origins"][0]["file"].as_str().expect("origin file");
    Path::new(file)
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned()
}

/// Repair codes of a message, comma-joined, `-` when none (the fixtures' TSV form).
pub fn repairs(message: &Value) -> String {
    let codes: Vec<&str> = message["repairs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap())
        .collect();
    if codes.is_empty() {
        "-".into()
    } else {
        codes.join(",")
    }
}

/// Rows of a TSV file with a header line.
pub fn tsv_rows(path: &Path) -> Vec<Vec<String>> {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.split('\t').map(str::to_string).collect())
        .collect()
}
