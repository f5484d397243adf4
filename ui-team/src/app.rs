//! The screen each team or office route shows; the kit's frame draws it (and sends a
//! citizen's route to `index.html`, so those never reach here).

use leptos::prelude::*;

use crate::accounts::AccountsPage;
use crate::catalog_editor::{CatalogPage, HoursPage};
use crate::encounter::EncounterPage;
use crate::office::{AuditPage, OfficePage};
use crate::person::{PersonPage, SlipPage};
use crate::queue::{QueuePage, QueueRequestPage};
use crate::releases::ReleasesPage;
use crate::reports::ReportsPage;
use crate::route::{Page, Route};
use crate::team::TeamPage;

pub fn screen(route: Route) -> AnyView {
    match route {
        Route::Team => view! { <TeamPage /> }.into_any(),
        Route::Encounter { outreach, person } => {
            view! { <EncounterPage outreach=outreach person=person release=None /> }.into_any()
        }
        Route::Gate(id) => {
            view! { <EncounterPage outreach=None person=None release=Some(id) /> }.into_any()
        }
        Route::Person(id) => view! { <PersonPage id=id /> }.into_any(),
        Route::Slip(id) => view! { <SlipPage id=id /> }.into_any(),
        Route::Queue => view! { <QueuePage /> }.into_any(),
        Route::QueueRequest(id) => view! { <QueueRequestPage id=id /> }.into_any(),
        Route::Office => view! { <OfficePage /> }.into_any(),
        Route::Catalog => view! { <CatalogPage /> }.into_any(),
        Route::Hours(id) => view! { <HoursPage id=id /> }.into_any(),
        Route::Reports(period) => view! { <ReportsPage period=period /> }.into_any(),
        Route::Audit(before) => view! { <AuditPage before=before /> }.into_any(),
        Route::Accounts => view! { <AccountsPage /> }.into_any(),
        Route::Releases => view! { <ReleasesPage /> }.into_any(),
        citizen => {
            debug_assert_eq!(citizen.page(), Page::Citizen);
            ().into_any()
        }
    }
}
