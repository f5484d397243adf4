//! The first screen: search as you type, the categories as large tiles with pictograms, the
//! office, every service with its open-now badge, the way to "Seus direitos", and how fresh the
//! data are.

use esv_shared::domain::Category;
use esv_shared::ipc::{ArticleSummary, CategoryCount, HomeView, SearchRequest};
use leptos::prelude::*;

use crate::api;
use crate::common::{ErrorBox, Loading, OpenOnlyToggle};
use crate::i18n::{t, t_string, td_string, use_i18n, Locale};
use crate::locale::app_labels;
use crate::near_me::{use_near_me, NearMeControl};
use crate::needs::NeedTiles;
use crate::pictogram::Pictogram;
use crate::requests::AskEntry;
use crate::route::Route;
use crate::service_card::ServiceList;
use crate::sync_bar::SyncBar;

/// The home screen's small link for staff (to `team.html`, through the frame).
#[component]
fn TeamLink() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class="team-link"><a id="team-entry" href=Route::Team.href()>{t!(i18n, team.entry)}</a></p>
    }
}

#[component]
pub fn SearchBox(query: RwSignal<String>, open_only: RwSignal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <form class="search" role="search" on:submit=|ev| ev.prevent_default()>
            <label for="search">{t!(i18n, home.search_label)}</label>
            <input
                id="search"
                type="search"
                autocomplete="off"
                placeholder=move || t_string!(i18n, home.search_placeholder)
                prop:value=move || query.get()
                on:input=move |ev| query.set(event_target_value(&ev))
            />
            <OpenOnlyToggle open_only=open_only />
        </form>
    }
}

#[component]
pub fn CategoryTiles(categories: Vec<CategoryCount>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section aria-labelledby="categorias">
            <h2 id="categorias">{t!(i18n, home.categories)}</h2>
            <ul class="tiles">
                {categories
                    .into_iter()
                    .map(|c| {
                        let href = Route::Category(c.category).href();
                        let count = move || match c.count {
                            1 => t_string!(i18n, home.one_service).to_string(),
                            n => t_string!(i18n, home.many_services, count = n).to_string(),
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
    let i18n = use_i18n();
    view! {
        <a id="rights-link" class="rights-entry" href=Route::Rights.href()>
            <span class="rights-title">{t!(i18n, home.rights_title)}</span>
            <span class="rights-text">{t!(i18n, home.rights_text)}</span>
        </a>
    }
}

/// Links to what the person keeps here and to the offices' opportunities.
#[component]
fn MoreLinks() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <nav class="more-links" aria-label=move || t_string!(i18n, home.more)>
            <a class="button" id="saved-link" href=Route::Saved.href()>
                <span aria-hidden="true">"★"</span>{t!(i18n, saved.link)}
            </a>
            <a class="button" id="opportunities-link" href=Route::Opportunities.href()>
                {t!(i18n, opportunities.link)}
            </a>
            <a class="button" id="requests-link" href=Route::Requests.href()>
                {t!(i18n, request.mine_link)}
            </a>
        </nav>
    }
}

fn home_body(home: HomeView) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <NeedTiles />
        <section aria-labelledby="escritorio">
            <h2 id="escritorio">{t!(i18n, home.office)}</h2>
            <ServiceList cards=home.offices empty=t!(i18n, home.no_office) />
        </section>
        <AskEntry />
        <RightsEntry />
        <MoreLinks />
        <CategoryTiles categories=home.categories />
        <NearMeControl />
        <section aria-labelledby="todos">
            <h2 id="todos">{t!(i18n, home.all_services)}</h2>
            <ServiceList cards=home.services empty=t!(i18n, home.empty_catalog) />
        </section>
        <footer class="status">
            <p>{home.status.updated_label}</p>
            <SyncBar />
            <TeamLink />
        </footer>
    }
}

#[component]
pub fn HomePage(initial: String) -> impl IntoView {
    let i18n = use_i18n();
    let labels = app_labels();
    let query = RwSignal::new(initial);
    let open_only = RwSignal::new(false);
    let near = use_near_me();
    let home = LocalResource::new(move || {
        labels.track();
        api::home(near.point())
    });
    let articles = LocalResource::new(move || {
        labels.track();
        let text = query.get();
        async move {
            if text.trim().chars().count() < 2 {
                Vec::new()
            } else {
                api::search_articles(text).await.unwrap_or_default()
            }
        }
    });
    let results = LocalResource::new(move || {
        labels.track();
        let request = SearchRequest {
            text: query.get(),
            category: None,
            open_now_only: open_only.get(),
            limit: Some(50),
            near: near.point(),
            sort: near.sort(),
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
            Some(Some(Ok(cards))) => {
                let count = cards.len();
                view! {
                    <section aria-labelledby="resultados" aria-live="polite">
                        <h2 id="resultados">{t!(i18n, home.results, count)}</h2>
                        <ServiceList cards=cards empty=t!(i18n, home.no_results) />
                    </section>
                    <ArticleResults articles=articles />
                }.into_any()
            }
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

/// Rights articles about what was typed, under the services.
#[component]
fn ArticleResults(articles: LocalResource<Vec<ArticleSummary>>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        let list = articles.get().unwrap_or_default();
        (!list.is_empty()).then(|| {
            let list: Vec<_> = list.into_iter().take(5).collect();
            view! {
                <section aria-labelledby="direitos-resultados">
                    <h2 id="direitos-resultados">{t!(i18n, home.articles)}</h2>
                    <ul class="cards">
                        {list
                            .into_iter()
                            .map(|a| {
                                let href = Route::Article(a.id.clone()).href();
                                view! {
                                    <li>
                                        <a class="article-card" href=href data-id=a.id.clone()>
                                            <span class="service-name">{a.title}</span>
                                            <span class="service-provider">{a.group_label}</span>
                                            <span class="service-summary">{a.summary}</span>
                                        </a>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                </section>
            }
        })
    }
}

/// A category's name in the screen's language, for titles.
pub fn category_title(locale: Locale, category: Category) -> &'static str {
    match category {
        Category::Documents => td_string!(locale, categories.documents),
        Category::Health => td_string!(locale, categories.health),
        Category::WorkIncome => td_string!(locale, categories.work_income),
        Category::SocialAssistance => td_string!(locale, categories.social_assistance),
        Category::Food => td_string!(locale, categories.food),
        Category::Housing => td_string!(locale, categories.housing),
        Category::Legal => td_string!(locale, categories.legal),
        Category::Education => td_string!(locale, categories.education),
        Category::Family => td_string!(locale, categories.family),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn category_titles_in_pt_br_are_the_catalog_labels() {
        for category in Category::ALL {
            assert_eq!(category_title(Locale::pt_BR, category), category.label());
            assert_ne!(category_title(Locale::es, category), "");
        }
    }
}
