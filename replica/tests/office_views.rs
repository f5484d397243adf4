//! The office console's views over a real store: the reports screen (the month chosen or the
//! last whole one, the twelve-month series whose points are each month's own shown total, the
//! CSV), a person's erasure refused — to a field worker, to another office, without the
//! typed word — with nothing changed, and the individual plan checked field by field.

use chrono::{DateTime, Utc};
use esv_replica::{ReplicaError, Store};
use esv_shared::document::Entity;
use esv_shared::ipc::office::{PersonEraseInput, ReportInput};
use esv_shared::ipc::team::{MergeInput, PlanGoalInput};
use esv_shared::people::{Consent, ConsentForm, Encounter, Person, Race, Stage, CONSENT_PURPOSE};
use esv_shared::report::{self, Cell};
use esv_shared::sync::Role;

mod support;
use support::sign_in;

const OFFICE: &str = "es-vitoria";

fn at(text: &str) -> DateTime<Utc> {
    text.parse().expect("instant")
}

fn now() -> DateTime<Utc> {
    at("2026-12-02T12:00:00Z")
}

/// `n` people of `office` met once on `day` (UTC noon).
fn people(office: &str, first: usize, n: usize, day: &str) -> Vec<Entity> {
    let mut out = Vec::new();
    for i in first..first + n {
        let id = format!("{office}-p{i:03}");
        let mut p = Person::new(&id, office, "ana", at("2026-08-01T12:00:00Z"));
        p.social_name = Some(format!("Pessoa {i}"));
        p.stage = Some(Stage::Released);
        p.race = Some(if i % 2 == 0 { Race::Black } else { Race::Brown });
        p.consents.push(Consent {
            id: format!("{id}-c"),
            purpose: CONSENT_PURPOSE.into(),
            form: ConsentForm::Spoken,
            staff: "ana".into(),
            at: at("2026-08-01T12:00:00Z"),
            withdrawn_at: None,
        });
        out.push(Entity::Person(p));
        out.push(Entity::Encounter(Encounter {
            id: format!("{id}/e1"),
            person_id: id.clone(),
            office_id: office.into(),
            outreach_id: None,
            at: at(&format!("{day}T15:00:00Z")),
            staff: "ana".into(),
            consent_id: format!("{id}-c"),
            needs: Vec::new(),
            follow_up: None,
            notes: String::new(),
        }));
    }
    out
}

fn store_with_data() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut store, _) = Store::open(&dir.path().join("store.db")).expect("open");
    let mut data = people(OFFICE, 0, 12, "2026-11-10");
    data.extend(people(OFFICE, 100, 3, "2026-09-10"));
    data.extend(people("es-boa-vista", 200, 7, "2026-11-10"));
    store.edit_all(&data, now()).expect("data written");
    (dir, store)
}

#[test]
fn the_reports_screen_shows_the_last_whole_month_and_a_series_no_finer_than_each_month() {
    let (_dir, mut store) = store_with_data();
    sign_in(&mut store, Role::Staff, OFFICE);
    let view = store
        .report_view(&ReportInput::default(), now())
        .expect("report view");
    assert_eq!(
        view.report.period.to_string(),
        "2026-11",
        "the last whole month"
    );
    assert_eq!(view.period_label, "novembro de 2026");
    assert_eq!(view.months.first().map(|m| m.0.as_str()), Some("2026-12"));
    assert_eq!(view.months.len(), 24);
    assert_eq!(view.series.len(), 12);
    assert_eq!(view.series[0].period, "2025-12", "oldest first");
    let point = |p: &str| view.series.iter().find(|s| s.period == p).map(|s| s.people);
    // The office's own 12 people (not the other office's 7); September's 3 are "<5".
    assert_eq!(point("2026-11"), Some(Cell::Count(12)));
    assert_eq!(point("2026-09"), Some(Cell::Small));
    assert_eq!(point("2026-10"), Some(Cell::Count(0)));
    let total = view
        .report
        .section(report::PEOPLE_BY_STAGE)
        .and_then(|s| s.table.totals.as_ref())
        .map(|t| t.all);
    assert_eq!(
        total,
        point("2026-11"),
        "the series repeats the report's own cell"
    );
    assert!(
        view.csv.contains("es-vitoria;2026-11;"),
        "{:.200}",
        view.csv
    );

    let september = store
        .report_view(
            &ReportInput {
                period: "2026-09".into(),
            },
            now(),
        )
        .expect("September");
    assert_eq!(september.series.last().map(|s| s.people), Some(Cell::Small));

    let bad = store
        .report_view(
            &ReportInput {
                period: "2026-13".into(),
            },
            now(),
        )
        .expect_err("no 13th month");
    assert!(
        matches!(bad, ReplicaError::BadInput(ref m) if m.contains("AAAA-MM")),
        "{bad}"
    );

    sign_in(&mut store, Role::FieldWorker, OFFICE);
    assert!(store.report_view(&ReportInput::default(), now()).is_err());
}

#[test]
fn an_erasure_is_refused_without_the_word_to_a_field_worker_or_another_office() {
    let (_dir, mut store) = store_with_data();
    let erase = |store: &mut Store, id: &str, word: &str| {
        store.person_erase(
            &PersonEraseInput {
                id: id.into(),
                confirm: word.into(),
            },
            now(),
        )
    };
    let cases = [
        (
            Role::FieldWorker,
            OFFICE,
            "es-vitoria-p001",
            "APAGAR",
            "Só a equipe",
        ),
        (
            Role::Staff,
            "es-boa-vista",
            "es-vitoria-p001",
            "APAGAR",
            "seu Escritório",
        ),
        (
            Role::Staff,
            OFFICE,
            "es-vitoria-p001",
            "apagar tudo",
            "escreva APAGAR",
        ),
        (
            Role::Coordinator,
            OFFICE,
            "es-vitoria-p001",
            "",
            "escreva APAGAR",
        ),
    ];
    for (role, office, id, word, says) in cases {
        sign_in(&mut store, role, office);
        let err = erase(&mut store, id, word).expect_err("refused");
        assert!(err.to_string().contains(says), "{role:?} {office}: {err}");
        assert!(store.person(id).is_ok(), "nothing was erased");
    }
    // The word is right but the server cannot be reached: nothing is erased here either.
    sign_in(&mut store, Role::Staff, OFFICE);
    let offline = erase(&mut store, "es-vitoria-p001", " apagar ").expect_err("offline");
    assert!(!offline.to_string().is_empty());
    assert!(
        store.person("es-vitoria-p001").is_ok(),
        "offline, nothing is erased"
    );
}

#[test]
fn the_individual_plan_takes_goals_checked_in_plain_words_and_follows_a_merge() {
    let (_dir, mut store) = store_with_data();
    sign_in(&mut store, Role::FieldWorker, OFFICE);
    let goal = |action: &str, need: &str, due: &str| PlanGoalInput {
        person_id: "es-vitoria-p001".into(),
        need: need.into(),
        action: action.into(),
        responsible: "CRAS Centro".into(),
        due: due.into(),
        ..PlanGoalInput::default()
    };
    for (input, says) in [
        (goal("", "documentacao", ""), "próximo passo"),
        (goal("Tirar o RG", "", ""), "necessidade"),
        (
            goal("Tirar o RG", "documentacao", "2026-11-30"),
            "já passou",
        ),
        (
            goal("Tirar o RG", "documentacao", "31/02/2027"),
            "não está completa",
        ),
    ] {
        let err = store.plan_goal_set(&input, now()).expect_err("refused");
        assert!(err.to_string().contains(says), "{err}");
    }
    assert!(
        store
            .person("es-vitoria-p001")
            .expect("person")
            .plan
            .is_empty(),
        "nothing written"
    );

    let view = store
        .plan_goal_set(&goal(" Tirar o RG ", "documentacao", "15/12/2026"), now())
        .expect("goal");
    assert_eq!(view.plan.len(), 1);
    let g = &view.plan[0];
    assert_eq!(
        (g.action.as_str(), g.status.as_str()),
        ("Tirar o RG", "em-andamento")
    );
    assert_eq!(g.due_label.as_deref(), Some("Até 15/12/2026"));
    let done = store
        .plan_goal_set(
            &PlanGoalInput {
                person_id: "es-vitoria-p001".into(),
                goal_id: Some(g.id.clone()),
                status: "feito".into(),
                ..PlanGoalInput::default()
            },
            now(),
        )
        .expect("status");
    assert_eq!(done.plan[0].status_label, "Feito");

    // Another office's team may not touch it; a merge carries the duplicate's goals over.
    sign_in(&mut store, Role::Staff, "es-boa-vista");
    assert!(store
        .plan_goal_set(&goal("Outro", "saude", ""), now())
        .is_err_and(|e| e.to_string().contains("escritório desta pessoa")));
    sign_in(&mut store, Role::Staff, OFFICE);
    store
        .plan_goal_set(
            &PlanGoalInput {
                person_id: "es-vitoria-p002".into(),
                ..goal("Consulta no CAPS", "saude-mental", "")
            },
            now(),
        )
        .expect("goal on the duplicate");
    let kept = store
        .people_merge(
            &MergeInput {
                keep_id: "es-vitoria-p001".into(),
                duplicate_id: "es-vitoria-p002".into(),
            },
            now(),
        )
        .expect("merge");
    let mut actions: Vec<&str> = kept.plan.iter().map(|g| g.action.as_str()).collect();
    actions.sort_unstable();
    assert_eq!(actions, ["Consulta no CAPS", "Tirar o RG"]);
    assert_eq!(kept.plan[0].status, "em-andamento", "open goals first");
}
