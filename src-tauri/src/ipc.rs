//! The shell's one invoke handler: every command of `esv_shared::ipc::cmd` goes to the replica's
//! `dispatch`, on a thread where blocking is allowed (some commands talk to the server with the
//! replica's blocking HTTP client), with this app's server, clock, background sync and voice as
//! its [`Shell`]. No command logic lives here.

use esv_replica::dispatch::{self, Shell};
use esv_replica::Store;
use esv_shared::ipc::{commands, IpcError, IpcErrorKind, Locale, SyncStatusView};
use serde_json::Value;
use tauri::ipc::{Invoke, InvokeBody};
use tauri::{AppHandle, Manager, Runtime};

use crate::speech::{self, Speech};
use crate::state::{now, AppState};
use crate::sync::SyncHandle;

/// What the dispatcher reaches through the app: its managed state.
struct AppShell<'a> {
    server: Option<&'a str>,
    sync: &'a SyncHandle,
    speech: &'a Speech,
}

impl Shell for AppShell<'_> {
    fn server(&self) -> Option<&str> {
        self.server
    }
    fn now(&self) -> chrono::DateTime<chrono::Utc> {
        now()
    }
    fn sync_view(&self, store: &Store) -> SyncStatusView {
        self.sync.view(store)
    }
    fn wake_sync(&self) {
        self.sync.wake();
    }
    fn speak(&self, text: &str, locale: Locale) -> Result<(), IpcError> {
        self.speech
            .say(text, locale)
            .map(|_| ())
            .map_err(speech::to_ipc)
    }
    fn stop_speaking(&self) -> Result<(), IpcError> {
        self.speech.stop().map_err(speech::to_ipc)
    }
}

/// Whether the app answers `name`: every command of the table, and nothing else (Tauri then
/// says the command is unknown).
pub fn serves(name: &str) -> bool {
    commands::ALL.contains(&name)
}

/// Tauri's invoke handler (`Builder::invoke_handler`).
pub fn handle<R: Runtime>(invoke: Invoke<R>) -> bool {
    let name = invoke.message.command().to_owned();
    if !serves(&name) {
        return false;
    }
    let args = match invoke.message.payload() {
        InvokeBody::Json(value) => value.clone(),
        InvokeBody::Raw(_) => {
            invoke.resolver.reject(IpcError {
                kind: IpcErrorKind::BadInput,
                message: format!("O pedido ao aplicativo veio em formato errado ({name})."),
            });
            return true;
        }
    };
    let app = invoke.message.webview().app_handle().clone();
    invoke.resolver.respond_async(async move {
        tauri::async_runtime::spawn_blocking(move || answer(&app, &name, args))
            .await
            .unwrap_or_else(|_| Err(dispatch::internal()))
            .map_err(tauri::ipc::InvokeError::from)
    });
    true
}

fn answer<R: Runtime>(app: &AppHandle<R>, name: &str, args: Value) -> Result<Value, IpcError> {
    let state = app.state::<AppState>();
    let sync = app.state::<SyncHandle>();
    let speech = app.state::<Speech>();
    let shell = AppShell {
        server: state.server.as_deref(),
        sync: &sync,
        speech: &speech,
    };
    dispatch::dispatch(state.session_lock(), &shell, name, args)
        .unwrap_or_else(|| Err(dispatch::internal()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The handler Tauri calls serves every command of the table, and the dispatcher behind it
    /// knows each one (its own test answers them all from a real store).
    #[test]
    fn tauri_registers_every_command() {
        for name in commands::ALL {
            assert!(serves(name), "{name} is not served by the app");
        }
        assert!(!serves("no_such_command"));
        assert!(!serves(""));
    }
}
