//! The office's accounts and team devices, for its Coordinator from the app: `GET
//! /v1/accounts?office=…` lists them, `POST /v1/accounts/users` adds a FieldWorker or Staff
//! account, `POST /v1/accounts/users/disable` disables one (and revokes its devices), `POST
//! /v1/accounts/users/password` gives one a new password, `POST /v1/accounts/devices/revoke`
//! revokes a device as `esv-server device revoke` does. Anyone
//! else — Staff, field workers, citizens, another office's Coordinator — gets
//! [`MANAGE_REFUSED`]; no token, 401. Answers never carry a password or token hash.
//!
//! Only the CLI makes a Coordinator, and a Coordinator's account is not changed from the app
//! (see `esv_shared::accounts`). A Coordinator never revokes the device they are using: they
//! would lock themselves out mid-task. An account added twice (a lost answer, sent again) gets
//! "já existe" the second time, and nothing changes.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Query, State};
use axum::Json;
use chrono::{DateTime, Utc};
use esv_shared::accounts::{
    may_create_role, may_manage_accounts, AccountDevice, AccountUser, AccountsList, DisableUser,
    NewUser, RevokeDevice, SetPassword, MANAGE_REFUSED, NOT_THIS_DEVICE, RETIRE_GRACE_DAYS,
};
use serde::Deserialize;

use crate::admin;
use crate::auth::{self, Signed};
use crate::body::parse;
use crate::db::{DeviceRow, UserRow};
use crate::error::{Result, ServerError};
use crate::state::AppState;

/// The Coordinator behind the request's token, for `office` (their own when `None`).
fn coordinator(device: DeviceRow, office: Option<&str>) -> Result<DeviceRow> {
    let office = office.unwrap_or(&device.office).to_owned();
    if !may_manage_accounts(Some(&device.principal()), &office) {
        return Err(ServerError::Refused(MANAGE_REFUSED.to_owned()));
    }
    Ok(device)
}

fn instant(text: &str) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| ServerError::Config(format!("data guardada ilegível {text:?}: {e}")))
}

fn user_out(u: UserRow) -> AccountUser {
    AccountUser {
        username: u.username,
        display_name: u.display_name,
        role: u.role,
        active: u.disabled_at.is_none(),
    }
}

/// A device as the Coordinator's list shows it, as of `now`, with the server's idle setting.
fn device_out(d: DeviceRow, now: DateTime<Utc>, idle_days: u32) -> Result<AccountDevice> {
    let must_sign_in_again = d.revoked_at.is_none()
        && d.retire_at.is_none()
        && crate::auth::must_sign_in_again(&d, now, idle_days);
    Ok(AccountDevice {
        must_sign_in_again,
        registered_at: instant(&d.created_at)?,
        last_seen: d.last_seen.as_deref().map(instant).transpose()?,
        revoked_at: d.revoked_at.as_deref().map(instant).transpose()?,
        retire_at: d.retire_at.as_deref().map(instant).transpose()?,
        id: d.id,
        name: d.name,
        username: d.username,
        role: d.role,
    })
}

#[derive(Debug, Deserialize)]
pub struct ListQuery {
    office: String,
}

/// `GET /v1/accounts?office=…`: the office's accounts and team devices.
pub async fn list(
    State(state): State<AppState>,
    Signed(device): Signed,
    Query(query): Query<ListQuery>,
) -> Result<Json<AccountsList>> {
    coordinator(device, Some(&query.office))?;
    let users = state.db.office_users(&query.office).await?;
    let devices = state.db.office_team_devices(&query.office).await?;
    Ok(Json(AccountsList {
        office: query.office,
        users: users.into_iter().map(user_out).collect(),
        devices: devices
            .into_iter()
            .map(|d| device_out(d, state.clock.now(), state.settings.team_idle_days))
            .collect::<Result<_>>()?,
    }))
}

/// `POST /v1/accounts/users`: a FieldWorker or Staff account in the Coordinator's office.
pub async fn add_user(
    State(state): State<AppState>,
    Signed(device): Signed,
    body: std::result::Result<Bytes, BytesRejection>,
) -> Result<Json<AccountUser>> {
    let coordinator = coordinator(device, None)?;
    let request: NewUser = parse(body)?;
    let user = esv_shared::accounts::check_new_user(&request)?;
    let row = admin::add_named_user(
        &state.db,
        &user.username,
        user.display_name.as_deref(),
        &coordinator.office,
        user.role,
        &user.password,
    )
    .await?;
    Ok(Json(user_out(row)))
}

/// A FieldWorker or Staff account of `office`: another office's is "not found", exactly like
/// one that does not exist; a Coordinator's is the CLI's to change.
async fn team_user(state: &AppState, office: &str, username: &str) -> Result<UserRow> {
    let username = username.trim();
    let user = state
        .db
        .user(username)
        .await?
        .filter(|u| u.office == office)
        .ok_or_else(|| {
            ServerError::NotFound(format!("Não há conta {username} neste escritório."))
        })?;
    if !may_create_role(user.role) {
        return Err(ServerError::Refused(
            "Contas da coordenação só são mudadas por quem administra o servidor.".into(),
        ));
    }
    Ok(user)
}

/// `POST /v1/accounts/users/disable`: the account can't sign in any more; each of its devices
/// may still send what it holds for [`RETIRE_GRACE_DAYS`] (work done offline before the person
/// left), receives nothing more, and wipes itself once it has sent it all — or is revoked
/// when the days are over. (A lost or stolen device is revoked at once: `revoke_device`.)
/// Only FieldWorker and Staff accounts of the Coordinator's office.
pub async fn disable_user(
    State(state): State<AppState>,
    Signed(device): Signed,
    body: std::result::Result<Bytes, BytesRejection>,
) -> Result<Json<AccountUser>> {
    let coordinator = coordinator(device, None)?;
    let request: DisableUser = parse(body)?;
    let user = team_user(&state, &coordinator.office, &request.username).await?;
    let retire_at = (state.clock.now() + chrono::Duration::days(RETIRE_GRACE_DAYS))
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    state
        .db
        .disable_user(&user.username, &state.now(), &retire_at)
        .await?;
    let user = state
        .db
        .user(&user.username)
        .await?
        .ok_or_else(|| ServerError::Config(format!("a conta {} sumiu", user.username)))?;
    Ok(Json(user_out(user)))
}

/// `POST /v1/accounts/users/password`: a new password for a FieldWorker or Staff account of
/// the Coordinator's office (one forgotten); its devices stay signed in.
pub async fn set_password(
    State(state): State<AppState>,
    Signed(device): Signed,
    body: std::result::Result<Bytes, BytesRejection>,
) -> Result<Json<AccountUser>> {
    let coordinator = coordinator(device, None)?;
    let request: SetPassword = parse(body)?;
    let user = team_user(&state, &coordinator.office, &request.username).await?;
    esv_shared::accounts::check_password(&request.password)?;
    let password = request.password;
    let hash = tokio::task::spawn_blocking(move || auth::hash_password(&password)).await??;
    state.db.set_password(&user.username, &hash).await?;
    Ok(Json(user_out(user)))
}

async fn team_device(state: &AppState, office: &str, id: &str) -> Result<Option<DeviceRow>> {
    Ok(state
        .db
        .office_team_devices(office)
        .await?
        .into_iter()
        .find(|d| d.id == id))
}

/// `POST /v1/accounts/devices/revoke`: a team device of the Coordinator's office. A device of
/// another office is "not found" here, exactly like one that does not exist.
pub async fn revoke_device(
    State(state): State<AppState>,
    Signed(device): Signed,
    body: std::result::Result<Bytes, BytesRejection>,
) -> Result<Json<AccountDevice>> {
    let coordinator = coordinator(device, None)?;
    let request: RevokeDevice = parse(body)?;
    let id = request.device.trim();
    if id == coordinator.id {
        return Err(ServerError::Refused(NOT_THIS_DEVICE.to_owned()));
    }
    if team_device(&state, &coordinator.office, id)
        .await?
        .is_none()
    {
        return Err(ServerError::NotFound(format!(
            "Nenhum aparelho da equipe deste escritório tem o código {id}."
        )));
    }
    state.db.revoke_device(id, &state.now()).await?;
    let device = team_device(&state, &coordinator.office, id)
        .await?
        .ok_or_else(|| ServerError::Config(format!("o aparelho {id} sumiu")))?;
    Ok(Json(device_out(
        device,
        state.clock.now(),
        state.settings.team_idle_days,
    )?))
}
