//! The command table: every command the UI may invoke, declared once as a typed request (its
//! fields are the named arguments Tauri passes) and the response it answers with. The UI calls
//! them through one generic `invoke`, the replica's `dispatch` answers them for the Tauri shell
//! and the browser tests' bridge alike, and [`names::ALL`] lists them for the checks that every
//! one is served.

use serde::{Deserialize, Serialize};

use super::accounts::{AccountDeviceView, AccountUserView, NewUserInput};
use super::catalog::{ClosureInput, HoursEditView, HoursInput, ReviewView};
use super::gate::{ExpectedView, FacilityInput, ListImportedView, ReleaseInput};
use super::office::{
    AnswerInput, PersonEraseInput, PersonErased, QueueFilter, QueueItem, QueueView, ReportInput,
    ReportView,
};
use super::team::{
    AuditPageView, ConsentTermView, DeviceView, EncounterInput, FindPeopleInput, MergeInput,
    OutcomeInput, OutreachInput, OutreachView, PersonCopyView, PersonCorrection, PersonFound,
    PersonView, PlanGoalInput, ReferralView, SignInInput, SlipView, WorklistView,
};
use super::{
    ArticleSummary, ArticleView, GeoPoint, HomeView, Locale, NewRequestInput, OpportunityView,
    RequestView, SearchRequest, ServiceCard, SyncStatusView,
};
use crate::release::PrisonFacility;

/// One command: its request is `Self`, sent as the object of its named arguments.
pub trait Command: Serialize + for<'de> Deserialize<'de> {
    /// The name the UI invokes and the shell registers.
    const NAME: &'static str;
    /// What it answers with when it succeeds (a failure is always an `IpcError`).
    type Response: Serialize + for<'de> Deserialize<'de>;
}

/// Declares each command's request struct, its [`Command`] impl, and its name in [`names`].
macro_rules! commands {
    ($(
        $(#[doc = $doc:literal])*
        $konst:ident $ty:ident = $name:literal { $($field:ident : $fty:ty),* $(,)? } -> $resp:ty;
    )*) => {
        $(
            $(#[doc = $doc])*
            #[derive(Debug, Clone, Serialize, Deserialize)]
            pub struct $ty {
                $(pub $field: $fty,)*
            }

            impl Command for $ty {
                const NAME: &'static str = $name;
                type Response = $resp;
            }
        )*

        /// Every command's name, as a constant, and [`ALL`] of them.
        pub mod names {
            $(
                #[doc = concat!("`", $name, "`: see [`super::", stringify!($ty), "`].")]
                pub const $konst: &str = $name;
            )*

            /// Every command, for the adapters that must serve them all.
            pub const ALL: &[&str] = &[$($name),*];
        }
    };
}

commands! {
    // The citizen's app: catalog, rights, sync, language, favourites, speech, requests.

    /// The home screen: offices and what is open near `near`.
    HOME CatalogHome = "catalog_home" { near: Option<GeoPoint> } -> HomeView;
    /// Services matching the request, best first, with open-now badges.
    SEARCH SearchServices = "search_services" { request: SearchRequest } -> Vec<ServiceCard>;
    /// One service or office; also noted as seen ("Vistos por último").
    SERVICE ServiceDetail = "service_detail" { id: String } -> super::ServiceDetail;
    /// Every rights article, by group.
    RIGHTS RightsList = "rights_list" {} -> Vec<ArticleSummary>;
    /// One rights article with its sources.
    ARTICLE RightsArticle = "rights_article" { id: String } -> ArticleView;
    /// Whether sync is on, when it last ran, what waits to leave, what is kept aside.
    SYNC_STATUS SyncStatus = "sync_status" {} -> SyncStatusView;
    /// Asks the background sync to run now.
    SYNC_NOW SyncNow = "sync_now" {} -> SyncStatusView;
    /// The language of the labels the views carry (open-now badges, hours, dates). The UI
    /// calls it at start and when the person switches.
    SET_LOCALE SetLocale = "set_locale" { locale: Locale } -> ();
    /// Rights articles matching `request.text` (only the text is used).
    SEARCH_ARTICLES SearchArticles = "search_articles" { request: SearchRequest } -> Vec<ArticleSummary>;
    /// Marks or unmarks a favourite; answers whether it is one now.
    FAVOURITE_SET FavouriteSet = "favourite_set" { id: String, on: bool } -> bool;
    /// Favourites, newest first.
    FAVOURITES FavouritesList = "favourites_list" { near: Option<GeoPoint> } -> Vec<ServiceCard>;
    /// Services opened lately.
    RECENT RecentList = "recent_list" { near: Option<GeoPoint> } -> Vec<ServiceCard>;
    /// Open opportunities (jobs, courses), nearest deadline first.
    OPPORTUNITIES OpportunitiesList = "opportunities_list" {} -> Vec<OpportunityView>;
    /// Reads `text` aloud with the system's voice.
    SPEAK Speak = "speak" { text: String, locale: Locale } -> ();
    /// Stops reading aloud.
    STOP_SPEAKING StopSpeaking = "stop_speaking" {} -> ();
    /// A citizen's request, kept on the device until sync sends it; a missing field is a
    /// `BadInput` in plain words.
    REQUEST_NEW RequestNew = "request_new" { request: NewRequestInput } -> RequestView;
    /// This device's requests, newest first.
    REQUESTS RequestsList = "requests_list" {} -> Vec<RequestView>;
    /// One of this device's requests with its timeline.
    REQUEST RequestDetail = "request_detail" { id: String } -> RequestView;
    /// The person's answer, added to the timeline.
    REQUEST_MESSAGE RequestMessage = "request_message" { id: String, text: String } -> RequestView;
    /// Withdraws a request.
    REQUEST_CANCEL RequestCancel = "request_cancel" { id: String } -> RequestView;
    /// "Apagar meus dados" of a citizen device: on the server first (LGPD erasure), then here;
    /// answers how many documents were erased here.
    ERASE_MY_DATA EraseMyData = "erase_my_data" {} -> usize;

    // The field team: the device's PIN and sign-in, busca ativa, the person's record.

    /// The device: locked or open, its account, its server.
    DEVICE DeviceStatus = "device_status" {} -> DeviceView;
    /// A PIN protects the store first (when it has none), then the account signs in.
    SIGN_IN SignIn = "sign_in" { input: SignInInput } -> DeviceView;
    /// Opens the encrypted store with the PIN.
    UNLOCK Unlock = "unlock" { pin: String } -> DeviceView;
    /// Closes the store and forgets its key.
    LOCK Lock = "lock" {} -> DeviceView;
    /// Outreaches (busca ativa outings), newest first.
    OUTREACHES OutreachesList = "outreaches_list" {} -> Vec<OutreachView>;
    /// The consent term of the signed-in team's office, to read to a person in `locale` (the
    /// screen's; the store's follows it a moment later, and the consent records the store's).
    CONSENT_TERM ConsentTerm = "consent_term" { locale: Locale } -> ConsentTermView;
    /// A new outreach.
    OUTREACH_NEW OutreachNew = "outreach_new" { input: OutreachInput } -> OutreachView;
    /// Search before create: people who may be the one met.
    PEOPLE_FIND PeopleFind = "people_find" { input: FindPeopleInput } -> Vec<PersonFound>;
    /// A person's record.
    PERSON PersonDetail = "person_detail" { id: String } -> PersonView;
    /// A person's copy of their record, as JSON and PDF (noted in the access log).
    PERSON_COPY PersonCopy = "person_copy" { id: String } -> PersonCopyView;
    /// A person's data corrected, blanks included.
    PERSON_CORRECT PersonCorrect = "person_correct" { input: PersonCorrection } -> PersonView;
    /// The person's consent withdrawn: nothing new is kept, what was recorded stays.
    CONSENT_WITHDRAW ConsentWithdraw = "consent_withdraw" { id: String } -> PersonView;
    /// Records an encounter; answers the person's record.
    ENCOUNTER_RECORD EncounterRecord = "encounter_record" { input: EncounterInput } -> PersonView;
    /// Keeps one field of a form's draft.
    DRAFT_SAVE DraftSave = "draft_save" { form: String, field: String, value: serde_json::Value } -> ();
    /// The fields of a form's draft saved so far (`{}` if none).
    DRAFT DraftGet = "draft_get" { form: String } -> serde_json::Map<String, serde_json::Value>;
    /// Drops a form's draft.
    DRAFT_DISCARD DraftDiscard = "draft_discard" { form: String } -> ();
    /// A counter-referral: what the partner did with a referral.
    REFERRAL_OUTCOME ReferralOutcome = "referral_outcome" { input: OutcomeInput } -> ReferralView;
    /// The referral slip (text, QR code, PDF).
    REFERRAL_SLIP ReferralSlip = "referral_slip" { id: String } -> SlipView;
    /// A new goal of the individual plan, or a goal's new status.
    PLAN_GOAL_SET PlanGoalSet = "plan_goal_set" { input: PlanGoalInput } -> PersonView;
    /// "Pendências": returns, plan goals and referrals due or overdue for the office's people,
    /// most overdue first.
    WORKLIST Worklist = "worklist" {} -> WorklistView;
    /// The office's prison units.
    PRISON_FACILITIES PrisonFacilities = "prison_facilities" {} -> Vec<PrisonFacility>;
    /// A person typed into the list of expected releases.
    RELEASE_ADD ReleaseAdd = "release_add" { input: ReleaseInput } -> ExpectedView;
    /// One entry of the list, to start a gate encounter from.
    RELEASE_ENTRY ReleaseEntry = "release_entry" { id: String } -> ExpectedView;

    // The office console: requests queue, catalog editor, report, people, audit, accounts.

    /// The requests queue (staff).
    QUEUE QueueList = "queue_list" { filter: QueueFilter } -> QueueView;
    /// One request of the queue; opening a new one marks it received.
    QUEUE_REQUEST QueueRequest = "queue_request" { id: String } -> QueueItem;
    /// Assigns a request; `to` missing: the one signed in.
    QUEUE_ASSIGN QueueAssign = "queue_assign" { id: String, to: Option<String> } -> QueueItem;
    /// Answers a request.
    QUEUE_ANSWER QueueAnswer = "queue_answer" { input: AnswerInput } -> QueueItem;
    /// A place's hours and closures, for editing (staff).
    HOURS_EDIT HoursEdit = "hours_edit" { id: String } -> HoursEditView;
    /// New opening hours for a place.
    HOURS_SET HoursSet = "hours_set" { input: HoursInput } -> HoursEditView;
    /// Adds or renames one of the office's prison units (staff).
    FACILITY_SAVE FacilitySave = "facility_save" { input: FacilityInput } -> Vec<PrisonFacility>;
    /// Reads a unit's list of expected releases (CSV text; staff).
    RELEASES_IMPORT ReleasesImport = "releases_import" { list: String } -> ListImportedView;
    /// A day a place is closed.
    CLOSURE_SET ClosureSet = "closure_set" { input: ClosureInput } -> HoursEditView;
    /// Removes a closure.
    CLOSURE_REMOVE ClosureRemove = "closure_remove" { id: String, date: String } -> HoursEditView;
    /// What was not reviewed for six months.
    REVIEW ReviewList = "review_list" {} -> Vec<ReviewView>;
    /// The monthly report (Staff, Coordinator).
    REPORT ReportMonthly = "report_monthly" { input: ReportInput } -> ReportView;
    /// Merges two records of one person; answers the record kept.
    PEOPLE_MERGE PeopleMerge = "people_merge" { input: MergeInput } -> PersonView;
    /// Erases a person (LGPD); needs the server.
    PERSON_ERASE PersonErase = "person_erase" { input: PersonEraseInput } -> PersonErased;
    /// A page of the audit log, last arrived first: the first, or the one after `before`
    /// (Coordinator; needs the server).
    AUDIT_LOG AuditLog = "audit_log" { before: Option<String> } -> AuditPageView;
    /// The office's accounts and devices (Coordinator; needs the server).
    ACCOUNTS AccountsView = "accounts_view" {} -> super::accounts::AccountsView;
    /// A new account.
    ACCOUNT_ADD AccountAdd = "account_add" { input: NewUserInput } -> AccountUserView;
    /// Disables an account: its devices send what they hold, then wipe.
    ACCOUNT_DISABLE AccountDisable = "account_disable" { username: String } -> AccountUserView;
    /// Revokes a device; it is wiped at its next sync.
    DEVICE_REVOKE DeviceRevoke = "device_revoke" { id: String } -> AccountDeviceView;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_snake_case() {
        let mut seen = std::collections::BTreeSet::new();
        for name in names::ALL {
            assert!(seen.insert(*name), "{name} is declared twice");
            assert!(
                name.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
                "{name} is not snake_case"
            );
        }
        assert_eq!(names::ALL.len(), 63);
    }

    #[test]
    fn a_request_is_the_object_of_its_named_arguments() {
        let wire = serde_json::to_value(FavouriteSet {
            id: "es-vitoria".into(),
            on: true,
        })
        .expect("serializes");
        assert_eq!(wire, serde_json::json!({"id": "es-vitoria", "on": true}));
        // An optional argument may be left out, as Tauri allows.
        let assign: QueueAssign =
            serde_json::from_value(serde_json::json!({"id": "r1"})).expect("to is optional");
        assert_eq!(assign.to, None);
        let empty: RightsList = serde_json::from_value(serde_json::json!({})).expect("no args");
        assert_eq!(
            serde_json::to_value(empty).expect("ser"),
            serde_json::json!({})
        );
        assert!(serde_json::from_value::<Unlock>(serde_json::json!({})).is_err());
    }
}
