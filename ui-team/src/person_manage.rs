//! What the office's Staff and Coordinator may do to a person's record beyond the field team:
//! merge a duplicate into it (asked and confirmed), and erase it under the LGPD (confirmed by
//! typing APAGAR; on the server first, so it needs a connection).

use esv_shared::ipc::office::{PersonEraseInput, ERASE_WORD};
use esv_shared::ipc::team::{MergeInput, PersonFound, PersonView};
use esv_shared::ipc::IpcError;
use leptos::prelude::*;

use crate::api;
use crate::common::{field_error, refetch_or_say};
use crate::i18n::{t, use_i18n};
use crate::route::Route;
use crate::team::{on_team_error, people_lookup};

type Loaded = LocalResource<Result<PersonView, IpcError>>;

#[component]
pub fn ManageRecord(person: PersonView, loaded: Loaded) -> impl IntoView {
    view! {
        <MergeBox keep=person.clone() loaded=loaded />
        <EraseBox person=person />
    }
}

#[component]
fn MergeBox(keep: PersonView, loaded: Loaded) -> impl IntoView {
    let i18n = use_i18n();
    let text = RwSignal::new(String::new());
    let found = people_lookup(text);
    let chosen = RwSignal::new(None::<PersonFound>);
    let error = RwSignal::new(None::<String>);
    let keep_id = StoredValue::new(keep.id.clone());
    let merge = move |_| {
        let Some(dup) = chosen.get_untracked() else {
            return;
        };
        let input = MergeInput {
            keep_id: keep_id.get_value(),
            duplicate_id: dup.id,
        };
        wasm_bindgen_futures::spawn_local(async move {
            if refetch_or_say(api::people_merge(input).await, loaded, error) {
                chosen.set(None);
                text.set(String::new());
            }
        });
    };
    view! {
        <section class="cancel-box" aria-labelledby="merge-title">
            <h2 id="merge-title">{t!(i18n, office.merge_title)}</h2>
            <p class="hint">{t!(i18n, office.merge_lead)}</p>
            <label class="field-label" for="merge-search">{t!(i18n, office.merge_find)}</label>
            <input id="merge-search" type="search" autocomplete="off"
                prop:value=move || text.get()
                on:input=move |ev| text.set(event_target_value(&ev)) />
            {move || match found.get() {
                Some(Ok(people)) => view! {
                    <ul class="cards" id="merge-found">
                        {people.into_iter().filter(|p| p.id != keep_id.get_value()).map(|p| {
                            let pick = p.clone();
                            view! {
                                <li class="service-card" data-id=p.id.clone()>
                                    <span class="service-name">{p.name.clone()}</span>
                                    {p.birth_label.clone().map(|b| view! { <span class="hint">{b}</span> })}
                                    <button type="button" class="button merge-pick" on:click=move |_| chosen.set(Some(pick.clone()))>
                                        {t!(i18n, office.merge_pick)}
                                    </button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
                Some(Err(e)) => view! { <p class="field-error" role="alert">{e.message}</p> }.into_any(),
                None => ().into_any(),
            }}
            {move || chosen.get().map(|dup| view! {
                <div class="notice" role="alertdialog" aria-labelledby="merge-question" id="merge-confirm">
                    <p id="merge-question">{t!(i18n, office.merge_confirm, name = dup.name.clone())}</p>
                    <p class="more-links">
                        <button type="button" class="button primary" id="merge-yes" on:click=merge>{t!(i18n, office.merge_yes)}</button>
                        <button type="button" class="button" on:click=move |_| chosen.set(None)>{t!(i18n, office.cancel)}</button>
                    </p>
                </div>
            })}
            {move || field_error("merge-error", error.get())}
        </section>
    }
}

#[component]
fn EraseBox(person: PersonView) -> impl IntoView {
    let i18n = use_i18n();
    let confirm = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let done = RwSignal::new(None::<String>);
    let id = StoredValue::new(person.id.clone());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = PersonEraseInput {
            id: id.get_value(),
            confirm: confirm.get_untracked(),
        };
        wasm_bindgen_futures::spawn_local(async move {
            match api::person_erase(input).await {
                Ok(erased) => {
                    error.set(None);
                    done.set(Some(erased.message));
                }
                Err(e) => {
                    on_team_error(&e);
                    error.set(Some(e.message));
                }
            }
        });
    };
    view! {
        <section class="cancel-box" aria-labelledby="erase-title">
            <h2 id="erase-title">{t!(i18n, office.erase_title)}</h2>
            {move || match done.get() {
                Some(message) => view! {
                    <p class="notice" role="status" id="erase-done">{message}</p>
                    <p class="more-links"><a class="button" href=Route::Team.href()>{t!(i18n, team.home_title)}</a></p>
                }.into_any(),
                None => view! {
                    <p class="hint">{t!(i18n, office.erase_lead)}</p>
                    <form class="team-form" id="erase-form" on:submit=submit>
                        <label class="field-label" for="erase-confirm">{t!(i18n, office.erase_confirm)}</label>
                        <input id="erase-confirm" type="text" autocomplete="off" placeholder=ERASE_WORD
                            aria-invalid=move || error.get().is_some().to_string()
                            aria-describedby=move || error.get().map(|_| "erase-error")
                            prop:value=move || confirm.get()
                            on:input=move |ev| confirm.set(event_target_value(&ev)) />
                        {move || field_error("erase-error", error.get())}
                        <button type="submit" class="button danger" id="erase-send">{t!(i18n, office.erase_send)}</button>
                    </form>
                }.into_any(),
            }}
        </section>
    }
}
