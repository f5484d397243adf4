//! The office console's commands (names and types in `shared::ipc::office`): the requests
//! queue — list, open, assign, answer. One line each, like `commands`.

use esv_shared::ipc::office::{AnswerInput, QueueFilter, QueueItem, QueueView};
use esv_shared::ipc::IpcError;
use tauri::State;

use crate::commands::to_ipc;
use crate::state::{now, AppState};
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
