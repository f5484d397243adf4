//! An office's accounts and devices as its Coordinator manages them from the app (`GET
//! /v1/accounts?office=…`, `POST /v1/accounts/users`, `POST /v1/accounts/users/disable`,
//! `POST /v1/accounts/users/password`, `POST /v1/accounts/devices/revoke`): the wire types, who may, and the rules a new account
//! must follow — the same checks on the device (before sending) and on the server.
//!
//! Only the server's admin CLI creates a Coordinator: an office's coordination is set up once
//! by whoever runs the server, so a stolen Coordinator device can't mint more of itself.
//! Citizen devices are anonymous and are neither listed nor revoked here.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::sync::{Principal, Role};

/// Days a disabled account's devices may still send what they hold (work done offline before
/// the person left the team) before they are treated as revoked. A lost or stolen device is
/// revoked at once instead: nothing more is taken from it.
pub const RETIRE_GRACE_DAYS: i64 = 7;

/// The shortest password accepted for a team account.
pub const MIN_PASSWORD: usize = 10;
/// The longest display name kept.
pub const MAX_DISPLAY_NAME: usize = 80;

/// A team account of the office. Never carries its password hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountUser {
    pub username: String,
    /// "Ana Souza", when the Coordinator gave one.
    #[serde(default)]
    pub display_name: Option<String>,
    pub role: Role,
    /// `false` once disabled: it can't sign in and its devices were revoked.
    pub active: bool,
}

/// A team device of the office (one sign-in of an account). Never carries its token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountDevice {
    pub id: String,
    /// "app linux", "celular da Ana".
    pub name: String,
    pub username: Option<String>,
    pub role: Role,
    pub registered_at: DateTime<Utc>,
    #[serde(default)]
    pub last_seen: Option<DateTime<Utc>>,
    #[serde(default)]
    pub revoked_at: Option<DateTime<Utc>>,
    /// Its account was disabled: it may send what it holds until then, and is revoked after.
    #[serde(default)]
    pub retire_at: Option<DateTime<Utc>>,
    /// A team device silent longer than the server's setting (`--team-idle-days`): the server
    /// refuses its token until its person signs in again, so it is not "active".
    #[serde(default)]
    pub must_sign_in_again: bool,
}

/// The answer to `GET /v1/accounts?office=…`: the office's accounts (by username) and team
/// devices (oldest first).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AccountsList {
    pub office: String,
    pub users: Vec<AccountUser>,
    pub devices: Vec<AccountDevice>,
}

/// `POST /v1/accounts/users`: a new account in the Coordinator's own office. Answers the
/// [`AccountUser`] made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewUser {
    pub username: String,
    #[serde(default)]
    pub display_name: Option<String>,
    pub role: Role,
    pub password: String,
}

/// `POST /v1/accounts/users/disable`: the account can no longer sign in and every device it
/// signed in on is revoked. Answers the [`AccountUser`], now inactive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisableUser {
    pub username: String,
}

/// `POST /v1/accounts/users/password`: a new password for a FieldWorker or Staff account (one
/// forgotten). Its devices stay signed in; to shut someone out, disable the account. Answers
/// the [`AccountUser`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetPassword {
    pub username: String,
    pub password: String,
}

/// `POST /v1/accounts/devices/revoke`: the device's next sync is refused (and an encrypted
/// store wipes itself). Answers the [`AccountDevice`], now revoked; revoking again is harmless.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevokeDevice {
    pub device: String,
}

/// Whether `who` may see and change `office`'s accounts and devices: its Coordinator only.
pub fn may_manage_accounts(who: Option<&Principal>, office: &str) -> bool {
    who.is_some_and(|p| p.role.may(crate::access::Action::ManageAccounts) && p.office == office)
}

/// Whether a Coordinator may create, disable or set the password of an account of `role` from
/// the app.
pub fn may_create_role(role: Role) -> bool {
    matches!(role, Role::FieldWorker | Role::Staff)
}

/// What anyone but the office's Coordinator reads when refused.
pub const MANAGE_REFUSED: &str =
    "Só a coordenação do Escritório Social pode ver e mudar as contas e os aparelhos da equipe.";

/// What a Coordinator reads on trying to revoke the device they are using (they would lock
/// themselves out mid-task).
pub const NOT_THIS_DEVICE: &str =
    "Este é o aparelho que você está usando: para desconectá-lo, use outro aparelho da \
     coordenação.";

/// What is wrong with a new account, in plain words.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AccountProblem {
    #[error("Escreva o nome de usuário da nova conta.")]
    NoUsername,
    #[error("O nome de usuário não pode ter espaços (ex.: ana.souza).")]
    SpaceInUsername,
    #[error("O nome de usuário pode ter no máximo 64 letras.")]
    LongUsername,
    #[error("O nome pode ter no máximo {MAX_DISPLAY_NAME} letras.")]
    LongDisplayName,
    #[error("A senha precisa ter pelo menos {MIN_PASSWORD} caracteres.")]
    ShortPassword,
    #[error(
        "Só quem administra o servidor cria contas da coordenação. Escolha Equipe de campo ou \
         Equipe do escritório."
    )]
    CoordinatorByServerOnly,
    #[error("Cidadãos não têm conta: o aparelho se registra sozinho.")]
    CitizenHasNoAccount,
}

/// The username as kept (trimmed), or why it can't be one.
pub fn check_username(username: &str) -> Result<&str, AccountProblem> {
    let username = username.trim();
    if username.is_empty() {
        return Err(AccountProblem::NoUsername);
    }
    if username.contains(char::is_whitespace) {
        return Err(AccountProblem::SpaceInUsername);
    }
    if username.chars().count() > 64 {
        return Err(AccountProblem::LongUsername);
    }
    Ok(username)
}

pub fn check_password(password: &str) -> Result<(), AccountProblem> {
    if password.chars().count() < MIN_PASSWORD {
        return Err(AccountProblem::ShortPassword);
    }
    Ok(())
}

/// The display name as kept: trimmed, `None` when blank.
pub fn clean_display_name(name: Option<&str>) -> Result<Option<String>, AccountProblem> {
    match name.map(str::trim).filter(|n| !n.is_empty()) {
        None => Ok(None),
        Some(n) if n.chars().count() > MAX_DISPLAY_NAME => Err(AccountProblem::LongDisplayName),
        Some(n) => Ok(Some(n.to_owned())),
    }
}

/// Checks a new account made from the app, and returns it cleaned (trimmed username, blank
/// display name dropped).
pub fn check_new_user(user: &NewUser) -> Result<NewUser, AccountProblem> {
    match user.role {
        Role::Coordinator => return Err(AccountProblem::CoordinatorByServerOnly),
        Role::Citizen => return Err(AccountProblem::CitizenHasNoAccount),
        Role::FieldWorker | Role::Staff => {}
    }
    let username = check_username(&user.username)?.to_owned();
    let display_name = clean_display_name(user.display_name.as_deref())?;
    check_password(&user.password)?;
    Ok(NewUser {
        username,
        display_name,
        role: user.role,
        password: user.password.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn who(role: Role, office: &str) -> Principal {
        Principal {
            device: "d".into(),
            role,
            office: office.into(),
        }
    }

    #[test]
    fn only_the_offices_coordinator_manages_its_accounts() {
        let check = |who: Option<Principal>, expect: bool| {
            assert_eq!(
                may_manage_accounts(who.as_ref(), "es-vitoria"),
                expect,
                "{who:?}"
            );
        };
        check(Some(who(Role::Coordinator, "es-vitoria")), true);
        check(Some(who(Role::Coordinator, "rr-boa-vista")), false);
        check(Some(who(Role::Staff, "es-vitoria")), false);
        check(Some(who(Role::FieldWorker, "es-vitoria")), false);
        check(Some(who(Role::Citizen, "es-vitoria")), false);
        check(None, false);
    }

    #[test]
    fn the_app_creates_team_accounts_but_never_a_coordinator() {
        assert!(may_create_role(Role::FieldWorker));
        assert!(may_create_role(Role::Staff));
        assert!(!may_create_role(Role::Coordinator));
        assert!(!may_create_role(Role::Citizen));
    }

    fn user(username: &str, role: Role, password: &str) -> NewUser {
        NewUser {
            username: username.into(),
            display_name: Some("  Dora Lima ".into()),
            role,
            password: password.into(),
        }
    }

    #[test]
    fn a_new_account_is_checked_and_cleaned() {
        let check = |u: NewUser, expect: Result<(&str, Option<&str>), AccountProblem>| {
            let got = check_new_user(&u);
            let got = got
                .as_ref()
                .map(|u| (u.username.as_str(), u.display_name.as_deref()))
                .map_err(Clone::clone);
            assert_eq!(got, expect, "{u:?}");
        };
        let ok = "uma-senha-boa";
        check(
            user(" dora ", Role::Staff, ok),
            Ok(("dora", Some("Dora Lima"))),
        );
        check(
            NewUser {
                display_name: Some("   ".into()),
                ..user("dora", Role::FieldWorker, ok)
            },
            Ok(("dora", None)),
        );
        check(user("  ", Role::Staff, ok), Err(AccountProblem::NoUsername));
        check(
            user("dora lima", Role::Staff, ok),
            Err(AccountProblem::SpaceInUsername),
        );
        check(
            user(&"d".repeat(65), Role::Staff, ok),
            Err(AccountProblem::LongUsername),
        );
        check(
            user("dora", Role::Staff, "curta"),
            Err(AccountProblem::ShortPassword),
        );
        check(
            user("dora", Role::Staff, "nove-9999"),
            Err(AccountProblem::ShortPassword),
        );
        check(
            user("dora", Role::Staff, "dez-100000"),
            Ok(("dora", Some("Dora Lima"))),
        );
        check(
            user("dora", Role::Coordinator, ok),
            Err(AccountProblem::CoordinatorByServerOnly),
        );
        check(
            user("dora", Role::Citizen, ok),
            Err(AccountProblem::CitizenHasNoAccount),
        );
        check(
            NewUser {
                display_name: Some("x".repeat(MAX_DISPLAY_NAME + 1)),
                ..user("dora", Role::Staff, ok)
            },
            Err(AccountProblem::LongDisplayName),
        );
    }
}
