//! What the store tells the verifier about a key besides its record: the
//! caveats that make a verifying signature prove less, and keys recovered
//! from signatures.

mod common;

use common::Scratch;
use rusqlite::Connection;
use tamis_keys::{KeyLookup, TxtLookup, TxtRecord};
use tamis_keystore::{parse_date, KeyStore, Provenance, RecoveredSignature};

const ED_KEY: &str = "v=DKIM1; k=ed25519; p=yeomomF8tDKO7CXVVai7FU2VZ3wdd+UEHWdFABKEo7c=";

fn records(store: &KeyStore, name: &str) -> Vec<TxtRecord> {
    match store.lookup_txt(name) {
        TxtLookup::Found(records) => records,
        other => panic!("{name}: {other:?}"),
    }
}

fn codes(record: &TxtRecord) -> Vec<&str> {
    record.caveats.iter().map(|c| c.code.as_str()).collect()
}

#[test]
fn an_archive_window_reaches_the_verifier_as_a_caveat_scoped_to_dates() {
    let s = Scratch::new();
    let archive = s.file(
        "seen.json",
        &format!(
            r#"[{{"domain": "w.example", "selector": "s", "record": "{ED_KEY}", "first_seen": "2016-03-01", "last_seen": "2017-09-30"}}]"#
        ),
    );
    s.store.import_file(&archive).unwrap();
    let [record] = records(&s.store, "s._domainkey.w.example")
        .try_into()
        .unwrap();
    assert_eq!(codes(&record), ["outside-seen-window"]);
    let caveat = &record.caveats[0];
    let date = |d: &str| Some(parse_date(d, false).unwrap());
    assert!(!caveat.holds_at(date("2017-01-01")));
    assert!(caveat.holds_at(date("2018-01-01")));
    assert!(
        caveat.detail.contains("2016-03-01..2017-09-30"),
        "{}",
        caveat.detail
    );
}

#[test]
fn a_key_only_tamis_recovered_is_marked_so_until_a_source_vouches_for_it() {
    let s = Scratch::new();
    let message = RecoveredSignature {
        message: "ab".repeat(32),
        origin: "dump/inbox.mbox@0".into(),
        signed_at: Some(1_500_000_000),
    };
    let id = s
        .store
        .add_recovered_key(
            ("r.example", "old"),
            ED_KEY,
            "dump",
            1_700_000_000,
            std::slice::from_ref(&message),
        )
        .unwrap();
    let [record] = records(&s.store, "old._domainkey.r.example")
        .try_into()
        .unwrap();
    assert_eq!(codes(&record), ["recovered"]);
    assert!(
        record.source.contains("recovered from signatures in dump"),
        "{}",
        record.source
    );
    assert_eq!(s.store.recovered_from(id).unwrap(), [message]);
    assert!(s.store.independent_keys_like(ED_KEY).unwrap().is_empty());

    // The same key in an archive, under another selector: an independent
    // match, reported; under the same name: the recovered row gains the
    // archive's provenance and stops being "recovered only".
    let other = s.file(
        "other.json",
        &format!(r#"[{{"domain": "r.example", "selector": "new", "record": "{ED_KEY}"}}]"#),
    );
    s.store.import_file(&other).unwrap();
    let matches = s.store.independent_keys_like(ED_KEY).unwrap();
    assert_eq!(matches.len(), 1);
    assert_eq!(matches[0].name(), "new._domainkey.r.example");
    let same = s.file(
        "same.json",
        &format!(r#"[{{"domain": "r.example", "selector": "old", "record": "{ED_KEY}"}}]"#),
    );
    s.store.import_file(&same).unwrap();
    let [record] = records(&s.store, "old._domainkey.r.example")
        .try_into()
        .unwrap();
    assert!(codes(&record).is_empty(), "{:?}", record.caveats);
    let key = s.store.keys(Some("r.example")).unwrap();
    let old = key.iter().find(|k| k.selector == "old").unwrap();
    assert!(old
        .provenance
        .iter()
        .any(|p| matches!(p, Provenance::Recovered { .. })));
    assert!(old
        .provenance
        .iter()
        .any(|p| matches!(p, Provenance::Archive { .. })));
}

/// A store written by the first release (schema 1), whose provenance
/// table forbids kind 'recovered', is upgraded in place on open.
#[test]
fn a_version_1_store_is_upgraded_and_keeps_its_keys() {
    let s = Scratch::new();
    let path = s.dir.path().join("v1.sqlite");
    let v1 = Connection::open(&path).unwrap();
    v1.execute_batch(&format!(
        "CREATE TABLE keys (id INTEGER PRIMARY KEY, domain TEXT NOT NULL, selector TEXT NOT NULL,
             record TEXT NOT NULL, key_type TEXT NOT NULL, bits INTEGER, spki_der BLOB,
             rsa_modulus_hex TEXT, identity TEXT NOT NULL, parse_error TEXT,
             UNIQUE (domain, selector, identity));
         CREATE TABLE provenance (id INTEGER PRIMARY KEY, key_id INTEGER NOT NULL REFERENCES keys (id),
             kind TEXT NOT NULL CHECK (kind IN ('file', 'dns', 'archive', 'published')),
             source TEXT NOT NULL, line INTEGER, entry INTEGER, looked_up_at INTEGER,
             first_seen INTEGER, last_seen INTEGER);
         CREATE UNIQUE INDEX provenance_once ON provenance (key_id, kind, source, ifnull(line, -1),
             ifnull(entry, -1), ifnull(looked_up_at, -1), ifnull(first_seen, -1), ifnull(last_seen, -1));
         INSERT INTO keys VALUES (1, 'v.example', 's', '{ED_KEY}', 'ed25519', 256, NULL, NULL, 'x', NULL);
         INSERT INTO provenance VALUES (1, 1, 'file', 'old.zone', 3, NULL, NULL, NULL, NULL);
         PRAGMA user_version = 1;"
    ))
    .unwrap();
    drop(v1);
    let store = KeyStore::open(&path).unwrap();
    let keys = store.keys(Some("v.example")).unwrap();
    assert_eq!(
        keys[0].provenance,
        [Provenance::File {
            path: "old.zone".into(),
            line: Some(3)
        }]
    );
    store
        .add_recovered_key(("v.example", "t"), ED_KEY, "dump", 1, &[])
        .expect("kind 'recovered' is allowed after the upgrade");
    drop(store);
    let version: i64 = Connection::open(&path)
        .unwrap()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, 2);
}
