//! /api/openapi.json is the API's documentation: every route it lists must
//! answer, with the content type it names, and every JSON answer must fit
//! the schema it gives (no field missing, none undocumented).

mod common;

use axum::http::StatusCode;
use common::*;

/// Spreadsheets found on their own, not attached to any message.
const LOOSE_DOCUMENTS: &str = "fixtures/docs/office/xlsx-burst";

/// The API routes the server has; the document must list exactly these.
const API_ROUTES: &[&str] = &[
    "/api/overview",
    "/api/search",
    "/api/messages/{id}",
    "/api/messages/{id}/raw",
    "/api/messages/{id}/html",
    "/api/attachments/{sha256}",
    "/api/documents/{sha256}",
    "/api/runs",
    "/api/spread",
    "/api/openapi.json",
];

#[tokio::test]
async fn every_documented_route_answers_as_documented() {
    // The hostile fixture has an HTML body and an attachment, so every
    // route has something to serve; the sample has signatures, duplicates
    // and threads.
    let case = build_case(&[SAMPLE_DUMP, HOSTILE_HTML]);
    tamis_case::attach_spread_report(case.dir(), b"<!doctype html><title>spread</title>").unwrap();
    let document = get_json(&case.app, "/api/openapi.json").await;
    assert_eq!(document["openapi"], "3.1.0");

    let paths = document["paths"].as_object().unwrap();
    let mut listed: Vec<&str> = paths.keys().map(String::as_str).collect();
    listed.sort_unstable();
    let mut routes = API_ROUTES.to_vec();
    routes.sort_unstable();
    assert_eq!(listed, routes, "the document lists the server's routes");

    let hostile = get_json(&case.app, "/api/search?q=subject%3Ahostile").await;
    let id = hostile["hits"][0]["message"]["id"].as_i64().unwrap();
    let message = get_json(&case.app, &format!("/api/messages/{id}")).await;
    let sha256 = message["attachments"][0]["sha256"]
        .as_str()
        .unwrap()
        .to_string();

    for (path, item) in paths {
        let operation = &item["get"];
        assert!(operation.is_object(), "{path} documents GET");
        let uri = path
            .replace("{id}", &id.to_string())
            .replace("{sha256}", &sha256);
        let answer = get(&case.app, &uri).await;
        assert_eq!(answer.status, StatusCode::OK, "{uri}: {}", answer.text());
        let content = operation["responses"]["200"]["content"]
            .as_object()
            .unwrap_or_else(|| panic!("{path}: 200 has a content type"));
        let (media_type, body) = content.iter().next().unwrap();
        assert!(
            answer
                .header("content-type")
                .starts_with(media_type.as_str()),
            "{uri}: served {} but documented {media_type}",
            answer.header("content-type")
        );
        if media_type == "application/json" {
            let problems = schema::problems(&document, &body["schema"], &answer.json());
            assert!(problems.is_empty(), "{uri}:\n{}", problems.join("\n"));
        }
        for status in operation["responses"].as_object().unwrap().keys() {
            assert!(
                ["200", "400", "404", "500"].contains(&status.as_str()),
                "{path}: {status}"
            );
        }
    }
}

#[tokio::test]
async fn search_answers_fit_the_schema_with_filters_and_thread_data() {
    let case = build_case(&[SAMPLE_DUMP, HOSTILE_HTML, LOOSE_DOCUMENTS]);
    let document = get_json(&case.app, "/api/openapi.json").await;
    let page_schema = &document["paths"]["/api/search"]["get"]["responses"]["200"]["content"]
        ["application/json"]["schema"];
    for uri in [
        "/api/search?q=budget&sort=relevance",
        "/api/search?verdict=verified&month=2017-04&limit=5&offset=5",
        "/api/search?has_attachment=no&sort=oldest",
        "/api/search?limit=0",
        "/api/search?kind=document",
        "/api/search?q=budget&kind=message&kind=document",
    ] {
        let page = get_json(&case.app, uri).await;
        let problems = schema::problems(&document, page_schema, &page);
        assert!(problems.is_empty(), "{uri}:\n{}", problems.join("\n"));
    }

    // A document hit and its page fit.
    let documents = get_json(&case.app, "/api/search?kind=document").await;
    assert!(documents["total"].as_u64().unwrap() >= 6, "{documents}");
    let sha256 = documents["hits"][0]["document"]["sha256"].as_str().unwrap();
    let page = get_json(&case.app, &format!("/api/documents/{sha256}")).await;
    let problems = schema::problems(
        &document,
        &document["components"]["schemas"]["DocumentDetail"],
        &page,
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let codes: Vec<&str> = page["collection_findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"edit-burst"), "{codes:?}");

    // Every message's detail fits too (threads, duplicates, signatures of
    // every kind), not only the one the route check fetched.
    let detail_schema = &document["components"]["schemas"]["MessageDetail"];
    for message in all_messages(&case.app).await {
        let problems = schema::problems(&document, detail_schema, &message);
        assert!(
            problems.is_empty(),
            "message {}:\n{}",
            message["summary"]["id"],
            problems.join("\n")
        );
    }

    // Errors have the documented shape.
    let error = get(&case.app, "/api/search?sort=sideways").await;
    let problems = schema::problems(
        &document,
        &document["components"]["schemas"]["Error"],
        &error.json(),
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
