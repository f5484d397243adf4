//! The audit log of openings of a person's record: `POST /v1/audit` takes a team device's
//! entries (the server adds the device, its account and office from the bearer token) and
//! `GET /v1/audit?office=…` answers them to that office's Coordinator only. The server never
//! reads documents (invariant 9): a device tells which person id it opened, nothing more.
//!
//! An erasure of a person (`/v1/erase`) leaves their entries: the log must show who looked,
//! and an entry holds only the person's random id — never a name or anything else about them.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Query, State};
use axum::Json;
use esv_shared::audit::{
    may_read_audit, may_write_audit, AuditAccepted, AuditLog, AuditPush, MAX_PUSH, READ_REFUSED,
};
use serde::Deserialize;

use crate::auth::Signed;
use crate::body::parse;
use crate::error::{Result, ServerError};
use crate::state::AppState;

/// `POST /v1/audit`: a team device's openings, all on record or none.
pub async fn push(
    State(state): State<AppState>,
    Signed(device): Signed,
    body: std::result::Result<Bytes, BytesRejection>,
) -> Result<Json<AuditAccepted>> {
    let now = state.now();
    if !may_write_audit(&device.principal()) {
        return Err(ServerError::Forbidden(
            "registrar aberturas de cadastro (só a equipe do escritório)".into(),
        ));
    }
    let push: AuditPush = parse(body)?;
    if push.entries.len() > MAX_PUSH {
        return Err(ServerError::BadRequest(format!(
            "no máximo {MAX_PUSH} registros por envio"
        )));
    }
    if push
        .entries
        .iter()
        .any(|e| e.id.trim().is_empty() || e.person_id.trim().is_empty())
    {
        return Err(ServerError::BadRequest(
            "cada registro precisa de um id e do id da pessoa".into(),
        ));
    }
    let accepted = state.db.add_audit(&device, push.entries, &now).await?;
    Ok(Json(AuditAccepted { accepted }))
}

#[derive(Debug, Deserialize)]
pub struct LogQuery {
    office: String,
}

/// `GET /v1/audit?office=…`: the office's log, newest first, for its Coordinator.
pub async fn log(
    State(state): State<AppState>,
    Signed(device): Signed,
    Query(query): Query<LogQuery>,
) -> Result<Json<AuditLog>> {
    if !may_read_audit(Some(&device.principal()), &query.office) {
        return Err(ServerError::Refused(READ_REFUSED.to_owned()));
    }
    let entries = state.db.audit_log(&query.office).await?;
    Ok(Json(AuditLog { entries }))
}
