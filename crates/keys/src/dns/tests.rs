use super::test_server::{TestServer, SPLIT_CHUNKS};
use super::*;

fn lookup(server: &TestServer) -> DnsLookup {
    DnsLookup::with_nameserver(server.addr).expect("resolver")
}

#[test]
fn split_txt_strings_are_joined_with_server_and_time_as_provenance() {
    let server = TestServer::start();
    let TxtLookup::Found(records) = lookup(&server).lookup_txt("split.example") else {
        panic!("expected a record");
    };
    let [record] = records.as_slice() else {
        panic!("{records:?}");
    };
    assert_eq!(record.value, SPLIT_CHUNKS.concat());
    let prefix = format!("dns:{} at ", server.addr);
    let time = record.source.strip_prefix(&prefix).expect(&record.source);
    // RFC 3339 UTC to the second: 2026-11-21T10:00:00Z
    assert_eq!(time.len(), 20, "{time}");
    assert!(time.ends_with('Z') && time.as_bytes()[10] == b'T', "{time}");
}

#[test]
fn a_name_is_asked_once_per_run() {
    let server = TestServer::start();
    let dns = lookup(&server);
    let first = dns.lookup_txt("split.example");
    let second = dns.lookup_txt("Split.Example.");
    assert_eq!(first, second);
    assert_eq!(server.queries_for("split.example"), 1);
}

#[test]
fn concurrent_lookups_share_one_query() {
    let server = TestServer::start();
    let dns = lookup(&server);
    std::thread::scope(|scope| {
        for _ in 0..8 {
            scope.spawn(|| {
                assert!(matches!(
                    dns.lookup_txt("split.example"),
                    TxtLookup::Found(_)
                ))
            });
        }
    });
    assert_eq!(server.queries_for("split.example"), 1);
}

#[test]
fn nxdomain_and_a_name_without_txt_are_not_found() {
    let server = TestServer::start();
    let dns = lookup(&server);
    assert_eq!(dns.lookup_txt("missing.example"), TxtLookup::NotFound);
    assert_eq!(dns.lookup_txt("empty.example"), TxtLookup::NotFound);
}

#[test]
fn servfail_is_an_error_naming_the_server() {
    let server = TestServer::start();
    match lookup(&server).lookup_txt("servfail.example") {
        TxtLookup::Error(error) => {
            assert!(
                error.starts_with(&format!("dns:{} at ", server.addr)),
                "{error}"
            )
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn no_answer_is_an_error_not_a_missing_key() {
    // Bound but never read: queries go unanswered until the resolver gives up.
    let silent = std::net::UdpSocket::bind("127.0.0.1:0").expect("bind");
    let servers = NameServerConfigGroup::from_ips_clear(
        &[silent.local_addr().expect("addr").ip()],
        silent.local_addr().expect("addr").port(),
        true,
    );
    let mut options = ResolverOpts::default();
    options.timeout = std::time::Duration::from_millis(200);
    options.attempts = 1;
    let dns = DnsLookup::new(
        ResolverConfig::from_parts(None, Vec::new(), servers),
        options,
        "silent".into(),
    )
    .expect("resolver");
    assert!(matches!(
        dns.lookup_txt("split.example"),
        TxtLookup::Error(_)
    ));
}

#[test]
fn answers_list_found_records_with_their_lookup_time() {
    let server = TestServer::start();
    let dns = lookup(&server);
    let before = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    dns.lookup_txt("split.example");
    dns.lookup_txt("missing.example");
    let answers = dns.answers();
    let [answer] = answers.as_slice() else {
        panic!("only the found name is listed: {answers:?}");
    };
    assert_eq!(answer.name, "split.example");
    assert_eq!(answer.record, SPLIT_CHUNKS.concat());
    assert!(answer.looked_up_at >= before && answer.looked_up_at <= before + 60);
    assert_eq!(dns.server(), server.addr.to_string());
}
