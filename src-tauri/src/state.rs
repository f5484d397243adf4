//! The app's one piece of state: the session with its store (locked or open), behind a lock;
//! the office's server it was set up with; and the clock.

use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use chrono::{DateTime, Utc};
use esv_replica::dispatch::internal;
use esv_replica::session::Session;
use esv_shared::ipc::IpcError;

pub struct AppState {
    session: Mutex<Session>,
    /// `$ESV_SERVER`: where team members sign in and the device syncs.
    pub server: Option<String>,
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

    /// The session's lock itself, for the dispatcher (which takes it only when a command
    /// needs the store).
    pub fn session_lock(&self) -> &Mutex<Session> {
        &self.session
    }

    pub fn session(&self) -> Result<MutexGuard<'_, Session>, IpcError> {
        self.session.lock().map_err(|_| internal())
    }
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
