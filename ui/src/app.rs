//! The app's frame: a top bar with the language switch, and the screen the URL hash names (once
//! the app has been told the language).

use leptos::ev;
use leptos::prelude::*;

use crate::accounts::AccountsPage;
use crate::catalog_editor::{CatalogPage, HoursPage};
use crate::encounter::EncounterPage;
use crate::home::HomePage;
use crate::i18n::{t, t_string, use_i18n};
use crate::locale::{app_labels, LanguageSwitch, LocaleProvider};
use crate::near_me::provide_near_me;
use crate::needs::NeedPage;
use crate::office::{AuditPage, OfficePage};
use crate::opportunities::OpportunitiesPage;
use crate::person::{PersonPage, SlipPage};
use crate::queue::{QueuePage, QueueRequestPage};
use crate::reports::ReportsPage;
use crate::requests::{AskPage, RequestPage, RequestsPage};
use crate::rights::{ArticlePage, RightsPage};
use crate::route::Route;
use crate::saved::SavedPage;
use crate::service_page::{CategoryPage, ServicePage};
use crate::team::TeamPage;

fn current_route() -> Route {
    let hash = window().location().hash().unwrap_or_default();
    Route::parse(&hash)
}

#[component]
pub fn App() -> impl IntoView {
    view! {
        <LocaleProvider>
            <Frame />
        </LocaleProvider>
    }
}

#[component]
fn Frame() -> impl IntoView {
    provide_near_me();
    let i18n = use_i18n();
    let labels = app_labels();
    let route = RwSignal::new(current_route());
    let handle = window_event_listener(ev::hashchange, move |_| {
        route.set(current_route());
        window().scroll_to_with_x_and_y(0.0, 0.0);
    });
    on_cleanup(move || handle.remove());
    view! {
        <header class="topbar">
            <a class="brand" href="#/" aria-label=move || t_string!(i18n, app.home_link)>
                <span class="brand-mark" aria-hidden="true">"ES"</span>
                <span class="brand-name">{t!(i18n, app.name)}</span>
            </a>
            <LanguageSwitch />
        </header>
        <main id="conteudo">
            <Show when=move || labels.get().is_some()>
                {move || match route.get() {
                    Route::Home => view! { <HomePage initial=String::new() /> }.into_any(),
                    Route::Search(q) => view! { <HomePage initial=q /> }.into_any(),
                    Route::Category(c) => view! { <CategoryPage category=c /> }.into_any(),
                    Route::Service(id) => view! { <ServicePage id=id /> }.into_any(),
                    Route::Rights => view! { <RightsPage /> }.into_any(),
                    Route::Article(id) => view! { <ArticlePage id=id /> }.into_any(),
                Route::Need(slug) => view! { <NeedPage slug=slug /> }.into_any(),
                Route::Saved => view! { <SavedPage /> }.into_any(),
                Route::Opportunities => view! { <OpportunitiesPage /> }.into_any(),
                Route::Ask(service) => view! { <AskPage service=service /> }.into_any(),
                Route::Requests => view! { <RequestsPage /> }.into_any(),
                Route::Request(id) => view! { <RequestPage id=id /> }.into_any(),
                Route::Team => view! { <TeamPage /> }.into_any(),
                Route::Encounter { outreach, person } => view! { <EncounterPage outreach=outreach person=person /> }.into_any(),
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
                }}
            </Show>
        </main>
    }
}
