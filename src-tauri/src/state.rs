//! The app's one piece of state: the session with its store (locked or open), behind a lock;
//! the office's server it was set up with; and the clock.

use std::ops::{Deref, DerefMut};
use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use chrono::{DateTime, Utc};
use esv_replica::session::Session;
use esv_replica::{ReplicaError, Store};
use esv_shared::ipc::{IpcError, IpcErrorKind};
use tauri::{AppHandle, Manager};

use crate::commands::to_ipc;

pub struct AppState {
    session: Mutex<Session>,
    /// `$ESV_SERVER`: where team members sign in and the device syncs.
    pub server: Option<String>,
}

/// The open store for one command, under the session's lock.
pub struct StoreGuard<'a>(MutexGuard<'a, Session>);

impl Deref for StoreGuard<'_> {
    type Target = Store;
    fn deref(&self) -> &Store {
        // `AppState::store` made this guard only after the session said the store is open.
        self.0
            .current()
            .expect("store checked open under this lock")
    }
}

impl DerefMut for StoreGuard<'_> {
    fn deref_mut(&mut self) -> &mut Store {
        self.0
            .current_mut()
            .expect("store checked open under this lock")
    }
}

impl AppState {
    pub fn open(path: &Path, server: Option<String>) -> AppState {
        let (session, notice) = Session::open(path, now());
        if let Some(notice) = notice {
            eprintln!("{}", notice.message());
        }
        AppState {
            session: Mutex::new(session),
            server,
        }
    }

    pub fn session(&self) -> Result<MutexGuard<'_, Session>, IpcError> {
        self.session.lock().map_err(|_| internal())
    }

    /// The store for a command: [`ReplicaError::Locked`] (said plainly) while the PIN is
    /// needed, including after five minutes without use.
    pub fn store(&self) -> Result<StoreGuard<'_>, IpcError> {
        let mut session = self.session()?;
        session.store(now()).map_err(to_ipc)?;
        Ok(StoreGuard(session))
    }

    /// Runs `f` on the session, turning its error into what the person reads.
    pub fn with_session<T>(
        &self,
        f: impl FnOnce(&mut Session) -> Result<T, ReplicaError>,
    ) -> Result<T, IpcError> {
        f(&mut *self.session()?).map_err(to_ipc)
    }
}

fn internal() -> IpcError {
    IpcError {
        kind: IpcErrorKind::Internal,
        message: "O aplicativo encontrou um erro interno. Feche e abra de novo.".to_owned(),
    }
}

/// Runs `f` on a thread where blocking is allowed: for the commands that talk to the server
/// with the replica's blocking HTTP client, which must not run on the async runtime's threads.
pub async fn off_runtime<T: Send + 'static>(
    app: AppHandle,
    f: impl FnOnce(&AppState) -> Result<T, IpcError> + Send + 'static,
) -> Result<T, IpcError> {
    tauri::async_runtime::spawn_blocking(move || f(&app.state::<AppState>()))
        .await
        .map_err(|_| internal())?
}

/// The app's clock, made once: the wall clock, or `ESV_NOW` (RFC 3339) when set, for
/// demonstrations and tests (an unreadable `ESV_NOW` is logged and the wall clock used).
pub fn clock() -> &'static esv_shared::clock::Clock {
    static CLOCK: std::sync::OnceLock<esv_shared::clock::Clock> = std::sync::OnceLock::new();
    CLOCK.get_or_init(|| {
        let setting = std::env::var("ESV_NOW").ok();
        esv_shared::clock::Clock::from_setting(Utc::now, setting.as_deref()).unwrap_or_else(|e| {
            eprintln!("esv-app: {e}");
            esv_shared::clock::Clock::from_fn(Utc::now)
        })
    })
}

/// The current instant, by the app's [`clock`].
pub fn now() -> DateTime<Utc> {
    clock().now()
}
