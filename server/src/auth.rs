//! Passwords (Argon2id, PHC strings), device tokens (random, stored only as SHA-256), and
//! finding who is asking from the `Authorization: Bearer` header.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::HeaderMap;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use esv_shared::sync::Role;
use sha2::{Digest, Sha256};

use crate::db::DeviceRow;
use crate::error::{Result, ServerError};
use crate::state::AppState;

fn random<const N: usize>() -> Result<[u8; N]> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|e| ServerError::Random(e.to_string()))?;
    Ok(bytes)
}

/// An Argon2id hash of `password` with a fresh salt.
pub fn hash_password(password: &str) -> Result<String> {
    let salt =
        SaltString::encode_b64(&random::<16>()?).map_err(|e| ServerError::Random(e.to_string()))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| ServerError::Random(e.to_string()))
}

/// Whether `password` matches `hash`. A malformed hash never matches.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Spends the same time as a real check, so a missing user can't be told from a wrong
/// password by timing.
pub fn verify_dummy(password: &str) {
    const DUMMY: &str =
        "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$0pCA/bEkOuPYD2V1QqdNjA3rZZo1FuF3WH1Ty2C8yJY";
    let _ = verify_password(password, DUMMY);
}

/// A new device id and bearer token.
pub fn new_device() -> Result<(String, String)> {
    let id = format!("dev-{}", hex(&random::<10>()?));
    let token = URL_SAFE_NO_PAD.encode(random::<32>()?);
    Ok((id, token))
}

/// What the database keeps of a token.
pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The device behind the request's bearer token: `None` without a token; an error for an
/// unknown or revoked one, one of a disabled account whose grace period is over, and a team
/// device idle too long ([`must_sign_in_again`]). A device of a disabled account still within
/// its grace days comes back with `retire_at` set: only [`Syncing`] lets it through. A device
/// let in is marked seen now.
pub async fn device(state: &AppState, headers: &HeaderMap) -> Result<Option<DeviceRow>> {
    let Some(value) = headers.get(axum::http::header::AUTHORIZATION) else {
        return Ok(None);
    };
    let token = value
        .to_str()
        .ok()
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or(ServerError::Unauthorized)?;
    let device = state
        .db
        .device_by_token(&token_hash(token.trim()))
        .await?
        .ok_or(ServerError::Unauthorized)?;
    if device.revoked_at.is_some() {
        return Err(ServerError::DeviceRevoked);
    }
    if let Some(retire_at) = &device.retire_at {
        if !within(&state.now(), retire_at) {
            return Err(ServerError::DeviceRevoked);
        }
    }
    let days = state.settings.team_idle_days;
    if must_sign_in_again(&device, state.clock.now(), days) {
        // Not marked seen: the token stays refused, however often it comes back.
        return Err(ServerError::SignInAgain(days));
    }
    state.db.touch_device(&device.id, &state.now()).await?;
    Ok(Some(device))
}

/// Whether a team device (field worker, staff, coordinator) has gone more than `idle_days`
/// without contacting the server (since its sign-in, if never): a phone left in a drawer or
/// lost unnoticed stops being a key to the office's people. Citizen devices keep their token —
/// they hold only their own requests, and losing it would orphan them. A stamp that can't be
/// read counts as idle.
pub fn must_sign_in_again(device: &DeviceRow, now: DateTime<Utc>, idle_days: u32) -> bool {
    if device.role == Role::Citizen {
        return false;
    }
    let last = device.last_seen.as_deref().unwrap_or(&device.created_at);
    DateTime::parse_from_rfc3339(last).map_or(true, |seen| {
        now - seen.with_timezone(&Utc) > Duration::days(i64::from(idle_days))
    })
}

/// Whether `now` is before `until` (both as the server stores instants); an unreadable one is
/// over, so a damaged row never keeps a device of a disabled account syncing.
fn within(now: &str, until: &str) -> bool {
    let at = |t: &str| chrono::DateTime::parse_from_rfc3339(t).ok();
    matches!((at(now), at(until)), (Some(now), Some(until)) if now < until)
}

/// The device behind a sync: as [`Caller`], and also a device of a disabled account within its
/// grace period (it may send what it still holds; the handler sends it nothing).
pub struct Syncing(pub Option<DeviceRow>);

impl FromRequestParts<AppState> for Syncing {
    type Rejection = ServerError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> std::result::Result<Syncing, ServerError> {
        let device = device(state, &parts.headers).await?;
        if let (Some(d), Some(who)) = (&device, parts.extensions.get::<crate::log::Who>()) {
            who.note(&d.id);
        }
        Ok(Syncing(device))
    }
}

/// The device behind the request, if it sent a token (anyone may read the public catalog):
/// an extractor, so every handler asks the same way; an unknown or revoked token is refused.
pub struct Caller(pub Option<DeviceRow>);

/// A signed-in device: as [`Caller`], and no token is "unauthorized".
pub struct Signed(pub DeviceRow);

impl FromRequestParts<AppState> for Caller {
    type Rejection = ServerError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> std::result::Result<Caller, ServerError> {
        let Syncing(device) = Syncing::from_request_parts(parts, state).await?;
        if device.as_ref().is_some_and(|d| d.retire_at.is_some()) {
            return Err(ServerError::AccountDisabled);
        }
        Ok(Caller(device))
    }
}

impl FromRequestParts<AppState> for Signed {
    type Rejection = ServerError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> std::result::Result<Signed, ServerError> {
        let Caller(device) = Caller::from_request_parts(parts, state).await?;
        device.map(Signed).ok_or(ServerError::Unauthorized)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_matches_its_hash_and_nothing_else() {
        let hash = hash_password("correta cavalo bateria").expect("hash");
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert!(verify_password("correta cavalo bateria", &hash));
        assert!(!verify_password("Correta cavalo bateria", &hash));
        assert!(!verify_password("", &hash));
        assert!(!verify_password("correta cavalo bateria", "not a hash"));
        assert_ne!(
            hash,
            hash_password("correta cavalo bateria").expect("hash"),
            "salted"
        );
    }

    #[test]
    fn a_team_device_idle_past_the_setting_must_sign_in_again_a_citizen_never() {
        let device = |role: Role, last_seen: Option<&str>| DeviceRow {
            id: "dev-1".into(),
            office: "es-vitoria".into(),
            role,
            username: None,
            name: "x".into(),
            created_at: "2026-11-01T12:00:00Z".into(),
            last_seen: last_seen.map(str::to_owned),
            revoked_at: None,
            retire_at: None,
        };
        let now: DateTime<Utc> = "2026-12-01T13:00:00Z".parse().expect("instant");
        let check = |role, seen: Option<&str>, days, expect: bool| {
            let got = must_sign_in_again(&device(role, seen), now, days);
            assert_eq!(got, expect, "{role:?} seen {seen:?}, {days} days");
        };
        use Role::*;
        check(FieldWorker, Some("2026-11-01T13:00:01Z"), 30, false);
        check(FieldWorker, Some("2026-11-01T12:59:59Z"), 30, true);
        check(Staff, None, 30, true); // never seen since its sign-in, 30 days and an hour ago
        check(Staff, None, 31, false);
        check(Coordinator, Some("2026-11-30T00:00:00Z"), 1, true);
        check(Coordinator, Some("ontem"), 30, true);
        check(Citizen, Some("2020-01-01T00:00:00Z"), 30, false);
        check(Citizen, None, 1, false);
    }

    #[test]
    fn tokens_are_random_and_only_their_hash_is_kept() {
        let (id1, t1) = new_device().expect("device");
        let (id2, t2) = new_device().expect("device");
        assert_ne!(id1, id2);
        assert_ne!(t1, t2);
        assert_eq!(t1.len(), 43);
        assert_eq!(token_hash(&t1), token_hash(&t1));
        assert_ne!(token_hash(&t1), token_hash(&t2));
        assert!(!token_hash(&t1).contains(&t1));
    }
}
