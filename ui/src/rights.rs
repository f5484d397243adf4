//! "Seus direitos": the articles grouped by theme, and one article with its sources, where to
//! get help, and the reminder that this is not legal advice.

use esv_shared::ipc::{ArticleSummary, ArticleView};
use leptos::prelude::*;

use crate::api;
use crate::common::{BackLink, ErrorBox, Loading};
use crate::i18n::{t, use_i18n};
use crate::locale::app_labels;
use crate::route::Route;
use crate::service_card::ServiceList;
use crate::share::SpeakButton;

fn grouped(list: Vec<ArticleSummary>) -> Vec<(String, Vec<ArticleSummary>)> {
    let mut groups: Vec<(String, Vec<ArticleSummary>)> = Vec::new();
    for article in list {
        match groups.iter_mut().find(|(g, _)| *g == article.group_label) {
            Some((_, items)) => items.push(article),
            None => groups.push((article.group_label.clone(), vec![article])),
        }
    }
    groups
}

#[component]
pub fn RightsPage() -> impl IntoView {
    let i18n = use_i18n();
    let labels = app_labels();
    let list = LocalResource::new(move || {
        labels.track();
        api::rights()
    });
    let retry = Callback::new(move |()| list.refetch());
    view! {
        <BackLink href="#/">{t!(i18n, common.home)}</BackLink>
        <h1 class="page-title">{t!(i18n, rights.title)}</h1>
        <p class="lead">{t!(i18n, rights.lead)}</p>
        {move || match list.get() {
            Some(Ok(list)) => grouped(list)
                .into_iter()
                .map(|(group, items)| view! {
                    <section>
                        <h2>{group}</h2>
                        <ul class="cards">
                            {items.into_iter().map(|a| {
                                let href = Route::Article(a.id.clone()).href();
                                view! {
                                    <li>
                                        <a class="article-card" data-id=a.id.clone() href=href>
                                            <span class="article-name">{a.title}</span>
                                            <span class="article-summary">{a.summary}</span>
                                        </a>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    </section>
                })
                .collect_view()
                .into_any(),
            Some(Err(e)) => view! { <ErrorBox error=e retry=retry /> }.into_any(),
            None => view! { <Loading /> }.into_any(),
        }}
    }
}

fn article_view(a: ArticleView) -> impl IntoView {
    let i18n = use_i18n();
    let spoken = format!("{}. {} {}", a.title, a.summary, a.body.join(" "));
    // A text without Spanish comes in Portuguese (its title says so): read aloud as Portuguese.
    let lang = a.language.tag();
    view! {
        <article class="detail" lang=lang>
            <p class="group-label">{a.group_label}</p>
            <h1 id="article-title">{a.title}</h1>
            <SpeakButton text=spoken />
            <p class="lead">{a.summary}</p>
            {a.body.into_iter().map(|p| view! { <p>{p}</p> }).collect_view()}
            <aside class="disclaimer" role="note">{a.disclaimer}</aside>
            <section aria-labelledby="ajuda">
                <h2 id="ajuda">{t!(i18n, rights.where_help)}</h2>
                <ServiceList cards=a.help_services empty=t!(i18n, rights.no_help) />
            </section>
            <section class="sources" aria-labelledby="fontes">
                <h2 id="fontes">{t!(i18n, common.sources)}</h2>
                <ul class="plain">
                    {a.sources.into_iter().map(|s| match s.url {
                        Some(url) => view! { <li><a href=url target="_blank" rel="noopener">{s.citation}</a></li> }.into_any(),
                        None => view! { <li>{s.citation}</li> }.into_any(),
                    }).collect_view()}
                </ul>
            </section>
            <p class="reviewed">{a.reviewed_label}</p>
        </article>
    }
}

#[component]
pub fn ArticlePage(id: String) -> impl IntoView {
    let i18n = use_i18n();
    let labels = app_labels();
    let article = LocalResource::new(move || {
        labels.track();
        api::article(id.clone())
    });
    let retry = Callback::new(move |()| article.refetch());
    view! {
        <BackLink href=Route::Rights.href()>{t!(i18n, rights.title)}</BackLink>
        {move || match article.get() {
            Some(Ok(a)) => article_view(a).into_any(),
            Some(Err(e)) => view! { <ErrorBox error=e retry=retry /> }.into_any(),
            None => view! { <Loading /> }.into_any(),
        }}
    }
}
