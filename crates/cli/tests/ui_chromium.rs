//! The web UI end to end, in a real headless Chromium (Debian's), as a
//! journalist would use it: `tamis ingest` builds a case from the sample
//! dump and the hostile-HTML fixture, `tamis serve` serves it on a free
//! loopback port, and e2e/ui.mjs (playwright-core) loads the overview,
//! checks the verdict counts, searches, applies a facet, opens messages,
//! checks their badge and evidence, and opens the hostile message to prove
//! that the page made no request off the machine and ran none of its
//! scripts. Screenshots land in target/e2e/.
//!
//! Needs /usr/bin/chromium (or $CHROMIUM), node, and e2e/node_modules:
//! `e2e/install.sh` installs them. Without them the test says why and
//! passes, except under CI, where it fails: CI must run it.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn chromium() -> PathBuf {
    std::env::var_os("CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"))
}

/// Why the browser test cannot run on this machine, if it cannot.
fn missing_tools() -> Option<String> {
    if !chromium().exists() {
        return Some(format!("no Chromium at {}", chromium().display()));
    }
    let node = Command::new("node").arg("--version").output();
    if !node.is_ok_and(|output| output.status.success()) {
        return Some("no `node` on PATH".into());
    }
    if !repo().join("e2e/node_modules/playwright-core").is_dir() {
        return Some("e2e/node_modules has no playwright-core (npm ci in e2e/)".into());
    }
    None
}

fn under_ci() -> bool {
    std::env::var("CI").is_ok_and(|value| !value.is_empty() && value != "false" && value != "0")
}

/// `tamis serve`, stopped when the test ends however it ends.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The verdict counts the sample documents (duplicates collapsed by
/// Message-ID), plus the hostile fixture, which is unsigned.
fn expected_counts() -> BTreeMap<String, u64> {
    let text = std::fs::read_to_string(repo().join("examples/sample-expected.tsv")).unwrap();
    let verdict_by_message: BTreeMap<&str, &str> = text
        .lines()
        .skip(1)
        .filter_map(|line| {
            let fields: Vec<&str> = line.split('\t').collect();
            (fields.len() >= 3).then(|| (fields[1], fields[2]))
        })
        .collect();
    let mut counts = BTreeMap::new();
    for verdict in verdict_by_message.values() {
        *counts.entry(verdict.to_string()).or_insert(0) += 1;
    }
    *counts.entry("unsigned".to_string()).or_insert(0) += 1;
    counts
}

fn as_json(counts: &BTreeMap<String, u64>) -> String {
    let fields: Vec<String> = counts
        .iter()
        .map(|(verdict, count)| format!("\"{verdict}\":{count}"))
        .collect();
    format!("{{{}}}", fields.join(","))
}

#[test]
fn the_ui_works_in_a_real_browser() {
    if let Some(reason) = missing_tools() {
        assert!(
            !under_ci(),
            "{reason}: CI must run the browser test (e2e/install.sh installs what it needs)"
        );
        eprintln!("skipped: {reason}; run e2e/install.sh to enable this test");
        return;
    }
    let tamis = env!("CARGO_BIN_EXE_tamis");
    let case = tempfile::tempdir().unwrap();
    let case_dir = case.path().join("case");

    let ingest = Command::new(tamis)
        .args([
            "ingest",
            "examples/sample-dump",
            "fixtures/html",
            "fixtures/docs/office/xlsx-burst",
            "--case",
        ])
        .arg(&case_dir)
        .args(["--keys", "examples/sample-keys.zone"])
        .current_dir(repo())
        .output()
        .expect("tamis ingest runs");
    assert!(
        ingest.status.success(),
        "tamis ingest failed: {}",
        String::from_utf8_lossy(&ingest.stderr)
    );

    // Port 0: the system picks a free port, and serve prints the real one.
    let mut child = Command::new(tamis)
        .args(["serve", "--addr", "127.0.0.1:0", "--case"])
        .arg(&case_dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("tamis serve starts");
    let stdout = child.stdout.take().unwrap();
    let _server = Server(child);
    let mut lines = BufReader::new(stdout);
    let mut first_line = String::new();
    lines
        .read_line(&mut first_line)
        .expect("tamis serve prints its address");
    // Keep reading, so the server never writes into a closed pipe.
    std::thread::spawn(move || std::io::copy(&mut lines, &mut std::io::sink()));
    let base = first_line
        .split_whitespace()
        .find(|word| word.starts_with("http://127.0.0.1:"))
        .unwrap_or_else(|| panic!("no URL in tamis serve's first line: {first_line:?}"))
        .trim_end_matches('/')
        .to_string();

    let screenshots = repo().join("target/e2e");
    let run = Command::new("node")
        .arg("ui.mjs")
        .args(["--base", &base, "--out"])
        .arg(&screenshots)
        .args(["--expect", &as_json(&expected_counts())])
        .env("CHROMIUM", chromium())
        .current_dir(repo().join("e2e"))
        .output()
        .expect("node runs the browser script");
    let stdout = String::from_utf8_lossy(&run.stdout);
    let stderr = String::from_utf8_lossy(&run.stderr);
    println!("{stdout}");
    assert!(
        run.status.success(),
        "the browser test failed:\n{stdout}\n{stderr}"
    );
    assert!(stdout.contains("e2e: all checks passed"), "{stdout}");
    for screenshot in ["overview.png", "search.png", "message.png", "hostile.png"] {
        assert!(
            screenshots.join(screenshot).is_file(),
            "{screenshot} was saved"
        );
    }
}
