//! The one error shape of the API: a status and a sentence saying what was
//! wrong and what to do, as `{"error": "...", "status": 400}`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub message: String,
}

impl ApiError {
    pub fn bad_request(message: impl Into<String>) -> Self {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            message: message.into(),
        }
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        ApiError {
            status: StatusCode::NOT_FOUND,
            message: message.into(),
        }
    }

    /// A failure reading the case. The chain of causes is shown: the server
    /// is a local tool, and "internal error" alone would leave the user stuck.
    pub fn internal(error: anyhow::Error) -> Self {
        eprintln!("tamis serve: error: {error:#}");
        ApiError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            message: format!("the case could not be read: {error:#}"),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({
            "error": self.message,
            "status": self.status.as_u16(),
        });
        (self.status, Json(body)).into_response()
    }
}
