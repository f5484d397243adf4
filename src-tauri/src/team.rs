//! The team's commands (names and types in `shared::ipc::team`): the device's PIN, lock and
//! sign-in; busca ativa — outreaches, search before create, a person's record, the encounter
//! form and its draft, counter-referrals, the referral slip. One line each, like `commands`.

use esv_shared::ipc::team::{
    DeviceView, EncounterInput, FindPeopleInput, OutcomeInput, OutreachInput, OutreachView,
    PersonFound, PersonView, PlanGoalInput, ReferralView, SignInInput, SlipView,
};
use esv_shared::ipc::IpcError;
use serde_json::{Map, Value};
use tauri::{AppHandle, State};

use crate::commands::to_ipc;
use crate::state::{now, off_runtime, AppState};
use crate::sync::SyncHandle;

fn device(state: &AppState) -> Result<DeviceView, IpcError> {
    let server = state.server.clone();
    Ok(state.session()?.device_view(server.as_deref(), now()))
}

#[tauri::command]
pub async fn device_status(state: State<'_, AppState>) -> Result<DeviceView, IpcError> {
    device(&state)
}

/// Protects the device with the PIN (when it has none), then signs in; wakes the sync.
#[tauri::command]
pub async fn sign_in(
    app: AppHandle,
    sync: State<'_, SyncHandle>,
    input: SignInInput,
) -> Result<DeviceView, IpcError> {
    let view = off_runtime(app, move |state| {
        let server = state.server.clone();
        state.with_session(|s| s.sign_in(&input, server.as_deref(), now()))?;
        device(state)
    })
    .await?;
    sync.wake();
    Ok(view)
}

#[tauri::command]
pub async fn unlock(
    state: State<'_, AppState>,
    sync: State<'_, SyncHandle>,
    pin: String,
) -> Result<DeviceView, IpcError> {
    state.with_session(|s| s.unlock(&pin, now()))?;
    sync.wake();
    device(&state)
}

#[tauri::command]
pub async fn lock(state: State<'_, AppState>) -> Result<DeviceView, IpcError> {
    state.session()?.lock();
    device(&state)
}

#[tauri::command]
pub async fn outreaches_list(state: State<'_, AppState>) -> Result<Vec<OutreachView>, IpcError> {
    state.store()?.outreaches_list().map_err(to_ipc)
}

#[tauri::command]
pub async fn outreach_new(
    state: State<'_, AppState>,
    input: OutreachInput,
) -> Result<OutreachView, IpcError> {
    state.store()?.outreach_new(&input, now()).map_err(to_ipc)
}

#[tauri::command]
pub async fn people_find(
    state: State<'_, AppState>,
    input: FindPeopleInput,
) -> Result<Vec<PersonFound>, IpcError> {
    state.store()?.people_find(&input).map_err(to_ipc)
}

#[tauri::command]
pub async fn person_detail(state: State<'_, AppState>, id: String) -> Result<PersonView, IpcError> {
    state.store()?.person_view(&id, now()).map_err(to_ipc)
}

/// Records the encounter, and wakes the sync so it leaves when there is a connection.
#[tauri::command]
pub async fn encounter_record(
    state: State<'_, AppState>,
    sync: State<'_, SyncHandle>,
    input: EncounterInput,
) -> Result<PersonView, IpcError> {
    let view = state
        .store()?
        .encounter_record(&input, now())
        .map_err(to_ipc)?;
    sync.wake();
    Ok(view)
}

#[tauri::command]
pub async fn draft_save(
    state: State<'_, AppState>,
    form: String,
    field: String,
    value: Value,
) -> Result<(), IpcError> {
    state
        .store()?
        .save_draft_field(&form, &field, value, now())
        .map_err(to_ipc)
}

#[tauri::command]
pub async fn draft_get(
    state: State<'_, AppState>,
    form: String,
) -> Result<Map<String, Value>, IpcError> {
    state.store()?.draft(&form).map_err(to_ipc)
}

#[tauri::command]
pub async fn draft_discard(state: State<'_, AppState>, form: String) -> Result<(), IpcError> {
    state.store()?.discard_draft(&form).map_err(to_ipc)
}

#[tauri::command]
pub async fn referral_outcome(
    state: State<'_, AppState>,
    input: OutcomeInput,
) -> Result<ReferralView, IpcError> {
    state
        .store()?
        .referral_outcome(&input, now())
        .map_err(to_ipc)
}

#[tauri::command]
pub async fn referral_slip(state: State<'_, AppState>, id: String) -> Result<SlipView, IpcError> {
    state
        .store()?
        .referral_slip_view(&id, now())
        .map_err(to_ipc)
}

#[tauri::command]
pub async fn plan_goal_set(
    state: State<'_, AppState>,
    input: PlanGoalInput,
) -> Result<PersonView, IpcError> {
    state.store()?.plan_goal_set(&input, now()).map_err(to_ipc)
}
