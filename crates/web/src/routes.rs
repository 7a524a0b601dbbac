//! The route table: UI pages, their static files, and the JSON API.

use axum::middleware::{from_fn, map_response};
use axum::routing::get;
use axum::Router;
use std::sync::Arc;
use tamis_case::CaseReader;

use crate::security::{self, HostPolicy};
use crate::{api, assets};

/// The whole application over `case`, answering only `localhost` and IP
/// literals as Host (see [`HostPolicy`]); what tests drive with `oneshot`.
pub fn router(case: Arc<CaseReader>) -> Router {
    router_with(case, HostPolicy::LoopbackNames)
}

pub fn router_with(case: Arc<CaseReader>, hosts: HostPolicy) -> Router {
    // Nested under /api: keep assets/openapi.json's paths in step.
    let api = Router::new()
        .route("/overview", get(api::overview))
        .route("/search", get(api::search))
        .route("/messages/{id}", get(api::message))
        .route("/messages/{id}/raw", get(api::message_raw))
        .route("/messages/{id}/html", get(api::message_html))
        .route("/attachments/{sha256}", get(api::attachment))
        .route("/documents/{sha256}", get(api::document))
        .route("/runs", get(api::runs))
        .route("/spread", get(api::spread_report))
        .route("/openapi.json", get(api::openapi))
        .fallback(api::not_found)
        .with_state(case);
    Router::new()
        .route("/", get(assets::page))
        .route("/search", get(assets::page))
        .route("/messages/{id}", get(assets::page))
        .route("/documents/{sha256}", get(assets::page))
        .route("/assets/{name}", get(assets::file))
        .nest("/api", api)
        .fallback(assets::unknown_page)
        // Outermost last: the headers are added even to a refused Host.
        .layer(from_fn(move |request, next| {
            security::check_host(hosts, request, next)
        }))
        .layer(map_response(security::add_security_headers))
}
