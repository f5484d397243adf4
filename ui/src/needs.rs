//! "Preciso de…": large tiles with a pictogram for what a person needs today (documentos,
//! comida hoje, um lugar para dormir…), each opening the search it stands for
//! (`esv_shared::needs`), near the person when they said where they are.

use esv_shared::ipc::SearchRequest;
use esv_shared::needs::{NeedShortcut, NEEDS};
use leptos::prelude::*;

use crate::api;
use crate::common::{BackLink, ErrorBox, Loading, OpenOnlyToggle};
use crate::i18n::{t, t_string, use_i18n};
use crate::locale::{app_labels, to_ipc};
use crate::near_me::{use_near_me, NearMeControl};
use crate::pictogram::NeedPictogram;
use crate::route::Route;
use crate::service_card::ServiceList;

#[component]
pub fn NeedTiles() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section aria-labelledby="preciso">
            <h2 id="preciso">{t!(i18n, needs.title)}</h2>
            <ul class="tiles needs">
                {NEEDS
                    .iter()
                    .map(|n| {
                        let href = Route::Need(n.slug.to_owned()).href();
                        let label = move || n.label(to_ipc(i18n.get_locale()));
                        view! {
                            <li>
                                <a class="tile" href=href data-need=n.slug>
                                    <NeedPictogram name=n.pictogram />
                                    <span class="tile-label">{label}</span>
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}

#[component]
pub fn NeedPage(slug: String) -> impl IntoView {
    let i18n = use_i18n();
    let Some(need) = NeedShortcut::from_slug(&slug) else {
        return view! {
            <BackLink href="#/">{t!(i18n, common.home)}</BackLink>
            <p class="empty">{t!(i18n, needs.unknown)}</p>
        }
        .into_any();
    };
    let labels = app_labels();
    let near = use_near_me();
    let open_only = RwSignal::new(need.open_now);
    let results = LocalResource::new(move || {
        labels.track();
        let request = SearchRequest {
            open_now_only: open_only.get(),
            near: near.point(),
            sort: near.sort(),
            ..need.request()
        };
        api::search(request)
    });
    let retry = Callback::new(move |()| results.refetch());
    let title = move || {
        format!(
            "{} {}",
            t_string!(i18n, needs.title),
            need.label(to_ipc(i18n.get_locale()))
        )
    };
    view! {
        <BackLink href="#/">{t!(i18n, common.home)}</BackLink>
        <h1 class="page-title with-icon"><NeedPictogram name=need.pictogram />{title}</h1>
        <OpenOnlyToggle open_only=open_only />
        <NearMeControl />
        {move || match results.get() {
            Some(Ok(cards)) => view! { <ServiceList cards=cards empty=t!(i18n, needs.none_open) /> }.into_any(),
            Some(Err(e)) => view! { <ErrorBox error=e retry=retry /> }.into_any(),
            None => view! { <Loading /> }.into_any(),
        }}
    }
    .into_any()
}
