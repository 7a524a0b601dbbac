//! The real Outlook stores the store tests read, fetched by
//! `fixtures/stores/fetch-stores.sh` into `target/stores/` (not committed).
//! Without them (no network, no npm) a test says why and passes, except
//! under CI, where it fails: CI must run it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use tamis_items::{Item, SourceEvent, StoreTally, Unreadable};
use tamis_sources::{Limits, WalkStats, Walker};

pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

pub fn under_ci() -> bool {
    std::env::var("CI").is_ok_and(|value| !value.is_empty() && value != "false" && value != "0")
}

/// Runs the fetch script once per test binary; `Err` says why the stores
/// are not there.
fn fetched() -> &'static Result<PathBuf, String> {
    static FETCHED: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    FETCHED.get_or_init(|| {
        let dir = repo().join("target/stores");
        let script = repo().join("fixtures/stores/fetch-stores.sh");
        let output = Command::new("bash").arg(&script).arg(&dir).output();
        // The stores may be in place even if installing readpst failed (no
        // root): the tests that need readpst check for it themselves.
        let complete = ["enron.pst", "pstextractortest@outlook.com.ost"]
            .iter()
            .all(|name| dir.join(name).is_file());
        match output {
            Ok(out) if out.status.success() || complete => Ok(dir),
            Ok(out) => Err(format!(
                "{} failed: {}",
                script.display(),
                String::from_utf8_lossy(&out.stderr)
            )),
            Err(_) if complete => Ok(dir),
            Err(e) => Err(format!("cannot run {}: {e}", script.display())),
        }
    })
}

/// The path of a fetched store, or `None` (after saying why) when the test
/// should be skipped; under CI a missing store is a failure.
pub fn store(name: &str) -> Option<PathBuf> {
    match fetched() {
        Ok(dir) => Some(dir.join(name)),
        Err(why) => {
            assert!(!under_ci(), "{why}: CI must run the store tests");
            eprintln!("skipped: {why}");
            None
        }
    }
}

/// `readpst`, or `None` (after saying why) outside CI.
pub fn readpst() -> Option<&'static str> {
    store("enron.pst")?;
    let ok = Command::new("readpst")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(!under_ci(), "no readpst: CI must run the cross-check");
        eprintln!("skipped: no readpst (apt-get install pst-utils)");
        return None;
    }
    Some("readpst")
}

/// `readpst` for the committed stores (fixtures/stores/made), which need
/// no fetch: the fetch script runs only to install readpst when it is
/// missing. `None` (after saying why) outside CI.
pub fn readpst_without_fetch() -> Option<&'static str> {
    let installed = || {
        Command::new("readpst")
            .arg("-V")
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if !installed() {
        let _ = fetched();
    }
    if !installed() {
        assert!(!under_ci(), "no readpst: CI must run the cross-check");
        eprintln!("skipped: no readpst (apt-get install pst-utils)");
        return None;
    }
    Some("readpst")
}

pub struct Run {
    pub items: Vec<Item>,
    pub unreadable: Vec<Unreadable>,
    pub stores: Vec<StoreTally>,
    pub stats: WalkStats,
}

pub fn run(paths: &[PathBuf], limits: Limits) -> Run {
    let mut items = Vec::new();
    let mut unreadable = Vec::new();
    let mut stores = Vec::new();
    let stats = Walker::new(limits).walk(paths, &mut |event| match event {
        SourceEvent::Item(item) => items.push(item),
        SourceEvent::Unreadable(u) => unreadable.push(u),
        SourceEvent::Store(tally) => stores.push(tally),
    });
    assert_eq!(stats.items, items.len() as u64);
    assert_eq!(stats.unreadable, unreadable.len() as u64);
    Run {
        items,
        unreadable,
        stores,
        stats,
    }
}

/// The value of the first header field `name` (folds undone), in a
/// message with CRLF or LF line ends (readpst writes LF).
pub fn header(bytes: &[u8], name: &str) -> Option<String> {
    let text = String::from_utf8_lossy(bytes).replace("\r\n", "\n");
    let head = text.split("\n\n").next()?;
    let mut value: Option<String> = None;
    for line in head.split('\n') {
        if let Some(v) = value.as_mut() {
            if line.starts_with([' ', '\t']) {
                v.push_str(line);
                continue;
            }
            break;
        }
        if let Some((field, rest)) = line.split_once(':') {
            if field.eq_ignore_ascii_case(name) {
                value = Some(rest.trim().to_string());
            }
        }
    }
    value
}
