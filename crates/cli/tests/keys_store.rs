//! `tamis keys` end to end: a store built from a zone file verifies a dump
//! exactly as the zone file does, names the file and line the key came
//! from, and `check` flags the weak key.

mod common;

use common::*;
use std::collections::BTreeMap;

fn verdicts(messages: &[serde_json::Value]) -> BTreeMap<String, String> {
    messages
        .iter()
        .map(|m| {
            (
                m["message_id"].as_str().unwrap_or("").to_string(),
                m["verdict"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn a_store_verifies_like_the_zone_it_was_imported_from() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("keys.sqlite");
    let store_arg = store.to_str().unwrap();
    let imported = tamis(&[
        "keys",
        "import",
        "examples/sample-keys.zone",
        "--store",
        store_arg,
    ]);
    assert!(
        imported.status.success(),
        "{}",
        String::from_utf8_lossy(&imported.stderr)
    );
    // Importing again adds nothing.
    let again = tamis(&[
        "keys",
        "import",
        "examples/sample-keys.zone",
        "--store",
        store_arg,
    ]);
    assert!(again.status.success());

    let (from_zone, _) = verify_jsonl(&[
        "examples/sample-dump",
        "--keys",
        "examples/sample-keys.zone",
    ]);
    let (from_store, _) = verify_jsonl(&["examples/sample-dump", "--keys", store_arg]);
    assert_eq!(verdicts(&from_store), verdicts(&from_zone));
    assert!(verdicts(&from_store).values().any(|v| v == "verified"));

    let verified = from_store
        .iter()
        .find(|m| m["verdict"] == "verified")
        .unwrap();
    let source = verified["signatures"][0]["key_source"].as_str().unwrap();
    assert!(
        source.contains("keys.sqlite") && source.contains("examples/sample-keys.zone:"),
        "the evidence names the store and the line the key came from: {source}"
    );

    let check = tamis(&["keys", "check", "--store", store_arg, "--format", "jsonl"]);
    assert!(check.status.success());
    let lines: Vec<serde_json::Value> = String::from_utf8(check.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let flagged = lines[1..].to_vec();
    let weak: Vec<_> = flagged
        .iter()
        .filter(|k| k.to_string().contains("\"weak\""))
        .collect();
    assert_eq!(
        weak.len(),
        1,
        "the 512-bit key and only it is weak: {flagged:?}"
    );
    assert!(weak[0].to_string().contains("vieux-serveur.example.org"));
}
