//! The frame of both pages: a top bar with the language switch, and the screen the URL hash
//! names (once the app has been told the language). A hash the other page serves — a link to
//! `#/equipe` on the citizen's page, `#/` on the team's — loads that page with the same hash.

use leptos::ev;
use leptos::prelude::*;

use crate::i18n::{t, t_string, use_i18n};
use crate::locale::{app_labels, LanguageSwitch, LocaleProvider};
use crate::route::{Page, Route};

fn current_route() -> Route {
    let hash = window().location().hash().unwrap_or_default();
    Route::parse(&hash)
}

/// Replaces this page by the one serving `route` (keeping the query and hash), unless it is
/// `here`. Returns whether it left. `replace`, so the back button skips the hop.
fn leave_for(route: &Route, here: Page) -> bool {
    let page = route.page();
    if page == here {
        return false;
    }
    let location = window().location();
    let search = location.search().unwrap_or_default();
    let hash = location.hash().unwrap_or_default();
    let _ = location.replace(&format!("{}{search}{hash}", page.file()));
    true
}

/// Starts page `here`: a hash of the other page goes there before anything is drawn;
/// otherwise `setup` runs (contexts the screens need) and the frame is mounted, drawing each
/// route with `screen`.
pub fn start(here: Page, setup: fn(), screen: fn(Route) -> AnyView) {
    console_error_panic_hook::set_once();
    if leave_for(&current_route(), here) {
        return;
    }
    leptos::mount::mount_to_body(move || {
        setup();
        view! {
            <LocaleProvider>
                <Frame here=here screen=screen />
            </LocaleProvider>
        }
    });
}

#[component]
fn Frame(here: Page, screen: fn(Route) -> AnyView) -> impl IntoView {
    let i18n = use_i18n();
    let labels = app_labels();
    let route = RwSignal::new(current_route());
    let handle = window_event_listener(ev::hashchange, move |_| {
        let next = current_route();
        if leave_for(&next, here) {
            return;
        }
        route.set(next);
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
            <Show when=move || labels.get().is_some()>{move || screen(route.get())}</Show>
        </main>
    }
}
