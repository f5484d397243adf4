//! Administration from the command line, on the same database the server uses: offices,
//! staff accounts (Argon2id passwords), devices (list, revoke), and the LGPD erasure of a
//! subject's documents by the office's coordinator at the server.

use esv_shared::accounts::{self, AccountProblem};
use esv_shared::clock::Clock;
use esv_shared::sync::{Erased, Role, Scope};

use crate::auth;
use crate::db::{Db, DeviceRow, Eraser, OfficeRow, UserRow};
use crate::error::{Result, ServerError};

/// The shortest password accepted for a staff account.
pub const MIN_PASSWORD: usize = esv_shared::accounts::MIN_PASSWORD;

pub async fn add_office(db: &Db, id: &str, name: &str) -> Result<()> {
    let valid = !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !valid {
        return Err(ServerError::BadRequest(format!(
            "o identificador {id:?} deve ter só letras minúsculas sem acento, números e hífens \
             (ex.: es-vitoria)"
        )));
    }
    if id == esv_shared::sync::NATIONAL {
        return Err(ServerError::BadRequest(format!(
            "{id:?} é reservado ao catálogo nacional"
        )));
    }
    db.add_office(id, name.trim()).await
}

pub async fn offices(db: &Db) -> Result<Vec<OfficeRow>> {
    db.offices().await
}

/// Adds an account of any team role (the CLI may create a Coordinator; the app may not).
pub async fn add_user(
    db: &Db,
    username: &str,
    office: &str,
    role: Role,
    password: &str,
) -> Result<()> {
    add_named_user(db, username, None, office, role, password)
        .await
        .map(drop)
}

/// [`add_user`] with a display name ("Ana Souza"). The password is hashed off the async
/// threads (Argon2id takes a noticeable moment on purpose).
pub async fn add_named_user(
    db: &Db,
    username: &str,
    display_name: Option<&str>,
    office: &str,
    role: Role,
    password: &str,
) -> Result<UserRow> {
    if role == Role::Citizen {
        return Err(AccountProblem::CitizenHasNoAccount.into());
    }
    let username = accounts::check_username(username)?.to_owned();
    let display_name = accounts::clean_display_name(display_name)?;
    if db.office(office).await?.is_none() {
        return Err(ServerError::UnknownOffice(office.to_owned()));
    }
    accounts::check_password(password)?;
    let password = password.to_owned();
    let hash = tokio::task::spawn_blocking(move || auth::hash_password(&password)).await??;
    let user = UserRow {
        username,
        office: office.to_owned(),
        role,
        password_hash: hash,
        display_name,
        disabled_at: None,
    };
    db.add_user(&user).await?;
    Ok(user)
}

pub async fn set_password(db: &Db, username: &str, password: &str) -> Result<()> {
    accounts::check_password(password)?;
    let hash = auth::hash_password(password)?;
    if db.set_password(username, &hash).await? {
        Ok(())
    } else {
        Err(ServerError::BadRequest(format!(
            "o usuário {username} não existe"
        )))
    }
}

pub async fn users(db: &Db) -> Result<Vec<UserRow>> {
    db.users().await
}

pub async fn devices(db: &Db) -> Result<Vec<DeviceRow>> {
    db.devices().await
}

pub async fn revoke_device(db: &Db, id: &str, clock: &Clock) -> Result<()> {
    let now = clock.stamp();
    if db.revoke_device(id, &now).await? {
        Ok(())
    } else {
        Err(ServerError::BadRequest(format!(
            "o aparelho {id} não existe"
        )))
    }
}

/// Erases every document about `subject` in `office`'s private stream (`scope` "office": a
/// person) or requests stream (`scope` "citizen": a citizen device's requests), as
/// `POST /v1/erase` does; devices delete their copies on their next sync.
pub async fn erase(
    db: &Db,
    office: &str,
    scope: &str,
    subject: &str,
    clock: &Clock,
) -> Result<Erased> {
    if db.office(office).await?.is_none() {
        return Err(ServerError::UnknownOffice(office.to_owned()));
    }
    let subject = subject.trim();
    if subject.is_empty() {
        return Err(ServerError::BadRequest(
            "diga de quem são os dados a apagar (--subject)".into(),
        ));
    }
    let scope = match scope {
        "office" => Scope::Office {
            office: office.to_owned(),
        },
        "citizen" => Scope::Citizen {
            office: office.to_owned(),
            device: subject.to_owned(),
        },
        other => {
            return Err(ServerError::BadRequest(format!(
                "escopo desconhecido {other:?}: use office ou citizen"
            )))
        }
    };
    db.erase(&scope.stream(), subject, &Eraser::admin(clock.stamp()))
        .await
}
