//! The encounter form of a busca ativa: search before create, the consent term read to the
//! person, what they choose to declare, documents lacking, needs, referrals to the catalog's
//! services, a follow-up date and notes. Every field is saved on the device as it is typed (a
//! draft that survives a crash or a dead battery); missing fields are said inline.

use esv_shared::ipc::team::{EncounterInput, FindPeopleInput, PersonView};
use esv_shared::ipc::SearchRequest;
use esv_shared::people::{self, CivilDocument, ConsentForm, Need, Origin, Race, Stage};
use leptos::prelude::*;
use serde_json::{json, Map, Value};

use crate::api;
use crate::common::{field_error, focus, BackLink};
use crate::i18n::{t, t_string, use_i18n};
use crate::route::Route;
use crate::team::on_team_error;

/// Inline errors by field.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Errors(Vec<(&'static str, String)>);

impl Errors {
    fn of(&self, field: &str) -> Option<String> {
        self.0
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, m)| m.clone())
    }
}

/// A draft's value in the shape the form now has, or `None` (an older shape is ignored).
fn from_json<T: serde::de::DeserializeOwned>(value: Value) -> Option<T> {
    serde_json::from_value(value).ok()
}

/// One form's fields, each a signal; saved to the draft as they change.
#[derive(Clone, Copy)]
struct Fields {
    person_id: RwSignal<Option<String>>,
    social_name: RwSignal<String>,
    civil_name: RwSignal<String>,
    birth_date: RwSignal<String>,
    mother_name: RwSignal<String>,
    contact: RwSignal<String>,
    stage: RwSignal<Option<Stage>>,
    race: RwSignal<Option<Race>>,
    origin: RwSignal<Option<Origin>>,
    gender_identity: RwSignal<String>,
    missing_documents: RwSignal<Vec<CivilDocument>>,
    consent: RwSignal<Option<ConsentForm>>,
    needs: RwSignal<Vec<Need>>,
    /// Service id and name.
    referrals: RwSignal<Vec<(String, String)>>,
    follow_up: RwSignal<String>,
    notes: RwSignal<String>,
    /// The entry of the gate's list the person is met from.
    release_id: RwSignal<Option<String>>,
}

impl Fields {
    fn new(person: Option<String>) -> Fields {
        Fields {
            person_id: RwSignal::new(person),
            social_name: RwSignal::new(String::new()),
            civil_name: RwSignal::new(String::new()),
            birth_date: RwSignal::new(String::new()),
            mother_name: RwSignal::new(String::new()),
            contact: RwSignal::new(String::new()),
            stage: RwSignal::new(None),
            race: RwSignal::new(None),
            origin: RwSignal::new(None),
            gender_identity: RwSignal::new(String::new()),
            missing_documents: RwSignal::new(Vec::new()),
            consent: RwSignal::new(None),
            needs: RwSignal::new(Vec::new()),
            referrals: RwSignal::new(Vec::new()),
            follow_up: RwSignal::new(String::new()),
            notes: RwSignal::new(String::new()),
            release_id: RwSignal::new(None),
        }
    }

    /// Fills the fields from a saved draft. A field the draft does not know, or holds in an
    /// older shape, stays as it is: a change of the form never breaks a draft.
    fn restore(&self, draft: &Map<String, Value>) {
        let text = |name: &str, signal: RwSignal<String>| {
            if let Some(Value::String(s)) = draft.get(name) {
                signal.set(s.clone());
            }
        };
        text("social_name", self.social_name);
        text("civil_name", self.civil_name);
        text("birth_date", self.birth_date);
        text("mother_name", self.mother_name);
        text("contact", self.contact);
        text("gender_identity", self.gender_identity);
        text("follow_up", self.follow_up);
        text("notes", self.notes);
        let parsed = |name: &str| draft.get(name).cloned();
        if let Some(Some(id)) = parsed("person_id").and_then(from_json::<Option<String>>) {
            self.person_id.set(Some(id));
        }
        if let Some(v) = parsed("stage").and_then(from_json) {
            self.stage.set(v);
        }
        if let Some(v) = parsed("race").and_then(from_json) {
            self.race.set(v);
        }
        if let Some(v) = parsed("origin").and_then(from_json) {
            self.origin.set(v);
        }
        if let Some(v) = parsed("consent").and_then(from_json) {
            self.consent.set(v);
        }
        if let Some(v) = parsed("missing_documents").and_then(from_json) {
            self.missing_documents.set(v);
        }
        if let Some(v) = parsed("needs").and_then(from_json) {
            self.needs.set(v);
        }
        if let Some(v) = parsed("referrals").and_then(from_json) {
            self.referrals.set(v);
        }
    }

    /// Starts the form from an entry of the gate's list: the civil name and dates the unit
    /// gave, origin "porta de saída", stage "egressa" — each only where nothing was typed.
    fn fill_from_list(&self, entry: &esv_shared::ipc::gate::ExpectedView) {
        self.release_id.set(Some(entry.id.clone()));
        let fill = |signal: RwSignal<String>, value: Option<String>| {
            if signal.get_untracked().trim().is_empty() {
                if let Some(v) = value {
                    signal.set(v);
                }
            }
        };
        fill(self.civil_name, Some(entry.name.clone()));
        fill(self.birth_date, entry.birth_date.map(|d| d.to_string()));
        fill(self.mother_name, entry.mother_name.clone());
        if self.origin.get_untracked().is_none() {
            self.origin.set(Some(Origin::Gate));
        }
        if self.stage.get_untracked().is_none() {
            self.stage.set(Some(Stage::Released));
        }
    }

    fn input(&self, outreach: Option<String>) -> EncounterInput {
        EncounterInput {
            outreach_id: outreach,
            person_id: self.person_id.get_untracked(),
            social_name: self.social_name.get_untracked(),
            civil_name: self.civil_name.get_untracked(),
            birth_date: self.birth_date.get_untracked(),
            mother_name: self.mother_name.get_untracked(),
            contact: self.contact.get_untracked(),
            stage: self.stage.get_untracked(),
            race: self.race.get_untracked(),
            origin: self.origin.get_untracked(),
            gender_identity: self.gender_identity.get_untracked(),
            missing_documents: self.missing_documents.get_untracked(),
            consent: self.consent.get_untracked(),
            needs: self.needs.get_untracked(),
            referrals: self
                .referrals
                .get_untracked()
                .into_iter()
                .map(|(id, _)| id)
                .collect(),
            follow_up: self.follow_up.get_untracked(),
            notes: self.notes.get_untracked(),
            release_id: self.release_id.get_untracked(),
        }
    }
}

/// Saves one field of the draft; a failure is said once under the form, typing goes on.
fn save(
    form: StoredValue<String>,
    saved: RwSignal<Option<String>>,
    field: &'static str,
    value: Value,
) {
    let form = form.get_value();
    wasm_bindgen_futures::spawn_local(async move {
        match api::draft_save(form, field.to_owned(), value).await {
            Ok(()) => saved.set(None),
            Err(e) => {
                on_team_error(&e);
                saved.set(Some(e.message));
            }
        }
    });
}

#[component]
pub fn EncounterPage(
    outreach: Option<String>,
    person: Option<String>,
    /// An entry of the gate's list the person is met from.
    release: Option<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let form = StoredValue::new(match &release {
        Some(id) => format!("encounter:porta:{id}"),
        None => format!(
            "encounter:{}",
            outreach.clone().unwrap_or_else(|| "avulso".to_owned())
        ),
    });
    let fields = Fields::new(person.clone());
    let errors = RwSignal::new(Errors::default());
    let save_error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let outreach_id = StoredValue::new(outreach);
    let from_route = person.is_some();

    // The draft first: what was typed before a crash comes back.
    wasm_bindgen_futures::spawn_local(async move {
        match api::draft(form.get_value()).await {
            Ok(draft) => {
                fields.restore(&draft);
                if from_route {
                    fields.person_id.set(person.clone());
                    save(form, save_error, "person_id", json!(person));
                }
            }
            Err(e) => on_team_error(&e),
        }
    });
    // At the gate: what the unit's list says, where the draft has nothing.
    let entry = LocalResource::new(move || {
        let id = release.clone();
        async move {
            let id = id?;
            match api::release_entry(id).await {
                Ok(e) => {
                    fields.fill_from_list(&e);
                    Some(e)
                }
                Err(e) => {
                    on_team_error(&e);
                    save_error.set(Some(e.message));
                    None
                }
            }
        }
    });
    let known = LocalResource::new(move || {
        let id = fields.person_id.get();
        async move {
            match id {
                Some(id) => api::person(id).await.ok(),
                None => None,
            }
        }
    });
    let has_consent = move || {
        known
            .get()
            .flatten()
            .is_some_and(|p: PersonView| p.has_consent)
    };

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let input = fields.input(outreach_id.get_value());
        let problems = input.problems(has_consent());
        if let Some((first, _)) = problems.first() {
            let first = *first;
            errors.set(Errors(problems));
            focus(&format!("encounter-{first}"));
            return;
        }
        errors.set(Errors::default());
        busy.set(true);
        wasm_bindgen_futures::spawn_local(async move {
            match api::encounter_record(input).await {
                Ok(person) => {
                    let _ = api::draft_discard(form.get_value()).await;
                    let _ = window()
                        .location()
                        .set_hash(&Route::Person(person.id).href());
                }
                Err(e) => {
                    on_team_error(&e);
                    errors.set(Errors(vec![("send", e.message)]));
                    focus("encounter-send");
                }
            }
            busy.set(false);
        });
    };

    let text_input = move |field: &'static str,
                           label: String,
                           kind: &'static str,
                           signal: RwSignal<String>| {
        let id = format!("encounter-{field}");
        let error_id = format!("encounter-{field}-error");
        let described = error_id.clone();
        view! {
            <div class="field">
                <label class="field-label" for=id.clone()>{label}</label>
                <input
                    id=id
                    type=kind
                    autocomplete="off"
                    aria-invalid=move || errors.get().of(field).is_some().to_string()
                    aria-describedby=move || errors.get().of(field).map(|_| described.clone())
                    prop:value=move || signal.get()
                    on:input=move |ev| {
                        let v = event_target_value(&ev);
                        signal.set(v.clone());
                        save(form, save_error, field, json!(v));
                    }
                />
                {move || errors.get().of(field).map(|e| view! { <p class="field-error" id=error_id.clone()><span aria-hidden="true">"⚠ "</span>{e}</p> })}
            </div>
        }
    };

    view! {
        <BackLink href=Route::Team.href()>{t!(i18n, team.home_title)}</BackLink>
        <h1 class="page-title" id="encounter-title">{t!(i18n, team.encounter_title)}</h1>
        <p class="hint" id="draft-note">{t!(i18n, team.draft_note)}</p>
        <form class="detail team-form" novalidate on:submit=submit aria-labelledby="encounter-title">
            <section aria-labelledby="who-title">
                <h2 id="who-title">{t!(i18n, team.who_title)}</h2>
                {move || entry.get().flatten().map(|e| view! {
                    <p class="notice" id="gate-entry">
                        {t!(i18n, team.gate_entry, unit = e.facility.clone(), when = e.when_label.clone())}
                    </p>
                })}
                {move || known.get().flatten().map(|p| view! {
                    <p class="notice" id="known-person">
                        {t!(i18n, team.known_person, name = p.name.clone())}
                        " "
                        <button type="button" class="button" id="person-clear" on:click=move |_| {
                            fields.person_id.set(None);
                            save(form, save_error, "person_id", Value::Null);
                        }>{t!(i18n, team.not_this_person)}</button>
                    </p>
                })}
                {text_input("social_name", t_string!(i18n, team.social_name).to_owned(), "text", fields.social_name)}
                <Matches fields=fields form=form save_error=save_error />
                {text_input("civil_name", t_string!(i18n, team.civil_name).to_owned(), "text", fields.civil_name)}
                {text_input("birth_date", t_string!(i18n, team.birth_date).to_owned(), "date", fields.birth_date)}
                {text_input("mother_name", t_string!(i18n, team.mother_name).to_owned(), "text", fields.mother_name)}
                {text_input("contact", t_string!(i18n, team.contact).to_owned(), "tel", fields.contact)}
            </section>
            <Consent fields=fields form=form save_error=save_error errors=errors has_consent=Signal::derive(has_consent) />
            <section aria-labelledby="declared-title">
                <h2 id="declared-title">{t!(i18n, team.declared_title)}</h2>
                <p class="hint">{t!(i18n, team.declared_hint)}</p>
                {Choices { name: "stage", legend: t_string!(i18n, team.stage_legend).to_owned(), all: Stage::ALL, label: Stage::label_in, slug: Stage::slug }.radios(fields.stage, form, save_error)}
                {Choices { name: "race", legend: t_string!(i18n, team.race_legend).to_owned(), all: Race::ALL, label: Race::label_in, slug: Race::slug }.radios(fields.race, form, save_error)}
                {Choices { name: "origin", legend: t_string!(i18n, team.origin_legend).to_owned(), all: Origin::ALL, label: Origin::label_in, slug: Origin::slug }.radios(fields.origin, form, save_error)}
                {text_input("gender_identity", t_string!(i18n, team.gender).to_owned(), "text", fields.gender_identity)}
            </section>
            <section aria-labelledby="needs-title">
                <h2 id="needs-title">{t!(i18n, team.needs_title)}</h2>
                {Choices { name: "missing_documents", legend: t_string!(i18n, team.documents_legend).to_owned(), all: CivilDocument::ALL, label: CivilDocument::label_in, slug: CivilDocument::slug }.checks(fields.missing_documents, form, save_error)}
                {Choices { name: "needs", legend: t_string!(i18n, team.needs_legend).to_owned(), all: Need::ALL, label: Need::label_in, slug: Need::slug }.checks(fields.needs, form, save_error)}
            </section>
            <Referrals fields=fields form=form save_error=save_error />
            <section aria-labelledby="after-title">
                <h2 id="after-title">{t!(i18n, team.after_title)}</h2>
                {text_input("follow_up", t_string!(i18n, team.follow_up).to_owned(), "date", fields.follow_up)}
                <div class="field">
                    <label class="field-label" for="encounter-notes">{t!(i18n, team.notes)}</label>
                    <textarea id="encounter-notes" rows="3"
                        prop:value=move || fields.notes.get()
                        on:input=move |ev| {
                            let v = event_target_value(&ev);
                            fields.notes.set(v.clone());
                            save(form, save_error, "notes", json!(v));
                        }></textarea>
                </div>
            </section>
            {move || save_error.get().map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
            {move || field_error("encounter-send-error", errors.get().of("send"))}
            <button type="submit" class="button primary" id="encounter-send" prop:disabled=move || busy.get()>
                {t!(i18n, team.encounter_save)}
            </button>
        </form>
    }
}

/// Search before create: people already known whose name looks like the one typed.
#[component]
fn Matches(
    fields: Fields,
    form: StoredValue<String>,
    save_error: RwSignal<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let found = LocalResource::new(move || {
        let input = FindPeopleInput {
            text: fields.social_name.get(),
            birth_date: Some(fields.birth_date.get()),
            mother_name: Some(fields.mother_name.get()),
        };
        let chosen = fields.person_id.get().is_some();
        async move {
            if chosen || input.text.trim().chars().count() < 3 {
                return Vec::new();
            }
            api::people_find(input).await.unwrap_or_default()
        }
    });
    move || {
        let people = found.get().unwrap_or_default();
        (!people.is_empty()).then(|| view! {
            <div class="matches" role="region" aria-labelledby="matches-title">
                <p class="field-label" id="matches-title">{t!(i18n, team.matches_title)}</p>
                <ul class="plain" id="matches">
                    {people.into_iter().map(|p| {
                        let id = p.id.clone();
                        view! {
                            <li class="match" data-id=p.id.clone() data-likeness=p.likeness.clone().unwrap_or_default()>
                                <strong>{p.name}</strong>
                                {p.birth_label.map(|b| view! { " · "{b} })}
                                {p.mother_name.map(|m| view! { " · "{t!(i18n, team.mother_of, name = m.clone())} })}
                                {p.likeness_label.map(|l| view! { <span class="hint">" — "{l}</span> })}
                                " "
                                <button type="button" class="button" on:click=move |_| {
                                    fields.person_id.set(Some(id.clone()));
                                    save(form, save_error, "person_id", json!(id.clone()));
                                }>{t!(i18n, team.this_person)}</button>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </div>
        })
    }
}

/// The consent term, read to the person, and how they agreed.
#[component]
fn Consent(
    fields: Fields,
    form: StoredValue<String>,
    save_error: RwSignal<Option<String>>,
    errors: RwSignal<Errors>,
    has_consent: Signal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    // The office's own term (who answers for the data), in the screen's language; the short
    // purpose if it cannot be had.
    let loaded =
        LocalResource::new(move || api::consent_term(crate::locale::to_ipc(i18n.get_locale())));
    let term = Signal::derive(move || {
        loaded.get().map(|r| match r {
            Ok(t) => (t.text, t.language.tag()),
            Err(_) => (people::CONSENT_PURPOSE.to_owned(), "pt-BR"),
        })
    });
    view! {
        <fieldset class="consent" id="encounter-consent" tabindex="-1"
            aria-describedby=move || errors.get().of("consent").map(|_| "encounter-consent-error")>
            <legend class="field-label">{t!(i18n, team.consent_legend)}</legend>
            <p class="consent-term" lang=move || term.get().map(|t| t.1).unwrap_or("pt-BR")>
                {move || term.get().map(|t| t.0)}
            </p>
            {move || has_consent.get().then(|| view! { <p class="notice">{t!(i18n, team.consent_on_record)}</p> })}
            <ul class="choices">
                {ConsentForm::ALL.iter().copied().map(|c| {
                    let id = format!("consent-{}", c.slug());
                    let for_id = id.clone();
                    view! {
                        <li>
                            <label class="choice" for=for_id>
                                <input type="radio" id=id name="consent"
                                    prop:checked=move || fields.consent.get() == Some(c)
                                    on:change=move |_| {
                                        fields.consent.set(Some(c));
                                        save(form, save_error, "consent", json!(c));
                                    } />
                                <span class="choice-label">{move || c.label_in(crate::locale::to_ipc(i18n.get_locale()))}</span>
                            </label>
                        </li>
                    }
                }).collect_view()}
            </ul>
            {move || field_error("encounter-consent-error", errors.get().of("consent"))}
        </fieldset>
    }
}

/// A list of choices (a domain enum: its slugs and words), as radio buttons or checkboxes.
struct Choices<T: 'static> {
    name: &'static str,
    legend: String,
    all: &'static [T],
    /// The choice's words in a language (`label_in`): the team reads them in theirs.
    label: fn(T, esv_shared::ipc::Locale) -> &'static str,
    slug: fn(T) -> &'static str,
}

impl<T: Copy + PartialEq + serde::Serialize + Send + Sync + 'static> Choices<T> {
    /// `kind` is `radio` or `checkbox`; `checked` says whether a choice is on, `set` turns
    /// it on or off (and saves the draft).
    fn view(
        self,
        kind: &'static str,
        checked: impl Fn(T) -> bool + Copy + Send + Sync + 'static,
        set: impl Fn(T, bool) + Copy + Send + Sync + 'static,
    ) -> impl IntoView {
        let Choices {
            name,
            legend,
            all,
            label,
            slug,
        } = self;
        let i18n = use_i18n();
        view! {
            <fieldset class="kinds">
                <legend class="field-label">{legend}</legend>
                <ul class="choices">
                    {all.iter().copied().map(|v| {
                        let id = format!("{name}-{}", slug(v));
                        let for_id = id.clone();
                        view! {
                            <li>
                                <label class="choice" for=for_id>
                                    <input type=kind id=id name=name
                                        prop:checked=move || checked(v)
                                        on:change=move |ev| set(v, event_target_checked(&ev)) />
                                    <span class="choice-label">{move || label(v, crate::locale::to_ipc(i18n.get_locale()))}</span>
                                </label>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </fieldset>
        }
    }

    /// One choice among a few (or none).
    fn radios(
        self,
        signal: RwSignal<Option<T>>,
        form: StoredValue<String>,
        save_error: RwSignal<Option<String>>,
    ) -> impl IntoView {
        let name = self.name;
        self.view(
            "radio",
            move |v| signal.get() == Some(v),
            move |v, _| {
                signal.set(Some(v));
                save(form, save_error, name, json!(v));
            },
        )
    }

    /// Any number of choices.
    fn checks(
        self,
        signal: RwSignal<Vec<T>>,
        form: StoredValue<String>,
        save_error: RwSignal<Option<String>>,
    ) -> impl IntoView {
        let name = self.name;
        self.view(
            "checkbox",
            move |v| signal.get().contains(&v),
            move |v, on| {
                signal.update(|list| {
                    list.retain(|x| *x != v);
                    if on {
                        list.push(v);
                    }
                });
                save(form, save_error, name, json!(signal.get_untracked()));
            },
        )
    }
}

/// Referrals made on the spot: find a service of the catalog, add it, remove it.
#[component]
fn Referrals(
    fields: Fields,
    form: StoredValue<String>,
    save_error: RwSignal<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let text = RwSignal::new(String::new());
    let found = LocalResource::new(move || {
        let text = text.get();
        async move {
            if text.trim().chars().count() < 3 {
                return Vec::new();
            }
            let request = SearchRequest {
                text,
                limit: Some(5),
                ..SearchRequest::default()
            };
            api::search(request).await.unwrap_or_default()
        }
    });
    let store = move || {
        save(
            form,
            save_error,
            "referrals",
            json!(fields.referrals.get_untracked()),
        )
    };
    view! {
        <section aria-labelledby="referrals-title">
            <h2 id="referrals-title">{t!(i18n, team.referrals_title)}</h2>
            <ul class="plain" id="referrals-chosen">
                {move || fields.referrals.get().into_iter().map(|(id, name)| {
                    let remove_id = id.clone();
                    view! {
                        <li data-id=id>
                            {name}" "
                            <button type="button" class="button" on:click=move |_| {
                                fields.referrals.update(|r| r.retain(|(i, _)| *i != remove_id));
                                store();
                            }>{t!(i18n, team.remove)}</button>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <label class="field-label" for="referral-search">{t!(i18n, team.referral_search)}</label>
            <input id="referral-search" type="search" autocomplete="off"
                prop:value=move || text.get()
                on:input=move |ev| text.set(event_target_value(&ev)) />
            <ul class="plain" id="referral-options">
                {move || found.get().unwrap_or_default().into_iter().map(|card| {
                    let (id, name) = (card.id.clone(), format!("{} ({})", card.name, card.provider));
                    let label = name.clone();
                    view! {
                        <li>
                            <button type="button" class="button" data-id=card.id.clone() on:click=move |_| {
                                let (id, name) = (id.clone(), name.clone());
                                fields.referrals.update(|r| {
                                    if !r.iter().any(|(i, _)| *i == id) {
                                        r.push((id, name));
                                    }
                                });
                                text.set(String::new());
                                store();
                            }>{t!(i18n, team.refer_to, name = label.clone())}</button>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}
