//! Reading a request's body: its bytes (too large is a plain 413 naming the limit, cut a plain
//! "bad request") and its JSON, with what was wrong said; the limits, one for open endpoints.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use serde::de::DeserializeOwned;

use crate::error::{Result, ServerError};

/// The largest body the server reads, after decompression.
pub const MAX_BODY: usize = 64 * 1024 * 1024;
/// The largest body an open endpoint (`/v1/login`, `/v1/devices`: no token needed) reads,
/// after decompression: a username and password, or a device's id and token, fit many times.
pub const OPEN_BODY: usize = 16 * 1024;

/// The body's bytes; over [`MAX_BODY`] (after decompression) a plain 413, and a plain "bad
/// request" for anything else (a cut gzip stream).
pub(crate) fn body_bytes(body: std::result::Result<Bytes, BytesRejection>) -> Result<Bytes> {
    within(body, MAX_BODY)
}

/// The body's bytes on a route limited to `limit` bytes.
fn within(body: std::result::Result<Bytes, BytesRejection>, limit: usize) -> Result<Bytes> {
    body.map_err(|e| {
        if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
            return ServerError::TooLarge(limit);
        }
        ServerError::BadRequest(format!(
            "o corpo não pôde ser lido (danificado ou grande demais): {e}"
        ))
    })
}

/// A JSON body, or a plain "bad request" that says what was wrong with it.
pub(crate) fn parse<T: DeserializeOwned>(
    body: std::result::Result<Bytes, BytesRejection>,
) -> Result<T> {
    parse_json(&body_bytes(body)?)
}

/// A JSON body of an open endpoint, whose route is limited to [`OPEN_BODY`].
pub(crate) fn parse_open<T: DeserializeOwned>(
    body: std::result::Result<Bytes, BytesRejection>,
) -> Result<T> {
    parse_json(&within(body, OPEN_BODY)?)
}

pub(crate) fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T> {
    serde_json::from_slice(bytes)
        .map_err(|e| ServerError::BadRequest(format!("o corpo não é o JSON esperado: {e}")))
}
