//! The audit log of reads of a person's data: `POST /v1/audit` takes a team device's entries
//! (the server adds the device, its account and office from the bearer token, and its own
//! time of arrival, which orders the log: a device's clock can be wrong or set back) and
//! `GET /v1/audit?office=…[&before=…]` answers them a page at a time to that office's
//! Coordinator only. The server never
//! reads documents (invariant 9): a device tells which person id it opened, nothing more.
//!
//! An erasure of a person (`/v1/erase`) leaves their entries: the log must show who looked,
//! and an entry holds only the person's random id — never a name or anything else about them.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Query, State};
use axum::Json;
use esv_shared::audit::{
    may_read_audit, may_write_audit, AuditAccepted, AuditLog, AuditPush, MAX_ID, MAX_PUSH, PAGE,
    READ_REFUSED,
};
use serde::Deserialize;

use crate::auth::Signed;
use crate::body::parse;
use crate::db::AuditCursor;
use crate::error::{Result, ServerError};
use crate::state::AppState;

/// `POST /v1/audit`: a team device's openings, all on record or none — a device of a disabled
/// account too, within its grace period: what it opened stays on record.
pub async fn push(
    State(state): State<AppState>,
    crate::auth::Syncing(device): crate::auth::Syncing,
    body: std::result::Result<Bytes, BytesRejection>,
) -> Result<Json<AuditAccepted>> {
    let device = device.ok_or(ServerError::Unauthorized)?;
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
    let bad_id = |id: &str| id.trim().is_empty() || id.len() > MAX_ID;
    if push
        .entries
        .iter()
        .any(|e| bad_id(&e.id) || bad_id(&e.person_id))
    {
        return Err(ServerError::BadRequest(format!(
            "cada registro precisa de um id e do id da pessoa, de até {MAX_ID} caracteres"
        )));
    }
    let accepted = state.db.add_audit(&device, push.entries, &now).await?;
    Ok(Json(AuditAccepted { accepted }))
}

#[derive(Debug, Deserialize)]
pub struct LogQuery {
    office: String,
    /// The `next` of the page before.
    #[serde(default)]
    before: Option<String>,
}

/// `GET /v1/audit?office=…[&before=…]`: a page of the office's log, last arrived first, for
/// its Coordinator.
pub async fn log(
    State(state): State<AppState>,
    Signed(device): Signed,
    Query(query): Query<LogQuery>,
) -> Result<Json<AuditLog>> {
    if !may_read_audit(Some(&device.principal()), &query.office) {
        return Err(ServerError::Refused(READ_REFUSED.to_owned()));
    }
    let before = query
        .before
        .as_deref()
        .map(|text| {
            serde_json::from_str::<AuditCursor>(text).map_err(|_| {
                ServerError::BadRequest("página do registro de acessos ilegível".into())
            })
        })
        .transpose()?;
    let mut entries = state.db.audit_log(&query.office, before, PAGE + 1).await?;
    let next = if entries.len() > PAGE {
        entries.truncate(PAGE);
        entries.last().map(|e| {
            let cursor: AuditCursor = (
                e.received_at
                    .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
                    .unwrap_or_default(),
                e.device.clone(),
                e.id.clone(),
            );
            serde_json::to_string(&cursor).unwrap_or_default()
        })
    } else {
        None
    };
    Ok(Json(AuditLog { entries, next }))
}
