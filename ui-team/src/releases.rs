//! The office's gate list (Staff, Coordinator): its prison units, a unit's list of people
//! expected to be released pasted from a spreadsheet or a CSV file's text (each bad line said
//! with its number, the good ones kept), and one person typed in — all kept on the device and
//! sent at the next sync.

use esv_shared::ipc::gate::{FacilityInput, ListImportedView, ReleaseInput};
use esv_shared::ipc::IpcError;
use esv_shared::release::PrisonFacility;
use leptos::prelude::*;

use crate::api;
use crate::common::{field_error, BackLink, ErrorBox, Loading};
use crate::i18n::{t, t_string, use_i18n};
use crate::office::StaffOnly;
use crate::route::Route;
use crate::team::on_team_error;

type Units = LocalResource<Result<Vec<PrisonFacility>, IpcError>>;

#[component]
pub fn ReleasesPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <BackLink href=Route::Office.href()>{t!(i18n, office.console)}</BackLink>
        <h1 class="page-title" id="releases-title">{t!(i18n, office.releases_title)}</h1>
        <p class="lead">{t!(i18n, office.releases_lead)}</p>
        <StaffOnly body=|_| view! { <ReleasesBody /> }.into_any() />
    }
}

#[component]
fn ReleasesBody() -> impl IntoView {
    let units: Units = LocalResource::new(api::prison_facilities);
    let retry = Callback::new(move |()| units.refetch());
    move || match units.get() {
        None => view! { <Loading /> }.into_any(),
        Some(Err(e)) => {
            on_team_error(&e);
            view! { <ErrorBox error=e retry=retry /> }.into_any()
        }
        Some(Ok(list)) => view! {
            <UnitsSection units=list.clone() loaded=units />
            <ListSection />
            <OneSection units=list />
        }
        .into_any(),
    }
}

/// A text field with its label (ids `release-<name>`).
fn text_field(
    name: &'static str,
    label: String,
    kind: &'static str,
    value: RwSignal<String>,
) -> impl IntoView {
    let id = format!("release-{name}");
    view! {
        <div class="field">
            <label class="field-label" for=id.clone()>{label}</label>
            <input id=id type=kind autocomplete="off"
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev)) />
        </div>
    }
}

#[component]
fn UnitsSection(units: Vec<PrisonFacility>, loaded: Units) -> impl IntoView {
    let i18n = use_i18n();
    let name = RwSignal::new(String::new());
    let municipality = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        let input = FacilityInput {
            id: None,
            name: name.get_untracked(),
            municipality: municipality.get_untracked(),
        };
        wasm_bindgen_futures::spawn_local(async move {
            match api::facility_save(input).await {
                Ok(_) => {
                    name.set(String::new());
                    municipality.set(String::new());
                    error.set(None);
                    loaded.refetch();
                }
                Err(e) => {
                    on_team_error(&e);
                    error.set(Some(e.message));
                }
            }
            busy.set(false);
        });
    };
    view! {
        <section class="detail" aria-labelledby="units-title">
            <h2 id="units-title">{t!(i18n, office.units_title)}</h2>
            {if units.is_empty() {
                view! { <p class="empty" id="units-none">{t!(i18n, office.units_none)}</p> }.into_any()
            } else {
                view! {
                    <ul class="plain" id="units">
                        {units.into_iter().map(|u| view! {
                            <li data-id=u.id>{u.name}{(!u.municipality.is_empty()).then(|| format!(" ({})", u.municipality))}</li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <form class="team-form" novalidate on:submit=add aria-labelledby="unit-new-title">
                <h3 id="unit-new-title">{t!(i18n, office.unit_new)}</h3>
                {text_field("unit-name", t_string!(i18n, office.unit_name).to_owned(), "text", name)}
                {text_field("unit-municipality", t_string!(i18n, office.unit_municipality).to_owned(), "text", municipality)}
                {move || field_error("unit-error", error.get())}
                <button type="submit" class="button" id="unit-add" prop:disabled=move || busy.get()>{t!(i18n, office.unit_add)}</button>
            </form>
        </section>
    }
}

#[component]
fn ListSection() -> impl IntoView {
    let i18n = use_i18n();
    let text = RwSignal::new(String::new());
    let done = RwSignal::new(None::<ListImportedView>);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        let list = text.get_untracked();
        wasm_bindgen_futures::spawn_local(async move {
            match api::releases_import(list).await {
                Ok(view) => {
                    error.set(None);
                    done.set(Some(view));
                }
                Err(e) => {
                    on_team_error(&e);
                    done.set(None);
                    error.set(Some(e.message));
                }
            }
            busy.set(false);
        });
    };
    view! {
        <section class="detail" aria-labelledby="list-title">
            <h2 id="list-title">{t!(i18n, office.list_title)}</h2>
            <form class="team-form" novalidate on:submit=send aria-labelledby="list-title">
                <div class="field">
                    <label class="field-label" for="release-list">{t!(i18n, office.list_label)}</label>
                    <p class="hint" id="release-list-hint">{t!(i18n, office.list_hint)}</p>
                    <textarea id="release-list" rows="6" aria-describedby="release-list-hint"
                        prop:value=move || text.get()
                        on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                </div>
                {move || field_error("list-error", error.get())}
                <button type="submit" class="button primary" id="list-send" prop:disabled=move || busy.get()>{t!(i18n, office.list_send)}</button>
            </form>
            {move || done.get().map(|d| view! {
                <p class="notice" role="status" id="list-done">{d.message.clone()}</p>
                <ul class="plain" id="list-problems">
                    {d.problems.into_iter().map(|p| view! { <li>{p.message}</li> }).collect_view()}
                </ul>
            })}
        </section>
    }
}

#[component]
fn OneSection(units: Vec<PrisonFacility>) -> impl IntoView {
    let i18n = use_i18n();
    let name = RwSignal::new(String::new());
    let date = RwSignal::new(String::new());
    let birth = RwSignal::new(String::new());
    let unit = RwSignal::new(units.first().map(|u| u.id.clone()).unwrap_or_default());
    let added = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = ReleaseInput {
            name: name.get_untracked(),
            release_date: date.get_untracked(),
            facility: unit.get_untracked(),
            birth_date: birth.get_untracked(),
            mother_name: String::new(),
        };
        wasm_bindgen_futures::spawn_local(async move {
            match api::release_add(input).await {
                Ok(e) => {
                    error.set(None);
                    name.set(String::new());
                    birth.set(String::new());
                    added.set(Some(format!(
                        "{} · {} · {}",
                        e.name, e.facility, e.when_label
                    )));
                }
                Err(e) => {
                    on_team_error(&e);
                    added.set(None);
                    error.set(Some(e.message));
                }
            }
        });
    };
    view! {
        <section class="detail" aria-labelledby="one-title">
            <h2 id="one-title">{t!(i18n, office.one_title)}</h2>
            <form class="team-form" novalidate on:submit=send aria-labelledby="one-title">
                {text_field("name", t_string!(i18n, office.one_name).to_owned(), "text", name)}
                {text_field("date", t_string!(i18n, office.one_date).to_owned(), "date", date)}
                <div class="field">
                    <label class="field-label" for="release-unit">{t!(i18n, office.one_unit)}</label>
                    <select id="release-unit" on:change=move |ev| unit.set(event_target_value(&ev))>
                        {units.into_iter().map(|u| view! { <option value=u.id.clone()>{u.name}</option> }).collect_view()}
                    </select>
                </div>
                {text_field("birth", t_string!(i18n, office.one_birth).to_owned(), "date", birth)}
                {move || field_error("one-error", error.get())}
                {move || added.get().map(|a| view! { <p class="notice" role="status" id="one-added">{a}</p> })}
                <button type="submit" class="button" id="one-send">{t!(i18n, office.one_send)}</button>
            </form>
        </section>
    }
}
