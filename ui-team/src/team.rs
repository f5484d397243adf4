//! The team's way in ("Equipe do Escritório Social"): sign in once with the PIN that will
//! protect this device, unlock with the PIN (also after five minutes without use), and then
//! the busca ativa home — "Pendências", the outreaches, "Nova busca ativa" and "Buscar pessoa".

use esv_shared::ipc::team::{DeviceView, FindPeopleInput, OutreachInput, SignInInput};
use esv_shared::ipc::IpcError;
use esv_shared::sync::Role;
use leptos::prelude::*;

use crate::api;
use crate::common::{field_error, focus, BackLink, ErrorBox, Loading};
use crate::i18n::{t, t_string, use_i18n};
use crate::route::Route;
use crate::worklist::Worklist;

pub use crate::common::on_team_error;

/// The team's page: what it shows depends on the device (wiped, locked, not signed in, ready).
#[component]
pub fn TeamPage() -> impl IntoView {
    let i18n = use_i18n();
    let device = RwSignal::new(None::<DeviceView>);
    let loaded = LocalResource::new(api::device);
    let retry = Callback::new(move |()| loaded.refetch());
    view! {
        <BackLink href="#/">{t!(i18n, common.home)}</BackLink>
        {move || {
            let current = device.get().or_else(|| loaded.get().and_then(Result::ok));
            match (current, loaded.get()) {
                (Some(d), _) if d.wiped => view! {
                    <h1 class="page-title">{t!(i18n, team.wiped_title)}</h1>
                    <p class="notice" role="alert" id="wiped-note">{t!(i18n, team.wiped_text)}</p>
                }.into_any(),
                (Some(d), _) if d.locked => view! { <UnlockForm device=device wait=d.pin_wait_seconds /> }.into_any(),
                (Some(d), _) if d.is_team() => view! { <TeamHome device=d on_lock=device /> }.into_any(),
                (Some(d), _) => view! { <SignInForm device=device current=d /> }.into_any(),
                (None, Some(Err(e))) => view! { <ErrorBox error=e retry=retry /> }.into_any(),
                (None, _) => view! { <Loading /> }.into_any(),
            }
        }}
    }
}

/// Sign in once: the server (when the app was not set up with one), user and password, and —
/// the first time — the PIN that will protect the data of the people met, typed twice.
#[component]
fn SignInForm(device: RwSignal<Option<DeviceView>>, current: DeviceView) -> impl IntoView {
    let i18n = use_i18n();
    let server = RwSignal::new(String::new());
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let pin = RwSignal::new(String::new());
    let pin_again = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let needs_server = current.server.is_none();
    let needs_pin = !current.protected;
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let input = SignInInput {
            server: Some(server.get_untracked()).filter(|s| !s.trim().is_empty()),
            username: username.get_untracked(),
            password: password.get_untracked(),
            pin: needs_pin.then(|| pin.get_untracked()),
            pin_again: needs_pin.then(|| pin_again.get_untracked()),
        };
        busy.set(true);
        wasm_bindgen_futures::spawn_local(async move {
            match api::sign_in(input).await {
                Ok(d) => {
                    password.set(String::new());
                    device.set(Some(d));
                }
                Err(e) => {
                    error.set(Some(e.message));
                    focus("sign-in-error");
                }
            }
            busy.set(false);
        });
    };
    view! {
        <h1 class="page-title" id="sign-in-title">{t!(i18n, team.sign_in_title)}</h1>
        <p class="hint">{t!(i18n, team.sign_in_why)}</p>
        <form class="detail team-form" novalidate on:submit=submit aria-labelledby="sign-in-title">
            {needs_server.then(|| text_field("sign-in-server", t_string!(i18n, team.server_label).to_owned(), "url", server, "url"))}
            {text_field("sign-in-user", t_string!(i18n, team.username_label).to_owned(), "text", username, "username")}
            {text_field("sign-in-password", t_string!(i18n, team.password_label).to_owned(), "password", password, "current-password")}
            {needs_pin.then(|| view! {
                <fieldset class="optional">
                    <legend class="field-label">{t!(i18n, team.pin_legend)}</legend>
                    <p class="hint">{t!(i18n, team.pin_why)}</p>
                    {text_field("pin-new", t_string!(i18n, team.pin_label).to_owned(), "password", pin, "new-password")}
                    {text_field("pin-again", t_string!(i18n, team.pin_again_label).to_owned(), "password", pin_again, "new-password")}
                </fieldset>
            })}
            <div id="sign-in-error" tabindex="-1">{move || field_error("sign-in-message", error.get())}</div>
            <button type="submit" class="button primary" id="sign-in-send" prop:disabled=move || busy.get()>
                {move || if busy.get() { t_string!(i18n, team.signing_in) } else { t_string!(i18n, team.sign_in) }}
            </button>
        </form>
    }
}

/// A labelled one-line field bound to `value`.
fn text_field(
    id: &'static str,
    label: String,
    kind: &'static str,
    value: RwSignal<String>,
    auto: &'static str,
) -> impl IntoView {
    view! {
        <div class="field">
            <label class="field-label" for=id>{label}</label>
            <input
                id=id
                type=kind
                autocomplete=auto
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            />
        </div>
    }
}

/// The PIN screen: a wrong PIN says how many tries are left or how long to wait.
#[component]
fn UnlockForm(device: RwSignal<Option<DeviceView>>, wait: u64) -> impl IntoView {
    let i18n = use_i18n();
    let pin = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        let typed = pin.get_untracked();
        wasm_bindgen_futures::spawn_local(async move {
            match api::unlock(typed).await {
                Ok(d) => device.set(Some(d)),
                Err(e) => {
                    pin.set(String::new());
                    error.set(Some(e.message));
                    focus("unlock-pin");
                }
            }
            busy.set(false);
        });
    };
    view! {
        <h1 class="page-title" id="unlock-title">{t!(i18n, team.unlock_title)}</h1>
        <p class="hint">{t!(i18n, team.unlock_why)}</p>
        {(wait > 0).then(|| view! { <p class="notice" role="status">{t!(i18n, team.unlock_wait, seconds = wait)}</p> })}
        <form class="detail team-form" novalidate on:submit=submit aria-labelledby="unlock-title">
            <div class="field">
                <label class="field-label" for="unlock-pin">{t!(i18n, team.pin_label)}</label>
                <input
                    id="unlock-pin"
                    type="password"
                    autocomplete="current-password"
                    aria-invalid=move || error.get().is_some().to_string()
                    aria-describedby=move || error.get().map(|_| "unlock-error")
                    prop:value=move || pin.get()
                    on:input=move |ev| pin.set(event_target_value(&ev))
                />
                {move || field_error("unlock-error", error.get())}
            </div>
            <button type="submit" class="button primary" id="unlock-send" prop:disabled=move || busy.get()>
                {t!(i18n, team.unlock)}
            </button>
        </form>
    }
}

/// The busca ativa home: who is signed in, "Bloquear", what is due, the person search and the
/// outreaches.
#[component]
fn TeamHome(device: DeviceView, on_lock: RwSignal<Option<DeviceView>>) -> impl IntoView {
    let i18n = use_i18n();
    let account = device.account.clone();
    let staff = account
        .as_ref()
        .is_some_and(|a| matches!(a.role, Role::Staff | Role::Coordinator));
    let lock = move |_| {
        wasm_bindgen_futures::spawn_local(async move {
            if let Ok(d) = api::lock().await {
                on_lock.set(Some(d));
            }
        });
    };
    view! {
        <h1 class="page-title">{t!(i18n, team.home_title)}</h1>
        {account.map(|a| view! {
            <p class="hint" id="signed-in-as">
                {a.username.unwrap_or_default()}" · "{a.role_label}" · "{a.office}
            </p>
        })}
        <p class="more-links">
            <a class="button primary" id="encounter-new" href=Route::Encounter { outreach: None, person: None }.href()>
                {t!(i18n, team.encounter_new)}
            </a>
            <button type="button" class="button" id="lock-now" on:click=lock>{t!(i18n, team.lock)}</button>
        </p>
        {staff.then(|| view! {
            <p class="more-links">
                <a class="button" id="office-entry" href=Route::Office.href()>{t!(i18n, office.console)}</a>
            </p>
        })}
        <Worklist />
        <PersonSearch />
        <Outreaches />
    }
}

/// The people the office knows whose names look like `text` (from two letters on).
pub fn people_lookup(
    text: RwSignal<String>,
) -> LocalResource<Result<Vec<esv_shared::ipc::team::PersonFound>, IpcError>> {
    LocalResource::new(move || {
        let text = text.get();
        async move {
            if text.trim().chars().count() < 2 {
                return Ok(Vec::new());
            }
            api::people_find(FindPeopleInput {
                text,
                ..FindPeopleInput::default()
            })
            .await
        }
    })
}

/// "Buscar pessoa": people the office knows, accent- and typo-tolerant, as one types.
#[component]
fn PersonSearch() -> impl IntoView {
    let i18n = use_i18n();
    let text = RwSignal::new(String::new());
    let found = people_lookup(text);
    view! {
        <section class="detail" aria-labelledby="people-title">
            <h2 id="people-title">{t!(i18n, team.people_title)}</h2>
            <label class="field-label" for="people-search">{t!(i18n, team.people_label)}</label>
            <input
                id="people-search"
                type="search"
                autocomplete="off"
                prop:value=move || text.get()
                on:input=move |ev| text.set(event_target_value(&ev))
            />
            {move || match found.get() {
                Some(Ok(people)) if people.is_empty() && text.get().trim().chars().count() >= 2 => {
                    view! { <p class="empty" role="status">{t!(i18n, team.people_none)}</p> }.into_any()
                }
                Some(Ok(people)) => view! {
                    <ul class="cards" id="people-found">
                        {people.into_iter().map(|p| view! {
                            <li>
                                <a class="service-card" href=Route::Person(p.id.clone()).href() data-id=p.id.clone()>
                                    <span class="service-name">{p.name}</span>
                                    {p.civil_name.map(|c| view! { <span class="service-provider">{c}</span> })}
                                    {p.birth_label.map(|b| view! { <span class="hint">{b}</span> })}
                                </a>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any(),
                Some(Err(e)) => {
                    on_team_error(&e);
                    view! { <p class="field-error" role="alert">{e.message}</p> }.into_any()
                }
                None => ().into_any(),
            }}
        </section>
    }
}

/// The outreaches, newest first, and the form of a new one.
#[component]
fn Outreaches() -> impl IntoView {
    let i18n = use_i18n();
    let list = LocalResource::new(api::outreaches);
    let place = RwSignal::new(String::new());
    let date = RwSignal::new(String::new());
    let team = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = OutreachInput {
            place: place.get_untracked(),
            date: date.get_untracked(),
            team: team.get_untracked(),
        };
        wasm_bindgen_futures::spawn_local(async move {
            match api::outreach_new(input).await {
                Ok(_) => {
                    place.set(String::new());
                    error.set(None);
                    list.refetch();
                }
                Err(e) => {
                    on_team_error(&e);
                    error.set(Some(e.message));
                    focus("outreach-place");
                }
            }
        });
    };
    view! {
        <section class="detail" aria-labelledby="outreaches-title">
            <h2 id="outreaches-title">{t!(i18n, team.outreaches_title)}</h2>
            {move || match list.get() {
                Some(Ok(items)) if items.is_empty() => view! { <p class="empty">{t!(i18n, team.outreaches_none)}</p> }.into_any(),
                Some(Ok(items)) => view! {
                    <ul class="cards" id="outreaches">
                        {items.into_iter().map(|o| {
                            let href = Route::Encounter { outreach: Some(o.id.clone()), person: None }.href();
                            view! {
                                <li>
                                    <a class="service-card" href=href data-id=o.id.clone()>
                                        <span class="service-name">{o.place}</span>
                                        <span class="service-provider">{o.date_label}</span>
                                        <span class="hint">{t!(i18n, team.outreach_count, count = o.encounters)}</span>
                                    </a>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
                Some(Err(e)) => {
                    on_team_error(&e);
                    view! { <p class="field-error" role="alert">{e.message}</p> }.into_any()
                }
                None => view! { <Loading /> }.into_any(),
            }}
            <form class="team-form" novalidate on:submit=submit aria-labelledby="outreach-new-title">
                <h3 id="outreach-new-title">{t!(i18n, team.outreach_new)}</h3>
                {text_field("outreach-place", t_string!(i18n, team.outreach_place).to_owned(), "text", place, "off")}
                {text_field("outreach-date", t_string!(i18n, team.outreach_date).to_owned(), "date", date, "off")}
                {text_field("outreach-team", t_string!(i18n, team.outreach_team).to_owned(), "text", team, "off")}
                {move || field_error("outreach-error", error.get())}
                <button type="submit" class="button" id="outreach-send">{t!(i18n, team.outreach_create)}</button>
            </form>
        </section>
    }
}
