//! The individual plan on a person's record (singularização do atendimento): the goals agreed
//! with the person, open ones first, each with "Feito" and "Deixar de lado", and the form of a
//! new goal — need, next step, who takes it, deadline.

use esv_shared::ipc::team::{PersonView, PlanGoalInput, PlanGoalView};
use esv_shared::ipc::IpcError;
use esv_shared::people::Need;
use leptos::prelude::*;

use crate::api;
use crate::common::{field_error, refetch_or_say};
use crate::i18n::{t, use_i18n};

type Loaded = LocalResource<Result<PersonView, IpcError>>;

fn send(input: PlanGoalInput, loaded: Loaded, error: RwSignal<Option<String>>) {
    wasm_bindgen_futures::spawn_local(async move {
        refetch_or_say(api::plan_goal_set(input).await, loaded, error);
    });
}

#[component]
pub fn Plan(person: PersonView, loaded: Loaded, error: RwSignal<Option<String>>) -> impl IntoView {
    let i18n = use_i18n();
    let person_id = StoredValue::new(person.id.clone());
    view! {
        <section aria-labelledby="plan-title">
            <h2 id="plan-title">{t!(i18n, team.plan_title)}</h2>
            {person.plan.is_empty().then(|| view! { <p class="empty">{t!(i18n, team.plan_none)}</p> })}
            <ul class="cards" id="plan">
                {person.plan.into_iter().map(|g| goal(g, person_id, loaded, error)).collect_view()}
            </ul>
            <NewGoal person_id=person.id loaded=loaded error=error />
        </section>
    }
}

fn goal(
    g: PlanGoalView,
    person_id: StoredValue<String>,
    loaded: Loaded,
    error: RwSignal<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let open = g.status == "em-andamento";
    let id = StoredValue::new(g.id.clone());
    let set = move |status: &'static str| {
        move |_| {
            let input = PlanGoalInput {
                person_id: person_id.get_value(),
                goal_id: Some(id.get_value()),
                status: status.to_owned(),
                ..PlanGoalInput::default()
            };
            send(input, loaded, error);
        }
    };
    view! {
        <li class="service-card" data-goal=g.id.clone() data-status=g.status.clone()>
            <span class="service-name">{g.action.clone()}</span>
            <span class="service-provider">{g.need_label.clone()}" · "{g.status_label.clone()}</span>
            {(!g.responsible.is_empty()).then(|| view! { <span class="hint">{t!(i18n, team.plan_who)}": "{g.responsible.clone()}</span> })}
            {g.due_label.clone().map(|d| view! { <span class="hint">{d}</span> })}
            <span class="hint">{g.set_label.clone()}</span>
            {open.then(|| view! {
                <span class="actions">
                    <button type="button" class="button goal-done" on:click=set("feito")>{t!(i18n, team.plan_done)}</button>
                    <button type="button" class="button" on:click=set("deixado")>{t!(i18n, team.plan_drop)}</button>
                </span>
            })}
        </li>
    }
}

#[component]
fn NewGoal(person_id: String, loaded: Loaded, error: RwSignal<Option<String>>) -> impl IntoView {
    let i18n = use_i18n();
    let person_id = StoredValue::new(person_id);
    let (need, action, responsible, due) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = PlanGoalInput {
            person_id: person_id.get_value(),
            goal_id: None,
            need: need.get_untracked(),
            action: action.get_untracked(),
            responsible: responsible.get_untracked(),
            due: due.get_untracked(),
            status: String::new(),
        };
        send(input, loaded, error);
    };
    let text = |id: &'static str, label: AnyView, kind: &'static str, value: RwSignal<String>| {
        view! {
            <label class="field-label" for=id>{label}</label>
            <input id=id type=kind prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev)) />
        }
    };
    view! {
        <form class="team-form" id="plan-form" on:submit=submit>
            <h3>{t!(i18n, team.plan_new)}</h3>
            <label class="field-label" for="plan-need">{t!(i18n, team.plan_need)}</label>
            <select id="plan-need" prop:value=move || need.get() on:change=move |ev| need.set(event_target_value(&ev))>
                <option value="">{t!(i18n, team.plan_choose)}</option>
                {Need::ALL.iter().map(|n| view! { <option value=n.slug()>{move || n.label_in(crate::locale::to_ipc(i18n.get_locale()))}</option> }).collect_view()}
            </select>
            {text("plan-action", t!(i18n, team.plan_action).into_any(), "text", action)}
            {text("plan-responsible", t!(i18n, team.plan_who).into_any(), "text", responsible)}
            {text("plan-due", t!(i18n, team.plan_due).into_any(), "date", due)}
            {move || field_error("plan-error", error.get())}
            <button type="submit" class="button" id="plan-add">{t!(i18n, team.plan_add)}</button>
        </form>
    }
}
