//! A case built from real fixtures, the way `tamis ingest` builds one
//! (walk → analyze → extract → one writer), and requests against the
//! router, with no socket.

#![allow(dead_code)]

pub mod schema;

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use serde_json::Value;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tamis_case::{CaseReader, CaseWriter, IngestRecord, RunParams};
use tamis_items::{Item, ItemKind, SourceEvent};
use tamis_keys::KeyFile;
use tamis_sources::{Limits, Walker};
use tower::ServiceExt;

/// The repository root (examples/ and fixtures/ live there).
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

pub const SAMPLE_DUMP: &str = "examples/sample-dump";
pub const HOSTILE_HTML: &str = "fixtures/html";
pub const SAMPLE_KEYS: &str = "examples/sample-keys.zone";

/// A case on disk and the application serving it.
pub struct TestCase {
    pub app: Router,
    dir: tempfile::TempDir,
}

impl TestCase {
    /// The case directory.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }
}

/// Ingest `inputs` (paths under the repository) with the sample's key file.
pub fn build_case(inputs: &[&str]) -> TestCase {
    let dir = tempfile::tempdir().expect("temp dir");
    let paths: Vec<PathBuf> = inputs.iter().map(|input| repo().join(input)).collect();
    let keys = KeyFile::load(&repo().join(SAMPLE_KEYS)).expect("sample key file loads");

    let mut events = Vec::new();
    Walker::new(Limits::default()).walk(&paths, &mut |event| events.push(event));

    let mut writer = CaseWriter::open(dir.path()).expect("case opens for writing");
    writer
        .begin_run(&RunParams {
            paths: paths.iter().map(|p| p.display().to_string()).collect(),
            key_files: vec![SAMPLE_KEYS.to_string()],
            dns: false,
        })
        .expect("run begins");
    let mut seen = HashSet::new();
    for event in events {
        for record in records(event, &mut seen, &keys) {
            writer.add(record).expect("record is written");
        }
    }
    writer.finish_run().expect("run finishes");
    drop(writer);

    let reader = CaseReader::open(dir.path()).expect("case opens for reading");
    TestCase {
        app: tamis_web::router(Arc::new(reader)),
        dir,
    }
}

/// What the ingest pipeline hands the writer for one source event.
fn records(event: SourceEvent, seen: &mut HashSet<[u8; 32]>, keys: &KeyFile) -> Vec<IngestRecord> {
    match event {
        SourceEvent::Item(item) if item.kind == ItemKind::File => {
            vec![IngestRecord::analyzed_file(item)]
        }
        SourceEvent::Item(item) => {
            let key = tamis_mail::message_key(&item).0;
            if !seen.insert(key) {
                return vec![IngestRecord::duplicate(key, item)];
            }
            match tamis_mail::analyze(&item, keys) {
                Ok(report) => {
                    let content = tamis_content::extract(&item.bytes);
                    vec![IngestRecord::analyzed_message(key, item, report, content)]
                }
                Err(unreadable) => vec![
                    IngestRecord::analyzed_file(Item {
                        kind: ItemKind::File,
                        ..item
                    }),
                    IngestRecord::Unreadable(unreadable),
                ],
            }
        }
        SourceEvent::Unreadable(unreadable) => vec![IngestRecord::Unreadable(unreadable)],
        SourceEvent::Store(tally) => vec![IngestRecord::Store(tally)],
    }
}

pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|error| {
            panic!(
                "not JSON ({error}): {}",
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    pub fn text(&self) -> String {
        String::from_utf8(self.body.clone()).expect("UTF-8 body")
    }

    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .unwrap_or_else(|| panic!("no {name} header"))
            .to_str()
            .unwrap()
    }
}

pub async fn get_with_host(app: &Router, uri: &str, host: Option<&str>) -> Answer {
    let mut request = Request::get(uri);
    if let Some(host) = host {
        request = request.header("host", host);
    }
    let response = app
        .clone()
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .expect("the router answers");
    let (parts, body) = response.into_parts();
    Answer {
        status: parts.status,
        headers: parts.headers,
        body: body.collect().await.expect("body").to_bytes().to_vec(),
    }
}

/// A GET as a browser on loopback sends it.
pub async fn get(app: &Router, uri: &str) -> Answer {
    get_with_host(app, uri, Some("127.0.0.1:8080")).await
}

/// A GET that must answer 200 with JSON.
pub async fn get_json(app: &Router, uri: &str) -> Value {
    let answer = get(app, uri).await;
    assert_eq!(answer.status, StatusCode::OK, "{uri}: {}", answer.text());
    assert!(
        answer
            .header("content-type")
            .starts_with("application/json"),
        "{uri}"
    );
    answer.json()
}

/// Every message of the case by id, through the API (paging the search).
pub async fn all_messages(app: &Router) -> Vec<Value> {
    let mut details = Vec::new();
    let mut offset = 0;
    loop {
        let page = get_json(
            app,
            &format!("/api/search?kind=message&sort=oldest&limit=50&offset={offset}"),
        )
        .await;
        let hits = page["hits"].as_array().unwrap();
        for hit in hits {
            let id = hit["message"]["id"].as_i64().unwrap();
            details.push(get_json(app, &format!("/api/messages/{id}")).await);
        }
        offset += hits.len();
        if hits.is_empty() || offset as u64 >= page["total"].as_u64().unwrap() {
            return details;
        }
    }
}

/// The rows of a TSV file with a header line.
pub fn tsv_rows(path: &Path) -> Vec<Vec<String>> {
    std::fs::read_to_string(path)
        .expect("TSV readable")
        .lines()
        .skip(1)
        .filter(|line| !line.trim().is_empty())
        .map(|line| line.split('\t').map(str::to_string).collect())
        .collect()
}

/// `examples/sample-expected.tsv` as message id → verdict (duplicates collapsed).
pub fn expected_sample_verdicts() -> std::collections::BTreeMap<String, String> {
    tsv_rows(&repo().join("examples/sample-expected.tsv"))
        .into_iter()
        .map(|row| {
            let message_id = row[1].trim_matches(['<', '>']).to_string();
            (message_id, row[2].clone())
        })
        .collect()
}
