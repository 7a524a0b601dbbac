//! The JSON API handlers: each validates its parameters, asks the case
//! reader on a blocking thread (SQLite and the index do blocking I/O), and
//! answers with the reader's shapes as they are: those shapes are the
//! schema documented in `assets/openapi.json`.

use axum::extract::rejection::PathRejection;
use axum::extract::{OriginalUri, Path, RawQuery, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::HeaderValue;
use axum::response::{IntoResponse, Response};
use axum::Json;
use sha2::{Digest, Sha256};
use std::sync::Arc;
use tamis_case::{CaseReader, DocumentDetail, MessageDetail, Overview, RunRow, SearchPage};

use crate::download::{attachment_response, safe_filename};
use crate::error::ApiError;
use crate::sanitize::email_html_document;
use crate::search_params;
use crate::security::{EMAIL_HTML_CSP, SPREAD_REPORT_CSP};

pub type Case = State<Arc<CaseReader>>;
type Id = Result<Path<String>, PathRejection>;

/// Runs `work` against the case on the blocking pool.
async fn read<T, F>(case: Arc<CaseReader>, work: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce(&CaseReader) -> anyhow::Result<T> + Send + 'static,
{
    tokio::task::spawn_blocking(move || work(&case))
        .await
        .map_err(|join| ApiError::internal(anyhow::anyhow!("the case reader failed: {join}")))?
        .map_err(ApiError::internal)
}

pub async fn overview(State(case): Case) -> Result<Json<Overview>, ApiError> {
    read(case, |case| case.overview()).await.map(Json)
}

pub async fn runs(State(case): Case) -> Result<Json<Vec<RunRow>>, ApiError> {
    read(case, |case| case.runs()).await.map(Json)
}

pub async fn search(
    State(case): Case,
    RawQuery(raw): RawQuery,
) -> Result<Json<SearchPage>, ApiError> {
    let query = search_params::parse(raw.as_deref())?;
    read(case, move |case| case.search(&query)).await.map(Json)
}

pub async fn message(State(case): Case, id: Id) -> Result<Json<MessageDetail>, ApiError> {
    let id = message_id(id)?;
    read(case, move |case| case.message(id))
        .await?
        .map(Json)
        .ok_or_else(|| no_message(id))
}

/// The exact bytes of the message's first origin, named by their SHA-256
/// (computed here, so the name always matches what is served).
pub async fn message_raw(State(case): Case, id: Id) -> Result<Response, ApiError> {
    let id = message_id(id)?;
    let bytes = read(case, move |case| case.raw(id))
        .await?
        .ok_or_else(|| no_message(id))?;
    let name = format!("{}.eml", hex::encode(Sha256::digest(&bytes)));
    Ok(attachment_response(bytes, &name))
}

/// The HTML body, sanitized, as a document of its own for the sandboxed iframe.
pub async fn message_html(State(case): Case, id: Id) -> Result<Response, ApiError> {
    let id = message_id(id)?;
    let html = read(case, move |case| case.message_html(id))
        .await?
        .ok_or_else(|| {
            ApiError::not_found(format!(
                "message {id} has no HTML body, or there is no message {id}"
            ))
        })?;
    let document = tokio::task::spawn_blocking(move || email_html_document(&html))
        .await
        .map_err(|join| ApiError::internal(anyhow::anyhow!("sanitizing failed: {join}")))?;
    let headers = [
        (
            CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        ),
        (
            axum::http::header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(EMAIL_HTML_CSP),
        ),
    ];
    Ok((headers, document).into_response())
}

pub async fn attachment(State(case): Case, sha256: Id) -> Result<Response, ApiError> {
    let sha256 = sha256_param(sha256)?;
    let lookup = sha256.clone();
    let (row, bytes) = read(case, move |case| case.attachment(&lookup))
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no attachment with SHA-256 {sha256}")))?;
    let name = safe_filename(row.filename.as_deref(), &format!("{sha256}.bin"));
    Ok(attachment_response(bytes, &name))
}

/// A document (found on its own or attached): what was read in it, where
/// it was found, which messages carry it.
pub async fn document(State(case): Case, sha256: Id) -> Result<Json<DocumentDetail>, ApiError> {
    let sha256 = sha256_param(sha256)?;
    let lookup = sha256.clone();
    read(case, move |case| case.document(&lookup))
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::not_found(format!("no document with SHA-256 {sha256}")))
}

/// The amplification report attached to the case (`tamis spread --case`).
pub async fn spread_report(State(case): Case) -> Result<Response, ApiError> {
    let report = read(case, |case| case.spread_report())
        .await?
        .ok_or_else(|| {
            ApiError::not_found(
                "no spread report is attached to this case: run `tamis spread FILE... --case DIR`"
                    .to_string(),
            )
        })?;
    let headers = [
        (
            CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        ),
        (
            axum::http::header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(SPREAD_REPORT_CSP),
        ),
    ];
    Ok((headers, report).into_response())
}

pub async fn openapi() -> Response {
    (
        [(CONTENT_TYPE, HeaderValue::from_static("application/json"))],
        crate::openapi::DOCUMENT,
    )
        .into_response()
}

/// Unknown paths under `/api/` get the API's JSON error.
pub async fn not_found(OriginalUri(uri): OriginalUri) -> ApiError {
    ApiError::not_found(format!(
        "no such API route: {}; the routes are listed in /api/openapi.json",
        uri.path()
    ))
}

fn message_id(id: Id) -> Result<i64, ApiError> {
    let Path(text) = id.map_err(|rejection| ApiError::bad_request(rejection.body_text()))?;
    match text.parse::<i64>() {
        Ok(id) if id > 0 => Ok(id),
        _ => Err(ApiError::bad_request(format!(
            "`{text}` is not a message id: ids are whole numbers from 1"
        ))),
    }
}

fn sha256_param(sha256: Id) -> Result<String, ApiError> {
    let Path(text) = sha256.map_err(|rejection| ApiError::bad_request(rejection.body_text()))?;
    if text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(text.to_ascii_lowercase())
    } else {
        Err(ApiError::bad_request(format!(
            "`{text}` is not a SHA-256: attachments and documents are named by 64 \
             hexadecimal digits"
        )))
    }
}

fn no_message(id: i64) -> ApiError {
    ApiError::not_found(format!("there is no message {id} in this case"))
}
