//! The person's rights over their data (LGPD art. 18) on their record: a copy to hand them (PDF
//! to read, JSON to keep or take elsewhere), a correction of any field with blanks cleared, and
//! the consent withdrawn (asked and confirmed; what was recorded stays).

use esv_shared::ipc::team::{PersonCopyView, PersonCorrection, PersonView};
use esv_shared::ipc::IpcError;
use esv_shared::people::{CivilDocument, Race, Stage};
use leptos::prelude::*;

use crate::api;
use crate::common::{field_error, refetch_or_say};
use crate::i18n::{t, use_i18n};
use crate::locale::to_ipc;
use crate::team::on_team_error;

type Loaded = LocalResource<Result<PersonView, IpcError>>;

#[component]
pub fn PersonRights(person: PersonView, loaded: Loaded) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="cancel-box" aria-labelledby="rights-title" id="person-rights">
            <h2 id="rights-title">{t!(i18n, team.rights_title)}</h2>
            <p class="hint">{t!(i18n, team.rights_lead)}</p>
            <CopyBox id=person.id.clone() />
            <CorrectBox fields=person.fields.clone() loaded=loaded />
            {person.has_consent.then(|| view! { <WithdrawBox id=person.id.clone() loaded=loaded /> })}
        </section>
    }
}

/// `text` as a `data:` URL's payload: every byte but the unreserved ones percent-encoded.
fn percent_encoded(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[component]
fn CopyBox(id: String) -> impl IntoView {
    let i18n = use_i18n();
    let id = StoredValue::new(id);
    let copy = RwSignal::new(None::<PersonCopyView>);
    let error = RwSignal::new(None::<String>);
    let make = move |_| {
        wasm_bindgen_futures::spawn_local(async move {
            match api::person_copy(id.get_value()).await {
                Ok(c) => {
                    error.set(None);
                    copy.set(Some(c));
                }
                Err(e) => {
                    on_team_error(&e);
                    error.set(Some(e.message));
                }
            }
        });
    };
    view! {
        <p class="more-links">
            <button type="button" class="button" id="person-copy" on:click=make>{t!(i18n, team.copy_make)}</button>
        </p>
        {move || copy.get().map(|c| {
            let pdf = format!("data:application/pdf;base64,{}", c.pdf_base64);
            let json = format!("data:application/json;charset=utf-8,{}", percent_encoded(&c.json));
            view! {
                <p class="more-links" id="person-copy-links">
                    <a class="button primary" id="person-copy-pdf" href=pdf download=format!("{}.pdf", c.file_stem)>{t!(i18n, team.copy_pdf)}</a>
                    <a class="button" id="person-copy-json" href=json download=format!("{}.json", c.file_stem)>{t!(i18n, team.copy_json)}</a>
                </p>
            }
        })}
        {move || field_error("person-copy-error", error.get())}
    }
}

/// A text field of the correction form.
fn text_field(
    id: &'static str,
    label: impl IntoView + 'static,
    kind: &'static str,
    value: RwSignal<String>,
) -> impl IntoView {
    view! {
        <label class="field-label" for=id>{label}</label>
        <input id=id type=kind autocomplete="off"
            prop:value=move || value.get()
            on:input=move |ev| value.set(event_target_value(&ev)) />
    }
}

#[component]
fn CorrectBox(fields: PersonCorrection, loaded: Loaded) -> impl IntoView {
    let i18n = use_i18n();
    let locale = move || to_ipc(i18n.get_locale());
    let id = StoredValue::new(fields.id.clone());
    let social_name = RwSignal::new(fields.social_name);
    let civil_name = RwSignal::new(fields.civil_name);
    let birth_date = RwSignal::new(fields.birth_date);
    let mother_name = RwSignal::new(fields.mother_name);
    let contact = RwSignal::new(fields.contact);
    let gender_identity = RwSignal::new(fields.gender_identity);
    let stage = RwSignal::new(fields.stage);
    let race = RwSignal::new(fields.race);
    let documents = RwSignal::new(fields.missing_documents);
    let error = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = PersonCorrection {
            id: id.get_value(),
            social_name: social_name.get_untracked(),
            civil_name: civil_name.get_untracked(),
            birth_date: birth_date.get_untracked(),
            mother_name: mother_name.get_untracked(),
            contact: contact.get_untracked(),
            stage: stage.get_untracked(),
            race: race.get_untracked(),
            gender_identity: gender_identity.get_untracked(),
            missing_documents: documents.get_untracked(),
        };
        wasm_bindgen_futures::spawn_local(async move {
            refetch_or_say(api::person_correct(input).await, loaded, error);
        });
    };
    view! {
        <details id="person-correct">
            <summary class="button">{t!(i18n, team.correct_open)}</summary>
            <form class="team-form" id="person-correct-form" on:submit=submit>
                <p class="hint">{t!(i18n, team.correct_lead)}</p>
                {text_field("correct-social_name", t!(i18n, team.social_name), "text", social_name)}
                {text_field("correct-civil_name", t!(i18n, team.civil_name), "text", civil_name)}
                {text_field("correct-birth_date", t!(i18n, team.birth_date), "date", birth_date)}
                {text_field("correct-mother_name", t!(i18n, team.mother_name), "text", mother_name)}
                {text_field("correct-contact", t!(i18n, team.contact), "text", contact)}
                {text_field("correct-gender_identity", t!(i18n, team.gender), "text", gender_identity)}
                <label class="field-label" for="correct-stage">{t!(i18n, team.stage_legend)}</label>
                <select id="correct-stage" on:change=move |ev| stage.set(Stage::parse(&event_target_value(&ev)))>
                    <option value="" selected=move || stage.get().is_none()>{t!(i18n, team.choose_none)}</option>
                    {Stage::ALL.iter().copied().map(|s| view! {
                        <option value=s.slug() selected=move || stage.get() == Some(s)>{move || s.label_in(locale())}</option>
                    }).collect_view()}
                </select>
                <label class="field-label" for="correct-race">{t!(i18n, team.race_legend)}</label>
                <select id="correct-race" on:change=move |ev| race.set(Race::parse(&event_target_value(&ev)))>
                    <option value="" selected=move || race.get().is_none()>{t!(i18n, team.choose_none)}</option>
                    {Race::ALL.iter().copied().map(|r| view! {
                        <option value=r.slug() selected=move || race.get() == Some(r)>{move || r.label_in(locale())}</option>
                    }).collect_view()}
                </select>
                <fieldset class="kinds">
                    <legend class="field-label">{t!(i18n, team.documents_legend)}</legend>
                    <ul class="choices">
                        {CivilDocument::ALL.iter().copied().map(|d| {
                            let id = format!("correct-doc-{}", d.slug());
                            let for_id = id.clone();
                            view! {
                                <li>
                                    <label class="choice" for=for_id>
                                        <input type="checkbox" id=id
                                            prop:checked=move || documents.get().contains(&d)
                                            on:change=move |ev| {
                                                let on = event_target_checked(&ev);
                                                documents.update(|all| {
                                                    all.retain(|x| *x != d);
                                                    if on {
                                                        all.push(d);
                                                    }
                                                });
                                            } />
                                        <span class="choice-label">{move || d.label_in(locale())}</span>
                                    </label>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </fieldset>
                {move || field_error("person-correct-error", error.get())}
                <button type="submit" class="button primary" id="person-correct-send">{t!(i18n, team.correct_save)}</button>
            </form>
        </details>
    }
}

#[component]
fn WithdrawBox(id: String, loaded: Loaded) -> impl IntoView {
    let i18n = use_i18n();
    let id = StoredValue::new(id);
    let asking = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let withdraw = move |_| {
        wasm_bindgen_futures::spawn_local(async move {
            if refetch_or_say(api::consent_withdraw(id.get_value()).await, loaded, error) {
                asking.set(false);
            }
        });
    };
    view! {
        <p class="more-links">
            <button type="button" class="button danger" id="consent-withdraw" on:click=move |_| asking.set(true)>
                {t!(i18n, team.withdraw_open)}
            </button>
        </p>
        {move || asking.get().then(|| view! {
            <div class="notice" role="alertdialog" aria-labelledby="withdraw-question" id="withdraw-confirm">
                <p id="withdraw-question">{t!(i18n, team.withdraw_question)}</p>
                <p class="more-links">
                    <button type="button" class="button danger" id="consent-withdraw-yes" on:click=withdraw>{t!(i18n, team.withdraw_yes)}</button>
                    <button type="button" class="button" on:click=move |_| asking.set(false)>{t!(i18n, team.withdraw_no)}</button>
                </p>
            </div>
        })}
        {move || field_error("consent-withdraw-error", error.get())}
    }
}

#[cfg(test)]
mod tests {
    use super::percent_encoded;

    #[test]
    fn a_data_url_payload_keeps_every_character() {
        assert_eq!(percent_encoded("a b"), "a%20b");
        assert_eq!(
            percent_encoded("{\"nome\":\"Joã\"}"),
            "%7B%22nome%22%3A%22Jo%C3%A3%22%7D"
        );
        assert_eq!(percent_encoded("#%&"), "%23%25%26");
    }
}
