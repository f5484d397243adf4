//! A category's services, and everything about one service: open now, address with a map
//! link, phones as `tel:` links, e-mail, the hours table, upcoming closures, what to bring.

use esv_shared::domain::Category;
use esv_shared::ipc::{SearchRequest, ServiceDetail};
use leptos::prelude::*;

use crate::api;
use crate::common::{BackLink, ErrorBox, Loading, OpenOnlyToggle};
use crate::home::category_title;
use crate::i18n::{t, t_string, use_i18n};
use crate::locale::app_labels;
use crate::pictogram::Pictogram;
use crate::requests::AskHelpLink;
use crate::saved::FavouriteButton;
use crate::service_card::{OpenNowBadge, ServiceList};
use crate::share::{ShareBox, SpeakButton};

#[component]
pub fn CategoryPage(category: Category) -> impl IntoView {
    let i18n = use_i18n();
    let labels = app_labels();
    let open_only = RwSignal::new(false);
    let results = LocalResource::new(move || {
        labels.track();
        let request = SearchRequest {
            text: String::new(),
            category: Some(category),
            open_now_only: open_only.get(),
            limit: None,
            ..Default::default()
        };
        api::search(request)
    });
    let retry = Callback::new(move |()| results.refetch());
    view! {
        <BackLink href="#/">{t!(i18n, common.home)}</BackLink>
        <h1 class="page-title with-icon">
            <Pictogram category=category />
            {move || category_title(i18n.get_locale(), category)}
        </h1>
        <OpenOnlyToggle open_only=open_only />
        {move || match results.get() {
            Some(Ok(cards)) => view! { <ServiceList cards=cards empty=t!(i18n, service.no_services) /> }.into_any(),
            Some(Err(e)) => view! { <ErrorBox error=e retry=retry /> }.into_any(),
            None => view! { <Loading /> }.into_any(),
        }}
    }
}

#[component]
pub fn HoursTable(detail: ServiceDetail) -> impl IntoView {
    let i18n = use_i18n();
    if detail.hours.is_empty() {
        return view! { <p>{t!(i18n, service.no_hours)}</p> }.into_any();
    }
    view! {
        <table id="hours">
            <caption>{detail.hours_tz_label}</caption>
            <tbody>
                {detail
                    .hours
                    .into_iter()
                    .map(|row| view! { <tr><th scope="row">{row.day}</th><td>{row.hours}</td></tr> })
                    .collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

fn detail_view(d: ServiceDetail) -> impl IntoView {
    let i18n = use_i18n();
    let address = d.address.clone().map(|a| {
        view! {
            <section aria-labelledby="endereco">
                <h2 id="endereco">{t!(i18n, service.address)}</h2>
                <address>
                    {a.lines.into_iter().map(|line| view! { <span class="line">{line}</span> }).collect_view()}
                </address>
                <a class="button" href=a.maps_url target="_blank" rel="noopener">
                    {t!(i18n, service.open_map)}
                </a>
            </section>
        }
    });
    let contact = (!d.phones.is_empty() || d.email.is_some() || d.website.is_some()).then(|| {
        let phones = d.phones.clone();
        let email = d.email.clone();
        let website = d.website.clone();
        view! {
            <section aria-labelledby="contato">
                <h2 id="contato">{t!(i18n, service.contact)}</h2>
                <ul class="contacts">
                    {phones
                        .into_iter()
                        .map(|p| {
                            let phone = p.display.clone();
                            let label = move || t_string!(i18n, service.call, phone = phone.clone());
                            view! {
                                <li>
                                    <a class="button phone" href=p.tel_url aria-label=label>
                                        <span aria-hidden="true">"☎"</span>{p.display}
                                    </a>
                                    {p.label.map(|l| view! { <span class="hint">{l}</span> })}
                                </li>
                            }
                        })
                        .collect_view()}
                    {email.map(|e| {
                        let href = format!("mailto:{e}");
                        view! { <li><a class="button" href=href><span aria-hidden="true">"✉"</span>{e}</a></li> }
                    })}
                    {website.map(|w| view! { <li><a class="button" href=w.clone() target="_blank" rel="noopener">{t!(i18n, service.open_site)}</a></li> })}
                </ul>
            </section>
        }
    });
    let closures = (!d.next_closures.is_empty()).then(|| {
        let list = d.next_closures.clone();
        view! {
            <section aria-labelledby="fechamentos">
                <h2 id="fechamentos">{t!(i18n, service.closures)}</h2>
                <ul class="plain">
                    {list.into_iter().map(|c| view! { <li><strong>{c.date_label}</strong>": "{c.reason}</li> }).collect_view()}
                </ul>
            </section>
        }
    });
    let documents = (!d.required_documents.is_empty()).then(|| {
        let docs = d.required_documents.clone();
        view! {
            <section aria-labelledby="levar">
                <h2 id="levar">{t!(i18n, service.bring)}</h2>
                <ul class="plain">{docs.into_iter().map(|x| view! { <li>{x}</li> }).collect_view()}</ul>
            </section>
        }
    });
    let sources = (!d.sources.is_empty()).then(|| {
        let sources = d.sources.clone();
        view! {
            <section aria-labelledby="fontes" class="sources">
                <h2 id="fontes">{t!(i18n, common.sources)}</h2>
                <ul class="plain">{sources.into_iter().map(|s| view! { <li>{s.citation}</li> }).collect_view()}</ul>
            </section>
        }
    });
    view! {
        <article class="detail">
            <h1 id="service-name">{d.name.clone()}</h1>
            <p class="service-provider">{d.provider.clone()}</p>
            <OpenNowBadge badge=d.open.clone() />
            <div class="actions">
                <FavouriteButton id=d.id.clone() initial=d.favourite />
                <SpeakButton text=d.speech_text.clone() />
                <AskHelpLink about=d.id.clone() />
            </div>
            <p class="description">{d.description.clone()}</p>
            <section aria-labelledby="para-quem">
                <h2 id="para-quem">{t!(i18n, service.audience)}</h2>
                <p>{d.audience.clone()}</p>
            </section>
            {documents}
            {address}
            {contact}
            <section aria-labelledby="horario">
                <h2 id="horario">{t!(i18n, service.hours)}</h2>
                <HoursTable detail=d.clone() />
            </section>
            {closures}
            <ShareBox text=d.share_text.clone() />
            {sources}
            <p class="reviewed">{d.reviewed_label.clone()}</p>
        </article>
    }
}

#[component]
pub fn ServicePage(id: String) -> impl IntoView {
    let i18n = use_i18n();
    let labels = app_labels();
    let detail = LocalResource::new(move || {
        labels.track();
        api::service(id.clone())
    });
    let retry = Callback::new(move |()| detail.refetch());
    view! {
        <BackLink href="#/">{t!(i18n, common.home)}</BackLink>
        {move || match detail.get() {
            Some(Ok(d)) => detail_view(d).into_any(),
            Some(Err(e)) => view! { <ErrorBox error=e retry=retry /> }.into_any(),
            None => view! { <Loading /> }.into_any(),
        }}
    }
}
