use super::*;

fn parse(text: &str) -> KeyFile {
    KeyFile::parse(text, "keys.zone").expect("parses")
}

fn found(file: &KeyFile, name: &str) -> Vec<TxtRecord> {
    match file.lookup_txt(name) {
        TxtLookup::Found(records) => records,
        other => panic!("{name}: expected records, got {other:?}"),
    }
}

fn record(value: &str, source: &str) -> TxtRecord {
    TxtRecord {
        value: value.into(),
        source: source.into(),
        ..TxtRecord::default()
    }
}

#[test]
fn dig_output_with_split_chunks_is_joined() {
    let file =
        parse("sel._domainkey.example.com. 3600 IN TXT \"v=DKIM1; k=rsa; \" \"p=MIGf\" \"MA0G\"\n");
    assert_eq!(
        found(&file, "sel._domainkey.example.com"),
        [record("v=DKIM1; k=rsa; p=MIGfMA0G", "keys.zone:1")]
    );
}

#[test]
fn ttl_and_class_are_optional_and_in_either_order() {
    let file = parse(
        "a.example TXT \"1\"\n\
         b.example 300 TXT \"2\"\n\
         c.example IN TXT \"3\"\n\
         d.example IN 300 TXT \"4\"\n\
         e.example 1h in txt \"5\"\n",
    );
    for (name, value) in [
        ("a.example", "1"),
        ("b.example", "2"),
        ("c.example", "3"),
        ("d.example", "4"),
        ("e.example", "5"),
    ] {
        assert_eq!(found(&file, name)[0].value, value);
    }
    assert!(file.warnings().is_empty());
}

#[test]
fn escapes_inside_quotes_are_decoded() {
    let file = parse(r#"x.example IN TXT "a\"b" "c\\d" "e\059f\032g" "h\ i""#);
    assert_eq!(found(&file, "x.example")[0].value, r#"a"bc\de;f gh i"#);
}

#[test]
fn names_are_case_insensitive_without_trailing_dot() {
    let file = parse("Sel._DomainKey.Example.COM. TXT \"k\"\n");
    assert_eq!(
        file.names().collect::<Vec<_>>(),
        ["sel._domainkey.example.com"]
    );
    assert_eq!(found(&file, "SEL._domainkey.example.com.").len(), 1);
}

#[test]
fn same_selector_keeps_every_key_with_its_line() {
    let file = parse(
        "# keys of s1 over the years\n\
         s1._domainkey.example.com TXT \"p=old\"\n\
         \n\
         s1._domainkey.example.com  p=middle\n\
         s1._domainkey.example.com. 60 IN TXT \"p=new\"\n",
    );
    assert_eq!(
        found(&file, "s1._domainkey.example.com"),
        [
            record("p=old", "keys.zone:2"),
            record("p=middle", "keys.zone:4"),
            record("p=new", "keys.zone:5"),
        ]
    );
    assert_eq!(file.len(), 3);
}

#[test]
fn other_record_types_comments_and_dig_chatter_are_skipped() {
    let file = parse(
        "; <<>> DiG 9.18 <<>> example.com ANY\n\
         ;; ANSWER SECTION:\n\
         $TTL 3600\n\
         example.com. 300 IN SOA ns1.example.com. host.example.com. 1 2 3 4 5\n\
         example.com. 300 IN MX 10 mx.example.com.\n\
         example.com. A 192.0.2.1\n\
         example.com. 300 IN TXT \"v=spf1 -all\"\n",
    );
    assert_eq!(
        found(&file, "example.com"),
        [record("v=spf1 -all", "keys.zone:7")]
    );
    assert!(file.warnings().is_empty(), "{:?}", file.warnings());
}

#[test]
fn parenthesised_record_spans_lines_with_comments() {
    let file = parse(
        "s._domainkey IN TXT ( \"v=DKIM1; k=rsa; \" ; first half\n\
         \t\"p=MIGf\" )  ; ----- DKIM key s for example.com\n\
         t.example TXT \"after\"\n",
    );
    assert_eq!(
        found(&file, "s._domainkey"),
        [record("v=DKIM1; k=rsa; p=MIGf", "keys.zone:1")]
    );
    assert_eq!(found(&file, "t.example")[0].source, "keys.zone:3");
}

#[test]
fn bare_lines_give_records_nxdomain_and_errors() {
    let file = parse(
        "a.example  v=DKIM1; p=abc  \n\
         b.example\t\"\"\n\
         c.example NXDOMAIN\n\
         d.example ~~SERVFAIL~~\n",
    );
    assert_eq!(
        found(&file, "a.example"),
        [record("v=DKIM1; p=abc", "keys.zone:1")]
    );
    assert_eq!(found(&file, "b.example"), [record("", "keys.zone:2")]);
    assert_eq!(file.lookup_txt("c.example"), TxtLookup::NotFound);
    assert_eq!(
        file.lookup_txt("d.example"),
        TxtLookup::Error("keys.zone:4: SERVFAIL".into())
    );
    assert_eq!(file.lookup_txt("unknown.example"), TxtLookup::NotFound);
}

#[test]
fn malformed_lines_are_warnings_naming_file_and_line() {
    let file = parse(
        "good.example TXT \"ok\"\n\
         lonely.example\n\
         bad.example TXT \"unterminated\n\
         esc.example TXT \"\\999\"\n\
         $ORIGIN example.com.\n\
         \tIN TXT \"inherited owner\"\n",
    );
    assert_eq!(found(&file, "good.example").len(), 1);
    let lines: Vec<usize> = file
        .warnings()
        .iter()
        .map(|warning| match warning {
            KeyFileError::Syntax { path, line, .. } => {
                assert_eq!(path, "keys.zone");
                *line
            }
            other => panic!("unexpected {other}"),
        })
        .collect();
    assert_eq!(lines, [2, 3, 4, 5, 6]);
    assert!(file.warnings()[1].to_string().starts_with("keys.zone:3: "));
}

#[test]
fn unclosed_parenthesis_is_reported_at_its_first_line() {
    let file = parse("ok.example TXT \"x\"\nopen.example TXT ( \"a\"\n\"b\"\n");
    let [KeyFileError::Syntax { line, reason, .. }] = file.warnings() else {
        panic!("{:?}", file.warnings());
    };
    assert_eq!(*line, 2);
    assert!(reason.contains("'('"), "{reason}");
}

#[test]
fn file_with_no_usable_line_is_an_error() {
    let error = KeyFile::parse(
        "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA3SUqa9Ubfc=\n-----END PUBLIC KEY-----\n",
        "key.pem",
    )
    .unwrap_err();
    assert!(error.to_string().starts_with("key.pem:1: "), "{error}");
}

#[test]
fn missing_file_is_an_error_naming_it() {
    let error = KeyFile::load(Path::new("/nonexistent/keys.zone")).unwrap_err();
    assert!(
        error.to_string().contains("/nonexistent/keys.zone"),
        "{error}"
    );
}

#[test]
fn fake_dns_dat_parses_completely() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/conformance/mail-dkim/FAKE_DNS.dat");
    let file = KeyFile::load(&path).expect("FAKE_DNS.dat must be present and load");
    assert!(file.warnings().is_empty(), "{:?}", file.warnings());
    assert_eq!(file.len(), 23);
    assert_eq!(file.names().count(), 26);

    let records = found(&file, "test1._domainkey.messiah.edu");
    assert!(records[0]
        .value
        .starts_with("v=DKIM1; t=y; s=email; p=MFwwDQYJ"));
    assert!(records[0].value.ends_with("AQ=="));
    assert!(records[0].source.ends_with("FAKE_DNS.dat:6"));
    assert_eq!(
        found(&file, "testrevoked._domainkey.messiah.edu")[0].value,
        "k=rsa; t=y; p="
    );
    assert_eq!(
        found(&file, "2023-05-ed25519-empty._domainkey.wander.science")[0].value,
        ""
    );
    assert_eq!(
        file.lookup_txt("nonexistent._domainkey.messiah.edu"),
        TxtLookup::NotFound
    );
    for (name, text) in [
        ("test3._domainkey.blackhole.messiah.edu", "Query timed out"),
        ("test3._domainkey.blackhole2.messiah.edu", "SERVFAIL"),
    ] {
        match file.lookup_txt(name) {
            TxtLookup::Error(error) => assert!(error.ends_with(text), "{error}"),
            other => panic!("{name}: {other:?}"),
        }
    }
}
