//! fixtures/html/hostile.eml carries every kind of active or remote content
//! an e-mail can hold (a script, a remote image, a form, a `javascript:`
//! link, an `onerror` handler, a `<style>` loading a remote `url()`, an
//! `<iframe>`…) and an HTML attachment under a file name built to escape.
//! None of it may survive on the way to the browser.

mod common;

use axum::http::StatusCode;
use common::*;
use serde_json::Value;

async fn hostile_message(case: &TestCase) -> Value {
    let page = get_json(&case.app, "/api/search?q=subject%3Ahostile").await;
    assert_eq!(page["total"], 1, "{page}");
    let id = page["hits"][0]["message"]["id"].as_i64().unwrap();
    get_json(&case.app, &format!("/api/messages/{id}")).await
}

/// Every value of `attribute="…"` in `html`.
fn attribute_values<'a>(html: &'a str, attribute: &str) -> Vec<&'a str> {
    let needle = format!(" {attribute}=\"");
    html.match_indices(&needle)
        .map(|(at, _)| {
            let rest = &html[at + needle.len()..];
            &rest[..rest.find('"').expect("closed attribute")]
        })
        .collect()
}

#[tokio::test]
async fn nothing_active_or_remote_survives_in_the_served_html() {
    let case = build_case(&[HOSTILE_HTML]);
    let message = hostile_message(&case).await;
    assert_eq!(message["has_html"], true);
    assert_eq!(message["summary"]["verdict"], "unsigned");
    let id = message["summary"]["id"].as_i64().unwrap();

    let answer = get(&case.app, &format!("/api/messages/{id}/html")).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.header("content-type"), "text/html; charset=utf-8");
    let csp = answer.header("content-security-policy");
    for directive in [
        "default-src 'none'",
        "img-src data:",
        "sandbox",
        "form-action 'none'",
    ] {
        assert!(csp.contains(directive), "{csp}");
    }
    assert!(
        !csp.contains("script-src"),
        "no script source at all: {csp}"
    );
    assert_eq!(answer.header("x-content-type-options"), "nosniff");

    let html = answer.text();
    let lowered = html.to_lowercase();
    for banned in [
        "<script",
        "hostile-",
        "onerror",
        "onload",
        "onclick",
        "<form",
        "<input",
        "<button",
        "javascript:",
        "<iframe",
        "<link",
        "<base",
        "url(",
        "tracker.example",
        "http:",
        "https:",
        " style=",
    ] {
        assert!(!lowered.contains(banned), "`{banned}` survived:\n{html}");
    }
    // Our own stylesheet is the document's only one.
    assert_eq!(lowered.matches("<style").count(), 1, "{html}");

    for src in attribute_values(&html, "src") {
        assert!(src.starts_with("data:image/png"), "src {src}");
    }
    for href in attribute_values(&html, "href") {
        assert!(href.starts_with("mailto:"), "href {href}");
    }
    // What the reader needs is still there.
    for kept in [
        "vendredi 5 mai",
        "Click to RSVP",
        "Programme of the evening",
        "alt=\"inline logo\"",
        "href=\"mailto:rsvp@campagne.example.fr\"",
    ] {
        assert!(html.contains(kept), "`{kept}` was lost:\n{html}");
    }
}

#[tokio::test]
async fn the_hostile_attachment_downloads_as_an_inert_file_with_a_safe_name() {
    let case = build_case(&[HOSTILE_HTML]);
    let message = hostile_message(&case).await;
    let attachments = message["attachments"].as_array().unwrap();
    assert_eq!(attachments.len(), 1);
    let attachment = &attachments[0];
    assert_eq!(attachment["content_type"], "text/html");
    let sha256 = attachment["sha256"].as_str().unwrap();

    let download = get(&case.app, &format!("/api/attachments/{sha256}")).await;
    assert_eq!(download.status, StatusCode::OK);
    assert!(String::from_utf8_lossy(&download.body).contains("HOSTILE-ATTACHMENT-RAN"));
    assert_eq!(download.header("content-type"), "application/octet-stream");
    assert_eq!(download.header("x-content-type-options"), "nosniff");
    let disposition = download.header("content-disposition");
    let name = disposition
        .strip_prefix("attachment; filename=\"")
        .and_then(|rest| rest.strip_suffix('"'))
        .unwrap_or_else(|| panic!("one quoted ASCII name: {disposition}"));
    assert!(name.is_ascii(), "{name}");
    assert!(
        !name.contains(['"', ';', '/', '\\', '\r', '\n', '=']) && !name.starts_with('.'),
        "{name}"
    );
    assert!(name.starts_with("Invitation"), "{name}");
    assert!(name.ends_with(".html"), "{name}");
}

#[tokio::test]
async fn the_text_body_is_served_as_data_not_markup() {
    let case = build_case(&[HOSTILE_HTML]);
    let message = hostile_message(&case).await;
    // The JSON carries the text as a string; the page sets it as text.
    let text = message["text_body"].as_str().unwrap();
    assert!(text.contains("soiree de soutien, vendredi 5 mai"), "{text}");
}
