//! The app's one piece of state: the store, opened once, behind a lock; and the clock.

use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use chrono::{DateTime, Utc};
use esv_replica::Store;
use esv_shared::ipc::{IpcError, IpcErrorKind};

use crate::commands::to_ipc;

pub struct AppState {
    store: Result<Mutex<Store>, IpcError>,
}

impl AppState {
    pub fn open(path: &Path) -> AppState {
        let store = match Store::open(path) {
            Ok((store, notice)) => {
                if let Some(notice) = notice {
                    eprintln!("{}", notice.message());
                }
                Ok(Mutex::new(store))
            }
            Err(e) => {
                eprintln!("store: {e}");
                Err(to_ipc(e))
            }
        };
        AppState { store }
    }

    pub fn store(&self) -> Result<MutexGuard<'_, Store>, IpcError> {
        match &self.store {
            Ok(lock) => lock.lock().map_err(|_| IpcError {
                kind: IpcErrorKind::Internal,
                message: "O aplicativo encontrou um erro interno. Feche e abra de novo.".to_owned(),
            }),
            Err(e) => Err(e.clone()),
        }
    }
}

/// The current instant. `ESV_NOW` (RFC 3339) fixes it, for demonstrations and tests.
pub fn now() -> DateTime<Utc> {
    std::env::var("ESV_NOW")
        .ok()
        .and_then(|s| DateTime::parse_from_rfc3339(&s).ok())
        .map_or_else(Utc::now, |d| d.with_timezone(&Utc))
}
