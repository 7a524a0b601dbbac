//! `tamis export --format opensearch-bulk`: the sample case becomes bulk
//! files a cluster accepts as they are (checked offline: no cluster here),
//! holding every message and document with the case's own values, under a
//! mapping that leaves the cluster nothing to guess.

mod common;

use common::*;
use serde_json::{Map, Value};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use tamis_case::CaseReader;

/// A loose file with earlier revisions, beside the sample's messages (one
/// of which carries a PDF attachment), so both kinds of document are exported.
const LOOSE_PDF: &str = "fixtures/docs/pdf/three-revisions.pdf";

/// The sample dump ingested into `<tmp>/<name>`.
fn sample_case(tmp: &Path, name: &str) -> PathBuf {
    let case = tmp.join(name);
    tamis_ok(&[
        "ingest",
        "--case",
        case.to_str().unwrap(),
        "--keys",
        "examples/sample-keys.zone",
        "examples/sample-dump",
        LOOSE_PDF,
    ]);
    case
}

fn export(case: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "export",
        "--case",
        case.to_str().unwrap(),
        "--format",
        "opensearch-bulk",
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    tamis(&args)
}

fn export_ok(case: &Path, out: &Path, extra: &[&str]) {
    let output = export(case, out, extra);
    assert!(
        output.status.success(),
        "tamis export: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The bulk files of an export, in order, as the manifest lists them.
fn bulk_files(out: &Path) -> Vec<PathBuf> {
    let manifest = read_json(&out.join("manifest.json"));
    let listed: Vec<PathBuf> = manifest["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|file| out.join(file["name"].as_str().unwrap()))
        .collect();
    let mut on_disk: Vec<PathBuf> = std::fs::read_dir(out)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "ndjson"))
        .collect();
    on_disk.sort();
    assert_eq!(
        listed, on_disk,
        "the manifest lists every bulk file, in order"
    );
    listed
}

/// (action, document) pairs of one bulk file, checking the file's shape on
/// the way: every line JSON, actions and documents alternating, a final
/// newline (the bulk API ignores a last line without one).
fn pairs_of(path: &Path) -> Vec<(Value, Value)> {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(
        text.ends_with('\n'),
        "{} ends without a newline",
        path.display()
    );
    let lines: Vec<Value> = text
        .lines()
        .map(|line| {
            serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("{}: a line is not JSON ({e}): {line}", path.display()))
        })
        .collect();
    assert_eq!(lines.len() % 2, 0, "{}: a record is cut", path.display());
    lines
        .chunks(2)
        .map(|pair| {
            let (action, document) = (&pair[0], &pair[1]);
            let target = action["index"]
                .as_object()
                .unwrap_or_else(|| panic!("{}: not an index action: {action}", path.display()));
            assert_eq!(target.len(), 2, "an action names _index and _id only");
            assert!(target["_index"].is_string() && target["_id"].is_string());
            assert!(
                document.get("index").is_none() && document["kind"].is_string(),
                "{}: a document line is not a record: {document}",
                path.display()
            );
            (action.clone(), document.clone())
        })
        .collect()
}

fn all_pairs(out: &Path) -> Vec<(Value, Value)> {
    bulk_files(out).iter().flat_map(|p| pairs_of(p)).collect()
}

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .unwrap_or_else(|| panic!("not an array: {value}"))
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn every_message_and_document_is_exported_with_the_case_values() {
    let tmp = tempfile::tempdir().unwrap();
    let case = sample_case(tmp.path(), "Sample Case #2");
    let out = tmp.path().join("export");
    export_ok(&case, &out, &[]);

    let pairs = all_pairs(&out);
    let reader = CaseReader::open(&case).unwrap();
    let overview = reader.overview().unwrap();
    let conn = rusqlite::Connection::open(case.join("case.sqlite")).unwrap();
    let documents_in_case: u64 = conn
        .query_row(
            "SELECT count(*) FROM (SELECT item_id FROM attachments
             UNION SELECT item_id FROM origins WHERE found_as = 'file')",
            [],
            |row| row.get::<_, i64>(0),
        )
        .unwrap() as u64;
    assert_eq!(
        documents_in_case, 2,
        "the sample's attachment and the loose PDF"
    );

    let of_kind = |kind: &str| pairs.iter().filter(|(_, d)| d["kind"] == kind).count() as u64;
    assert_eq!(of_kind("message"), overview.messages);
    assert_eq!(of_kind("document"), documents_in_case);
    assert_eq!(pairs.len() as u64, overview.messages + documents_in_case);

    let manifest = read_json(&out.join("manifest.json"));
    assert_eq!(manifest["counts"]["message"], overview.messages);
    assert_eq!(manifest["counts"]["document"], documents_in_case);
    assert_eq!(manifest["index"], "tamis-sample-case-2");
    assert_eq!(manifest["tamis_version"], env!("CARGO_PKG_VERSION"));

    let mut ids = HashSet::new();
    for (action, _) in &pairs {
        assert_eq!(action["index"]["_index"], "tamis-sample-case-2");
        let id = action["index"]["_id"].as_str().unwrap().to_owned();
        assert!(ids.insert(id.clone()), "_id {id} appears twice");
    }

    let thread_of: std::collections::HashMap<i64, i64> = pairs
        .iter()
        .filter(|(_, d)| d["kind"] == "message")
        .map(|(_, d)| {
            let thread = d["thread_id"]
                .as_i64()
                .expect("a finished run threads every message");
            (d["message_number"].as_i64().unwrap(), thread)
        })
        .collect();

    // Every message carries the case's own values, under its own _id.
    for (action, message) in pairs.iter().filter(|(_, d)| d["kind"] == "message") {
        let number = message["message_number"].as_i64().unwrap();
        assert_eq!(action["index"]["_id"], format!("message:{number}"));
        let detail = reader.message(number).unwrap().expect("the message exists");
        assert_eq!(
            message["subject"].as_str(),
            detail.summary.subject.as_deref()
        );
        assert_eq!(message["verdict"], detail.summary.verdict);
        assert_eq!(message["from"].as_str(), detail.summary.from.as_deref());
        assert_eq!(message["sha256"], detail.summary.sha256);
        assert_eq!(
            message["message_id"].as_str(),
            detail.summary.message_id.as_deref()
        );
        assert_eq!(strings(&message["to"]), detail.to);
        assert_eq!(message["body"], detail.text_body);
        let places: Vec<&str> = detail.origins.iter().map(|o| o.location.as_str()).collect();
        assert_eq!(strings(&message["origins"]), places);
        let attached: Vec<&str> = detail
            .attachments
            .iter()
            .map(|a| a.sha256.as_str())
            .collect();
        assert_eq!(strings(&message["attachment_sha256s"]), attached);
        let signers: Vec<String> = detail
            .report
            .signatures
            .iter()
            .filter_map(|s| s.domain.clone())
            .collect();
        for domain in strings(&message["dkim_domains"]) {
            assert!(signers.contains(&domain), "{domain} signed nothing");
        }
        assert_eq!(message["evidence"]["verdict"], detail.summary.verdict);
        for other in detail.thread.iter().filter_map(|entry| entry.id) {
            assert_eq!(
                thread_of[&other], thread_of[&number],
                "{number} and {other} share a thread"
            );
        }
    }

    // A duplicate found twice is one record listing both places.
    assert!(pairs
        .iter()
        .any(|(_, d)| d["kind"] == "message" && d["origins"].as_array().unwrap().len() > 1));

    // A known message, by its Message-ID: a verified one signed by the campaign.
    let (_, planning) = pairs
        .iter()
        .find(|(_, d)| d["message_id"] == "m27.1493362800@horizon-commun.example.fr")
        .expect("the planning message is exported");
    assert_eq!(planning["verdict"], "verified");
    assert_eq!(
        planning["from"],
        "Claire Dubois <claire.dubois@campagne.example.fr>"
    );
    assert_eq!(strings(&planning["dkim_domains"]), ["campagne.example.fr"]);
    assert_eq!(strings(&planning["attachment_names"]), ["document.pdf"]);

    // The loose PDF, with what the document analyzer read in it.
    let (action, loose) = pairs
        .iter()
        .find(|(_, d)| d["kind"] == "document" && d["origins"] == serde_json::json!([LOOSE_PDF]))
        .expect("the loose PDF is exported");
    let sha256 = loose["sha256"].as_str().unwrap();
    assert_eq!(action["index"]["_id"], format!("document:{sha256}"));
    let detail = reader
        .document(sha256)
        .unwrap()
        .expect("a document of the case");
    assert_eq!(
        loose["author"].as_str(),
        detail.document.metadata.author.as_deref()
    );
    assert_eq!(
        loose["title"].as_str(),
        detail.document.metadata.title.as_deref()
    );
    assert_eq!(loose["names"], serde_json::json!(["three-revisions.pdf"]));
    let codes: Vec<&str> = detail
        .document
        .findings
        .iter()
        .map(|f| f.code.as_str())
        .collect();
    assert_eq!(strings(&loose["findings"]), codes);
    assert!(codes.contains(&"pdf-revisions"));
    let revisions: Vec<&str> = detail.revisions.iter().map(|r| r.sha256.as_str()).collect();
    assert_eq!(strings(&loose["revision_sha256s"]), revisions);
    assert_eq!(revisions.len(), 2);
    assert!(loose["body"].as_str().unwrap().contains("Payment order"));

    // The attachment, with every message it came with.
    let attached_sha256 = planning["attachment_sha256s"][0].as_str().unwrap();
    let (_, attachment) = pairs
        .iter()
        .find(|(_, d)| d["kind"] == "document" && d["sha256"] == attached_sha256)
        .expect("the attachment is exported");
    let carriers: Vec<i64> = reader
        .document(attached_sha256)
        .unwrap()
        .expect("a document of the case")
        .messages
        .iter()
        .map(|m| m.id)
        .collect();
    assert!(carriers.contains(&planning["message_number"].as_i64().unwrap()));
    assert_eq!(attachment["attached_to"], serde_json::json!(carriers));
    assert_eq!(attachment["attached_to_count"], carriers.len());
    assert_eq!(strings(&attachment["names"]), ["document.pdf"]);
    assert_eq!(attachment["origins"], serde_json::json!([]));
}

/// `mapping` as OpenSearch would apply it to `document`: every field
/// declared (the mapping is strict), values of the declared type, and the
/// fields of a disabled object left alone.
fn check_against_mapping(document: &Map<String, Value>, properties: &Map<String, Value>) {
    for (field, value) in document {
        let mapped = properties
            .get(field)
            .unwrap_or_else(|| panic!("{field} is not in mapping.json"));
        if mapped["enabled"] == false {
            continue;
        }
        let values: Vec<&Value> = match value {
            Value::Array(items) => items.iter().collect(),
            other => vec![other],
        };
        for value in values.into_iter().filter(|v| !v.is_null()) {
            match mapped["type"].as_str() {
                Some("keyword" | "text") => assert!(value.is_string(), "{field}: {value}"),
                Some("long") => assert!(value.is_i64(), "{field}: {value}"),
                Some("date") => {
                    let date = value.as_str().unwrap_or_default();
                    let bytes = date.as_bytes();
                    assert!(
                        date.len() >= 20
                            && bytes[..4].iter().all(u8::is_ascii_digit)
                            && bytes[4] == b'-'
                            && bytes[10] == b'T',
                        "{field}: {value} is not strict_date_optional_time"
                    );
                }
                Some("object") | None => {
                    let inner = mapped["properties"]
                        .as_object()
                        .unwrap_or_else(|| panic!("{field} is an object without properties"));
                    check_against_mapping(value.as_object().unwrap(), inner);
                }
                Some(other) => panic!("{field}: unexpected type {other}"),
            }
        }
    }
}

#[test]
fn the_mapping_declares_every_field_and_defines_its_analyzers() {
    let tmp = tempfile::tempdir().unwrap();
    let case = sample_case(tmp.path(), "case");
    let out = tmp.path().join("export");
    export_ok(&case, &out, &[]);

    let mapping = read_json(&out.join("mapping.json"));
    assert_eq!(mapping["mappings"]["dynamic"], "strict");
    let properties = mapping["mappings"]["properties"].as_object().unwrap();
    let pairs = all_pairs(&out);
    let mut seen = HashSet::new();
    for (_, document) in &pairs {
        let document = document.as_object().unwrap();
        check_against_mapping(document, properties);
        seen.extend(document.keys().cloned());
    }
    for field in [
        "date",
        "created",
        "modified",
        "author",
        "evidence",
        "message_number",
    ] {
        assert!(
            seen.contains(field),
            "the sample exports no {field}: the check is void"
        );
    }
    assert_eq!(properties["evidence"]["enabled"], false);
    for field in ["subject", "body"] {
        let fields = properties[field]["fields"].as_object().unwrap();
        for multi in ["fr", "en", "folded"] {
            assert!(fields.contains_key(multi), "{field}.{multi} is missing");
        }
    }

    // Every analyzer and normalizer the fields name is defined in the settings
    // (a cluster refuses the index otherwise).
    let analysis = &mapping["settings"]["analysis"];
    assert_eq!(analysis["analyzer"]["tamis_french"]["type"], "french");
    assert_eq!(analysis["analyzer"]["tamis_english"]["type"], "english");
    assert_eq!(
        analysis["analyzer"]["folded"]["filter"],
        serde_json::json!(["lowercase", "asciifolding"])
    );
    let mut named = Vec::new();
    for mapped in properties.values() {
        named.push((mapped["analyzer"].clone(), "analyzer"));
        named.push((mapped["normalizer"].clone(), "normalizer"));
        for sub in mapped["fields"]
            .as_object()
            .into_iter()
            .flat_map(|f| f.values())
        {
            named.push((sub["analyzer"].clone(), "analyzer"));
        }
    }
    for (name, what) in named {
        if let Some(name) = name.as_str() {
            assert!(
                analysis[what][name].is_object(),
                "{what} {name} is not defined"
            );
        }
    }
}

#[test]
fn bulk_files_are_cut_between_records_at_the_size_asked_for() {
    let tmp = tempfile::tempdir().unwrap();
    let case = sample_case(tmp.path(), "case");
    let whole = tmp.path().join("whole");
    export_ok(&case, &whole, &[]);
    assert_eq!(bulk_files(&whole).len(), 1);

    let chunked = tmp.path().join("chunked");
    let limit_mib = 0.01;
    export_ok(&case, &chunked, &["--chunk-mb", &limit_mib.to_string()]);
    let limit = (limit_mib * 1024.0 * 1024.0) as u64;
    let files = bulk_files(&chunked);
    assert!(
        files.len() > 3,
        "{} files for ~130 KB at 10 KiB each",
        files.len()
    );
    let manifest = read_json(&chunked.join("manifest.json"));
    for (path, listed) in files.iter().zip(manifest["files"].as_array().unwrap()) {
        let size = std::fs::metadata(path).unwrap().len();
        let records = pairs_of(path).len() as u64;
        assert_eq!(listed["bytes"], size);
        assert_eq!(listed["records"], records);
        assert!(
            size <= limit || records == 1,
            "{} is {size} bytes with {records} records",
            path.display()
        );
    }
    // Nothing lost, doubled or reordered by the cuts.
    let cut: Vec<_> = all_pairs(&chunked);
    assert_eq!(cut, all_pairs(&whole));

    // A file is cut only when the next record would not fit.
    for pair in files.windows(2) {
        let size = std::fs::metadata(&pair[0]).unwrap().len();
        let next = std::fs::read_to_string(&pair[1]).unwrap();
        let next_record: usize = next.lines().take(2).map(|line| line.len() + 1).sum();
        assert!(size + next_record as u64 > limit);
    }
}

#[test]
fn an_earlier_export_is_replaced_only_with_force() {
    let tmp = tempfile::tempdir().unwrap();
    let case = sample_case(tmp.path(), "case");
    let out = tmp.path().join("export");
    export_ok(&case, &out, &["--chunk-mb", "0.01"]);
    let first_files = bulk_files(&out);
    let manifest_before = std::fs::read(out.join("manifest.json")).unwrap();

    let refused = export(&case, &out, &["--index", "other"]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--force"));
    assert_eq!(
        std::fs::read(out.join("manifest.json")).unwrap(),
        manifest_before
    );
    assert_eq!(bulk_files(&out), first_files);

    // With --force, the fewer files of the new export are all that is left:
    // no chunk of the earlier one would be loaded with it.
    export_ok(&case, &out, &["--force", "--index", "other"]);
    let files = bulk_files(&out);
    assert_eq!(files.len(), 1);
    assert_eq!(read_json(&out.join("manifest.json"))["index"], "other");
    assert!(all_pairs(&out)
        .iter()
        .all(|(action, _)| action["index"]["_index"] == "other"));
    let readme = std::fs::read_to_string(out.join("README.txt")).unwrap();
    assert!(
        readme.contains("/other\" -H 'Content-Type: application/json' --data-binary @mapping.json")
    );
    assert!(readme.contains("application/x-ndjson"));

    let invalid = export(
        &case,
        &tmp.path().join("elsewhere"),
        &["--index", "Bad:Name"],
    );
    assert!(!invalid.status.success());
    assert!(String::from_utf8_lossy(&invalid.stderr).contains("not a valid index name"));
}
