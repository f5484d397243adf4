//! The Tauri shell: opens the store in the app's data directory and exposes thin commands that
//! call the replica and turn its errors into `IpcError` (the only error the UI sees).

mod commands;
mod office;
pub mod speech;
mod state;
mod sync;
mod team;

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
            let notify: sync::Notify = Box::new(move |request| {
                use tauri_plugin_notification::NotificationExt;
                let shown = handle
                    .notification()
                    .builder()
                    .title(format!("Seu pedido: {}", request.status_label))
                    .body(format!("{} — {}", request.kind_label, request.office))
                    .show();
                if let Err(e) = shown {
                    eprintln!("notification: {e}");
                }
            });
            app.manage(sync::SyncHandle::start(keyring, server, notify));
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::catalog_home,
            commands::search_services,
            commands::service_detail,
            commands::rights_list,
            commands::rights_article,
            commands::sync_status,
            commands::sync_now,
            commands::set_locale,
            commands::search_articles,
            commands::favourite_set,
            commands::favourites_list,
            commands::recent_list,
            commands::opportunities_list,
            commands::request_new,
            commands::requests_list,
            commands::request_detail,
            commands::request_message,
            commands::request_cancel,
            commands::erase_my_data,
            team::device_status,
            team::sign_in,
            team::unlock,
            team::lock,
            team::outreaches_list,
            team::outreach_new,
            team::people_find,
            team::person_detail,
            team::encounter_record,
            team::draft_save,
            team::draft_get,
            team::draft_discard,
            team::referral_outcome,
            team::referral_slip,
            team::plan_goal_set,
            office::queue_list,
            office::queue_request,
            office::queue_assign,
            office::queue_answer,
            office::hours_edit,
            office::hours_set,
            office::closure_set,
            office::closure_remove,
            office::review_list,
            office::report_monthly,
            office::people_merge,
            office::person_erase,
            office::audit_log,
            office::accounts_view,
            office::account_add,
            office::account_disable,
            office::device_revoke,
            speech::speak,
            speech::stop_speaking,
        ])
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("O aplicativo não pôde abrir: {e}");
        std::process::exit(1);
    }
}
