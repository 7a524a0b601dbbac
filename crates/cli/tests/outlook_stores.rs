//! A real Outlook store through the real binary: every message the store's
//! own folder tables list is accounted for in `verify`'s text and JSONL
//! summaries and in a case, and rebuilt messages are never called altered.
//!
//! The stores are pst-extractor's enron.pst (fetched by
//! fixtures/stores/fetch-stores.sh, not committed; without it those tests
//! say why and pass, except under CI, where they fail) and the PST written
//! by Aspose.Email (fixtures/stores/made/unicode.pst, committed).

mod common;

use common::*;
use std::path::PathBuf;
use std::process::Command;

fn under_ci() -> bool {
    std::env::var("CI").is_ok_and(|value| !value.is_empty() && value != "false" && value != "0")
}

/// The fetched enron.pst, or `None` outside CI when it cannot be fetched.
fn enron() -> Option<PathBuf> {
    let dir = repo().join("target/stores");
    let store = dir.join("enron.pst");
    if !store.is_file() {
        let _ = Command::new("bash")
            .arg(repo().join("fixtures/stores/fetch-stores.sh"))
            .arg(&dir)
            .status();
    }
    if store.is_file() {
        return Some(store);
    }
    assert!(
        !under_ci(),
        "no {}: CI must run the store tests",
        store.display()
    );
    eprintln!(
        "skipped: no {} (fixtures/stores/fetch-stores.sh)",
        store.display()
    );
    None
}

#[test]
fn verify_accounts_for_every_message_of_the_store() {
    let Some(store) = enron() else { return };
    let (messages, summary) = verify_jsonl(&[store.to_str().unwrap()]);
    assert_eq!(messages.len(), 71);
    let stores = summary["summary"]["stores"].as_array().unwrap();
    assert_eq!(stores.len(), 1);
    assert_eq!(stores[0]["format"], "pst");
    assert_eq!(stores[0]["claimed"], 71);
    assert_eq!(stores[0]["read"], 71);
    assert_eq!(stores[0]["failed"], 0);
    assert_eq!(stores[0]["folders"], 10);
    // 2001 mail: nothing signed, nothing called altered.
    assert!(messages.iter().all(|m| m["verdict"] == "unsigned"));
    let first = messages[0]["origins"][0]["location"].as_str().unwrap();
    assert!(
        first.contains("enron.pst!Top of Personal Folders/") && first.contains("!message 0x"),
        "{first}"
    );

    let text = tamis(&["verify", store.to_str().unwrap()]);
    assert!(text.status.success());
    let out = String::from_utf8_lossy(&text.stdout);
    assert!(
        out.contains("its folders list 71 messages in 10 folders; 71 read, 0 failed"),
        "{out}"
    );
}

#[test]
fn a_case_keeps_the_stores_accounting() {
    let Some(store) = enron() else { return };
    let dir = tempfile::tempdir().unwrap();
    let case = dir.path().join("case");
    tamis_ok(&[
        "ingest",
        store.to_str().unwrap(),
        "--case",
        case.to_str().unwrap(),
    ]);
    let reader = tamis_case::CaseReader::open(&case).unwrap();
    let overview = reader.overview().unwrap();
    assert_eq!(overview.messages, 71);
    assert_eq!(overview.mail_stores.len(), 1);
    let row = &overview.mail_stores[0];
    assert_eq!(
        (
            row.format.as_str(),
            row.claimed,
            row.read,
            row.failed,
            row.folders
        ),
        ("pst", Some(71), 71, 0, 10)
    );
    assert!(row.location.ends_with("enron.pst"));
    let conn = rusqlite::Connection::open(case.join("case.sqlite")).unwrap();
    let rebuilt: i64 = conn
        .query_row(
            "SELECT count(*) FROM origins WHERE found_as = 'rebuilt-message'",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(rebuilt, 71);
}

/// The committed PST written by a real writer: its DKIM-signed message,
/// whose header the writer re-rendered, is `rebuilt`, never called altered;
/// its folders named in French, Cyrillic, Greek, Japanese and with an emoji
/// are the case's origins; the embedded message is a message of its own.
#[test]
fn a_made_pst_in_a_case_keeps_its_folders_and_calls_no_rebuilt_message_altered() {
    let store = repo().join("fixtures/stores/made/unicode.pst");
    let dir = tempfile::tempdir().unwrap();
    let case = dir.path().join("case");
    tamis_ok(&[
        "ingest",
        store.to_str().unwrap(),
        "--keys",
        "fixtures/dkim/keys.zone",
        "--case",
        case.to_str().unwrap(),
    ]);
    let reader = tamis_case::CaseReader::open(&case).unwrap();
    let overview = reader.overview().unwrap();
    // 11 messages in the folders' tables and 1 embedded in one of them.
    assert_eq!(overview.messages, 12);
    assert_eq!(overview.mail_stores.len(), 1);
    let row = &overview.mail_stores[0];
    assert_eq!(
        (
            row.format.as_str(),
            row.claimed,
            row.read,
            row.failed,
            row.folders
        ),
        ("pst", Some(11), 11, 0, 11)
    );
    assert!(
        row.location.ends_with("made/unicode.pst"),
        "{}",
        row.location
    );

    let conn = rusqlite::Connection::open(case.join("case.sqlite")).unwrap();
    let verdict: String = conn
        .query_row(
            "SELECT verdict FROM messages WHERE message_id = 'canon-relaxed-relaxed@mail.example.org'",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(verdict, "rebuilt");
    let altered: i64 = conn
        .query_row(
            "SELECT count(*) FROM messages WHERE verdict IN ('body-altered', 'headers-altered')",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(altered, 0);

    let mut per_folder: std::collections::BTreeMap<String, i64> = Default::default();
    let mut rows = conn
        .prepare("SELECT location FROM origins WHERE found_as = 'rebuilt-message'")
        .unwrap();
    for location in rows.query_map([], |row| row.get::<_, String>(0)).unwrap() {
        let location = location.unwrap();
        let (_, inside) = location.split_once("unicode.pst!").unwrap();
        let folder = inside.split('!').next().unwrap().to_string();
        *per_folder.entry(folder).or_default() += 1;
    }
    let top = "Top of Personal Folders";
    let expected: std::collections::BTreeMap<String, i64> = [
        ("Boîte de réception", 3),
        ("Boîte de réception/Réunions", 2),
        ("Boîte de réception/Réunions/Комитет", 2),
        // The forward and the message embedded in it.
        ("Αρχείο", 3),
        ("Αρχείο/会議", 1),
        ("Projets 🚀", 1),
    ]
    .into_iter()
    .map(|(folder, n)| (format!("{top}/{folder}"), n))
    .collect();
    assert_eq!(per_folder, expected);
}
