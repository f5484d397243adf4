//! The catalog editor (Staff, Coordinator): what needs review, a place found by name, and a
//! place's weekly hours and closures typed as text — the store checks them and says what is
//! wrong in plain words; nothing is written on a mistake. Publishing is the next sync.

use esv_shared::ipc::catalog::{ClosureInput, DayHours, HoursEditView, HoursInput, ReviewView};
use esv_shared::ipc::SearchRequest;
use leptos::prelude::*;

use crate::api;
use crate::common::{field_error, BackLink, ErrorBox, Loading};
use crate::i18n::{t, t_string, use_i18n};
use crate::office::StaffOnly;
use crate::route::Route;
use crate::team::on_team_error;

#[component]
pub fn CatalogPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <BackLink href=Route::Office.href()>{t!(i18n, office.console)}</BackLink>
        <h1 class="page-title">{t!(i18n, office.catalog_title)}</h1>
        <StaffOnly body=|_| view! { <PlaceFinder /> <ReviewList /> }.into_any() />
    }
}

/// "Buscar um lugar": the catalog's own search, each result linking to its hours.
#[component]
fn PlaceFinder() -> impl IntoView {
    let i18n = use_i18n();
    let text = RwSignal::new(String::new());
    let found = LocalResource::new(move || {
        let text = text.get();
        async move {
            if text.trim().chars().count() < 2 {
                return Ok(Vec::new());
            }
            api::search(SearchRequest {
                text,
                limit: Some(8),
                ..SearchRequest::default()
            })
            .await
        }
    });
    view! {
        <div class="team-form">
            <label class="field-label" for="place-find">{t!(i18n, office.edit_find)}</label>
            <input id="place-find" type="search" autocomplete="off"
                prop:value=move || text.get()
                on:input=move |ev| text.set(event_target_value(&ev)) />
        </div>
        {move || match found.get() {
            Some(Ok(cards)) => view! {
                <ul class="cards" id="place-results">
                    {cards.into_iter().map(|c| view! {
                        <li><a class="service-card" href=Route::Hours(c.id.clone()).href() data-id=c.id.clone()>
                            <span class="service-name">{c.name}</span>
                            <span class="service-provider">{c.provider}</span>
                            <span class="hint">{t!(i18n, office.edit_hours)}</span>
                        </a></li>
                    }).collect_view()}
                </ul>
            }.into_any(),
            Some(Err(e)) => view! { <p class="field-error" role="alert">{e.message}</p> }.into_any(),
            None => ().into_any(),
        }}
    }
}

#[component]
fn ReviewList() -> impl IntoView {
    let i18n = use_i18n();
    let loaded = LocalResource::new(api::review_list);
    let retry = Callback::new(move |()| loaded.refetch());
    view! {
        <section aria-labelledby="review-title">
            <h2 id="review-title">{t!(i18n, office.review_title)}</h2>
            <p class="hint">{t!(i18n, office.review_lead)}</p>
            {move || match loaded.get() {
                None => view! { <Loading /> }.into_any(),
                Some(Err(e)) => {
                    on_team_error(&e);
                    view! { <ErrorBox error=e retry=retry /> }.into_any()
                }
                Some(Ok(items)) if items.is_empty() => {
                    view! { <p class="empty" role="status">{t!(i18n, office.review_none)}</p> }.into_any()
                }
                Some(Ok(items)) => view! {
                    <ul class="cards" id="review-list">
                        {items.into_iter().map(review_item).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </section>
    }
}

fn review_item(item: ReviewView) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <li class="service-card" data-id=item.id.clone()>
            <span class="service-name">{item.name}</span>
            <span class="service-provider">{item.kind_label}</span>
            <span class="service-summary">{item.reason}</span>
            {item.editable.then(|| view! {
                <a class="button" href=Route::Hours(item.id.clone()).href()>{t!(i18n, office.edit_hours)}</a>
            })}
        </li>
    }
}

/// One place's hours and closures.
#[component]
pub fn HoursPage(id: String) -> impl IntoView {
    let i18n = use_i18n();
    let id = StoredValue::new(id);
    let current = RwSignal::new(None::<HoursEditView>);
    let saved = RwSignal::new(false);
    let loaded = LocalResource::new(move || api::hours_edit(id.get_value()));
    let retry = Callback::new(move |()| loaded.refetch());
    view! {
        <BackLink href=Route::Catalog.href()>{t!(i18n, office.catalog_title)}</BackLink>
        {move || match (current.get(), loaded.get()) {
            (Some(v), _) | (None, Some(Ok(v))) => view! {
                <h1 class="page-title" id="hours-place">{v.name.clone()}</h1>
                <p class="hint" id="hours-reviewed">{v.reviewed_label.clone()}</p>
                <WeekForm view=v.clone() current=current saved=saved />
                <Closures view=v current=current />
            }.into_any(),
            (None, Some(Err(e))) => {
                on_team_error(&e);
                view! { <ErrorBox error=e retry=retry /> }.into_any()
            }
            (None, None) => view! { <Loading /> }.into_any(),
        }}
    }
}

/// The text of a day's `n`-th range: (opens, closes), blank when it has none.
fn range_text(day: &DayHours, n: usize) -> (String, String) {
    day.ranges.get(n).cloned().unwrap_or_default()
}

/// The week as typed: per day, two ranges of (opens, closes).
type Typed = Vec<[RwSignal<String>; 4]>;

fn typed_input(id: &str, labels: &[String], typed: &Typed) -> HoursInput {
    HoursInput {
        id: id.to_owned(),
        days: typed
            .iter()
            .enumerate()
            .map(|(i, cells)| {
                let [o1, c1, o2, c2] = cells.map(|s| s.get_untracked());
                DayHours {
                    weekday: i as u8,
                    label: labels.get(i).cloned().unwrap_or_default(),
                    ranges: [(o1, c1), (o2, c2)]
                        .into_iter()
                        .filter(|(o, c)| !o.trim().is_empty() || !c.trim().is_empty())
                        .collect(),
                }
            })
            .collect(),
    }
}

#[component]
fn WeekForm(
    view: HoursEditView,
    current: RwSignal<Option<HoursEditView>>,
    saved: RwSignal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let labels: Vec<String> = view.days.iter().map(|d| d.label.clone()).collect();
    let typed: Typed = view
        .days
        .iter()
        .map(|d| {
            let ((o1, c1), (o2, c2)) = (range_text(d, 0), range_text(d, 1));
            [o1, c1, o2, c2].map(RwSignal::new)
        })
        .collect();
    let error = RwSignal::new(None::<String>);
    let id = StoredValue::new(view.id.clone());
    let (labels_sv, typed_sv) = (
        StoredValue::new(labels.clone()),
        StoredValue::new(typed.clone()),
    );
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = typed_input(
            &id.get_value(),
            &labels_sv.get_value(),
            &typed_sv.get_value(),
        );
        wasm_bindgen_futures::spawn_local(async move {
            match api::hours_set(input).await {
                Ok(v) => {
                    error.set(None);
                    saved.set(true);
                    current.set(Some(v));
                }
                Err(e) => {
                    on_team_error(&e);
                    saved.set(false);
                    error.set(Some(e.message));
                }
            }
        });
    };
    let rows = labels
        .iter()
        .zip(typed)
        .enumerate()
        .map(|(i, (day, cells))| {
            let words = [
                t_string!(i18n, office.first_range, day = day.clone()).to_string(),
                t_string!(i18n, office.first_close, day = day.clone()).to_string(),
                t_string!(i18n, office.second_range, day = day.clone()).to_string(),
                t_string!(i18n, office.second_close, day = day.clone()).to_string(),
            ];
            view! {
                <fieldset class="day-hours" data-weekday=i.to_string()>
                    <legend>{day.clone()}</legend>
                    {cells.into_iter().zip(words).enumerate().map(|(n, (cell, words))| {
                        let field = format!("hours-{i}-{n}");
                        let sep = ["–", "e", "–", ""][n];
                        view! {
                            <span class="time-field">
                                <label for=field.clone() class="visually-hidden">{words.clone()}</label>
                                <input id=field type="text" inputmode="numeric" size="5" placeholder="--:--"
                                    title=words
                                    prop:value=move || cell.get()
                                    on:input=move |ev| cell.set(event_target_value(&ev)) />
                            </span>
                            <span class="sep" aria-hidden="true">{sep}</span>
                        }
                    }).collect_view()}
                </fieldset>
            }
        })
        .collect_view();
    view! {
        <form class="team-form hours-form" id="hours-form" on:submit=submit>
            <h2>{t!(i18n, office.hours_title)}</h2>
            <p class="hint">{t!(i18n, office.hours_lead)}</p>
            {rows}
            {move || field_error("hours-error", error.get())}
            {move || saved.get().then(|| view! { <p class="notice" role="status" id="hours-saved">{t!(i18n, office.hours_saved)}</p> })}
            <button type="submit" class="button primary" id="hours-save">{t!(i18n, office.hours_save)}</button>
        </form>
    }
}

#[component]
fn Closures(view: HoursEditView, current: RwSignal<Option<HoursEditView>>) -> impl IntoView {
    let i18n = use_i18n();
    let id = StoredValue::new(view.id.clone());
    let (date, reason, opens, closes) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let error = RwSignal::new(None::<String>);
    let done = move |result: Result<HoursEditView, esv_shared::ipc::IpcError>| match result {
        Ok(v) => {
            error.set(None);
            current.set(Some(v));
        }
        Err(e) => {
            on_team_error(&e);
            error.set(Some(e.message));
        }
    };
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = ClosureInput {
            id: id.get_value(),
            date: date.get_untracked(),
            reason: reason.get_untracked(),
            opens: opens.get_untracked(),
            closes: closes.get_untracked(),
        };
        wasm_bindgen_futures::spawn_local(async move {
            let result = api::closure_set(input).await;
            if result.is_ok() {
                for s in [date, reason, opens, closes] {
                    s.set(String::new());
                }
            }
            done(result);
        });
    };
    let field = |fid: &'static str, label: AnyView, kind: &'static str, value: RwSignal<String>| {
        view! {
            <label class="field-label" for=fid>{label}</label>
            <input id=fid type=kind prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev)) />
        }
    };
    view! {
        <section aria-labelledby="closures-title">
            <h2 id="closures-title">{t!(i18n, office.closures_title)}</h2>
            {if view.exceptions.is_empty() {
                view! { <p class="empty">{t!(i18n, office.closures_none)}</p> }.into_any()
            } else {
                view! {
                    <ul class="plain" id="closures">
                        {view.exceptions.into_iter().map(|x| {
                            let day = x.date.clone();
                            view! {
                                <li class="closure" data-date=x.date.clone()>
                                    <span>{x.label}</span>" "
                                    <button type="button" class="link-button" on:click=move |_| {
                                        let day = day.clone();
                                        wasm_bindgen_futures::spawn_local(async move {
                                            done(api::closure_remove(id.get_value(), day).await);
                                        });
                                    }>{t!(i18n, office.closure_remove)}</button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <form class="team-form" id="closure-form" on:submit=add>
                {field("closure-date", t!(i18n, office.closure_date).into_any(), "date", date)}
                {field("closure-reason", t!(i18n, office.closure_reason).into_any(), "text", reason)}
                {field("closure-opens", t!(i18n, office.closure_opens).into_any(), "text", opens)}
                {field("closure-closes", t!(i18n, office.closure_closes).into_any(), "text", closes)}
                {move || field_error("closure-error", error.get())}
                <button type="submit" class="button" id="closure-add">{t!(i18n, office.closure_add)}</button>
            </form>
        </section>
    }
}
