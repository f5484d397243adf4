//! The office console's commands (names and types in `shared::ipc::office` and
//! `shared::ipc::catalog`): the requests queue — list, open, assign, answer — the catalog
//! editor's hours, closures and needs-review list, the monthly report, merging and erasing a
//! person, the audit log, and the Coordinator's accounts and devices. One line each, like `commands`; those that need the server run
//! off the async runtime.

use esv_shared::ipc::accounts::{AccountDeviceView, AccountUserView, AccountsView, NewUserInput};
use esv_shared::ipc::catalog::{ClosureInput, HoursEditView, HoursInput, ReviewView};
use esv_shared::ipc::office::{
    AnswerInput, PersonEraseInput, PersonErased, QueueFilter, QueueItem, QueueView, ReportInput,
    ReportView,
};
use esv_shared::ipc::team::{AuditEntryView, MergeInput, PersonView};
use esv_shared::ipc::IpcError;
use tauri::{AppHandle, State};

use crate::commands::to_ipc;
use crate::state::{now, off_runtime, AppState};
use crate::sync::SyncHandle;

#[tauri::command]
pub async fn queue_list(
    state: State<'_, AppState>,
    filter: QueueFilter,
) -> Result<QueueView, IpcError> {
    state.store()?.request_queue(&filter, now()).map_err(to_ipc)
}

#[tauri::command]
pub async fn queue_request(state: State<'_, AppState>, id: String) -> Result<QueueItem, IpcError> {
    state.store()?.queue_request(&id, now()).map_err(to_ipc)
}

#[tauri::command]
pub async fn queue_assign(
    state: State<'_, AppState>,
    id: String,
    to: Option<String>,
) -> Result<QueueItem, IpcError> {
    state
        .store()?
        .queue_assign(&id, to.as_deref(), now())
        .map_err(to_ipc)
}

/// An answer also wakes the sync, so the person sees it as soon as there is a connection.
#[tauri::command]
pub async fn queue_answer(
    state: State<'_, AppState>,
    sync: State<'_, SyncHandle>,
    input: AnswerInput,
) -> Result<QueueItem, IpcError> {
    let item = state.store()?.queue_answer(&input, now()).map_err(to_ipc)?;
    sync.wake();
    Ok(item)
}

#[tauri::command]
pub async fn hours_edit(state: State<'_, AppState>, id: String) -> Result<HoursEditView, IpcError> {
    state.store()?.hours_edit(&id, now()).map_err(to_ipc)
}

#[tauri::command]
pub async fn hours_set(
    state: State<'_, AppState>,
    input: HoursInput,
) -> Result<HoursEditView, IpcError> {
    state.store()?.hours_set(&input, now()).map_err(to_ipc)
}

#[tauri::command]
pub async fn closure_set(
    state: State<'_, AppState>,
    input: ClosureInput,
) -> Result<HoursEditView, IpcError> {
    state.store()?.closure_set(&input, now()).map_err(to_ipc)
}

#[tauri::command]
pub async fn closure_remove(
    state: State<'_, AppState>,
    id: String,
    date: String,
) -> Result<HoursEditView, IpcError> {
    state
        .store()?
        .closure_remove(&id, &date, now())
        .map_err(to_ipc)
}

#[tauri::command]
pub async fn review_list(state: State<'_, AppState>) -> Result<Vec<ReviewView>, IpcError> {
    state.store()?.review_list(now()).map_err(to_ipc)
}

#[tauri::command]
pub async fn report_monthly(
    state: State<'_, AppState>,
    input: ReportInput,
) -> Result<ReportView, IpcError> {
    state.store()?.report_view(&input, now()).map_err(to_ipc)
}

#[tauri::command]
pub async fn people_merge(
    state: State<'_, AppState>,
    sync: State<'_, SyncHandle>,
    input: MergeInput,
) -> Result<PersonView, IpcError> {
    let kept = state.store()?.people_merge(&input, now()).map_err(to_ipc)?;
    sync.wake();
    Ok(kept)
}

#[tauri::command]
pub async fn person_erase(
    app: AppHandle,
    input: PersonEraseInput,
) -> Result<PersonErased, IpcError> {
    off_runtime(app, move |s| {
        s.store()?.person_erase(&input, now()).map_err(to_ipc)
    })
    .await
}

#[tauri::command]
pub async fn audit_log(app: AppHandle) -> Result<Vec<AuditEntryView>, IpcError> {
    off_runtime(app, |s| s.store()?.audit_log_view().map_err(to_ipc)).await
}

#[tauri::command]
pub async fn accounts_view(app: AppHandle) -> Result<AccountsView, IpcError> {
    off_runtime(app, |s| s.store()?.accounts_view(now()).map_err(to_ipc)).await
}

#[tauri::command]
pub async fn account_add(app: AppHandle, input: NewUserInput) -> Result<AccountUserView, IpcError> {
    off_runtime(app, move |s| s.store()?.add_user(&input).map_err(to_ipc)).await
}

#[tauri::command]
pub async fn account_disable(
    app: AppHandle,
    username: String,
) -> Result<AccountUserView, IpcError> {
    off_runtime(app, move |s| {
        s.store()?.disable_user(&username).map_err(to_ipc)
    })
    .await
}

#[tauri::command]
pub async fn device_revoke(app: AppHandle, id: String) -> Result<AccountDeviceView, IpcError> {
    off_runtime(app, move |s| s.store()?.revoke_device(&id).map_err(to_ipc)).await
}
