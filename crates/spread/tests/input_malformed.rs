//! Damaged input: malformed lines are counted with their line numbers and
//! the read goes on; gzip is recognised by content, also when truncated;
//! over-long lines and records are skipped, never held; unknown files are
//! refused with a reason.

use flate2::write::GzEncoder;
use flate2::Compression;
use serde_json::json;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use tamis_spread::input::{read_all, read_file, FileReport, Filter, Format, InputError};
use tamis_spread::{Dataset, PostKind, NONE};

fn tweet(id: u64, user: u64, minute: u32) -> serde_json::Value {
    json!({
        "created_at": format!("Fri May 05 19:{minute:02}:00 +0000 2017"),
        "id": id, "id_str": id.to_string(),
        "text": format!("tweet {id} #MacronLeaks"),
        "user": {"id": user, "id_str": user.to_string(), "screen_name": format!("u{user}"),
                 "created_at": "Mon Apr 03 10:00:00 +0000 2017", "followers_count": 1},
        "entities": {"hashtags": [{"text": "MacronLeaks"}], "urls": []},
        "lang": "fr"
    })
}

fn retweet(id: u64, user: u64, minute: u32, original: &serde_json::Value) -> serde_json::Value {
    let mut rt = tweet(id, user, minute);
    rt["retweeted_status"] = original.clone();
    rt
}

/// Lines 1-10: a notice, garbage, a tweet, a truncated tweet, a blank
/// line, a notice, a retweet, a bad date, a tweet ended by CRLF, garbage.
fn mixed() -> Vec<u8> {
    let original = tweet(100, 1, 0);
    let mut out = String::new();
    out.push_str(r#"{"delete":{"status":{"id":5,"id_str":"5","user_id":9}}}"#);
    out.push('\n');
    out.push_str("this is not JSON\n");
    out.push_str(&format!("{original}\n"));
    let cut = tweet(101, 2, 1).to_string();
    out.push_str(&format!("{}\n", &cut[..cut.len() / 2]));
    out.push_str("   \n");
    out.push_str(r#"{"limit":{"track":12,"timestamp_ms":"1494010860000"}}"#);
    out.push('\n');
    out.push_str(&format!("{}\n", retweet(102, 3, 2, &original)));
    let mut bad = tweet(103, 4, 3);
    bad["created_at"] = json!("5 May 2017");
    out.push_str(&format!("{bad}\n"));
    out.push_str(&format!("{}\r\n", tweet(104, 5, 4)));
    out.push_str("{\"unterminated\n");
    out.into_bytes()
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(data).expect("gzip");
    encoder.finish().expect("gzip")
}

fn write(dir: &Path, name: &str, data: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, data).expect("write");
    path
}

fn read_one(path: &Path) -> Result<(Dataset, FileReport), InputError> {
    let mut dataset = Dataset::default();
    let report = read_file(path, &Filter::default(), &mut dataset, &|_| {})?;
    Ok((dataset, report))
}

fn check_mixed(dataset: &Dataset, report: &FileReport) {
    assert_eq!(report.format, Format::TwitterV1);
    assert_eq!(report.records, 9, "blank lines are not records");
    assert_eq!(report.posts, 3);
    assert_eq!(report.not_posts, 2);
    assert_eq!(report.malformed, 4);
    let lines: Vec<u64> = report.malformed_lines.iter().map(|m| m.line).collect();
    assert_eq!(lines, [2, 4, 8, 10]);
    assert!(report.malformed_lines[0].reason.starts_with("not JSON"));
    assert!(report.malformed_lines[1].reason.contains("EOF"));
    assert!(report.malformed_lines[2].reason.contains("5 May 2017"));
    assert!(report.read_error.is_none());
    let kinds: Vec<PostKind> = dataset.posts.iter().map(|p| p.kind).collect();
    assert_eq!(
        kinds,
        [PostKind::Original, PostKind::Retweet, PostKind::Original]
    );
    // The retweet's original is the first post: marked as shared.
    assert_ne!(dataset.posts[0].object, NONE);
    assert_eq!(dataset.posts[1].shared, dataset.posts[0].object);
}

#[test]
fn malformed_lines_are_counted_and_skipped() {
    let dir = tempfile::tempdir().expect("dir");
    let (dataset, report) = read_one(&write(dir.path(), "mixed.jsonl", &mixed())).expect("read");
    assert!(!report.gzip);
    check_mixed(&dataset, &report);
}

#[test]
fn gzip_is_recognised_by_content() {
    let dir = tempfile::tempdir().expect("dir");
    // A misleading name: content decides.
    let path = write(dir.path(), "tweets.csv", &gzip(&mixed()));
    let (dataset, report) = read_one(&path).expect("read");
    assert!(report.gzip);
    check_mixed(&dataset, &report);

    // Two gzip members back to back (`cat a.gz b.gz`) are one stream.
    let first = gzip(format!("{}\n", tweet(1, 1, 0)).as_bytes());
    let second = gzip(format!("{}\n", tweet(2, 2, 1)).as_bytes());
    let path = write(dir.path(), "joined", &[first, second].concat());
    let (dataset, report) = read_one(&path).expect("read");
    assert!(report.gzip);
    assert_eq!(dataset.posts.len(), 2);
    assert_eq!(report.malformed, 0);
}

#[test]
fn truncated_gzip_keeps_what_was_read() {
    let mut text = String::new();
    for i in 0..5_000u64 {
        text.push_str(&tweet(1_000 + i, i % 97, (i % 60) as u32).to_string());
        text.push('\n');
    }
    let compressed = gzip(text.as_bytes());
    let dir = tempfile::tempdir().expect("dir");
    let path = write(dir.path(), "cut.gz", &compressed[..compressed.len() / 2]);
    let (dataset, report) = read_one(&path).expect("read");
    assert!(report.gzip);
    let stop = report.read_error.as_ref().expect("reading stopped early");
    assert!(
        stop.reason.starts_with("reading stopped"),
        "{}",
        stop.reason
    );
    assert!(dataset.posts.len() > 1_000 && dataset.posts.len() < 5_000);
    // The line cut mid-way is where reading stopped, not a malformed line.
    assert_eq!(stop.line, dataset.posts.len() as u64 + 1);
    assert_eq!(report.malformed, 0);
}

#[test]
fn over_long_lines_are_skipped() {
    let mut data = format!("{}\n", tweet(1, 1, 0)).into_bytes();
    // A single 17 MiB "tweet": over the 16 MiB bound.
    data.extend_from_slice(br#"{"text":""#);
    data.resize(data.len() + 17 * 1024 * 1024, b'a');
    data.extend_from_slice(b"\"}\n");
    data.extend_from_slice(format!("{}\n", tweet(2, 2, 1)).as_bytes());
    let dir = tempfile::tempdir().expect("dir");
    let (dataset, report) = read_one(&write(dir.path(), "long.jsonl", &data)).expect("read");
    assert_eq!(dataset.posts.len(), 2);
    assert_eq!(report.malformed, 1);
    assert_eq!(report.malformed_lines[0].line, 2);
    assert!(report.malformed_lines[0].reason.contains("16 MiB"));
}

#[test]
fn runaway_csv_quote_is_bounded() {
    let mut data = b"account,object,time\na,x,1494010140\nb,\"never closed".to_vec();
    let junk = "junk,".repeat(4 * 1024 * 1024);
    data.extend_from_slice(junk.as_bytes());
    data.extend_from_slice(b"\nc,y,1494010141\nd,y,1494010142\n");
    let dir = tempfile::tempdir().expect("dir");
    let (dataset, report) = read_one(&write(dir.path(), "shares.csv", &data)).expect("read");
    assert_eq!(report.format, Format::SharesCsv);
    assert_eq!(dataset.posts.len(), 3);
    assert_eq!(report.malformed, 1);
    assert_eq!(report.malformed_lines[0].line, 3);
    assert!(report.malformed_lines[0].reason.contains("16 MiB"));
    // Line numbers go on after the skip.
    std::fs::write(
        dir.path().join("shares2.csv"),
        [&data[..], b"e,z,yesterday\n"].concat(),
    )
    .expect("write");
    let (_, report) = read_one(&dir.path().join("shares2.csv")).expect("read");
    assert_eq!(report.malformed_lines[1].line, 6);
}

#[test]
fn unknown_files_are_refused() {
    let dir = tempfile::tempdir().expect("dir");
    let cases: [(&str, &[u8], &str); 5] = [
        ("empty", b"", "empty"),
        ("array.json", b"[{\"id\": 1}]\n", "JSON array"),
        ("other.csv", b"name,colour\nrose,red\n", "CSV header"),
        (
            "garbage.jsonl",
            b"{not json\n{neither\n",
            "no line is a tweet",
        ),
        ("binary", b"\x00\x01\x02\x03", "neither JSON"),
    ];
    for (name, data, reason) in cases {
        match read_one(&write(dir.path(), name, data)) {
            Err(InputError::Unrecognised { reason: got, .. }) => {
                assert!(got.contains(reason), "{name}: {got}")
            }
            Err(e) => panic!("{name}: {e}"),
            Ok(_) => panic!("{name} was read"),
        }
    }
    match read_one(&dir.path().join("missing")) {
        Err(InputError::Io { .. }) => {}
        _ => panic!("a missing file is an I/O error"),
    }
}

#[test]
fn a_stream_of_notices_is_v1_without_posts() {
    let dir = tempfile::tempdir().expect("dir");
    let data = b"{\"limit\":{\"track\":1}}\n{\"delete\":{\"status\":{\"id\":1}}}\n";
    let (dataset, report) = read_one(&write(dir.path(), "notices", data)).expect("read");
    assert_eq!(report.format, Format::TwitterV1);
    assert_eq!(report.not_posts, 2);
    assert!(dataset.posts.is_empty());
}

#[test]
fn shared_posts_are_found_across_files() {
    let dir = tempfile::tempdir().expect("dir");
    let original = tweet(100, 1, 0);
    // The retweet comes first, in another file, as a newest-first search
    // would give it.
    let first = write(
        dir.path(),
        "a.jsonl",
        format!("{}\n", retweet(200, 2, 5, &original)).as_bytes(),
    );
    let second = write(dir.path(), "b.jsonl", format!("{original}\n").as_bytes());
    let total = std::fs::metadata(&first).expect("meta").len()
        + std::fs::metadata(&second).expect("meta").len();
    let seen = AtomicU64::new(0);
    let (dataset, report) = read_all(&[first.clone(), second.clone()], &Filter::default(), &|n| {
        seen.fetch_max(n, Ordering::Relaxed);
    })
    .expect("read");
    assert_eq!(
        seen.load(Ordering::Relaxed),
        total,
        "progress counts every byte"
    );
    assert_eq!(report.posts, 2);
    let posted = dataset
        .posts
        .iter()
        .find(|p| p.kind == PostKind::Original)
        .expect("original");
    let shared = dataset
        .posts
        .iter()
        .find(|p| p.kind == PostKind::Retweet)
        .expect("retweet");
    assert_eq!(posted.object, shared.shared);
    assert_eq!(dataset.objects.name(shared.shared), "100");

    // read_file, file by file, marks only within what it has read so far.
    let mut dataset = Dataset::default();
    read_file(&second, &Filter::default(), &mut dataset, &|_| {}).expect("read");
    read_file(&first, &Filter::default(), &mut dataset, &|_| {}).expect("read");
    let posted = dataset
        .posts
        .iter()
        .find(|p| p.kind == PostKind::Original)
        .expect("original");
    assert_eq!(posted.object, NONE);
}
