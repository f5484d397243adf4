//! The office's requests queue (staff): new requests first, counts per status, filters by kind,
//! status and "só os meus", and one request's page — the person's words and contact, the
//! timeline, "Assumir" and the answer with a new status. The citizen sees it after a sync.

use esv_shared::ipc::office::{AnswerInput, QueueFilter, QueueItem, QueueView, QUEUE_PAGE};
use esv_shared::ipc::{RequestStatus, RequestView};
use esv_shared::requests::{self, RequestKind};
use leptos::prelude::*;

use crate::api;
use crate::common::{field_error, focus, BackLink, ErrorBox, Loading};
use crate::i18n::{t, t_string, use_i18n};
use crate::request_parts::{kind_words, timeline, StatusBadge};
use crate::route::Route;
use crate::team::on_team_error;

/// The statuses staff can set, with the queue's words.
const ANSWER_STATUSES: [RequestStatus; 3] = [
    RequestStatus::InProgress,
    RequestStatus::Done,
    RequestStatus::Cancelled,
];

#[component]
pub fn QueuePage() -> impl IntoView {
    let i18n = use_i18n();
    let filter = RwSignal::new(QueueFilter::default());
    let shown = RwSignal::new(Vec::<QueueItem>::new());
    let loaded = LocalResource::new(move || api::queue(filter.get()));
    let retry = Callback::new(move |()| loaded.refetch());
    Effect::new(move |_| {
        if let Some(Ok(page)) = loaded.get() {
            let offset = filter.get_untracked().offset;
            shown.update(|items| {
                if offset == 0 {
                    items.clear();
                }
                items.extend(page.items.clone());
            });
        }
    });
    let set_kind = move |ev| {
        let kind = RequestKind::ALL
            .into_iter()
            .find(|k| k.slug() == event_target_value(&ev));
        filter.update(|f| {
            f.kind = kind;
            f.offset = 0;
        });
    };
    let set_status = move |ev| {
        let status = RequestStatus::parse(&event_target_value(&ev));
        filter.update(|f| {
            f.status = status;
            f.offset = 0;
        });
    };
    view! {
        <BackLink href=Route::Team.href()>{t!(i18n, team.home_title)}</BackLink>
        <h1 class="page-title" id="queue-title">{t!(i18n, office.queue_title)}</h1>
        <div class="team-form queue-filters">
            <label class="field-label" for="queue-kind">{t!(i18n, office.filter_kind)}</label>
            <select id="queue-kind" on:change=set_kind>
                <option value="">{t!(i18n, office.all)}</option>
                {RequestKind::ALL.into_iter().map(|k| view! {
                    <option value=k.slug()>{move || kind_words(i18n.get_locale(), k)}</option>
                }).collect_view()}
            </select>
            <label class="field-label" for="queue-status">{t!(i18n, office.filter_status)}</label>
            <select id="queue-status" on:change=set_status>
                <option value="">{t!(i18n, office.all)}</option>
                {move || loaded.get().and_then(Result::ok).map(|page: QueueView| page.counts.into_iter().map(|c| view! {
                    <option value=c.status.slug() selected=filter.get_untracked().status == Some(c.status)>
                        {format!("{} ({})", c.label, c.count)}
                    </option>
                }).collect_view())}
            </select>
            <label class="toggle">
                <input type="checkbox" id="queue-mine"
                    prop:checked=move || filter.get().mine
                    on:change=move |ev| filter.update(|f| {
                        f.mine = event_target_checked(&ev);
                        f.offset = 0;
                    }) />
                {t!(i18n, office.mine)}
            </label>
        </div>
        {move || match loaded.get() {
            Some(Err(e)) => {
                on_team_error(&e);
                view! { <ErrorBox error=e retry=retry /> }.into_any()
            }
            None if shown.get().is_empty() => view! { <Loading /> }.into_any(),
            _ => {
                let total = loaded.get().and_then(Result::ok).map_or(0, |p| p.total);
                let items = shown.get();
                let more = items.len() < total;
                view! {
                    <p class="hint" id="queue-total" role="status">{t!(i18n, office.total, count = total)}</p>
                    <ul class="cards" id="queue" aria-labelledby="queue-title">
                        {items.into_iter().map(|item| view! { <QueueCard item=item /> }).collect_view()}
                    </ul>
                    {more.then(|| view! {
                        <button type="button" class="button" id="queue-more" on:click=move |_| {
                            filter.update(|f| f.offset += QUEUE_PAGE);
                        }>{t!(i18n, office.more)}</button>
                    })}
                }.into_any()
            }
        }}
    }
}

#[component]
fn QueueCard(item: QueueItem) -> impl IntoView {
    let i18n = use_i18n();
    let r = item.request;
    view! {
        <li>
            <a class="service-card request-card" href=Route::QueueRequest(r.id.clone()).href() data-id=r.id.clone()>
                <span class="service-name">{r.kind_label}</span>
                <span class="service-summary">{r.text}</span>
                <StatusBadge status=r.status label=r.status_label />
                <span class="hint">{r.created_label}</span>
                {item.assigned_to.map(|a| view! { <span class="hint">{t!(i18n, office.assigned, name = a.clone())}</span> })}
            </a>
        </li>
    }
}

/// One request as the office answers it; opening it marks it received.
#[component]
pub fn QueueRequestPage(id: String) -> impl IntoView {
    let i18n = use_i18n();
    let id = StoredValue::new(id);
    let current = RwSignal::new(None::<QueueItem>);
    let loaded = LocalResource::new(move || api::queue_request(id.get_value()));
    let retry = Callback::new(move |()| loaded.refetch());
    view! {
        <BackLink href=Route::Queue.href()>{t!(i18n, office.queue_title)}</BackLink>
        {move || match (current.get(), loaded.get()) {
            (Some(item), _) | (None, Some(Ok(item))) => queue_body(item, current).into_any(),
            (None, Some(Err(e))) => {
                on_team_error(&e);
                view! { <ErrorBox error=e retry=retry /> }.into_any()
            }
            (None, None) => view! { <Loading /> }.into_any(),
        }}
    }
}

fn queue_body(item: QueueItem, current: RwSignal<Option<QueueItem>>) -> impl IntoView {
    let i18n = use_i18n();
    let r: RequestView = item.request.clone();
    let id = StoredValue::new(r.id.clone());
    let text = RwSignal::new(String::new());
    let status = RwSignal::new(None::<RequestStatus>);
    let error = RwSignal::new(None::<String>);
    let assign = move |_| {
        wasm_bindgen_futures::spawn_local(async move {
            match api::queue_assign(id.get_value()).await {
                Ok(item) => current.set(Some(item)),
                Err(e) => {
                    on_team_error(&e);
                    error.set(Some(e.message));
                }
            }
        });
    };
    let answer = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = AnswerInput {
            id: id.get_value(),
            text: text.get_untracked(),
            status: status.get_untracked(),
        };
        wasm_bindgen_futures::spawn_local(async move {
            match api::queue_answer(input).await {
                Ok(item) => {
                    text.set(String::new());
                    status.set(None);
                    error.set(None);
                    current.set(Some(item));
                }
                Err(e) => {
                    on_team_error(&e);
                    error.set(Some(e.message));
                    focus("answer-text");
                }
            }
        });
    };
    let contact = [r.name.clone(), r.contact.clone()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · ");
    view! {
        <article class="detail request" data-id=r.id.clone()>
            <h1 id="request-title">{r.kind_label.clone()}</h1>
            <StatusBadge status=r.status label=r.status_label.clone() />
            <p class="hint">{r.created_label.clone()}</p>
            <p class="request-text" id="queue-text">{r.text.clone()}</p>
            {(!contact.is_empty()).then(|| view! { <p id="queue-contact">{contact}</p> })}
            <p class="hint" id="queue-assigned">
                {match item.assigned_to.clone() {
                    Some(a) => t_string!(i18n, office.assigned, name = a).to_string(),
                    None => t_string!(i18n, office.unassigned).to_owned(),
                }}
            </p>
            <button type="button" class="button" id="queue-assign" on:click=assign>{t!(i18n, office.take)}</button>
            <section aria-labelledby="andamento">
                <h2 id="andamento">{t!(i18n, request.timeline)}</h2>
                {timeline(&r)}
            </section>
            {(!r.closed).then(|| view! {
                <form class="reply team-form" on:submit=answer>
                    <label class="field-label" for="answer-text">{t!(i18n, office.answer_label)}</label>
                    <textarea id="answer-text" rows="3"
                        maxlength=requests::MAX_TEXT.to_string()
                        aria-invalid=move || error.get().is_some().to_string()
                        aria-describedby=move || error.get().map(|_| "answer-error")
                        prop:value=move || text.get()
                        on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                    <label class="field-label" for="answer-status">{t!(i18n, office.answer_status)}</label>
                    <select id="answer-status"
                        prop:value=move || status.get().map_or("", |s| s.slug())
                        on:change=move |ev| status.set(RequestStatus::parse(&event_target_value(&ev)))>
                        <option value="">{t!(i18n, office.keep_status)}</option>
                        {ANSWER_STATUSES.into_iter().map(|s| view! {
                            <option value=s.slug()>{move || s.label(crate::locale::to_ipc(i18n.get_locale()))}</option>
                        }).collect_view()}
                    </select>
                    {move || field_error("answer-error", error.get())}
                    <button type="submit" class="button primary" id="answer-send">{t!(i18n, office.answer_send)}</button>
                </form>
            })}
        </article>
    }
}
