//! The Coordinator's accounts and devices (from the office's server): the team's accounts with
//! "Desativar", the team's devices with "Desconectar" (the device erases its data at its next
//! sync), and a new account for a field worker or staff member. Each change is asked first.

use esv_shared::ipc::accounts::{AccountDeviceView, AccountUserView, AccountsView, NewUserInput};
use esv_shared::ipc::IpcError;
use leptos::prelude::*;

use crate::api;
use crate::common::{field_error, refetch_or_say, BackLink, ErrorBox, Loading};
use crate::i18n::{t, t_string, use_i18n};
use crate::office::StaffOnly;
use crate::route::Route;
use crate::team::on_team_error;

type Loaded = LocalResource<Result<AccountsView, IpcError>>;

#[component]
pub fn AccountsPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <BackLink href=Route::Office.href()>{t!(i18n, office.console)}</BackLink>
        <h1 class="page-title" id="accounts-title">{t!(i18n, office.accounts_title)}</h1>
        <StaffOnly body=|_| view! { <AccountsBody /> }.into_any() />
    }
}

#[component]
fn AccountsBody() -> impl IntoView {
    let loaded: Loaded = LocalResource::new(api::accounts);
    let retry = Callback::new(move |()| loaded.refetch());
    let error = RwSignal::new(None::<String>);
    // Outside the list, so "Conta criada" stays when the list is fetched again.
    let added = RwSignal::new(None::<String>);
    move || match loaded.get() {
        None => view! { <Loading /> }.into_any(),
        Some(Err(e)) => {
            on_team_error(&e);
            view! { <ErrorBox error=e retry=retry /> }.into_any()
        }
        Some(Ok(v)) => view! {
            {move || field_error("accounts-error", error.get())}
            <Users users=v.users.clone() loaded=loaded error=error />
            <Devices devices=v.devices.clone() loaded=loaded error=error />
            <NewAccount view=v loaded=loaded added=added />
        }
        .into_any(),
    }
}

/// A button that asks before it acts: the question with "Sim" and "Cancelar".
#[component]
fn Confirmed(
    id: String,
    #[prop(into)] label: String,
    #[prop(into)] question: String,
    act: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let asking = RwSignal::new(false);
    view! {
        {move || if asking.get() {
            view! {
                <div class="notice" role="alertdialog" aria-label=question.clone()>
                    <p>{question.clone()}</p>
                    <p class="more-links">
                        <button type="button" class="button danger" id=format!("{id}-yes") on:click=move |_| {
                            asking.set(false);
                            act.run(());
                        }>{t!(i18n, office.yes)}</button>
                        <button type="button" class="button" on:click=move |_| asking.set(false)>{t!(i18n, office.cancel)}</button>
                    </p>
                </div>
            }.into_any()
        } else {
            view! { <button type="button" class="button" id=id.clone() on:click=move |_| asking.set(true)>{label.clone()}</button> }.into_any()
        }}
    }
}

#[component]
fn Users(
    users: Vec<AccountUserView>,
    loaded: Loaded,
    error: RwSignal<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let done = move |result| {
        refetch_or_say(result, loaded, error);
    };
    view! {
        <section aria-labelledby="users-title">
            <h2 id="users-title">{t!(i18n, office.users_title)}</h2>
            <ul class="cards" id="users">
                {users.into_iter().map(|u| {
                    let username = StoredValue::new(u.username.clone());
                    let disable = Callback::new(move |()| {
                        wasm_bindgen_futures::spawn_local(async move {
                            done(api::account_disable(username.get_value()).await);
                        });
                    });
                    view! {
                        <li class="service-card" data-username=u.username.clone()>
                            <span class="service-name">{u.name_label.clone()}</span>
                            <span class="service-provider">{u.role_label.clone()}</span>
                            <span class="hint">{u.status_label.clone()}</span>
                            {u.may_disable.then(|| view! {
                                <Confirmed id=format!("disable-{}", u.username)
                                    label=t_string!(i18n, office.disable).to_owned()
                                    question=t_string!(i18n, office.disable_confirm, name = u.name_label.clone()).to_string()
                                    act=disable />
                            })}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn Devices(
    devices: Vec<AccountDeviceView>,
    loaded: Loaded,
    error: RwSignal<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let done = move |result| {
        refetch_or_say(result, loaded, error);
    };
    view! {
        <section aria-labelledby="devices-title">
            <h2 id="devices-title">{t!(i18n, office.devices_title)}</h2>
            <ul class="cards" id="devices">
                {devices.into_iter().map(|d| {
                    let id = StoredValue::new(d.id.clone());
                    let revoke = Callback::new(move |()| {
                        wasm_bindgen_futures::spawn_local(async move {
                            done(api::device_revoke(id.get_value()).await);
                        });
                    });
                    let who = [d.username.clone(), Some(d.role_label.clone())]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join(" · ");
                    view! {
                        <li class="service-card" data-device=d.id.clone() data-revoked=d.revoked.to_string()>
                            <span class="service-name">{d.name.clone()}{d.this_device_label.clone().map(|l| format!(" ({l})"))}</span>
                            <span class="service-provider">{who}</span>
                            <span class="hint">{d.status_label.clone()}</span>
                            <span class="hint">{d.last_seen_label.clone()}</span>
                            {d.idle_note.clone().map(|n| view! { <span class="hint">{n}</span> })}
                            {d.may_revoke.then(|| view! {
                                <Confirmed id=format!("revoke-{}", d.id)
                                    label=t_string!(i18n, office.revoke).to_owned()
                                    question=t_string!(i18n, office.revoke_confirm, name = d.name.clone()).to_string()
                                    act=revoke />
                            })}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn NewAccount(
    view: AccountsView,
    loaded: Loaded,
    added: RwSignal<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let (username, name, role, password) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(
            view.roles
                .first()
                .map(|r| r.value.clone())
                .unwrap_or_default(),
        ),
        RwSignal::new(String::new()),
    );
    let error = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = NewUserInput {
            username: username.get_untracked(),
            display_name: Some(name.get_untracked()).filter(|n| !n.trim().is_empty()),
            role: role.get_untracked(),
            password: password.get_untracked(),
        };
        wasm_bindgen_futures::spawn_local(async move {
            match api::account_add(input).await {
                Ok(user) => {
                    error.set(None);
                    added.set(Some(user.name_label));
                    for s in [username, name, password] {
                        s.set(String::new());
                    }
                    loaded.refetch();
                }
                Err(e) => {
                    on_team_error(&e);
                    error.set(Some(e.message));
                }
            }
        });
    };
    let text = |id: &'static str, label: AnyView, kind: &'static str, value: RwSignal<String>| {
        view! {
            <label class="field-label" for=id>{label}</label>
            <input id=id type=kind autocomplete="off" prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev)) />
        }
    };
    view! {
        <section aria-labelledby="new-account-title">
            <h2 id="new-account-title">{t!(i18n, office.new_account)}</h2>
            <form class="team-form" id="new-account" on:submit=submit>
                {text("new-username", t!(i18n, office.username).into_any(), "text", username)}
                {text("new-name", t!(i18n, office.display_name).into_any(), "text", name)}
                <label class="field-label" for="new-role">{t!(i18n, office.role)}</label>
                <select id="new-role" prop:value=move || role.get() on:change=move |ev| role.set(event_target_value(&ev))>
                    {view.roles.into_iter().map(|r| view! { <option value=r.value>{r.label}</option> }).collect_view()}
                </select>
                {text("new-password", t!(i18n, office.password).into_any(), "password", password)}
                {move || field_error("new-account-error", error.get())}
                {move || added.get().map(|n| view! { <p class="notice" role="status" id="new-account-done">{t!(i18n, office.account_added, name = n.clone())}</p> })}
                <button type="submit" class="button primary" id="new-account-send">{t!(i18n, office.add_account)}</button>
            </form>
        </section>
    }
}
