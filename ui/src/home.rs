//! The first screen: search as you type, the categories as large tiles with pictograms, the
//! office, every service with its open-now badge, the way to "Seus direitos", and how fresh the
//! data are.

use esv_shared::domain::Category;
use esv_shared::ipc::{CategoryCount, HomeView, SearchRequest};
use leptos::prelude::*;

use crate::api;
use crate::common::{ErrorBox, Loading};
use crate::pictogram::Pictogram;
use crate::route::Route;
use crate::service_card::ServiceList;
use crate::sync_bar::SyncBar;

#[component]
pub fn SearchBox(query: RwSignal<String>, open_only: RwSignal<bool>) -> impl IntoView {
    view! {
        <form class="search" role="search" on:submit=|ev| ev.prevent_default()>
            <label for="search">"O que você procura?"</label>
            <input
                id="search"
                type="search"
                autocomplete="off"
                placeholder="Ex.: identidade, emprego, comida"
                prop:value=move || query.get()
                on:input=move |ev| query.set(event_target_value(&ev))
            />
            <label class="toggle">
                <input
                    type="checkbox"
                    prop:checked=move || open_only.get()
                    on:change=move |ev| open_only.set(event_target_checked(&ev))
                />
                "Só lugares abertos agora"
            </label>
        </form>
    }
}

#[component]
pub fn CategoryTiles(categories: Vec<CategoryCount>) -> impl IntoView {
    view! {
        <section aria-labelledby="categorias">
            <h2 id="categorias">"Categorias"</h2>
            <ul class="tiles">
                {categories
                    .into_iter()
                    .map(|c| {
                        let href = Route::Category(c.category).href();
                        let count = match c.count {
                            1 => "1 serviço".to_owned(),
                            n => format!("{n} serviços"),
                        };
                        view! {
                            <li>
                                <a class="tile" href=href data-category=c.category.slug()>
                                    <Pictogram category=c.category />
                                    <span class="tile-label">{c.label}</span>
                                    <span class="tile-count">{count}</span>
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
fn RightsEntry() -> impl IntoView {
    view! {
        <a id="rights-link" class="rights-entry" href=Route::Rights.href()>
            <span class="rights-title">"Seus direitos"</span>
            <span class="rights-text">"Documentos, pena, trabalho, benefícios e ajuda jurídica, em palavras simples."</span>
        </a>
    }
}

fn home_body(home: HomeView) -> impl IntoView {
    view! {
        <section aria-labelledby="escritorio">
            <h2 id="escritorio">"Escritório Social"</h2>
            <ServiceList cards=home.offices empty="Nenhum escritório no catálogo." />
        </section>
        <RightsEntry />
        <CategoryTiles categories=home.categories />
        <section aria-labelledby="todos">
            <h2 id="todos">"Todos os serviços"</h2>
            <ServiceList cards=home.services empty="O catálogo está vazio." />
        </section>
        <footer class="status">
            <p>{home.status.updated_label}</p>
            <SyncBar />
        </footer>
    }
}

#[component]
pub fn HomePage(initial: String) -> impl IntoView {
    let query = RwSignal::new(initial);
    let open_only = RwSignal::new(false);
    let home = LocalResource::new(api::home);
    let results = LocalResource::new(move || {
        let request = SearchRequest {
            text: query.get(),
            category: None,
            open_now_only: open_only.get(),
            limit: Some(50),
        };
        async move {
            if request.text.trim().is_empty() && !request.open_now_only {
                None
            } else {
                Some(api::search(request).await)
            }
        }
    });
    let retry_home = Callback::new(move |()| home.refetch());
    let retry_search = Callback::new(move |()| results.refetch());
    view! {
        <SearchBox query=query open_only=open_only />
        {move || match results.get() {
            Some(Some(Ok(cards))) => view! {
                <section aria-labelledby="resultados" aria-live="polite">
                    <h2 id="resultados">{format!("Resultados ({})", cards.len())}</h2>
                    <ServiceList cards=cards empty="Nada encontrado. Tente outra palavra, como \"documento\", \"emprego\" ou \"saúde\"." />
                </section>
            }.into_any(),
            Some(Some(Err(e))) => view! { <ErrorBox error=e retry=retry_search /> }.into_any(),
            Some(None) => match home.get() {
                Some(Ok(view)) => home_body(view).into_any(),
                Some(Err(e)) => view! { <ErrorBox error=e retry=retry_home /> }.into_any(),
                None => view! { <Loading /> }.into_any(),
            },
            None => view! { <Loading /> }.into_any(),
        }}
    }
}

/// The pt-BR label of a category, for titles.
pub fn category_title(category: Category) -> &'static str {
    category.label()
}
