//! What the person keeps on this device: favourite services ("Salvar") and the ones opened
//! lately. Nothing here leaves the device.

use leptos::prelude::*;

use crate::api;
use crate::common::{BackLink, ErrorBox, Loading};
use crate::i18n::{t, t_string, use_i18n};
use crate::locale::app_labels;
use crate::near_me::use_near_me;
use crate::service_card::ServiceList;

/// "Salvar" / "Salvo" on a service page.
#[component]
pub fn FavouriteButton(id: String, initial: bool) -> impl IntoView {
    let i18n = use_i18n();
    let on = RwSignal::new(initial);
    let id = StoredValue::new(id);
    let toggle = move |_| {
        let want = !on.get_untracked();
        wasm_bindgen_futures::spawn_local(async move {
            if let Ok(now) = api::favourite_set(id.get_value(), want).await {
                on.set(now);
            }
        });
    };
    view! {
        <button
            type="button"
            class="button favourite"
            id="favourite-button"
            aria-pressed=move || on.get().to_string()
            on:click=toggle
        >
            <span aria-hidden="true">{move || if on.get() { "★" } else { "☆" }}</span>
            {move || if on.get() { t_string!(i18n, saved.saved) } else { t_string!(i18n, saved.save) }}
        </button>
    }
}

#[component]
pub fn SavedPage() -> impl IntoView {
    let i18n = use_i18n();
    let labels = app_labels();
    let near = use_near_me();
    let favourites = LocalResource::new(move || {
        labels.track();
        api::favourites(near.point())
    });
    let recent = LocalResource::new(move || {
        labels.track();
        api::recent(near.point())
    });
    let retry = Callback::new(move |()| {
        favourites.refetch();
        recent.refetch();
    });
    view! {
        <BackLink href="#/">{t!(i18n, common.home)}</BackLink>
        <h1 class="page-title">{t!(i18n, saved.title)}</h1>
        <p class="hint">{t!(i18n, saved.only_here)}</p>
        <section aria-labelledby="favoritos">
            <h2 id="favoritos">{t!(i18n, saved.favourites)}</h2>
            {move || match favourites.get() {
                Some(Ok(cards)) => view! { <ServiceList cards=cards empty=t!(i18n, saved.no_favourites) /> }.into_any(),
                Some(Err(e)) => view! { <ErrorBox error=e retry=retry /> }.into_any(),
                None => view! { <Loading /> }.into_any(),
            }}
        </section>
        <section aria-labelledby="recentes">
            <h2 id="recentes">{t!(i18n, saved.recent)}</h2>
            {move || match recent.get() {
                Some(Ok(cards)) => view! { <ServiceList cards=cards empty=t!(i18n, saved.no_recent) /> }.into_any(),
                Some(Err(e)) => view! { <ErrorBox error=e retry=retry /> }.into_any(),
                None => view! { <Loading /> }.into_any(),
            }}
        </section>
    }
}
