//! A dump that mixes good signed mail with every hostile item a leak may
//! hold (a truncated mbox, binary garbage, a 50 MB header line, a malformed
//! signature, path-traversal entry names, zips nested 20 deep, a zip bomb),
//! run through the real binary: the good mail still verifies, each hostile
//! item becomes one finding with a stable code and its location, and the run
//! completes.

mod common;

use common::*;
use serde_json::Value;
use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use zip::write::SimpleFileOptions;
use zip::CompressionMethod;

/// The signed fixtures copied both loose into the dump and into the zip
/// with hostile entry names.
const GOOD: [&str; 3] = [
    "relaxed-relaxed.eml",
    "simple-simple.eml",
    "ed25519-sha256.eml",
];
const ESCAPE_NAMES: [&str; 2] = ["../../escape.eml", "/abs/path.eml"];
/// 50 MB: fifty times the 1 MiB the analyzer accepts for one header field.
const JUNK_HEADER_BYTES: usize = 50_000_000;

/// What one run of `tamis verify` on the hostile dump produced. The dump
/// itself (over 50 MB) is deleted once the run is over.
struct HostileRun {
    dump: String,
    status: Option<i32>,
    messages: Vec<Value>,
    summary: Value,
    dump_files_before: Vec<PathBuf>,
    dump_files_after: Vec<PathBuf>,
    /// Where `../../escape.eml` would land if extracted against the dump
    /// directory, the tempdir's parent, or the binary's working directory.
    escape_targets: Vec<PathBuf>,
    escaped: Vec<PathBuf>,
}

fn hostile_run() -> &'static HostileRun {
    static RUN: OnceLock<HostileRun> = OnceLock::new();
    RUN.get_or_init(|| {
        let tmp = tempfile::tempdir().unwrap();
        let dump = tmp.path().join("dump");
        build_dump(&dump);
        let escape_targets = vec![
            dump.join("../../escape.eml"),
            tmp.path().join("../escape.eml"),
            tmp.path().join("escape.eml"),
            repo().join("../../escape.eml"),
            PathBuf::from("/abs/path.eml"),
        ];
        let already: Vec<PathBuf> = escape_targets
            .iter()
            .filter(|p| p.exists())
            .cloned()
            .collect();
        assert!(already.is_empty(), "left over from elsewhere: {already:?}");
        let dump_files_before = files_under(&dump);

        let keys = repo().join("fixtures/dkim/keys.zone");
        let output = tamis(&[
            "verify",
            dump.to_str().unwrap(),
            "--keys",
            keys.to_str().unwrap(),
            "--format",
            "jsonl",
        ]);

        let escaped = escape_targets
            .iter()
            .filter(|p| p.exists())
            .cloned()
            .collect();
        let dump_files_after = files_under(&dump);
        let stderr = String::from_utf8(output.stderr).expect("stderr is UTF-8");
        let messages = String::from_utf8(output.stdout)
            .expect("stdout is UTF-8")
            .lines()
            .map(|line| serde_json::from_str(line).expect("every stdout line is JSON"))
            .collect();
        let summary_line = stderr
            .lines()
            .rev()
            .find(|l| l.starts_with("{\"summary\""))
            .unwrap_or_else(|| panic!("no JSON summary on stderr: {stderr}"));
        HostileRun {
            dump: dump.display().to_string(),
            status: output.status.code(),
            messages,
            summary: serde_json::from_str(summary_line).expect("summary is JSON"),
            dump_files_before,
            dump_files_after,
            escape_targets,
            escaped,
        }
    })
}

fn build_dump(dump: &Path) {
    std::fs::create_dir_all(dump).unwrap();
    let fixtures = repo().join("fixtures/dkim");
    let fixture = |name: &str| std::fs::read(fixtures.join(name)).unwrap();

    // Good signed mail, loose.
    for name in GOOD {
        std::fs::write(dump.join(name), fixture(name)).unwrap();
    }

    // A 2-message mbox cut in the middle of the second message's body.
    let first = fixture("relaxed-simple.eml");
    let second = fixture("simple-relaxed.eml");
    let mut mbox = Vec::new();
    for message in [&first, &second] {
        mbox.extend_from_slice(b"From paul.mercier@example.org Wed May  3 12:00:00 2017\n");
        mbox.extend_from_slice(message);
        mbox.extend_from_slice(b"\n");
    }
    let cut = find(&mbox, b"Total engage a ce jour", 1) + 10;
    std::fs::write(dump.join("cut.mbox"), &mbox[..cut]).unwrap();

    // 64 KiB of pseudo-random bytes from a fixed seed.
    std::fs::write(dump.join("garbage.bin"), garbage()).unwrap();

    // A 50 MB header line, then a normal header and body.
    let mut huge = b"X-Junk: ".to_vec();
    huge.resize(huge.len() + JUNK_HEADER_BYTES, b'j');
    huge.extend_from_slice(b"\r\n");
    huge.extend_from_slice(&plain_message("huge-header"));
    std::fs::write(dump.join("huge-header.eml"), huge).unwrap();

    // relaxed-relaxed.eml with the value of its bh= tag deleted.
    let signed = String::from_utf8(fixture("relaxed-relaxed.eml")).unwrap();
    let bh_start = signed.find(" bh=").unwrap() + " bh=".len();
    let bh_end = bh_start + signed[bh_start..].find(';').unwrap();
    let malformed = format!("{}{}", &signed[..bh_start], &signed[bh_end..]);
    assert!(malformed.contains(" bh=;\r\n b="), "only the value went");
    std::fs::write(dump.join("empty-bh.eml"), malformed).unwrap();

    // Entries named to escape the dump, next to copies of the good mail.
    let escape_messages: Vec<Vec<u8>> = ESCAPE_NAMES.iter().map(|n| plain_message(n)).collect();
    let good: Vec<Vec<u8>> = GOOD.iter().map(|n| fixture(n)).collect();
    let mut entries: Vec<(String, &[u8])> = ESCAPE_NAMES
        .iter()
        .zip(&escape_messages)
        .map(|(n, m)| (n.to_string(), m.as_slice()))
        .collect();
    for (name, bytes) in GOOD.iter().zip(&good) {
        entries.push((format!("good/{name}"), bytes));
    }
    std::fs::write(dump.join("traversal.zip"), zip_of(&entries)).unwrap();

    // Zips nested 20 deep, an .eml at the bottom.
    let mut nested = zip_of(&[("bottom.eml".into(), &plain_message("bottom"))]);
    for level in (1..20).rev() {
        nested = zip_of(&[(format!("n{level}.zip"), &nested)]);
    }
    std::fs::write(dump.join("nested.zip"), nested).unwrap();

    // A bomb: 8 MiB of zeros deflate about 1000:1, far past the 200:1 cap
    // enforced once 1 MiB has come out (crates/sources/src/limits.rs).
    let zeros = vec![0u8; 8 << 20];
    let bomb = zip_of(&[("bomb.eml".into(), &zeros)]);
    assert!(bomb.len() < 40_000, "the bomb compresses about 1000:1");
    std::fs::write(dump.join("bomb.zip"), bomb).unwrap();
}

fn plain_message(tag: &str) -> Vec<u8> {
    format!(
        "From: Alice <alice@example.org>\r\nTo: bob@example.org\r\nSubject: {tag}\r\n\
         Date: Fri, 5 May 2017 18:00:00 +0200\r\nMessage-ID: <{}@example.org>\r\n\r\n\
         Body of {tag}.\r\n",
        tag.replace('/', "_")
    )
    .into_bytes()
}

fn zip_of(entries: &[(String, &[u8])]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    for (name, bytes) in entries {
        writer.start_file(name.as_str(), options).unwrap();
        writer.write_all(bytes).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

/// 64 KiB of pseudo-random bytes from a fixed seed.
fn garbage() -> Vec<u8> {
    random_bytes(0x7a6d_6973, 64 << 10)
}

/// xorshift64*: deterministic bytes over the whole 0..=255 range.
fn random_bytes(seed: u64, len: usize) -> Vec<u8> {
    let mut state = seed;
    let mut out = Vec::with_capacity(len);
    while out.len() < len {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        out.extend_from_slice(&state.wrapping_mul(0x2545_f491_4f6c_dd1d).to_le_bytes());
    }
    out.truncate(len);
    out
}

/// Offset of the `nth` (0-based) occurrence of `needle`.
fn find(haystack: &[u8], needle: &[u8], nth: usize) -> usize {
    haystack
        .windows(needle.len())
        .enumerate()
        .filter(|(_, w)| *w == needle)
        .nth(nth)
        .map(|(at, _)| at)
        .expect("needle present")
}

fn files_under(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path.clone());
            }
            out.push(path);
        }
    }
    out.sort();
    out
}

impl HostileRun {
    fn path(&self, name: &str) -> String {
        format!("{}/{name}", self.dump)
    }

    /// The message whose first origin is the file `name` in the dump.
    fn loose(&self, name: &str) -> &Value {
        let file = self.path(name);
        self.messages
            .iter()
            .find(|m| m["origins"][0]["file"] == file.as_str())
            .unwrap_or_else(|| panic!("{name} not reported: {:#?}", self.messages))
    }

    /// Messages with an origin in the file `name` of the dump.
    fn found_in(&self, name: &str) -> Vec<&Value> {
        let file = self.path(name);
        self.messages
            .iter()
            .filter(|m| origins(m).iter().any(|o| o["file"] == file.as_str()))
            .collect()
    }

    fn unreadable(&self) -> &Vec<Value> {
        self.summary["summary"]["unreadable"].as_array().unwrap()
    }

    /// The one unreadable item located in the file `name` of the dump.
    fn unreadable_in(&self, name: &str) -> &Value {
        let file = self.path(name);
        let found: Vec<&Value> = self
            .unreadable()
            .iter()
            .filter(|u| u["origin"]["file"] == file.as_str())
            .collect();
        assert_eq!(found.len(), 1, "{name}: {:#?}", self.unreadable());
        found[0]
    }
}

fn origins(message: &Value) -> &Vec<Value> {
    message["origins"].as_array().unwrap()
}

fn entry_names(origin: &Value) -> Vec<&str> {
    origin["entries"]
        .as_array()
        .map(|entries| {
            entries
                .iter()
                .map(|e| e["entry"].as_str().unwrap())
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn signed_messages_verify_whether_loose_or_inside_the_hostile_zip() {
    let run = hostile_run();
    for name in GOOD {
        let message = run.loose(name);
        assert_eq!(
            message["verdict"], "verified",
            "{name}: {}",
            message["reason"]
        );
        let zip_entry = format!("good/{name}");
        let where_found: Vec<(String, Vec<&str>)> = origins(message)
            .iter()
            .map(|o| (o["file"].as_str().unwrap().to_string(), entry_names(o)))
            .collect();
        assert_eq!(
            where_found,
            vec![
                (run.path(name), vec![]),
                (run.path("traversal.zip"), vec![zip_entry.as_str()]),
            ],
            "{name}: one message found loose and in the zip"
        );
    }
}

#[test]
fn a_truncated_mbox_still_yields_the_message_before_the_cut() {
    let run = hostile_run();
    let in_mbox = run.found_in("cut.mbox");
    let offsets: Vec<u64> = in_mbox
        .iter()
        .map(|m| origins(m)[0]["offset"].as_u64().unwrap())
        .collect();
    assert_eq!(offsets.len(), 2, "{in_mbox:#?}");
    assert_eq!(offsets[0], 0);
    assert_eq!(
        in_mbox[0]["verdict"], "verified",
        "{}",
        in_mbox[0]["reason"]
    );
    // An mbox has no length fields: the cut is only visible as a body that
    // no longer matches its signed hash.
    assert_eq!(
        in_mbox[1]["verdict"], "body-altered",
        "{}",
        in_mbox[1]["reason"]
    );
    assert!(
        !run.unreadable()
            .iter()
            .any(|u| u["origin"]["file"] == run.path("cut.mbox").as_str()),
        "nothing in the mbox is unreadable"
    );
}

#[test]
fn binary_garbage_is_skipped_as_another_file_without_a_finding() {
    let run = hostile_run();
    assert!(run.summary["summary"]["other_files"].as_u64().unwrap() >= 1);
    assert!(run.found_in("garbage.bin").is_empty());
    assert!(!run
        .unreadable()
        .iter()
        .any(|u| u["origin"]["file"] == run.path("garbage.bin").as_str()));

    // Alone, the same bytes are exactly one other file, and a run that read
    // it is a completed run.
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("garbage.bin"), garbage()).unwrap();
    let (messages, summary) = verify_jsonl(&[tmp.path().to_str().unwrap()]);
    assert!(messages.is_empty());
    assert_eq!(summary["summary"]["other_files"], 1, "{summary}");
    assert_eq!(summary["summary"]["unreadable"], serde_json::json!([]));
}

#[test]
fn a_50_mb_header_line_is_listed_unreadable_at_its_file() {
    let run = hostile_run();
    let unreadable = run.unreadable_in("huge-header.eml");
    assert_eq!(unreadable["code"], "header-unreadable", "{unreadable}");
    assert!(entry_names(&unreadable["origin"]).is_empty());
}

#[test]
fn a_50_mb_header_line_is_never_reported_as_a_message() {
    let run = hostile_run();
    assert!(run.found_in("huge-header.eml").is_empty());
}

#[test]
fn a_dkim_signature_whose_bh_value_is_deleted_is_an_invalid_signature() {
    let run = hostile_run();
    let message = run.loose("empty-bh.eml");
    assert_eq!(
        message["verdict"], "invalid-signature",
        "{}",
        message["reason"]
    );
    assert_eq!(
        origins(message).len(),
        1,
        "not collapsed into the good copy"
    );
}

#[test]
fn zip_entries_named_outside_the_dump_are_reported_as_messages_never_extracted() {
    let run = hostile_run();
    let zip = run.path("traversal.zip");
    for name in ESCAPE_NAMES {
        let message = run
            .messages
            .iter()
            .find(|m| {
                origins(m)[0]["file"] == zip.as_str() && entry_names(&origins(m)[0]) == [name]
            })
            .unwrap_or_else(|| panic!("{name} not reported: {:#?}", run.messages));
        assert_eq!(message["verdict"], "unsigned");
        assert_eq!(message["subject"], name);
    }
    assert!(
        run.escaped.is_empty(),
        "extracted outside the dump: {:?}",
        run.escaped
    );
    assert_eq!(run.escape_targets.len(), 5);
    assert_eq!(
        run.dump_files_after, run.dump_files_before,
        "nothing new in the dump"
    );
}

#[test]
fn zips_nested_20_deep_stop_at_the_depth_limit_with_their_entry_chain() {
    let run = hostile_run();
    let unreadable = run.unreadable_in("nested.zip");
    assert_eq!(unreadable["code"], "nesting-too-deep", "{unreadable}");
    let chain: Vec<String> = (1..=16).map(|l| format!("n{l}.zip")).collect();
    assert_eq!(entry_names(&unreadable["origin"]), chain);
    assert!(run.found_in("nested.zip").is_empty());
}

#[test]
fn a_zip_bomb_is_stopped_at_its_entry_as_an_archive_bomb() {
    let run = hostile_run();
    let unreadable = run.unreadable_in("bomb.zip");
    assert_eq!(unreadable["code"], "archive-bomb", "{unreadable}");
    assert_eq!(entry_names(&unreadable["origin"]), ["bomb.eml"]);
    assert!(
        unreadable["reason"].as_str().unwrap().contains("ratio"),
        "{unreadable}"
    );
    assert!(run.found_in("bomb.zip").is_empty());
}

#[test]
fn the_hostile_dump_completes_and_reports_every_readable_message_once() {
    let run = hostile_run();
    assert_eq!(run.status, Some(0), "{:#}", run.summary);
    // 3 good (each also in the zip), 2 from the mbox, the empty bh=, the 2
    // escaping entries.
    let summary = &run.summary["summary"];
    assert_eq!(summary["messages"], 8, "{summary:#}");
    assert_eq!(run.messages.len(), 8);
    assert_eq!(summary["duplicates"], 3);
    let verdicts = &summary["verdicts"];
    assert_eq!(verdicts["verified"], 4, "{verdicts}");
    assert_eq!(verdicts["unsigned"], 2, "{verdicts}");
    for (file, code) in [
        ("bomb.zip", "archive-bomb"),
        ("nested.zip", "nesting-too-deep"),
    ] {
        assert_eq!(run.unreadable_in(file)["code"], code);
    }
}

#[test]
fn the_hostile_dump_lists_exactly_the_hostile_items_as_unreadable() {
    let run = hostile_run();
    let mut listed: Vec<(String, String)> = run
        .unreadable()
        .iter()
        .map(|u| {
            let file = u["origin"]["file"].as_str().unwrap();
            let name = Path::new(file).file_name().unwrap().to_string_lossy();
            (name.into_owned(), u["code"].as_str().unwrap().to_string())
        })
        .collect();
    listed.sort();
    assert_eq!(
        listed,
        [
            ("bomb.zip", "archive-bomb"),
            ("huge-header.eml", "header-unreadable"),
            ("nested.zip", "nesting-too-deep"),
        ]
        .map(|(f, c)| (f.to_string(), c.to_string()))
    );
    let summary = &run.summary["summary"];
    assert_eq!(summary["other_files"], 1, "only garbage.bin");
    let verdicts = &summary["verdicts"];
    assert_eq!(verdicts["body-altered"], 1, "only the cut mbox message");
    assert_eq!(verdicts["invalid-signature"], 1, "the empty bh=");
}

#[test]
fn verify_on_a_missing_path_exits_1_and_names_the_path() {
    let tmp = tempfile::tempdir().unwrap();
    let missing = tmp.path().join("no-such-dump");
    let missing = missing.to_str().unwrap();
    let output = tamis(&["verify", missing, "--format", "jsonl"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    let summary: Value = serde_json::from_str(stderr.lines().last().unwrap()).unwrap();
    let unreadable = &summary["summary"]["unreadable"];
    assert_eq!(unreadable.as_array().unwrap().len(), 1, "{summary}");
    assert_eq!(unreadable[0]["origin"]["file"], missing);
    assert_eq!(unreadable[0]["code"], "read-error");
    assert!(output.stdout.is_empty());
}

#[test]
fn verify_without_a_path_is_a_usage_error_exiting_2() {
    let output = tamis(&["verify"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("Usage"), "{stderr}");
}
