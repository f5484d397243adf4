//! The only module that talks to the backend: one generic [`invoke`] of any command of the
//! table (`esv_shared::ipc::cmd`), and a short typed function per command for the screens. A
//! failure is always an `IpcError` with a message a person can read.

use esv_shared::ipc::accounts::{AccountDeviceView, AccountUserView, AccountsView, NewUserInput};
use esv_shared::ipc::catalog::{ClosureInput, HoursEditView, HoursInput, ReviewView};
use esv_shared::ipc::cmd::{self, Command};
use esv_shared::ipc::gate::{ExpectedView, FacilityInput, ListImportedView, ReleaseInput};
use esv_shared::ipc::office::{
    AnswerInput, PersonEraseInput, PersonErased, QueueFilter, QueueItem, QueueView, ReportInput,
    ReportView,
};
use esv_shared::ipc::team::{
    AuditPageView, ConsentTermView, DeviceView, EncounterInput, FindPeopleInput, MergeInput,
    OutcomeInput, OutreachInput, OutreachView, PersonCopyView, PersonCorrection, PersonFound,
    PersonView, PlanGoalInput, ReferralView, SignInInput, SlipView, WorklistView,
};
use esv_shared::ipc::{
    ArticleSummary, ArticleView, GeoPoint, HomeView, IpcError, IpcErrorKind, Locale,
    NewRequestInput, OpportunityView, RequestView, SearchRequest, ServiceCard, ServiceDetail,
    SyncStatusView,
};
use esv_shared::release::PrisonFacility;
use std::cell::Cell;
use wasm_bindgen::prelude::*;

use crate::i18n::td_string;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = ["window", "__TAURI__", "core"], js_name = invoke, catch)]
    async fn tauri_invoke(cmd: &str, args: JsValue) -> Result<JsValue, JsValue>;
}

/// Invokes the command `C` with its request; answers its response.
pub async fn invoke<C: Command>(request: C) -> Result<C::Response, IpcError> {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    let args = request.serialize(&serializer).map_err(|_| internal())?;
    match tauri_invoke(C::NAME, args).await {
        Ok(value) => serde_wasm_bindgen::from_value(value).map_err(|_| internal()),
        Err(error) => Err(serde_wasm_bindgen::from_value(error).unwrap_or_else(|_| internal())),
    }
}

thread_local! {
    /// The language of the one message this module makes itself; follows [`set_locale`].
    static LOCALE: Cell<Locale> = Cell::new(Locale::default());
}

fn internal() -> IpcError {
    let locale = crate::lang::from_ipc(LOCALE.with(Cell::get));
    IpcError {
        kind: IpcErrorKind::Internal,
        message: td_string!(locale, common.internal_error).to_owned(),
    }
}

pub async fn home(near: Option<GeoPoint>) -> Result<HomeView, IpcError> {
    invoke(cmd::CatalogHome { near }).await
}

pub async fn search_articles(text: String) -> Result<Vec<ArticleSummary>, IpcError> {
    let request = SearchRequest {
        text,
        ..SearchRequest::default()
    };
    invoke(cmd::SearchArticles { request }).await
}

/// Returns whether the service is a favourite now.
pub async fn favourite_set(id: String, on: bool) -> Result<bool, IpcError> {
    invoke(cmd::FavouriteSet { id, on }).await
}

pub async fn favourites(near: Option<GeoPoint>) -> Result<Vec<ServiceCard>, IpcError> {
    invoke(cmd::FavouritesList { near }).await
}

pub async fn recent(near: Option<GeoPoint>) -> Result<Vec<ServiceCard>, IpcError> {
    invoke(cmd::RecentList { near }).await
}

pub async fn opportunities() -> Result<Vec<OpportunityView>, IpcError> {
    invoke(cmd::OpportunitiesList {}).await
}

pub async fn speak(text: String, locale: Locale) -> Result<(), IpcError> {
    invoke(cmd::Speak { text, locale }).await
}

pub async fn stop_speaking() -> Result<(), IpcError> {
    invoke(cmd::StopSpeaking {}).await
}

pub async fn search(request: SearchRequest) -> Result<Vec<ServiceCard>, IpcError> {
    invoke(cmd::SearchServices { request }).await
}

pub async fn service(id: String) -> Result<ServiceDetail, IpcError> {
    invoke(cmd::ServiceDetail { id }).await
}

pub async fn rights() -> Result<Vec<ArticleSummary>, IpcError> {
    invoke(cmd::RightsList {}).await
}

pub async fn article(id: String) -> Result<ArticleView, IpcError> {
    invoke(cmd::RightsArticle { id }).await
}

pub async fn sync_status() -> Result<SyncStatusView, IpcError> {
    invoke(cmd::SyncStatus {}).await
}

pub async fn sync_now() -> Result<SyncStatusView, IpcError> {
    invoke(cmd::SyncNow {}).await
}

/// Tells the app which language the labels it computes (open-now, hours, dates) should be in.
pub async fn set_locale(locale: Locale) -> Result<(), IpcError> {
    LOCALE.with(|l| l.set(locale));
    invoke(cmd::SetLocale { locale }).await
}

/// Writes a request on this device; a missing field comes back as `BadInput` in plain words.
pub async fn request_new(request: NewRequestInput) -> Result<RequestView, IpcError> {
    invoke(cmd::RequestNew { request }).await
}

pub async fn requests() -> Result<Vec<RequestView>, IpcError> {
    invoke(cmd::RequestsList {}).await
}

pub async fn request(id: String) -> Result<RequestView, IpcError> {
    invoke(cmd::RequestDetail { id }).await
}

pub async fn request_message(id: String, text: String) -> Result<RequestView, IpcError> {
    invoke(cmd::RequestMessage { id, text }).await
}

pub async fn request_cancel(id: String) -> Result<RequestView, IpcError> {
    invoke(cmd::RequestCancel { id }).await
}

/// "Apagar meus dados": answers how many documents were erased on this device.
pub async fn erase_my_data() -> Result<usize, IpcError> {
    invoke(cmd::EraseMyData {}).await
}

pub async fn device() -> Result<DeviceView, IpcError> {
    invoke(cmd::DeviceStatus {}).await
}

pub async fn sign_in(input: SignInInput) -> Result<DeviceView, IpcError> {
    invoke(cmd::SignIn { input }).await
}

pub async fn unlock(pin: String) -> Result<DeviceView, IpcError> {
    invoke(cmd::Unlock { pin }).await
}

pub async fn lock() -> Result<DeviceView, IpcError> {
    invoke(cmd::Lock {}).await
}

pub async fn outreaches() -> Result<Vec<OutreachView>, IpcError> {
    invoke(cmd::OutreachesList {}).await
}

/// The consent term to read to a person, in the team's language.
pub async fn consent_term(locale: Locale) -> Result<ConsentTermView, IpcError> {
    invoke(cmd::ConsentTerm { locale }).await
}

pub async fn outreach_new(input: OutreachInput) -> Result<OutreachView, IpcError> {
    invoke(cmd::OutreachNew { input }).await
}

pub async fn people_find(input: FindPeopleInput) -> Result<Vec<PersonFound>, IpcError> {
    invoke(cmd::PeopleFind { input }).await
}

pub async fn person(id: String) -> Result<PersonView, IpcError> {
    invoke(cmd::PersonDetail { id }).await
}

/// The person's copy of their record (JSON and PDF).
pub async fn person_copy(id: String) -> Result<PersonCopyView, IpcError> {
    invoke(cmd::PersonCopy { id }).await
}

/// The person's data corrected, blanks cleared.
pub async fn person_correct(input: PersonCorrection) -> Result<PersonView, IpcError> {
    invoke(cmd::PersonCorrect { input }).await
}

/// The person's consent withdrawn.
pub async fn consent_withdraw(id: String) -> Result<PersonView, IpcError> {
    invoke(cmd::ConsentWithdraw { id }).await
}

pub async fn encounter_record(input: EncounterInput) -> Result<PersonView, IpcError> {
    invoke(cmd::EncounterRecord { input }).await
}

pub async fn draft_save(
    form: String,
    field: String,
    value: serde_json::Value,
) -> Result<(), IpcError> {
    invoke(cmd::DraftSave { form, field, value }).await
}

pub async fn draft(form: String) -> Result<serde_json::Map<String, serde_json::Value>, IpcError> {
    invoke(cmd::DraftGet { form }).await
}

pub async fn draft_discard(form: String) -> Result<(), IpcError> {
    invoke(cmd::DraftDiscard { form }).await
}

pub async fn referral_outcome(input: OutcomeInput) -> Result<ReferralView, IpcError> {
    invoke(cmd::ReferralOutcome { input }).await
}

pub async fn referral_slip(id: String) -> Result<SlipView, IpcError> {
    invoke(cmd::ReferralSlip { id }).await
}

pub async fn queue(filter: QueueFilter) -> Result<QueueView, IpcError> {
    invoke(cmd::QueueList { filter }).await
}

pub async fn queue_request(id: String) -> Result<QueueItem, IpcError> {
    invoke(cmd::QueueRequest { id }).await
}

/// Assigns the request to the one signed in.
pub async fn queue_assign(id: String) -> Result<QueueItem, IpcError> {
    invoke(cmd::QueueAssign { id, to: None }).await
}

pub async fn queue_answer(input: AnswerInput) -> Result<QueueItem, IpcError> {
    invoke(cmd::QueueAnswer { input }).await
}

pub async fn hours_edit(id: String) -> Result<HoursEditView, IpcError> {
    invoke(cmd::HoursEdit { id }).await
}

pub async fn hours_set(input: HoursInput) -> Result<HoursEditView, IpcError> {
    invoke(cmd::HoursSet { input }).await
}

pub async fn closure_set(input: ClosureInput) -> Result<HoursEditView, IpcError> {
    invoke(cmd::ClosureSet { input }).await
}

pub async fn closure_remove(id: String, date: String) -> Result<HoursEditView, IpcError> {
    invoke(cmd::ClosureRemove { id, date }).await
}

pub async fn review_list() -> Result<Vec<ReviewView>, IpcError> {
    invoke(cmd::ReviewList {}).await
}

pub async fn report(input: ReportInput) -> Result<ReportView, IpcError> {
    invoke(cmd::ReportMonthly { input }).await
}

pub async fn people_merge(input: MergeInput) -> Result<PersonView, IpcError> {
    invoke(cmd::PeopleMerge { input }).await
}

pub async fn person_erase(input: PersonEraseInput) -> Result<PersonErased, IpcError> {
    invoke(cmd::PersonErase { input }).await
}

pub async fn audit_log(before: Option<String>) -> Result<AuditPageView, IpcError> {
    invoke(cmd::AuditLog { before }).await
}

pub async fn accounts() -> Result<AccountsView, IpcError> {
    invoke(cmd::AccountsView {}).await
}

pub async fn account_add(input: NewUserInput) -> Result<AccountUserView, IpcError> {
    invoke(cmd::AccountAdd { input }).await
}

pub async fn account_disable(username: String) -> Result<AccountUserView, IpcError> {
    invoke(cmd::AccountDisable { username }).await
}

pub async fn device_revoke(id: String) -> Result<AccountDeviceView, IpcError> {
    invoke(cmd::DeviceRevoke { id }).await
}

pub async fn plan_goal_set(input: PlanGoalInput) -> Result<PersonView, IpcError> {
    invoke(cmd::PlanGoalSet { input }).await
}

pub async fn worklist() -> Result<WorklistView, IpcError> {
    invoke(cmd::Worklist {}).await
}

pub async fn release_entry(id: String) -> Result<ExpectedView, IpcError> {
    invoke(cmd::ReleaseEntry { id }).await
}

pub async fn prison_facilities() -> Result<Vec<PrisonFacility>, IpcError> {
    invoke(cmd::PrisonFacilities {}).await
}

pub async fn release_add(input: ReleaseInput) -> Result<ExpectedView, IpcError> {
    invoke(cmd::ReleaseAdd { input }).await
}

pub async fn facility_save(input: FacilityInput) -> Result<Vec<PrisonFacility>, IpcError> {
    invoke(cmd::FacilitySave { input }).await
}

pub async fn releases_import(list: String) -> Result<ListImportedView, IpcError> {
    invoke(cmd::ReleasesImport { list }).await
}
