//! The only module that talks to the backend: one typed function per Tauri command (names and
//! types from `esv_shared::ipc`). A failure is always an `IpcError` with a message a person can
//! read.

use esv_shared::ipc::accounts::{AccountDeviceView, AccountUserView, AccountsView, NewUserInput};
use esv_shared::ipc::catalog::{ClosureInput, HoursEditView, HoursInput, ReviewView};
use esv_shared::ipc::office::{
    AnswerInput, PersonEraseInput, PersonErased, QueueFilter, QueueItem, QueueView, ReportInput,
    ReportView,
};
use esv_shared::ipc::team::{
    AuditEntryView, DeviceView, EncounterInput, FindPeopleInput, MergeInput, OutcomeInput,
    OutreachInput, OutreachView, PersonFound, PersonView, PlanGoalInput, ReferralView, SignInInput,
    SlipView,
};
use esv_shared::ipc::{
    commands, ArticleSummary, ArticleView, GeoPoint, HomeView, IpcError, IpcErrorKind, Locale,
    NewRequestInput, OpportunityView, RequestView, SearchRequest, ServiceCard, ServiceDetail,
    SyncStatusView,
};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::cell::Cell;
use wasm_bindgen::prelude::*;

use crate::i18n::td_string;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = ["window", "__TAURI__", "core"], js_name = invoke, catch)]
    async fn tauri_invoke(cmd: &str, args: JsValue) -> Result<JsValue, JsValue>;
}

async fn call<A: Serialize, T: DeserializeOwned>(cmd: &str, args: &A) -> Result<T, IpcError> {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    let args = args.serialize(&serializer).map_err(|_| internal())?;
    match tauri_invoke(cmd, args).await {
        Ok(value) => serde_wasm_bindgen::from_value(value).map_err(|_| internal()),
        Err(error) => Err(serde_wasm_bindgen::from_value(error).unwrap_or_else(|_| internal())),
    }
}

thread_local! {
    /// The language of the one message this module makes itself; follows [`set_locale`].
    static LOCALE: Cell<Locale> = Cell::new(Locale::default());
}

fn internal() -> IpcError {
    let locale = crate::locale::from_ipc(LOCALE.with(Cell::get));
    IpcError {
        kind: IpcErrorKind::Internal,
        message: td_string!(locale, common.internal_error).to_owned(),
    }
}

#[derive(Serialize)]
struct NoArgs {}

#[derive(Serialize)]
struct ById<'a> {
    id: &'a str,
}

#[derive(Serialize)]
struct Search<'a> {
    request: &'a SearchRequest,
}

#[derive(Serialize)]
struct Near {
    near: Option<GeoPoint>,
}

pub async fn home(near: Option<GeoPoint>) -> Result<HomeView, IpcError> {
    call(commands::HOME, &Near { near }).await
}

pub async fn search_articles(text: String) -> Result<Vec<ArticleSummary>, IpcError> {
    let request = SearchRequest {
        text,
        ..SearchRequest::default()
    };
    call(commands::SEARCH_ARTICLES, &Search { request: &request }).await
}

#[derive(Serialize)]
struct Favourite<'a> {
    id: &'a str,
    on: bool,
}

/// Returns whether the service is a favourite now.
pub async fn favourite_set(id: String, on: bool) -> Result<bool, IpcError> {
    call(commands::FAVOURITE_SET, &Favourite { id: &id, on }).await
}

pub async fn favourites(near: Option<GeoPoint>) -> Result<Vec<ServiceCard>, IpcError> {
    call(commands::FAVOURITES, &Near { near }).await
}

pub async fn recent(near: Option<GeoPoint>) -> Result<Vec<ServiceCard>, IpcError> {
    call(commands::RECENT, &Near { near }).await
}

pub async fn opportunities() -> Result<Vec<OpportunityView>, IpcError> {
    call(commands::OPPORTUNITIES, &NoArgs {}).await
}

#[derive(Serialize)]
struct Speak<'a> {
    text: &'a str,
    locale: Locale,
}

pub async fn speak(text: String, locale: Locale) -> Result<(), IpcError> {
    call(
        commands::SPEAK,
        &Speak {
            text: &text,
            locale,
        },
    )
    .await
}

pub async fn stop_speaking() -> Result<(), IpcError> {
    call(commands::STOP_SPEAKING, &NoArgs {}).await
}

pub async fn search(request: SearchRequest) -> Result<Vec<ServiceCard>, IpcError> {
    call(commands::SEARCH, &Search { request: &request }).await
}

pub async fn service(id: String) -> Result<ServiceDetail, IpcError> {
    call(commands::SERVICE, &ById { id: &id }).await
}

pub async fn rights() -> Result<Vec<ArticleSummary>, IpcError> {
    call(commands::RIGHTS, &NoArgs {}).await
}

pub async fn article(id: String) -> Result<ArticleView, IpcError> {
    call(commands::ARTICLE, &ById { id: &id }).await
}

pub async fn sync_status() -> Result<SyncStatusView, IpcError> {
    call(commands::SYNC_STATUS, &NoArgs {}).await
}

pub async fn sync_now() -> Result<SyncStatusView, IpcError> {
    call(commands::SYNC_NOW, &NoArgs {}).await
}

#[derive(Serialize)]
struct SetLocale {
    locale: Locale,
}

/// Tells the app which language the labels it computes (open-now, hours, dates) should be in.
pub async fn set_locale(locale: Locale) -> Result<(), IpcError> {
    LOCALE.with(|l| l.set(locale));
    call(commands::SET_LOCALE, &SetLocale { locale }).await
}

#[derive(Serialize)]
struct NewRequest<'a> {
    request: &'a NewRequestInput,
}

/// Writes a request on this device; a missing field comes back as `BadInput` in plain words.
pub async fn request_new(request: NewRequestInput) -> Result<RequestView, IpcError> {
    call(commands::REQUEST_NEW, &NewRequest { request: &request }).await
}

pub async fn requests() -> Result<Vec<RequestView>, IpcError> {
    call(commands::REQUESTS, &NoArgs {}).await
}

pub async fn request(id: String) -> Result<RequestView, IpcError> {
    call(commands::REQUEST, &ById { id: &id }).await
}

#[derive(Serialize)]
struct Message<'a> {
    id: &'a str,
    text: &'a str,
}

pub async fn request_message(id: String, text: String) -> Result<RequestView, IpcError> {
    call(
        commands::REQUEST_MESSAGE,
        &Message {
            id: &id,
            text: &text,
        },
    )
    .await
}

pub async fn request_cancel(id: String) -> Result<RequestView, IpcError> {
    call(commands::REQUEST_CANCEL, &ById { id: &id }).await
}

/// "Apagar meus dados": answers how many documents were erased on this device.
pub async fn erase_my_data() -> Result<usize, IpcError> {
    call(commands::ERASE_MY_DATA, &NoArgs {}).await
}

#[derive(Serialize)]
struct Input<'a, T> {
    input: &'a T,
}

pub async fn device() -> Result<DeviceView, IpcError> {
    call(commands::DEVICE, &NoArgs {}).await
}

pub async fn sign_in(input: SignInInput) -> Result<DeviceView, IpcError> {
    call(commands::SIGN_IN, &Input { input: &input }).await
}

#[derive(Serialize)]
struct PinArg<'a> {
    pin: &'a str,
}

pub async fn unlock(pin: String) -> Result<DeviceView, IpcError> {
    call(commands::UNLOCK, &PinArg { pin: &pin }).await
}

pub async fn lock() -> Result<DeviceView, IpcError> {
    call(commands::LOCK, &NoArgs {}).await
}

pub async fn outreaches() -> Result<Vec<OutreachView>, IpcError> {
    call(commands::OUTREACHES, &NoArgs {}).await
}

pub async fn outreach_new(input: OutreachInput) -> Result<OutreachView, IpcError> {
    call(commands::OUTREACH_NEW, &Input { input: &input }).await
}

pub async fn people_find(input: FindPeopleInput) -> Result<Vec<PersonFound>, IpcError> {
    call(commands::PEOPLE_FIND, &Input { input: &input }).await
}

pub async fn person(id: String) -> Result<PersonView, IpcError> {
    call(commands::PERSON, &ById { id: &id }).await
}

pub async fn encounter_record(input: EncounterInput) -> Result<PersonView, IpcError> {
    call(commands::ENCOUNTER_RECORD, &Input { input: &input }).await
}

#[derive(Serialize)]
struct DraftField<'a> {
    form: &'a str,
    field: &'a str,
    value: &'a serde_json::Value,
}

#[derive(Serialize)]
struct Form<'a> {
    form: &'a str,
}

pub async fn draft_save(
    form: String,
    field: String,
    value: serde_json::Value,
) -> Result<(), IpcError> {
    call(
        commands::DRAFT_SAVE,
        &DraftField {
            form: &form,
            field: &field,
            value: &value,
        },
    )
    .await
}

pub async fn draft(form: String) -> Result<serde_json::Map<String, serde_json::Value>, IpcError> {
    call(commands::DRAFT, &Form { form: &form }).await
}

pub async fn draft_discard(form: String) -> Result<(), IpcError> {
    call(commands::DRAFT_DISCARD, &Form { form: &form }).await
}

pub async fn referral_outcome(input: OutcomeInput) -> Result<ReferralView, IpcError> {
    call(commands::REFERRAL_OUTCOME, &Input { input: &input }).await
}

pub async fn referral_slip(id: String) -> Result<SlipView, IpcError> {
    call(commands::REFERRAL_SLIP, &ById { id: &id }).await
}

#[derive(Serialize)]
struct Filter<'a> {
    filter: &'a QueueFilter,
}

pub async fn queue(filter: QueueFilter) -> Result<QueueView, IpcError> {
    call(commands::QUEUE, &Filter { filter: &filter }).await
}

pub async fn queue_request(id: String) -> Result<QueueItem, IpcError> {
    call(commands::QUEUE_REQUEST, &ById { id: &id }).await
}

#[derive(Serialize)]
struct Assign<'a> {
    id: &'a str,
    to: Option<&'a str>,
}

/// Assigns the request to the one signed in.
pub async fn queue_assign(id: String) -> Result<QueueItem, IpcError> {
    call(commands::QUEUE_ASSIGN, &Assign { id: &id, to: None }).await
}

pub async fn queue_answer(input: AnswerInput) -> Result<QueueItem, IpcError> {
    call(commands::QUEUE_ANSWER, &Input { input: &input }).await
}

pub async fn hours_edit(id: String) -> Result<HoursEditView, IpcError> {
    call(commands::HOURS_EDIT, &ById { id: &id }).await
}

pub async fn hours_set(input: HoursInput) -> Result<HoursEditView, IpcError> {
    call(commands::HOURS_SET, &Input { input: &input }).await
}

pub async fn closure_set(input: ClosureInput) -> Result<HoursEditView, IpcError> {
    call(commands::CLOSURE_SET, &Input { input: &input }).await
}

#[derive(Serialize)]
struct OnDate<'a> {
    id: &'a str,
    date: &'a str,
}

pub async fn closure_remove(id: String, date: String) -> Result<HoursEditView, IpcError> {
    call(
        commands::CLOSURE_REMOVE,
        &OnDate {
            id: &id,
            date: &date,
        },
    )
    .await
}

pub async fn review_list() -> Result<Vec<ReviewView>, IpcError> {
    call(commands::REVIEW, &NoArgs {}).await
}

pub async fn report(input: ReportInput) -> Result<ReportView, IpcError> {
    call(commands::REPORT, &Input { input: &input }).await
}

pub async fn people_merge(input: MergeInput) -> Result<PersonView, IpcError> {
    call(commands::PEOPLE_MERGE, &Input { input: &input }).await
}

pub async fn person_erase(input: PersonEraseInput) -> Result<PersonErased, IpcError> {
    call(commands::PERSON_ERASE, &Input { input: &input }).await
}

pub async fn audit_log() -> Result<Vec<AuditEntryView>, IpcError> {
    call(commands::AUDIT_LOG, &NoArgs {}).await
}

pub async fn accounts() -> Result<AccountsView, IpcError> {
    call(commands::ACCOUNTS, &NoArgs {}).await
}

pub async fn account_add(input: NewUserInput) -> Result<AccountUserView, IpcError> {
    call(commands::ACCOUNT_ADD, &Input { input: &input }).await
}

#[derive(Serialize)]
struct Username<'a> {
    username: &'a str,
}

pub async fn account_disable(username: String) -> Result<AccountUserView, IpcError> {
    call(
        commands::ACCOUNT_DISABLE,
        &Username {
            username: &username,
        },
    )
    .await
}

pub async fn device_revoke(id: String) -> Result<AccountDeviceView, IpcError> {
    call(commands::DEVICE_REVOKE, &ById { id: &id }).await
}

pub async fn plan_goal_set(input: PlanGoalInput) -> Result<PersonView, IpcError> {
    call(commands::PLAN_GOAL_SET, &Input { input: &input }).await
}
