//! The app's hold on its store: a citizen's plain store, open from the start; a field or
//! staff device's encrypted store, locked until its PIN, locked again after five minutes
//! without use, and closed for good when the office revokes the device (its files wiped).
//!
//! The app and the browser-test bridge both keep one `Session` behind a lock; the background
//! sync opens its own connection through a [`Keyring`], which works only while unlocked.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};
use esv_shared::ipc::team::{AccountView, DeviceView, SignInInput};
use esv_shared::ipc::Locale;
use esv_shared::sync::{Role, Scope};

use crate::encrypted::StoreKey;
use crate::error::{ReplicaError, Result};
use crate::store::{OpenNotice, Store};
use crate::sync;
use crate::vault::{self, KeyFile, Pin};

fn current(locale: &Mutex<Locale>) -> Locale {
    locale.lock().map(|l| *l).unwrap_or_default()
}

/// A protected store locks after this long without a command.
pub const IDLE_LOCK_MINUTES: i64 = 5;

/// The store of one app, and whether it is unlocked.
pub struct Session {
    path: PathBuf,
    store: Option<Store>,
    key: Arc<Mutex<Option<StoreKey>>>,
    last_used: DateTime<Utc>,
    /// Why a plain store could not open (kept so every command says the same).
    failure: Option<String>,
    wiped: bool,
    /// The person's language: kept here, not only in the open store, so it survives a lock
    /// and an unlock, and shared with the [`Keyring`] so the background sync's words (its
    /// notifications) are in it too.
    locale: Arc<Mutex<Locale>>,
}

/// Opens the store for a second connection while the session is unlocked.
#[derive(Clone)]
pub struct Keyring {
    path: PathBuf,
    key: Arc<Mutex<Option<StoreKey>>>,
    locale: Arc<Mutex<Locale>>,
}

impl Keyring {
    /// A connection of its own: the plain store, or the encrypted one with the session's
    /// key; [`ReplicaError::Locked`] while the session is locked.
    pub fn open(&self) -> Result<Store> {
        let mut store = self.open_store()?;
        store.set_locale(current(&self.locale));
        Ok(store)
    }

    fn open_store(&self) -> Result<Store> {
        if vault::is_encrypted(&self.path) {
            let key = self.key.lock().ok().and_then(|k| k.clone());
            match key {
                Some(key) => Store::open_with_key(&self.path, &key),
                None => Err(ReplicaError::Locked),
            }
        } else if vault::key_path(&self.path).exists() || !self.path.exists() {
            // Being encrypted right now, or wiped: not a store to create from scratch here.
            Err(ReplicaError::Locked)
        } else {
            Store::open(&self.path).map(|(store, _)| store)
        }
    }

    /// Forgets the key (after a revocation wiped the store).
    pub fn forget(&self) {
        if let Ok(mut key) = self.key.lock() {
            *key = None;
        }
    }
}

impl Session {
    /// The session of the store at `path`: open when plain (created from the bundled catalog
    /// when missing), locked when encrypted.
    pub fn open(path: &Path, now: DateTime<Utc>) -> (Session, Option<OpenNotice>) {
        let mut session = Session {
            path: path.to_owned(),
            store: None,
            key: Arc::new(Mutex::new(None)),
            last_used: now,
            failure: None,
            wiped: false,
            locale: Arc::new(Mutex::new(Locale::default())),
        };
        let mut notice = None;
        if !vault::is_encrypted(path) {
            match Store::open(path) {
                Ok((store, n)) => {
                    session.store = Some(store);
                    notice = n;
                }
                Err(e) => session.failure = Some(e.to_string()),
            }
        }
        (session, notice)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn keyring(&self) -> Keyring {
        Keyring {
            path: self.path.clone(),
            key: Arc::clone(&self.key),
            locale: Arc::clone(&self.locale),
        }
    }

    /// The person's language, for every store this session opens from now on (after a lock
    /// too) and for the background sync's; the open store switches at once.
    pub fn set_locale(&mut self, locale: Locale) {
        if let Ok(mut l) = self.locale.lock() {
            *l = locale;
        }
        if let Some(store) = self.store.as_mut() {
            store.set_locale(locale);
        }
    }

    pub fn locale(&self) -> Locale {
        current(&self.locale)
    }

    /// Holds `store` as the open one, in the person's language.
    fn hold(&mut self, mut store: Store) {
        store.set_locale(self.locale());
        self.store = Some(store);
    }

    fn protected(&self) -> bool {
        vault::is_encrypted(&self.path)
    }

    /// The store for one command, which counts as use. A protected store unused for
    /// [`IDLE_LOCK_MINUTES`] locks first and answers [`ReplicaError::Locked`].
    pub fn store(&mut self, now: DateTime<Utc>) -> Result<&mut Store> {
        self.check_wiped();
        if self.wiped {
            return Err(ReplicaError::DeviceWiped);
        }
        if self.store.as_ref().is_some_and(Store::is_encrypted)
            && now - self.last_used >= Duration::minutes(IDLE_LOCK_MINUTES)
        {
            self.lock();
        }
        if self.store.is_none() {
            if self.protected() {
                return Err(ReplicaError::Locked);
            }
            if let Some(reason) = &self.failure {
                return Err(ReplicaError::BadInput(reason.clone()));
            }
        }
        self.last_used = now;
        self.store.as_mut().ok_or(ReplicaError::Locked)
    }

    /// The open store, if any, without counting as use (after [`Session::store`] said yes,
    /// under the same lock).
    pub fn current(&self) -> Option<&Store> {
        self.store.as_ref()
    }

    pub fn current_mut(&mut self) -> Option<&mut Store> {
        self.store.as_mut()
    }

    /// A store that was encrypted and whose key file is gone was wiped (by a revocation seen
    /// by the background sync): close it, so nothing is read from the deleted file.
    fn check_wiped(&mut self) {
        let had_encrypted = self.store.as_ref().is_some_and(Store::is_encrypted);
        if had_encrypted && !vault::key_path(&self.path).exists() {
            self.store = None;
            self.keyring().forget();
            self.wiped = true;
        }
    }

    /// Notes that the background sync found the device revoked and wiped.
    pub fn mark_wiped(&mut self) {
        self.store = None;
        self.keyring().forget();
        self.wiped = true;
    }

    /// A connection of its own to the open store, for a command that waits on the network
    /// (the audit log, accounts, an erasure): it counts as use and is refused while locked,
    /// like [`Session::store`], but the session's lock can be let go while it waits, so a
    /// search is not stuck behind a slow server. The session's connection sees its writes
    /// (SQLite's `data_version`).
    pub fn side_store(&mut self, now: DateTime<Utc>) -> Result<Store> {
        self.store(now)?;
        self.keyring().open()
    }

    /// Locks a protected store (a plain one stays open: it holds nothing sensitive).
    pub fn lock(&mut self) {
        if self.store.as_ref().is_some_and(Store::is_encrypted) {
            self.store = None;
            self.keyring().forget();
        }
    }

    /// Unlocks a protected store with its PIN. Wrong PINs count and wait as in
    /// [`Store::unlock`]; the data are never touched by a wrong one.
    pub fn unlock(&mut self, pin: &str, now: DateTime<Utc>) -> Result<()> {
        if !self.protected() {
            return Err(ReplicaError::BadInput(
                "Este aparelho ainda não tem PIN.".to_owned(),
            ));
        }
        let pin = Pin::new(pin)?;
        let (store, key) = Store::unlock(&self.path, &pin, now)?;
        self.hold(store);
        if let Ok(mut k) = self.key.lock() {
            *k = Some(key);
        }
        self.last_used = now;
        self.wiped = false;
        Ok(())
    }

    /// Protects a plain store with a PIN (typed twice), leaving it unlocked.
    pub fn set_pin(&mut self, pin: &str, again: &str, now: DateTime<Utc>) -> Result<()> {
        if pin.trim() != again.trim() {
            return Err(ReplicaError::BadInput(
                "Os dois PINs digitados não são iguais. Digite o mesmo PIN duas vezes.".to_owned(),
            ));
        }
        let checked = Pin::new(pin)?;
        // The app's own connection must be closed for the file to be encrypted.
        self.store = None;
        let encrypted = Store::encrypt_with_pin(&self.path, &checked);
        if let Err(e) = encrypted {
            if let Ok((store, _)) = Store::open(&self.path) {
                self.hold(store);
            }
            return Err(e);
        }
        self.unlock(pin, now)
    }

    /// Signs a team member in from the sign-in form: protects the device with the PIN first
    /// if it has none, then asks the server (the form's, or `default_server`, the one the app
    /// was set up with). A wrong password leaves the device protected, not signed in.
    pub fn sign_in(
        &mut self,
        input: &SignInInput,
        default_server: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let server = input
            .server
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .or(default_server)
            .ok_or_else(|| {
                ReplicaError::BadInput(
                    "Escreva o endereço do servidor do Escritório Social.".to_owned(),
                )
            })?
            .to_owned();
        if input.username.trim().is_empty() || input.password.is_empty() {
            return Err(ReplicaError::BadInput(
                "Escreva o usuário e a senha que a coordenação do Escritório Social lhe deu."
                    .to_owned(),
            ));
        }
        if !self.protected() {
            let (Some(pin), Some(again)) = (input.pin.as_deref(), input.pin_again.as_deref())
            else {
                return Err(ReplicaError::BadInput(
                    "Crie um PIN de 6 números ou mais (ou uma frase secreta): ele protege os dados das pessoas neste \
                     aparelho."
                        .to_owned(),
                ));
            };
            self.set_pin(pin, again, now)?;
        }
        let store = self.store(now)?;
        let device_name = format!("app {}", std::env::consts::OS);
        sync::login(
            store,
            &server,
            input.username.trim(),
            &input.password,
            &device_name,
        )?;
        Ok(())
    }

    /// "Apagar meus dados" on a citizen's device: the device's requests, on the server first
    /// when the device was registered (offline that fails and nothing is deleted), then here.
    /// Answers how many documents were erased here.
    pub fn erase_my_data(&mut self, now: DateTime<Utc>) -> Result<usize> {
        let store = self.store(now)?;
        let account = store.account()?;
        match account {
            Some(a) if a.session.role == Role::Citizen => {
                let scope = Scope::Citizen {
                    office: a.session.office.clone(),
                    device: a.session.device.clone(),
                };
                let before = store.requests()?.len();
                sync::erase(store, &scope, &a.session.device, now)?;
                Ok(before)
            }
            Some(_) => Err(ReplicaError::BadInput(
                "Este aparelho é de uma equipe: os dados das pessoas se apagam no escritório."
                    .to_owned(),
            )),
            None => {
                // Never registered: nothing reached the server; the requests are only here.
                let (device, _) = store.citizen_identity()?;
                store.erase_subject_locally(&device)
            }
        }
    }

    /// The device as the team screens show it.
    pub fn device_view(&mut self, server: Option<&str>, now: DateTime<Utc>) -> DeviceView {
        self.check_wiped();
        let protected = self.protected();
        let pin_wait_seconds = if protected {
            KeyFile::read(&self.path).map_or(0, |k| k.wait_seconds(&now.into()))
        } else {
            0
        };
        let account = self
            .store
            .as_mut()
            .and_then(|store| account_view(store).ok().flatten());
        DeviceView {
            protected,
            locked: protected && self.store.is_none(),
            wiped: self.wiped,
            pin_wait_seconds,
            account,
            server: server.map(str::to_owned),
        }
    }
}

fn account_view(store: &mut Store) -> Result<Option<AccountView>> {
    let Some(account) = store.account()? else {
        return Ok(None);
    };
    let s = account.session;
    let office = store
        .index()
        .ok()
        .and_then(|index| index.providers.get(&s.office).map(|p| p.name().to_owned()))
        .unwrap_or_else(|| s.office.clone());
    Ok(Some(AccountView {
        username: s.username,
        role: s.role,
        role_label: role_label_in(s.role, store.locale()).to_owned(),
        office_id: s.office,
        office,
    }))
}

pub fn role_label(role: Role) -> &'static str {
    role_label_in(role, Locale::PtBr)
}

/// The role as the person reads it, in their language.
pub fn role_label_in(role: Role, locale: Locale) -> &'static str {
    if locale == Locale::Es {
        return match role {
            Role::Citizen => "Dispositivo de ciudadano",
            Role::FieldWorker => "Equipo de campo",
            Role::Staff => "Equipo de la oficina",
            Role::Coordinator => "Coordinación",
        };
    }
    match role {
        Role::Citizen => "Aparelho de cidadão",
        Role::FieldWorker => "Equipe de campo",
        Role::Staff => "Equipe do escritório",
        Role::Coordinator => "Coordenação",
    }
}
