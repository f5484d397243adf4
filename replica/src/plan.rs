//! The individual plan (singularização do atendimento) of a person: goals agreed with them —
//! a need, the next step in plain words, who takes it, by when — and how each stands. Any
//! team account of the person's office may add a goal or change its status; a new goal needs
//! the person's consent in force and a deadline not already past.

use chrono::{DateTime, Utc};
use esv_shared::document::Entity;
use esv_shared::ipc::team::{parse_date, PersonView, PlanGoalInput, PlanGoalView};
use esv_shared::people::{GoalStatus, Need, Person, PlanGoal};

use crate::error::{ReplicaError, Result};
use crate::ids;
use crate::store::Store;

/// The longest step a goal may say.
pub const MAX_ACTION: usize = 300;

impl Store {
    /// Adds a goal (`input.goal_id` empty) or sets a goal's status, then answers the record.
    pub fn plan_goal_set(
        &mut self,
        input: &PlanGoalInput,
        now: DateTime<Utc>,
    ) -> Result<PersonView> {
        let who = self.recorder()?;
        let mut person = self.person(&input.person_id)?;
        if person.office_id != who.office {
            return Err(ReplicaError::BadInput(
                "Só a equipe do escritório desta pessoa mexe no plano dela.".to_owned(),
            ));
        }
        let tz = self.office_tz(&person.office_id);
        match input.goal_id.as_deref().filter(|g| !g.is_empty()) {
            Some(goal_id) => {
                let status = GoalStatus::parse(input.status.trim()).ok_or_else(|| {
                    ReplicaError::BadInput("Escolha como está a meta.".to_owned())
                })?;
                let goal = person
                    .plan
                    .iter_mut()
                    .find(|g| g.id == goal_id)
                    .ok_or_else(|| ReplicaError::NotFound(format!("meta {goal_id}")))?;
                goal.status = status;
                goal.set_by = who.staff.clone();
                goal.set_at = now;
            }
            None => {
                let goal = new_goal(&person, input, &who.staff, now, tz)?;
                person.plan.push(goal);
            }
        }
        self.edit_all_as(
            &[Entity::Person(person.clone())],
            now,
            &format!("plano individual de {} por {}", person.id, who.staff),
        )?;
        self.person_view(&person.id, now)
    }
}

/// A new goal from the form, checked field by field in plain words.
fn new_goal(
    person: &Person,
    input: &PlanGoalInput,
    staff: &str,
    now: DateTime<Utc>,
    tz: chrono_tz::Tz,
) -> Result<PlanGoal> {
    if !person.has_consent() {
        return Err(ReplicaError::BadInput(
            "Sem consentimento em vigor, nada novo pode ser guardado sobre esta pessoa.".to_owned(),
        ));
    }
    let need = Need::parse(input.need.trim())
        .ok_or_else(|| ReplicaError::BadInput("Escolha a necessidade desta meta.".to_owned()))?;
    let action = input.action.trim();
    if action.is_empty() {
        return Err(ReplicaError::BadInput(
            "Escreva o próximo passo combinado, como “tirar a 2ª via do RG”.".to_owned(),
        ));
    }
    if action.chars().count() > MAX_ACTION {
        return Err(ReplicaError::BadInput(format!(
            "O passo combinado tem mais de {MAX_ACTION} letras: escreva mais curto."
        )));
    }
    let due = parse_date(&input.due).map_err(ReplicaError::BadInput)?;
    let today = now.with_timezone(&tz).date_naive();
    if due.is_some_and(|d| d < today) {
        return Err(ReplicaError::BadInput(format!(
            "O prazo {} já passou: escolha hoje ou um dia depois.",
            due.map(|d| d.format("%d/%m/%Y").to_string())
                .unwrap_or_default()
        )));
    }
    Ok(PlanGoal {
        id: format!("g-{}", ids::new_id()?),
        need,
        action: action.to_owned(),
        responsible: input.responsible.trim().to_owned(),
        due,
        status: GoalStatus::Open,
        set_by: staff.to_owned(),
        set_at: now,
    })
}

/// The plan as the record shows it: open goals first, then by due date.
pub(crate) fn plan_view(
    person: &Person,
    tz: chrono_tz::Tz,
    locale: esv_shared::locale::Locale,
) -> Vec<PlanGoalView> {
    use esv_shared::words::team as team_words;
    let mut goals: Vec<&PlanGoal> = person.plan.iter().collect();
    goals.sort_by_key(|g| {
        (
            g.status != GoalStatus::Open,
            g.due.is_none(),
            g.due,
            g.set_at,
        )
    });
    goals
        .into_iter()
        .map(|g| PlanGoalView {
            id: g.id.clone(),
            need: g.need.slug().to_owned(),
            need_label: g.need.label_in(locale).to_owned(),
            action: g.action.clone(),
            responsible: g.responsible.clone(),
            due_label: g.due.map(|d| team_words::until(locale, d)),
            status: g.status.slug().to_owned(),
            status_label: g.status.label_in(locale).to_owned(),
            set_label: team_words::updated(
                locale,
                g.set_at.with_timezone(&tz).date_naive(),
                &g.set_by,
            ),
        })
        .collect()
}
