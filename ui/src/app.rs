//! The screen each citizen route shows; the kit's frame draws it (and sends a team or office
//! route to `team.html`, so those never reach here).

use leptos::prelude::*;

use crate::home::HomePage;
use crate::needs::NeedPage;
use crate::opportunities::OpportunitiesPage;
use crate::requests::{AskPage, RequestPage, RequestsPage};
use crate::rights::{ArticlePage, RightsPage};
use crate::route::{Page, Route};
use crate::saved::SavedPage;
use crate::service_page::{CategoryPage, ServicePage};

pub fn screen(route: Route) -> AnyView {
    match route {
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
        team => {
            debug_assert_eq!(team.page(), Page::Team);
            ().into_any()
        }
    }
}
