//! The JSON API over a case built from the bundled sample dump: the figures
//! it gives are the ones the sample documents, item by item.

mod common;

use axum::http::StatusCode;
use common::*;
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

fn by_message_id(messages: &[Value]) -> BTreeMap<String, &Value> {
    messages
        .iter()
        .map(|m| (m["summary"]["message_id"].as_str().unwrap().to_string(), m))
        .collect()
}

#[tokio::test]
async fn overview_counts_every_verdict_as_the_sample_documents() {
    let case = build_case(&[SAMPLE_DUMP]);
    let overview = get_json(&case.app, "/api/overview").await;

    let expected = expected_sample_verdicts();
    let mut wanted: BTreeMap<&str, u64> = BTreeMap::new();
    for verdict in expected.values() {
        *wanted.entry(verdict).or_default() += 1;
    }
    assert_eq!(overview["messages"], 39);
    assert_eq!(
        overview["origins"], 41,
        "the two duplicates keep their origins"
    );

    let verdicts = overview["verdicts"].as_array().unwrap();
    let words: Vec<&str> = verdicts
        .iter()
        .map(|v| v["verdict"].as_str().unwrap())
        .collect();
    assert_eq!(
        words,
        [
            "verified",
            "verified-partial",
            "weak",
            "body-altered",
            "headers-altered",
            "key-revoked",
            "key-missing",
            "invalid-signature",
            "unsigned",
            "rebuilt"
        ],
        "every verdict, in DESIGN.md order"
    );
    for verdict in verdicts {
        let word = verdict["verdict"].as_str().unwrap();
        assert_eq!(
            verdict["count"].as_u64().unwrap(),
            wanted.get(word).copied().unwrap_or(0),
            "{word}"
        );
        assert!(
            verdict["meaning"].as_str().unwrap().len() > 30,
            "{word} is explained in words"
        );
    }
    let runs = get_json(&case.app, "/api/runs").await;
    assert_eq!(runs.as_array().unwrap().len(), 1);
    assert_eq!(runs[0]["status"], "finished");
}

#[tokio::test]
async fn every_message_reports_its_documented_verdict_with_evidence() {
    let case = build_case(&[SAMPLE_DUMP]);
    let messages = all_messages(&case.app).await;
    assert_eq!(messages.len(), 39);
    let found = by_message_id(&messages);
    for (message_id, verdict) in expected_sample_verdicts() {
        let message = found
            .get(&message_id)
            .unwrap_or_else(|| panic!("{message_id} is not in the case"));
        assert_eq!(
            message["summary"]["verdict"],
            verdict.as_str(),
            "{message_id}"
        );
        assert_eq!(
            message["report"]["verdict"],
            verdict.as_str(),
            "{message_id}"
        );
    }

    // m05: the body was changed after signing; the two body hashes differ.
    let altered = &found["m05.1492156800@horizon-commun.example.fr"]["report"];
    let signature = &altered["signatures"][0];
    assert_eq!(signature["result"], "body-altered");
    assert_ne!(
        signature["body_hash_claimed"],
        signature["body_hash_computed"]
    );
    assert!(signature["key_source"]
        .as_str()
        .unwrap()
        .contains("sample-keys.zone:"));

    // m08: l= leaves the unsubscribe footer unsigned, and it is shown.
    let partial = &found["m08.1492664400@horizon-commun.example.fr"]["report"];
    let signature = &partial["signatures"][0];
    assert!(signature["unsigned_body_bytes"].as_u64().unwrap() > 0);
    assert!(!signature["unsigned_tail_preview"]
        .as_str()
        .unwrap()
        .is_empty());

    // m11: verified only with a 512-bit key.
    let weak = &found["m11.1493113200@horizon-commun.example.fr"]["report"];
    assert_eq!(weak["signatures"][0]["key_bits"], 512);

    // m24 and m21 were found twice.
    for duplicated in [
        "m24.1492925400@horizon-commun.example.fr",
        "m21.1493568000@horizon-commun.example.fr",
    ] {
        assert_eq!(found[duplicated]["origins"].as_array().unwrap().len(), 2);
    }
}

#[tokio::test]
async fn raw_download_is_the_exact_bytes_named_by_their_sha256() {
    let case = build_case(&[SAMPLE_DUMP]);
    let messages = all_messages(&case.app).await;
    for message in &messages {
        let id = message["summary"]["id"].as_i64().unwrap();
        let sha256 = message["summary"]["sha256"].as_str().unwrap();
        let raw = get(&case.app, &format!("/api/messages/{id}/raw")).await;
        assert_eq!(raw.status, StatusCode::OK);
        assert_eq!(
            hex::encode(Sha256::digest(&raw.body)),
            sha256,
            "message {id}"
        );
        assert_eq!(raw.header("content-type"), "application/octet-stream");
        assert_eq!(
            raw.header("content-disposition"),
            format!("attachment; filename=\"{sha256}.eml\"")
        );
    }
}

#[tokio::test]
async fn attachment_download_is_an_opaque_file() {
    let case = build_case(&[SAMPLE_DUMP]);
    let page = get_json(
        &case.app,
        "/api/search?q=subject%3A%22Planning+deplacements%22",
    )
    .await;
    let id = page["hits"][0]["message"]["id"].as_i64().unwrap();
    let message = get_json(&case.app, &format!("/api/messages/{id}")).await;
    let attachment = &message["attachments"][0];
    assert_eq!(attachment["filename"], "document.pdf");
    assert_eq!(attachment["content_type"], "application/pdf");
    let sha256 = attachment["sha256"].as_str().unwrap();

    let download = get(&case.app, &format!("/api/attachments/{sha256}")).await;
    assert_eq!(download.status, StatusCode::OK);
    assert!(download.body.starts_with(b"%PDF"));
    assert_eq!(hex::encode(Sha256::digest(&download.body)), sha256);
    assert_eq!(
        download.body.len() as u64,
        attachment["size"].as_u64().unwrap()
    );
    assert_eq!(download.header("content-type"), "application/octet-stream");
    assert_eq!(download.header("x-content-type-options"), "nosniff");
    assert_eq!(
        download.header("content-disposition"),
        "attachment; filename=\"document.pdf\""
    );
}

#[tokio::test]
async fn search_finds_a_subject_and_highlights_the_words() {
    let case = build_case(&[SAMPLE_DUMP]);
    let page = get_json(&case.app, "/api/search?q=%22budget+meeting%22+lyon").await;
    let subjects: Vec<&str> = page["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|hit| hit["message"]["subject"].as_str().unwrap())
        .collect();
    assert!(subjects.contains(&"Budget meeting de Lyon"), "{subjects:?}");
    assert!(
        subjects.contains(&"Re: Budget meeting de Lyon"),
        "{subjects:?}"
    );
    assert_eq!(page["total"].as_u64().unwrap() as usize, subjects.len());

    let body_word = get_json(&case.app, "/api/search?q=drapeaux").await;
    assert!(body_word["total"].as_u64().unwrap() >= 1);
    let snippet = body_word["hits"][0]["snippet"].as_str().unwrap();
    assert!(snippet.contains("<mark>"), "{snippet}");
    assert_eq!(body_word["warnings"], serde_json::json!([]));
}

#[tokio::test]
async fn an_odd_query_is_searched_as_words_and_says_so() {
    let case = build_case(&[SAMPLE_DUMP]);
    // An unclosed quote: the words are still searched.
    let page = get_json(&case.app, "/api/search?q=%22budget+meeting").await;
    let warnings = page["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1, "{page}");
    assert!(page["total"].as_u64().unwrap() >= 2, "{page}");

    let unknown_field = get_json(&case.app, "/api/search?q=nowhere%3Alyon").await;
    let warnings = unknown_field["warnings"].as_array().unwrap();
    assert!(
        warnings[0].as_str().unwrap().contains("nowhere"),
        "the warning names the unknown field: {warnings:?}"
    );
}

#[tokio::test]
async fn a_facet_filter_narrows_the_results_to_its_value() {
    let case = build_case(&[SAMPLE_DUMP]);
    let everything = get_json(&case.app, "/api/search").await;
    assert_eq!(everything["total"], 39);
    let verdict_facet = everything["facets"]["verdict"].as_array().unwrap();
    let altered = verdict_facet
        .iter()
        .find(|count| count["key"] == "body-altered")
        .expect("body-altered is a facet value");
    assert_eq!(altered["count"], 3);

    let filtered = get_json(&case.app, "/api/search?verdict=body-altered").await;
    assert_eq!(filtered["total"], 3);
    for hit in filtered["hits"].as_array().unwrap() {
        assert_eq!(hit["message"]["verdict"], "body-altered");
    }

    // Two values of one filter are ORed; a second filter is ANDed.
    let either = get_json(
        &case.app,
        "/api/search?verdict=body-altered&verdict=headers-altered",
    )
    .await;
    assert_eq!(either["total"], 6);
    let with_pdf = get_json(&case.app, "/api/search?has_attachment=true").await;
    assert_eq!(with_pdf["total"], 2);
    let both = get_json(
        &case.app,
        "/api/search?has_attachment=yes&attachment_type=application%2Fpdf&sender_domain=campagne.example.fr",
    )
    .await;
    assert!(both["total"].as_u64().unwrap() <= 2);
    for hit in both["hits"].as_array().unwrap() {
        assert!(hit["message"]["attachments"].as_u64().unwrap() >= 1);
    }
}

#[tokio::test]
async fn pages_and_date_order_hold_together() {
    let case = build_case(&[SAMPLE_DUMP]);
    let first = get_json(&case.app, "/api/search?sort=newest&limit=10").await;
    let second = get_json(&case.app, "/api/search?sort=newest&limit=10&offset=10").await;
    let ids = |page: &Value| -> Vec<i64> {
        page["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|hit| hit["message"]["id"].as_i64().unwrap())
            .collect()
    };
    assert_eq!(ids(&first).len(), 10);
    assert_eq!(ids(&second).len(), 10);
    assert!(ids(&first).iter().all(|id| !ids(&second).contains(id)));
    assert_eq!(second["offset"], 10);

    let dates: Vec<String> = first["hits"]
        .as_array()
        .unwrap()
        .iter()
        .chain(second["hits"].as_array().unwrap())
        .map(|hit| hit["message"]["date"].as_str().unwrap().to_string())
        .collect();
    let unix: Vec<i64> = dates.iter().map(|d| rfc3339_seconds(d)).collect();
    assert!(
        unix.windows(2).all(|w| w[0] >= w[1]),
        "newest first: {dates:?}"
    );
}

/// Seconds of an RFC 3339 date with an offset, enough to compare two.
fn rfc3339_seconds(text: &str) -> i64 {
    let n = |range: std::ops::Range<usize>| text[range].parse::<i64>().unwrap();
    let (year, month, day) = (n(0..4), n(5..7), n(8..10));
    let (hour, minute, second) = (n(11..13), n(14..16), n(17..19));
    let offset = match &text[19..] {
        "Z" => 0,
        zone => {
            let sign = if zone.starts_with('-') { -1 } else { 1 };
            sign * (zone[1..3].parse::<i64>().unwrap() * 3600
                + zone[4..6].parse::<i64>().unwrap() * 60)
        }
    };
    // Days from civil (Howard Hinnant's algorithm).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    days * 86_400 + hour * 3600 + minute * 60 + second - offset
}

#[tokio::test]
async fn unknown_ids_are_404_with_a_json_error() {
    let case = build_case(&[SAMPLE_DUMP]);
    for uri in [
        "/api/messages/999999",
        "/api/messages/999999/raw",
        "/api/messages/999999/html",
        "/api/attachments/0000000000000000000000000000000000000000000000000000000000000000",
        "/api/no-such-route",
        "/api/",
        "/api/messages/",
    ] {
        let answer = get(&case.app, uri).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{uri}");
        let error = answer.json();
        assert_eq!(error["status"], 404, "{uri}");
        assert!(!error["error"].as_str().unwrap().is_empty(), "{uri}");
    }
    // A message without an HTML body has nothing to show there.
    let plain = get_json(&case.app, "/api/search?limit=1").await;
    let id = plain["hits"][0]["message"]["id"].as_i64().unwrap();
    let detail = get_json(&case.app, &format!("/api/messages/{id}")).await;
    assert_eq!(detail["has_html"], false);
    let html = get(&case.app, &format!("/api/messages/{id}/html")).await;
    assert_eq!(html.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn bad_parameters_are_400_naming_what_is_wrong() {
    let case = build_case(&[SAMPLE_DUMP]);
    for (uri, says) in [
        ("/api/messages/abc", "not a message id"),
        ("/api/messages/0", "not a message id"),
        ("/api/messages/-3/raw", "not a message id"),
        ("/api/messages/1.5/html", "not a message id"),
        ("/api/attachments/xyz", "not a SHA-256"),
        ("/api/search?verdict=forged", "verdict=forged"),
        ("/api/search?month=2017-13", "YYYY-MM"),
        ("/api/search?sort=random", "relevance, newest or oldest"),
        ("/api/search?limit=100000", "limit"),
        ("/api/search?offset=abc", "offset"),
        ("/api/search?has_attachment=perhaps", "true or false"),
        ("/api/search?attachment_type=pdf", "type/subtype"),
        ("/api/search?verdicts=weak", "unknown parameter"),
        ("/api/search?q=a&q=b", "twice"),
    ] {
        let answer = get(&case.app, uri).await;
        assert_eq!(
            answer.status,
            StatusCode::BAD_REQUEST,
            "{uri}: {}",
            answer.text()
        );
        let error = answer.json();
        assert!(
            error["error"].as_str().unwrap().contains(says),
            "{uri}: {error}"
        );
    }
    // Free text is never an error: odd syntax is read as words.
    for text in [
        "%22unclosed",
        "sender%3Apaul",
        "Re%3A+%5BURGENT%5D",
        "(((((",
    ] {
        let answer = get(&case.app, &format!("/api/search?q={text}")).await;
        assert_eq!(answer.status, StatusCode::OK, "q={text}: {}", answer.text());
    }
}

#[tokio::test]
async fn every_route_carries_the_security_headers() {
    let case = build_case(&[SAMPLE_DUMP]);
    let first = get_json(&case.app, "/api/search?limit=1").await;
    let id = first["hits"][0]["message"]["id"].as_i64().unwrap();
    let routes = [
        "/".to_string(),
        "/search?q=budget".to_string(),
        format!("/messages/{id}"),
        "/assets/app.js".to_string(),
        "/assets/style.css".to_string(),
        "/no/such/page".to_string(),
        "/api/overview".to_string(),
        "/api/search?q=budget".to_string(),
        format!("/api/messages/{id}"),
        format!("/api/messages/{id}/raw"),
        "/api/runs".to_string(),
        "/api/openapi.json".to_string(),
        "/api/messages/999999".to_string(),
        "/api/search?sort=bad".to_string(),
    ];
    for uri in &routes {
        let answer = get(&case.app, uri).await;
        let csp = answer.header("content-security-policy");
        for directive in [
            "default-src 'none'",
            "script-src 'self'",
            "form-action 'none'",
            "frame-ancestors 'self'",
            "base-uri 'none'",
        ] {
            assert!(csp.contains(directive), "{uri}: {csp}");
        }
        assert!(!csp.contains("unsafe"), "{uri}: {csp}");
        assert_eq!(answer.header("x-content-type-options"), "nosniff", "{uri}");
        assert_eq!(answer.header("referrer-policy"), "no-referrer", "{uri}");
    }
}

#[tokio::test]
async fn ui_pages_are_the_shell_and_load_only_local_files() {
    let case = build_case(&[SAMPLE_DUMP]);
    for uri in ["/", "/search", "/messages/1"] {
        let page = get(&case.app, uri).await;
        assert_eq!(page.status, StatusCode::OK, "{uri}");
        assert!(page.header("content-type").starts_with("text/html"));
        let html = page.text();
        assert!(html.contains(r#"<script type="module" src="/assets/app.js"></script>"#));
        assert!(
            !html.contains("http://") && !html.contains("https://"),
            "{uri}"
        );
    }
    assert_eq!(
        get(&case.app, "/nowhere").await.status,
        StatusCode::NOT_FOUND
    );
    for (file, kind) in [
        ("app.js", "text/javascript"),
        ("search.js", "text/javascript"),
        ("style.css", "text/css"),
        ("favicon.svg", "image/svg+xml"),
    ] {
        let answer = get(&case.app, &format!("/assets/{file}")).await;
        assert_eq!(answer.status, StatusCode::OK, "{file}");
        assert!(answer.header("content-type").starts_with(kind), "{file}");
        let text = answer.text();
        assert!(!text.contains("https://"), "{file} loads nothing remote");
    }
}

#[tokio::test]
async fn a_request_for_another_host_name_is_refused() {
    let case = build_case(&[SAMPLE_DUMP]);
    let rebound = get_with_host(&case.app, "/api/overview", Some("evil.example:8080")).await;
    assert_eq!(rebound.status, StatusCode::MISDIRECTED_REQUEST);
    assert!(rebound.json()["error"]
        .as_str()
        .unwrap()
        .contains("DNS rebinding"));
    assert!(rebound.headers.contains_key("content-security-policy"));
    for host in ["localhost:8080", "127.0.0.1:8080", "[::1]:8080"] {
        let answer = get_with_host(&case.app, "/api/overview", Some(host)).await;
        assert_eq!(answer.status, StatusCode::OK, "{host}");
    }
}

#[tokio::test]
async fn a_reply_is_shown_in_its_thread_under_the_message_it_answers() {
    let case = build_case(&[SAMPLE_DUMP]);
    let found = get_json(
        &case.app,
        "/api/search?q=subject%3A%22re+budget+meeting+de+lyon%22",
    )
    .await;
    let reply = found["hits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|hit| hit["message"]["subject"] == "Re: Budget meeting de Lyon")
        .unwrap_or_else(|| panic!("the reply is found: {found}"));
    let id = reply["message"]["id"].as_i64().unwrap();
    let message = get_json(&case.app, &format!("/api/messages/{id}")).await;
    let thread: Vec<(String, u64)> = message["thread"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| {
            (
                entry["subject"].as_str().unwrap_or("").to_string(),
                entry["depth"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        thread,
        vec![
            ("Budget meeting de Lyon".to_string(), 0),
            ("Re: Budget meeting de Lyon".to_string(), 1),
        ]
    );
    let root_id = message["thread"][0]["id"].as_i64().unwrap();
    let root = get_json(&case.app, &format!("/api/messages/{root_id}")).await;
    assert_eq!(
        root["thread"], message["thread"],
        "both see the same thread"
    );
}

#[tokio::test]
async fn an_attached_spread_report_is_linked_and_served_sandboxed() {
    let case = build_case(&[HOSTILE_HTML]);
    assert_eq!(
        get(&case.app, "/api/spread").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get_json(&case.app, "/api/overview").await["spread_report"],
        false
    );

    let page = b"<!doctype html><title>spread</title><svg></svg>";
    tamis_case::attach_spread_report(case.dir(), page).unwrap();
    let served = get(&case.app, "/api/spread").await;
    assert_eq!(served.status, StatusCode::OK);
    assert_eq!(served.body, page);
    let csp = served.header("content-security-policy");
    assert!(
        csp.contains("sandbox") && csp.contains("default-src 'none'"),
        "{csp}"
    );
    assert!(!csp.contains("script-src"), "{csp}");
    assert_eq!(
        get_json(&case.app, "/api/overview").await["spread_report"],
        true
    );
}
