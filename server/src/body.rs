//! Reading a request's body: its bytes (cut or too large is a plain "bad request") and its
//! JSON, with what was wrong said.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use serde::de::DeserializeOwned;

use crate::error::{Result, ServerError};

/// The body's bytes, or a plain "bad request" (a cut gzip stream, more than [`MAX_BODY`]).
pub(crate) fn body_bytes(body: std::result::Result<Bytes, BytesRejection>) -> Result<Bytes> {
    body.map_err(|e| {
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

pub(crate) fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T> {
    serde_json::from_slice(bytes)
        .map_err(|e| ServerError::BadRequest(format!("o corpo não é o JSON esperado: {e}")))
}
