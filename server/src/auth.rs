//! Passwords (Argon2id, PHC strings), device tokens (random, stored only as SHA-256), and
//! finding who is asking from the `Authorization: Bearer` header.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::HeaderMap;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use sha2::{Digest, Sha256};

use crate::db::{Db, DeviceRow};
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
/// unknown or revoked one, or one of a disabled account whose grace period is over. A device
/// still within it comes back with `retire_at` set: only [`Syncing`] lets it through.
pub async fn device(db: &Db, headers: &HeaderMap, now: &str) -> Result<Option<DeviceRow>> {
    let Some(value) = headers.get(axum::http::header::AUTHORIZATION) else {
        return Ok(None);
    };
    let token = value
        .to_str()
        .ok()
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or(ServerError::Unauthorized)?;
    let device = db
        .device_by_token(&token_hash(token.trim()), now)
        .await?
        .ok_or(ServerError::Unauthorized)?;
    if device.revoked_at.is_some() {
        return Err(ServerError::DeviceRevoked);
    }
    if let Some(retire_at) = &device.retire_at {
        if !within(now, retire_at) {
            return Err(ServerError::DeviceRevoked);
        }
    }
    Ok(Some(device))
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
        Ok(Syncing(
            device(&state.db, &parts.headers, &state.now()).await?,
        ))
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
