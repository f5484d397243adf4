//! The app's frame: a top bar and the screen the URL hash names.

use leptos::ev;
use leptos::prelude::*;

use crate::home::HomePage;
use crate::rights::{ArticlePage, RightsPage};
use crate::route::Route;
use crate::service_page::{CategoryPage, ServicePage};

fn current_route() -> Route {
    let hash = window().location().hash().unwrap_or_default();
    Route::parse(&hash)
}

#[component]
pub fn App() -> impl IntoView {
    let route = RwSignal::new(current_route());
    let handle = window_event_listener(ev::hashchange, move |_| {
        route.set(current_route());
        window().scroll_to_with_x_and_y(0.0, 0.0);
    });
    on_cleanup(move || handle.remove());
    view! {
        <header class="topbar">
            <a class="brand" href="#/" aria-label="Escritório Social Virtual: início">
                <span class="brand-mark" aria-hidden="true">"ES"</span>
                <span class="brand-name">"Escritório Social Virtual"</span>
            </a>
        </header>
        <main id="conteudo">
            {move || match route.get() {
                Route::Home => view! { <HomePage initial=String::new() /> }.into_any(),
                Route::Search(q) => view! { <HomePage initial=q /> }.into_any(),
                Route::Category(c) => view! { <CategoryPage category=c /> }.into_any(),
                Route::Service(id) => view! { <ServicePage id=id /> }.into_any(),
                Route::Rights => view! { <RightsPage /> }.into_any(),
                Route::Article(id) => view! { <ArticlePage id=id /> }.into_any(),
            }}
        </main>
    }
}
