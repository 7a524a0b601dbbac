//! The UI: one HTML shell for every page and the files it loads, all
//! embedded in the binary (no build step, nothing fetched from elsewhere).
//! The shell's script reads `location` to know which page it is and draws
//! it from the JSON API.

use axum::extract::Path;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::{HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;

const SHELL: &str = include_str!("../assets/index.html");

/// (name under `/assets/`, content type, content)
const FILES: &[(&str, &str, &str)] = &[
    (
        "style.css",
        "text/css; charset=utf-8",
        include_str!("../assets/style.css"),
    ),
    (
        "favicon.svg",
        "image/svg+xml",
        include_str!("../assets/favicon.svg"),
    ),
    ("app.js", JS, include_str!("../assets/js/app.js")),
    ("dom.js", JS, include_str!("../assets/js/dom.js")),
    ("verdicts.js", JS, include_str!("../assets/js/verdicts.js")),
    ("overview.js", JS, include_str!("../assets/js/overview.js")),
    ("timeline.js", JS, include_str!("../assets/js/timeline.js")),
    ("search.js", JS, include_str!("../assets/js/search.js")),
    ("message.js", JS, include_str!("../assets/js/message.js")),
    ("evidence.js", JS, include_str!("../assets/js/evidence.js")),
    (
        "documents.js",
        JS,
        include_str!("../assets/js/documents.js"),
    ),
    ("registry.js", JS, include_str!("../assets/js/registry.js")),
];

const JS: &str = "text/javascript; charset=utf-8";

/// Every page (`/`, `/search`, `/messages/{id}`, `/documents/{sha256}`) is the
/// same shell.
pub async fn page() -> Response {
    shell(StatusCode::OK)
}

/// Any other path: the shell too, whose script says the page does not
/// exist and links back, with a 404 status for anything but a person.
/// Under `/api/` (which the nested API router leaves to this fallback for
/// `/api/` itself) the answer is the API's JSON error.
pub async fn unknown_page(uri: Uri) -> Response {
    if uri.path().starts_with("/api/") {
        return ApiError::not_found(format!(
            "no such API route: {}; the routes are listed in /api/openapi.json",
            uri.path()
        ))
        .into_response();
    }
    shell(StatusCode::NOT_FOUND)
}

fn shell(status: StatusCode) -> Response {
    (
        status,
        [
            (
                CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            ),
            (CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        ],
        SHELL,
    )
        .into_response()
}

pub async fn file(Path(name): Path<String>) -> Response {
    match FILES.iter().find(|(file, _, _)| *file == name) {
        Some((_, content_type, content)) => (
            [
                (CONTENT_TYPE, HeaderValue::from_static(content_type)),
                // Revalidate: a new tamis binary serves new files at the same names.
                (CACHE_CONTROL, HeaderValue::from_static("no-cache")),
            ],
            *content,
        )
            .into_response(),
        None => (StatusCode::NOT_FOUND, "no such file").into_response(),
    }
}
