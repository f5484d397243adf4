//! The Tauri shell: opens the store in the app's data directory, starts the background sync,
//! and hands every command to the replica's dispatcher (`ipc`), whose errors are `IpcError`s
//! (the only error the UI sees).

mod ipc;
pub mod speech;
mod state;
mod sync;

use tauri::Manager;

/// Starts the app. On Android and iOS this is the entry point too.
#[cfg_attr(mobile, tauri::mobile_entry_point)]
pub fn run() {
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_notification::init())
        .manage(speech::Speech::new())
        .setup(|app| {
            let path = match std::env::var_os("ESV_STORE") {
                Some(path) => std::path::PathBuf::from(path),
                None => app
                    .path()
                    .app_data_dir()?
                    .join(esv_replica::paths::STORE_FILE),
            };
            let server = std::env::var("ESV_SERVER")
                .ok()
                .filter(|s| !s.trim().is_empty());
            let state = state::AppState::open(&path, server.clone());
            let keyring = state.session().map_err(|e| e.message)?.keyring();
            app.manage(state);
            let handle = app.handle().clone();
            let notify: sync::Notify = Box::new(move |request, locale| {
                use tauri_plugin_notification::NotificationExt;
                let shown = handle
                    .notification()
                    .builder()
                    .title(esv_shared::words::request_notification_title(
                        locale,
                        &request.status_label,
                    ))
                    .body(format!("{} — {}", request.kind_label, request.office))
                    .show();
                if let Err(e) = shown {
                    eprintln!("notification: {e}");
                }
            });
            app.manage(sync::SyncHandle::start(keyring, server, notify));
            Ok(())
        })
        .invoke_handler(ipc::handle)
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("O aplicativo não pôde abrir: {e}");
        std::process::exit(1);
    }
}
