//! Imports: zone files and archive exports land in the store once, with
//! every provenance, and the store answers DKIM lookups with all of them.

mod common;

use common::{repo, Scratch};
use tamis_keys::{KeyFile, KeyLookup, TxtLookup};
use tamis_keystore::{is_store_file, ImportFormat, KeyStore, Provenance};

#[test]
fn fixture_zone_imports_every_record_with_file_and_line() {
    let s = Scratch::new();
    let zone = repo("fixtures/dkim/keys.zone");
    let report = s.store.import_file(&zone).unwrap();
    assert_eq!(report.format, ImportFormat::Zone);
    assert_eq!(report.records, 8);
    assert_eq!(report.new_keys, 8);
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    let keys = s.store.keys(Some("example.fr")).unwrap();
    assert_eq!(keys.len(), 2, "example.fr's selector `mail` has two keys");
    assert_eq!(
        keys.iter().map(|k| k.bits).collect::<Vec<_>>(),
        [Some(1024), Some(2048)]
    );
    let Provenance::File { path, line } = &keys[0].provenance[0] else {
        panic!("{:?}", keys[0].provenance)
    };
    assert_eq!(path, &zone.display().to_string());
    assert!(line.is_some());
    let all = s.store.keys(None).unwrap();
    let types = |t: &str| all.iter().filter(|k| k.key_type == t).count();
    assert_eq!(
        (types("rsa"), types("ed25519"), types("revoked")),
        (6, 1, 1)
    );
}

#[test]
fn importing_the_same_file_twice_adds_nothing() {
    let s = Scratch::new();
    let sample = repo("examples/sample-keys.zone");
    let first = s.store.import_file(&sample).unwrap();
    assert_eq!((first.new_keys, first.new_provenance), (5, 5));
    let again = s.store.import_file(&sample).unwrap();
    assert_eq!(
        (again.records, again.new_keys, again.new_provenance),
        (5, 0, 0)
    );
    assert_eq!(s.store.keys(None).unwrap().len(), 5);
}

#[test]
fn the_same_key_from_two_sources_is_one_key_with_two_provenances() {
    let s = Scratch::new();
    let zone_text = std::fs::read_to_string(repo("fixtures/dkim/keys.zone")).unwrap();
    let zone = KeyFile::parse(&zone_text, "z").unwrap();
    let TxtLookup::Found(records) = zone.lookup_txt("s1024._domainkey.example.com") else {
        panic!()
    };
    s.store
        .import_file(&repo("fixtures/dkim/keys.zone"))
        .unwrap();
    // The archive holds the same key, its record written differently.
    let p = records[0].value.split("p=").nth(1).unwrap();
    let archive = s.file(
        "archive.json",
        &format!(r#"[{{"domain": "Example.COM", "selector": "s1024", "p": "{p}", "first_seen": "2016-03-01", "last_seen": "2017-09-30"}}]"#),
    );
    let report = s.store.import_file(&archive).unwrap();
    assert_eq!((report.new_keys, report.new_provenance), (0, 1));
    let keys = s.store.keys(Some("example.com")).unwrap();
    let key = keys.iter().find(|k| k.selector == "s1024").unwrap();
    assert_eq!(key.provenance.len(), 2, "{:?}", key.provenance);
    assert!(key
        .provenance
        .iter()
        .any(|p| matches!(p, Provenance::Archive { .. })));
}

#[test]
fn archive_exports_in_several_shapes_import_and_bad_entries_are_warnings() {
    let s = Scratch::new();
    let ed = "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";
    let array = s.file(
        "array.json",
        &format!(
            r#"[
  {{"domain": "a.example", "selector": "one", "record": "v=DKIM1; k=ed25519; p={ed}", "first_seen": "2016-03-01", "last_seen": "2017-09-30"}},
  {{"name": "two._domainkey.a.example", "value": "v=DKIM1; p=", "firstSeen": 1456790400}},
  {{"domain": "a.example", "selector": "three", "txt": ["v=DKIM1; ", "p="], "since": "2019-01-01T00:00:00Z", "until": "2020-01-01"}},
  {{"domain": "a.example"}},
  "not an object"
]"#
        ),
    );
    let report = s.store.import_file(&array).unwrap();
    assert_eq!(report.format, ImportFormat::Json);
    assert_eq!((report.records, report.new_keys), (3, 3));
    assert_eq!(report.warnings.len(), 2, "{:?}", report.warnings);
    assert!(
        report.warnings[0].contains("array.json[3]"),
        "{:?}",
        report.warnings
    );
    assert!(
        report.warnings[1].contains("array.json[4]"),
        "{:?}",
        report.warnings
    );

    let lines = s.file(
        "lines.jsonl",
        "{\"domain\":\"b.example\",\"selector\":\"x\",\"dkim_record\":\"v=DKIM1; p=\",\"lastSeen\":\"2018-05-01\"}\n\
         {\"domain\":\"b.example\",\"selector\":\"y\",\"dkim_record\":\"v=DKIM1; p=\"\n\
         {\"fqdn\":\"z._domainkey.b.example\",\"p\":\"\",\"first\":\"2015-01-01\",\"last\":\"2015-12-31\"}\n",
    );
    let report = s.store.import_file(&lines).unwrap();
    assert_eq!((report.records, report.new_keys), (2, 2));
    assert_eq!(report.warnings.len(), 1);
    assert!(
        report.warnings[0].starts_with(&format!("{}:2:", lines.display())),
        "{:?}",
        report.warnings
    );
    let b = s.store.keys(Some("b.example")).unwrap();
    let Provenance::Archive {
        line, last_seen, ..
    } = &b[0].provenance[0]
    else {
        panic!()
    };
    assert_eq!((*line, *last_seen), (Some(1), Some(1_525_219_199)));
}

#[test]
fn lookup_returns_every_key_of_a_rotated_selector_oldest_first_with_provenance() {
    let s = Scratch::new();
    s.store
        .import_file(&repo("fixtures/dkim/keys.zone"))
        .unwrap();
    let zone_text = std::fs::read_to_string(repo("fixtures/dkim/keys.zone")).unwrap();
    let TxtLookup::Found(zone_records) = KeyFile::parse(&zone_text, "z")
        .unwrap()
        .lookup_txt("mail._domainkey.example.fr")
    else {
        panic!()
    };
    // An archive dates the two keys (newer listed first) and adds a third.
    let newer = &zone_records[1].value;
    let older = &zone_records[0].value;
    let archive = s.file(
        "rotation.json",
        &serde_json::json!([
            {"domain": "example.fr", "selector": "mail", "record": newer, "first_seen": "2019-01-10", "last_seen": "2021-06-30"},
            {"domain": "example.fr", "selector": "mail", "record": older, "first_seen": "2016-03-01", "last_seen": "2018-12-31"},
            {"domain": "example.fr", "selector": "mail", "record": "v=DKIM1; p=", "first_seen": "2021-07-01"},
        ])
        .to_string(),
    );
    s.store.import_file(&archive).unwrap();
    let TxtLookup::Found(records) = s.store.lookup_txt("Mail._DomainKey.Example.FR.") else {
        panic!("not found")
    };
    assert_eq!(records.len(), 3);
    assert_eq!(records[0].value, *older);
    assert_eq!(records[1].value, *newer);
    assert_eq!(records[2].value, "v=DKIM1; p=");
    let label = s.store.label();
    assert!(
        records[0].source.starts_with(&format!("{label}: archive ")),
        "{}",
        records[0].source
    );
    assert!(
        records[0]
            .source
            .contains("rotation.json[1] (seen 2016-03-01..2018-12-31)"),
        "{}",
        records[0].source
    );
    assert!(
        records[0].source.contains("; file "),
        "{}",
        records[0].source
    );
    assert_eq!(
        s.store.lookup_txt("nope._domainkey.example.fr"),
        TxtLookup::NotFound
    );
    assert_eq!(s.store.lookup_txt("example.fr"), TxtLookup::NotFound);
}

#[test]
fn a_store_is_told_from_a_zone_file_by_its_magic_and_reopens_with_its_keys() {
    let s = Scratch::new();
    s.store
        .import_file(&repo("examples/sample-keys.zone"))
        .unwrap();
    let path = s.dir.path().join("keys.sqlite");
    assert!(is_store_file(&path));
    assert!(!is_store_file(&repo("examples/sample-keys.zone")));
    let reopened = KeyStore::open_existing(&path).unwrap();
    assert_eq!(reopened.keys(None).unwrap().len(), 5);
    assert!(KeyStore::open_existing(&s.dir.path().join("absent.sqlite")).is_err());
    // Importing a store as if it were a key file is refused, not misread.
    assert!(s.store.import_file(&path).is_err());
}

#[test]
fn live_dns_answers_are_kept_with_their_time() {
    let s = Scratch::new();
    let id = s
        .store
        .add_dns_record(
            "dns._domainkey.c.example",
            "v=DKIM1; p=",
            "system",
            1_700_000_000,
        )
        .unwrap();
    let again = s
        .store
        .add_dns_record(
            "dns._domainkey.c.example",
            "v=DKIM1; p=",
            "system",
            1_700_000_000,
        )
        .unwrap();
    assert_eq!(id, again);
    let TxtLookup::Found(records) = s.store.lookup_txt("dns._domainkey.c.example") else {
        panic!()
    };
    assert!(
        records[0]
            .source
            .ends_with("dns system at 2023-11-14T22:13:20Z"),
        "{}",
        records[0].source
    );
}
