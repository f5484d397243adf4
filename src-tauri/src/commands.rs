//! The commands the UI invokes (names and types in `shared::ipc`). Each one only takes the
//! store, calls the replica, and maps the error: no logic lives here.

use esv_replica::ReplicaError;
use esv_shared::ipc::{
    ArticleSummary, ArticleView, GeoPoint, HomeView, IpcError, Locale, NewRequestInput,
    OpportunityView, RequestView, SearchRequest, ServiceCard, ServiceDetail, SyncStatusView,
};
use tauri::State;

use crate::state::{now, AppState};
use crate::sync::SyncHandle;

/// Where a replica error becomes what the person reads (`ReplicaError::to_ipc`), and is logged.
pub fn to_ipc(e: ReplicaError) -> IpcError {
    eprintln!("command error: {e}");
    e.to_ipc()
}

#[tauri::command]
pub async fn catalog_home(
    state: State<'_, AppState>,
    near: Option<GeoPoint>,
) -> Result<HomeView, IpcError> {
    state.store()?.home_near(near, now()).map_err(to_ipc)
}

#[tauri::command]
pub async fn search_services(
    state: State<'_, AppState>,
    request: SearchRequest,
) -> Result<Vec<ServiceCard>, IpcError> {
    state.store()?.search(&request, now()).map_err(to_ipc)
}

#[tauri::command]
pub async fn service_detail(
    state: State<'_, AppState>,
    id: String,
) -> Result<ServiceDetail, IpcError> {
    let mut store = state.store()?;
    let view = store.service_detail(&id, now()).map_err(to_ipc)?;
    // "Vistos por último" is a convenience: failing to note it must not hide the service.
    if let Err(e) = store.note_viewed(&id, now()) {
        eprintln!("recent: {e}");
    }
    Ok(view)
}

#[tauri::command]
pub async fn rights_list(state: State<'_, AppState>) -> Result<Vec<ArticleSummary>, IpcError> {
    state.store()?.rights_list().map_err(to_ipc)
}

#[tauri::command]
pub async fn rights_article(
    state: State<'_, AppState>,
    id: String,
) -> Result<ArticleView, IpcError> {
    state.store()?.rights_article(&id, now()).map_err(to_ipc)
}

#[tauri::command]
pub async fn sync_status(
    state: State<'_, AppState>,
    sync: State<'_, SyncHandle>,
) -> Result<SyncStatusView, IpcError> {
    Ok(sync.view(&*state.store()?))
}

#[tauri::command]
pub async fn sync_now(
    state: State<'_, AppState>,
    sync: State<'_, SyncHandle>,
) -> Result<SyncStatusView, IpcError> {
    sync.wake();
    let mut view = sync.view(&*state.store()?);
    view.running = view.enabled;
    Ok(view)
}

#[tauri::command]
pub async fn set_locale(state: State<'_, AppState>, locale: Locale) -> Result<(), IpcError> {
    state.store()?.set_locale(locale);
    Ok(())
}

#[tauri::command]
pub async fn search_articles(
    state: State<'_, AppState>,
    request: SearchRequest,
) -> Result<Vec<ArticleSummary>, IpcError> {
    state
        .store()?
        .search_articles(&request.text)
        .map_err(to_ipc)
}

#[tauri::command]
pub async fn favourite_set(
    state: State<'_, AppState>,
    id: String,
    on: bool,
) -> Result<bool, IpcError> {
    state.store()?.set_favourite(&id, on, now()).map_err(to_ipc)
}

#[tauri::command]
pub async fn favourites_list(
    state: State<'_, AppState>,
    near: Option<GeoPoint>,
) -> Result<Vec<ServiceCard>, IpcError> {
    state.store()?.favourites(near, now()).map_err(to_ipc)
}

#[tauri::command]
pub async fn recent_list(
    state: State<'_, AppState>,
    near: Option<GeoPoint>,
) -> Result<Vec<ServiceCard>, IpcError> {
    state.store()?.recent(near, now()).map_err(to_ipc)
}

#[tauri::command]
pub async fn opportunities_list(
    state: State<'_, AppState>,
) -> Result<Vec<OpportunityView>, IpcError> {
    state.store()?.opportunities(now()).map_err(to_ipc)
}

/// A new request also wakes the background sync, so it leaves as soon as there is internet.
#[tauri::command]
pub async fn request_new(
    state: State<'_, AppState>,
    sync: State<'_, SyncHandle>,
    request: NewRequestInput,
) -> Result<RequestView, IpcError> {
    let view = state
        .store()?
        .request_new(&request, now())
        .map_err(to_ipc)?;
    sync.wake();
    Ok(view)
}

#[tauri::command]
pub async fn requests_list(state: State<'_, AppState>) -> Result<Vec<RequestView>, IpcError> {
    state.store()?.requests_list(now()).map_err(to_ipc)
}

#[tauri::command]
pub async fn request_detail(
    state: State<'_, AppState>,
    id: String,
) -> Result<RequestView, IpcError> {
    state.store()?.request_detail(&id, now()).map_err(to_ipc)
}

#[tauri::command]
pub async fn request_message(
    state: State<'_, AppState>,
    id: String,
    text: String,
) -> Result<RequestView, IpcError> {
    state
        .store()?
        .request_message(&id, &text, now())
        .map_err(to_ipc)
}

#[tauri::command]
pub async fn request_cancel(
    state: State<'_, AppState>,
    id: String,
) -> Result<RequestView, IpcError> {
    state.store()?.request_cancel(&id, now()).map_err(to_ipc)
}

/// "Apagar meus dados": this device's requests, on the server and here (LGPD erasure).
#[tauri::command]
pub async fn erase_my_data(app: tauri::AppHandle) -> Result<usize, IpcError> {
    crate::state::off_runtime(app, |state| state.with_session(|s| s.erase_my_data(now()))).await
}
