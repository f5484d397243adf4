//! The office's accounts and team devices as its Coordinator manages them from the app: the
//! list ready for the screen (times in the office's zone, "este aparelho" marked), revoking a
//! device, adding and disabling an account, giving one a new password. The server decides who may (its Coordinator);
//! the device checks a new account's form first, in the same words as the server.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use esv_shared::accounts::{
    check_new_user, check_password, check_username, may_create_role, AccountDevice, AccountUser,
    AccountsList, DisableUser, NewUser, RevokeDevice, SetPassword, NOT_THIS_DEVICE,
};
use esv_shared::ipc::accounts::{
    AccountDeviceView, AccountUserView, AccountsView, NewUserInput, RoleChoice,
};
use esv_shared::locale::Locale;
use esv_shared::sync::Role;

use crate::error::{ReplicaError, Result};
use crate::session::role_label_in;
use crate::store::Store;
use crate::sync::{Account, Remote, SyncError};

/// An active device silent for longer than this gets a note (lost, or forgotten in a drawer).
const IDLE_DAYS: i64 = 30;

/// The roles a Coordinator may give a new account from the app.
const CREATABLE: [Role; 2] = [Role::FieldWorker, Role::Staff];

fn when(locale: Locale, at: DateTime<Utc>, tz: Tz) -> String {
    let format = match locale {
        Locale::PtBr => "%d/%m/%Y às %Hh%M",
        Locale::Es => "%d/%m/%Y a las %H:%M",
    };
    at.with_timezone(&tz).format(format).to_string()
}

fn user_view(locale: Locale, u: AccountUser) -> AccountUserView {
    let status = match (locale, u.active) {
        (Locale::PtBr, true) => "Ativa",
        (Locale::PtBr, false) => "Desativada",
        (Locale::Es, true) => "Activa",
        (Locale::Es, false) => "Desactivada",
    };
    AccountUserView {
        name_label: u.display_name.clone().unwrap_or_else(|| u.username.clone()),
        role_label: role_label_in(u.role, locale).to_owned(),
        status_label: status.to_owned(),
        may_disable: u.active && may_create_role(u.role),
        username: u.username,
        display_name: u.display_name,
        role: u.role,
        active: u.active,
    }
}

/// `idle_note` is the caller's: only the list knows `now`.
fn device_view(locale: Locale, d: AccountDevice, tz: Tz, this_device: &str) -> AccountDeviceView {
    let this = d.id == this_device;
    let es = locale == Locale::Es;
    let at = |t| when(locale, t, tz);
    let last_seen_label = match (d.last_seen, es) {
        (None, false) => "Ainda não sincronizou".to_owned(),
        (None, true) => "Todavía no se sincronizó".to_owned(),
        (Some(t), false) => format!("Última sincronização em {}", at(t)),
        (Some(t), true) => format!("Última sincronización el {}", at(t)),
    };
    let status_label = match (d.revoked_at, d.retire_at, es) {
        (Some(t), _, false) => format!("Desconectado em {}", at(t)),
        (Some(t), _, true) => format!("Desconectado el {}", at(t)),
        (None, Some(t), false) => format!(
            "Conta desativada: envia o que guarda até {} e depois apaga os dados",
            at(t)
        ),
        (None, Some(t), true) => format!(
            "Cuenta desactivada: envía lo que guarda hasta el {} y después borra los datos",
            at(t)
        ),
        (None, None, false) if d.must_sign_in_again => {
            "Precisa entrar de novo: ficou tempo demais sem sincronizar".to_owned()
        }
        (None, None, true) if d.must_sign_in_again => {
            "Tiene que entrar de nuevo: pasó demasiado tiempo sin sincronizar".to_owned()
        }
        (None, None, false) => "Ativo".to_owned(),
        (None, None, true) => "Activo".to_owned(),
    };
    AccountDeviceView {
        role_label: role_label_in(d.role, locale).to_owned(),
        registered_label: match locale {
            Locale::PtBr => format!("Conectado em {}", at(d.registered_at)),
            Locale::Es => format!("Conectado el {}", at(d.registered_at)),
        },
        last_seen_label,
        revoked: d.revoked_at.is_some(),
        status_label,
        idle_note: None,
        this_device: this,
        this_device_label: this.then(|| {
            match locale {
                Locale::PtBr => "este aparelho",
                Locale::Es => "este dispositivo",
            }
            .to_owned()
        }),
        may_revoke: d.revoked_at.is_none() && !this,
        id: d.id,
        name: d.name,
        username: d.username,
        role: d.role,
    }
}

fn idle_note(locale: Locale, d: &AccountDevice, now: DateTime<Utc>) -> Option<String> {
    if d.revoked_at.is_some() {
        return None;
    }
    let days = (now - d.last_seen.unwrap_or(d.registered_at)).num_days();
    (days > IDLE_DAYS).then(|| match locale {
        Locale::PtBr => format!("Sem sincronizar há {days} dias"),
        Locale::Es => format!("Sin sincronizar hace {days} días"),
    })
}

fn bad(text: impl Into<String>) -> ReplicaError {
    ReplicaError::BadInput(text.into())
}

impl Store {
    fn signed_in(&self) -> Result<(Account, Remote)> {
        let account = self.account()?.ok_or(SyncError::NotSignedIn)?;
        let remote = Remote::new(&account.server)?;
        Ok((account, remote))
    }

    /// The office's accounts and team devices from the server — for its Coordinator; anyone
    /// else gets the server's refusal in plain words.
    pub fn accounts(&self) -> Result<AccountsList> {
        let (account, remote) = self.signed_in()?;
        Ok(remote.accounts(&account.session.token, &account.session.office)?)
    }

    /// [`Store::accounts`] as the Coordinator's screen shows it: active devices first, this
    /// device marked, silent ones noted (as of `now`).
    pub fn accounts_view(&mut self, now: DateTime<Utc>) -> Result<AccountsView> {
        let list = self.accounts()?;
        let this = self
            .account()?
            .map(|a| a.session.device)
            .unwrap_or_default();
        let tz = self.office_tz(&list.office);
        let locale = self.locale;
        let office = self
            .index()
            .ok()
            .and_then(|i| i.providers.get(&list.office).map(|p| p.name().to_owned()))
            .unwrap_or_else(|| list.office.clone());
        let mut devices: Vec<AccountDeviceView> = list
            .devices
            .into_iter()
            .map(|d| {
                let note = idle_note(locale, &d, now);
                AccountDeviceView {
                    idle_note: note,
                    ..device_view(locale, d, tz, &this)
                }
            })
            .collect();
        devices.sort_by_key(|d| d.revoked);
        Ok(AccountsView {
            office_id: list.office,
            office,
            users: list
                .users
                .into_iter()
                .map(|u| user_view(locale, u))
                .collect(),
            devices,
            roles: CREATABLE
                .iter()
                .map(|r| RoleChoice {
                    value: r.as_str().to_owned(),
                    label: role_label_in(*r, locale).to_owned(),
                })
                .collect(),
        })
    }

    /// Revokes a team device of the office: its next sync is refused and, if its store is
    /// encrypted, it wipes itself. Never this very device.
    pub fn revoke_device(&mut self, id: &str) -> Result<AccountDeviceView> {
        let id = id.trim();
        if id.is_empty() {
            return Err(bad("Escolha o aparelho a desconectar."));
        }
        let (account, remote) = self.signed_in()?;
        if id == account.session.device {
            return Err(bad(NOT_THIS_DEVICE));
        }
        let device = remote.revoke_device(
            &account.session.token,
            &RevokeDevice {
                device: id.to_owned(),
            },
        )?;
        let tz = self.office_tz(&account.session.office);
        Ok(device_view(
            self.locale,
            device,
            tz,
            &account.session.device,
        ))
    }

    /// Adds a FieldWorker or Staff account to the office, after checking the form here.
    pub fn add_user(&self, input: &NewUserInput) -> Result<AccountUserView> {
        check_username(&input.username).map_err(|e| bad(e.to_string()))?;
        let role = Role::parse(input.role.trim()).ok_or_else(|| {
            bad("Escolha o papel da nova conta: Equipe de campo ou Equipe do escritório.")
        })?;
        let user = check_new_user(&NewUser {
            username: input.username.clone(),
            display_name: input.display_name.clone(),
            role,
            password: input.password.clone(),
        })
        .map_err(|e| bad(e.to_string()))?;
        let (account, remote) = self.signed_in()?;
        Ok(user_view(
            self.locale,
            remote.add_account(&account.session.token, &user)?,
        ))
    }

    /// Disables a FieldWorker or Staff account of the office and revokes its devices.
    pub fn disable_user(&self, username: &str) -> Result<AccountUserView> {
        let username = check_username(username).map_err(|e| bad(e.to_string()))?;
        let (account, remote) = self.signed_in()?;
        Ok(user_view(
            self.locale,
            remote.disable_account(
                &account.session.token,
                &DisableUser {
                    username: username.to_owned(),
                },
            )?,
        ))
    }

    /// A new password for a FieldWorker or Staff account of the office (one forgotten); its
    /// devices stay signed in.
    pub fn reset_password(&self, username: &str, password: &str) -> Result<AccountUserView> {
        let username = check_username(username).map_err(|e| bad(e.to_string()))?;
        check_password(password).map_err(|e| bad(e.to_string()))?;
        let (account, remote) = self.signed_in()?;
        Ok(user_view(
            self.locale,
            remote.set_account_password(
                &account.session.token,
                &SetPassword {
                    username: username.to_owned(),
                    password: password.to_owned(),
                },
            )?,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().expect("instant")
    }

    fn device(id: &str, seen: Option<&str>, revoked: Option<&str>) -> AccountDevice {
        AccountDevice {
            id: id.into(),
            name: "celular".into(),
            username: Some("ana".into()),
            role: Role::FieldWorker,
            registered_at: at("2026-10-01T17:05:00Z"),
            last_seen: seen.map(at),
            revoked_at: revoked.map(at),
            retire_at: None,
            must_sign_in_again: false,
        }
    }

    #[test]
    fn a_device_the_server_asks_to_sign_in_again_is_not_called_active() {
        let tz = chrono_tz::America::Sao_Paulo;
        let quiet = AccountDevice {
            must_sign_in_again: true,
            ..device("d2", Some("2026-10-02T12:00:00Z"), None)
        };
        assert_eq!(
            device_view(Locale::PtBr, quiet, tz, "d1").status_label,
            "Precisa entrar de novo: ficou tempo demais sem sincronizar"
        );
        let fresh = device("d3", Some("2026-12-01T12:00:00Z"), None);
        assert_eq!(
            device_view(Locale::PtBr, fresh, tz, "d1").status_label,
            "Ativo"
        );
    }

    #[test]
    fn a_device_reads_in_the_offices_time_and_marks_itself() {
        let tz = chrono_tz::America::Sao_Paulo;
        let v = device_view(
            Locale::PtBr,
            device("d1", Some("2026-12-01T17:05:00Z"), None),
            tz,
            "d1",
        );
        assert_eq!(v.registered_label, "Conectado em 01/10/2026 às 14h05");
        assert_eq!(
            v.last_seen_label,
            "Última sincronização em 01/12/2026 às 14h05"
        );
        assert_eq!(v.status_label, "Ativo");
        assert_eq!(v.role_label, "Equipe de campo");
        assert!(v.this_device && !v.may_revoke);
        assert_eq!(v.this_device_label.as_deref(), Some("este aparelho"));

        let v = device_view(
            Locale::PtBr,
            device("d2", None, Some("2026-12-01T12:00:00Z")),
            chrono_tz::America::Manaus,
            "d1",
        );
        assert_eq!(v.last_seen_label, "Ainda não sincronizou");
        assert_eq!(v.status_label, "Desconectado em 01/12/2026 às 08h00");
        assert!(v.revoked && !v.this_device && !v.may_revoke);
        assert_eq!(v.this_device_label, None);
    }

    #[test]
    fn a_coordinator_reading_in_spanish_reads_the_list_in_spanish() {
        let tz = chrono_tz::America::Sao_Paulo;
        let v = device_view(
            Locale::Es,
            device("d1", Some("2026-12-01T17:05:00Z"), None),
            tz,
            "d1",
        );
        assert_eq!(v.registered_label, "Conectado el 01/10/2026 a las 14:05");
        assert_eq!(
            v.last_seen_label,
            "Última sincronización el 01/12/2026 a las 14:05"
        );
        assert_eq!(v.status_label, "Activo");
        assert_eq!(v.role_label, "Equipo de campo");
        assert_eq!(v.this_device_label.as_deref(), Some("este dispositivo"));
        let note = idle_note(
            Locale::Es,
            &device("c", None, None),
            at("2026-12-01T12:00:00Z"),
        );
        assert_eq!(note.as_deref(), Some("Sin sincronizar hace 60 días"));
    }

    #[test]
    fn a_silent_active_device_is_noted() {
        let now = at("2026-12-01T12:00:00Z");
        let check = |d: AccountDevice, expect: Option<&str>| {
            assert_eq!(idle_note(Locale::PtBr, &d, now).as_deref(), expect, "{d:?}");
        };
        check(device("a", Some("2026-11-20T12:00:00Z"), None), None);
        check(
            device("b", Some("2026-10-15T12:00:00Z"), None),
            Some("Sem sincronizar há 47 dias"),
        );
        check(device("c", None, None), Some("Sem sincronizar há 60 dias"));
        check(device("d", None, Some("2026-10-02T12:00:00Z")), None);
    }

    #[test]
    fn a_user_reads_by_name_and_only_team_accounts_may_be_disabled() {
        let user = |name: Option<&str>, role, active| {
            user_view(
                Locale::PtBr,
                AccountUser {
                    username: "ana".into(),
                    display_name: name.map(str::to_owned),
                    role,
                    active,
                },
            )
        };
        let v = user(Some("Ana Souza"), Role::Staff, true);
        assert_eq!(
            (
                v.name_label.as_str(),
                v.status_label.as_str(),
                v.may_disable
            ),
            ("Ana Souza", "Ativa", true)
        );
        let v = user(None, Role::Coordinator, true);
        assert_eq!((v.name_label.as_str(), v.may_disable), ("ana", false));
        let v = user(None, Role::FieldWorker, false);
        assert_eq!(
            (v.status_label.as_str(), v.may_disable),
            ("Desativada", false)
        );
    }

    #[test]
    fn a_bad_form_is_refused_before_asking_the_server() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (store, _) = Store::open(&dir.path().join("store.db")).expect("store");
        let form = |username: &str, role: &str, password: &str| NewUserInput {
            username: username.into(),
            display_name: None,
            role: role.into(),
            password: password.into(),
        };
        let check = |input: NewUserInput, expect: &str| match store.add_user(&input) {
            Err(ReplicaError::BadInput(message)) => assert_eq!(message, expect, "{input:?}"),
            other => panic!("{input:?}: {other:?}"),
        };
        let ok = "uma-senha-boa";
        check(
            form(" ", "staff", ok),
            "Escreva o nome de usuário da nova conta.",
        );
        check(
            form("dora", "chefe", ok),
            "Escolha o papel da nova conta: Equipe de campo ou Equipe do escritório.",
        );
        check(
            form("dora", "staff", "curta"),
            "A senha precisa ter pelo menos 10 caracteres.",
        );
        assert!(check_new_user(&NewUser {
            username: "dora".into(),
            display_name: None,
            role: Role::Coordinator,
            password: ok.into(),
        })
        .is_err());
        check(
            form("dora", "coordinator", ok),
            &esv_shared::accounts::AccountProblem::CoordinatorByServerOnly.to_string(),
        );
        // A good form on a device signed in nowhere: it asks to sign in.
        let e = store.add_user(&form("dora", "field-worker", ok));
        assert!(
            matches!(e, Err(ReplicaError::Sync(SyncError::NotSignedIn))),
            "{e:?}"
        );
    }
}
