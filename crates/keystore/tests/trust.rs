//! Trust flags: weak keys, keys whose private half is public, moduli that
//! share a prime, and the per-message seen window.

mod common;

use common::{repo, Scratch};
use rsa::pkcs8::EncodePublicKey;
use rsa::traits::{PrivateKeyParts, PublicKeyParts};
use rsa::{BigUint, RsaPrivateKey, RsaPublicKey};
use tamis_keystore::{parse_date, TrustFlag, BUNDLED_PUBLISHED_KEYS};

fn flag_names(flags: &[TrustFlag]) -> Vec<&'static str> {
    flags.iter().map(TrustFlag::name).collect()
}

#[test]
fn the_512_bit_fixture_key_is_weak_and_1024_bit_keys_are_not() {
    let s = Scratch::new();
    s.store
        .import_file(&repo("fixtures/dkim/keys.zone"))
        .unwrap();
    let report = s.store.check().unwrap();
    assert_eq!(report.weak, 1);
    let keys = s.store.keys(Some("example.com")).unwrap();
    let legacy = keys.iter().find(|k| k.selector == "legacy512").unwrap();
    assert_eq!(legacy.flags, [TrustFlag::Weak { bits: 512 }]);
    let s1024 = keys.iter().find(|k| k.selector == "s1024").unwrap();
    assert!(s1024.flags.is_empty(), "{:?}", s1024.flags);
}

#[test]
fn the_bundled_rfc_example_keys_are_flagged_under_any_name() {
    let s = Scratch::new();
    // The RFC keys as a dump's zone might hold them, one under another name.
    let records: Vec<String> = BUNDLED_PUBLISHED_KEYS
        .lines()
        .filter(|l| !l.starts_with(';') && l.contains("TXT"))
        .map(|l| l.split_once("TXT").unwrap().1.trim().to_owned())
        .collect();
    assert_eq!(records.len(), 3);
    let zone = format!(
        "brisbane._domainkey.example.com. IN TXT {}\n\
         brisbane._domainkey.football.example.com. IN TXT {}\n\
         dummy._domainkey.example.org. IN TXT {}\n",
        records[0], records[1], records[2]
    );
    s.store.import_file(&s.file("rfc.zone", &zone)).unwrap();
    s.store
        .import_file(&repo("fixtures/dkim/keys.zone"))
        .unwrap();
    let report = s.store.check().unwrap();
    assert_eq!(report.private_key_published, 3);
    for key in s.store.keys(None).unwrap() {
        let published = key
            .flags
            .iter()
            .any(|f| matches!(f, TrustFlag::PrivateKeyPublished { since: None, .. }));
        let from_rfc =
            key.name().contains("brisbane") || key.name() == "dummy._domainkey.example.org";
        assert_eq!(published, from_rfc, "{}: {:?}", key.name(), key.flags);
    }
    let dummy = s.store.keys(Some("example.org")).unwrap();
    let dummy = dummy.iter().find(|k| k.selector == "dummy").unwrap();
    let TrustFlag::PrivateKeyPublished { source, .. } = &dummy.flags[0] else {
        panic!()
    };
    assert!(source.contains("RFC 8463 appendix A"), "{source}");
}

#[test]
fn user_published_lists_flag_keys_whatever_the_message_date() {
    let s = Scratch::new();
    s.store
        .import_file(&repo("examples/sample-keys.zone"))
        .unwrap();
    // The operator published lumen1's private key on 2019-06-01.
    let sample = std::fs::read_to_string(repo("examples/sample-keys.zone")).unwrap();
    let lumen = sample.lines().find(|l| l.starts_with("lumen1.")).unwrap();
    let list = s.file(
        "published.zone",
        &format!("; published: 2019-06-01\n{lumen}\n"),
    );
    let report = s.store.import_published_file(&list, None).unwrap();
    assert_eq!(report.new_published, 1);
    assert_eq!(
        report.new_provenance, 1,
        "the listed key gains a `published` provenance"
    );
    s.store.check().unwrap();
    let record = s.store.keys(Some("agence-lumen.example.com")).unwrap()[0]
        .record
        .clone();
    let key = s
        .store
        .key_for_record("lumen1._domainkey.agence-lumen.example.com", &record)
        .unwrap()
        .expect("the store has the key");
    assert_eq!(key.provenance.len(), 2, "{:?}", key.provenance);
    let before = parse_date("2019-05-31T23:00:00Z", false).unwrap();
    let after = parse_date("2019-06-02", false).unwrap();
    // Once the private half is public anyone can sign a message with any
    // Date, so the flag holds for mail dated before the publication too.
    for date in [before, after] {
        assert_eq!(
            flag_names(&s.store.trust_at(&key, date)),
            ["private-key-published"]
        );
    }
}

#[test]
fn pem_published_keys_are_matched_by_public_key() {
    use base64::{engine::general_purpose::STANDARD, Engine};
    let s = Scratch::new();
    s.store
        .import_file(&repo("fixtures/dkim/keys.zone"))
        .unwrap();
    let zone_text = std::fs::read_to_string(repo("fixtures/dkim/keys.zone")).unwrap();
    let line = zone_text.lines().find(|l| l.starts_with("s1024.")).unwrap();
    let p = line.split("p=").nth(1).unwrap().trim_end_matches('"');
    let der = STANDARD.decode(p).unwrap();
    let wrapped: Vec<String> = STANDARD
        .encode(&der)
        .as_bytes()
        .chunks(64)
        .map(|c| String::from_utf8(c.to_vec()).unwrap())
        .collect();
    let pem = format!(
        "published: 2020-01-01\n-----BEGIN PUBLIC KEY-----\n{}\n-----END PUBLIC KEY-----\n",
        wrapped.join("\n")
    );
    let report = s
        .store
        .import_published_file(&s.file("leaked.pem", &pem), None)
        .unwrap();
    assert_eq!(
        (report.records, report.new_published, report.new_keys),
        (1, 1, 0)
    );
    s.store.check().unwrap();
    let keys = s.store.keys(Some("example.com")).unwrap();
    let s1024 = keys.iter().find(|k| k.selector == "s1024").unwrap();
    assert_eq!(
        s1024.flags,
        [TrustFlag::PrivateKeyPublished {
            source: format!("{}:2", s.dir.path().join("leaked.pem").display()),
            since: parse_date("2020-01-01", false),
        }]
    );
    // Without --published, PEM is refused: it names no domain or selector.
    assert!(s
        .store
        .import_file(&s.dir.path().join("leaked.pem"))
        .is_err());
}

fn record_for(n: &BigUint) -> String {
    use base64::{engine::general_purpose::STANDARD, Engine};
    let key = RsaPublicKey::new(n.clone(), BigUint::from(65_537u32)).unwrap();
    let der = key.to_public_key_der().unwrap();
    format!("v=DKIM1; k=rsa; p={}", STANDARD.encode(der.as_bytes()))
}

#[test]
fn two_rsa_1024_moduli_sharing_a_prime_are_found_by_batch_gcd_and_others_are_not() {
    let mut rng = rsa::rand_core::OsRng;
    let a = RsaPrivateKey::new(&mut rng, 1024).unwrap();
    let b = RsaPrivateKey::new(&mut rng, 1024).unwrap();
    let c = RsaPrivateKey::new(&mut rng, 1024).unwrap();
    // A badly seeded generator: b's modulus rebuilt around a's first prime.
    let shared = &a.primes()[0] * &b.primes()[1];
    let s = Scratch::new();
    let zone = format!(
        "a._domainkey.one.example. IN TXT \"{}\"\n\
         b._domainkey.two.example. IN TXT \"{}\"\n\
         c._domainkey.three.example. IN TXT \"{}\"\n\
         a._domainkey.alias.example. IN TXT \"{}\"\n",
        record_for(a.n()),
        record_for(&shared),
        record_for(c.n()),
        // The same key under a second name is reuse, not a shared factor.
        record_for(c.n()),
    );
    s.store.import_file(&s.file("gcd.zone", &zone)).unwrap();
    s.store
        .import_file(&repo("fixtures/dkim/keys.zone"))
        .unwrap();
    let report = s.store.check().unwrap();
    assert_eq!(report.shared_factor, 2);
    let flagged: Vec<String> = s
        .store
        .keys(None)
        .unwrap()
        .into_iter()
        .filter(|k| k.flags.iter().any(|f| f.name() == "shared-factor"))
        .map(|k| k.name())
        .collect();
    assert_eq!(
        flagged,
        ["a._domainkey.one.example", "b._domainkey.two.example"]
    );
    let one = s.store.keys(Some("one.example")).unwrap();
    let TrustFlag::SharedFactor { detail } = &one[0].flags[0] else {
        panic!()
    };
    assert!(detail.contains("b._domainkey.two.example"), "{detail}");
}

#[test]
fn a_message_outside_every_archive_window_is_flagged_at_its_date() {
    let s = Scratch::new();
    let archive = s.file(
        "seen.json",
        r#"[{"domain": "w.example", "selector": "s", "record": "v=DKIM1; k=ed25519; p=yeomomF8tDKO7CXVVai7FU2VZ3wdd+UEHWdFABKEo7c=", "first_seen": "2016-03-01", "last_seen": "2017-09-30"},
            {"domain": "w.example", "selector": "s", "record": "v=DKIM1; k=ed25519; p=yeomomF8tDKO7CXVVai7FU2VZ3wdd+UEHWdFABKEo7c=", "first_seen": "2019-01-01", "last_seen": "2019-12-31"}]"#,
    );
    s.store.import_file(&archive).unwrap();
    s.store.check().unwrap();
    let key = s.store.keys(Some("w.example")).unwrap().remove(0);
    assert_eq!(key.provenance.len(), 2);
    let at = |d: &str| flag_names(&s.store.trust_at(&key, parse_date(d, false).unwrap()));
    assert!(at("2016-03-01").is_empty());
    assert!(
        at("2017-09-30T23:59:00Z").is_empty(),
        "the last-seen day counts"
    );
    assert!(
        at("2019-06-15").is_empty(),
        "any window covering the date will do"
    );
    assert_eq!(at("2018-06-15"), ["outside-seen-window"]);
    assert_eq!(at("2015-12-31"), ["outside-seen-window"]);
    // A key no archive dated has no window to fall outside.
    s.store
        .import_file(&repo("fixtures/dkim/keys.zone"))
        .unwrap();
    let zone_key = s.store.keys(Some("example.fr")).unwrap().remove(0);
    assert!(s.store.trust_at(&zone_key, 0).is_empty());
}
