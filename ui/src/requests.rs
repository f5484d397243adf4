//! "Pedir ajuda" (the request form), "Meus pedidos" (the list, with the outbox said plainly)
//! and one request's page (its timeline, an answer box, "Cancelar pedido" after a question).
//! A request is written on the phone first and leaves when there is internet.

use esv_shared::ipc::{IpcError, IpcErrorKind, NewRequestInput, RequestStatus, RequestView};
use esv_shared::requests::{self, RequestKind};
use leptos::prelude::*;

use crate::api;
use crate::common::{field_error, focus, BackLink, ErrorBox, Loading};
use crate::i18n::{t, t_string, use_i18n};
use crate::locale::app_labels;
use crate::pictogram::RequestKindPictogram;
use crate::request_parts::{kind_words, timeline, StatusBadge};
use crate::route::Route;

/// "Pedir ajuda" on a service or office page: opens the form about that page.
#[component]
pub fn AskHelpLink(#[prop(optional, into)] about: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <a class="button ask-help" id="ask-help" href=Route::Ask(about).href()>
            <span aria-hidden="true">"✎"</span>
            {t!(i18n, request.link)}
        </a>
    }
}

/// The home screen's way in: asking for help, and the requests already made.
#[component]
pub fn AskEntry() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <a id="ask-entry" class="rights-entry ask-entry" href=Route::Ask(None).href()>
            <span class="rights-title">{t!(i18n, request.home_title)}</span>
            <span class="rights-text">{t!(i18n, request.home_text)}</span>
        </a>
    }
}

/// Where each sentence of the replica's plain-language refusal belongs: the text and the
/// contact by the checks shared with the replica, the rest next to the choice of kind (when
/// none is chosen) or above the button.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct FieldErrors {
    kind: Option<String>,
    text: Option<String>,
    contact: Option<String>,
    other: Option<String>,
}

impl FieldErrors {
    fn place(message: &str, input: &NewRequestInput) -> FieldErrors {
        let mut rest = message.to_owned();
        let mut errors = FieldErrors::default();
        for (field, words) in requests::check(&input.text, input.contact.as_deref()) {
            if rest.contains(words) {
                rest = rest.replacen(words, "", 1);
                match field {
                    "text" => errors.text = Some(words.to_owned()),
                    "contact" => errors.contact = Some(words.to_owned()),
                    _ => {}
                }
            }
        }
        let rest = rest.split_whitespace().collect::<Vec<_>>().join(" ");
        if !rest.is_empty() {
            if input.kind.is_none() {
                errors.kind = Some(rest);
            } else {
                errors.other = Some(rest);
            }
        }
        errors
    }
}

/// Whom the request goes to: the page it is asked from, or the office when there is one.
#[component]
fn AskTarget(service: Option<String>, office: RwSignal<Option<String>>) -> impl IntoView {
    let i18n = use_i18n();
    let labels = app_labels();
    match service {
        Some(id) => {
            let detail = LocalResource::new(move || {
                labels.track();
                api::service(id.clone())
            });
            (move || {
                detail.get().and_then(Result::ok).map(|d| {
                    let name = if d.name == d.provider {
                        d.name.clone()
                    } else {
                        format!("{} ({})", d.name, d.provider)
                    };
                    view! { <p class="ask-target">{t!(i18n, request.about, name = name.clone())}</p> }
                })
            })
            .into_any()
        }
        None => {
            let home = LocalResource::new(move || {
                labels.track();
                api::home(None)
            });
            (move || {
                let offices = home.get().and_then(Result::ok)?.offices;
                if offices.len() == 1 {
                    office.set(Some(offices[0].id.clone()));
                    let name = offices[0].name.clone();
                    return Some(
                        view! { <p class="ask-target">{t!(i18n, request.to_office, office = name.clone())}</p> }
                            .into_any(),
                    );
                }
                Some(
                    view! {
                        <label class="field" for="request-office">
                            <span class="field-label">{t!(i18n, request.choose_office)}</span>
                            <select
                                id="request-office"
                                on:change=move |ev| office.set(Some(event_target_value(&ev)))
                            >
                                <option value="">"—"</option>
                                {offices
                                    .into_iter()
                                    .map(|o| view! { <option value=o.id.clone()>{o.name}</option> })
                                    .collect_view()}
                            </select>
                        </label>
                    }
                    .into_any(),
                )
            })
            .into_any()
        }
    }
}

/// The form: what it is about, a short text, and — only if the person wants a call back —
/// nome social and phone. Saved on the phone; on success, the request's page.
#[component]
pub fn AskPage(service: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    let kind = RwSignal::new(None::<RequestKind>);
    let text = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let contact = RwSignal::new(String::new());
    let office = RwSignal::new(None::<String>);
    let errors = RwSignal::new(FieldErrors::default());
    let busy = RwSignal::new(false);
    let service_id = StoredValue::new(service.clone());
    let back = service
        .clone()
        .map_or_else(|| Route::Home.href(), |id| Route::Service(id).href());

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let input = NewRequestInput {
            office_id: office.get_untracked(),
            service_id: service_id.get_value(),
            kind: kind.get_untracked(),
            text: text.get_untracked(),
            name: Some(name.get_untracked()),
            contact: Some(contact.get_untracked()),
        };
        busy.set(true);
        wasm_bindgen_futures::spawn_local(async move {
            match api::request_new(input.clone()).await {
                Ok(view) => {
                    let _ = window()
                        .location()
                        .set_hash(&Route::Request(view.id).href());
                }
                Err(IpcError {
                    kind: IpcErrorKind::BadInput,
                    message,
                }) => {
                    let placed = FieldErrors::place(&message, &input);
                    let first = if placed.kind.is_some() {
                        "kind-appointment"
                    } else if placed.text.is_some() {
                        "request-text"
                    } else if placed.contact.is_some() {
                        "request-contact"
                    } else {
                        "request-send"
                    };
                    errors.set(placed);
                    focus(first);
                }
                Err(e) => errors.set(FieldErrors {
                    other: Some(e.message),
                    ..FieldErrors::default()
                }),
            }
            busy.set(false);
        });
    };

    let kinds = RequestKind::ALL
        .into_iter()
        .map(|k| {
            let id = format!("kind-{}", k.slug());
            let for_id = id.clone();
            view! {
                <li>
                    <label class="choice" for=for_id>
                        <input
                            type="radio"
                            id=id
                            name="kind"
                            value=k.slug()
                            prop:checked=move || kind.get() == Some(k)
                            on:change=move |_| kind.set(Some(k))
                        />
                        <RequestKindPictogram kind=k />
                        <span class="choice-label">{move || kind_words(i18n.get_locale(), k)}</span>
                    </label>
                </li>
            }
        })
        .collect_view();

    view! {
        <BackLink href=back>{t!(i18n, request.back)}</BackLink>
        <h1 class="page-title" id="ask-title">{t!(i18n, request.form_title)}</h1>
        <AskTarget service=service office=office />
        <form class="ask-form detail" novalidate on:submit=submit aria-labelledby="ask-title">
            <fieldset
                class="kinds"
                aria-describedby=move || errors.get().kind.map(|_| "kind-error")
            >
                <legend class="field-label">{t!(i18n, request.kind_legend)}</legend>
                {move || field_error("kind-error", errors.get().kind)}
                <ul class="choices">{kinds}</ul>
            </fieldset>
            <div class="field">
                <label class="field-label" for="request-text">{t!(i18n, request.text_label)}</label>
                <p class="hint" id="text-hint">{t!(i18n, request.text_hint)}</p>
                <textarea
                    id="request-text"
                    rows="4"
                    maxlength=requests::MAX_TEXT.to_string()
                    aria-invalid=move || errors.get().text.is_some().to_string()
                    aria-describedby=move || {
                        if errors.get().text.is_some() { "text-hint text-error" } else { "text-hint" }
                    }
                    prop:value=move || text.get()
                    on:input=move |ev| text.set(event_target_value(&ev))
                ></textarea>
                {move || field_error("text-error", errors.get().text)}
            </div>
            <fieldset class="optional" aria-describedby="optional-why">
                <legend class="field-label">{t!(i18n, request.optional_legend)}</legend>
                <p class="hint" id="optional-why">{t!(i18n, request.optional_why)}</p>
                <div class="field">
                    <label class="field-label" for="request-name">{t!(i18n, request.name_label)}</label>
                    <input
                        id="request-name"
                        type="text"
                        autocomplete="nickname"
                        prop:value=move || name.get()
                        on:input=move |ev| name.set(event_target_value(&ev))
                    />
                </div>
                <div class="field">
                    <label class="field-label" for="request-contact">{t!(i18n, request.contact_label)}</label>
                    <input
                        id="request-contact"
                        type="tel"
                        inputmode="tel"
                        autocomplete="tel"
                        aria-invalid=move || errors.get().contact.is_some().to_string()
                        aria-describedby=move || errors.get().contact.map(|_| "contact-error")
                        prop:value=move || contact.get()
                        on:input=move |ev| contact.set(event_target_value(&ev))
                    />
                    {move || field_error("contact-error", errors.get().contact)}
                </div>
            </fieldset>
            <p class="hint">{t!(i18n, request.offline_note)}</p>
            {move || errors.get().other.map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
            <button type="submit" class="button primary" id="request-send" prop:disabled=move || busy.get()>
                {move || if busy.get() { t_string!(i18n, request.sending) } else { t_string!(i18n, request.send) }}
            </button>
        </form>
    }
}

#[component]
fn RequestCard(r: RequestView) -> impl IntoView {
    let href = Route::Request(r.id.clone()).href();
    view! {
        <li>
            <a class="service-card request-card" href=href data-id=r.id.clone()>
                <span class="service-name">{r.kind_label}</span>
                <span class="service-provider">{r.office}</span>
                <span class="service-summary">{r.text}</span>
                <StatusBadge status=r.status label=r.status_label />
                <span class="hint">{r.created_label}</span>
            </a>
        </li>
    }
}

/// "Apagar meus dados": asks first, then erases this device's requests here and at the office
/// (it needs internet once the requests were sent; offline nothing is erased and it says so).
#[component]
fn EraseMyData(list: LocalResource<Result<Vec<RequestView>, IpcError>>) -> impl IntoView {
    let i18n = use_i18n();
    let asking = RwSignal::new(false);
    let done = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let erase = move |_| {
        wasm_bindgen_futures::spawn_local(async move {
            match api::erase_my_data().await {
                Ok(_) => {
                    asking.set(false);
                    error.set(None);
                    done.set(true);
                    list.refetch();
                }
                Err(e) => error.set(Some(e.message)),
            }
        });
    };
    view! {
        <section class="cancel-box" aria-labelledby="erase-title">
            <h2 id="erase-title">{t!(i18n, request.erase_title)}</h2>
            <p class="hint">{t!(i18n, request.erase_what)}</p>
            <Show
                when=move || asking.get()
                fallback=move || view! {
                    <button type="button" class="button danger" id="erase-my-data" on:click=move |_| {
                        asking.set(true);
                        focus("erase-no");
                    }>{t!(i18n, request.erase)}</button>
                }
            >
                <div class="confirm" role="alertdialog" aria-labelledby="erase-question">
                    <p id="erase-question">{t!(i18n, request.erase_question)}</p>
                    <div class="actions">
                        <button type="button" class="button danger" id="erase-yes" on:click=erase>{t!(i18n, request.erase_yes)}</button>
                        <button type="button" class="button" id="erase-no" on:click=move |_| asking.set(false)>{t!(i18n, request.cancel_no)}</button>
                    </div>
                </div>
            </Show>
            {move || done.get().then(|| view! { <p class="notice" role="status" id="erase-done">{t!(i18n, request.erase_done)}</p> })}
            {move || error.get().map(|e| view! { <p class="field-error" role="alert" id="erase-error">{e}</p> })}
        </section>
    }
}

/// "Meus pedidos": newest first, each with its status; waiting ones explained once.
#[component]
pub fn RequestsPage() -> impl IntoView {
    let i18n = use_i18n();
    let labels = app_labels();
    let list = LocalResource::new(move || {
        labels.track();
        api::requests()
    });
    let retry = Callback::new(move |()| list.refetch());
    view! {
        <BackLink href="#/">{t!(i18n, common.home)}</BackLink>
        <h1 class="page-title" id="requests-title">{t!(i18n, request.list_title)}</h1>
        {move || match list.get() {
            Some(Ok(items)) if items.is_empty() => view! {
                <p class="empty">{t!(i18n, request.none)}</p>
                <AskHelpLink />
            }.into_any(),
            Some(Ok(items)) => {
                let waiting = items
                    .iter()
                    .any(|r| r.status == RequestStatus::Waiting || r.pending_note.is_some());
                view! {
                    {waiting.then(|| view! { <p class="notice" id="outbox-note">{t!(i18n, request.outbox_note)}</p> })}
                    <ul class="cards" aria-labelledby="requests-title">
                        {items.into_iter().map(|r| view! { <RequestCard r=r /> }).collect_view()}
                    </ul>
                    <p class="more-links"><a class="button" href=Route::Ask(None).href()>{t!(i18n, request.new_request)}</a></p>
                }
                .into_any()
            }
            Some(Err(e)) => view! { <ErrorBox error=e retry=retry /> }.into_any(),
            None => view! { <Loading /> }.into_any(),
        }}
        <EraseMyData list=list />
    }
}
/// The answer box and "Cancelar pedido" (with a question first), for an open request.
#[component]
fn RequestActions(id: String, current: RwSignal<Option<RequestView>>) -> impl IntoView {
    let i18n = use_i18n();
    let id = StoredValue::new(id);
    let reply = RwSignal::new(String::new());
    let reply_error = RwSignal::new(None::<String>);
    let asking = RwSignal::new(false);
    let cancel_error = RwSignal::new(None::<String>);
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = reply.get_untracked();
        wasm_bindgen_futures::spawn_local(async move {
            match api::request_message(id.get_value(), text).await {
                Ok(view) => {
                    reply.set(String::new());
                    reply_error.set(None);
                    current.set(Some(view));
                }
                Err(e) => {
                    reply_error.set(Some(e.message));
                    focus("request-reply");
                }
            }
        });
    };
    let cancel = move |_| {
        wasm_bindgen_futures::spawn_local(async move {
            match api::request_cancel(id.get_value()).await {
                Ok(view) => current.set(Some(view)),
                Err(e) => cancel_error.set(Some(e.message)),
            }
        });
    };
    let ask = move |_| {
        asking.set(true);
        focus("cancel-no");
    };
    view! {
        <form class="reply" on:submit=send>
            <label class="field-label" for="request-reply">{t!(i18n, request.reply_label)}</label>
            <textarea
                id="request-reply"
                rows="3"
                maxlength=requests::MAX_TEXT.to_string()
                aria-invalid=move || reply_error.get().is_some().to_string()
                aria-describedby=move || reply_error.get().map(|_| "reply-error")
                prop:value=move || reply.get()
                on:input=move |ev| reply.set(event_target_value(&ev))
            ></textarea>
            {move || field_error("reply-error", reply_error.get())}
            <button type="submit" class="button" id="reply-send">{t!(i18n, request.reply_send)}</button>
        </form>
        <div class="cancel-box">
            <Show
                when=move || asking.get()
                fallback=move || view! {
                    <button type="button" class="button danger" id="cancel-request" on:click=ask>
                        {t!(i18n, request.cancel)}
                    </button>
                }
            >
                <div class="confirm" role="alertdialog" aria-labelledby="cancel-question">
                    <p id="cancel-question">{t!(i18n, request.cancel_question)}</p>
                    <div class="actions">
                        <button type="button" class="button danger" id="cancel-yes" on:click=cancel>
                            {t!(i18n, request.cancel_yes)}
                        </button>
                        <button type="button" class="button" id="cancel-no" on:click=move |_| asking.set(false)>
                            {t!(i18n, request.cancel_no)}
                        </button>
                    </div>
                </div>
            </Show>
            {move || cancel_error.get().map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
        </div>
    }
}

fn request_body(r: RequestView, current: RwSignal<Option<RequestView>>) -> impl IntoView {
    let i18n = use_i18n();
    let given = (r.name.is_some() || r.contact.is_some()).then(|| {
        let (name, contact) = (r.name.clone(), r.contact.clone());
        view! {
            <ul class="plain">
                {name.map(|n| view! { <li>{t!(i18n, request.name_given, name = n.clone())}</li> })}
                {contact.map(|c| view! { <li>{t!(i18n, request.contact_given, contact = c.clone())}</li> })}
            </ul>
        }
    });
    let about = r.service.clone().map(|s| {
        view! { <p class="hint">{t!(i18n, request.about, name = s.clone())}</p> }
    });
    let actions = (!r.closed).then(|| view! { <RequestActions id=r.id.clone() current=current /> });
    view! {
        <article class="detail request" data-id=r.id.clone()>
            <h1 id="request-title" class="with-icon">
                <RequestKindPictogram kind=r.kind />
                {r.kind_label.clone()}
            </h1>
            <p class="service-provider">{r.office.clone()}</p>
            <StatusBadge status=r.status label=r.status_label.clone() />
            {r.pending_note.clone().map(|n| view! { <p class="notice" id="pending-note">{n}</p> })}
            <p class="hint">{r.created_label.clone()}</p>
            {about}
            <section aria-labelledby="pedido-texto">
                <h2 id="pedido-texto">{t!(i18n, request.you_asked)}</h2>
                <p class="request-text">{r.text.clone()}</p>
                {given}
            </section>
            <section aria-labelledby="andamento">
                <h2 id="andamento">{t!(i18n, request.timeline)}</h2>
                {timeline(&r)}
            </section>
            {actions}
        </article>
    }
}

/// One request: status, what was asked, the timeline, and what the person can still do.
#[component]
pub fn RequestPage(id: String) -> impl IntoView {
    let i18n = use_i18n();
    let labels = app_labels();
    let current = RwSignal::new(None::<RequestView>);
    let loaded = LocalResource::new(move || {
        labels.track();
        current.set(None);
        api::request(id.clone())
    });
    let retry = Callback::new(move |()| loaded.refetch());
    view! {
        <BackLink href=Route::Requests.href()>{t!(i18n, request.mine_link)}</BackLink>
        {move || match (current.get(), loaded.get()) {
            (Some(r), _) | (None, Some(Ok(r))) => request_body(r, current).into_any(),
            (None, Some(Err(e))) => view! { <ErrorBox error=e retry=retry /> }.into_any(),
            (None, None) => view! { <Loading /> }.into_any(),
        }}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(kind: Option<RequestKind>, text: &str, contact: &str) -> NewRequestInput {
        NewRequestInput {
            kind,
            text: text.into(),
            contact: Some(contact.into()),
            ..NewRequestInput::default()
        }
    }

    #[test]
    fn each_sentence_of_a_refusal_goes_next_to_its_field() {
        let form = input(None, " ", "abc");
        let message = "Escolha do que você precisa. Escreva em poucas palavras do que você \
                       precisa. Esse telefone não parece certo. Escreva com DDD, por exemplo \
                       (27) 99999-1234.";
        let placed = FieldErrors::place(message, &form);
        assert_eq!(placed.kind.as_deref(), Some("Escolha do que você precisa."));
        assert!(placed
            .text
            .is_some_and(|t| t.starts_with("Escreva em poucas")));
        assert!(placed.contact.is_some_and(|t| t.contains("telefone")));
        assert_eq!(placed.other, None);

        let chosen = input(Some(RequestKind::Legal), "Preciso de ajuda", "");
        let placed = FieldErrors::place("Escolha o Escritório Social.", &chosen);
        assert_eq!(
            placed.other.as_deref(),
            Some("Escolha o Escritório Social.")
        );
    }
}
