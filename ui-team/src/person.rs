//! A person's record for the team (nome social first): what was declared, the consent in
//! force, encounters, referrals with their counter-referral, and each referral's slip — the
//! guia de encaminhamento to print or save as PDF, with a QR code any phone camera reads. The
//! office's staff also get merge and erasure (`person_manage`); the individual plan is in
//! `plan`; the person's rights over their data (copy, correction, consent withdrawn) in
//! `person_rights`.

use esv_shared::ipc::team::{OutcomeInput, PersonView, ReferralView};
use esv_shared::people::ReferralStatus;
use leptos::prelude::*;

use crate::api;
use crate::common::{field_error, BackLink, ErrorBox, Loading};
use crate::i18n::{t, t_string, use_i18n};
use crate::person_manage::ManageRecord;
use crate::person_rights::PersonRights;
use crate::plan::Plan;
use crate::route::Route;
use crate::team::on_team_error;

#[component]
pub fn PersonPage(id: String) -> impl IntoView {
    let i18n = use_i18n();
    let id = StoredValue::new(id);
    let loaded = LocalResource::new(move || api::person(id.get_value()));
    let retry = Callback::new(move |()| loaded.refetch());
    view! {
        <BackLink href=Route::Team.href()>{t!(i18n, team.home_title)}</BackLink>
        {move || match loaded.get() {
            Some(Ok(p)) => person_body(p, loaded).into_any(),
            Some(Err(e)) => {
                on_team_error(&e);
                view! { <ErrorBox error=e retry=retry /> }.into_any()
            }
            None => view! { <Loading /> }.into_any(),
        }}
    }
}

fn person_body(
    p: PersonView,
    loaded: LocalResource<Result<PersonView, esv_shared::ipc::IpcError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let facts: Vec<String> = [
        p.civil_name
            .clone()
            .map(|value| t_string!(i18n, team.fact_civil_name, value).to_string()),
        p.birth_label.clone(),
        p.mother_name
            .clone()
            .map(|value| t_string!(i18n, team.fact_mother, value).to_string()),
        p.contact
            .clone()
            .map(|value| t_string!(i18n, team.fact_contact, value).to_string()),
        p.stage_label.clone(),
        p.race_label
            .clone()
            .map(|value| t_string!(i18n, team.fact_race, value).to_string()),
        p.gender_identity
            .clone()
            .map(|value| t_string!(i18n, team.fact_gender, value).to_string()),
    ]
    .into_iter()
    .flatten()
    .collect();
    let new_encounter = Route::Encounter {
        outreach: None,
        person: Some(p.id.clone()),
    }
    .href();
    view! {
        <article class="detail person" data-id=p.id.clone()>
            <h1 id="person-name">{p.name.clone()}</h1>
            {p.merged_into.clone().map(|kept| view! {
                <p class="notice" id="merged-into">{t!(i18n, office.merged_into)}" "
                    <a href=Route::Person(kept).href()>{t!(i18n, office.open_kept)}</a>
                </p>
            })}
            <ul class="plain">{facts.into_iter().map(|f| view! { <li>{f}</li> }).collect_view()}</ul>
            <p class=if p.has_consent { "notice" } else { "field-error" } id="consent-state">{p.consent_label.clone()}</p>
            {(!p.missing_documents.is_empty()).then(|| view! {
                <p>{t!(i18n, team.lacks)}" "{p.missing_documents.join(", ")}</p>
            })}
            <p class="more-links"><a class="button primary" id="person-encounter" href=new_encounter>{t!(i18n, team.encounter_new)}</a></p>
            <section aria-labelledby="encounters-title">
                <h2 id="encounters-title">{t!(i18n, team.encounters_title)}</h2>
                <ol class="timeline" id="encounters">
                    {p.encounters.iter().cloned().map(|e| view! {
                        <li>
                            <p class="timeline-head"><strong>{e.when_label}</strong>" · "{e.staff}{e.place.map(|pl| format!(" · {pl}"))}</p>
                            {(!e.needs.is_empty()).then(|| view! { <p>{e.needs.join(", ")}</p> })}
                            {e.follow_up_label.map(|f| view! { <p class="hint">{f}</p> })}
                            {(!e.notes.is_empty()).then(|| view! { <p class="timeline-text">{e.notes.clone()}</p> })}
                        </li>
                    }).collect_view()}
                </ol>
            </section>
            <section aria-labelledby="person-referrals-title">
                <h2 id="person-referrals-title">{t!(i18n, team.referrals_title)}</h2>
                <ul class="cards" id="person-referrals">
                    {p.referrals.iter().cloned().map(|r| view! { <ReferralItem r=r loaded=loaded /> }).collect_view()}
                </ul>
            </section>
            {p.merged_into.is_none().then(|| view! { <Plan person=p.clone() loaded=loaded error=RwSignal::new(None) /> })}
            {p.merged_into.is_none().then(|| view! { <PersonRights person=p.clone() loaded=loaded /> })}
            {(p.can_manage && p.merged_into.is_none()).then(|| view! { <ManageRecord person=p.clone() loaded=loaded /> })}
        </article>
    }
}

/// One referral: where, its status, the slip, and the counter-referral form.
#[component]
fn ReferralItem(
    r: ReferralView,
    loaded: LocalResource<Result<PersonView, esv_shared::ipc::IpcError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let status = RwSignal::new(r.status);
    let outcome = RwSignal::new(r.outcome.clone().unwrap_or_default());
    let error = RwSignal::new(None::<String>);
    let id = StoredValue::new(r.id.clone());
    let form_id = format!("outcome-{}", r.id.replace('/', "-"));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = OutcomeInput {
            id: id.get_value(),
            status: status.get_untracked(),
            outcome: outcome.get_untracked(),
        };
        wasm_bindgen_futures::spawn_local(async move {
            match api::referral_outcome(input).await {
                Ok(_) => loaded.refetch(),
                Err(e) => {
                    on_team_error(&e);
                    error.set(Some(e.message));
                }
            }
        });
    };
    let select_id = format!("{form_id}-status");
    let text_id = format!("{form_id}-text");
    view! {
        <li class="service-card referral" data-id=r.id.clone() data-status=r.status.slug()>
            <span class="service-name">{r.service.clone()}</span>
            <span class="service-provider">{r.status_label.clone()}</span>
            <span class="hint">{r.made_label.clone()}</span>
            {r.outcome.clone().map(|o| view! { <span class="service-summary">{o}</span> })}
            <a class="button" href=Route::Slip(r.id.clone()).href()>{t!(i18n, team.slip_open)}</a>
            <form class="team-form" on:submit=submit>
                <label class="field-label" for=select_id.clone()>{t!(i18n, team.outcome_status)}</label>
                <select id=select_id on:change=move |ev| {
                    if let Some(s) = ReferralStatus::parse(&event_target_value(&ev)) {
                        status.set(s);
                    }
                }>
                    {ReferralStatus::ALL.iter().copied().map(|s| view! {
                        <option value=s.slug() selected=move || status.get() == s>{move || s.label_in(crate::locale::to_ipc(i18n.get_locale()))}</option>
                    }).collect_view()}
                </select>
                <label class="field-label" for=text_id.clone()>{t!(i18n, team.outcome_text)}</label>
                <input id=text_id type="text" prop:value=move || outcome.get()
                    on:input=move |ev| outcome.set(event_target_value(&ev)) />
                {move || field_error("outcome-error", error.get())}
                <button type="submit" class="button">{t!(i18n, team.outcome_save)}</button>
            </form>
        </li>
    }
}

/// The guia de encaminhamento: its text, the QR code, "Imprimir" and "Salvar PDF".
#[component]
pub fn SlipPage(id: String) -> impl IntoView {
    let i18n = use_i18n();
    let id = StoredValue::new(id);
    let loaded = LocalResource::new(move || api::referral_slip(id.get_value()));
    let retry = Callback::new(move |()| loaded.refetch());
    let person = id
        .get_value()
        .split('/')
        .next()
        .unwrap_or_default()
        .to_owned();
    view! {
        <BackLink href=Route::Person(person).href()>{t!(i18n, team.back_to_person)}</BackLink>
        {move || match loaded.get() {
            Some(Ok(slip)) => {
                let pdf = format!("data:application/pdf;base64,{}", slip.pdf_base64);
                view! {
                    <article class="detail slip" id="slip">
                        <h1>{t!(i18n, team.slip_title)}</h1>
                        <pre class="slip-text" id="slip-text">{slip.text.clone()}</pre>
                        <div class="slip-qr" id="slip-qr" role="img" aria-label="QR code" inner_html=slip.qr_svg.clone()></div>
                        <p class="hint">{t!(i18n, team.slip_qr_hint)}</p>
                        <p class="more-links">
                            <button type="button" class="button primary" id="slip-print" on:click=move |_| {
                                let _ = window().print();
                            }>{t!(i18n, team.slip_print)}</button>
                            <a class="button" id="slip-pdf" href=pdf download="guia-de-encaminhamento.pdf">{t!(i18n, team.slip_pdf)}</a>
                        </p>
                    </article>
                }.into_any()
            }
            Some(Err(e)) => {
                on_team_error(&e);
                view! { <ErrorBox error=e retry=retry /> }.into_any()
            }
            None => view! { <Loading /> }.into_any(),
        }}
    }
}
