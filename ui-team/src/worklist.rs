//! "Pendências" on the team's home: returns, plan goals and referrals due or overdue for the
//! office's people, most overdue first, each a link to the person's record; then the people
//! the units' lists expect at the gate this week, each a link to an encounter that starts from
//! the entry; read offline from the device's store (`worklist`), in the session's language.

use esv_shared::ipc::gate::ExpectedView;
use esv_shared::ipc::team::{DueKind, WorklistView};
use leptos::prelude::*;

use crate::api;
use crate::common::Loading;
use crate::i18n::{t, use_i18n};
use crate::route::Route;
use crate::team::on_team_error;

#[component]
pub fn Worklist() -> impl IntoView {
    let i18n = use_i18n();
    let list = LocalResource::new(api::worklist);
    view! {
        <section class="detail" aria-labelledby="worklist-title">
            <h2 id="worklist-title">{t!(i18n, team.worklist_title)}</h2>
            {move || match list.get() {
                Some(Ok(view)) => items(view).into_any(),
                Some(Err(e)) => {
                    on_team_error(&e);
                    view! { <p class="field-error" role="alert">{e.message}</p> }.into_any()
                }
                None => view! { <Loading /> }.into_any(),
            }}
        </section>
    }
}

fn items(view: WorklistView) -> impl IntoView {
    let i18n = use_i18n();
    let days = view.referral_days;
    let (shown, total) = (view.items.len(), view.total);
    let list = cards_or(
        "worklist",
        view! { <p class="empty" id="worklist-none">{t!(i18n, team.worklist_none)}</p> }.into_any(),
        view.items
            .into_iter()
            .map(|item| {
                let overdue = item.overdue_days > 0;
                view! {
                    <a class="service-card" href=Route::Person(item.person_id.clone()).href()
                        data-id=item.person_id data-kind=kind_slug(item.kind)>
                        <span class="service-name">{item.person_name}</span>
                        <span class="service-provider">{item.what}</span>
                        <span class="hint" class:late=overdue>{item.since_label}</span>
                    </a>
                }
                .into_any()
            })
            .collect(),
    );
    view! {
        {list}
        {(total > shown).then(|| view! { <p class="hint" id="worklist-more">{t!(i18n, team.worklist_more, shown = shown, total = total)}</p> })}
        <p class="hint">{t!(i18n, team.worklist_setting, days = days)}</p>
        <Gate expected=view.expected />
    }
}

/// "Esperados na porta": the units' lists, nobody met yet, by day.
#[component]
fn Gate(expected: Vec<ExpectedView>) -> impl IntoView {
    let i18n = use_i18n();
    let list = cards_or(
        "gate",
        view! { <p class="empty" id="gate-none">{t!(i18n, team.gate_none)}</p> }.into_any(),
        expected
            .into_iter()
            .map(|e| {
                view! {
                    <a class="service-card" href=Route::Gate(e.id.clone()).href() data-id=e.id>
                        <span class="service-name">{e.name}</span>
                        <span class="service-provider">{e.facility}</span>
                        {e.birth_label.map(|b| view! { <span class="hint">{b}</span> })}
                        <span class="hint">{e.when_label}" · "{t!(i18n, team.gate_meet)}</span>
                    </a>
                }
                .into_any()
            })
            .collect(),
    );
    view! {
        <h3 id="gate-title">{t!(i18n, team.gate_title)}</h3>
        <p class="hint">{t!(i18n, team.gate_hint)}</p>
        {list}
    }
}

/// A list of cards (`id`), or `none` when there is no card.
fn cards_or(id: &'static str, none: AnyView, cards: Vec<AnyView>) -> AnyView {
    if cards.is_empty() {
        return none;
    }
    view! {
        <ul class="cards" id=id>
            {cards.into_iter().map(|card| view! { <li>{card}</li> }).collect_view()}
        </ul>
    }
    .into_any()
}

/// The kind as the page marks it (for tests and styles).
fn kind_slug(kind: DueKind) -> &'static str {
    match kind {
        DueKind::Return => "return",
        DueKind::Goal => "goal",
        DueKind::Referral => "referral",
    }
}
